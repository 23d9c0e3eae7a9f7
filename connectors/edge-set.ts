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

/** Largest element count we allocate for a dense structure (conn_mat). */
import { BrainweaveError } from '../src/core/errors';
import { Allocator, heapAllocator } from '../src/core/arena';
import { Connectivity, Structure, StructureName, STRUCTURE_NAMES, Dense2D, COO, ragged, dense2d } from '../src/core/structures';
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
   * @param alloc where derived structures go (the network's arena, or the heap)
   */
  constructor(owner: string, preNum: number, postNum: number, indptr: Int32Array, indices: Int32Array, validate = true, private readonly alloc: Allocator = heapAllocator) {
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
        const out = this.alloc.array(Int32Array, this.nSyn);
        const ip = this.indptr;
        for (let i = 0; i < this.preNum; i++) out.fill(i, ip[i], ip[i + 1]);
        return out;
      }
      case 'coo': return { kind: 'coo', pre: this.get('pre_ids') as Int32Array, post: this.indices } as COO;
      case 'pre2syn': return ragged(this.indptr, arange(this.alloc.array(Int32Array, this.nSyn)));
      case 'pre_slice': return slices(this.indptr, this.preNum, this.alloc);
      case 'csc': { const c = this.csc(); return ragged(c.indptr, c.indices, c.synIds); }
      case 'post2pre': { const c = this.csc(); return ragged(c.indptr, c.indices); }
      case 'post2syn': { const c = this.csc(); return ragged(c.indptr, c.synIds); }
      case 'post_slice': return slices(this.csc().indptr, this.postNum, this.alloc);
      case 'conn_mat': {
        const n = this.preNum * this.postNum;
        if (n > MAX_DENSE_ELEMENTS) {
          throw new BrainweaveError(`${this.owner}: conn_mat would need ${this.preNum}×${this.postNum} = ${n} bytes; too large for a dense matrix (use csr / pre2post / post2pre instead)`);
        }
        const m = this.alloc.array(Uint8Array, n);
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
    const cp = this.alloc.array(Int32Array, postNum + 1);
    for (let k = 0; k < nSyn; k++) cp[indices[k] + 1]++;
    for (let j = 0; j < postNum; j++) cp[j + 1] += cp[j];
    const fill = cp.slice(0, postNum);
    const pres = this.alloc.array(Int32Array, nSyn), syn = this.alloc.array(Int32Array, nSyn);
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
    const seen = new Set<ArrayBufferView>();
    let total = 0;
    // by array, not by buffer: on an arena every array is a view of the network's one memory
    const add = (a: ArrayBufferView | undefined) => { if (a && !seen.has(a)) { seen.add(a); total += a.byteLength; } };
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

function arange(a: Int32Array): Int32Array {
  for (let i = 0; i < a.length; i++) a[i] = i;
  return a;
}

function slices(indptr: Int32Array, rows: number, alloc: Allocator): Dense2D {
  const d = alloc.array(Int32Array, rows * 2);
  for (let i = 0; i < rows; i++) { d[2 * i] = indptr[i]; d[2 * i + 1] = indptr[i + 1]; }
  return dense2d(rows, 2, d);
}
