import { TwoEndConn, NeuGroup, Variable, Params } from '../../src';
import { perSynapseParams } from './delayed';

type ConnSpec = ConstructorParameters<typeof TwoEndConn>[2];

/**
 * The shared frame of plastic synapses (PairSTDP, TripletSTDP): one weight per synapse `w` (canonical
 * order; `weight` a number or an array of nSyn values), an exponential conductance `g` per post neuron
 * with time constant `tau` and reversal `E`, and the structures the learning rules use.
 */
export abstract class PlasticConn extends TwoEndConn {
  tau = 5; E = 0; weight = 0.5; wMax = 1;
  protected weightArray: ArrayLike<number> | null;
  pre2post = this.conn.require('pre2post');
  post2syn = this.conn.require('post2syn');
  preIds = this.conn.require('pre_ids');
  w = new Variable(() => this.conn.nSyn, { init: (s) => (this.weightArray ? this.weightArray[s] : this.weight) });
  g = new Variable(this.post.num);

  constructor(pre: NeuGroup, post: NeuGroup, conn: ConnSpec, params: Params = {}) {
    const { scalar, weights } = perSynapseParams(params);
    super(pre, post, conn, scalar);
    this.weightArray = weights;
  }
}
