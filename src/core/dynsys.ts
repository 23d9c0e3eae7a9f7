import { BrainweaveError } from './errors';
import { RNG } from './rng';
import type { Allocator } from './arena';
import { ConnectorSpec, Connectivity, StructureName, STRUCTURE_NAMES, Structure, Ragged, Dense2D, COO, recordOrigin } from './structures';

/** Ragged rows as seen inside update(): `this.pre2post[i]` is row i (iterate with for-of). */
export type Rows = Ragged & { readonly [row: number]: Int32Array; readonly length: number };
/** A matrix as seen inside update(): `this.conn_mat[i][j]`. */
export type Matrix<T = Uint8Array> = Dense2D & { readonly [row: number]: T; readonly length: number };
/** The type update() code sees for each structure name. */
export interface StructureTypes {
  conn_mat: Matrix<Uint8Array>; pre_ids: Int32Array; post_ids: Int32Array;
  pre2post: Rows; post2pre: Rows; pre2syn: Rows; post2syn: Rows;
  pre_slice: Matrix<Int32Array>; post_slice: Matrix<Int32Array>;
  csr: Rows; csc: Rows & { readonly synIds: Int32Array }; coo: COO;
}
/** Structure types for a list of structure names (what conn.require(...names) returns). */
export type TypesOf<N extends StructureName[]> = { [K in keyof N]: N[K] extends StructureName ? StructureTypes[N[K]] : never };
/** A neuron group as a projection sees it: its Variables by name (V, spike, input, ...). */
export type Group = NeuGroup & { [field: string]: any };

/** Parameters given at construction; applied at build, after class-field defaults were set. */
export type Params = Record<string, number | boolean | ArrayLike<number>>;

let autoId = 0;

/**
 * Base of every model object. Subclasses declare Variables as fields and write `update(t, dt)` in plain
 * TypeScript; the compiler turns that method into generated code (see src/compiler).
 */
export abstract class DynamicalSystem {
  /** Name inside the network (the key it was given); set at build. */
  name: string;
  /** Constructor parameters, applied over the field defaults at build time. */
  readonly params: Params;
  private _rng: RNG | null = null;

  constructor(params: Params = {}) {
    this.name = `${this.constructor.name}${autoId++}`;
    this.params = params;
  }

  /** The network's seeded random stream. Available while the network builds (Variable init) and after. */
  get rng(): RNG {
    if (!this._rng) throw new BrainweaveError(`${this.name}: rng is only available once the object is in a network being built (use it inside a Variable's init function)`);
    return this._rng;
  }
  /** @internal */
  attachRng(rng: RNG): void { this._rng = rng; }

  /** One integration step. `t` is the time at the start of the step, both in ms. */
  abstract update(t: number, dt: number): void;

  /**
   * Called by Network.run before each run, with its dt (after build). Throw a BrainweaveError to refuse
   * a run the model cannot do correctly (e.g. delay buffers sized for a larger dt). Not compiled.
   */
  beforeRun(_dt: number): void {}
}

/** A population of `num` neurons. `size` may be a shape (e.g. [40, 50] for a grid). */
export abstract class NeuGroup extends DynamicalSystem {
  readonly num: number;
  readonly shape: number[];
  constructor(size: number | number[], params: Params = {}) {
    super(params);
    const shape = Array.isArray(size) ? size.slice() : [size];
    for (const s of shape) {
      if (!(Number.isInteger(s) && s > 0)) throw new BrainweaveError(`${this.constructor.name}: size must be positive integers, got ${JSON.stringify(size)}`);
    }
    this.shape = shape;
    this.num = shape.reduce((a, b) => a * b, 1);
  }
}

/**
 * A lazily realised connectivity structure; replaced by the real typed arrays when the network builds.
 * (`require` is typed as returning the structure itself, which is what update() code sees.)
 */
export class StructRef {
  constructor(readonly handle: ConnHandle, readonly structure: StructureName) {}
  resolve(): Structure {
    const c = this.handle.connectivity, s = c.get(this.structure);
    recordOrigin(s, c, this.structure);
    return s;
  }
}

/** A projection's own realisation of a connector specification. */
export class ConnHandle {
  private conn: Connectivity | null = null;
  constructor(readonly spec: ConnectorSpec, readonly owner: TwoEndConn) {}

  /**
   * Ask for structures by name (see src/core/structures.ts for layouts). Returns one handle per name;
   * assign them to fields: `pre2post = this.conn.require('pre2post')`.
   */
  require<N extends StructureName>(name: N): StructureTypes[N];
  require<N extends StructureName[]>(...names: N): TypesOf<N>;
  require(...names: StructureName[]): any {
    if (names.length === 0) throw new BrainweaveError(`${this.owner.constructor.name}: conn.require() needs at least one structure name`);
    const refs = names.map((n) => {
      if (!(STRUCTURE_NAMES as readonly string[]).includes(n)) {
        throw new BrainweaveError(`${this.owner.constructor.name}: unknown connectivity structure '${n}' (known: ${STRUCTURE_NAMES.join(', ')})`);
      }
      return new StructRef(this, n);
    });
    return names.length === 1 ? refs[0] : refs;
  }

  /** @internal Called by Network.build with the network's stream and allocator. */
  realise(rng: RNG, alloc?: Allocator): Connectivity {
    if (!this.conn) {
      const pre = this.owner.pre, post = this.owner.post;
      this.conn = this.spec.build(pre.num, post.num, rng, pre.shape, post.shape, alloc);
    }
    return this.conn;
  }
  get realised(): boolean { return this.conn !== null; }
  get connectivity(): Connectivity {
    if (!this.conn) throw new BrainweaveError(`${this.owner.name}: connectivity is realised when the network is built (first run or net.build())`);
    return this.conn;
  }
  /** Number of synapses (available from build on: use it in sizes as `() => this.conn.nSyn`). */
  get nSyn(): number { return this.connectivity.nSyn; }
}

/** A projection from `pre` to `post`, with connectivity from a connector specification. */
export abstract class TwoEndConn extends DynamicalSystem {
  readonly pre: Group;
  readonly post: Group;
  readonly conn: ConnHandle;
  constructor(pre: NeuGroup, post: NeuGroup, conn: ConnectorSpec, params: Params = {}) {
    super(params);
    if (!(pre instanceof NeuGroup)) throw new BrainweaveError(`${this.constructor.name}: pre must be a NeuGroup`);
    if (!(post instanceof NeuGroup)) throw new BrainweaveError(`${this.constructor.name}: post must be a NeuGroup`);
    if (!conn || typeof (conn as ConnectorSpec).build !== 'function') {
      throw new BrainweaveError(`${this.constructor.name}: conn must be a connector (e.g. new FixedProb(0.02)), got ${String(conn)}`);
    }
    this.pre = pre; this.post = post;
    this.conn = new ConnHandle(conn, this);
  }
  /** Number of synapses, once built. */
  get nSyn(): number { return this.conn.nSyn; }
}
