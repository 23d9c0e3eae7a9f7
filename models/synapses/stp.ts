import { TwoEndConn, Variable, pre2postSum } from '../../src';

/**
 * Short-term plasticity, Tsodyks–Markram model (Tsodyks & Markram 1997, PNAS 94:719; with facilitation
 * Tsodyks, Pawelzik & Markram 1998, Neural Computation 10:821), with an exponential current output:
 *   du/dt = -u / tauF,   dx/dt = (1 - x) / tauD                         (per presynaptic neuron)
 *   at a spike: u ← u + U (1 - u);  efficacy = u x;  x ← x - u x;  I_j += w · efficacy (targets j)
 *   dI/dt = -I / tau,   post.input += I.
 * (All decays are integrated exactly.)
 * For a regular train with interval Δ the efficacy converges to u* x*, with
 *   u* = U / (1 - (1 - U) e^{-Δ/tauF}),   x* = (1 - e^{-Δ/tauD}) / (1 - (1 - u*) e^{-Δ/tauD}).
 * u and x decay exactly between spikes. Presets: `STP.STD` (depression), `STP.STF` (facilitation).
 */
export class STP extends TwoEndConn {
  /** Depression-dominated (BrainPy's STD example). */
  static readonly STD = { U: 0.45, tauD: 750, tauF: 50 };
  /** Facilitation-dominated (BrainPy's STF example). */
  static readonly STF = { U: 0.15, tauD: 200, tauF: 1500 };

  U = 0.15; tauD = 200; tauF = 1500; tau = 8; weight = 1;
  pre2post = this.conn.require('pre2post');
  u = new Variable(this.pre.num);
  x = new Variable(this.pre.num, { init: 1 });
  /** Efficacy u·x of the last spike of each presynaptic neuron (0 in steps without a spike). */
  efficacy = new Variable(this.pre.num);
  I = new Variable(this.post.num);

  update(t: number, dt: number) {
    const eu = Math.exp(-dt / this.tauF), ex = Math.exp(-dt / this.tauD);
    for (let i = 0; i < this.pre.num; i++) {
      let u = this.u[i] * eu;
      let x = 1 - (1 - this.x[i]) * ex;
      this.efficacy[i] = 0;
      if (this.pre.spike[i]) {
        u = u + this.U * (1 - u);
        this.efficacy[i] = u * x;
        x = x - u * x;
      }
      this.u[i] = u; this.x[i] = x;
    }
    const eI = Math.exp(-dt / this.tau);
    for (let j = 0; j < this.post.num; j++) this.I[j] *= eI;
    // efficacy is 0 for neurons that did not spike, so this delivers spikes only
    pre2postSum(this.I, this.pre2post, this.efficacy, this.weight);
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.I[j];
  }
}
