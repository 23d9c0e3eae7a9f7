import { NeuGroup, Variable, Params } from '../../src';

/**
 * Leaky integrate-and-fire neuron with an absolute refractory period (forward Euler):
 *   tau dV/dt = El - V + input + I,   V >= Vth → V = Vr, no integration for tRef ms.
 * `input` collects synaptic drive for one step and is cleared after use; `I` is a constant bias.
 */
export class LIF extends NeuGroup {
  tau = 20; Vth = -50; Vr = -60; El = -60; tRef = 5; I = 0;
  /** Initial V: constant `V0`, or N(V0, V0sd) when V0sd > 0. */
  V0 = -60; V0sd = 0;
  V = new Variable(this.num, { init: () => (this.V0sd > 0 ? this.rng.normal(this.V0, this.V0sd) : this.V0) });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  tLast = new Variable(this.num, { init: -1e7 });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      this.spike[i] = 0;
      if (t - this.tLast[i] > this.tRef) {
        const V = this.V[i] + (this.El - this.V[i] + this.input[i] + this.I) / this.tau * dt;
        if (V >= this.Vth) { this.V[i] = this.Vr; this.spike[i] = 1; this.tLast[i] = t; }
        else this.V[i] = V;
      }
      this.input[i] = 0;
    }
  }
}
