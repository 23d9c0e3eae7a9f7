import { AdaptiveIF } from './adaptive-if';

/**
 * Adaptive quadratic integrate-and-fire neuron (Izhikevich 2004 / Touboul 2008 family):
 *   tau  dV/dt = a0 (V - Vrest)(V - Vc) - R w + R (input + I)
 *   tauW dw/dt = a (V - Vrest) - w
 *   V >= Vth → spike, V = Vreset, w += b.
 * Forward Euler (`odeint`); units mV, ms. Defaults as in BrainPy's AdQuaIF.
 */
export class AdQuaIF extends AdaptiveIF {
  Vc = -50; a0 = 0.07;
  override tauW = 10; override b = 0.1;

  override derivative(V: number, w: number, t: number, I: number): number[] {
    const dV = (this.a0 * (V - this.Vrest) * (V - this.Vc) - this.R * w + this.R * I) / this.tau;
    const dw = (this.a * (V - this.Vrest) - w) / this.tauW;
    return [dV, dw];
  }
}
