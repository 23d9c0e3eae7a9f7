/**
 * Brian2-style equation strings with units, and `defineNeuGroup`, which turns them into a NeuGroup class
 * whose `update()` is generated JavaScript source.
 *
 * ```
 * dV/dt = (El - V + R * I) / tau : mV (unless refractory)
 * dg/dt = -g / tau_g : 1
 * I_syn = g * (E - V) : mV        # a subexpression, substituted where used
 * I : mV                          # a per-neuron parameter (a Variable without derivative)
 * ```
 * Lines are `dX/dt = expr : unit [(flags)]`, `X = expr : unit` or `X : unit`; `#` starts a comment; the unit
 * is whatever follows the last ':' on the line. Expressions are parsed with mathjs (`math.parse`).
 *
 * Python's `**` is accepted for powers (as `^`). Names resolve in this order: variables of the equations,
 * parameters (`params`/`units` of defineNeuGroup), `t` and `dt` (ms), `pi`, `e`, noise `xi`/`xi_<name>`
 * (unit ms^-1/2; the same name is the same noise, different names are independent), then unit names.
 * Flags: `(unless refractory)` holds the variable during the refractory period; `(constant)` is accepted.
 *
 * Units are checked when the equations are built (see units.ts): the right-hand side of dX/dt must have
 * X's unit per ms (time is in ms), added/compared terms must agree, function arguments must be
 * dimensionless. Every error is an EquationError naming the text at fault and its position
 * (`offset`, 1-based `line` and `column`, the offending `text`), with a caret line in the message.
 *
 * Generated update() per neuron i: load states (`const V = this.V[i]`), integrate with the chosen method
 * (odeint's Runge–Kutta tableaux or exponential Euler, written inline with the right-hand sides; with noise:
 * Euler–Maruyama or Milstein, drawing `this.rng.normal()` once per noise name), hold `(unless refractory)`
 * variables while the int32 countdown `refractory[i]` says so, test the threshold on the new values (not
 * while refractory), apply the reset, set `spike`, `refractory = trunc(tRef/dt + 1e-3)` and
 * `t_last_spike = t` (for reading only), and store. As in Brian2, a spike in step s makes steps
 * s+1 … s+n−1 refractory and the neuron integrates again in step s+n; no float time decides it.
 *
 * Only identifiers reach the generated source: keys of `params`, `units` and `init`, equation names and
 * the class name are checked (letters, digits, '_'; no JavaScript word, NeuGroup member or noise name),
 * expressions are printed from their parse trees (numbers, known names, a fixed list of functions), and
 * parameter values are set on the instance by a closure, not written into the source.
 */
export * from './equations/expr';
export * from './equations/parse';
export * from './equations/unit-check';
export * from './equations/neugroup';
