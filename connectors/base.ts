/**
 * Connector base class and the edge-set (`Connectivity`) implementation every connector returns.
 *
 * One source of truth: each realised connectivity is stored as a canonical CSR
 *   indptr:  Int32Array(preNum + 1), indptr[0] = 0, non-decreasing, indptr[preNum] = nSyn
 *   indices: Int32Array(nSyn), post ids, ascending inside each row (duplicates only for multi-edge
 *            connectors such as `FixedProb(p, { allowMultiple: true })`)
 * Canonical synapse order = CSR order (pre ascending, then post ascending). Every other structure is
 * derived lazily from the CSR on first `get(name)` and cached, so all structures describe the same edge
 * set whatever is asked and in whatever order (cf. BrainPy issue #695).
 *
 * Layouts (see also connectors/README.md and src/core/structures.ts):
 * | name       | layout |
 * |------------|--------|
 * | csr        | Ragged rows=pre: indptr (pre+1), indices = post ids (the canonical CSR itself) |
 * | pre2post   | the same Ragged object as `csr` |
 * | pre2syn    | Ragged rows=pre: indptr = csr.indptr, indices = canonical synapse ids (0..nSyn-1) |
 * | pre_ids    | Int32Array(nSyn): pre id of synapse s |
 * | post_ids   | Int32Array(nSyn): post id of synapse s (the same array as csr.indices) |
 * | coo        | { pre: pre_ids, post: post_ids } (same arrays) |
 * | pre_slice  | Dense2D Int32Array rows=pre cols=2: [indptr[i], indptr[i+1]] |
 * | csc        | Ragged rows=post: indptr (post+1), indices = pre ids (ascending per row), synIds = canonical ids |
 * | post2pre   | Ragged rows=post: csc.indptr, csc.indices (same arrays) |
 * | post2syn   | Ragged rows=post: csc.indptr, indices = csc.synIds (same arrays) |
 * | post_slice | Dense2D Int32Array rows=post cols=2: [csc.indptr[j], csc.indptr[j+1]] — a range in CSC order |
 * | conn_mat   | Dense2D Uint8Array rows=pre cols=post: 1 where at least one i→j synapse exists |
 *
 * Arrays are shared between structures where the layout is identical: treat them as read-only.
 */
import { BrainweaveError } from '../src/core/errors';
import { RNG } from '../src/core/rng';
import {
  Connectivity, ConnectorSpec, Structure, StructureName, STRUCTURE_NAMES, Ragged, Dense2D, COO,
  ragged, dense2d,
} from '../src/core/structures';

/** Largest element count we allocate for a dense structure (conn_mat). */
export const MAX_DENSE_ELEMENTS = 2 ** 31 - 1;

/** A realised edge set: canonical CSR plus lazily derived, cached structures. */
export class EdgeSet implements Connectivity {
  readonly preNum: number;
  readonly postNum: number;
  readonly nSyn: number;
  /** Canonical CSR row pointers (length preNum + 1). */
  readonly indptr: Int32Array;
  /** Canonical CSR column (post) indices (length nSyn). */
  readonly indices: Int32Array;
  /** Label of the connector that produced it (used in error messages). */
  readonly owner: string;
  private readonly cache = new Map<StructureName, Structure>();
  private cscCache: { indptr: Int32Array; indices: Int32Array; synIds: Int32Array } | null = null;

  /**
   * @param validate check the CSR invariants (O(nSyn)); connectors that build sorted rows themselves
   *   may skip it, data connectors must not.
   */
  constructor(owner: string, preNum: number, postNum: number, indptr: Int32Array, indices: Int32Array, validate = true) {
    this.owner = owner;
    this.preNum = preNum; this.postNum = postNum;
    this.indptr = indptr; this.indices = indices;
    this.nSyn = indices.length;
    if (validate) this.check();
  }

  private check(): void {
    const { indptr, indices, preNum, postNum, owner } = this;
    if (indptr.length !== preNum + 1) throw new BrainweaveError(`${owner}: indptr must have length preNum + 1 = ${preNum + 1}, got ${indptr.length}`);
    if (indptr[0] !== 0) throw new BrainweaveError(`${owner}: indptr[0] must be 0, got ${indptr[0]}`);
    if (indptr[preNum] !== indices.length) throw new BrainweaveError(`${owner}: indptr[${preNum}] must equal the number of indices (${indices.length}), got ${indptr[preNum]}`);
    for (let i = 0; i < preNum; i++) {
      const a = indptr[i], b = indptr[i + 1];
      if (b < a) throw new BrainweaveError(`${owner}: indptr must be non-decreasing (indptr[${i}]=${a} > indptr[${i + 1}]=${b})`);
      let prev = -1;
      for (let k = a; k < b; k++) {
        const j = indices[k];
        if (j < 0 || j >= postNum) throw new BrainweaveError(`${owner}: post index ${j} (synapse ${k}, pre ${i}) out of range [0, ${postNum})`);
        if (j < prev) throw new BrainweaveError(`${owner}: indices of row ${i} must be ascending`);
        prev = j;
      }
    }
  }

  get(name: StructureName): Structure {
    const hit = this.cache.get(name);
    if (hit) return hit;
    const s = this.derive(name);
    this.cache.set(name, s);
    return s;
  }

  /** True if `name` has already been derived (for tests / memory accounting). */
  has(name: StructureName): boolean { return this.cache.has(name); }

  private derive(name: StructureName): Structure {
    switch (name) {
      case 'csr': case 'pre2post': {
        const r = ragged(this.indptr, this.indices);
        this.cache.set('csr', r); this.cache.set('pre2post', r);
        return r;
      }
      case 'post_ids': return this.indices;
      case 'pre_ids': {
        const out = new Int32Array(this.nSyn);
        const ip = this.indptr;
        for (let i = 0; i < this.preNum; i++) out.fill(i, ip[i], ip[i + 1]);
        return out;
      }
      case 'coo': return { kind: 'coo', pre: this.get('pre_ids') as Int32Array, post: this.indices } as COO;
      case 'pre2syn': return ragged(this.indptr, arange(this.nSyn));
      case 'pre_slice': return slices(this.indptr, this.preNum);
      case 'csc': { const c = this.csc(); return ragged(c.indptr, c.indices, c.synIds); }
      case 'post2pre': { const c = this.csc(); return ragged(c.indptr, c.indices); }
      case 'post2syn': { const c = this.csc(); return ragged(c.indptr, c.synIds); }
      case 'post_slice': return slices(this.csc().indptr, this.postNum);
      case 'conn_mat': {
        const n = this.preNum * this.postNum;
        if (n > MAX_DENSE_ELEMENTS) {
          throw new BrainweaveError(`${this.owner}: conn_mat would need ${this.preNum}×${this.postNum} = ${n} bytes; too large for a dense matrix (use csr / pre2post / post2pre instead)`);
        }
        const m = new Uint8Array(n);
        const { indptr, indices, postNum } = this;
        for (let i = 0; i < this.preNum; i++) {
          const base = i * postNum;
          for (let k = indptr[i]; k < indptr[i + 1]; k++) m[base + indices[k]] = 1;
        }
        return dense2d(this.preNum, this.postNum, m);
      }
      default:
        throw new BrainweaveError(`${this.owner}: unknown connectivity structure '${String(name)}' (valid: ${STRUCTURE_NAMES.join(', ')})`);
    }
  }

  /** Post-major view: counting sort of the canonical synapses by post id (stable, so pre ids ascend per row). */
  private csc(): { indptr: Int32Array; indices: Int32Array; synIds: Int32Array } {
    if (this.cscCache) return this.cscCache;
    const { preNum, postNum, nSyn, indptr, indices } = this;
    const cp = new Int32Array(postNum + 1);
    for (let k = 0; k < nSyn; k++) cp[indices[k] + 1]++;
    for (let j = 0; j < postNum; j++) cp[j + 1] += cp[j];
    const fill = cp.slice(0, postNum);
    const pres = new Int32Array(nSyn), syn = new Int32Array(nSyn);
    for (let i = 0; i < preNum; i++) {
      for (let k = indptr[i], e = indptr[i + 1]; k < e; k++) {
        const pos = fill[indices[k]]++;
        pres[pos] = i; syn[pos] = k;
      }
    }
    this.cscCache = { indptr: cp, indices: pres, synIds: syn };
    return this.cscCache;
  }

  /** Bytes held by the CSR and every structure derived so far (shared arrays counted once). */
  byteSize(): number {
    const seen = new Set<ArrayBufferLike>();
    let total = 0;
    const add = (a: ArrayBufferView | undefined) => { if (a && !seen.has(a.buffer)) { seen.add(a.buffer); total += a.buffer.byteLength; } };
    add(this.indptr); add(this.indices);
    for (const s of this.cache.values()) {
      if (ArrayBuffer.isView(s)) add(s);
      else if (s.kind === 'ragged') { add(s.indptr); add(s.indices); add(s.synIds); }
      else if (s.kind === 'dense2d') add(s.data);
      else { add(s.pre); add(s.post); }
    }
    return total;
  }
}

function arange(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

function slices(indptr: Int32Array, rows: number): Dense2D {
  const d = new Int32Array(rows * 2);
  for (let i = 0; i < rows; i++) { d[2 * i] = indptr[i]; d[2 * i + 1] = indptr[i + 1]; }
  return dense2d(rows, 2, d);
}

/** Growable Int32Array used while building rows (no per-synapse JS objects). */
export class IntBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity = 16) { this.data = new Int32Array(Math.max(16, Math.ceil(capacity))); }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  /** Make room for `extra` more values. */
  reserve(extra: number): void { if (this.length + extra > this.data.length) this.grow(this.length + extra); }
  private grow(min: number): void {
    let cap = Math.max(min, Math.ceil(this.data.length * 1.5));
    if (cap > 2 ** 31 - 1) cap = Math.max(min, 2 ** 31 - 1);
    const d = new Int32Array(cap);
    d.set(this.data.subarray(0, this.length));
    this.data = d;
  }
  /** The filled part. A view when the spare tail is small (< 1/16), otherwise a compact copy. */
  finish(): Int32Array {
    if (this.data.length - this.length > (this.length >> 4) + 64) return this.data.slice(0, this.length);
    return this.data.subarray(0, this.length);
  }
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

/**
 * Base of every connector. A connector is a *specification*: it holds parameters only, and `build()`
 * realises a fresh edge set for the given sizes from the given random stream (same stream state → same
 * edges). The same object may be passed to several projections.
 */
export abstract class Connector implements ConnectorSpec {
  /** Display name, e.g. `FixedProb(p=0.02)`; used in error messages. */
  abstract readonly name: string;

  build(preNum: number, postNum: number, rng: RNG, preShape?: number[], postShape?: number[]): EdgeSet {
    for (const [f, v] of [['preNum', preNum], ['postNum', postNum]] as const) {
      if (!(Number.isInteger(v) && v >= 0)) throw new BrainweaveError(`${this.name}: ${f} must be a non-negative integer, got ${String(v)}`);
    }
    if (!rng || typeof (rng as RNG).random !== 'function') throw new BrainweaveError(`${this.name}: build() needs the network's RNG`);
    const ps = shapeOf(this.name, 'preShape', preShape, preNum);
    const qs = shapeOf(this.name, 'postShape', postShape, postNum);
    const { indptr, indices } = this.connect(preNum, postNum, rng, ps, qs);
    return new EdgeSet(this.name, preNum, postNum, indptr, indices, this.validateOutput);
  }

  /** Whether build() re-checks the CSR invariants (on for data connectors; off for trusted generators). */
  protected get validateOutput(): boolean { return false; }

  /** Produce the canonical CSR. Shapes are defaulted to `[num]` and checked against the sizes. */
  protected abstract connect(preNum: number, postNum: number, rng: RNG, preShape: number[], postShape: number[]): CSRData;

  toString(): string { return this.name; }

  // ---- shared parameter checks ----
  protected fail(msg: string): never { throw new BrainweaveError(`${this.name}: ${msg}`); }
}

function shapeOf(owner: string, field: string, shape: number[] | undefined, num: number): number[] {
  if (shape === undefined || shape === null) return [num];
  if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new BrainweaveError(`${owner}: ${field} must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const prod = shape.reduce((a, b) => a * b, 1);
  if (prod !== num) throw new BrainweaveError(`${owner}: ${field} ${JSON.stringify(shape)} has ${prod} elements but the group has ${num}`);
  return shape.slice();
}

// ---- parameter validation helpers (used by every connector's constructor) ----

export function checkProb(owner: string, field: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new BrainweaveError(`${owner}: '${field}' must be a probability in [0, 1], got ${String(p)}`);
  return p;
}
export function checkCount(owner: string, field: string, n: unknown, min = 0): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new BrainweaveError(`${owner}: '${field}' must be an integer >= ${min}, got ${String(n)}`);
  }
  return n;
}
export function checkPositive(owner: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new BrainweaveError(`${owner}: '${field}' must be a positive finite number, got ${String(v)}`);
  return v;
}
export function checkBool(owner: string, field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new BrainweaveError(`${owner}: option '${field}' must be a boolean, got ${String(v)}`);
  return v;
}
/** Reject option keys a connector does not know (catches typos such as `include_self`). */
export function checkOptions(owner: string, opts: object | undefined, known: readonly string[]): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object') throw new BrainweaveError(`${owner}: options must be an object, got ${String(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) throw new BrainweaveError(`${owner}: unknown option '${k}' (known: ${known.join(', ') || 'none'})`);
  }
}

/** Format a number for connector names. */
export function fmt(v: number): string { return String(+v.toPrecision(6)); }

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

/** Row-major (last axis fastest) coordinates of flat index `idx` in `shape`, written into `out`. */
export function unravel(idx: number, shape: number[], out: number[]): void {
  for (let d = shape.length - 1; d >= 0; d--) { const s = shape[d]; out[d] = idx % s; idx = Math.floor(idx / s); }
}
