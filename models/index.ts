/**
 * brainweave/models — the model zoo. Each model is one readable file; see the doc comment of each class
 * for its equations, defaults and reference.
 */
// neurons
export { LIF } from './neurons/lif';
export { NonlinearIF } from './neurons/nonlinear-if';
export { ExpIF } from './neurons/exp-if';
export { AdaptiveIF } from './neurons/adaptive-if';
export { AdEx } from './neurons/adex';
export { QuaIF } from './neurons/qua-if';
export { AdQuaIF } from './neurons/adqua-if';
export { GIF } from './neurons/gif';
export { Izhikevich } from './neurons/izhikevich';
export { GatedNeuron } from './neurons/gated-neuron';
export { HH } from './neurons/hh';
export { TraubHH } from './neurons/traub-hh';
export { MorrisLecar } from './neurons/morris-lecar';
export { WangBuzsaki } from './neurons/wang-buzsaki';
export { HindmarshRose } from './neurons/hindmarsh-rose';
export { FitzHughNagumo } from './neurons/fitzhugh-nagumo';
// synapses
export { ExpCOBA, ExpCUBA } from './synapses/exponential';
export { DelayedConn, perSynapseParams } from './synapses/delayed';
export { DeltaSynapse, DeltaCurrent } from './synapses/delta';
export { DualExpCOBA, DualExpCUBA } from './synapses/dual-exponential';
export { AlphaCOBA, AlphaCUBA } from './synapses/alpha';
export { AMPA } from './synapses/ampa';
export { GABAa } from './synapses/gabaa';
export { NMDA } from './synapses/nmda';
export { GapJunction } from './synapses/gap-junction';
export { STP } from './synapses/stp';
export { PlasticConn } from './synapses/plastic-conn';
export { PairSTDP } from './synapses/stdp';
export { TripletSTDP } from './synapses/triplet-stdp';
// inputs
export { sectionInput, constantInput, rampInput, sinusoidalInput, squareInput } from './inputs/currents';
export type { CurrentFn, CurrentValue } from './inputs/currents';
export { OUProcess } from './inputs/ou';
export { OUCurrent } from './inputs/ou-current';
export { PoissonGroup } from './inputs/poisson';
export { SpikeTimeGroup } from './inputs/spike-times';
