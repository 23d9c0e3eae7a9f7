/**
 * Explicit Runge–Kutta methods, as Butcher tableaux, and the code generator that writes one step of them.
 *
 * For dx/dt = f(x, t) a step of size h with s stages is
 *   k_j  = f(x + h Σ_{l<j} a_{jl} k_l,  t + c_j h),   j = 1..s
 *   x'   = x + h Σ_j b_j k_j
 * and the global error of a method of order p is O(h^p).
 *
 * | name                  | stages | order | tableau                                                        |
 * |-----------------------|--------|-------|----------------------------------------------------------------|
 * | `euler`               | 1      | 1     | x' = x + h f(x, t)                                             |
 * | `midpoint` (= `rk2`)  | 2      | 2     | k2 = f(x + h/2 k1, t + h/2); x' = x + h k2                     |
 * | `heun`                | 2      | 2     | k2 = f(x + h k1, t + h); x' = x + h/2 (k1 + k2) (trapezoid)    |
 * | `ralston2`            | 2      | 2     | k2 = f(x + 2h/3 k1, t + 2h/3); x' = x + h (k1/4 + 3 k2/4)      |
 * | `rk3`                 | 3      | 3     | Kutta: k2 at h/2; k3 = f(x - h k1 + 2h k2, t + h); b = 1/6,2/3,1/6 |
 * | `ralston3`            | 3      | 3     | c = 0, 1/2, 3/4; b = 2/9, 1/3, 4/9                             |
 * | `rk4`                 | 4      | 4     | classic: k2, k3 at h/2, k4 at h; b = 1/6, 1/3, 1/3, 1/6        |
 * | `rk4_38rule`          | 4      | 4     | Kutta's 3/8 rule: c = 0, 1/3, 2/3, 1; b = 1/8, 3/8, 3/8, 1/8    |
 */
import { numLiteral } from './symbolic';

export interface Tableau {
  /** Stage nodes c_j (c_1 = 0). */
  c: number[];
  /** Lower-triangular coefficients: A[j] has j entries. */
  A: number[][];
  /** Weights b_j. */
  b: number[];
  /** Global order of accuracy. */
  order: number;
}

export const TABLEAUX: Record<string, Tableau> = {
  euler: { c: [0], A: [[]], b: [1], order: 1 },
  midpoint: { c: [0, 1 / 2], A: [[], [1 / 2]], b: [0, 1], order: 2 },
  heun: { c: [0, 1], A: [[], [1]], b: [1 / 2, 1 / 2], order: 2 },
  ralston2: { c: [0, 2 / 3], A: [[], [2 / 3]], b: [1 / 4, 3 / 4], order: 2 },
  rk3: { c: [0, 1 / 2, 1], A: [[], [1 / 2], [-1, 2]], b: [1 / 6, 2 / 3, 1 / 6], order: 3 },
  ralston3: { c: [0, 1 / 2, 3 / 4], A: [[], [1 / 2], [0, 3 / 4]], b: [2 / 9, 1 / 3, 4 / 9], order: 3 },
  rk4: { c: [0, 1 / 2, 1 / 2, 1], A: [[], [1 / 2], [0, 1 / 2], [0, 0, 1]], b: [1 / 6, 1 / 3, 1 / 3, 1 / 6], order: 4 },
  rk4_38rule: { c: [0, 1 / 3, 2 / 3, 1], A: [[], [1 / 3], [-1 / 3, 1], [1, -1, 1]], b: [1 / 8, 3 / 8, 3 / 8, 1 / 8], order: 4 },
};
TABLEAUX.rk2 = TABLEAUX.midpoint;

/**
 * Emits the code that evaluates the derivative at one stage.
 * `states` are expressions (local names or parameter names) for the state, `tExpr` the stage time.
 * Pushes its lines to `out` and returns one local name per state variable holding dx_i/dt.
 */
export type StageEmitter = (stage: number, states: string[], tExpr: string, out: string[]) => string[];

/** `coef * name`, dropping a coefficient of 1. */
function scaled(coef: number, name: string): string {
  return coef === 1 ? name : `${numLiteral(coef)} * ${name}`;
}

/** `t + c * dt` without the noise of c = 0 or 1. */
export function stageTime(t: string, c: number, dt: string): string {
  if (c === 0) return t;
  if (c === 1) return `${t} + ${dt}`;
  return `${t} + ${numLiteral(c)} * ${dt}`;
}

/**
 * Writes one RK step. `vars` are the names of the current state values; `newName(base)` gives fresh local
 * names. Returns the expressions of the new state values (the caller returns or stores them).
 */
export function emitRungeKutta(tab: Tableau, vars: string[], t: string, dt: string, stage: StageEmitter,
  newName: (base: string) => string, out: string[]): string[] {
  const ks: string[][] = [];
  for (let j = 0; j < tab.c.length; j++) {
    let states = vars;
    if (j > 0) {
      states = vars.map((x, i) => {
        const terms = tab.A[j].map((a, l) => (a === 0 ? '' : scaled(a, ks[l][i]))).filter(Boolean);
        if (terms.length === 0) return x;
        const name = newName(`${x}_s${j + 1}`);
        out.push(`const ${name} = ${x} + ${dt} * (${terms.join(' + ')});`);
        return name;
      });
    }
    ks.push(stage(j, states, stageTime(t, tab.c[j], dt), out));
  }
  return vars.map((x, i) => {
    const terms = tab.b.map((b, j) => (b === 0 ? '' : scaled(b, ks[j][i]))).filter(Boolean);
    return `${x} + ${dt} * (${terms.join(' + ')})`;
  });
}
