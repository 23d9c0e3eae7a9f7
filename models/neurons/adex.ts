import { NeuGroup, Variable, Params, odeint } from '../../src';

/**
 * Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005, J Neurophysiol 94:3637):
 *   tau   dV/dt = -(V - Vrest) + deltaT exp((V - VT) / deltaT) - R w + R (input + I)
 *   tauW  dw/dt = a (V - Vrest) - w
 *   V >= Vth → spike, V = Vreset, w += b; V is held for tRef ms (w keeps evolving).
 * Forward Euler (`odeint`); units mV, ms. Defaults as in BrainPy's AdEx (a = 1, b = 1, tauW = 30).
 * Subthreshold adaptation `a` and spike-triggered adaptation `b` lengthen successive ISIs under a current step.
 */
export class AdEx extends NeuGroup {
  Vrest = -65; Vreset = -68; Vth = -30; VT = -59.9; deltaT = 3.48; R = 1; tau = 10; tauW = 30;
  a = 1; b = 1; tRef = 0; I = 0;
  V0 = NaN;
  V = new Variable(this.num, { init: () => (Number.isNaN(this.V0) ? this.Vrest : this.V0) });
  w = new Variable(this.num);
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  tLast = new Variable(this.num, { init: -1e7 });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  derivative(V: number, w: number, t: number, I: number): number[] {
    const dV = (-(V - this.Vrest) + this.deltaT * Math.exp((V - this.VT) / this.deltaT) - this.R * w + this.R * I) / this.tau;
    const dw = (this.a * (V - this.Vrest) - w) / this.tauW;
    return [dV, dw];
  }
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
