import { Variable } from '../../core/variable';
import { Arena } from '../../core/arena';
import type { StateArray } from '../../core/dtype';

/**
 * The WebAssembly memory a network's modules import: the network's own arena (src/core/arena.ts), where
 * its Variables and connectivity were allocated at build, so nothing is copied; or, where the network has
 * no arena (no shared memory in this engine, or built with `arena: false`), a fixed-size memory that the
 * Variables are moved into (Variable.replaceStorage) and read-only connectivity is copied into. A fixed
 * memory never grows, so its views never detach; when an executable does not fit, a larger one replaces it
 * and the Variables move again (plans bound to the old views are then stale and rebuilt by the runtime).
 */
export class NetMemory {
  /** copies of read-only connectivity arrays (connectivity that lives elsewhere), by the array copied */
  readonly copies = new Map<ArrayLike<number>, number>();

  private constructor(readonly arena: Arena) {}

  /** The network's own growable arena: state and connectivity are already in it. */
  static adopt(arena: Arena): NetMemory { return new NetMemory(arena); }

  /** A fixed memory of `bytes`, holding `vars` (moved in). */
  static fixed(bytes: number, vars: Variable[]): NetMemory {
    const arena = Arena.fixed(bytes);
    for (const v of vars) {
      const old = v.value;
      const Ctor = old.constructor as new (b: ArrayBufferLike, o: number, n: number) => StateArray;
      v.replaceStorage(new Ctor(arena.buffer, arena.alloc(old.byteLength), old.length));
    }
    return new NetMemory(arena);
  }

  get mem(): WebAssembly.Memory { return this.arena.memory; }
  get free(): number { return this.arena.free; }
  get used(): number { return this.arena.used; }
  get capacity(): number { return this.arena.capacity; }
  /** The memory type a module imports: a shared memory must be imported as shared, with its maximum. */
  get limits(): { min: number; max: number; shared?: boolean } {
    const pages = this.capacity / 65536;
    return this.arena.growable ? { min: pages, max: this.arena.maxPages, shared: true } : { min: pages, max: pages };
  }

  /** 16-byte aligned bytes (SIMD loads, f64 views). */
  alloc(bytes: number): number { return this.arena.alloc(bytes); }

  holds(a: ArrayLike<number>): boolean { return this.arena.holds(a); }

  /** Address of a read-only array in this memory: the array itself where it lives here, else its copy (made on first use). */
  copy(a: ArrayLike<number> & ArrayBufferView): number {
    if (this.holds(a)) return a.byteOffset;
    let at = this.copies.get(a);
    if (at === undefined) {
      at = this.alloc(a.byteLength);
      new Uint8Array(this.arena.buffer, at, a.byteLength).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
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

export { align16 } from '../../core/arena';
