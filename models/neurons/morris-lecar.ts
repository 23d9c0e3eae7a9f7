import { NeuGroup, Variable, Params, odeint } from '../../src';

/**
 * Morris–Lecar model (Morris & Lecar 1981, Biophys J 35:193; parameters of Rinzel & Ermentrout 1998, as in BrainPy):
 *   C dV/dt = -gCa M∞(V)(V - ECa) - gK W (V - EK) - gL (V - EL) + input + I
 *   dW/dt = φ (W∞(V) - W) / τW(V)
 *   M∞ = (1 + tanh((V - V1)/V2)) / 2,  W∞ = (1 + tanh((V - V3)/V4)) / 2,  τW = 1 / cosh((V - V3)/(2 V4))
 * Units mV, ms, µA/cm², µF/cm². A spike is an upward crossing of Vth. Classical RK4 (`odeint`).
 */
export class MorrisLecar extends NeuGroup {
  /** Former parameter names (before the zoo's one naming scheme), for a helpful error. */
  static readonly renamedParams = { VCa: 'ECa', VK: 'EK', VL: 'EL' };
  ECa = 130; gCa = 4.4; EK = -84; gK = 8; EL = -60; gL = 2; C = 20;
  V1 = -1.2; V2 = 18; V3 = 2; V4 = 30; phi = 0.04; Vth = 10; I = 0;
  V0 = -60;
  V = new Variable(this.num, { init: () => this.V0 });
  W = new Variable(this.num, { init: () => 0.5 * (1 + Math.tanh((this.V0 - this.V3) / this.V4)) });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  derivative(V: number, W: number, t: number, I: number): number[] {
    const Minf = 0.5 * (1 + Math.tanh((V - this.V1) / this.V2));
    const Winf = 0.5 * (1 + Math.tanh((V - this.V3) / this.V4));
    const tauW = 1 / Math.cosh((V - this.V3) / (2 * this.V4));
    const dV = (-this.gCa * Minf * (V - this.ECa) - this.gK * W * (V - this.EK) - this.gL * (V - this.EL) + I) / this.C;
    const dW = this.phi * (Winf - W) / tauW;
    return [dV, dW];
  }

  /** One classical Runge–Kutta step (`odeint`, method 'rk4'). */
  integral = odeint(this.derivative, { method: 'rk4' });

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      const [V, W] = this.integral(this.V[i], this.W[i], t, this.input[i] + this.I, dt);
      this.spike[i] = 0;
      if (this.V[i] < this.Vth && V >= this.Vth) this.spike[i] = 1;
      this.V[i] = V; this.W[i] = W;
      this.input[i] = 0;
    }
  }
}
