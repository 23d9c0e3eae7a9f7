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
 * variables while `t < t_last_spike + refractory`, test the threshold on the new values, apply the reset,
 * set `spike` and `t_last_spike = t + dt`, and store.
 */
import { math, M } from './mathjs';
import { BrainweaveError } from '../core/errors';
import { NeuGroup, Params } from '../core/dynsys';
import { Variable, Init } from '../core/variable';
import { emitExpEuler } from './exponential';
import { ODE_METHODS } from './odeint';
import { emitRungeKutta, StageEmitter, TABLEAUX } from './runge_kutta';
import { fresh, isZero, numLiteral, PARAM_PREFIX, toJs } from './symbolic';
import { DIMENSIONLESS, formatUnit, MS, parseUnit, Unit, unitSymbol } from './units';

type MNode = M.MathNode & Record<string, any>;

// ---------------------------------------------------------------------------------------------------------
// Positions and errors

/** An error in an equation, threshold or reset string, with where it is. */
export class EquationError extends BrainweaveError {
  constructor(message: string, readonly source: string, readonly offset: number, readonly line: number,
    readonly column: number, readonly text: string) {
    super(message);
    this.name = 'EquationError';
  }
}

/** Throws an EquationError pointing at `[offset, offset + length)` of `src` (`label` names the string). */
export function failAt(label: string, src: string, offset: number, length: number, msg: string): never {
  const before = src.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = offset - lineStart + 1;
  let lineEnd = src.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = src.length;
  const text = src.slice(offset, offset + Math.max(0, length));
  const caret = ' '.repeat(column - 1) + '^'.repeat(Math.max(1, Math.min(length, lineEnd - offset)));
  throw new EquationError(`${label}, line ${line}, column ${column} (offset ${offset}): ${msg}\n  ${src.slice(lineStart, lineEnd)}\n  ${caret}`,
    src, offset, line, column, text);
}

/** A parsed expression and where it came from. */
export class Expr {
  /** Source span [start, end) of each node, as offsets into `src`. */
  readonly spans = new Map<MNode, [number, number]>();
  constructor(readonly node: MNode, readonly label: string, readonly src: string, readonly offset: number, readonly text: string) {
    computeSpans(this);
  }
  span(n: MNode): [number, number] { return this.spans.get(n) ?? [this.offset, this.offset + this.text.length]; }
  textOf(n: MNode): string { const [s, e] = this.span(n); return this.src.slice(s, e); }
  fail(n: MNode | null, msg: string): never {
    const [s, e] = n ? this.span(n) : [this.offset, this.offset + this.text.length];
    return failAt(this.label, this.src, s, e - s, msg);
  }
}

const SUPPORTED = new Set(['ConstantNode', 'SymbolNode', 'ParenthesisNode', 'OperatorNode', 'FunctionNode', 'ConditionalNode']);
const WORD_OPS = new Set(['and', 'or', 'not', 'xor', 'mod', 'to', 'in']);

/** Parses `text`, found at `offset` in `src`, with mathjs. Syntax errors point at mathjs's character. */
export function parseExpr(text: string, label: string, src: string, offset: number): Expr {
  const lead = text.length - text.trimStart().length;
  const body = text.trim();
  if (!body) failAt(label, src, offset, Math.max(1, text.length), 'expression expected');
  let node: MNode;
  try {
    node = math.parse(body.replace(/\*\*/g, '^ ')) as MNode; // Python/Brian2 power; same length keeps positions
  } catch (e) {
    const ch = (e as { char?: number }).char;
    const at = offset + lead + (typeof ch === 'number' ? Math.max(0, Math.min(body.length, ch - 1)) : 0);
    const msg = (e as Error).message.replace(/\s*\(char \d+\)/, '');
    return failAt(label, src, at, 1, `cannot parse '${body}': ${msg}`);
  }
  const ex = new Expr(node, label, src, offset + lead, body);
  const check = (n: MNode): void => {
    if (!SUPPORTED.has(n.type)) ex.fail(n, `unsupported syntax '${ex.textOf(n)}' (${n.type})`);
    if (n.type === 'ConstantNode' && typeof n.value !== 'number' && typeof n.value !== 'boolean') ex.fail(n, `unsupported constant '${ex.textOf(n)}'`);
    for (const c of children(n)) check(c);
  };
  check(node);
  return ex;
}

function children(n: MNode): MNode[] {
  switch (n.type) {
    case 'ParenthesisNode': return [n.content];
    case 'OperatorNode': case 'FunctionNode': return n.args;
    case 'ConditionalNode': return [n.condition, n.trueExpr, n.falseExpr];
    default: return [];
  }
}

function symbolsOf(n: MNode, out: string[] = []): string[] {
  if (n.type === 'SymbolNode') out.push(n.name);
  for (const c of children(n)) symbolsOf(c, out);
  return out;
}

/** Leaves in source order: numbers, names and function names. */
function leaves(n: MNode, out: MNode[] = []): MNode[] {
  if (n.type === 'ConstantNode' || n.type === 'SymbolNode') out.push(n);
  else if (n.type === 'FunctionNode') { out.push(n); for (const a of n.args) leaves(a, out); }
  else for (const c of children(n)) leaves(c, out);
  return out;
}

/**
 * mathjs nodes carry no positions; recover them by matching the leaves (in source order) with the number and
 * name tokens of the text. A node's span runs from its first to its last leaf (plus a closing ')' of calls
 * and parentheses).
 */
function computeSpans(ex: Expr): void {
  const toks: [number, number][] = [];
  const re = /[A-Za-z_][A-Za-z0-9_]*|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(ex.text))) if (!WORD_OPS.has(m[0])) toks.push([m.index, m.index + m[0].length]);
  const ls = leaves(ex.node);
  if (ls.length !== toks.length) return;
  const base = ex.offset;
  const leafSpan = new Map<MNode, [number, number]>();
  ls.forEach((l, k) => leafSpan.set(l, [base + toks[k][0], base + toks[k][1]]));
  const closeParen = (end: number): number => {
    let k = end - base;
    while (k < ex.text.length && /\s/.test(ex.text[k])) k++;
    return ex.text[k] === ')' ? base + k + 1 : end;
  };
  const rec = (n: MNode): [number, number] => {
    let s = Infinity, e = -Infinity;
    const own = leafSpan.get(n);
    if (own) { s = own[0]; e = own[1]; }
    for (const c of children(n)) { const [cs, ce] = rec(c); s = Math.min(s, cs); e = Math.max(e, ce); }
    if (n.type === 'FunctionNode' || n.type === 'ParenthesisNode') {
      e = closeParen(e);
      if (n.type === 'ParenthesisNode') {
        let k = s - base - 1;
        while (k >= 0 && /\s/.test(ex.text[k])) k--;
        if (ex.text[k] === '(') s = base + k;
      }
    }
    if (n.type === 'OperatorNode' && n.fn === 'unaryMinus' || n.type === 'OperatorNode' && n.fn === 'unaryPlus' || n.type === 'OperatorNode' && n.fn === 'not') {
      let k = s - base - 1;
      while (k >= 0 && /\s/.test(ex.text[k])) k--;
      if (k >= 0 && /[-+!]/.test(ex.text[k])) s = base + k;
      else if (k >= 2 && ex.text.slice(k - 2, k + 1) === 'not') s = base + k - 2;
    }
    const span: [number, number] = [s, e];
    ex.spans.set(n, span);
    return span;
  };
  rec(ex.node);
}

// ---------------------------------------------------------------------------------------------------------
// Equations

export type EquationKind = 'diff' | 'sub' | 'param';

export interface Equation {
  kind: EquationKind;
  name: string;
  unit: Unit;
  unitText: string;
  /** Right-hand side (diff: dX/dt, sub: the value); absent for parameters. */
  expr?: Expr;
  /** Flags in parentheses after the unit, e.g. ['unless refractory']. */
  flags: string[];
  /** Line number (1-based) and offset of the name in the text. */
  line: number;
  offset: number;
}

export interface Equations {
  text: string;
  /** All equations in order. */
  list: Equation[];
  byName: Map<string, Equation>;
  /** Names of variables with a derivative, in order. */
  stateVars: string[];
  /** Names of subexpressions. */
  subexpressions: string[];
  /** Names of per-neuron parameters (`X : unit`). */
  perNeuron: string[];
}

const RESERVED = new Set(['t', 'dt', 'i', 'spike', 't_last_spike', 'num', 'shape', 'name', 'params', 'rng', 'update',
  'this', 'Math', 'pi', 'e', 'true', 'false', 'and', 'or', 'not', 'xor', 'mod', 'to', 'in', 'constructor',
  'var', 'let', 'const', 'new', 'function', 'return', 'if', 'else', 'for', 'while', 'do', 'class', 'delete', 'typeof', 'void', 'with', 'yield',
  'switch', 'case', 'default', 'break', 'continue', 'try', 'catch', 'finally', 'throw', 'instanceof', 'super', 'import', 'export', 'enum', 'null', 'undefined', 'NaN', 'Infinity']);

const LABEL = 'equations';

/** Parses an equation string (see module comment). Throws EquationError with positions. */
export function parseEquations(text: string): Equations {
  if (typeof text !== 'string') throw new BrainweaveError(`${LABEL}: expected a string, got ${String(text)}`);
  const list: Equation[] = [];
  const byName = new Map<string, Equation>();
  let lineStart = 0;
  const lines = text.split('\n');
  for (let ln = 0; ln < lines.length; ln++) {
    const raw = lines[ln];
    const start = lineStart;
    lineStart += raw.length + 1;
    const hash = raw.indexOf('#');
    const line = hash >= 0 ? raw.slice(0, hash) : raw;
    if (!line.trim()) continue;
    const lead = line.length - line.trimStart().length;
    const diff = /^(\s*)d([A-Za-z_][A-Za-z0-9_]*)\s*\/\s*dt\s*=/.exec(line);
    const sub = diff ? null : /^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)/.exec(line);
    const par = diff || sub ? null : /^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(line);
    const m = diff ?? sub ?? par;
    if (!m) {
      failAt(LABEL, text, start + lead, line.trim().length,
        `cannot read '${line.trim()}': expected 'dX/dt = expression : unit', 'X = expression : unit' or 'X : unit'`);
    }
    const kind: EquationKind = diff ? 'diff' : sub ? 'sub' : 'param';
    const name = m[2];
    const nameOff = start + m[1].length + (diff ? 1 : 0);
    if (RESERVED.has(name) || isNoiseName(name)) failAt(LABEL, text, nameOff, name.length, `'${name}' is a reserved name; choose another variable name`);
    if (byName.has(name)) failAt(LABEL, text, nameOff, name.length, `'${name}' is defined twice (first on line ${byName.get(name)!.line})`);
    const colon = line.lastIndexOf(':');
    if (colon < m[0].length - (par ? 1 : 0)) {
      failAt(LABEL, text, start + line.trimEnd().length, 0, `missing ': unit' at the end of the equation for '${name}' (use ': 1' for dimensionless)`);
    }
    const unitPart = line.slice(colon + 1);
    const um = /^(\s*)([^()]*?)\s*(?:\(([^)]*)\))?\s*$/.exec(unitPart);
    if (!um || !um[2]) failAt(LABEL, text, start + colon + 1, Math.max(1, unitPart.length), `expected a unit after ':' for '${name}' (e.g. mV, ms, nS, or 1)`);
    const unitOff = start + colon + 1 + um[1].length;
    let unit: Unit;
    try { unit = parseUnit(um[2], LABEL); } catch (e) { failAt(LABEL, text, unitOff, um[2].length, (e as Error).message.replace(/^equations: /, '')); }
    const flags = um[3] ? um[3].split(',').map((f) => f.trim()).filter(Boolean) : [];
    for (const f of flags) {
      if (f !== 'unless refractory' && f !== 'constant') {
        failAt(LABEL, text, unitOff + unitPart.slice(um[1].length).indexOf(f), f.length, `unknown flag '${f}' (known: unless refractory, constant)`);
      }
      if (f === 'unless refractory' && kind !== 'diff') failAt(LABEL, text, unitOff + unitPart.slice(um[1].length).indexOf(f), f.length, `flag 'unless refractory' applies to differential equations only`);
    }
    let expr: Expr | undefined;
    if (kind !== 'param') {
      const exprText = line.slice(m[0].length, colon);
      expr = parseExpr(exprText, LABEL, text, start + m[0].length);
    } else if (line.slice(m[0].length, colon).trim()) {
      failAt(LABEL, text, start + m[0].length, colon - m[0].length, `unexpected text in parameter declaration of '${name}'`);
    }
    const eq: Equation = { kind, name, unit, unitText: um[2], expr, flags, line: ln + 1, offset: nameOff };
    list.push(eq);
    byName.set(name, eq);
  }
  if (!list.some((e) => e.kind === 'diff')) {
    failAt(LABEL, text, 0, Math.max(1, text.trim().length ? text.length - (text.length - text.trimEnd().length) : 1), "no differential equation ('dX/dt = expression : unit') found");
  }
  return {
    text, list, byName,
    stateVars: list.filter((e) => e.kind === 'diff').map((e) => e.name),
    subexpressions: list.filter((e) => e.kind === 'sub').map((e) => e.name),
    perNeuron: list.filter((e) => e.kind === 'param').map((e) => e.name),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Names and units

export type SymbolKind = 'state' | 'perNeuron' | 'sub' | 'param' | 'time' | 'dt' | 'const' | 'unit' | 'noise';

/** `xi`, `xi_1`, `xi_e`...: white noise with unit ms^-1/2 (Brian2's xi, with time in ms). Equal names are the
 *  same noise; different names are independent. */
export function isNoiseName(name: string): boolean { return /^xi(_[A-Za-z0-9_]+)?$/.test(name); }
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

const BOOL = new Unit(DIMENSIONLESS.dims, 1, 'boolean');

function u2s(u: Unit): string { return u === BOOL ? 'a condition' : formatUnit(new Unit(u.dims, u.scale)); }

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

function constantValue(n: MNode): number {
  const v = n.evaluate();
  if (typeof v !== 'number') throw new Error('not a number');
  return v;
}

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

// ---------------------------------------------------------------------------------------------------------
// Substitution and printing

/** The expression with subexpressions substituted (recursively; cycles are errors). */
function substituted(ex: Expr, eqs: Equations, stack: string[] = []): MNode {
  return ex.node.transform((n: MNode) => {
    if (n.type === 'SymbolNode') {
      const eq = eqs.byName.get(n.name);
      if (eq && eq.kind === 'sub') {
        if (stack.includes(eq.name)) ex.fail(n, `subexpression '${eq.name}' refers to itself (${[...stack, eq.name].join(' -> ')})`);
        return new math.ParenthesisNode(substituted(eq.expr!, eqs, [...stack, eq.name]));
      }
    }
    return n;
  }) as MNode;
}

/** Renames every symbol (not function names) to bwp_<name>, for mathjs's derivative. */
function mangle(n: MNode): MNode {
  switch (n.type) {
    case 'SymbolNode': return new math.SymbolNode(PARAM_PREFIX + n.name) as MNode;
    case 'ConstantNode': return new math.ConstantNode(n.value) as MNode;
    case 'ParenthesisNode': return new math.ParenthesisNode(mangle(n.content)) as MNode;
    case 'OperatorNode': return new math.OperatorNode(n.op, n.fn, n.args.map(mangle), n.implicit) as MNode;
    case 'FunctionNode': return new math.FunctionNode(new math.SymbolNode(n.fn.name), n.args.map(mangle)) as MNode;
    case 'ConditionalNode': return new math.ConditionalNode(mangle(n.condition), mangle(n.trueExpr), mangle(n.falseExpr)) as MNode;
    default: throw new BrainweaveError(`unsupported node ${n.type}`);
  }
}

/** Prints a tree as JS; `sym` maps user names (mangled or not) to JS. */
function printJs(n: MNode, scope: Scope, sym: (name: string, kind: SymbolKind) => string): string {
  return toJs(n, {
    symbol: (raw) => {
      const name = raw.startsWith(PARAM_PREFIX) ? raw.slice(PARAM_PREFIX.length) : raw;
      const s = scope.lookup(name);
      if (!s) return undefined;
      if (s.kind === 'const') return name === 'pi' ? 'Math.PI' : 'Math.E';
      if (s.kind === 'unit') return '1';
      return sym(name, s.kind);
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// defineNeuGroup

export interface NeuGroupSpec {
  /** Parameter values (numbers; constants of the model, overridable per instance through constructor params).
   *  A per-neuron parameter declared in the equations (`I : mV`) may get its initial value here too. */
  params?: Record<string, number>;
  /** Units of the parameters, e.g. { tau: 'ms', El: 'mV' }. A parameter without a unit is dimensionless. */
  units?: Record<string, string>;
  /** Spike condition, e.g. 'V > Vth'. */
  threshold?: string;
  /** Statements run on a spike, separated by ';' or newlines: 'V = Vr; w += b'. */
  reset?: string;
  /** Refractory period: a number in ms or a string with a unit ('2*ms'). Threshold is not checked while
   *  refractory, and variables flagged '(unless refractory)' are held. */
  refractory?: number | string;
  /** Integration method (odeint's names: euler, rk2, rk4, exp_euler, ...). Default 'euler'. */
  method?: string;
  /** Initial values of state variables and per-neuron parameters (number, array, or function of the index). */
  init?: Record<string, Init>;
  /** Class name (default 'EquationGroup'). */
  name?: string;
}

export interface GeneratedInfo {
  equations: Equations;
  method: string;
  /** Generated source of update(). */
  updateSource: string;
  stateVars: string[];
  perNeuron: string[];
  params: Record<string, number>;
  units: Record<string, string>;
}

export type EquationGroupClass = (new (size: number | number[], params?: Params) => NeuGroup & Record<string, any>) & { bw: GeneratedInfo };

interface ResetStmt { target: string; op: string; expr: Expr; }

function parseStatements(text: string, label: string, scope: Scope, eqs: Equations): ResetStmt[] {
  const out: ResetStmt[] = [];
  const re = /[^;\n]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const part = m[0];
    if (!part.trim()) continue;
    const off = m.index;
    const sm = /^(\s*)([A-Za-z_][A-Za-z0-9_]*)\s*(=|\+=|-=|\*=|\/=)(?!=)/.exec(part);
    if (!sm) failAt(label, text, off + (part.length - part.trimStart().length), part.trim().length, `expected an assignment like 'V = Vr' or 'w += b', got '${part.trim()}'`);
    const target = sm[2];
    const tOff = off + sm[1].length;
    const eq = eqs.byName.get(target);
    if (!eq || eq.kind === 'sub') {
      failAt(label, text, tOff, target.length, eq ? `cannot assign to subexpression '${target}'` : `'${target}' is not a variable of the equations (state variables: ${eqs.stateVars.concat(eqs.perNeuron).join(', ')})`);
    }
    const ex = parseExpr(part.slice(sm[0].length), label, text, off + sm[0].length);
    const u = inferUnit(ex, scope);
    const want = sm[3] === '*=' || sm[3] === '/=' ? DIMENSIONLESS : eq.unit;
    if (!u.equals(want)) ex.fail(null, `'${part.trim()}': '${ex.text}' is ${u2s(u)}, but ${sm[3] === '*=' || sm[3] === '/=' ? 'a factor must be dimensionless' : `${target} is ${eq.unitText}`}`);
    out.push({ target, op: sm[3], expr: ex });
  }
  return out;
}

function refractoryMs(r: number | string, scope: Scope): number {
  if (typeof r === 'number') {
    if (!(r >= 0 && Number.isFinite(r))) throw new BrainweaveError(`defineNeuGroup: refractory must be a non-negative number of ms, got ${r}`);
    return r;
  }
  const ex = parseExpr(r, 'refractory', r, 0);
  const u = inferUnit(ex, scope);
  if (!u.sameDimension(MS)) ex.fail(null, `refractory '${r}' must be a time, it is ${u2s(u)}`);
  for (const l of leaves(ex.node)) {
    if (l.type === 'SymbolNode' && scope.lookup(l.name)!.kind !== 'unit' && scope.lookup(l.name)!.kind !== 'const') ex.fail(l, `refractory must be a constant like '2*ms'; '${l.name}' is not`);
  }
  // evaluate in the unit's scale, then convert to ms
  const v = ex.node.transform((n: MNode) => (n.type === 'SymbolNode' && scope.lookup(n.name)!.kind === 'unit' ? new math.ConstantNode(1) : n)).evaluate();
  return (v as number) * u.scale / MS.scale;
}

/**
 * Builds a NeuGroup subclass from equations. Its fields: one float Variable per state variable and per-neuron
 * parameter, `spike` (bool) when there is a threshold, `t_last_spike` when refractory, and each parameter
 * as a number. Its `update(t, dt)` is generated source that uses only `this.X[i]`, `this.num`, `this.<param>`,
 * numeric literals and Math.*, so the compiler treats it like hand-written code.
 */
export function defineNeuGroup(equations: string, spec: NeuGroupSpec = {}): EquationGroupClass {
  const method = spec.method ?? 'euler';
  if (!(ODE_METHODS as readonly string[]).includes(method) && method !== 'milstein') {
    throw new BrainweaveError(`defineNeuGroup: unknown method '${String(method)}'; valid methods: ${ODE_METHODS.join(', ')}, milstein (with noise xi)`);
  }
  const eqs = parseEquations(equations);
  const params = { ...(spec.params ?? {}) };
  const units = { ...(spec.units ?? {}) };
  for (const [k, v] of Object.entries(params)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new BrainweaveError(`defineNeuGroup: params.${k} must be a finite number, got ${String(v)}`);
    if (RESERVED.has(k) || isNoiseName(k)) throw new BrainweaveError(`defineNeuGroup: '${k}' is a reserved name and cannot be a parameter`);
  }
  const perNeuronInit: Record<string, number> = {};
  for (const k of eqs.perNeuron) if (k in params) { perNeuronInit[k] = params[k]; delete params[k]; }
  for (const k of eqs.stateVars.concat(eqs.subexpressions)) {
    if (k in params) throw new BrainweaveError(`defineNeuGroup: '${k}' is a variable of the equations, not a parameter; give its initial value in init`);
  }
  for (const k of Object.keys(units)) {
    if (!(k in params) && !eqs.byName.has(k)) throw new BrainweaveError(`defineNeuGroup: units.${k} is given but params.${k} has no value`);
  }
  const scope = new Scope(eqs, units, Object.keys(params));
  checkUnits(eqs, scope);
  for (const k of Object.keys(spec.init ?? {})) {
    const eq = eqs.byName.get(k);
    if (!eq || eq.kind === 'sub') throw new BrainweaveError(`defineNeuGroup: init.${k}: '${k}' is not a state variable or per-neuron parameter of the equations`);
  }

  const threshold = spec.threshold !== undefined ? parseExpr(spec.threshold, 'threshold', spec.threshold, 0) : null;
  if (threshold) {
    const u = inferUnit(threshold, scope);
    if (u !== BOOL) threshold.fail(null, `threshold '${spec.threshold}' must be a condition such as 'V > Vth', it is ${u2s(u)}`);
  }
  if (spec.reset !== undefined && !threshold) throw new BrainweaveError('defineNeuGroup: reset is given but threshold is not');
  const resets = spec.reset !== undefined ? parseStatements(spec.reset, 'reset', scope, eqs) : [];
  const tref = spec.refractory !== undefined ? refractoryMs(spec.refractory, scope) : null;
  if (tref !== null && !threshold) throw new BrainweaveError('defineNeuGroup: refractory is given but threshold is not');

  // ---- code generation
  const taken = new Set<string>(['t', 'dt', 'i', 'this', 'Math']);
  const newName = (b: string) => fresh(b, taken);
  const cur = new Map<string, string>(); // variable -> local holding its current value
  const L: string[] = [];
  const states = eqs.stateVars, perN = eqs.perNeuron;
  const refr = tref !== null ? newName('refractory') : '';
  for (const v of [...states, ...perN]) { const n = newName(v); cur.set(v, n); L.push(`const ${n} = this.${v}[i];`); }
  if (tref !== null) L.push(`const ${refr} = t < this.t_last_spike[i] + ${numLiteral(tref)};`);
  const rhs = states.map((v) => substituted(eqs.byName.get(v)!.expr!, eqs));
  const symFor = (stateMap: Map<string, string>, tExpr: string) => (name: string, kind: SymbolKind): string => {
    switch (kind) {
      case 'state': return stateMap.get(name)!;
      case 'perNeuron': return cur.get(name)!;
      case 'param': return `this.${name}`;
      case 'time': return tExpr;
      case 'dt': return 'dt';
      default: throw new BrainweaveError(`internal: symbol ${name} of kind ${kind}`);
    }
  };
  const stage: StageEmitter = (j, st, tExpr, out) => {
    const map = new Map(states.map((v, k) => [v, st[k]]));
    return states.map((v, k) => {
      const n = newName(`${j === 0 && method.startsWith('exp') ? 'd' : `k${j + 1}_`}${v}`);
      out.push(`const ${n} = ${printJs(rhs[k], scope, symFor(map, tExpr))};`);
      return n;
    });
  };
  const curStates = states.map((v) => cur.get(v)!);
  // stochastic terms: rhs = f + Σ_k g_k xi_k, linear in each xi
  const noiseNames = [...new Set(rhs.flatMap((r) => symbolsOf(r).filter(isNoiseName)))].sort();
  let noise: { name: string; g: string; dgdx: string | null }[][] = [];
  if (noiseNames.length) {
    if (method !== 'euler' && method !== 'milstein') {
      throw new BrainweaveError(`defineNeuGroup: the equations contain noise (${noiseNames.join(', ')}); method '${method}' is deterministic; use 'euler' (Euler–Maruyama) or 'milstein'`);
    }
    const idMap = new Map(states.map((v) => [v, cur.get(v)!]));
    noise = states.map((v, k) => {
      const terms: { name: string; g: string; dgdx: string | null }[] = [];
      const ex = eqs.byName.get(v)!.expr!;
      for (const xi of noiseNames) {
        if (!symbolsOf(rhs[k]).includes(xi)) continue;
        let g: MNode, g2: MNode, dgdx: MNode | null = null;
        try {
          g = math.derivative(mangle(rhs[k]), PARAM_PREFIX + xi) as MNode;
          g2 = math.derivative(g, PARAM_PREFIX + xi) as MNode;
          if (method === 'milstein') dgdx = math.derivative(g, PARAM_PREFIX + v) as MNode;
        } catch (e) {
          return ex.fail(null, `cannot separate the noise term ${xi} in d${v}/dt = '${ex.text}': ${(e as Error).message}`);
        }
        if (!isZero(g2)) ex.fail(null, `d${v}/dt = '${ex.text}' must be linear in ${xi} (noise enters as g * ${xi})`);
        terms.push({ name: xi, g: printJs(g, scope, symFor(idMap, 't')), dgdx: dgdx && !isZero(dgdx) ? printJs(dgdx, scope, symFor(idMap, 't')) : null });
      }
      if (method === 'milstein' && terms.length > 1) ex.fail(null, `milstein supports one noise term per equation; d${v}/dt has ${terms.map((x) => x.name).join(', ')}`);
      return terms;
    });
    for (let k = 0; k < rhs.length; k++) {
      rhs[k] = rhs[k].transform((n: MNode) => (n.type === 'SymbolNode' && isNoiseName(n.name) ? new math.ConstantNode(0) : n)) as MNode;
    }
  }
  let next: string[];
  if (noiseNames.length) {
    next = emitRungeKutta(TABLEAUX.euler, curStates, 't', 'dt', stage, newName, L);
    const sq = newName('sqrt_dt');
    L.push(`const ${sq} = Math.sqrt(dt);`);
    const dW = new Map<string, string>();
    for (const xi of noiseNames) { const n = newName(`dW_${xi}`); dW.set(xi, n); L.push(`const ${n} = ${sq} * this.rng.normal();`); }
    next = next.map((e, k) => {
      let out = e;
      for (const term of noise[k]) {
        const w = dW.get(term.name)!;
        out += ` + ${term.g} * ${w}`;
        if (term.dgdx !== null) out += ` + 0.5 * ${term.g} * ${term.dgdx} * (${w} * ${w} - dt)`;
      }
      return out;
    });
  } else if (method === 'exp_euler' || method === 'exp_auto') {
    const idMap = new Map(states.map((v) => [v, cur.get(v)!]));
    const jac = states.map((v, k) => {
      let d: MNode;
      try { d = math.derivative(mangle(rhs[k]), PARAM_PREFIX + v) as MNode; } catch (e) {
        return eqs.byName.get(v)!.expr!.fail(null, `exp_euler cannot differentiate d${v}/dt = '${eqs.byName.get(v)!.expr!.text}' with respect to ${v}: ${(e as Error).message}`);
      }
      return isZero(d) ? null : printJs(d, scope, symFor(idMap, 't'));
    });
    const derivs = stage(0, curStates, 't', L);
    next = emitExpEuler(curStates, derivs, jac, 'dt', newName, L);
  } else {
    next = emitRungeKutta(TABLEAUX[method], curStates, 't', 'dt', stage, newName, L);
  }
  const after = new Map<string, string>();
  states.forEach((v, k) => {
    const n = newName(`${v}_new`);
    const hold = tref !== null && eqs.byName.get(v)!.flags.includes('unless refractory');
    L.push(`let ${n} = ${hold ? `${refr} ? ${cur.get(v)} : ` : ''}${next[k]};`);
    after.set(v, n);
  });
  const written = new Set<string>(states);
  for (const r of resets) {
    if (!after.has(r.target)) { const n = newName(`${r.target}_new`); L.push(`let ${n} = ${cur.get(r.target)};`); after.set(r.target, n); written.add(r.target); }
  }
  const postSym = (name: string, kind: SymbolKind): string => {
    if (kind === 'state' || kind === 'perNeuron') return after.get(name) ?? cur.get(name)!;
    if (kind === 'param') return `this.${name}`;
    if (kind === 'time') return 't';
    if (kind === 'dt') return 'dt';
    if (kind === 'noise') throw new BrainweaveError(`defineNeuGroup: noise '${name}' may only appear in differential equations, not in threshold or reset`);
    throw new BrainweaveError(`internal: symbol ${name}`);
  };
  if (threshold) {
    const cond = printJs(substituted(threshold, eqs), scope, postSym);
    const sp = newName('spike');
    L.push(`let ${sp} = 0;`);
    L.push(`if (${tref !== null ? `!${refr} && ` : ''}${cond}) {`);
    L.push(`  ${sp} = 1;`);
    for (const r of resets) {
      const e = printJs(substituted(r.expr, eqs), scope, postSym);
      const tgt = after.get(r.target)!;
      L.push(r.op === '=' ? `  ${tgt} = ${e};` : `  ${tgt} = ${tgt} ${r.op[0]} (${e});`);
    }
    if (tref !== null) L.push('  this.t_last_spike[i] = t + dt;');
    L.push('}');
    L.push(`this.spike[i] = ${sp};`);
  }
  for (const v of written) L.push(`this.${v}[i] = ${after.get(v)};`);
  const updateSource = `update(t, dt) {\n  for (let i = 0; i < this.num; i++) {\n${L.map((l) => '    ' + l).join('\n')}\n  }\n}`;

  // ---- the class
  const className = spec.name ?? 'EquationGroup';
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(className)) throw new BrainweaveError(`defineNeuGroup: name must be an identifier, got '${className}'`);
  const init = spec.init ?? {};
  const fieldLines: string[] = [];
  for (const [k, v] of Object.entries(params)) fieldLines.push(`this.${k} = ${numLiteral(v)};`);
  for (const v of [...states, ...perN]) fieldLines.push(`this.${v} = new Variable(this.num, { init: spec.initOf(${JSON.stringify(v)}) });`);
  if (threshold) fieldLines.push(`this.spike = new Variable(this.num, { dtype: 'bool' });`);
  if (tref !== null) fieldLines.push(`this.t_last_spike = new Variable(this.num, { init: -1e7 });`);
  const classSrc = `return class ${className} extends NeuGroup {\n  constructor(size, params) {\n    super(size, params);\n    ${fieldLines.join('\n    ')}\n  }\n  ${updateSource.replace(/\n/g, '\n  ')}\n};`;
  const initOf = (v: string): Init => (v in init ? init[v] : v in perNeuronInit ? perNeuronInit[v] : 0);
  let cls: EquationGroupClass;
  try {
    cls = new Function('NeuGroup', 'Variable', 'spec', classSrc)(NeuGroup, Variable, { initOf }) as EquationGroupClass;
  } catch (e) {
    throw new BrainweaveError(`defineNeuGroup: internal error in generated code: ${(e as Error).message}\n${classSrc}`);
  }
  const unitsOut: Record<string, string> = {};
  for (const p of scope.params()) unitsOut[p] = units[p] ?? '1';
  Object.defineProperty(cls, 'bw', { value: { equations: eqs, method, updateSource: cls.prototype.update.toString(), stateVars: states, perNeuron: perN, params, units: unitsOut } });
  return cls;
}
