import { Variable, pre2postEventSum } from '../../src';
import { PlasticConn } from './plastic-conn';

/**
 * Triplet STDP (Pfister & Gerstner 2006, J Neurosci 26:9673), all-to-all interactions, per-synapse weights,
 * exponential conductance output:
 *   pre traces  r1 (tauPlus), r2 (tauX);  post traces o1 (tauMinus), o2 (tauY); each += 1 at its spike
 *   pre spike:  w ← w - o1 (A2minus + A3minus · r2),  then r1, r2 += 1
 *   post spike: w ← w + r1 (A2plus + A3plus · o2),    then o1, o2 += 1
 * (r2, o2 taken just before their own increment, the paper's t - ε), w clipped to [0, wMax].
 * Defaults: the paper's visual-cortex all-to-all fit (Table 4): tauPlus = 16.8, tauMinus = 33.7,
 * tauX = 101, tauY = 125 ms, A2+ = 5e-10, A3+ = 6.2e-3, A2- = 7e-3, A3- = 2.3e-4.
 * Within a step: traces decay, then pre spikes, then post spikes are processed.
 */
export class TripletSTDP extends PlasticConn {
  tauPlus = 16.8; tauMinus = 33.7; tauX = 101; tauY = 125;
  A2plus = 5e-10; A3plus = 6.2e-3; A2minus = 7e-3; A3minus = 2.3e-4;
  r1 = new Variable(this.pre.num);
  r2 = new Variable(this.pre.num);
  o1 = new Variable(this.post.num);
  o2 = new Variable(this.post.num);

  update(t: number, dt: number) {
    const e1 = Math.exp(-dt / this.tauPlus), e2 = Math.exp(-dt / this.tauX);
    const f1 = Math.exp(-dt / this.tauMinus), f2 = Math.exp(-dt / this.tauY);
    const eg = Math.exp(-dt / this.tau);
    for (let i = 0; i < this.pre.num; i++) { this.r1[i] *= e1; this.r2[i] *= e2; }
    for (let j = 0; j < this.post.num; j++) { this.o1[j] *= f1; this.o2[j] *= f2; this.g[j] *= eg; }
    for (let i = 0; i < this.pre.num; i++) {
      if (this.pre.spike[i]) {
        for (let k = this.pre2post.indptr[i]; k < this.pre2post.indptr[i + 1]; k++) {
          const j = this.pre2post.indices[k];
          this.w[k] = Math.max(this.w[k] - this.o1[j] * (this.A2minus + this.A3minus * this.r2[i]), 0);
        }
        this.r1[i] += 1; this.r2[i] += 1;
      }
    }
    pre2postEventSum(this.g, this.pre2post, this.pre.spike, this.w);
    for (let j = 0; j < this.post.num; j++) {
      if (this.post.spike[j]) {
        for (let k = this.post2syn.indptr[j]; k < this.post2syn.indptr[j + 1]; k++) {
          const s = this.post2syn.indices[k];
          this.w[s] = Math.min(this.w[s] + this.r1[this.preIds[s]] * (this.A2plus + this.A3plus * this.o2[j]), this.wMax);
        }
        this.o1[j] += 1; this.o2[j] += 1;
      }
    }
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.g[j] * (this.E - this.post.V[j]);
  }
}
