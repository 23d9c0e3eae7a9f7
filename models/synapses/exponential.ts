import { TwoEndConn, Variable, pre2postEventSum } from '../../src';

/**
 * Exponential synapse, one conductance per post neuron (spikes superpose, as in the seed's SynVec3):
 *   dg/dt = -g / tau,  g[j] += weight for each spike of a pre neuron projecting to j.
 * Delivery is event-driven over pre2post: work per step ∝ spikes × fan-out.
 *
 * Per step: add this step's spikes, output g to the post group, then decay g (forward Euler).
 * The post group sees the same sequence as decay → add → output (Brian2's order), because the
 * decay that used to open step s+1 now closes step s; doing it last lets output and decay share
 * one pass over the post neurons. A monitor of `g` therefore records the decayed value.
 */
abstract class ExpBase extends TwoEndConn {
  tau = 5; weight = 1;
  g = new Variable(this.post.num);
  pre2post = this.conn.require('pre2post');
}

/** Conductance-based output: post.input += g (E - V). */
export class ExpCOBA extends ExpBase {
  E = 0;
  update(t: number, dt: number) {
    pre2postEventSum(this.g, this.pre2post, this.pre.spike, this.weight);
    const decay = dt / this.tau;
    for (let j = 0; j < this.post.num; j++) {
      const g = this.g[j];
      this.post.input[j] += g * (this.E - this.post.V[j]);
      this.g[j] = g - g * decay;
    }
  }
}

/** Current-based output: post.input += g. */
export class ExpCUBA extends ExpBase {
  update(t: number, dt: number) {
    pre2postEventSum(this.g, this.pre2post, this.pre.spike, this.weight);
    const decay = dt / this.tau;
    for (let j = 0; j < this.post.num; j++) {
      const g = this.g[j];
      this.post.input[j] += g;
      this.g[j] = g - g * decay;
    }
  }
}
