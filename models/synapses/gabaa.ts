import { AMPA } from './ampa';

/**
 * GABA_A receptor synapse, kinetic model of Destexhe, Mainen & Sejnowski (1994); the same scheme as AMPA
 * (see ampa.ts), only the constants differ:
 *   dg/dt = α [T] (1 - g) - β g,   [T] = T0 for Tdur ms after a presynaptic spike,
 *   post.input += gMax · Σ_{i→j} g_i · (E - V_j).
 * Defaults as in BrainPy: α = 0.53, β = 0.18, T0 = 1 mM, Tdur = 1 ms, E = -80 mV, gMax = 0.04.
 */
export class GABAa extends AMPA {
  override alpha = 0.53; override beta = 0.18; override T0 = 1; override Tdur = 1; override E = -80; override gMax = 0.04;
}
