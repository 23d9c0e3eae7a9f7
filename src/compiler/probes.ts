import { BrainweaveError } from '../core/errors';
import { StateArray } from '../core/dtype';
import { Variable } from '../core/variable';

/**
 * Probes of a run: what to record (monitors) and what to drive (inputs), resolved against the network's
 * Variables. They become statements of the step plan (compiler/plan.ts); their data travels with each run.
 */
/** What a user asks to record: 'E.spike', or { target: 'E.V', indices: [0, 5], every: 10 }. */
export type MonitorSpec = string | { target: string; indices?: ArrayLike<number>; every?: number };

/**
 * A resolved monitor. Bool Variables (spikes) are kept compactly as (step, index) events; other
 * Variables as a dense (records × width) block, one record every `every` steps.
 */
export interface MonitorPlan {
  key: string;
  kind: 'spike' | 'value';
  array: StateArray;
  indices: Int32Array | null;
  every: number;
  width: number;
}

/** Resolves monitor specs against the network's Variables. */
export function planMonitors(specs: MonitorSpec[], lookup: (path: string) => Variable | null, known: () => string[]): MonitorPlan[] {
  const seen = new Set<string>();
  return specs.map((spec) => {
    const s = typeof spec === 'string' ? { target: spec } : spec;
    if (!s || typeof s.target !== 'string') throw new BrainweaveError(`monitor: expected 'Group.variable' or { target, indices?, every? }, got ${JSON.stringify(spec)}`);
    if (seen.has(s.target)) throw new BrainweaveError(`monitor '${s.target}' is listed twice`);
    seen.add(s.target);
    const v = lookup(s.target);
    if (!v) throw new BrainweaveError(`monitor: unknown variable '${s.target}' (known: ${known().join(', ')})`);
    const array = v.value;
    const every = s.every ?? 1;
    if (!(Number.isInteger(every) && every >= 1)) throw new BrainweaveError(`monitor '${s.target}': every must be a positive integer, got ${every}`);
    let indices: Int32Array | null = null;
    if (s.indices !== undefined) {
      indices = Int32Array.from(s.indices as ArrayLike<number>);
      for (let j = 0; j < indices.length; j++) {
        const x = (s.indices as ArrayLike<number>)[j];
        if (!(Number.isInteger(x) && x >= 0 && x < array.length)) throw new BrainweaveError(`monitor '${s.target}': index ${x} out of range [0, ${array.length})`);
      }
    }
    const kind = v.dtype === 'bool' ? 'spike' : 'value';
    if (kind === 'spike' && (indices || every !== 1)) {
      throw new BrainweaveError(`monitor '${s.target}': spike monitors record every event of the group; filter the result instead of passing indices/every`);
    }
    return { key: s.target, kind, array, indices, every, width: indices ? indices.length : array.length };
  });
}


export type InputValue = number | ArrayLike<number> | ((t: number) => number | ArrayLike<number>);
export type InputOp = '+' | '-' | '*' | '/' | '=';
/** ['E.input', 20] or ['E.input', t => ..., '='] or { target, value, op }. Applied each step before the updates. */
export type InputSpec = [string, InputValue, InputOp?] | { target: string; value: InputValue; op?: InputOp };

export interface InputPlan {
  path: string;
  array: StateArray;
  op: InputOp;
  kind: 'const' | 'array' | 'func';
  value: number | Float64Array | ((t: number) => number | ArrayLike<number>);
}

export function planInputs(specs: InputSpec[], lookup: (path: string) => Variable | null, known: () => string[]): InputPlan[] {
  return specs.map((spec) => {
    const s = Array.isArray(spec) ? { target: spec[0], value: spec[1], op: spec[2] } : spec;
    if (!s || typeof s.target !== 'string') throw new BrainweaveError(`input: expected ['Group.variable', value, op?], got ${JSON.stringify(spec)}`);
    const v = lookup(s.target);
    if (!v) throw new BrainweaveError(`input: unknown variable '${s.target}' (known: ${known().join(', ')})`);
    const op = s.op ?? '+';
    if (!['+', '-', '*', '/', '='].includes(op)) throw new BrainweaveError(`input '${s.target}': unknown op '${op}' (use +, -, *, /, =)`);
    const array = v.value;
    const val = s.value;
    if (typeof val === 'number') {
      if (!Number.isFinite(val)) throw new BrainweaveError(`input '${s.target}': value must be finite, got ${val}`);
      return { path: s.target, array, op, kind: 'const', value: val };
    }
    if (typeof val === 'function') return { path: s.target, array, op, kind: 'func', value: val };
    if (val && typeof (val as ArrayLike<number>).length === 'number') {
      const a = Float64Array.from(val as ArrayLike<number>);
      if (a.length !== array.length) throw new BrainweaveError(`input '${s.target}': got ${a.length} values for ${array.length} elements`);
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new BrainweaveError(`input '${s.target}': value at index ${i} is ${a[i]}`);
      return { path: s.target, array, op, kind: 'array', value: a };
    }
    throw new BrainweaveError(`input '${s.target}': value must be a number, an array or a function of t`);
  });
}
