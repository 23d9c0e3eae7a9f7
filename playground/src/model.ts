/**
 * The page's network: the COBA benchmark (Vogels & Abbott 2005, Brette et al. 2007 benchmark 1), built the way
 * any user would, from the published entry points. N neurons, 80 % excitatory, 20 % inhibitory.
 */
import { Network } from 'brainweave';
import { LIF, ExpCOBA } from 'brainweave/models';
import { FixedProb } from 'brainweave/connectors';

export interface CobaParams {
  /** neurons in all (E = 0.8 N, I = the rest) */
  n: number;
  /** constant input to every neuron, mV */
  I: number;
  /** excitatory and inhibitory conductance increments per spike */
  we: number;
  wi: number;
  seed: number;
  /** keep each neuron's fan-in at 80 (p = 80 / N) above N = 4000, so large networks have the dynamics of the small one */
  fixedFanIn: boolean;
}

export const DEFAULTS: CobaParams = { n: 4000, I: 20, we: 0.6, wi: 6.7, seed: 42, fixedFanIn: true };

export const P_BASE = 0.02;

export function connectionProb(p: CobaParams): number {
  return p.fixedFanIn && p.n > 4000 ? (P_BASE * 4000) / p.n : P_BASE;
}

export function splitSizes(n: number): { nE: number; nI: number } {
  const nE = Math.round(n * 0.8);
  return { nE, nI: n - nE };
}

export interface Coba {
  net: Network;
  E: LIF; I: LIF;
  EE: ExpCOBA; EI: ExpCOBA; IE: ExpCOBA; II: ExpCOBA;
}

/** Same neuron and synapse constants as examples/networks.ts; V0 ~ N(−55, 5) mV. */
export function buildCoba(p: CobaParams): Coba {
  const { nE, nI } = splitSizes(p.n);
  const neuron = { tau: 20, Vth: -50, Vreset: -60, Vrest: -60, tRef: 5, I: p.I, V0: -55, V0sd: 5 };
  const E = new LIF(nE, neuron), I = new LIF(nI, neuron);
  const conn = new FixedProb(connectionProb(p));
  const exc = { weight: p.we, tau: 5, E: 0 }, inh = { weight: p.wi, tau: 10, E: -80 };
  const EE = new ExpCOBA(E, E, conn, exc), EI = new ExpCOBA(E, I, conn, exc);
  const IE = new ExpCOBA(I, E, conn, inh), II = new ExpCOBA(I, I, conn, inh);
  const net = new Network({ E, I, EE, EI, IE, II }, { seed: p.seed });
  return { net, E, I, EE, EI, IE, II };
}

/**
 * Changes I and the weights of a built network. Parameters are constants of a run, so this is only called
 * between runs; the next run regenerates its code with the new values.
 */
export function applyLive(c: Coba, p: Pick<CobaParams, 'I' | 'we' | 'wi'>): void {
  c.E.I = p.I; c.I.I = p.I;
  c.EE.weight = p.we; c.EI.weight = p.we;
  c.IE.weight = p.wi; c.II.weight = p.wi;
}
