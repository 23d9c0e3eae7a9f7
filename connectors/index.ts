/**
 * brainweave/connectors — connectivity specifications (BrainPy's connector set) and weight initialisers.
 * A connector is a spec; each projection realises it at network build time with the network's RNG.
 * See connectors/README.md for the structure layouts.
 */
export {
  Connector, EdgeSet, IntBuffer, SubsetSampler, csrFromPairs, sortRows, unravel, MAX_DENSE_ELEMENTS,
  checkProb, checkCount, checkPositive, checkBool, checkOptions,
} from './base';
export type { CSRData } from './base';
export { FixedProb } from './fixed-prob';
export type { FixedProbOptions } from './fixed-prob';
export { One2One } from './one2one';
export { All2All } from './all2all';
export type { All2AllOptions } from './all2all';
export { GridConnector, GridFour, GridEight, GridN } from './grid';
export type { GridOptions } from './grid';
export { FixedPreNum, FixedPostNum, FixedTotalNum } from './fixed-num';
export type { FixedNumOptions, FixedTotalNumOptions } from './fixed-num';
export { GaussianProb } from './gaussian-prob';
export type { GaussianProbOptions } from './gaussian-prob';
export { ProbDist } from './prob-dist';
export type { ProbDistOptions } from './prob-dist';
export { SmallWorld } from './small-world';
export type { SmallWorldOptions } from './small-world';
export { ScaleFreeBA, ScaleFreeBADual, PowerLaw } from './scale-free';
export type { ScaleFreeOptions } from './scale-free';
export { IJConn, MatConn, CSRConn } from './data';
export { constant, uniform, normal, fromFunction, initWeights } from './weights';
export type { WeightInit } from './weights';
export type { IntList } from './data';
