/**
 * Where a network's typed arrays live. A network's Variables and connectivity are allocated through an
 * `Allocator`: by default one `Arena` per network, a growable shared WebAssembly.Memory, so that the wasm
 * backend runs on the very arrays the connectors wrote (no second copy of 80 M synapses) and the js and
 * interp backends see ordinary typed arrays (views of that memory). Where shared memory is unavailable (a
 * browser page that is not cross-origin isolated) the network falls back to `heapAllocator`: one
 * ArrayBuffer per array, as plain `new Int32Array(n)` gives.
 *
 * Why shared: growing a non-shared memory detaches its ArrayBuffer and every view of it, so arrays handed
 * out earlier would read as empty; a shared memory keeps each SharedArrayBuffer it has handed out valid
 * (at its old length) and shows the larger one through `memory.buffer`. The maximum (4 GiB, the reach of a
 * 32-bit address) is only reserved address space: pages cost memory when first written.
 */

export type TypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
/** A typed-array constructor (`Int32Array`, `Float64Array`, …). */
export interface TypedArrayCtor<T extends TypedArray> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** How connectors and Network.build get their arrays. */
export interface Allocator {
  /** A zero-filled array of `n` elements. */
  array<T extends TypedArray>(Ctor: TypedArrayCtor<T>, n: number): T;
  /**
   * `a` with `n` elements, its first min(n, a.length) values kept (the rest zero): in place where the
   * allocator can (an arena's newest array), else a copy. Use the result, not `a`, afterwards.
   */
  resize<T extends TypedArray>(a: T, n: number): T;
  /** `a` itself when it already lives here, else a copy that does. */
  adopt<T extends TypedArray>(a: T): T;
}

const ctorOf = <T extends TypedArray>(a: T) => a.constructor as TypedArrayCtor<T>;

/** One ArrayBuffer per array. */
export const heapAllocator: Allocator = {
  array: (Ctor, n) => new Ctor(n),
  resize(a, n) {
    if (n > a.length) { const b = new (ctorOf(a))(n); b.set(a as never); return b; }
    // a small spare tail stays (a view); a large one is given back (a compact copy)
    return (a.length - n > (n >> 4) + 64 ? a.slice(0, n) : a.subarray(0, n)) as typeof a;
  },
  adopt: (a) => a,
};

const PAGE = 65536;
/** 4 GiB: every address of a 32-bit memory. */
export const ARENA_MAX_PAGES = 65536;
export const align16 = (n: number) => Math.ceil(Math.max(n, 1) / 16) * 16;

/**
 * A bump allocator over one WebAssembly.Memory. Arrays are 16-byte aligned (SIMD loads, f64 views) and
 * never freed one by one, except the newest, which `resize` grows or shrinks in place (a connector filling
 * a row buffer of unknown final length pays no copy). Address 0 stays unused.
 */
export class Arena implements Allocator {
  readonly memory: WebAssembly.Memory;
  /** Shared and growable (to 4 GiB), or fixed at its first size (see `fixed`). */
  readonly growable: boolean;
  private top = 16;
  /** end of the highest byte ever handed out: space below it may hold old values and is zeroed on reuse */
  private highWater = 16;
  private newest = -1;
  /** every ArrayBuffer the memory has had (one per growth), to know our arrays by their buffer */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  /** Arrays that did not fit (past 4 GiB, or the engine refused to grow) went to the heap instead. */
  spilled = 0;

  /**
   * A growable shared arena, or null where this JavaScript engine cannot make shared memory. `maxPages`
   * (64 KiB each) caps it below the 4 GiB a 32-bit memory can address (tests use it to reach the cap).
   */
  static create(maxPages = ARENA_MAX_PAGES): Arena | null {
    if (!(Number.isInteger(maxPages) && maxPages >= 1 && maxPages <= ARENA_MAX_PAGES)) throw new RangeError(`Arena: maxPages must be an integer from 1 to ${ARENA_MAX_PAGES}, got ${maxPages}`);
    try {
      return new Arena(new WebAssembly.Memory({ initial: 1, maximum: maxPages, shared: true } as WebAssembly.MemoryDescriptor), true, maxPages);
    } catch {
      return null;
    }
  }

  /** A non-shared arena of a fixed size (min = max): `array` past its end throws RangeError. */
  static fixed(bytes: number): Arena {
    const pages = Math.ceil(bytes / PAGE);
    if (pages > ARENA_MAX_PAGES) throw new RangeError(`${(bytes / 2 ** 30).toFixed(1)} GiB is over the 4 GiB of a 32-bit memory`);
    return new Arena(new WebAssembly.Memory({ initial: pages, maximum: pages }), false, pages);
  }

  private constructor(memory: WebAssembly.Memory, growable: boolean, readonly maxPages: number) {
    this.memory = memory;
    this.growable = growable;
    this.buffers.add(memory.buffer);
  }

  /** The memory's current buffer (views made on it stay valid after later growth when the arena is growable). */
  get buffer(): ArrayBufferLike {
    const b = this.memory.buffer;
    this.buffers.add(b);
    return b;
  }
  /** Bytes handed out. */
  get used(): number { return this.top; }
  /** Bytes the memory has now (a growable arena grows past it on demand). */
  get capacity(): number { return this.memory.buffer.byteLength; }
  /** Bytes that can still be handed out without replacing the memory. */
  get free(): number { return this.maxPages * PAGE - this.top; }

  holds(a: ArrayLike<number>): boolean {
    if (!ArrayBuffer.isView(a)) return false;
    return this.buffers.has(a.buffer) || a.buffer === this.buffer;
  }

  /** Reserves `bytes` (16-byte aligned) and returns the address; RangeError when the memory cannot hold them. */
  alloc(bytes: number): number {
    const at = this.top, end = at + align16(bytes);
    this.reach(end);
    this.top = end;
    this.newest = at;
    this.zeroReused(at, end);
    return at;
  }

  array<T extends TypedArray>(Ctor: TypedArrayCtor<T>, n: number): T {
    let at: number;
    try { at = this.alloc(n * Ctor.BYTES_PER_ELEMENT); } catch (e) {
      if (!(e instanceof RangeError) || !this.growable) throw e;
      this.spilled++;
      return new Ctor(n);
    }
    return new Ctor(this.buffer, at, n);
  }

  resize<T extends TypedArray>(a: T, n: number): T {
    const Ctor = ctorOf(a);
    if (!this.holds(a) || a.byteOffset !== this.newest) {
      const b = this.array(Ctor, n);
      b.set((n < a.length ? a.subarray(0, n) : a) as never);
      return b;
    }
    const at = a.byteOffset, end = at + align16(n * Ctor.BYTES_PER_ELEMENT);
    try { this.reach(end); } catch (e) {
      if (!(e instanceof RangeError) || !this.growable) throw e;
      this.spilled++;
      const b = new Ctor(n);
      b.set(a as never);
      return b;
    }
    this.top = end;
    this.zeroReused(at + a.byteLength, end);
    return new Ctor(this.buffer, at, n);
  }

  adopt<T extends TypedArray>(a: T): T {
    if (this.holds(a)) return a;
    const b = this.array(ctorOf(a), a.length);
    b.set(a as never);
    return b;
  }

  /** Makes the memory at least `end` bytes long (growing by a quarter at least, so growth stays rare). */
  private reach(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    if (!this.growable) throw new RangeError(`the arena holds ${have} bytes; ${end} needed`);
    const cur = have / PAGE, need = Math.ceil(end / PAGE);
    if (need > this.maxPages) throw new RangeError(`${(end / 2 ** 20).toFixed(1)} MiB is over the arena's ${(this.maxPages * PAGE / 2 ** 20).toFixed(0)} MiB`);
    const want = Math.min(this.maxPages, Math.max(need, cur + Math.ceil(cur / 4)));
    try { this.memory.grow(want - cur); } catch { this.memory.grow(need - cur); }
    this.buffers.add(this.memory.buffer);
  }

  private zeroReused(from: number, end: number): void {
    const to = Math.min(end, this.highWater);
    if (from < to) new Uint8Array(this.buffer, from, to - from).fill(0);
    this.highWater = Math.max(this.highWater, end);
  }
}
