import { Variable } from '../../core/variable';
import type { StateArray } from '../../core/dtype';

/**
 * One WebAssembly memory per network: every Variable of the network lives in it (moved there with
 * Variable.replaceStorage, so the rest of the library reads and writes the same elements), and next to
 * them the connectivity copies and each executable's buffers. The memory never grows (min = max), so
 * views on it never detach; when an executable does not fit, a larger memory replaces the old one and
 * the Variables move again (plans bound to the old views are then stale and rebuilt by the runtime).
 */
export class NetMemory {
  readonly mem: WebAssembly.Memory;
  readonly capacity: number;
  private top = 0;
  /** copies of read-only connectivity arrays, by the array copied */
  readonly copies = new Map<ArrayLike<number>, number>();

  constructor(bytes: number, readonly vars: Variable[]) {
    const pages = Math.ceil(bytes / 65536);
    if (pages > 65536) throw new RangeError(`the network needs ${(bytes / 2 ** 30).toFixed(1)} GiB of wasm memory, over the 4 GiB of a 32-bit memory`);
    this.mem = new WebAssembly.Memory({ initial: pages, maximum: pages });
    this.capacity = pages * 65536;
    this.alloc(16); // address 0 stays unused
    for (const v of vars) {
      const old = v.value;
      const at = this.alloc(old.byteLength);
      const Ctor = old.constructor as new (b: ArrayBuffer, o: number, n: number) => StateArray;
      v.replaceStorage(new Ctor(this.mem.buffer, at, old.length));
    }
  }

  get free(): number { return this.capacity - this.top; }
  get used(): number { return this.top; }

  /** 16-byte aligned bytes (SIMD loads, f64 views). */
  alloc(bytes: number): number {
    const at = this.top;
    this.top += Math.ceil(Math.max(bytes, 1) / 16) * 16;
    if (this.top > this.capacity) throw new RangeError('internal: wasm memory overflow');
    return at;
  }

  holds(a: ArrayLike<number>): boolean { return ArrayBuffer.isView(a) && a.buffer === this.mem.buffer; }

  /** Address of a read-only array's copy in this memory (copied on first use). */
  copy(a: ArrayLike<number> & ArrayBufferView): number {
    if (this.holds(a)) return a.byteOffset;
    let at = this.copies.get(a);
    if (at === undefined) {
      at = this.alloc(a.byteLength);
      new Uint8Array(this.mem.buffer, at, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      this.copies.set(a, at);
    }
    return at;
  }
}

/** Every allocated Variable of the network's objects (own fields that are Variables). */
export function variablesOf(objects: { obj: object }[]): Variable[] {
  const out: Variable[] = [];
  const seen = new Set<Variable>();
  for (const { obj } of objects) {
    for (const v of Object.values(obj)) {
      if (v instanceof Variable && v.built && !seen.has(v)) { seen.add(v); out.push(v); }
    }
  }
  return out;
}

export const align16 = (n: number) => Math.ceil(Math.max(n, 1) / 16) * 16;
