import EventEmitter from 'eventemitter3';
import { BrainweaveError } from './errors';
import { DynamicalSystem, StructRef, TwoEndConn } from './dynsys';
import { Variable } from './variable';
import { Precision } from './dtype';
import { RNG } from './rng';
import { Arena, heapAllocator } from './arena';

export interface NetworkOptions {
  /** float32 (default, as BrainPy) or float64 for every float Variable and monitor. */
  precision?: Precision;
  /** Seed of the network's random stream; may also be given to the first run(). */
  seed?: number;
  /**
   * Allocate Variables and connectivity in one growable shared WebAssembly.Memory per network (default
   * true; src/core/arena.ts): the wasm backend then runs on them without a copy, which halves the peak
   * memory of large networks. Arrays are views of that memory (`v.value.buffer` is the whole memory; use
   * `byteOffset`/`byteLength`). false: one ArrayBuffer per array. Where shared memory is unavailable (a
   * browser page that is not cross-origin isolated) the network uses the heap whatever this says.
   */
  arena?: boolean;
}

/** Which network each model object belongs to: an object is in one network for its whole life. */
const owners = new WeakMap<DynamicalSystem, NetworkBase>();

/**
 * The model side of a network: its members, their parameters, connectivity and Variables, built in a fixed
 * order from one seeded random stream. Running it is the runtime's job (src/runtime/network.ts adds run());
 * this layer imports nothing above the model.
 */
export class NetworkBase extends EventEmitter {
  readonly objects: { name: string; obj: DynamicalSystem }[] = [];
  readonly precision: Precision;
  protected seed: number | undefined;
  protected rng: RNG | null = null;
  protected built = false;
  protected buildTime = 0;
  private readonly useArena: boolean;
  private _arena: Arena | null = null;

  constructor(members: { [name: string]: DynamicalSystem } | DynamicalSystem[], opts: NetworkOptions = {}) {
    super();
    this.precision = opts.precision ?? 'float32';
    if (this.precision !== 'float32' && this.precision !== 'float64') throw new BrainweaveError(`Network: precision must be 'float32' or 'float64', got '${this.precision}'`);
    if (opts.seed !== undefined) checkSeed(opts.seed, 'Network: seed');
    this.seed = opts.seed;
    if (opts.arena !== undefined && typeof opts.arena !== 'boolean') throw new BrainweaveError(`Network: arena must be true or false, got ${String(opts.arena)}`);
    this.useArena = opts.arena ?? true;
    if (members === null || typeof members !== 'object') throw new BrainweaveError(`Network: members must be an object { name: model } or an array of models, got ${String(members)}`);
    const entries = Array.isArray(members) ? members.map((o) => [o?.name, o] as const) : Object.entries(members);
    const seen = new Set<DynamicalSystem>();
    const names = new Set<string>();
    for (const [name, obj] of entries) {
      if (!(obj instanceof DynamicalSystem)) throw new BrainweaveError(`Network: member '${name}' is not a NeuGroup/TwoEndConn (got ${String(obj)})`);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new BrainweaveError(`Network: member name '${name}' must be an identifier`);
      if (seen.has(obj)) throw new BrainweaveError(`Network: '${name}' is added twice`);
      if (names.has(name)) throw new BrainweaveError(`Network: two members are named '${name}'; give each a distinct name (use the object form { E, I, ... })`);
      const other = owners.get(obj);
      if (other && other !== this) throw new BrainweaveError(`Network: ${obj.constructor.name} '${name}' already belongs to another network; an object's Variables and connectivity live in one network, so create a new object`);
      seen.add(obj); names.add(name);
      this.objects.push({ name, obj });
    }
    for (const { name, obj } of this.objects) {
      if (obj instanceof TwoEndConn) {
        for (const side of ['pre', 'post'] as const) {
          if (!seen.has(obj[side])) throw new BrainweaveError(`Network: projection '${name}' has ${side} group ${obj[side].constructor.name} which is not in the network`);
        }
      }
    }
    for (const { obj } of this.objects) owners.set(obj, this);
  }

  /** Looks up a member by its network name. */
  get(name: string): DynamicalSystem {
    const m = this.objects.find((o) => o.name === name);
    if (!m) throw new BrainweaveError(`Network: no member '${name}' (members: ${this.objects.map((o) => o.name).join(', ')})`);
    return m.obj;
  }

  /**
   * Applies parameters, realises connectivity and allocates Variables, in a fixed order from one
   * seeded stream: parameters → connectivity (member order) → Variables (member order, field order).
   */
  build(seed?: number): this {
    if (seed !== undefined) {
      checkSeed(seed, 'seed');
      // one network, one stream: a different seed later would silently mean nothing
      if (this.seed !== undefined && seed !== this.seed) {
        throw new BrainweaveError(`Network: it has seed ${this.seed}${this.built ? ' and is built' : ''}; a run cannot change it to ${seed} (create a new network for another seed)`);
      }
    }
    if (this.built) return this;
    const t0 = performance.now();
    if (seed !== undefined) this.seed = seed;
    this.seed ??= 0;
    const rng = (this.rng = new RNG(this.seed));
    const arena = (this._arena = this.useArena ? Arena.create() : null);
    const alloc = arena ?? heapAllocator;
    for (const { name, obj } of this.objects) {
      obj.name = name;
      obj.attachRng(rng);
      applyParams(name, obj);
    }
    for (const { obj } of this.objects) if (obj instanceof TwoEndConn) obj.conn.realise(rng, alloc);
    for (const { obj } of this.objects) {
      for (const key of Object.keys(obj)) {
        const x = (obj as any)[key];
        if (x instanceof StructRef) (obj as any)[key] = x.resolve();
      }
    }
    for (const { name, obj } of this.objects) {
      for (const key of Object.keys(obj)) {
        const x = (obj as any)[key];
        if (x instanceof Variable) x.allocate(`${name}.${key}`, this.precision, alloc);
      }
    }
    this.built = true;
    this.buildTime = (performance.now() - t0) / 1000;
    return this;
  }

  /** A Variable by 'Member.field', or null. */
  variable(path: string): Variable | null {
    const dot = path.indexOf('.');
    if (dot < 0) return null;
    const m = this.objects.find((o) => o.name === path.slice(0, dot));
    const v = m ? (m.obj as any)[path.slice(dot + 1)] : undefined;
    return v instanceof Variable ? v : null;
  }
  /** Every 'Member.field' that names a Variable. */
  variablePaths(): string[] {
    const out: string[] = [];
    for (const { name, obj } of this.objects) for (const k of Object.keys(obj)) if ((obj as any)[k] instanceof Variable) out.push(`${name}.${k}`);
    return out;
  }

  /** The seed of the network's stream (undefined until given or built). */
  get seedValue(): number | undefined { return this.seed; }
  /** The network's random stream (after build). */
  get stream(): RNG {
    if (!this.rng) throw new BrainweaveError('Network: the random stream exists once the network is built (net.build() or the first run)');
    return this.rng;
  }
  get isBuilt(): boolean { return this.built; }
  /** The memory the network's arrays were allocated in (after build); null: one ArrayBuffer per array. */
  get arena(): Arena | null { return this._arena; }
}

/** Seeds are integers 0 … 2^53 − 1, never rounded or wrapped. */
function checkSeed(seed: unknown, what: string): void {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new BrainweaveError(`${what} must be an integer from 0 to 2^53 - 1, got ${String(seed)}`);
  }
}

/** Overrides field defaults with constructor params; rejects unknown names and non-finite numbers. */
function applyParams(name: string, obj: DynamicalSystem): void {
  for (const [k, v] of Object.entries(obj.params)) {
    const cur = (obj as any)[k];
    const where = `${obj.constructor.name} '${name}'`;
    if (cur === undefined || cur instanceof Variable || typeof cur === 'function') {
      // parameters renamed to the zoo's one naming scheme (models/README.md) say what they are called now
      const renamed = (obj.constructor as { renamedParams?: Record<string, string> }).renamedParams?.[k];
      if (renamed) throw new BrainweaveError(`${where}: parameter '${k}' is now called '${renamed}' (one naming scheme across the model zoo: see models/README.md)`);
      const known = Object.keys(obj).filter((f) => typeof (obj as any)[f] === 'number' || typeof (obj as any)[f] === 'boolean');
      throw new BrainweaveError(`${where}: unknown parameter '${k}' (parameters: ${known.join(', ')})`);
    }
    if (typeof cur === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new BrainweaveError(`${where}: parameter '${k}' must be a finite number, got ${String(v)}`);
    } else if (typeof cur === 'boolean') {
      if (typeof v !== 'boolean') throw new BrainweaveError(`${where}: parameter '${k}' must be a boolean, got ${String(v)}`);
    } else if (ArrayBuffer.isView(cur)) {
      const a = v as ArrayLike<number>;
      if (typeof a !== 'object' || a.length !== (cur as unknown as ArrayLike<number>).length) throw new BrainweaveError(`${where}: parameter '${k}' must be an array of ${(cur as unknown as ArrayLike<number>).length} numbers`);
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new BrainweaveError(`${where}: parameter '${k}'[${i}] is ${a[i]}`);
    }
    (obj as any)[k] = v;
  }
}
