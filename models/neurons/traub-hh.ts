import { Variable, Params } from '../../src';
import { GatedNeuron } from './gated-neuron';

/**
 * Hodgkin–Huxley-type cortical neuron of Traub & Miles (1991), as used in the COBAHH benchmark
 * (Brette et al. 2007, J Comput Neurosci 23:349, benchmark 3; Brian2/BrainPy "COBAHH" examples).
 * A single compartment of area 20000 µm²; V in mV, t in ms, conductances in nS, currents in pA, C in pF:
 *   C dV/dt = gL (EL - V) - gNa m³h (V - ENa) - gK n⁴ (V - EK) + input + I
 *   αm = 0.32 (13 - V + VT) / (exp((13 - V + VT)/4) - 1)   βm = 0.28 (V - VT - 40) / (exp((V - VT - 40)/5) - 1)
 *   αh = 0.128 exp((17 - V + VT)/18)                       βh = 4 / (1 + exp((40 - V + VT)/5))
 *   αn = 0.032 (15 - V + VT) / (exp((15 - V + VT)/5) - 1)  βn = 0.5 exp((10 - V + VT)/40)
 * C = 1 µF/cm² → 200 pF, gL = 0.05 mS/cm² → 10 nS, gNa = 100 mS/cm² → 20 µS, gK = 30 mS/cm² → 6 µS,
 * EL = -60, ENa = 50, EK = -90, VT = -63 mV. A spike is an upward crossing of Vth = -20 mV.
 * Exponential Euler: each gate x relaxes exactly towards x∞ with rate αx + βx, and V exactly towards its
 * conductance-weighted reversal, with the gates and the synaptic terms frozen over the step; stable at the
 * benchmark's dt = 0.1 ms. Synaptic input can arrive in two forms, and the forms differ at O(dt):
 * - `input` (pA, the usual `ExpCOBA` output g (E − V) with V from the step's start): frozen as a current,
 *   V relaxes with rate (gL + gNa m³h + gK n⁴)/C. This is BrainPy's form.
 * - `gsyn` (nS) and `gsynE` (nS·mV, Σ g·E): conductances in the exponent, V relaxes with rate
 *   (gL + gNa m³h + gK n⁴ + gsyn)/C towards a reversal that includes Σ g·E. This is what Brian2's
 *   `exponential_euler` does with the COBAHH equations (ge, gi in the linear coefficient of v); see
 *   examples/cobahh.ts (`--form brian2`). Both are summed per step and cleared after use, as `input` is.
 * Initial V: N(V0, V0sd) (the benchmark draws EL - 5 + 5·N(0,1)); gates start at their steady state at V0.
 */
export class TraubHH extends GatedNeuron {
  /** Former parameter names (before the zoo's one naming scheme), for a helpful error. */
  static readonly renamedParams = { Cm: 'C', gl: 'gL', El: 'EL' };
  C = 200; gL = 10; gNa = 20000; gK = 6000; EL = -60; ENa = 50; EK = -90; VT = -63; Vth = -20; I = 0;
  V0 = -65; V0sd = 5;
  V = new Variable(this.num, { init: () => (this.V0sd > 0 ? this.rng.normal(this.V0, this.V0sd) : this.V0) });
  m = new Variable(this.num, { init: () => this.gateInf(this.alphaM(this.V0), this.betaM(this.V0)) });
  h = new Variable(this.num, { init: () => this.gateInf(this.alphaH(this.V0), this.betaH(this.V0)) });
  n = new Variable(this.num, { init: () => this.gateInf(this.alphaN(this.V0), this.betaN(this.V0)) });
  input = new Variable(this.num);
  /** Synaptic conductance (nS) and Σ g·E (nS·mV) for this step, entering the exponent (Brian2's form). */
  gsyn = new Variable(this.num);
  gsynE = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  alphaM(V: number): number { return 0.32 * this.vtrap(13 - V + this.VT, 4); }
  betaM(V: number): number { return 0.28 * this.vtrap(V - this.VT - 40, 5); }
  alphaH(V: number): number { return 0.128 * Math.exp((17 - V + this.VT) / 18); }
  betaH(V: number): number { return 4 / (1 + Math.exp((40 - V + this.VT) / 5)); }
  alphaN(V: number): number { return 0.032 * this.vtrap(15 - V + this.VT, 5); }
  betaN(V: number): number { return 0.5 * Math.exp((10 - V + this.VT) / 40); }

  /** Exact solution over dt of dx/dt = α(1 - x) - βx with α, β frozen. */
  gate(x: number, alpha: number, beta: number, dt: number): number {
    const xInf = alpha / (alpha + beta);
    return xInf + (x - xInf) * Math.exp(-(alpha + beta) * dt);
  }

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      const V = this.V[i];
      const gNa = this.gNa * this.m[i] * this.m[i] * this.m[i] * this.h[i];
      const n2 = this.n[i] * this.n[i];
      const gK = this.gK * n2 * n2;
      const G = this.gL + gNa + gK + this.gsyn[i];
      const Vinf = (this.gL * this.EL + gNa * this.ENa + gK * this.EK + this.gsynE[i] + this.input[i] + this.I) / G;
      const Vnew = Vinf + (V - Vinf) * Math.exp(-G / this.C * dt);
      this.m[i] = this.gate(this.m[i], this.alphaM(V), this.betaM(V), dt);
      this.h[i] = this.gate(this.h[i], this.alphaH(V), this.betaH(V), dt);
      this.n[i] = this.gate(this.n[i], this.alphaN(V), this.betaN(V), dt);
      this.spike[i] = 0;
      if (V < this.Vth && Vnew >= this.Vth) this.spike[i] = 1;
      this.V[i] = Vnew;
      this.input[i] = 0; this.gsyn[i] = 0; this.gsynE[i] = 0;
    }
  }
}
