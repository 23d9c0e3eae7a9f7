import { NeuGroup, Variable, Params, odeint } from '../../src';

/**
 * Generalized integrate-and-fire neuron (Mihalas & Niebur 2009, Neural Computation 21:704), BrainPy's GIF:
 *   dI1/dt = -k1 I1,   dI2/dt = -k2 I2                          (spike-induced currents)
 *   tau dV/dt = -(V - Vrest) + R (I1 + I2 + input + I)
 *   dTheta/dt = a (V - Vrest) - b (Theta - thetaInf)            (adaptive threshold)
 *   V >= Theta → spike: I1 = R1 I1 + A1, I2 = R2 I2 + A2, V = Vreset, Theta = max(thetaReset, Theta).
 * Forward Euler (`odeint`); units mV, ms. Defaults (tonic spiking) as in BrainPy; the paper's Table 1 gives the
 * parameter sets for its 20 firing patterns (e.g. a = 0.005 for phasic spiking, A1/A2 for bursting).
 */
export class GIF extends NeuGroup {
  Vrest = -70; Vreset = -70; thetaInf = -50; thetaReset = -60; R = 20; tau = 20;
  a = 0; b = 0.01; k1 = 0.2; k2 = 0.02; R1 = 0; R2 = 1; A1 = 0; A2 = 0; I = 0;
  V0 = NaN;
  V = new Variable(this.num, { init: () => (Number.isNaN(this.V0) ? this.Vrest : this.V0) });
  theta = new Variable(this.num, { init: () => this.thetaInf });
  I1 = new Variable(this.num);
  I2 = new Variable(this.num);
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  derivative(I1: number, I2: number, V: number, theta: number, t: number, I: number): number[] {
    const dI1 = -this.k1 * I1;
    const dI2 = -this.k2 * I2;
    const dV = (-(V - this.Vrest) + this.R * (I1 + I2 + I)) / this.tau;
    const dTheta = this.a * (V - this.Vrest) - this.b * (theta - this.thetaInf);
    return [dI1, dI2, dV, dTheta];
  }
  integral = odeint(this.derivative);

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      const [I1, I2, V, theta] = this.integral(this.I1[i], this.I2[i], this.V[i], this.theta[i], t, this.input[i] + this.I, dt);
      this.spike[i] = 0;
      if (V >= theta) {
        this.spike[i] = 1;
        this.I1[i] = this.R1 * I1 + this.A1;
        this.I2[i] = this.R2 * I2 + this.A2;
        this.V[i] = this.Vreset;
        this.theta[i] = Math.max(this.thetaReset, theta);
      } else {
        this.I1[i] = I1; this.I2[i] = I2; this.V[i] = V; this.theta[i] = theta;
      }
      this.input[i] = 0;
    }
  }
}
