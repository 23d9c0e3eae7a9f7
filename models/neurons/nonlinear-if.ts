import { NeuGroup, Variable, Params, odeint } from '../../src';

/**
 * The shared frame of one-variable nonlinear integrate-and-fire neurons (ExpIF, QuaIF):
 *   dV/dt from `derivative` (each subclass's own membrane term), integrated with `odeint`;
 *   outside the refractory period, V ≥ Vth → spike, V = Vreset.
 */
export abstract class NonlinearIF extends NeuGroup {
  Vrest = -65; Vreset = -68; Vth = -30; R = 1; tau = 10; tRef = 0; I = 0;
  /** Initial V (NaN: start at Vrest). */
  V0 = NaN;
  V = new Variable(this.num, { init: () => (Number.isNaN(this.V0) ? this.Vrest : this.V0) });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  tLast = new Variable(this.num, { init: -1e7 });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  abstract derivative(V: number, t: number, I: number): number;
  integral = odeint(this.derivative);

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      this.spike[i] = 0;
      if (t - this.tLast[i] > this.tRef) {
        const V = this.integral(this.V[i], t, this.input[i] + this.I, dt);
        if (V >= this.Vth) { this.V[i] = this.Vreset; this.spike[i] = 1; this.tLast[i] = t; }
        else this.V[i] = V;
      }
      this.input[i] = 0;
    }
  }
}
