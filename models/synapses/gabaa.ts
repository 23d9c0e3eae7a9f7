import { TwoEndConn, Variable } from '../../src';

/**
 * GABA_A receptor synapse, kinetic model of Destexhe, Mainen & Sejnowski (1994); same scheme as AMPA:
 *   dg/dt = α [T] (1 - g) - β g,   [T] = T0 for Tdur ms after a presynaptic spike,
 *   post.input += gMax · Σ_{i→j} g_i · (E - V_j).
 * Integrated exactly with [T] frozen over a step. Defaults as in BrainPy: α = 0.53, β = 0.18, T0 = 1 mM,
 * Tdur = 1 ms, E = -80 mV, gMax = 0.04.
 */
export class GABAa extends TwoEndConn {
  alpha = 0.53; beta = 0.18; T0 = 1; Tdur = 1; E = -80; gMax = 0.04;
  pre2post = this.conn.require('pre2post');
  g = new Variable(this.pre.num);
  tSpike = new Variable(this.pre.num, { init: -1e7 });
  gPost = new Variable(this.post.num);

  update(t: number, dt: number) {
    for (let j = 0; j < this.post.num; j++) this.gPost[j] = 0;
    for (let i = 0; i < this.pre.num; i++) {
      if (this.pre.spike[i]) this.tSpike[i] = t;
      const T = t - this.tSpike[i] < this.Tdur ? this.T0 : 0;
      const rate = this.alpha * T + this.beta;
      const gInf = this.alpha * T / rate;
      this.g[i] = gInf + (this.g[i] - gInf) * Math.exp(-rate * dt);
      if (this.g[i] > 0) {
        for (let k = this.pre2post.indptr[i]; k < this.pre2post.indptr[i + 1]; k++) this.gPost[this.pre2post.indices[k]] += this.g[i];
      }
    }
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.gMax * this.gPost[j] * (this.E - this.post.V[j]);
  }
}
