import { NeuGroup, Variable, Params, odeint } from '../../src';

/**
 * Hindmarsh–Rose model (Hindmarsh & Rose 1984, Proc R Soc Lond B 221:87), dimensionless:
 *   dV/dt = y - a V³ + b V² - z + input + I
 *   dy/dt = c - d V² - y
 *   dz/dt = r (s (V - Vrest) - z)
 * a = 1, b = 3, c = 1, d = 5, r = 0.01, s = 4, Vrest = -1.6 (x_R); with I ≈ 2–3.2 it bursts.
 * A spike is an upward crossing of Vth = 1. Classical RK4 (`odeint`) (time unit as in the paper; dt ≈ 0.01–0.05).
 */
export class HindmarshRose extends NeuGroup {
  a = 1; b = 3; c = 1; d = 5; r = 0.01; s = 4; Vrest = -1.6; Vth = 1; I = 0;
  V0 = -1.6; y0 = -10; z0 = 0;
  V = new Variable(this.num, { init: () => this.V0 });
  y = new Variable(this.num, { init: () => this.y0 });
  z = new Variable(this.num, { init: () => this.z0 });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  derivative(V: number, y: number, z: number, t: number, I: number): number[] {
    const dV = y - this.a * V * V * V + this.b * V * V - z + I;
    const dy = this.c - this.d * V * V - y;
    const dz = this.r * (this.s * (V - this.Vrest) - z);
    return [dV, dy, dz];
  }

  /** One classical Runge–Kutta step (`odeint`, method 'rk4'). */
  integral = odeint(this.derivative, { method: 'rk4' });

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      const [V, y, z] = this.integral(this.V[i], this.y[i], this.z[i], t, this.input[i] + this.I, dt);
      this.spike[i] = 0;
      if (this.V[i] < this.Vth && V >= this.Vth) this.spike[i] = 1;
      this.V[i] = V; this.y[i] = y; this.z[i] = z;
      this.input[i] = 0;
    }
  }
}
