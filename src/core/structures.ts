/**
 * The connectivity structures a synapse model can ask for, as plain typed arrays.
 * This file is the contract between connectors (which build them) and the compiler (which translates
 * their use in update() into flat array indexing). Layouts, for a projection with `pre` × `post`
 * neurons and `nSyn` synapses:
 *
 * Synapse order ("canonical", the order of per-synapse arrays such as weights) is CSR order:
 * sorted by pre index, then by post index. pre_ids, post_ids, pre2syn, pre_slice, csr and coo use it.
 *
 * | name       | type     | layout |
 * |------------|----------|--------|
 * | conn_mat   | Dense2D  | Uint8Array rows=pre, cols=post, data[i*post+j] = 1 if i→j |
 * | pre_ids    | Int32Array (nSyn)  | pre index of each synapse, canonical order |
 * | post_ids   | Int32Array (nSyn)  | post index of each synapse, canonical order |
 * | pre2post   | Ragged (rows=pre)  | indices = post ids, row i = targets of pre i (ascending) |
 * | post2pre   | Ragged (rows=post) | indices = pre ids, row j = sources of post j (ascending) |
 * | pre2syn    | Ragged (rows=pre)  | indices = canonical synapse ids of pre i's synapses |
 * | post2syn   | Ragged (rows=post) | indices = canonical synapse ids onto post j |
 * | pre_slice  | Dense2D Int32Array rows=pre, cols=2 | [start, end) of pre i's synapses in canonical order |
 * | post_slice | Dense2D Int32Array rows=post, cols=2 | [start, end) of post j's synapses in CSC (post-major) order |
 * | csr        | Ragged (rows=pre)  | same arrays as pre2post |
 * | csc        | Ragged (rows=post) + synIds | indices = pre ids; synIds[k] = canonical id of CSC entry k |
 * | coo        | COO                | pre, post: Int32Array(nSyn), canonical order |
 */

/** Compressed rows: row r holds indices[indptr[r] .. indptr[r+1]). */
export interface Ragged {
  readonly kind: 'ragged';
  readonly indptr: Int32Array;   // length rows + 1
  readonly indices: Int32Array;  // length nnz
  /** Present on `csc`: canonical synapse id of each entry. */
  readonly synIds?: Int32Array;
}

/** Row-major 2-D array. */
export interface Dense2D {
  readonly kind: 'dense2d';
  readonly rows: number;
  readonly cols: number;
  readonly data: Uint8Array | Int32Array | Float32Array | Float64Array;
}

export interface COO {
  readonly kind: 'coo';
  readonly pre: Int32Array;
  readonly post: Int32Array;
}

export type Structure = Ragged | Dense2D | COO | Int32Array;

export const STRUCTURE_NAMES = [
  'conn_mat', 'pre_ids', 'post_ids', 'pre2post', 'post2pre', 'pre2syn', 'post2syn',
  'pre_slice', 'post_slice', 'csr', 'csc', 'coo',
] as const;
export type StructureName = typeof STRUCTURE_NAMES[number];

export function ragged(indptr: Int32Array, indices: Int32Array, synIds?: Int32Array): Ragged {
  return synIds ? { kind: 'ragged', indptr, indices, synIds } : { kind: 'ragged', indptr, indices };
}
export function dense2d(rows: number, cols: number, data: Dense2D['data']): Dense2D {
  return { kind: 'dense2d', rows, cols, data };
}
const origins = new WeakMap<object, { connectivity: Connectivity; name: StructureName }>();
/** Remembers which connectivity a structure was taken from (so a backend kernel can ask it for another form). */
export function recordOrigin(s: Structure, connectivity: Connectivity, name: StructureName): void {
  if (typeof s === 'object' && s !== null) origins.set(s, { connectivity, name });
}
/** The connectivity and structure name a structure (or typed array) was resolved from, or null. */
export function structureOrigin(s: unknown): { connectivity: Connectivity; name: StructureName } | null {
  return (typeof s === 'object' && s !== null && origins.get(s)) || null;
}

export function isRagged(x: unknown): x is Ragged { return !!x && (x as Ragged).kind === 'ragged'; }
export function isDense2D(x: unknown): x is Dense2D { return !!x && (x as Dense2D).kind === 'dense2d'; }

/**
 * What a connector produces for one projection: the edge set, with structures derived lazily and cached.
 * Implemented in connectors/; the core only calls these members.
 */
export interface Connectivity {
  readonly preNum: number;
  readonly postNum: number;
  readonly nSyn: number;
  get(name: StructureName): Structure;
}

/**
 * A connector is a specification (e.g. FixedProb(0.02)); each projection realises it for its own sizes
 * with the network's random stream, at network build time.
 */
export interface ConnectorSpec {
  readonly name: string;
  /** `alloc` is where the arrays go: the network's arena (src/core/arena.ts), or the heap when omitted. */
  build(preNum: number, postNum: number, rng: import('./rng').RNG, preShape?: number[], postShape?: number[], alloc?: import('./arena').Allocator): Connectivity;
}
