/** Every backend runs every conformance case and must match the reference under its tolerance policy. */
import { describeBackends } from './conformance/harness';
import { NEURON_CASES, SYNAPSE_CASES, RUNTIME_CASES } from './conformance/cases';

describeBackends('neurons', NEURON_CASES);
describeBackends('delivery ops, delays, plasticity', SYNAPSE_CASES);
describeBackends('inputs, monitors, random stream', RUNTIME_CASES);
