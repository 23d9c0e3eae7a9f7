/**
 * Network builders shared by the examples, the tests and the benchmarks.
 * COBA: Vogels & Abbott 2005 as in Brette et al. 2007 benchmark 1 and the BrainPy tutorial.
 * CUBA: Brette et al. 2007 benchmark 2.
 */
import { Network, Variable, Precision } from '../src';
import { FixedProb } from '../connectors';
import { LIF } from '../models/neurons/lif';
import { ExpCOBA, ExpCUBA } from '../models/synapses/exponential';

/** `arena`: NetworkOptions.arena (default true). */
export interface NetOptions { nExc?: number; nInh?: number; p?: number; precision?: Precision; seed?: number; arena?: boolean }

/** COBA: τ = 20 ms, Vth = −50, Vreset = Vrest = −60 mV, τref = 5 ms, I = 20 mV, V0 ~ N(−55, 5) mV (as Brian2's script). */
export function cobaNetwork(o: NetOptions = {}): Network {
  const nE = o.nExc ?? 3200, nI = o.nInh ?? 800, p = o.p ?? 0.02;
  const neuron = { tau: 20, Vth: -50, Vreset: -60, Vrest: -60, tRef: 5, I: 20, V0: -55, V0sd: 5 };
  const E = new LIF(nE, neuron), I = new LIF(nI, neuron);
  const conn = new FixedProb(p);
  const exc = { weight: 0.6, tau: 5, E: 0 }, inh = { weight: 6.7, tau: 10, E: -80 };
  return new Network({
    E, I,
    EE: new ExpCOBA(E, E, conn, exc), EI: new ExpCOBA(E, I, conn, exc),
    IE: new ExpCOBA(I, E, conn, inh), II: new ExpCOBA(I, I, conn, inh),
  }, { precision: o.precision, seed: o.seed, arena: o.arena });
}

/** LIF whose initial V is uniform in [Vreset, Vth), as in Brette et al. 2007's CUBA script. */
class UniformStartLIF extends LIF {
  override V = new Variable(this.num, { init: () => this.rng.uniform(this.Vreset, this.Vth) });
}

/** CUBA: Vrest = −49 mV, we = 60·0.27/10 mV, wi = −20·4.5/10 mV, τe = 5 ms, τi = 10 ms. */
export function cubaNetwork(o: NetOptions = {}): Network {
  const nE = o.nExc ?? 3200, nI = o.nInh ?? 800, p = o.p ?? 0.02;
  const neuron = { tau: 20, Vth: -50, Vreset: -60, Vrest: -49, tRef: 5, I: 0 };
  const E = new UniformStartLIF(nE, neuron), I = new UniformStartLIF(nI, neuron);
  const conn = new FixedProb(p);
  const exc = { weight: (60 * 0.27) / 10, tau: 5 }, inh = { weight: (-20 * 4.5) / 10, tau: 10 };
  return new Network({
    E, I,
    EE: new ExpCUBA(E, E, conn, exc), EI: new ExpCUBA(E, I, conn, exc),
    IE: new ExpCUBA(I, E, conn, inh), II: new ExpCUBA(I, I, conn, inh),
  }, { precision: o.precision, seed: o.seed, arena: o.arena });
}
