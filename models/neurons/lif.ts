import { NeuGroup, Variable, Params } from '../../src';
import { checkRefractoryPeriod } from './refractory';

/**
 * Leaky integrate-and-fire neuron with an absolute refractory period (forward Euler):
 *   tau dV/dt = Vrest - V + input + I,   V >= Vth → V = Vreset, V held for the refractory period.
 * `input` collects synaptic drive for one step and is cleared after use; `I` is a constant bias.
 * Refractoriness counts steps (Brian2's convention, see models/README.md): a spike in step s holds V in
 * steps s+1 … s+n−1 and V integrates again in step s+n, n = trunc(tRef/dt + 1e-3).
 */
export class LIF extends NeuGroup {
  /** Former parameter names (before the zoo's one naming scheme), for a helpful error. */
  static readonly renamedParams = { El: 'Vrest', Vr: 'Vreset' };
  tau = 20; Vth = -50; Vreset = -60; Vrest = -60; tRef = 5; I = 0;
  /** Initial V: constant `V0`, or N(V0, V0sd) when V0sd > 0. */
  V0 = -60; V0sd = 0;
  V = new Variable(this.num, { init: () => (this.V0sd > 0 ? this.rng.normal(this.V0, this.V0sd) : this.V0) });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  /** Steps until V integrates again; > 0 after a step in which the neuron spiked or was held. */
  refractory = new Variable(this.num, { dtype: 'int32' });
  /** Time of the last spike (ms), for reading only: refractoriness is decided by `refractory`. */
  tLast = new Variable(this.num, { init: -1e7 });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  override beforeRun(dt: number): void { checkRefractoryPeriod(this, 'tRef', dt); }

  update(t: number, dt: number) {
    const nRef = Math.trunc(this.tRef / dt + 1e-3); // an integer number of steps, as Brian2's timestep()
    for (let i = 0; i < this.num; i++) {
      this.spike[i] = 0;
      if (this.refractory[i] > 1) this.refractory[i] -= 1; // held this step
      else {
        this.refractory[i] = 0;
        const V = this.V[i] + (this.Vrest - this.V[i] + this.input[i] + this.I) / this.tau * dt;
        if (V >= this.Vth) { this.V[i] = this.Vreset; this.spike[i] = 1; this.refractory[i] = nRef; this.tLast[i] = t; }
        else this.V[i] = V;
      }
      this.input[i] = 0;
    }
  }
}
