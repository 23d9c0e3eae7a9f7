/**
 * Exponential Euler (`exp_euler`, alias `exp_auto`).
 *
 * For each state variable x with dx/dt = g(x, ...), linearise g around the current value x_n:
 *   g(x) ≈ g(x_n) + B (x − x_n),   B = ∂g/∂x evaluated at x_n (found symbolically with mathjs).
 * The linear ODE dx/dt = g(x_n) + B (x − x_n) is solved exactly over one step h:
 *   x_{n+1} = x_n + (e^{B h} − 1)/B · g(x_n) = x_n + h φ1(B h) g(x_n),   φ1(z) = (e^z − 1)/z,
 * with φ1(z) → 1 + z/2 + z²/6 as B → 0 (the generated code uses that series for |B h| < 1e−5 and
 * `Math.expm1(B h)/B` otherwise, so it is accurate for every B and reduces to Euler when B = 0).
 * Variables are treated one at a time (the diagonal of the Jacobian), as BrainPy's exp_auto does.
 *
 * Order: 1 in general (exact for linear ODEs dx/dt = A + B x with constant A and B, e.g.
 * dx/dt = (a − x)/τ, whatever the step), and stable for stiff decays since |e^{B h}| ≤ 1 when B ≤ 0.
 */
import { numLiteral } from './symbolic';

export const EXP_EULER_ORDER = 1;

/** The |B h| below which φ1 is evaluated by its Taylor series. */
export const PHI1_SERIES_BELOW = 1e-5;

/**
 * Emits an exponential-Euler update for each variable. `derivs[i]` names the local holding g_i(x_n);
 * `jac[i]` is the JS expression of ∂g_i/∂x_i, or null when it is identically 0 (plain Euler for that variable).
 * Returns the expressions of the new values.
 */
export function emitExpEuler(vars: string[], derivs: string[], jac: (string | null)[], dt: string,
  newName: (base: string) => string, out: string[]): string[] {
  return vars.map((x, i) => {
    const B = jac[i];
    if (B === null) return `${x} + ${dt} * ${derivs[i]}`;
    const b = newName(`${x}_B`), z = newName(`${x}_z`), h = newName(`${x}_h`);
    out.push(`const ${b} = ${B};`);
    out.push(`const ${z} = ${b} * ${dt};`);
    // h = (e^{B dt} - 1) / B, the effective step
    out.push(`const ${h} = Math.abs(${z}) < ${numLiteral(PHI1_SERIES_BELOW)} ? ${dt} * (1 + ${z} * (0.5 + ${z} / 6)) : Math.expm1(${z}) / ${b};`);
    return `${x} + ${h} * ${derivs[i]}`;
  });
}
