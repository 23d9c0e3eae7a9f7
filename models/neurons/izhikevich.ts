import { NeuGroup, Variable, Params, odeint } from '../../src';
import { checkRefractoryPeriod } from './refractory';

/**
 * Izhikevich neuron (Izhikevich 2003, IEEE Trans Neural Networks 14:1569):
 *   dV/dt = 0.04 V² + 5 V + 140 - u + input + I
 *   du/dt = a (b V - u)
 *   V >= Vth (30 mV) → spike, V = c, u += d.
 * Forward Euler (`odeint`; use dt ≤ 0.1 ms; the paper's 1 ms code uses two 0.5 ms half steps for V).
 * Optional refractory period `tRef` (default 0), counted in steps as in models/README.md: V is held, u evolves.
 * Named parameter sets (Fig. 2 of the paper): `new Izhikevich(n, Izhikevich.CH)` or `{ ...Izhikevich.IB, I: 10 }`.
 */
export class Izhikevich extends NeuGroup {
  /** Regular spiking (excitatory cortical cells: tonic spiking with adaptation). */
  static readonly RS = { a: 0.02, b: 0.2, c: -65, d: 8 };
  /** Intrinsically bursting (an initial burst, then single spikes). */
  static readonly IB = { a: 0.02, b: 0.2, c: -55, d: 4 };
  /** Chattering (repetitive bursts). */
  static readonly CH = { a: 0.02, b: 0.2, c: -50, d: 2 };
  /** Fast spiking (inhibitory interneurons, no adaptation). */
  static readonly FS = { a: 0.1, b: 0.2, c: -65, d: 2 };
  /** Low-threshold spiking. */
  static readonly LTS = { a: 0.02, b: 0.25, c: -65, d: 2 };
  /** Thalamo-cortical. */
  static readonly TC = { a: 0.02, b: 0.25, c: -65, d: 0.05 };
  /** Resonator. */
  static readonly RZ = { a: 0.1, b: 0.26, c: -65, d: 2 };

  a = 0.02; b = 0.2; c = -65; d = 8; Vth = 30; tRef = 0; I = 0;
  V0 = -65;
  V = new Variable(this.num, { init: () => this.V0 });
  /** Recovery variable, starting at its V0 nullcline value b·V0 (as in the paper's code). */
  u = new Variable(this.num, { init: () => this.b * this.V0 });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  /** Steps until V integrates again; > 0 after a step in which the neuron spiked or was held. */
  refractory = new Variable(this.num, { dtype: 'int32' });
  /** Time of the last spike (ms), for reading only: refractoriness is decided by `refractory`. */
  tLast = new Variable(this.num, { init: -1e7 });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  override beforeRun(dt: number): void { checkRefractoryPeriod(this, 'tRef', dt); }

  derivative(V: number, u: number, t: number, I: number): number[] {
    const dV = 0.04 * V * V + 5 * V + 140 - u + I;
    const du = this.a * (this.b * V - u);
    return [dV, du];
  }
  integral = odeint(this.derivative);

  update(t: number, dt: number) {
    const nRef = Math.trunc(this.tRef / dt + 1e-3); // an integer number of steps, as Brian2's timestep()
    for (let i = 0; i < this.num; i++) {
      this.spike[i] = 0;
      const [V, u] = this.integral(this.V[i], this.u[i], t, this.input[i] + this.I, dt);
      if (this.refractory[i] > 1) { this.refractory[i] -= 1; this.u[i] = u; } // V held this step
      else {
        this.refractory[i] = 0;
        if (V >= this.Vth) {
          this.V[i] = this.c; this.u[i] = u + this.d; this.spike[i] = 1; this.refractory[i] = nRef; this.tLast[i] = t;
        } else { this.V[i] = V; this.u[i] = u; }
      }
      this.input[i] = 0;
    }
  }
}
