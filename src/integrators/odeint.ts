/**
 * `odeint(f, { method })`: numerical integrators for ODEs written as model methods (BrainPy style).
 *
 * ```ts
 * class LIF extends NeuGroup {
 *   tau = 10; V = new Variable(this.num);
 *   derivative(V: number, t: number, Iext: number) { return (-V + Iext) / this.tau; }
 *   integral = odeint(this.derivative, { method: 'rk4' });
 *   update(t: number, dt: number) {
 *     for (let i = 0; i < this.num; i++) this.V[i] = this.integral(this.V[i], t, 1.5, dt);
 *   }
 * }
 * ```
 * Parameters of `f` before `t` are state variables, those after are arguments. The integral has the
 * signature `(x1, ..., xn, t, ...args, dt)` and returns the new value (n = 1) or `[x1', ..., xn']`.
 *
 * The integral is generated source (method form, `name(V, t, Iext, dt) { ... }`) that calls
 * `this.<f.name>(...)` and is marked `bwCompile = true`, so the compiler inlines it with `this` = the model;
 * called directly (interpreted mode) with the model as `this`, it computes exactly the same thing.
 *
 * Methods: see runge_kutta.ts (`euler`, `midpoint`/`rk2`, `heun`, `ralston2`, `rk3`, `ralston3`, `rk4`,
 * `rk4_38rule`) and exponential.ts (`exp_euler`/`exp_auto`).
 */
import { BrainweaveError } from '../core/errors';
import { emitExpEuler, EXP_EULER_ORDER } from './exponential';
import { emitRungeKutta, StageEmitter, TABLEAUX } from './runge_kutta';
import { fresh, isZero, methodInfo, MethodInfo, numLiteral, partial, returnExpressions, splitAtT, toJs } from './symbolic';

export type IntegralFn = ((...args: number[]) => any) & {
  /** Marker read by the compiler: inline this function's source with `this` = the owning model. */
  bwCompile: true;
  /** What it integrates, for messages and introspection. */
  bwIntegral: IntegralMeta;
};

export interface IntegralMeta {
  kind: 'ode' | 'sde';
  method: string;
  order: number;
  /** Name(s) of the method(s) called on `this`. */
  f: string;
  g?: string;
  vars: string[];
  args: string[];
  /** Parameter list of the integral: vars, t, args, dt. */
  params: string[];
  /** The generated source. */
  source: string;
}

export interface OdeintOptions {
  /** Integration method (default 'euler'). */
  method?: string;
  /** Default step: when given, the integral's trailing dt parameter defaults to it (`dt = 0.1`). */
  dt?: number;
}

export const ODE_METHODS = [...Object.keys(TABLEAUX), 'exp_euler', 'exp_auto'] as const;

/** Order of accuracy of each ODE method. */
export function methodOrder(method: string): number {
  if (method === 'exp_euler' || method === 'exp_auto') return EXP_EULER_ORDER;
  const tab = TABLEAUX[method];
  if (!tab) throw unknownMethod('odeint', method);
  return tab.order;
}

export function unknownMethod(what: string, method: unknown, valid: readonly string[] = ODE_METHODS): BrainweaveError {
  return new BrainweaveError(`${what}: unknown method '${String(method)}'; valid methods: ${valid.join(', ')}`);
}

/** Creates the function from a method-form source; the function's toString() is exactly that source. */
export function makeIntegral(name: string, params: string[], body: string[], meta: Omit<IntegralMeta, 'source' | 'params'>, dtDefault?: number): IntegralFn {
  const plist = params.map((p, k) => (k === params.length - 1 && dtDefault !== undefined ? `${p} = ${numLiteral(dtDefault).replace(/^\((.*)\)$/, '$1')}` : p));
  const source = `${name}(${plist.join(', ')}) {\n${body.map((l) => '  ' + l).join('\n')}\n}`;
  let fn: IntegralFn;
  try {
    fn = new Function(`"use strict"; return ({ ${source} }).${name};`)() as IntegralFn;
  } catch (e) {
    throw new BrainweaveError(`internal error generating ${meta.method} integral for ${meta.f}: ${(e as Error).message}\n${source}`);
  }
  Object.defineProperty(fn, 'bwCompile', { value: true, enumerable: true });
  Object.defineProperty(fn, 'bwIntegral', { value: { ...meta, params, source }, enumerable: false });
  return fn;
}

/** Shared set-up: parameter names, fresh-name allocator, dt name. */
export function setup(info: MethodInfo, what: string) {
  const { vars, args } = splitAtT(info, what);
  const taken = new Set<string>([...info.params, 'this', 'Math']);
  const newName = (base: string) => fresh(base, taken);
  const dt = newName('dt');
  return { vars, args, newName, dt, params: [...vars, 't', ...args, dt] };
}

/** `const k = this.f(...)` or `const [k_V, k_w] = this.f(...)`; returns the local names. */
export function callStage(fname: string, vars: string[], args: string[], newName: (b: string) => string, prefix: string): StageEmitter {
  return (j, states, tExpr, out) => {
    const names = vars.map((x) => newName(`${prefix}${j + 1}_${x}`));
    const call = `this.${fname}(${[...states, tExpr, ...args].join(', ')})`;
    out.push(vars.length === 1 ? `const ${names[0]} = ${call};` : `const [${names.join(', ')}] = ${call};`);
    return names;
  };
}

/** ∂g_i/∂x_i for each state variable, as JS (null where identically 0). */
export function diagonalJacobian(info: MethodInfo, vars: string[], what: string): (string | null)[] {
  const exprs = returnExpressions(info, what);
  if (exprs.length !== vars.length) {
    throw new BrainweaveError(`${what}: '${info.name}' has ${vars.length} state variable(s) (${vars.join(', ')}) but returns ${exprs.length} value(s)`);
  }
  return vars.map((x, i) => {
    const d = partial(exprs[i], x, what);
    return isZero(d) ? null : toJs(d);
  });
}

/**
 * Returns the integral of `f` (a method of the model) by `method`. See the module comment.
 */
export function odeint(f: (...args: any[]) => any, options: OdeintOptions | string = {}): IntegralFn {
  const opts: OdeintOptions = typeof options === 'string' ? { method: options } : options;
  const method = opts.method ?? 'euler';
  return cached(f, `ode:${method}:${opts.dt ?? ''}`, () => buildOde(f, method, opts));
}

const CACHE = new WeakMap<Function, Map<string, IntegralFn>>();

/**
 * Integrals are pure functions of the method's source (they reach the model only through `this`), so one
 * integral per (method, options) is shared by all instances: `integral = odeint(this.derivative, ...)` in a
 * class body does the parsing and symbolic work once, not once per object.
 */
export function cached(f: Function, key: string, make: () => IntegralFn): IntegralFn {
  if (typeof f !== 'function') return make(); // make() reports the error
  let m = CACHE.get(f);
  if (!m) { m = new Map(); CACHE.set(f, m); }
  let fn = m.get(key);
  if (!fn) { fn = make(); m.set(key, fn); }
  return fn;
}

function buildOde(f: (...args: any[]) => any, method: string, opts: OdeintOptions): IntegralFn {
  const what = `odeint(${typeof f === 'function' && f.name ? f.name : '?'}, '${method}')`;
  if (!(ODE_METHODS as readonly string[]).includes(method)) throw unknownMethod('odeint', method);
  if (opts.dt !== undefined && !(typeof opts.dt === 'number' && opts.dt > 0 && Number.isFinite(opts.dt))) {
    throw new BrainweaveError(`${what}: dt must be a positive number, got ${String(opts.dt)}`);
  }
  const info = methodInfo(f, what);
  const { vars, args, newName, dt, params } = setup(info, what);
  const body: string[] = [];
  let result: string[];
  if (method === 'exp_euler' || method === 'exp_auto') {
    const jac = diagonalJacobian(info, vars, what);
    const derivs = callStage(info.name, vars, args, newName, 'd')(0, vars, 't', body);
    result = emitExpEuler(vars, derivs, jac, dt, newName, body);
  } else {
    result = emitRungeKutta(TABLEAUX[method], vars, 't', dt, callStage(info.name, vars, args, newName, 'k'), newName, body);
  }
  body.push(vars.length === 1 ? `return ${result[0]};` : `return [\n    ${result.join(',\n    ')},\n  ];`);
  return makeIntegral(`${method}_${info.name}`, params, body,
    { kind: 'ode', method, order: methodOrder(method), f: info.name, vars, args }, opts.dt);
}
