/** Building canonical CSR arrays: a growable int buffer, per-row sorting, CSR from (pre, post) pairs. */
import { Allocator, heapAllocator } from '../src/core/arena';

/**
 * Growable Int32Array used while building rows (no per-synapse JS objects). On an arena it is the newest
 * allocation while it fills, so growing and `finish()` move the arena's top instead of copying.
 */
export class IntBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity = 16, private readonly alloc: Allocator = heapAllocator) { this.data = alloc.array(Int32Array, Math.max(16, Math.ceil(capacity))); }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  /** Make room for `extra` more values. */
  reserve(extra: number): void { if (this.length + extra > this.data.length) this.grow(this.length + extra); }
  private grow(min: number): void {
    let cap = Math.max(min, Math.ceil(this.data.length * 1.5));
    if (cap > 2 ** 31 - 1) cap = Math.max(min, 2 ** 31 - 1);
    this.data = this.alloc.resize(this.data, cap);
  }
  /** The filled part (on the heap: a view when the spare tail is small, < 1/16, otherwise a compact copy). */
  finish(): Int32Array { return this.alloc.resize(this.data, this.length); }
}

/** Sort the post indices of each row ascending, in place. */
export function sortRows(indptr: Int32Array, indices: Int32Array): void {
  for (let i = 0; i + 1 < indptr.length; i++) {
    const a = indptr[i], b = indptr[i + 1];
    if (b - a > 1) indices.subarray(a, b).sort();
  }
}

/**
 * Canonical CSR from an unordered list of (pre, post) pairs (counting sort by pre, then per-row sort).
 * `dedupe` removes repeated pairs. Indices must be already validated in range.
 */
export function csrFromPairs(preNum: number, pre: ArrayLike<number>, post: ArrayLike<number>, dedupe = false): { indptr: Int32Array; indices: Int32Array } {
  const n = pre.length;
  const indptr = new Int32Array(preNum + 1);
  for (let k = 0; k < n; k++) indptr[pre[k] + 1]++;
  for (let i = 0; i < preNum; i++) indptr[i + 1] += indptr[i];
  const fill = indptr.slice(0, preNum);
  let indices = new Int32Array(n);
  for (let k = 0; k < n; k++) indices[fill[pre[k]]++] = post[k];
  sortRows(indptr, indices);
  if (dedupe) {
    let w = 0;
    const newPtr = new Int32Array(preNum + 1);
    for (let i = 0; i < preNum; i++) {
      let prev = -1;
      for (let k = indptr[i]; k < indptr[i + 1]; k++) {
        const j = indices[k];
        if (j !== prev) { indices[w++] = j; prev = j; }
      }
      newPtr[i + 1] = w;
    }
    if (w !== n) indices = indices.slice(0, w);
    return { indptr: newPtr, indices };
  }
  return { indptr, indices };
}

/** What `Connector.connect` returns: a canonical CSR (rows ascending). */
export interface CSRData { indptr: Int32Array; indices: Int32Array }
