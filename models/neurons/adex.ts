import { AdaptiveIF } from './adaptive-if';

/**
 * Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005, J Neurophysiol 94:3637):
 *   tau   dV/dt = -(V - Vrest) + deltaT exp((V - VT) / deltaT) - R w + R (input + I)
 *   tauW  dw/dt = a (V - Vrest) - w
 *   V >= Vth → spike, V = Vreset, w += b; V is held for tRef ms (w keeps evolving).
 * Forward Euler (`odeint`); units mV, ms. Defaults as in BrainPy's AdEx (a = 1, b = 1, tauW = 30).
 * Subthreshold adaptation `a` and spike-triggered adaptation `b` lengthen successive ISIs under a current step.
 */
export class AdEx extends AdaptiveIF {
  VT = -59.9; deltaT = 3.48;

  override derivative(V: number, w: number, t: number, I: number): number[] {
    const dV = (-(V - this.Vrest) + this.deltaT * Math.exp((V - this.VT) / this.deltaT) - this.R * w + this.R * I) / this.tau;
    const dw = (this.a * (V - this.Vrest) - w) / this.tauW;
    return [dV, dw];
  }
}
