import { Variable, Params, odeint } from '../../src';
import { GatedNeuron } from './gated-neuron';

/**
 * Wang–Buzsáki fast-spiking hippocampal interneuron (Wang & Buzsáki 1996, J Neurosci 16:6402):
 *   C dV/dt = -gNa m∞³ h (V - ENa) - gK n⁴ (V - EK) - gL (V - EL) + input + I,   m∞ = αm / (αm + βm)
 *   dh/dt = φ (αh (1 - h) - βh h),   dn/dt = φ (αn (1 - n) - βn n)
 *   αm = 0.1 (V+35) / (1 - exp(-(V+35)/10))    βm = 4 exp(-(V+60)/18)
 *   αh = 0.07 exp(-(V+58)/20)                  βh = 1 / (1 + exp(-(V+28)/10))
 *   αn = 0.01 (V+34) / (1 - exp(-(V+34)/10))   βn = 0.125 exp(-(V+44)/80)
 * gNa = 35, gK = 9, gL = 0.1 mS/cm², ENa = 55, EK = -90, EL = -65 mV, C = 1 µF/cm², φ = 5.
 * A spike is an upward crossing of Vth. Classical RK4 (`odeint`); use dt ≤ 0.05 ms.
 */
export class WangBuzsaki extends GatedNeuron {
  C = 1; gNa = 35; gK = 9; gL = 0.1; ENa = 55; EK = -90; EL = -65; phi = 5; Vth = -20; I = 0;
  V0 = -65;
  V = new Variable(this.num, { init: () => this.V0 });
  h = new Variable(this.num, { init: () => this.gateInf(this.alphaH(this.V0), this.betaH(this.V0)) });
  n = new Variable(this.num, { init: () => this.gateInf(this.alphaN(this.V0), this.betaN(this.V0)) });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  alphaM(V: number): number { return 0.1 * this.vtrap(-(V + 35), 10); }
  betaM(V: number): number { return 4 * Math.exp(-(V + 60) / 18); }
  alphaH(V: number): number { return 0.07 * Math.exp(-(V + 58) / 20); }
  betaH(V: number): number { return 1 / (1 + Math.exp(-(V + 28) / 10)); }
  alphaN(V: number): number { return 0.01 * this.vtrap(-(V + 34), 10); }
  betaN(V: number): number { return 0.125 * Math.exp(-(V + 44) / 80); }

  derivative(V: number, h: number, n: number, t: number, I: number): number[] {
    const am = this.alphaM(V);
    const m = am / (am + this.betaM(V));
    const INa = this.gNa * m * m * m * h * (V - this.ENa);
    const IK = this.gK * n * n * n * n * (V - this.EK);
    const IL = this.gL * (V - this.EL);
    const dV = (-INa - IK - IL + I) / this.C;
    const dh = this.phi * (this.alphaH(V) * (1 - h) - this.betaH(V) * h);
    const dn = this.phi * (this.alphaN(V) * (1 - n) - this.betaN(V) * n);
    return [dV, dh, dn];
  }

  /** One classical Runge–Kutta step (`odeint`, method 'rk4'). */
  integral = odeint(this.derivative, { method: 'rk4' });

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      const [V, h, n] = this.integral(this.V[i], this.h[i], this.n[i], t, this.input[i] + this.I, dt);
      this.spike[i] = 0;
      if (this.V[i] < this.Vth && V >= this.Vth) this.spike[i] = 1;
      this.V[i] = V; this.h[i] = h; this.n[i] = n;
      this.input[i] = 0;
    }
  }
}
