import { NeuGroup, Variable, Params, odeint } from '../../src';

/**
 * Quadratic integrate-and-fire neuron (Latham, Richmond, Nelson & Nirenberg 2000, J Neurophysiol 83:808;
 * Ermentrout & Kopell 1986):
 *   tau dV/dt = a0 (V - Vrest)(V - Vc) + R (input + I)
 *   V >= Vth → spike, V = Vreset, no integration for tRef ms.
 * Below the critical voltage Vc, V relaxes to Vrest; above it, V blows up (the spike).
 * Forward Euler (`odeint`); units mV, ms. Defaults as in BrainPy's QuaIF.
 */
export class QuaIF extends NeuGroup {
  Vrest = -65; Vreset = -68; Vth = -30; Vc = -50; a0 = 0.07; R = 1; tau = 10; tRef = 0; I = 0;
  V0 = NaN;
  V = new Variable(this.num, { init: () => (Number.isNaN(this.V0) ? this.Vrest : this.V0) });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  tLast = new Variable(this.num, { init: -1e7 });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  derivative(V: number, t: number, I: number): number {
    return (this.a0 * (V - this.Vrest) * (V - this.Vc) + this.R * I) / this.tau;
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
