/** Parsing equation text into equations: `dX/dt = expr : unit`, `X = expr : unit`, `X : unit`. */
import { M } from '../mathjs';
import { BrainweaveError } from '../../core/errors';
import { parseUnit, Unit } from '../units';
import { EquationError, Expr, failAt, parseExpr } from './expr';

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

export const RESERVED = new Set(['t', 'dt', 'i', 'spike', 't_last_spike', 'num', 'shape', 'name', 'params', 'rng', 'update',
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

/** `xi`, `xi_1`, `xi_e`...: white noise (unit ms^-1/2). Equal names are the same noise; different names are independent. */
export function isNoiseName(name: string): boolean { return /^xi(_[A-Za-z0-9_]+)?$/.test(name); }
