import { NeuGroup, Variable, Params, odeint } from '../../src';

/**
 * Adaptive quadratic integrate-and-fire neuron (Izhikevich 2004 / Touboul 2008 family):
 *   tau  dV/dt = a0 (V - Vrest)(V - Vc) - R w + R (input + I)
 *   tauW dw/dt = a (V - Vrest) - w
 *   V >= Vth → spike, V = Vreset, w += b.
 * Forward Euler (`odeint`); units mV, ms. Defaults as in BrainPy's AdQuaIF.
 */
export class AdQuaIF extends NeuGroup {
  Vrest = -65; Vreset = -68; Vth = -30; Vc = -50; a0 = 0.07; R = 1; tau = 10; tauW = 10;
  a = 1; b = 0.1; tRef = 0; I = 0;
  V0 = NaN;
  V = new Variable(this.num, { init: () => (Number.isNaN(this.V0) ? this.Vrest : this.V0) });
  w = new Variable(this.num);
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  tLast = new Variable(this.num, { init: -1e7 });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  derivative(V: number, w: number, t: number, I: number): number[] {
    const dV = (this.a0 * (V - this.Vrest) * (V - this.Vc) - this.R * w + this.R * I) / this.tau;
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
