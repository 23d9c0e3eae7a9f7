import { RNG } from '../src/core/rng';
import { Allocator, heapAllocator } from '../src/core/arena';
import { Connector, CSRData, IntBuffer, SubsetSampler, checkBool, checkCount, checkOptions, fmt } from './base';

export interface FixedNumOptions {
  /**
   * Allow i→i edges when preNum === postNum (default true). With `includeSelf: false` and equal sizes, the
   * n partners are drawn from the other neurons only, so the count stays exactly n (needs n ≤ num − 1).
   * No effect when the sizes differ.
   */
  includeSelf?: boolean;
  /** Draw the n partners with replacement (a pair may carry several parallel synapses). Default false. */
  allowMultiple?: boolean;
}

abstract class FixedNum extends Connector {
  readonly n: number;
  readonly includeSelf: boolean;
  readonly allowMultiple: boolean;
  readonly name: string;
  constructor(cls: string, n: number, opts: FixedNumOptions) {
    super();
    checkOptions(cls, opts, ['includeSelf', 'allowMultiple']);
    this.n = checkCount(cls, 'n', n, 0);
    this.includeSelf = checkBool(cls, 'includeSelf', opts.includeSelf ?? true);
    this.allowMultiple = checkBool(cls, 'allowMultiple', opts.allowMultiple ?? false);
    const extra = [!this.includeSelf ? 'includeSelf=false' : '', this.allowMultiple ? 'allowMultiple=true' : ''].filter(Boolean);
    this.name = `${cls}(n=${n}${extra.length ? ', ' + extra.join(', ') : ''})`;
  }

  /**
   * For each of `rows` owners, choose exactly n partners among `cols` (excluding the owner itself when
   * noSelf); partners of row r go to out[r*n .. r*n+n), unsorted.
   */
  protected choose(rows: number, cols: number, noSelf: boolean, rng: RNG, side: string, alloc: Allocator = heapAllocator): Int32Array {
    const n = this.n;
    const M = noSelf ? cols - 1 : cols;
    if (!this.allowMultiple && n > M) {
      this.fail(`asks for ${n} ${side} per neuron but only ${M} exist${noSelf ? ' (self excluded)' : ''}`);
    }
    if (this.allowMultiple && n > 0 && M <= 0) this.fail(`asks for ${n} ${side} per neuron but none exist`);
    const total = rows * n;
    if (total > 2 ** 31 - 1) this.fail(`${rows}×${n} = ${total} synapses exceed the Int32 index range`);
    const out = alloc.array(Int32Array, total);
    if (n === 0) return out;
    const sampler = this.allowMultiple ? null : new SubsetSampler(M, n);
    for (let r = 0; r < rows; r++) {
      const off = r * n;
      if (sampler) sampler.sample(rng, n, out, off);
      else for (let t = 0; t < n; t++) out[off + t] = Math.floor(rng.random() * M);
      if (noSelf) for (let t = 0; t < n; t++) if (out[off + t] >= r) out[off + t]++;
    }
    return out;
  }
}

/**
 * Each **post** neuron receives exactly `n` synapses from `n` distinct pre neurons chosen uniformly
 * (BrainPy: "fixed number of pre-synaptic neurons" per post). In-degree = n exactly; nSyn = post·n.
 * Memory: built post-major then transposed to CSR by a counting pass (peak ≈ 8 bytes/synapse + outputs).
 */
export class FixedPreNum extends FixedNum {
  constructor(n: number, opts: FixedNumOptions = {}) { super('FixedPreNum', n, opts); }
  protected connect(preNum: number, postNum: number, rng: RNG, _ps: number[], _qs: number[], alloc: Allocator): CSRData {
    const noSelf = !this.includeSelf && preNum === postNum;
    const n = this.n;
    let pres: Int32Array | null = this.choose(postNum, preNum, noSelf, rng, 'pre-synaptic neurons');
    // transpose post-major lists into CSR: iterate posts ascending so each row comes out sorted
    const indptr = alloc.array(Int32Array, preNum + 1);
    for (let k = 0; k < pres.length; k++) indptr[pres[k] + 1]++;
    for (let i = 0; i < preNum; i++) indptr[i + 1] += indptr[i];
    const fill = indptr.slice(0, preNum);
    const indices = alloc.array(Int32Array, pres.length);
    for (let j = 0, k = 0; j < postNum; j++) {
      for (let e = k + n; k < e; k++) indices[fill[pres[k]]++] = j;
    }
    pres = null;
    return { indptr, indices };
  }
}

/** Each **pre** neuron sends exactly `n` synapses to `n` distinct post neurons chosen uniformly. nSyn = pre·n. */
export class FixedPostNum extends FixedNum {
  constructor(n: number, opts: FixedNumOptions = {}) { super('FixedPostNum', n, opts); }
  protected connect(preNum: number, postNum: number, rng: RNG, _ps: number[], _qs: number[], alloc: Allocator): CSRData {
    const noSelf = !this.includeSelf && preNum === postNum;
    const n = this.n;
    const indices = this.choose(preNum, postNum, noSelf, rng, 'post-synaptic neurons', alloc);
    const indptr = alloc.array(Int32Array, preNum + 1);
    for (let i = 0; i < preNum; i++) {
      indptr[i + 1] = (i + 1) * n;
      if (n > 1) indices.subarray(i * n, (i + 1) * n).sort();
    }
    return { indptr, indices };
  }
}

export interface FixedTotalNumOptions {
  /** Draw the n pairs with replacement (a pair may be drawn twice → parallel synapses). Default false. */
  allowMultiple?: boolean;
}

/**
 * Exactly `n` synapses in total: without `allowMultiple`, a uniformly random set of n distinct (pre, post)
 * pairs among all pre·post pairs; with it, n pairs drawn independently and uniformly (duplicates kept).
 */
export class FixedTotalNum extends Connector {
  readonly name: string;
  readonly n: number;
  readonly allowMultiple: boolean;
  constructor(n: number, opts: FixedTotalNumOptions = {}) {
    super();
    checkOptions('FixedTotalNum', opts, ['allowMultiple']);
    this.n = checkCount('FixedTotalNum', 'n', n, 0);
    this.allowMultiple = checkBool('FixedTotalNum', 'allowMultiple', opts.allowMultiple ?? false);
    this.name = `FixedTotalNum(n=${fmt(n)}${this.allowMultiple ? ', allowMultiple=true' : ''})`;
  }
  protected connect(preNum: number, postNum: number, rng: RNG, _ps: number[], _qs: number[], alloc: Allocator): CSRData {
    const N = preNum * postNum, n = this.n;
    if (!this.allowMultiple && n > N) this.fail(`asks for ${n} synapses but only ${preNum}×${postNum} = ${N} pairs exist`);
    if (this.allowMultiple && n > 0 && N === 0) this.fail(`asks for ${n} synapses but there are no pairs (${preNum}×${postNum})`);
    if (N > 2 ** 53) this.fail(`${preNum}×${postNum} pairs are too many to index`);
    if (n > 2 ** 31 - 1) this.fail(`n = ${n} exceeds the Int32 index range`);
    let keys: Float64Array;
    if (this.allowMultiple) {
      keys = new Float64Array(n);
      for (let t = 0; t < n; t++) keys[t] = Math.floor(rng.random() * N);
      keys.sort();
    } else if (2 * n <= N) {
      keys = distinctKeys(rng, N, n);
    } else {
      // dense: choose the N − n pairs to leave out, keep the rest (already sorted)
      const drop = distinctKeys(rng, N, N - n);
      keys = new Float64Array(n);
      let w = 0, d = 0;
      for (let key = 0; key < N; key++) {
        if (d < drop.length && drop[d] === key) { d++; continue; }
        keys[w++] = key;
      }
    }
    const indptr = alloc.array(Int32Array, preNum + 1), indices = alloc.array(Int32Array, n);
    for (let t = 0; t < n; t++) {
      const key = keys[t];
      const i = Math.floor(key / postNum);
      indices[t] = key - i * postNum;
      indptr[i + 1]++;
    }
    for (let i = 0; i < preNum; i++) indptr[i + 1] += indptr[i];
    return { indptr, indices };
  }
}

/**
 * n distinct integers from [0, N), sorted: sequential rejection sampling done in batches (draw the deficit,
 * keep draws not seen before, repeat) — the same law as drawing one at a time until n are distinct, so the
 * result is a uniform n-subset. Used with 2n ≤ N, so each round at least halves the deficit on average.
 */
function distinctKeys(rng: RNG, N: number, n: number): Float64Array {
  let have = new Float64Array(0);
  while (have.length < n) {
    const need = n - have.length;
    const draw = new Float64Array(need);
    for (let t = 0; t < need; t++) draw[t] = Math.floor(rng.random() * N);
    // keep first occurrences (in draw order) not already present
    const seen = new Set<number>();
    const fresh: number[] = [];
    const sortedHave = have;
    for (let t = 0; t < need; t++) {
      const v = draw[t];
      if (seen.has(v) || bsearch(sortedHave, v)) continue;
      seen.add(v); fresh.push(v);
    }
    const merged = new Float64Array(have.length + fresh.length);
    merged.set(have); merged.set(fresh, have.length);
    merged.sort();
    have = merged;
  }
  return have;
}

function bsearch(a: Float64Array, v: number): boolean {
  let lo = 0, hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = a[mid];
    if (x === v) return true;
    if (x < v) lo = mid + 1; else hi = mid - 1;
  }
  return false;
}
