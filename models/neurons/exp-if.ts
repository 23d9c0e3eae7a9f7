import { NonlinearIF } from './nonlinear-if';

/**
 * Exponential integrate-and-fire neuron (Fourcaud-Trocmé, Hansel, van Vreeswijk & Brunel 2003, J Neurosci 23:11628):
 *   tau dV/dt = -(V - Vrest) + deltaT exp((V - VT) / deltaT) + R (input + I)
 *   V >= Vth → spike, V = Vreset, no integration for tRef ms.
 * VT is the soft threshold (where the exponential takes over), Vth the numerical cut-off of the upswing.
 * Forward Euler (`odeint`'s default method, as BrainPy's); units mV, ms, `input` in mV/R. Defaults as in BrainPy's ExpIF.
 */
export class ExpIF extends NonlinearIF {
  VT = -59.9; deltaT = 3.48; override tRef = 1.7;

  override derivative(V: number, t: number, I: number): number {
    return (-(V - this.Vrest) + this.deltaT * Math.exp((V - this.VT) / this.deltaT) + this.R * I) / this.tau;
  }
}
