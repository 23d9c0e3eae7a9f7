import { BrainweaveError } from '../core/errors';
import { StateArray } from '../core/dtype';
import { Variable } from '../core/variable';

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

/** Applies one input for one step (interpreted mode; the compiled loop inlines the same arithmetic). */
export function applyInput(p: InputPlan, t: number): void {
  const a = p.array;
  let v: number | ArrayLike<number> = p.kind === 'func' ? (p.value as (t: number) => number | ArrayLike<number>)(t) : (p.value as number | Float64Array);
  if (typeof v === 'number') {
    switch (p.op) {
      case '+': for (let i = 0; i < a.length; i++) a[i] += v; break;
      case '-': for (let i = 0; i < a.length; i++) a[i] -= v; break;
      case '*': for (let i = 0; i < a.length; i++) a[i] *= v; break;
      case '/': for (let i = 0; i < a.length; i++) a[i] /= v; break;
      case '=': for (let i = 0; i < a.length; i++) a[i] = v; break;
    }
  } else {
    checkLength(p, v);
    switch (p.op) {
      case '+': for (let i = 0; i < a.length; i++) a[i] += v[i]; break;
      case '-': for (let i = 0; i < a.length; i++) a[i] -= v[i]; break;
      case '*': for (let i = 0; i < a.length; i++) a[i] *= v[i]; break;
      case '/': for (let i = 0; i < a.length; i++) a[i] /= v[i]; break;
      case '=': for (let i = 0; i < a.length; i++) a[i] = v[i]; break;
    }
  }
}

export function checkLength(p: InputPlan, v: ArrayLike<number>): void {
  if (v.length !== p.array.length) throw new BrainweaveError(`input '${p.path}': function returned ${v.length} values for ${p.array.length} elements`);
}
