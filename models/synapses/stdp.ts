import { Variable, pre2postEventSum } from '../../src';
import { PlasticConn } from './plastic-conn';

/**
 * Pair-based spike-timing-dependent plasticity with traces (Song, Miller & Abbott 2000, Nat Neurosci 3:919),
 * per-synapse weights, exponential conductance output:
 *   pre trace  dx_i/dt = -x_i / tauPlus,   x_i += 1 at a pre spike
 *   post trace dy_j/dt = -y_j / tauMinus,  y_j += 1 at a post spike
 *   pre spike of i:  w_s ← clip(w_s - Aminus · y_j, 0, wMax), then g_j += w_s   (depression)
 *   post spike of j: w_s ← clip(w_s + Aplus · x_i, 0, wMax)                     (potentiation)
 *   dg/dt = -g / tau,   post.input += g (E - V)
 * so one pair with Δt = t_post - t_pre gives Δw = Aplus e^{-Δt/tauPlus} (Δt > 0) or
 * -Aminus e^{Δt/tauMinus} (Δt < 0). Within a step, traces decay first, then pre spikes, then post spikes
 * are processed. Song et al. use tauPlus = tauMinus = 20 ms, Aplus = 0.005 wMax, Aminus = 1.05 Aplus.
 * `weight`: the initial weight, a number or an array of nSyn values (canonical synapse order).
 */
export class PairSTDP extends PlasticConn {
  tauPlus = 20; tauMinus = 20; Aplus = 0.005; Aminus = 0.00525;
  preTrace = new Variable(this.pre.num);
  postTrace = new Variable(this.post.num);

  update(t: number, dt: number) {
    const ePre = Math.exp(-dt / this.tauPlus), ePost = Math.exp(-dt / this.tauMinus), eg = Math.exp(-dt / this.tau);
    for (let i = 0; i < this.pre.num; i++) this.preTrace[i] *= ePre;
    for (let j = 0; j < this.post.num; j++) { this.postTrace[j] *= ePost; this.g[j] *= eg; }
    // presynaptic spikes: depression by the post trace, then transmission with the updated weight
    for (let i = 0; i < this.pre.num; i++) {
      if (this.pre.spike[i]) {
        this.preTrace[i] += 1;
        for (let k = this.pre2post.indptr[i]; k < this.pre2post.indptr[i + 1]; k++) {
          const j = this.pre2post.indices[k];
          this.w[k] = Math.max(this.w[k] - this.Aminus * this.postTrace[j], 0);
        }
      }
    }
    pre2postEventSum(this.g, this.pre2post, this.pre.spike, this.w);
    // postsynaptic spikes: potentiation by the pre trace
    for (let j = 0; j < this.post.num; j++) {
      if (this.post.spike[j]) {
        this.postTrace[j] += 1;
        for (let k = this.post2syn.indptr[j]; k < this.post2syn.indptr[j + 1]; k++) {
          const s = this.post2syn.indices[k];
          this.w[s] = Math.min(this.w[s] + this.Aplus * this.preTrace[this.preIds[s]], this.wMax);
        }
      }
    }
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.g[j] * (this.E - this.post.V[j]);
  }
}
