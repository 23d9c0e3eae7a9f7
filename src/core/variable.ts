import { allocate, DType, Precision, StateArray } from './dtype';
import type { Allocator } from './arena';
import { BrainweaveError } from './errors';

export type Init = number | ArrayLike<number> | ((i: number) => number);

export interface VariableOptions<D extends DType = DType> {
  /** Initial value: a constant, an array of `size` values, or a function of the index (called at build). */
  init?: Init;
  /** 'float' (network precision, default), 'bool' (Uint8Array, spikes) or 'int32'. */
  dtype?: D;
}

/**
 * A state array of a model. Declared as a class field; allocated when the network is built (so the size
 * may be a function, e.g. `() => this.conn.nSyn`, and `init` may draw from the network's random stream).
 * Inside update() `this.V[i]` is the element; outside, use `.value` (the typed array) or get/set.
 */
export class Variable<D extends DType = DType> {
  /** Inside update() a Variable is its typed array: `this.V[i]` (the compiler and interpreter see to it). */
  [index: number]: number;
  readonly dtype: D;
  readonly init: Init;
  private readonly sizeSpec: number | (() => number);
  private _value: StateArray | null = null;
  /** Set at build: owner name and field name, for messages ("E.V"). */
  path = '';

  constructor(size: number | (() => number), opts: VariableOptions<D> = {}) {
    if (typeof size === 'number' && !(Number.isInteger(size) && size >= 0)) {
      throw new BrainweaveError(`Variable: size must be a non-negative integer, got ${size}`);
    }
    this.sizeSpec = size;
    this.dtype = opts.dtype ?? ('float' as D);
    this.init = opts.init ?? 0;
    if (!['float', 'bool', 'int32'].includes(this.dtype)) {
      throw new BrainweaveError(`Variable: unknown dtype '${this.dtype}' (use 'float', 'bool' or 'int32')`);
    }
  }

  /** Allocates (from the network's allocator, the heap by default) and fills the array. Called once by Network.build. */
  allocate(path: string, precision: Precision, alloc?: Allocator): StateArray {
    this.path = path;
    const n = typeof this.sizeSpec === 'function' ? this.sizeSpec() : this.sizeSpec;
    if (!(Number.isInteger(n) && n >= 0)) throw new BrainweaveError(`${path}: size must be a non-negative integer, got ${n}`);
    const a = allocate(this.dtype, n, precision, alloc);
    const init = this.init;
    if (typeof init === 'number') {
      if (Number.isNaN(init)) throw new BrainweaveError(`${path}: init is NaN`);
      if (init !== 0) a.fill(init);
    } else if (typeof init === 'function') {
      for (let i = 0; i < n; i++) a[i] = init(i);
    } else {
      if (init.length !== n) throw new BrainweaveError(`${path}: init has ${init.length} values, the variable has ${n}`);
      for (let i = 0; i < n; i++) a[i] = init[i];
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(a[i])) throw new BrainweaveError(`${path}: initial value at index ${i} is ${a[i]}`);
    }
    this._value = a;
    return a;
  }

  /**
   * Moves the state into `storage` (same type and length; e.g. a view of a WebAssembly memory or a GPU
   * staging buffer), copying the current values. `value` returns the new array from then on, and plans
   * built on the old array are stale (they are rebuilt). For backends; models never call it.
   */
  replaceStorage(storage: StateArray): void {
    const old = this.value;
    if (storage.constructor !== old.constructor || storage.length !== old.length) {
      throw new BrainweaveError(`${this.path}: replacement storage must be a ${old.constructor.name} of ${old.length}, got a ${storage.constructor.name} of ${storage.length}`);
    }
    if (storage !== old) storage.set(old as never);
    this._value = storage;
  }

  get built(): boolean { return this._value !== null; }
  get value(): StateArray {
    if (!this._value) throw new BrainweaveError(`Variable ${this.path || '(unnamed)'}: not allocated yet; it is allocated when the network is built (first run or net.build())`);
    return this._value;
  }
  get size(): number { return this.value.length; }
  get length(): number { return this.value.length; }
  get(i: number): number { return this.value[i]; }
  set(i: number, v: number): void { this.value[i] = v; }
  /** Sets all elements from a constant or an array. */
  assign(v: number | ArrayLike<number>): void {
    const a = this.value;
    if (typeof v === 'number') a.fill(v);
    else {
      if (v.length !== a.length) throw new BrainweaveError(`${this.path}: assign got ${v.length} values, the variable has ${a.length}`);
      a.set(v);
    }
  }
}
