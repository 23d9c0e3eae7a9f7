import { NeuGroup, Variable, Params, odeint } from '../../src';

/**
 * The shared frame of two-variable adaptive integrate-and-fire neurons (AdEx, AdQuaIF):
 *   dV/dt, dw/dt from `derivative` (each subclass's own membrane term), integrated with `odeint`;
 *   V ≥ Vth outside the refractory period → spike, V = Vreset, w += b (w evolves throughout).
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
  tLast = new Variable(this.num, { init: -1e7 });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  abstract derivative(V: number, w: number, t: number, I: number): number[];
  integral = odeint(this.derivative);

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      this.spike[i] = 0;
      const [V, w] = this.integral(this.V[i], this.w[i], t, this.input[i] + this.I, dt);
      this.w[i] = w;
      if (t - this.tLast[i] > this.tRef) {
        if (V >= this.Vth) {
          this.V[i] = this.Vreset; this.w[i] += this.b; this.spike[i] = 1; this.tLast[i] = t;
        } else this.V[i] = V;
      }
      this.input[i] = 0;
    }
  }
}
