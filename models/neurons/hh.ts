import { Variable, Params, odeint } from '../../src';
import { GatedNeuron } from './gated-neuron';

/**
 * Hodgkin–Huxley squid giant axon (Hodgkin & Huxley 1952, J Physiol 117:500), modern sign convention
 * (rest ≈ -65 mV), 6.3 °C:
 *   C dV/dt = -gNa m³h (V - ENa) - gK n⁴ (V - EK) - gL (V - EL) + input + I
 *   dx/dt = αx(V)(1 - x) - βx(V) x,   x ∈ {m, h, n}
 *   αm = 0.1 (V+40) / (1 - exp(-(V+40)/10))   βm = 4 exp(-(V+65)/18)
 *   αh = 0.07 exp(-(V+65)/20)                 βh = 1 / (1 + exp(-(V+35)/10))
 *   αn = 0.01 (V+55) / (1 - exp(-(V+55)/10))  βn = 0.125 exp(-(V+65)/80)
 * gNa = 120, gK = 36, gL = 0.3 mS/cm², ENa = 50, EK = -77, EL = -54.387 mV, C = 1 µF/cm²; currents in µA/cm².
 * (BrainPy's HH default gL = 0.03 deviates from the 1952 value 0.3, which is what makes EL = -54.387 give a
 * -65 mV rest.) A spike is an upward crossing of Vth. Classical RK4 (`odeint`, method 'rk4'); use dt ≤ 0.05 ms.
 * Type II excitability: repetitive firing starts abruptly near 6.3 µA/cm² at ≈ 50 Hz.
 * For the Traub–Miles cortical variant of the COBAHH benchmark see TraubHH.
 */
export class HH extends GatedNeuron {
  C = 1; gNa = 120; gK = 36; gL = 0.3; ENa = 50; EK = -77; EL = -54.387; Vth = 0; I = 0;
  V0 = -65;
  V = new Variable(this.num, { init: () => this.V0 });
  m = new Variable(this.num, { init: () => this.gateInf(this.alphaM(this.V0), this.betaM(this.V0)) });
  h = new Variable(this.num, { init: () => this.gateInf(this.alphaH(this.V0), this.betaH(this.V0)) });
  n = new Variable(this.num, { init: () => this.gateInf(this.alphaN(this.V0), this.betaN(this.V0)) });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  alphaM(V: number): number { return 0.1 * this.vtrap(-(V + 40), 10); }
  betaM(V: number): number { return 4 * Math.exp(-(V + 65) / 18); }
  alphaH(V: number): number { return 0.07 * Math.exp(-(V + 65) / 20); }
  betaH(V: number): number { return 1 / (1 + Math.exp(-(V + 35) / 10)); }
  alphaN(V: number): number { return 0.01 * this.vtrap(-(V + 55), 10); }
  betaN(V: number): number { return 0.125 * Math.exp(-(V + 65) / 80); }

  derivative(V: number, m: number, h: number, n: number, t: number, I: number): number[] {
    const INa = this.gNa * m * m * m * h * (V - this.ENa);
    const IK = this.gK * n * n * n * n * (V - this.EK);
    const IL = this.gL * (V - this.EL);
    const dV = (-INa - IK - IL + I) / this.C;
    const dm = this.alphaM(V) * (1 - m) - this.betaM(V) * m;
    const dh = this.alphaH(V) * (1 - h) - this.betaH(V) * h;
    const dn = this.alphaN(V) * (1 - n) - this.betaN(V) * n;
    return [dV, dm, dh, dn];
  }

  /** One RK4 step: (V, m, h, n, t, I, dt) → [V, m, h, n]. */
  integral = odeint(this.derivative, { method: 'rk4' });

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      const [V, m, h, n] = this.integral(this.V[i], this.m[i], this.h[i], this.n[i], t, this.input[i] + this.I, dt);
      this.spike[i] = 0;
      if (this.V[i] < this.Vth && V >= this.Vth) this.spike[i] = 1;
      this.V[i] = V; this.m[i] = m; this.h[i] = h; this.n[i] = n;
      this.input[i] = 0;
    }
  }
}
