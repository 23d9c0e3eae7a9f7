import { Expr, LValue, Stmt } from './ir';
import { EffectAnalysis } from './effects';
import { forEachExpr, walkStmts } from './walk';

/**
 * How an element loop's iteration touches one array, for the CPU plan rewrites that keep an element in a
 * local (scalarize.ts) or know what it holds between steps (rotate.ts).
 */

/** `for (let v = start; v < end; v++)`: its variable and bounds, else null. */
export function countedLoop(s: Extract<Stmt, { k: 'for' }>): { v: string; start: Expr; end: Expr } | null {
  const init = s.init, t = s.test, up = s.update;
  if (!(init?.k === 'let' && init.names.length === 1 && !init.destructure && init.init)) return null;
  const v = init.names[0];
  if (!(t?.k === 'bin' && t.op === '<' && t.a.k === 'local' && t.a.name === v)) return null;
  if (!(up?.k === 'update' && up.op === '++' && up.target.k === 'local' && up.target.name === v)) return null;
  return { v, start: init.init, end: t.b };
}

/** The variable of `for (let v = 0; v < N; v++)` over elements (a map or row-parallel loop), else null. */
export function elementLoopVar(s: Extract<Stmt, { k: 'for' }>, fx: EffectAnalysis): string | null {
  if (!s.info || (s.info.cls !== 'map' && s.info.cls !== 'rowParallel')) return null;
  const c = countedLoop(s);
  if (!c || !(c.start.k === 'num' && c.start.v === 0)) return null;
  const v = c.v;
  let redeclared = false;
  walkStmts(s.body, (x) => {
    if ((x.k === 'let' && x.names.includes(v)) || (x.k === 'range' && x.v === v)) redeclared = true;
  });
  return redeclared || fx.stmts(s.body).writeLocals.has(v) ? null : v;
}

/** The literal N of a loop's `v < N` (NaN where the bound is not a literal). */
export function loopBound(s: Extract<Stmt, { k: 'for' }>): number {
  return s.test?.k === 'bin' && s.test.b.k === 'num' ? s.test.b.v : NaN;
}

/**
 * Every access to array `id` in ss is `id[v]` for a loop variable v, and no operator or called helper
 * touches it (a helper's accesses are at indices we cannot see from here).
 */
export function onlyAtLoopIndex(ss: Stmt[], id: string, vars: Set<string>, fx: EffectAnalysis): boolean {
  let ok = true;
  const ex = (e: Expr): void => {
    if (!ok) return;
    if (e.k === 'call') {
      const c = fx.stmts([{ k: 'expr', e: { ...e, args: [] }, line: 0 }]);
      if (c.readArrays.has(id) || c.writeArrays.has(id)) { ok = false; return; }
    }
    const target: LValue | null = e.k === 'assign' || e.k === 'update' ? e.target : null;
    for (const a of [e, target]) {
      if (a && a.k === 'index' && a.arr.id === id && !(a.i.k === 'local' && vars.has(a.i.name))) ok = false;
    }
  };
  walkStmts(ss, (s) => { if (s.k === 'op' || s.k === 'eventGroup' || s.k === 'record') ok = false; });
  forEachExpr(ss, ex);
  return ok;
}

/** `id[v] = x`, as a statement: x, else null */
export function plainWrite(s: Stmt, id: string, v: string): Expr | null {
  if (s.k !== 'expr' || s.e.k !== 'assign' || s.e.op !== '=') return null;
  const t = s.e.target;
  return t.k === 'index' && t.arr.id === id && t.i.k === 'local' && t.i.name === v ? s.e.value : null;
}
/** Whether statement s reads or writes array `id` (helpers and operators included). */
export const touches = (s: Stmt, id: string, fx: EffectAnalysis) => { const f = fx.stmts([s]); return f.readArrays.has(id) || f.writeArrays.has(id); };

/**
 * How the iteration first touches array `id`: 'overwrite' where that is, unconditionally, `id[v] = x` with x
 * not reading it (the element's old value is never seen); 'other' for any other first touch (a read, a
 * compound write, a write under a condition or in a loop); null where it does not touch it. Statements run
 * in order, blocks included.
 */
export function firstTouch(body: Stmt[], id: string, v: string, fx: EffectAnalysis): 'overwrite' | 'other' | null {
  for (const s of body) {
    if (!touches(s, id, fx)) continue;
    if (s.k === 'block') return firstTouch(s.body, id, v, fx);
    const x = plainWrite(s, id, v);
    return x && !fx.stmts([{ k: 'expr', e: x, line: 0 }]).readArrays.has(id) ? 'overwrite' : 'other';
  }
  return null;
}

/**
 * The constant c where the last statement of the iteration that touches array `id` is, unconditionally,
 * `id[v] = c` (a neuron clearing its input): the element holds c when the iteration ends. Else null.
 */
export function lastWrittenConst(body: Stmt[], id: string, v: string, fx: EffectAnalysis): number | null {
  const s = lastTouching(body, id, fx);
  const x = s && plainWrite(s, id, v);
  return x?.k === 'num' ? x.v : null;
}

/** The first statement of the iteration (blocks entered) that touches array `id`, or null. */
export function firstTouching(body: Stmt[], id: string, fx: EffectAnalysis): Stmt | null {
  const s = body.find((x) => touches(x, id, fx));
  return !s ? null : s.k === 'block' ? firstTouching(s.body, id, fx) : s;
}

/** The last statement of the iteration (blocks entered) that touches array `id`, or null. */
export function lastTouching(body: Stmt[], id: string, fx: EffectAnalysis): Stmt | null {
  for (let k = body.length - 1; k >= 0; k--) {
    const s = body[k];
    if (!touches(s, id, fx)) continue;
    return s.k === 'block' ? lastTouching(s.body, id, fx) : s;
  }
  return null;
}
