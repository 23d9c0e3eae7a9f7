import { NeuGroup, Variable, Params, odeint } from '../../src';
import { checkRefractoryPeriod } from './refractory';

/**
 * The shared frame of two-variable adaptive integrate-and-fire neurons (AdEx, AdQuaIF):
 *   dV/dt, dw/dt from `derivative` (each subclass's own membrane term), integrated with `odeint`;
 *   V ≥ Vth outside the refractory period → spike, V = Vreset, w += b (w evolves throughout).
 * Refractoriness counts steps (Brian2's convention, models/README.md): a spike in step s holds V in steps
 * s+1 … s+n−1, V integrates again in step s+n, n = trunc(tRef/dt + 1e-3).
 */
export abstract class AdaptiveIF extends NeuGroup {
  Vrest = -65; Vreset = -68; Vth = -30; R = 1; tau = 10; tauW = 30;
  a = 1; b = 1; tRef = 0; I = 0;
  /** Initial V (NaN: start at Vrest). */
  V0 = NaN;
  V = new Variable(this.num, { init: () => (Number.isNaN(this.V0) ? this.Vrest : this.V0) });
  w = new Variable(this.num);
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  /** Steps until V integrates again; > 0 after a step in which the neuron spiked or was held. */
  refractory = new Variable(this.num, { dtype: 'int32' });
  /** Time of the last spike (ms), for reading only: refractoriness is decided by `refractory`. */
  tLast = new Variable(this.num, { init: -1e7 });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  override beforeRun(dt: number): void { checkRefractoryPeriod(this, 'tRef', dt); }

  abstract derivative(V: number, w: number, t: number, I: number): number[];
  integral = odeint(this.derivative);

  update(t: number, dt: number) {
    const nRef = Math.trunc(this.tRef / dt + 1e-3); // an integer number of steps, as Brian2's timestep()
    for (let i = 0; i < this.num; i++) {
      this.spike[i] = 0;
      const [V, w] = this.integral(this.V[i], this.w[i], t, this.input[i] + this.I, dt);
      this.w[i] = w;
      if (this.refractory[i] > 1) this.refractory[i] -= 1; // V held this step
      else {
        this.refractory[i] = 0;
        if (V >= this.Vth) {
          this.V[i] = this.Vreset; this.w[i] += this.b; this.spike[i] = 1; this.refractory[i] = nRef; this.tLast[i] = t;
        } else this.V[i] = V;
      }
      this.input[i] = 0;
    }
  }
}
