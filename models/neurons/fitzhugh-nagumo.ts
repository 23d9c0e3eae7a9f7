import { NeuGroup, Variable, Params, odeint } from '../../src';

/**
 * FitzHugh–Nagumo model (FitzHugh 1961, Biophys J 1:445; Nagumo, Arimoto & Yoshizawa 1962), dimensionless:
 *   dV/dt = V - V³/3 - w + input + I
 *   tau dw/dt = V + a - b w
 * a = 0.7, b = 0.8, tau = 12.5 (BrainPy defaults); oscillates for I ≈ 0.33–1.4.
 * A spike is an upward crossing of Vth. Classical RK4 (`odeint`). Starts at the I = 0 rest point (V ≈ -1.199, w ≈ -0.624).
 */
export class FitzHughNagumo extends NeuGroup {
  a = 0.7; b = 0.8; tau = 12.5; Vth = 1.0; I = 0;
  V0 = -1.199408; w0 = -0.624260;
  V = new Variable(this.num, { init: () => this.V0 });
  w = new Variable(this.num, { init: () => this.w0 });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  derivative(V: number, w: number, t: number, I: number): number[] {
    const dV = V - V * V * V / 3 - w + I;
    const dw = (V + this.a - this.b * w) / this.tau;
    return [dV, dw];
  }

  /** One classical Runge–Kutta step (`odeint`, method 'rk4'). */
  integral = odeint(this.derivative, { method: 'rk4' });

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      const [V, w] = this.integral(this.V[i], this.w[i], t, this.input[i] + this.I, dt);
      this.spike[i] = 0;
      if (this.V[i] < this.Vth && V >= this.Vth) this.spike[i] = 1;
      this.V[i] = V; this.w[i] = w;
      this.input[i] = 0;
    }
  }
}
