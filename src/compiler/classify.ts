import { Expr, LoopClass, LoopInfo, Stmt } from './ir';
import { EffectAnalysis } from './effects';
import { forEachExpr, walkStmts as walk } from './walk';
import { maxRowLength } from './lower';
import { opSpec } from './op-registry';

/**
 * Classifies every loop of a step by how its iterations depend on each other, so a backend can choose a
 * form (a GPU runs 'map' and 'rowParallel' loops as kernels, must refuse 'scatter' it cannot do, and runs
 * 'serial' code on one thread), and records the largest trip count (known at lowering: realised
 * connectivity rows have fixed lengths). The classes, for a loop over v:
 *  - map:         every array written is accessed only at [v]; no outer local written; no random draws
 *  - rowParallel: writes at [k] where k runs over row v of a ragged structure (rows are disjoint)
 *  - reduction:   as map, but outer locals are accumulated (`acc += ...`)
 *  - scatter:     accumulates into arrays at indices read from data (`out[idx[k]] += ...`), or a delivery op
 *  - serial:      anything else (loop-carried dependences, random draws from the sequential stream)
 * A loop that draws is 'serial' and records in `withoutRng` the class it has otherwise (a backend with
 * counter-based draws per element runs a 'map' or 'rowParallel' one in parallel).
 * Annotates `info` on 'for' and 'range' statements in place.
 */
export function classifyLoops(ss: Stmt[], fx: EffectAnalysis): void {
  walk(ss, (s) => {
    if (s.k === 'for' || s.k === 'range') s.info = classify(s, fx);
  });
}

const RANK: Record<LoopClass, number> = { map: 0, rowParallel: 1, reduction: 2, scatter: 3, serial: 4 };
/** The class of a loop doing what two loops of these classes do. */
export const worst = (a: LoopClass, b: LoopClass): LoopClass => (RANK[a] >= RANK[b] ? a : b);

function classify(s: Extract<Stmt, { k: 'for' | 'range' }>, fx: EffectAnalysis): LoopInfo {
  const v = s.k === 'range' ? s.v : loopVar(s);
  const maxTrip = tripCount(s);
  if (!v) return { cls: 'serial', maxTrip };
  const body = s.body;
  const eff = fx.stmts(body);
  let cls: LoopClass = 'map';

  // outer locals written: accumulations make a reduction, anything else is serial
  const inner = new Set<string>([v]);
  walk(body, (x) => {
    if (x.k === 'let') x.names.forEach((n) => inner.add(n));
    if (x.k === 'range') inner.add(x.v);
    if (x.k === 'for' && x.init?.k === 'let') x.init.names.forEach((n) => inner.add(n));
  });
  for (const n of eff.writeLocals) {
    if (inner.has(n)) continue;
    cls = worst(cls, onlyAccumulates(body, n) ? 'reduction' : 'serial');
  }

  // array accesses relative to v; `const j = v` (how fused loops alias their indices) counts as v
  const same = new Set([v]);
  walk(body, (x) => { if (x.k === 'let' && x.kind === 'const' && x.init?.k === 'local' && same.has(x.init.name) && !x.destructure) same.add(x.names[0]); });
  const written = eff.writeArrays;
  const rows = new Set<string>(); // range variables iterating row v of a ragged structure
  walk(body, (x) => {
    const r = asRowLoop(x);
    if (r && [...same].some((w) => isRowOf(r, w))) rows.add(r.v);
  });
  forEachAccess(body, (arr, i, write, op) => {
    const atV = i.k === 'local' && same.has(i.name);
    if (write) {
      if (atV) return;
      if (i.k === 'local' && rows.has(i.name)) { cls = worst(cls, 'rowParallel'); return; }
      cls = worst(cls, op === '+=' || op === '-=' ? 'scatter' : 'serial');
    } else if (written.has(arr) && !atV && !(i.k === 'local' && rows.has(i.name))) {
      // reading what another iteration may write: a loop-carried dependence, unless it is the
      // read half of a scatter's `+=` (same index expression), which forEachAccess does not report
      cls = worst(cls, 'serial');
    }
  });
  walk(body, (x) => {
    if (x.k === 'op' || x.k === 'eventGroup') cls = worst(cls, x.k === 'op' && opSpec(x.name)?.form === 'map' ? 'map' : 'scatter');
    if (x.k === 'record' || x.k === 'while' || x.k === 'return' || x.k === 'break' || x.k === 'continue') {
      if (x.k === 'record' || x.k === 'while') cls = worst(cls, 'serial');
    }
  });
  // helpers that write arrays: their indices are not visible here
  forEachExpr(body, (e) => {
    if (e.k === 'call' && fx.stmts([{ k: 'expr', e: { ...e, args: [] }, line: 0 }]).writeArrays.size > 0) cls = worst(cls, 'serial');
  });
  // draws from the sequential stream order the iterations; without that order the loop is `cls`
  return eff.rng ? { cls: 'serial', maxTrip, withoutRng: cls } : { cls, maxTrip };
}

function loopVar(s: Extract<Stmt, { k: 'for' }>): string | null {
  return s.init?.k === 'let' && s.init.names.length === 1 && !s.init.destructure ? s.init.names[0] : null;
}

function tripCount(s: Extract<Stmt, { k: 'for' | 'range' }>): number {
  if (s.k === 'for') {
    const t = s.test, init = s.init;
    const from0 = init?.k === 'let' && init.init?.k === 'num' ? init.init.v : null;
    if (t && t.k === 'bin' && t.op === '<' && t.b.k === 'num' && from0 !== null) return Math.max(0, Math.ceil(t.b.v - from0));
    const r = asRowLoop(s);
    if (r && r.start.k === 'index' && r.end.k === 'index' && r.start.arr === r.end.arr) return maxRowLength(r.start.arr.array);
    return -1;
  }
  if (s.start.k === 'num' && s.end.k === 'num') return Math.max(0, s.end.v - s.start.v);
  if (s.start.k === 'index' && s.end.k === 'index' && s.start.arr === s.end.arr) return maxRowLength(s.start.arr.array);
  return -1;
}

/** A loop `for (let k = a; k < b; k++)` (or a range) as { v: k, start: a, end: b }, else null. */
function asRowLoop(s: Stmt): { v: string; start: Expr; end: Expr } | null {
  if (s.k === 'range') return s;
  if (s.k !== 'for' || s.init?.k !== 'let' || s.init.names.length !== 1 || !s.init.init || !s.test || !s.update) return null;
  const k = s.init.names[0], t = s.test, u = s.update;
  const inc = (u.k === 'update' && u.op === '++' && u.target.k === 'local' && u.target.name === k)
    || (u.k === 'assign' && u.op === '+=' && u.target.k === 'local' && u.target.name === k && u.value.k === 'num' && u.value.v === 1);
  if (!inc || !(t.k === 'bin' && t.op === '<' && t.a.k === 'local' && t.a.name === k)) return null;
  return { v: k, start: s.init.init, end: t.b };
}

/** `for k in [indptr[v], indptr[v + 1])`. */
function isRowOf(r: { start: Expr; end: Expr }, v: string): boolean {
  const a = r.start, b = r.end;
  return a.k === 'index' && b.k === 'index' && a.arr === b.arr && a.i.k === 'local' && a.i.name === v
    && b.i.k === 'bin' && b.i.op === '+' && b.i.a.k === 'local' && b.i.a.name === v && b.i.b.k === 'num' && b.i.b.v === 1;
}

/**
 * Whether the loop only accumulates into `name`: every write is `name += e`, `name -= e` or
 * `name = Math.max(name, e)` (min alike) with e free of `name`, and nothing else reads it. Then no iteration
 * sees another's partial result, and the iterations are independent but for the order of the accumulation
 * (a running value read inside the loop, as in a prefix sum, is 'serial').
 */
function onlyAccumulates(ss: Stmt[], name: string): boolean {
  const self = (x: Expr) => x.k === 'local' && x.name === name;
  const reads = (e: Expr) => { let r = false; forEachExpr([{ k: 'expr', e, line: 0 }], (x) => { if (self(x)) r = true; }); return r; };
  let ok = true, reads$ = 0, own = 0;
  forEachExpr(ss, (e) => {
    if (self(e)) reads$++;
    if (!((e.k === 'assign' || e.k === 'update') && e.target.k === 'local' && e.target.name === name)) return;
    if (e.k === 'assign' && (e.op === '+=' || e.op === '-=') && !reads(e.value)) return;
    const v = e.k === 'assign' && e.op === '=' ? e.value : null;
    if (v && v.k === 'math' && (v.fn === 'max' || v.fn === 'min') && v.args.length === 2) {
      const [a, b] = v.args;
      if ((self(a) && !reads(b)) || (self(b) && !reads(a))) { own++; return; }
    }
    ok = false;
  });
  return ok && reads$ === own;
}

/** Array element accesses: (array id, index, is a write, assignment operator). A `+=` target is one write. */
function forEachAccess(ss: Stmt[], f: (arr: string, i: Expr, write: boolean, op: string) => void): void {
  forEachExpr(ss, (e) => {
    if (e.k === 'index') f(e.arr.id, e.i, false, '');
    if ((e.k === 'assign' || e.k === 'update') && e.target.k === 'index') f(e.target.arr.id, e.target.i, true, e.k === 'assign' ? e.op : e.op === '++' ? '+=' : '-=');
  });
}
