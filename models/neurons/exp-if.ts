import { NeuGroup, Variable, Params, odeint } from '../../src';

/**
 * Exponential integrate-and-fire neuron (Fourcaud-Trocmé, Hansel, van Vreeswijk & Brunel 2003, J Neurosci 23:11628):
 *   tau dV/dt = -(V - Vrest) + deltaT exp((V - VT) / deltaT) + R (input + I)
 *   V >= Vth → spike, V = Vreset, no integration for tRef ms.
 * VT is the soft threshold (where the exponential takes over), Vth the numerical cut-off of the upswing.
 * Forward Euler (`odeint`'s default method, as BrainPy's); units mV, ms, `input` in mV/R. Defaults as in BrainPy's ExpIF.
 */
export class ExpIF extends NeuGroup {
  Vrest = -65; Vreset = -68; Vth = -30; VT = -59.9; deltaT = 3.48; R = 1; tau = 10; tRef = 1.7; I = 0;
  /** Initial V (default Vrest when NaN). */
  V0 = NaN;
  V = new Variable(this.num, { init: () => (Number.isNaN(this.V0) ? this.Vrest : this.V0) });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  tLast = new Variable(this.num, { init: -1e7 });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  derivative(V: number, t: number, I: number): number {
    return (-(V - this.Vrest) + this.deltaT * Math.exp((V - this.VT) / this.deltaT) + this.R * I) / this.tau;
  }
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
