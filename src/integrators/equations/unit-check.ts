/** Names and units: what each symbol of the equations is, and unit inference that refuses inconsistent terms. */
import { M } from '../mathjs';
import { BrainweaveError } from '../../core/errors';
import { DIMENSIONLESS, formatUnit, MS, numericConstant, parseUnit, Unit, unitSymbol } from '../units';
import { EquationError, Expr } from './expr';
import { Equations, isNoiseName } from './parse';

import type { MNode } from './expr';

export type SymbolKind = 'state' | 'perNeuron' | 'sub' | 'param' | 'time' | 'dt' | 'const' | 'unit' | 'noise';

/** The unit of white noise `xi`: ms^-1/2 (Brian2's xi, with time in ms). */
export const NOISE_UNIT = MS.pow(-0.5).withLabel('ms^-0.5');

export interface SymbolInfo { kind: SymbolKind; unit: Unit; }

/** How names in expressions resolve: equations first, then parameters, t/dt, pi/e, then unit names. */
export class Scope {
  private readonly paramUnits = new Map<string, Unit>();
  constructor(readonly eqs: Equations, units: Record<string, string | Unit> = {}, readonly paramNames: string[] = []) {
    for (const [k, u] of Object.entries(units)) {
      if (eqs.byName.has(k)) throw new BrainweaveError(`units: '${k}' is declared in the equations with unit ${eqs.byName.get(k)!.unitText}; give the unit there only`);
      this.paramUnits.set(k, typeof u === 'string' ? parseUnit(u, `units.${k}`) : u);
    }
    for (const p of paramNames) if (!this.paramUnits.has(p) && !eqs.byName.has(p)) this.paramUnits.set(p, DIMENSIONLESS);
  }
  lookup(name: string): SymbolInfo | null {
    const eq = this.eqs.byName.get(name);
    if (eq) return { kind: eq.kind === 'diff' ? 'state' : eq.kind === 'sub' ? 'sub' : 'perNeuron', unit: eq.unit };
    const pu = this.paramUnits.get(name);
    if (pu) return { kind: 'param', unit: pu };
    if (name === 't') return { kind: 'time', unit: MS };
    if (name === 'dt') return { kind: 'dt', unit: MS };
    if (name === 'pi' || name === 'e') return { kind: 'const', unit: DIMENSIONLESS };
    if (isNoiseName(name)) return { kind: 'noise', unit: NOISE_UNIT };
    const u = unitSymbol(name);
    if (u) return { kind: 'unit', unit: u };
    return null;
  }
  params(): string[] { return [...this.paramUnits.keys()]; }
}

const DIMLESS_FUNCS = new Set(['exp', 'log', 'sin', 'cos', 'tan', 'tanh', 'sinh', 'cosh', 'asin', 'acos', 'atan', 'expm1', 'log1p', 'log10', 'log2', 'sigmoid']);
const SAME_UNIT_FUNCS = new Set(['abs', 'max', 'min', 'clip', 'floor', 'ceil', 'round', 'sign']);
const COMPARE = new Set(['larger', 'largerEq', 'smaller', 'smallerEq', 'equal', 'unequal']);

export const BOOL = new Unit(DIMENSIONLESS.dims, 1, 'boolean');

export function u2s(u: Unit): string { return u === BOOL ? 'a condition' : formatUnit(new Unit(u.dims, u.scale)); }

/** Infers the unit of an expression; throws EquationError at the offending term. */
export function inferUnit(ex: Expr, scope: Scope, n: MNode = ex.node): Unit {
  const rec = (n: MNode): Unit => {
    switch (n.type) {
      case 'ConstantNode':
        return typeof n.value === 'boolean' ? BOOL : DIMENSIONLESS;
      case 'SymbolNode': {
        const s = scope.lookup(n.name);
        if (!s) ex.fail(n, `unknown name '${n.name}' in '${ex.text}' (declare it in the equations, or give it in params and units)`);
        return s.unit;
      }
      case 'ParenthesisNode':
        return rec(n.content);
      case 'ConditionalNode': {
        rec(n.condition);
        const a = rec(n.trueExpr), b = rec(n.falseExpr);
        if (!a.equals(b)) ex.fail(n, `units do not match in '${ex.textOf(n)}': '${ex.textOf(n.trueExpr)}' is ${u2s(a)} but '${ex.textOf(n.falseExpr)}' is ${u2s(b)}`);
        return a;
      }
      case 'OperatorNode': {
        const fn: string = n.fn;
        if (fn === 'unaryMinus' || fn === 'unaryPlus') return rec(n.args[0]);
        if (fn === 'not') { rec(n.args[0]); return BOOL; }
        if (fn === 'and' || fn === 'or' || fn === 'xor') { rec(n.args[0]); rec(n.args[1]); return BOOL; }
        const a = rec(n.args[0]), b = rec(n.args[1]);
        if (fn === 'add' || fn === 'subtract' || fn === 'mod' || COMPARE.has(fn)) {
          if (!a.equals(b)) {
            const why = a.sameDimension(b) ? ` (same dimension, different scale: ${u2s(a)} vs ${u2s(b)}; write both in the same unit)` : '';
            const verb = COMPARE.has(fn) ? 'compare' : fn === 'add' ? 'add' : fn === 'subtract' ? 'subtract' : 'take mod of';
            ex.fail(n, `units do not match in '${ex.textOf(n)}': cannot ${verb} '${ex.textOf(n.args[0])}' (${u2s(a)}) and '${ex.textOf(n.args[1])}' (${u2s(b)})${why}`);
          }
          return COMPARE.has(fn) ? BOOL : a;
        }
        if (fn === 'multiply') return a.mul(b);
        if (fn === 'divide') return a.div(b);
        if (fn === 'pow') {
          if (!b.dimensionless || b.scale !== 1) ex.fail(n.args[1], `the exponent '${ex.textOf(n.args[1])}' must be dimensionless, it is ${u2s(b)}`);
          if (a.dimensionless && Math.abs(a.scale - 1) < 1e-12) return DIMENSIONLESS;
          let p: unknown;
          try { p = constantValue(n.args[1]); } catch { p = undefined; }
          if (typeof p !== 'number') ex.fail(n.args[1], `the exponent '${ex.textOf(n.args[1])}' of a quantity with unit ${u2s(a)} must be a number`);
          return a.pow(p as number);
        }
        return ex.fail(n, `operator '${n.op}' is not supported in '${ex.textOf(n)}'`);
      }
      case 'FunctionNode': {
        const name: string = n.fn.name;
        const args: Unit[] = n.args.map(rec);
        const arity = (k: number[]) => { if (!k.includes(args.length)) ex.fail(n, `${name}() takes ${k.join(' or ')} argument(s), got ${args.length} in '${ex.textOf(n)}'`); };
        if (DIMLESS_FUNCS.has(name)) {
          arity([1]);
          if (!args[0].dimensionless || Math.abs(args[0].scale - 1) > 1e-9) ex.fail(n.args[0], `the argument of ${name}() must be dimensionless, '${ex.textOf(n.args[0])}' is ${u2s(args[0])}`);
          return DIMENSIONLESS;
        }
        if (name === 'sqrt') { arity([1]); return args[0].pow(0.5); }
        if (name === 'cbrt') { arity([1]); return args[0].pow(1 / 3); }
        if (SAME_UNIT_FUNCS.has(name)) {
          arity(name === 'clip' ? [3] : name === 'max' || name === 'min' ? [2, 3, 4] : [1]);
          for (let k = 1; k < args.length; k++) {
            if (!args[k].equals(args[0])) ex.fail(n, `units do not match in '${ex.textOf(n)}': '${ex.textOf(n.args[0])}' is ${u2s(args[0])} but '${ex.textOf(n.args[k])}' is ${u2s(args[k])}`);
          }
          return name === 'sign' ? DIMENSIONLESS : args[0];
        }
        return ex.fail(n, `unknown function '${name}' (supported: ${[...DIMLESS_FUNCS, 'sqrt', 'cbrt', ...SAME_UNIT_FUNCS].join(', ')})`);
      }
      default:
        return ex.fail(n, `unsupported syntax '${ex.textOf(n)}'`);
    }
  };
  return rec(n);
}

/** Numbers and arithmetic only: never mathjs's evaluate() on user text (see numericConstant). */
function constantValue(n: MNode): number { return numericConstant(n); }

/**
 * Checks all equations against the parameter units: subexpressions against their declared unit, and the
 * right-hand side of each dX/dt against X's unit per ms. Returns the inferred unit of each right-hand side.
 */
export function checkUnits(eqs: Equations, units: Record<string, string | Unit> | Scope = {}, paramNames: string[] = []): Map<string, Unit> {
  const scope = units instanceof Scope ? units : new Scope(eqs, units, paramNames);
  const out = new Map<string, Unit>();
  for (const eq of eqs.list) {
    if (!eq.expr) continue;
    const u = inferUnit(eq.expr, scope);
    out.set(eq.name, u);
    const want = eq.kind === 'diff' ? eq.unit.div(MS) : eq.unit;
    const wantText = eq.kind === 'diff' ? (eq.unit.dimensionless ? '1/ms' : `${eq.unitText}/ms`) : eq.unitText;
    if (u === BOOL && eq.kind === 'diff') eq.expr.fail(null, `d${eq.name}/dt = '${eq.expr.text}' is a condition, not a rate`);
    if (!u.equals(want)) {
      const lhs = eq.kind === 'diff' ? `d${eq.name}/dt` : eq.name;
      const why = u.sameDimension(want)
        ? ` (same dimension, but ${+(u.scale / want.scale).toPrecision(6)} times ${wantText}; write the terms in consistent units)`
        : eq.kind === 'diff' ? ` (${eq.name} is ${eq.unitText}, so ${lhs} must be ${wantText}; time is in ms)` : '';
      eq.expr.fail(null, `${lhs} = '${eq.expr.text}' has unit ${u2s(u)}, expected ${wantText}${why}`);
    }
  }
  return out;
}

