import { RNG } from '../src/core/rng';
import type { Allocator } from '../src/core/arena';
import { Connector, CSRData, IntBuffer, checkProb, checkBool, checkOptions, fmt } from './base';

export interface FixedProbOptions {
  /**
   * Allow i→i edges when `preNum === postNum` (default true). The connector cannot know whether pre and
   * post are the same group, so, as in BrainPy, `includeSelf: false` means "no i→i edge whenever the two
   * sizes are equal"; it has no effect when they differ.
   */
  includeSelf?: boolean;
  /**
   * Default false: each (i, j) pair is connected independently with probability p (at most one synapse
   * per pair; the number of targets of each pre is Binomial(M, p), M = candidate posts).
   * true: each pre i first draws its number of synapses k_i ~ Binomial(M, p) (same distribution as the
   * default), then draws its k_i targets uniformly *with replacement* from its M candidates, so one pair
   * may carry several (parallel) synapses. Rows stay sorted ascending; duplicates are adjacent.
   * (BrainPy's `allow_multi_conn` gives every pre exactly floor(post·p) targets with replacement; here the
   * count stays binomial so both modes have the same expected number of synapses per pre.)
   * Note `conn_mat` marks presence only, so it cannot show multiplicity.
   */
  allowMultiple?: boolean;
}

/**
 * Every pre→post pair is connected independently with probability `p`.
 *
 * Built by geometric skipping: in each row the gap to the next target is floor(log U / log(1-p)), so the
 * cost is O(pre + nSyn) random draws and the output is written straight into a growable Int32Array
 * (rows come out sorted; no per-synapse objects). 100 000 × 100 000 at p = 0.001 ≈ 10M synapses.
 */
export class FixedProb extends Connector {
  readonly name: string;
  readonly p: number;
  readonly includeSelf: boolean;
  readonly allowMultiple: boolean;

  constructor(p: number, opts: FixedProbOptions = {}) {
    super();
    checkOptions('FixedProb', opts, ['includeSelf', 'allowMultiple']);
    this.p = checkProb('FixedProb', 'p', p);
    this.includeSelf = checkBool('FixedProb', 'includeSelf', opts.includeSelf ?? true);
    this.allowMultiple = checkBool('FixedProb', 'allowMultiple', opts.allowMultiple ?? false);
    const extra = [!this.includeSelf ? 'includeSelf=false' : '', this.allowMultiple ? 'allowMultiple=true' : ''].filter(Boolean);
    this.name = `FixedProb(p=${fmt(p)}${extra.length ? ', ' + extra.join(', ') : ''})`;
  }

  protected connect(preNum: number, postNum: number, rng: RNG, _ps: number[], _qs: number[], alloc: Allocator): CSRData {
    const p = this.p;
    const noSelf = !this.includeSelf && preNum === postNum;
    const M = noSelf ? postNum - 1 : postNum; // candidate targets per row
    const mean = preNum * M * p;
    if (mean > 2 ** 31 - 1 - 64 * Math.sqrt(mean)) this.fail(`expected ${Math.round(mean)} synapses for ${preNum}×${postNum}, more than an Int32 index can address`);
    const indptr = alloc.array(Int32Array, preNum + 1);
    if (p === 0 || M <= 0) return { indptr, indices: alloc.array(Int32Array, 0) };
    // the newest allocation from here on: it grows and shrinks in place on an arena
    const buf = new IntBuffer(Math.min(2 ** 31 - 1, mean + 6 * Math.sqrt(mean) + 1024), alloc);

    if (!this.allowMultiple) {
      if (p === 1) {
        buf.reserve(preNum * M);
        const d = buf.data;
        let n = 0;
        for (let i = 0; i < preNum; i++) {
          for (let j = 0; j < postNum; j++) if (!(noSelf && j === i)) d[n++] = j;
          indptr[i + 1] = n;
        }
        buf.length = n;
        return { indptr, indices: buf.finish() };
      }
      const invLogQ = 1 / Math.log1p(-p);
      let data = buf.data, cap = data.length, n = 0;
      for (let i = 0; i < preNum; i++) {
        let j = -1;
        for (;;) {
          j += 1 + Math.floor(Math.log(1 - rng.random()) * invLogQ);
          if (j >= postNum) break;
          if (noSelf && j === i) continue;
          if (n === cap) { buf.length = n; buf.reserve(1); data = buf.data; cap = data.length; }
          data[n++] = j;
        }
        indptr[i + 1] = n;
      }
      buf.length = n;
      return { indptr, indices: buf.finish() };
    }

    // allowMultiple: k_i ~ Binomial(M, p) by geometric skipping over M slots, then k_i draws with replacement
    const invLogQ = p === 1 ? 0 : 1 / Math.log1p(-p);
    let n = 0;
    for (let i = 0; i < preNum; i++) {
      let k = 0;
      if (p === 1) k = M;
      else {
        let j = -1;
        for (;;) {
          j += 1 + Math.floor(Math.log(1 - rng.random()) * invLogQ);
          if (j >= M) break;
          k++;
        }
      }
      buf.length = n; buf.reserve(k);
      const d = buf.data;
      for (let c = 0; c < k; c++) {
        let r = Math.floor(rng.random() * M);
        if (noSelf && r >= i) r++;
        d[n + c] = r;
      }
      if (k > 1) d.subarray(n, n + k).sort();
      n += k;
      indptr[i + 1] = n;
    }
    buf.length = n;
    return { indptr, indices: buf.finish() };
  }
}
