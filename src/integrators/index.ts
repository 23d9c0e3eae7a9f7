/**
 * Numerical integration for brainweave models.
 *
 * - `odeint(f, { method })`: ODE integrators; `f` is a model method `(x1..xn, t, ...args)`, the integral is
 *   `(x1..xn, t, ...args, dt) => x' | [x1'..xn']`, generated source marked `bwCompile` (see odeint.ts).
 * - `sdeint(f, g, { method })`: Itô SDE integrators with noise from `this.rng.normal()` (see sde.ts).
 * - `parseEquations`, `checkUnits`, `defineNeuGroup`: Brian2-style equation strings with units (equations.ts,
 *   units.ts).
 *
 * | method                 | formula (one step h)                                              | order          |
 * |------------------------|-------------------------------------------------------------------|----------------|
 * | euler                  | x + h f(x, t)                                                     | 1              |
 * | midpoint / rk2         | x + h f(x + h/2 k1, t + h/2)                                      | 2              |
 * | heun                   | x + h/2 (k1 + f(x + h k1, t + h))                                 | 2              |
 * | ralston2               | x + h (k1/4 + 3/4 f(x + 2h/3 k1, t + 2h/3))                       | 2              |
 * | rk3                    | Kutta: x + h (k1 + 4 k2 + k3)/6, k3 at x − h k1 + 2h k2           | 3              |
 * | ralston3               | c = 0, 1/2, 3/4; b = 2/9, 1/3, 4/9                                | 3              |
 * | rk4                    | x + h (k1 + 2 k2 + 2 k3 + k4)/6                                   | 4              |
 * | rk4_38rule             | x + h (k1 + 3 k2 + 3 k3 + k4)/8                                   | 4              |
 * | exp_euler / exp_auto   | x + (e^{B h} − 1)/B · f(x), B = ∂f/∂x (mathjs, symbolic)          | 1; exact if linear |
 * | sde euler              | x + f h + g ΔW, ΔW = √h ξ                                         | strong 1/2     |
 * | sde milstein           | x + f h + g ΔW + ½ g ∂g/∂x (ΔW² − h)                              | strong 1       |
 */
export { odeint, methodOrder, ODE_METHODS } from './odeint';
export type { IntegralFn, IntegralMeta, OdeintOptions } from './odeint';
export { sdeint, SDE_METHODS } from './sde';
export type { SdeMethod, SdeintOptions } from './sde';
export { TABLEAUX } from './runge_kutta';
export type { Tableau } from './runge_kutta';
export { EXP_EULER_ORDER } from './exponential';
export { parseEquations, checkUnits, inferUnit, defineNeuGroup, parseExpr, isNoiseName, NOISE_UNIT, EquationError, Expr as EquationExpr, Scope as EquationScope } from './equations';
export type { MNode, Equation, Equations, EquationKind, NeuGroupSpec, EquationGroupClass, GeneratedInfo, SymbolKind, SymbolInfo } from './equations';
export { parseUnit, formatUnit, unitSymbol, Unit, DIMENSIONLESS, MS as TIME_UNIT } from './units';
