import { RNG } from '../src/core/rng';
import type { Allocator } from '../src/core/arena';
import { Connector, CSRData, checkBool, checkOptions } from './base';

export interface All2AllOptions {
  /** Keep i→i edges when preNum === postNum (default true, as in BrainPy). No effect when sizes differ. */
  includeSelf?: boolean;
}

/** Every pre connects to every post (nSyn = pre·post, or pre·(post−1) without self edges). */
export class All2All extends Connector {
  readonly name: string;
  readonly includeSelf: boolean;
  constructor(opts: All2AllOptions = {}) {
    super();
    checkOptions('All2All', opts, ['includeSelf']);
    this.includeSelf = checkBool('All2All', 'includeSelf', opts.includeSelf ?? true);
    this.name = this.includeSelf ? 'All2All' : 'All2All(includeSelf=false)';
  }
  protected connect(preNum: number, postNum: number, _rng: RNG, _ps: number[], _qs: number[], alloc: Allocator): CSRData {
    const noSelf = !this.includeSelf && preNum === postNum;
    const per = noSelf ? postNum - 1 : postNum;
    const total = preNum * Math.max(0, per);
    if (total > 2 ** 31 - 1) this.fail(`${preNum}×${postNum} = ${total} synapses exceed the Int32 index range`);
    const indptr = alloc.array(Int32Array, preNum + 1), indices = alloc.array(Int32Array, total);
    let n = 0;
    for (let i = 0; i < preNum; i++) {
      for (let j = 0; j < postNum; j++) if (!(noSelf && j === i)) indices[n++] = j;
      indptr[i + 1] = n;
    }
    return { indptr, indices };
  }
}
