import { DelayedConn } from './delayed';

/**
 * Delta (voltage-jump) synapse: a presynaptic spike moves the post membrane potential by `weight` after
 * `delay` ms,   V_j ← V_j + Σ_s w_s δ(t - t_spike - d_s).
 * Weights and delays may be per synapse (arrays in canonical synapse order); see DelayedConn.
 */
export class DeltaSynapse extends DelayedConn {
  update(t: number, dt: number) {
    this.schedule(dt);
    for (let j = 0; j < this.post.num; j++) this.post.V[j] += this.take(j);
    this.advance();
  }
}

/**
 * Delta current pulse: a presynaptic spike adds `weight` to the post group's `input` for one step after
 * `delay` ms (Izhikevich 2003's network: I_j += S_ij for each neuron i that fired). Weights and delays may
 * be per synapse; see DelayedConn.
 */
export class DeltaCurrent extends DelayedConn {
  update(t: number, dt: number) {
    this.schedule(dt);
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.take(j);
    this.advance();
  }
}
