import { FunctionIR, OpStmt, ProgramIR, RecordStmt, Stmt } from './ir';
import { commute, EffectAnalysis, Effects, mergeEffects } from './effects';
import { worst } from './classify';
import { onlyAtLoopIndex } from './element-access';
import { renameStmt } from './rename';

/**
 * Schedules one simulation step of the whole network as a flat list of statements, where the cpu
 * backend would otherwise run each object's update as a block in turn. Three rewrites, each exact
 * (the result is bit-identical to running the updates one after another, which the interpreted mode
 * does and the tests compare against):
 *  1. every update's top-level locals are renamed apart (`decay` → `decay$EE`) and its t/dt become the
 *     loop's t$/dt$, so statements of different objects can share one scope;
 *  2. `const` scalars that depend only on t$, dt$ and constants are hoisted to the top of the step;
 *  3. a statement moves up past statements it commutes with (no array or local written by one is used
 *     by the other; random draws keep their order), as far as it can, and fuses with the first of
 *     - an element loop `for (let j = 0; j < N; j++)` over the same N, when every array shared between
 *       the two bodies with a write is only accessed at [j] (iteration j depends on iteration j only), or
 *     - an event delivery (pre2postEventSum) scanning the same spike array, when the two commute.
 * On COBA this turns 4 scans + 4 output loops per step into 2 + 2 (bench/RESULTS.md).
 */
export function scheduleStep(ir: ProgramIR, fuse: boolean, records: RecordStmt[] = []): Stmt[] {
  const fns = new Map<string, FunctionIR>([...ir.helpers, ...ir.updates].map((f) => [f.id, f]));
  const fx = new EffectAnalysis(fns);
  const units: Unit[] = [];
  const ids = { loop: 0 }; // per schedule, so identical networks get identical code
  for (const f of ir.updates) units.push(...flatten(f, fx, ids));
  // spike monitors record the step's final spikes: they come last, and may join a scan of the same array
  for (const r of records) units.push({ stmt: r, eff: fx.stmts([r]) });
  if (!fuse) return units.map((u) => u.stmt);

  const hoisted: Stmt[] = [];
  const hoistedNames = new Set(['t$', 'dt$']);
  const rest: Unit[] = [];
  for (const u of units) {
    if (isPureScalarConst(u, hoistedNames)) {
      hoisted.push(u.stmt);
      for (const n of (u.stmt as Extract<Stmt, { k: 'let' }>).names) hoistedNames.add(n);
    } else rest.push(u);
  }
  return [...hoisted, ...place(rest, fx).map((u) => u.stmt)];
}

/**
 * Schedules statements that are already one step's (renamed apart, loops with unique variables) once
 * more: rule 3 above on their new order. loop rotation (compiler/rotate.ts) uses it on tail + head.
 */
export function reschedule(stmts: Stmt[], fx: EffectAnalysis): Stmt[] {
  return place(stmts.map((stmt) => unitOf(stmt, fx)), fx).map((u) => u.stmt);
}

/**
 * Moves each unit up past everything it commutes with; fuses it with the first partner met, else settles
 * it as early as it can go (so that later statements depending on it can reach their partners too).
 */
function place(units: Unit[], fx: EffectAnalysis): Unit[] {
  const out: Unit[] = [];
  for (const u of units) {
    let placed = false, earliest = out.length;
    for (let j = out.length - 1; j >= 0; j--) {
      const merged = tryFuse(out[j], u, fx);
      if (merged) { out[j] = merged; placed = true; break; }
      if (!commute(out[j].eff, u.eff)) break;
      earliest = j;
    }
    if (!placed) out.splice(earliest, 0, u);
  }
  return out;
}

/** A statement with its effects as seen from outside it (the locals it declares inside are its own). */
function unitOf(stmt: Stmt, fx: EffectAnalysis): Unit {
  const inner = new Set<string>();
  declared(stmt, inner, stmt.k === 'let');
  const e = fx.stmts([stmt]);
  const eff: Effects = { ...e, readLocals: minus(e.readLocals, inner), writeLocals: minus(e.writeLocals, inner) };
  const loop = canonicalLoop(stmt, fx);
  return loop ? { stmt, eff, loop } : { stmt, eff };
}

interface Unit {
  stmt: Stmt;
  eff: Effects;               // without the locals the unit declares inside itself
  loop?: { n: number; vars: Set<string>; fused: boolean };
}

// ------------------------------------------------------------------ flattening

function flatten(f: FunctionIR, fx: EffectAnalysis, ids: { loop: number }): Unit[] {
  const [tName, dtName] = f.params;
  const top = new Set<string>();
  for (const s of f.body) if (s.k === 'let') s.names.forEach((n) => top.add(n));
  const nested = new Set<string>();
  for (const s of f.body) declared(s, nested, s.k === 'let');
  const params = [tName, dtName].filter(Boolean) as string[];
  const all = fx.stmts(f.body);
  const shadowed = [...top, ...params].some((n) => nested.has(n)) || params.some((p) => all.writeLocals.has(p));
  if (f.hasReturn || shadowed) {
    // opaque: run as the per-object block (or function) it was
    const stmt: Stmt = f.hasReturn
      ? { k: 'expr', e: { k: 'call', fn: f.id, args: [{ k: 'local', name: 't$' }, { k: 'local', name: 'dt$' }] }, line: 0 }
      : { k: 'block', body: [...params.map((p, i): Stmt => ({ k: 'let', kind: 'const', names: [p], init: { k: 'local', name: i === 0 ? 't$' : 'dt$' }, destructure: false, line: 0 })), ...f.body] };
    const eff = fx.stmts([stmt]);
    return [{ stmt, eff: { ...eff, readLocals: new Set(['t$', 'dt$']), writeLocals: new Set() } }];
  }
  const map = new Map<string, string>();
  if (tName) map.set(tName, 't$');
  if (dtName) map.set(dtName, 'dt$');
  for (const n of top) map.set(n, `${n}$${f.owner}`);
  return f.body.map((s0) => {
    const u = unitOf(renameStmt(s0, map), fx);
    if (!u.loop) return u;
    // a unique loop variable: a nested declaration elsewhere can then never pass for "the loop index"
    const v = [...u.loop.vars][0], fresh = `lv$${ids.loop++}`;
    return { stmt: renameStmt(u.stmt, new Map([[v, fresh]])), eff: u.eff, loop: { ...u.loop, vars: new Set([fresh]) } };
  });
}

/** Names declared inside s (skipping the names of a top-level let itself when skipTop). */
export function declared(s: Stmt, out: Set<string>, skipTop = false): void {
  switch (s.k) {
    case 'let': if (!skipTop) s.names.forEach((n) => out.add(n)); return;
    case 'if': s.then.forEach((x) => declared(x, out)); s.else?.forEach((x) => declared(x, out)); return;
    case 'for': if (s.init) declared(s.init, out); s.body.forEach((x) => declared(x, out)); return;
    case 'range': out.add(s.v); s.body.forEach((x) => declared(x, out)); return;
    case 'while': case 'block': s.body.forEach((x) => declared(x, out)); return;
    case 'eventGroup': return;
    default: return;
  }
}

function minus(a: Set<string>, b: Set<string>): Set<string> { return new Set([...a].filter((x) => !b.has(x))); }

function isPureScalarConst(u: Unit, known: Set<string>): boolean {
  const s = u.stmt;
  if (s.k !== 'let' || s.kind !== 'const' || s.destructure || !s.init) return false;
  return u.eff.readArrays.size === 0 && u.eff.writeArrays.size === 0 && !u.eff.rng && [...u.eff.readLocals].every((n) => known.has(n));
}

// ------------------------------------------------------------------ fusion

function tryFuse(x: Unit, u: Unit, fx: EffectAnalysis): Unit | null {
  if (x.loop && u.loop && x.loop.n === u.loop.n) return fuseLoops(x, u, fx);
  const xo = eventOps(x.stmt), uo = eventOps(u.stmt);
  if (xo && uo && sameSpike(xo[0], uo[0]) && commute(x.eff, u.eff)) {
    return { stmt: { k: 'eventGroup', ops: [...xo, ...uo], records: [...eventRecords(x.stmt), ...eventRecords(u.stmt)] }, eff: mergeEffects(x.eff, u.eff) };
  }
  // a spike monitor reached a scan of its array (nothing after the scan changes the array): record there
  if (xo && u.stmt.k === 'record' && spikeOf(xo[0]) === u.stmt.arr.id) {
    return { stmt: { k: 'eventGroup', ops: xo, records: [...eventRecords(x.stmt), u.stmt] }, eff: mergeEffects(x.eff, u.eff) };
  }
  return null;
}

function fuseLoops(x: Unit, u: Unit, fx: EffectAnalysis): Unit | null {
  if (x.eff.rng && u.eff.rng) return null;
  // locals the two share with a write must not be involved (loops own their inner locals)
  const localsOk = commute({ ...x.eff, readArrays: new Set(), writeArrays: new Set() }, { ...u.eff, readArrays: new Set(), writeArrays: new Set() });
  if (!localsOk) return null;
  const shared = new Set<string>();
  for (const a of x.eff.writeArrays) if (u.eff.readArrays.has(a) || u.eff.writeArrays.has(a)) shared.add(a);
  for (const a of u.eff.writeArrays) if (x.eff.readArrays.has(a)) shared.add(a);
  const xs = x.stmt as Extract<Stmt, { k: 'for' }>, us = u.stmt as Extract<Stmt, { k: 'for' }>;
  for (const a of shared) {
    if (!onlyAtLoopIndex(xs.body, a, x.loop!.vars, fx) || !onlyAtLoopIndex(us.body, a, u.loop!.vars, fx)) return null;
  }
  // one index for both: u's loop variable is unique (flatten), so renaming it cannot capture anything
  const v1 = loopVar(xs), v2 = loopVar(us);
  const second: Stmt[] = v2 === v1 ? us.body : us.body.map((b) => renameStmt(b, new Map([[v2, v1]])));
  // each original body keeps its own block, so their inner locals stay apart
  const first: Stmt[] = x.loop!.fused ? xs.body : [{ k: 'block', body: xs.body }];
  // loops classified already (a rescheduled step): the fused loop is of the stricter class
  const info = xs.info && us.info ? { cls: worst(xs.info.cls, us.info.cls), maxTrip: Math.max(xs.info.maxTrip, us.info.maxTrip) } : undefined;
  return {
    stmt: { ...xs, info, body: [...first, ...(u.loop!.fused ? second : [{ k: 'block', body: second } as Stmt])] },
    eff: mergeEffects(x.eff, u.eff),
    loop: { n: x.loop!.n, vars: x.loop!.vars, fused: true },
  };
}

/** `for (let v = 0; v < N; v++)` with no break/continue of its own, v neither written nor redeclared. */
function canonicalLoop(s: Stmt, fx: EffectAnalysis): Unit['loop'] | null {
  if (s.k !== 'for' || !s.init || s.init.k !== 'let' || s.init.names.length !== 1 || s.init.destructure) return null;
  const v = s.init.names[0];
  if (!(s.init.init?.k === 'num' && s.init.init.v === 0)) return null;
  const t = s.test;
  if (!(t && t.k === 'bin' && t.op === '<' && t.a.k === 'local' && t.a.name === v && t.b.k === 'num')) return null;
  const up = s.update;
  const inc = up && ((up.k === 'update' && up.op === '++' && up.target.k === 'local' && up.target.name === v)
    || (up.k === 'assign' && up.op === '+=' && up.target.k === 'local' && up.target.name === v && up.value.k === 'num' && up.value.v === 1));
  if (!inc) return null;
  if (hasOwnJump(s.body)) return null;
  const inner = new Set<string>();
  s.body.forEach((x) => declared(x, inner));
  if (inner.has(v) || fx.stmts(s.body).writeLocals.has(v)) return null;
  return { n: t.b.v, vars: new Set([v]), fused: false };
}

function loopVar(s: Extract<Stmt, { k: 'for' }>): string { return (s.init as Extract<Stmt, { k: 'let' }>).names[0]; }

function hasOwnJump(ss: Stmt[]): boolean {
  return ss.some((s) => {
    switch (s.k) {
      case 'break': case 'continue': case 'return': return true;
      case 'if': return hasOwnJump(s.then) || (s.else ? hasOwnJump(s.else) : false);
      case 'block': return hasOwnJump(s.body);
      default: return false; // jumps inside nested loops belong to those loops
    }
  });
}

function eventOps(s: Stmt): OpStmt[] | null {
  if (s.k === 'eventGroup') return s.ops;
  if (s.k === 'op' && s.name === 'pre2postEventSum') return [s];
  return null;
}
function eventRecords(s: Stmt): RecordStmt[] { return s.k === 'eventGroup' ? s.records : []; }
function spikeOf(o: OpStmt): string | null { const a = o.args[2]; return a.k === 'array' ? a.arr.id : null; }
function sameSpike(a: OpStmt, b: OpStmt): boolean {
  const sa = a.args[2], sb = b.args[2], ra = a.args[1], rb = b.args[1];
  return sa.k === 'array' && sb.k === 'array' && sa.arr.id === sb.arr.id && ra.k === 'ragged' && rb.k === 'ragged' && ra.rows === rb.rows;
}

