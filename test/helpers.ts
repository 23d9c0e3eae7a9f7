/** Small models and utilities shared by the core tests. */
import { NeuGroup, TwoEndConn, Variable, SpikeMonitorData } from '../src';

/** Mean inter-spike interval of each neuron (NaN if fewer than 2 spikes). */
export function meanISI(m: SpikeMonitorData): Float64Array {
  const first = new Float64Array(m.num).fill(NaN), last = new Float64Array(m.num).fill(NaN), n = new Float64Array(m.num);
  for (let e = 0; e < m.count; e++) {
    const i = m.indices[e], t = m.times[e];
    if (Number.isNaN(first[i])) first[i] = t;
    last[i] = t; n[i]++;
  }
  return Float64Array.from(first, (f, i) => (n[i] >= 2 ? (last[i] - f) / (n[i] - 1) : NaN));
}

/** Exponential COBA synapse written against conn_mat with a dense loop: the reference for event delivery. */
export class DenseExpCOBA extends TwoEndConn {
  tau = 5; weight = 1; E = 0;
  g = new Variable(this.post.num);
  connMat = this.conn.require('conn_mat');
  update(t: number, dt: number) {
    for (let i = 0; i < this.pre.num; i++) {
      if (this.pre.spike[i]) {
        for (let j = 0; j < this.post.num; j++) if (this.connMat[i][j]) this.g[j] += this.weight;
      }
    }
    const decay = dt / this.tau;
    for (let j = 0; j < this.post.num; j++) {
      const g = this.g[j];
      this.post.input[j] += g * (this.E - this.post.V[j]);
      this.g[j] = g - g * decay;
    }
  }
}

/** Neuron `bad` grows by `factor` each step (overflowing float32 at step 1), the others stay put. */
export class Exploding extends NeuGroup {
  factor = 1e30; bad = 2;
  V = new Variable(this.num, { init: 1 });
  update() { for (let i = 0; i < this.num; i++) if (i === this.bad) this.V[i] = this.V[i] * this.factor; }
}
