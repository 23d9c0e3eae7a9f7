/** brainweave: object-oriented brain-dynamics modelling; update() in plain TypeScript, compiled to one loop. */
export { Variable } from './core/variable';
export type { VariableOptions, Init } from './core/variable';
export { DynamicalSystem, NeuGroup, TwoEndConn, ConnHandle, StructRef } from './core/dynsys';
export type { Params, Rows, Matrix, Group, StructureTypes } from './core/dynsys';
export { Network } from './core/network';
export type { NetworkOptions, RunOptions, RunResult } from './core/network';
export { RNG } from './core/rng';
export { BrainweaveError, CompileError, SimulationError } from './core/errors';
export type { DType, Precision, StateArray } from './core/dtype';
export * from './core/structures';
export { pre2postEventSum, denseEventSum, syn2post, pre2syn } from './ops/event';
export type { MonitorSpec, MonitorData, SpikeMonitorData, ValueMonitorData } from './monitors/monitors';
export type { InputSpec, InputValue, InputOp } from './runner/inputs';
export * from './integrators';
export * from './plots';
export * from './analysis';
