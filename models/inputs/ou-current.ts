import { TwoEndConn, pre2postSum } from '../../src';

/**
 * Current injection from a source group's `x` (e.g. an OUProcess) into a target's `input`:
 *   post.input[j] += gain · Σ_{i→j} pre.x[i].
 * With One2One connectivity each neuron gets its own noise path:
 *   new OUCurrent(noise, E, new One2One(), { gain: 1 })
 * Put it after the source in the network so it reads this step's value.
 */
export class OUCurrent extends TwoEndConn {
  gain = 1;
  pre2post = this.conn.require('pre2post');

  update(t: number, dt: number) {
    pre2postSum(this.post.input, this.pre2post, this.pre.x, this.gain);
  }
}
