import { BrainweaveError } from '../src/core/errors';
import { RNG } from '../src/core/rng';
import { Connector, CSRData, csrFromPairs, sortRows } from './base';

/** A list of integer indices (an array or typed array). */
export type IntList = ArrayLike<number>;

function toIntArray(owner: string, field: string, a: unknown): Int32Array {
  if (!a || typeof (a as IntList).length !== 'number' || typeof a === 'string') {
    throw new BrainweaveError(`${owner}: '${field}' must be an array of integers, got ${String(a)}`);
  }
  const src = a as IntList;
  const out = new Int32Array(src.length);
  for (let k = 0; k < src.length; k++) {
    const v = src[k];
    if (!Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1) throw new BrainweaveError(`${owner}: '${field}'[${k}] must be a non-negative integer, got ${String(v)}`);
    out[k] = v;
  }
  return out;
}

/**
 * Synapses given as two index lists: synapse k connects pre i[k] → post j[k]. Pairs given twice give two
 * (parallel) synapses. The canonical order is CSR order (sorted by pre, then post), not the input order;
 * `inputOrder()` maps them if per-synapse data was prepared in input order.
 */
export class IJConn extends Connector {
  readonly name: string;
  readonly i: Int32Array;
  readonly j: Int32Array;
  constructor(i: IntList, j: IntList) {
    super();
    this.i = toIntArray('IJConn', 'i', i);
    this.j = toIntArray('IJConn', 'j', j);
    if (this.i.length !== this.j.length) throw new BrainweaveError(`IJConn: 'i' and 'j' must have the same length, got ${this.i.length} and ${this.j.length}`);
    this.name = `IJConn(${this.i.length} pairs)`;
  }
  protected override get validateOutput(): boolean { return true; }
  protected connect(preNum: number, postNum: number, _rng: RNG): CSRData {
    const { i, j } = this;
    for (let k = 0; k < i.length; k++) {
      if (i[k] >= preNum) this.fail(`i[${k}] = ${i[k]} is out of range for a pre group of ${preNum} neurons`);
      if (j[k] >= postNum) this.fail(`j[${k}] = ${j[k]} is out of range for a post group of ${postNum} neurons`);
    }
    return csrFromPairs(preNum, i, j);
  }
  /**
   * perm[k] = canonical synapse id of input pair k (a stable sort: equal pairs keep their input order).
   * Use it to reorder per-synapse data given in input order: canonical[perm[k]] = input[k].
   */
  inputOrder(): Int32Array {
    const n = this.i.length;
    const idx = Array.from({ length: n }, (_, k) => k);
    idx.sort((a, b) => (this.i[a] - this.i[b]) || (this.j[a] - this.j[b]) || (a - b));
    const perm = new Int32Array(n);
    idx.forEach((k, c) => { perm[k] = c; });
    return perm;
  }
}

/** A dense boolean connection matrix: rows = pre, cols = post; nonzero/true entries are synapses. */
export class MatConn extends Connector {
  readonly name: string;
  readonly rows: number;
  readonly cols: number;
  private readonly data: Uint8Array;
  /**
   * @param mat an array of rows (boolean or number entries; nonzero = connected), or a row-major
   *   `{ rows, cols, data }` (e.g. a Dense2D).
   */
  constructor(mat: ArrayLike<ArrayLike<number | boolean>> | { rows: number; cols: number; data: ArrayLike<number> }) {
    super();
    if (mat && !Array.isArray(mat) && typeof (mat as { rows: unknown }).rows === 'number') {
      const m = mat as { rows: number; cols: number; data: ArrayLike<number> };
      if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || m.rows < 0 || m.cols < 0 || !m.data || m.data.length !== m.rows * m.cols) {
        throw new BrainweaveError(`MatConn: '{rows, cols, data}' must have data.length = rows·cols, got rows=${m.rows}, cols=${m.cols}, data.length=${m.data?.length}`);
      }
      this.rows = m.rows; this.cols = m.cols;
      this.data = new Uint8Array(m.rows * m.cols);
      for (let k = 0; k < this.data.length; k++) this.data[k] = m.data[k] ? 1 : 0;
    } else if (mat && typeof (mat as ArrayLike<unknown>).length === 'number') {
      const rowsArr = mat as ArrayLike<ArrayLike<number | boolean>>;
      this.rows = rowsArr.length;
      this.cols = this.rows ? (rowsArr[0]?.length ?? -1) : 0;
      if (this.cols < 0) throw new BrainweaveError(`MatConn: 'mat' row 0 is not an array`);
      this.data = new Uint8Array(this.rows * this.cols);
      for (let r = 0; r < this.rows; r++) {
        const row = rowsArr[r];
        if (!row || row.length !== this.cols) throw new BrainweaveError(`MatConn: 'mat' row ${r} has length ${row?.length}, expected ${this.cols} (rows must have equal length)`);
        for (let c = 0; c < this.cols; c++) this.data[r * this.cols + c] = row[c] ? 1 : 0;
      }
    } else {
      throw new BrainweaveError(`MatConn: 'mat' must be an array of rows or {rows, cols, data}, got ${String(mat)}`);
    }
    this.name = `MatConn(${this.rows}×${this.cols})`;
  }
  protected connect(preNum: number, postNum: number, _rng: RNG): CSRData {
    if (this.rows !== preNum || this.cols !== postNum) {
      this.fail(`matrix shape ${this.rows}×${this.cols} does not match pre×post = ${preNum}×${postNum}`);
    }
    const indptr = new Int32Array(preNum + 1);
    let n = 0;
    for (let k = 0; k < this.data.length; k++) n += this.data[k];
    const indices = new Int32Array(n);
    let w = 0;
    for (let r = 0; r < preNum; r++) {
      const base = r * postNum;
      for (let c = 0; c < postNum; c++) if (this.data[base + c]) indices[w++] = c;
      indptr[r + 1] = w;
    }
    return { indptr, indices };
  }
}

/**
 * Synapses given in compressed-row form: row i (pre i) holds post ids indices[indptr[i] .. indptr[i+1]).
 * Rows need not be sorted (they are sorted in a copy; the canonical order is the sorted one); the caller's
 * arrays are never modified. Checked at build: indptr.length = preNum + 1, indptr[0] = 0, non-decreasing,
 * indptr[preNum] = indices.length, every index in [0, postNum).
 */
export class CSRConn extends Connector {
  readonly name: string;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  constructor(indptr: IntList, indices: IntList) {
    super();
    this.indptr = toIntArray('CSRConn', 'indptr', indptr);
    this.indices = toIntArray('CSRConn', 'indices', indices);
    this.name = `CSRConn(${this.indptr.length - 1} rows, ${this.indices.length} synapses)`;
  }
  protected override get validateOutput(): boolean { return true; }
  protected connect(preNum: number, postNum: number, _rng: RNG): CSRData {
    const { indptr, indices } = this;
    if (indptr.length !== preNum + 1) this.fail(`indptr has length ${indptr.length} but the pre group has ${preNum} neurons (expected ${preNum + 1})`);
    if (indptr[0] !== 0) this.fail(`indptr[0] must be 0, got ${indptr[0]}`);
    for (let r = 0; r < preNum; r++) if (indptr[r + 1] < indptr[r]) this.fail(`indptr must be non-decreasing (indptr[${r}] = ${indptr[r]} > indptr[${r + 1}] = ${indptr[r + 1]})`);
    if (indptr[preNum] !== indices.length) this.fail(`indptr[${preNum}] = ${indptr[preNum]} must equal indices.length = ${indices.length}`);
    for (let k = 0; k < indices.length; k++) if (indices[k] >= postNum) this.fail(`indices[${k}] = ${indices[k]} is out of range for a post group of ${postNum} neurons`);
    const ip = indptr.slice(), ix = indices.slice();
    sortRows(ip, ix);
    return { indptr: ip, indices: ix };
  }
}
