import { NonlinearIF } from './nonlinear-if';

/**
 * Quadratic integrate-and-fire neuron (Latham, Richmond, Nelson & Nirenberg 2000, J Neurophysiol 83:808;
 * Ermentrout & Kopell 1986):
 *   tau dV/dt = a0 (V - Vrest)(V - Vc) + R (input + I)
 *   V >= Vth → spike, V = Vreset, no integration for tRef ms.
 * Below the critical voltage Vc, V relaxes to Vrest; above it, V blows up (the spike).
 * Forward Euler (`odeint`); units mV, ms. Defaults as in BrainPy's QuaIF.
 */
export class QuaIF extends NonlinearIF {
  Vc = -50; a0 = 0.07;

  override derivative(V: number, t: number, I: number): number {
    return (this.a0 * (V - this.Vrest) * (V - this.Vc) + this.R * I) / this.tau;
  }
}
