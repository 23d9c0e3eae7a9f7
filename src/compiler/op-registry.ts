import { OpArg } from './ir';

/**
 * The table of library operators (as TensorFlow.js registers ops): each op has one spec, registered by
 * src/ops, which lowering checks calls against and which names the reference body `interp` runs; each
 * backend registers one kernel per op in its own table (src/backends/<name>/kernels.ts).
 * The compiler never imports src/ops: ops register themselves here (layering: compiler below ops).
 */
export type OpArgKind = 'array' | 'ragged' | 'dense' | 'scalar';

export interface OpArgSpec {
  name: string;
  kinds: OpArgKind[];
  /** 'out': written (accumulated or assigned); 'in': read only. */
  role: 'in' | 'out';
}

export interface OpSpec {
  name: string;
  args: OpArgSpec[];
  /** What the op does, for docs and for the plan text. */
  summary: string;
  /** Which loop class the op's natural CPU form is (scatter: writes at connectivity-given indices). */
  form: 'scatter' | 'map' | 'serial';
  /** Checks sizes once lowered; `fail` throws a CompileError that names the model, method and line. */
  check?: (args: OpArg[], fail: (msg: string) => never) => void;
  /** The reference implementation: what users call, and what the interp backend runs. */
  reference: (...args: any[]) => void;
}

const OPS = new Map<string, OpSpec>();

export function registerOp(spec: OpSpec): void {
  if (OPS.has(spec.name) && OPS.get(spec.name) !== spec) throw new Error(`op '${spec.name}' is registered twice`);
  OPS.set(spec.name, spec);
}
export function opSpec(name: string): OpSpec | undefined { return OPS.get(name); }
export function opNames(): string[] { return [...OPS.keys()].sort(); }

/** Length of an op argument along its first axis (-1 for scalars). */
export function argLength(a: OpArg): number {
  return a.k === 'array' ? a.arr.array.length : a.k === 'ragged' ? a.rows : a.k === 'dense' ? a.rows : -1;
}
