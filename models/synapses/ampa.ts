import { TwoEndConn, Variable, pre2postSum } from '../../src';

/**
 * AMPA receptor synapse, kinetic model of Destexhe, Mainen & Sejnowski (1994, Neural Computation 6:14):
 *   dg/dt = α [T] (1 - g) - β g,   [T] = T0 for Tdur ms after a presynaptic spike, else 0,
 *   post.input += gMax · Σ_{i→j} g_i · (E - V_j).
 * The open fraction g depends only on the presynaptic spike train, so it is kept per presynaptic
 * neuron and summed onto its targets. With [T] frozen over a step the equation is linear, so it is
 * integrated exactly: g ← g∞ + (g - g∞) exp(-(α[T] + β) dt), g∞ = α[T] / (α[T] + β).
 * The transmitter pulse lasts round(Tdur / dt) whole steps from the spike step (counted, so it never
 * depends on how times round).
 * Defaults as in BrainPy: α = 0.98 /(mM·ms), β = 0.18 /ms, T0 = 0.5 mM, Tdur = 0.5 ms, E = 0 mV, gMax = 0.42.
 */
export class AMPA extends TwoEndConn {
  alpha = 0.98; beta = 0.18; T0 = 0.5; Tdur = 0.5; E = 0; gMax = 0.42;
  pre2post = this.conn.require('pre2post');
  /** Open fraction per presynaptic neuron. */
  g = new Variable(this.pre.num);
  /** Steps of transmitter release left per presynaptic neuron. */
  releaseSteps = new Variable(this.pre.num, { dtype: 'int32' });
  /** Summed open fraction onto each post neuron (Σ over incoming synapses). */
  gPost = new Variable(this.post.num);

  update(t: number, dt: number) {
    const pulse = Math.round(this.Tdur / dt);
    for (let i = 0; i < this.pre.num; i++) {
      if (this.pre.spike[i]) this.releaseSteps[i] = pulse;
      const T = this.releaseSteps[i] > 0 ? this.T0 : 0;
      if (this.releaseSteps[i] > 0) this.releaseSteps[i] -= 1;
      const rate = this.alpha * T + this.beta;
      const gInf = this.alpha * T / rate;
      this.g[i] = gInf + (this.g[i] - gInf) * Math.exp(-rate * dt);
    }
    for (let j = 0; j < this.post.num; j++) this.gPost[j] = 0;
    pre2postSum(this.gPost, this.pre2post, this.g, 1);
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.gMax * this.gPost[j] * (this.E - this.post.V[j]);
  }
}
