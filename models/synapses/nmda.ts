import { TwoEndConn, Variable, pre2postSum } from '../../src';

/**
 * NMDA receptor synapse with the Jahr–Stevens magnesium block (Jahr & Stevens 1990, J Neurosci 10:3178;
 * kinetics as in BrainPy's NMDA, after Wang 2002):
 *   dg/dt = -g / tauDecay + a x (1 - g),   dx/dt = -x / tauRise,   x += 1 at each presynaptic spike,
 *   B(V) = 1 / (1 + exp(-alpha V) [Mg²⁺] / beta),
 *   post.input += gMax · Σ_{i→j} g_i · B(V_j) · (E - V_j).
 * State is kept per presynaptic neuron (it depends only on its spike train). x decays exactly; g is
 * integrated exactly with x frozen over the step (exponential Euler).
 * Defaults: tauDecay = 100, tauRise = 2 ms, a = 0.5 /ms, E = 0 mV, cMg = 1.2 mM, alpha = 0.062 /mV,
 * beta = 3.57 mM, gMax = 0.15.
 */
export class NMDA extends TwoEndConn {
  tauDecay = 100; tauRise = 2; a = 0.5; E = 0; cMg = 1.2; alpha = 0.062; beta = 3.57; gMax = 0.15;
  pre2post = this.conn.require('pre2post');
  g = new Variable(this.pre.num);
  x = new Variable(this.pre.num);
  gPost = new Variable(this.post.num);

  /** Fraction of channels not blocked by Mg²⁺ at membrane potential V (mV). */
  mgBlock(V: number): number {
    return 1 / (1 + Math.exp(-this.alpha * V) * this.cMg / this.beta);
  }

  update(t: number, dt: number) {
    const ex = Math.exp(-dt / this.tauRise);
    for (let i = 0; i < this.pre.num; i++) {
      const x = this.x[i];
      const rate = 1 / this.tauDecay + this.a * x;
      const gInf = this.a * x / rate;
      this.g[i] = gInf + (this.g[i] - gInf) * Math.exp(-rate * dt);
      this.x[i] = x * ex + (this.pre.spike[i] ? 1 : 0);
    }
    for (let j = 0; j < this.post.num; j++) this.gPost[j] = 0;
    pre2postSum(this.gPost, this.pre2post, this.g, 1);
    for (let j = 0; j < this.post.num; j++) {
      const V = this.post.V[j];
      this.post.input[j] += this.gMax * this.gPost[j] * this.mgBlock(V) * (this.E - V);
    }
  }
}
