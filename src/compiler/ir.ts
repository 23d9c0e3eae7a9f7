/**
 * The backend-neutral intermediate form of model code ("abstract code", as in Brian2).
 * Lowering (lower.ts) resolves every `this.a.b` chain against the live objects, so the IR names
 * state arrays, read-only arrays and compile-time constants instead of object fields; emitters
 * (src/backends/*) print it for their target. Scalars are numbers; there are no objects or strings.
 */
import type { Connectivity, StructureName } from '../core/structures';

/** Element type of a binding, as a backend stores it. */
export type BindingDType = 'f32' | 'f64' | 'i32' | 'u8' | 'u32' | 'i8' | 'i16' | 'u16';
/**
 * What an array is to the model: state (a Variable), connectivity (read-only structure), other read-only data,
 * scratch (the backend's), input (a run's input value, refilled by the backend at each call: input-loops.ts).
 */
export type BindingRole = 'state' | 'connectivity' | 'data' | 'scratch' | 'input';

/** A typed array the generated code receives as an argument. */
export interface ArrayBinding {
  id: string;                 // deterministic key, unique per network (emitters may mint their own names from it)
  path: string;               // "E.V", "EE.pre2post.indices": for messages
  array: ArrayLike<number>;   // the live array (updated in place)
  writable: boolean;          // Variables are writable; connectivity and data arrays are not
  isFloat: boolean;
  dtype: BindingDType;
  role: BindingRole;
}

export type Expr =
  /** `bool`: a boolean literal or property (1 or 0 in v), which stays a boolean where that matters: a
   *  boolean is never strictly equal to a number, so `flag === true` cannot become `flag === 1` */
  | { k: 'num'; v: number; bool?: true }
  | { k: 'local'; name: string }
  | { k: 'index'; arr: ArrayBinding; i: Expr }
  | { k: 'localIndex'; name: string; i: Expr }         // element of a local tuple
  | { k: 'bin'; op: string; a: Expr; b: Expr }
  | { k: 'logic'; op: '&&' | '||' | '??'; a: Expr; b: Expr }
  | { k: 'un'; op: '-' | '+' | '!' | '~'; a: Expr }
  | { k: 'cond'; test: Expr; a: Expr; b: Expr }
  | { k: 'math'; fn: string; args: Expr[] }             // Math.fn(...)
  | { k: 'call'; fn: string; args: Expr[] }             // a translated model function
  | { k: 'rng'; fn: string; args: Expr[] }              // network random stream
  | { k: 'tuple'; items: Expr[] }                       // array literal (returned by integrators)
  | { k: 'assign'; target: LValue; op: string; value: Expr }
  | { k: 'update'; target: LValue; op: '++' | '--'; prefix: boolean };

export type LValue = { k: 'local'; name: string } | { k: 'index'; arr: ArrayBinding; i: Expr };

/** Arguments of a library operator (ops/event.ts), lowered to what a kernel needs. */
export type OpArg =
  | { k: 'expr'; e: Expr }
  | { k: 'array'; arr: ArrayBinding }
  /** `origin` lets a kernel ask the same connectivity for another structure (a GPU gather wants csc). */
  | { k: 'ragged'; indptr: ArrayBinding; indices: ArrayBinding; rows: number; maxRow: number; origin: StructureOrigin | null }
  | { k: 'dense'; data: ArrayBinding; rows: number; cols: number };

/** How a loop's iterations depend on each other (compiler/classify.ts), and its largest trip count (-1: unknown). */
export type LoopClass = 'map' | 'reduction' | 'rowParallel' | 'scatter' | 'serial';
export interface LoopInfo {
  cls: LoopClass;
  maxTrip: number;
  /**
   * Only on loops that draw from this.rng (cls is then 'serial': the sequential stream's draws come in
   * iteration order): the class the loop has otherwise, i.e. with independent counter-based draws per
   * iteration (how the gpu backend runs a 'map' or 'rowParallel' loop that draws).
   */
  withoutRng?: LoopClass;
  /**
   * Arrays whose element at the loop index holds a known constant whenever an iteration starts (array id →
   * value; compiler/rotate.ts proves it for a fused loop whose head clears the array each step). Scalar
   * replacement then starts the element's local at that value instead of loading it, and stores nothing
   * back where the iteration ends by writing the same constant.
   */
  entry?: Record<string, number>;
}

export type Stmt =
  | { k: 'let'; kind: 'let' | 'const'; names: string[]; init: Expr | null; destructure: boolean; line: number; where?: string }
  | { k: 'expr'; e: Expr; line: number; where?: string }
  | { k: 'if'; test: Expr; then: Stmt[]; else: Stmt[] | null; line: number; where?: string }
  | { k: 'for'; init: Stmt | null; test: Expr | null; update: Expr | null; body: Stmt[]; line: number; info?: LoopInfo; where?: string }
  | { k: 'range'; v: string; start: Expr; end: Expr; body: Stmt[]; line: number; info?: LoopInfo; where?: string }  // for (let v = start; v < end; v++)
  | { k: 'while'; test: Expr; body: Stmt[]; line: number; where?: string }
  | { k: 'block'; body: Stmt[] }
  | { k: 'break' } | { k: 'continue' }
  | { k: 'return'; value: Expr | null; line: number; where?: string }
  | { k: 'op'; name: string; args: OpArg[]; line: number; where?: string }
  /** Event deliveries over one spike array fused into one scan (made by fuse.ts, not by lowering);
   *  `records` are spike monitors recording the same array in that scan. */
  | { k: 'eventGroup'; ops: OpStmt[]; records: RecordStmt[]; list?: SpikeList }
  /** At the end of an iteration of the loop that computes `spike`: if (spike[index] !== 0) append index to the list. */
  | { k: 'spikeList'; list: SpikeList; spike: ArrayBinding; index: string; value?: string } // value: a local holding spike[index] (compiler/scalarize.ts)
  /** A spike monitor: append (step, index) of every nonzero element of arr to monitor `mon`'s buffers. */
  | RecordStmt
  /** Input `slot` of the run applied to `target` with `op`; the value comes with each run (never baked in). */
  | { k: 'input'; slot: number; target: ArrayBinding; op: '+' | '-' | '*' | '/' | '='; source: 'const' | 'array' | 'sampled' }
  /** A value monitor: every `every` steps, copy arr (or arr at the monitor's indices) into its next record. */
  | { k: 'recordValue'; mon: number; arr: ArrayBinding; every: number; width: number; indexed: boolean }
  /** Every `every` steps: stop with NONFINITE if an element of these float arrays is NaN or ±Inf
   *  (after running `flush`, which completes a rotated step: compiler/rotate.ts). */
  | { k: 'check'; every: number; arrays: ArrayBinding[]; flush?: Stmt[] };

export type RecordStmt = { k: 'record'; mon: number; arr: ArrayBinding; list?: SpikeList };
/** Indices of the nonzero elements of a spike array, in ascending order, built while it is computed. */
export interface SpikeList { arr: ArrayBinding; count: string }
export type OpStmt = { k: 'op'; name: string; args: OpArg[]; line: number; where?: string };

/** A translated function: update() or a helper it calls. */
export interface FunctionIR {
  id: string;           // identifier in generated code
  owner: string;        // network name of the object
  cls: string;          // class name of the object
  method: string;       // "update", "derivative", ...
  params: string[];
  defaults: (number | undefined)[];
  body: Stmt[];
  hasReturn: boolean;
}

/** The whole translated network: functions in update order plus every array they touch. */
export interface ProgramIR {
  updates: FunctionIR[];      // one per object, network order
  helpers: FunctionIR[];      // functions called from updates
  arrays: Map<string, ArrayBinding>;
  usesRng: boolean;
  /** Every object attribute the code was specialised on (constants, arrays, methods), to detect later changes. */
  deps: AttributeDep[];
}

/** The connectivity a ragged structure was taken from, and its name there. */
export interface StructureOrigin { connectivity: Connectivity; name: StructureName }

/** `obj[prop]` was `value` when the code was generated. */
export interface AttributeDep { obj: object; prop: string; value: unknown }
