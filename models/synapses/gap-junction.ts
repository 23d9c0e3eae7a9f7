import { TwoEndConn, gapJunctionSum } from '../../src';

/**
 * Electrical synapse (gap junction): each synapse i → j injects a current proportional to the voltage
 * difference,   post.input[j] += gc (pre.V[i] - post.V[j]).
 * A synapse acts on its post side only; for a symmetric coupling use a symmetric connectivity (e.g. a
 * group onto itself with All2All, or two projections A→B and B→A).
 */
export class GapJunction extends TwoEndConn {
  gc = 0.1;
  pre2post = this.conn.require('pre2post');

  update(t: number, dt: number) {
    gapJunctionSum(this.post.input, this.pre2post, this.pre.V, this.post.V, this.gc);
  }
}
