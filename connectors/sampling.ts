/** Sampling without replacement for connectors that draw a fixed number of partners. */
import { RNG } from '../src/core/rng';

/**
 * Draws k distinct integers from [0, M) (uniformly among k-subsets) into out[off .. off+k), unsorted.
 * Partial Fisher–Yates on a reusable identity permutation (undone after each call, so each call costs O(k))
 * when M is moderate; Floyd's algorithm with a Set when M is huge and k small.
 */
export class SubsetSampler {
  private perm: Int32Array | null = null;
  private readonly swaps: Int32Array;
  constructor(readonly M: number, maxK: number) {
    this.swaps = new Int32Array(Math.max(1, maxK));
  }
  sample(rng: RNG, k: number, out: Int32Array, off: number): void {
    const M = this.M;
    if (k > 1 && k * k < M / 4 && M > 4096) {
      // sparse: k i.i.d. draws, sorted; a duplicate (probability < k²/2M ≤ 1/8) rejects the whole draw, so
      // the accepted set is uniform over k-subsets. Output comes sorted; touches only O(k) memory.
      const row = out.subarray(off, off + k);
      for (;;) {
        for (let t = 0; t < k; t++) row[t] = Math.floor(rng.random() * M);
        row.sort();
        let dup = false;
        for (let t = 1; t < k; t++) if (row[t] === row[t - 1]) { dup = true; break; }
        if (!dup) return;
      }
    }
    if (M > 8_000_000 && k * 16 < M) {
      const set = new Set<number>();
      for (let t = M - k; t < M; t++) {
        const r = Math.floor(rng.random() * (t + 1));
        set.add(set.has(r) ? t : r);
      }
      let c = off;
      for (const v of set) out[c++] = v;
      return;
    }
    let perm = this.perm;
    if (!perm) {
      perm = this.perm = new Int32Array(M);
      for (let i = 0; i < M; i++) perm[i] = i;
    }
    const sw = this.swaps;
    for (let t = 0; t < k; t++) {
      const r = t + Math.floor(rng.random() * (M - t));
      sw[t] = r;
      const a = perm[t]; perm[t] = perm[r]; perm[r] = a;
      out[off + t] = perm[t];
    }
    for (let t = k - 1; t >= 0; t--) { // undo, restoring the identity
      const r = sw[t];
      const a = perm[t]; perm[t] = perm[r]; perm[r] = a;
    }
  }
}
