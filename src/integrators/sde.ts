/**
 * `sdeint(f, g, { method })`: Itô SDEs dx = f(x, t) dt + g(x, t) dW with one independent Wiener process
 * per state variable (diagonal noise). `f` and `g` are methods of the model with the same parameters
 * (`(x1, ..., xn, t, ...args)`); the integral has the signature `(x1, ..., xn, t, ...args, dt)`.
 * Noise is drawn with `this.rng.normal()`, i.e. from the network's seeded stream, in variable order.
 *
 * Methods (ΔW = √h · ξ, ξ ~ N(0, 1)):
 * - `euler` (Euler–Maruyama): x' = x + f h + g ΔW.
 *   Strong order 1/2, weak order 1 (strong order 1 when g does not depend on x: additive noise).
 * - `milstein` (Itô): x' = x + f h + g ΔW + ½ g ∂g/∂x (ΔW² − h).
 *   Strong order 1, weak order 1. ∂g/∂x is found symbolically (mathjs) from g's return expression; when it
 *   is identically 0 for a variable (additive noise) the correction vanishes and Milstein is Euler–Maruyama.
 */
import { BrainweaveError } from '../core/errors';
import { cached, callStage, diagonalJacobian, IntegralFn, makeIntegral, setup, unknownMethod } from './odeint';
import { methodInfo } from './symbolic';

export const SDE_METHODS = ['euler', 'milstein'] as const;
export type SdeMethod = (typeof SDE_METHODS)[number];

export interface SdeintOptions {
  method?: SdeMethod | string;
  dt?: number;
}

export function sdeint(f: (...args: any[]) => any, g: (...args: any[]) => any, options: SdeintOptions | string = {}): IntegralFn {
  const opts: SdeintOptions = typeof options === 'string' ? { method: options } : options;
  const method = opts.method ?? 'euler';
  if (typeof g !== 'function') return buildSde(f, g, method, opts);
  return cached(f, `sde:${method}:${opts.dt ?? ''}:${g.name}:${g.toString()}`, () => buildSde(f, g, method, opts));
}

function buildSde(f: (...args: any[]) => any, g: (...args: any[]) => any, method: string, opts: SdeintOptions): IntegralFn {
  const what = `sdeint(${typeof f === 'function' && f.name ? f.name : '?'}, ${typeof g === 'function' && g.name ? g.name : '?'}, '${method}')`;
  if (!(SDE_METHODS as readonly string[]).includes(method)) throw unknownMethod('sdeint', method, SDE_METHODS);
  if (opts.dt !== undefined && !(typeof opts.dt === 'number' && opts.dt > 0 && Number.isFinite(opts.dt))) {
    throw new BrainweaveError(`${what}: dt must be a positive number, got ${String(opts.dt)}`);
  }
  const fi = methodInfo(f, what), gi = methodInfo(g, what);
  if (fi.params.join(',') !== gi.params.join(',')) {
    throw new BrainweaveError(`${what}: drift '${fi.name}(${fi.params.join(', ')})' and diffusion '${gi.name}(${gi.params.join(', ')})' must take the same parameters`);
  }
  const { vars, args, newName, dt, params } = setup(fi, what);
  const body: string[] = [];
  const jac = method === 'milstein' ? diagonalJacobian(gi, vars, what) : vars.map(() => null);
  const fs = callStage(fi.name, vars, args, newName, 'f')(0, vars, 't', body);
  const gs = callStage(gi.name, vars, args, newName, 'g')(0, vars, 't', body);
  const sq = newName('sqrt_dt');
  body.push(`const ${sq} = Math.sqrt(${dt});`);
  const result = vars.map((x, i) => {
    const dW = newName(`dW_${x}`);
    body.push(`const ${dW} = ${sq} * this.rng.normal();`);
    let e = `${x} + ${fs[i]} * ${dt} + ${gs[i]} * ${dW}`;
    if (jac[i] !== null) e += ` + 0.5 * ${gs[i]} * ${jac[i]} * (${dW} * ${dW} - ${dt})`;
    return e;
  });
  body.push(vars.length === 1 ? `return ${result[0]};` : `return [\n    ${result.join(',\n    ')},\n  ];`);
  return makeIntegral(`${method === 'euler' ? 'euler_maruyama' : 'milstein'}_${fi.name}`, params, body,
    { kind: 'sde', method, order: method === 'milstein' ? 1 : 0.5, f: fi.name, g: gi.name, vars, args }, opts.dt);
}
