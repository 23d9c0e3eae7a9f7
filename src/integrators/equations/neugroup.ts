/** defineNeuGroup: a NeuGroup class whose update() is generated JavaScript source from equations. */
import { math, M } from '../mathjs';
import { BrainweaveError } from '../../core/errors';
import { NeuGroup, Params } from '../../core/dynsys';
import { Variable, Init } from '../../core/variable';
import { emitExpEuler } from '../exponential';
import { ODE_METHODS } from '../odeint';
import { emitRungeKutta, StageEmitter, TABLEAUX } from '../runge_kutta';
import { fresh, isZero, numLiteral, PARAM_PREFIX } from '../symbolic';
import { DIMENSIONLESS, MS } from '../units';
import { Expr, failAt, leaves, parseExpr, symbolsOf } from './expr';
import { Equations, RESERVED, isNoiseName, parseEquations } from './parse';
import { mangle, printJs, substituted } from './printing';
import { BOOL, Scope, SymbolKind, checkUnits, inferUnit, u2s } from './unit-check';

import type { MNode } from './expr';

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
  /** Refractory period: a number in ms or a string with a unit ('2*ms'). Counted in steps as Brian2 does:
   *  after a spike in step s, steps s+1 … s+n−1 are refractory (threshold not checked, variables flagged
   *  '(unless refractory)' held), n = trunc(refractory/dt + 1e-3). */
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

/** Names that may reach generated code: plain ASCII identifiers, nothing else. */
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Fields and methods every NeuGroup has (or that the generated class adds): a parameter may not shadow them. */
const MEMBERS = new Set(['num', 'shape', 'name', 'params', '_rng', 'spike', 't_last_spike', 'refractory']);
function clashesWithMember(k: string): boolean {
  return MEMBERS.has(k) || k in NeuGroup.prototype || k in Object.prototype || k.startsWith('__');
}
/** Throws unless `name` is an identifier that may appear as `this.<name>` in generated code. */
function checkName(name: unknown, where: string): string {
  if (typeof name !== 'string' || !IDENT.test(name)) {
    throw new BrainweaveError(`defineNeuGroup: ${where}: ${JSON.stringify(name)} is not a name; names are letters, digits and '_', not starting with a digit`);
  }
  if (RESERVED.has(name) || isNoiseName(name) || clashesWithMember(name)) {
    throw new BrainweaveError(`defineNeuGroup: ${where}: '${name}' is a reserved name (a JavaScript word, a NeuGroup member or noise)`);
  }
  return name;
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
  // Keys of params, units and init come from data (e.g. JSON): only identifiers may reach generated code.
  // Copy into null-prototype objects so a '__proto__' key is a key, not a prototype.
  const params: Record<string, number> = Object.create(null);
  for (const [k, v] of Object.entries(spec.params ?? {})) {
    checkName(k, `params key ${JSON.stringify(k)}`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new BrainweaveError(`defineNeuGroup: params.${k} must be a finite number, got ${String(v)}`);
    params[k] = v;
  }
  const units: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(spec.units ?? {})) {
    checkName(k, `units key ${JSON.stringify(k)}`);
    if (typeof v !== 'string') throw new BrainweaveError(`defineNeuGroup: units.${k} must be a unit string such as 'mV', got ${String(v)}`);
    units[k] = v;
  }
  for (const name of eqs.list.map((e) => e.name)) checkName(name, 'equations');
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
    checkName(k, `init key ${JSON.stringify(k)}`);
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
  // Refractoriness is a step countdown (steps until integration resumes), never a comparison of float times.
  if (tref !== null) {
    L.push(`const ${refr} = this.refractory[i] > 1;`);
    L.push(`this.refractory[i] = ${refr} ? this.refractory[i] - 1 : 0;`);
  }
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
    if (tref !== null) {
      L.push(`  this.refractory[i] = Math.trunc(${numLiteral(tref)} / dt + 0.001);`);
      L.push('  this.t_last_spike[i] = t;');
    }
    L.push('}');
    L.push(`this.spike[i] = ${sp};`);
  }
  for (const v of written) L.push(`this.${v}[i] = ${after.get(v)};`);
  const updateSource = `update(t, dt) {\n  for (let i = 0; i < this.num; i++) {\n${L.map((l) => '    ' + l).join('\n')}\n  }\n}`;

  // ---- the class
  const className = spec.name ?? 'EquationGroup';
  if (typeof className !== 'string' || !IDENT.test(className) || RESERVED.has(className)) throw new BrainweaveError(`defineNeuGroup: name must be an identifier, got ${JSON.stringify(className)}`);
  const init = spec.init ?? {};
  const initOf = (v: string): Init => (Object.prototype.hasOwnProperty.call(init, v) ? init[v] : v in perNeuronInit ? perNeuronInit[v] : 0);
  // Fields are set by this closure, not by generated text: the only names in generated code are the
  // checked identifiers of update(), and the class name (checked above).
  const paramEntries = Object.entries(params), varNames = [...states, ...perN];
  const hasThreshold = threshold !== null, hasRefractory = tref !== null;
  const setFields = (self: any): void => {
    for (const [k, v] of paramEntries) self[k] = v;
    for (const v of varNames) self[v] = new Variable(self.num, { init: initOf(v) });
    if (hasThreshold) self.spike = new Variable(self.num, { dtype: 'bool' });
    if (hasRefractory) {
      self.refractory = new Variable(self.num, { dtype: 'int32' });
      self.t_last_spike = new Variable(self.num, { init: -1e7 });
    }
  };
  for (const m of updateSource.matchAll(/\bthis\.([^\s[(;,).]*)/g)) {
    if (!IDENT.test(m[1])) throw new BrainweaveError(`defineNeuGroup: internal error: 'this.${m[1]}' in generated code is not an identifier`);
  }
  const classSrc = `return class ${className} extends NeuGroup {\n  constructor(size, params) {\n    super(size, params);\n    setFields(this);\n  }\n  ${updateSource.replace(/\n/g, '\n  ')}\n};`;
  let cls: EquationGroupClass;
  try {
    cls = new Function('NeuGroup', 'setFields', classSrc)(NeuGroup, setFields) as EquationGroupClass;
  } catch (e) {
    throw new BrainweaveError(`defineNeuGroup: internal error in generated code: ${(e as Error).message}\n${classSrc}`);
  }
  const unitsOut: Record<string, string> = {};
  for (const p of scope.params()) unitsOut[p] = units[p] ?? '1';
  Object.defineProperty(cls, 'bw', { value: { equations: eqs, method, updateSource: cls.prototype.update.toString(), stateVars: states, perNeuron: perN, params: { ...params }, units: unitsOut } });
  return cls;
}

