import { Expr, FunctionIR, LValue, Stmt } from './ir';

/**
 * What a piece of IR reads and writes: array bindings by id, locals by name, and whether it draws
 * from the random stream (draw order must be kept). Calls include the callee's effects.
 */
export interface Effects {
  readArrays: Set<string>;
  writeArrays: Set<string>;
  readLocals: Set<string>;
  writeLocals: Set<string>;
  rng: boolean;
}

export function emptyEffects(): Effects {
  return { readArrays: new Set(), writeArrays: new Set(), readLocals: new Set(), writeLocals: new Set(), rng: false };
}

export function mergeEffects(a: Effects, b: Effects): Effects {
  return {
    readArrays: new Set([...a.readArrays, ...b.readArrays]), writeArrays: new Set([...a.writeArrays, ...b.writeArrays]),
    readLocals: new Set([...a.readLocals, ...b.readLocals]), writeLocals: new Set([...a.writeLocals, ...b.writeLocals]),
    rng: a.rng || b.rng,
  };
}

/** True if running a then b gives the same result as b then a. */
export function commute(a: Effects, b: Effects): boolean {
  if (a.rng && b.rng) return false;
  const clash = (w: Set<string>, r: Set<string>, w2: Set<string>) => { for (const x of w) if (r.has(x) || w2.has(x)) return true; return false; };
  return !clash(a.writeArrays, b.readArrays, b.writeArrays) && !clash(b.writeArrays, a.readArrays, a.writeArrays)
    && !clash(a.writeLocals, b.readLocals, b.writeLocals) && !clash(b.writeLocals, a.readLocals, a.writeLocals);
}

export class EffectAnalysis {
  private memo = new Map<string, Effects>();
  constructor(private readonly helpers: Map<string, FunctionIR>) {}

  stmts(ss: Stmt[], e: Effects = emptyEffects()): Effects { for (const s of ss) this.stmt(s, e); return e; }

  stmt(s: Stmt, e: Effects): void {
    switch (s.k) {
      case 'let': for (const n of s.names) e.writeLocals.add(n); if (s.init) this.expr(s.init, e); return;
      case 'expr': this.expr(s.e, e); return;
      case 'if': this.expr(s.test, e); this.stmts(s.then, e); if (s.else) this.stmts(s.else, e); return;
      case 'for': if (s.init) this.stmt(s.init, e); if (s.test) this.expr(s.test, e); if (s.update) this.expr(s.update, e); this.stmts(s.body, e); return;
      case 'range': e.writeLocals.add(s.v); this.expr(s.start, e); this.expr(s.end, e); this.stmts(s.body, e); return;
      case 'while': this.expr(s.test, e); this.stmts(s.body, e); return;
      case 'block': this.stmts(s.body, e); return;
      case 'return': if (s.value) this.expr(s.value, e); return;
      case 'record': e.readArrays.add(s.arr.id); e.writeLocals.add(`mon$${s.mon}$n`); e.readLocals.add(`mon$${s.mon}$n`); return;
      case 'eventGroup':
        for (const o of s.ops) this.stmt(o, e);
        for (const r of s.records) this.stmt(r, e);
        if (s.list) { e.readArrays.add(s.list.arr.id); e.readLocals.add(s.list.count); }
        return;
      case 'spikeList':
        e.readArrays.add(s.spike.id); e.writeArrays.add(s.list.arr.id);
        e.readLocals.add(s.list.count); e.writeLocals.add(s.list.count); e.readLocals.add(s.index);
        return;
      case 'op':
        s.args.forEach((a, j) => {
          if (a.k === 'expr') this.expr(a.e, e);
          else if (a.k === 'array') { e.readArrays.add(a.arr.id); if (j === 0) e.writeArrays.add(a.arr.id); }
          else if (a.k === 'ragged') { e.readArrays.add(a.indptr.id); e.readArrays.add(a.indices.id); }
          else e.readArrays.add(a.data.id);
        });
        return;
      case 'input':
        e.writeArrays.add(s.target.id);
        if (s.op !== '=') e.readArrays.add(s.target.id);
        return;
      case 'recordValue': e.readArrays.add(s.arr.id); e.writeLocals.add(`mon$${s.mon}$n`); e.readLocals.add(`mon$${s.mon}$n`); return;
      case 'check': for (const a of s.arrays) e.readArrays.add(a.id); if (s.flush) this.stmts(s.flush, e); return;
      default: return; // break, continue
    }
  }

  expr(x: Expr, e: Effects): void {
    switch (x.k) {
      case 'num': return;
      case 'local': e.readLocals.add(x.name); return;
      case 'index': e.readArrays.add(x.arr.id); this.expr(x.i, e); return;
      case 'localIndex': e.readLocals.add(x.name); this.expr(x.i, e); return;
      case 'bin': case 'logic': this.expr(x.a, e); this.expr(x.b, e); return;
      case 'un': this.expr(x.a, e); return;
      case 'cond': this.expr(x.test, e); this.expr(x.a, e); this.expr(x.b, e); return;
      case 'math': case 'tuple': for (const a of x.k === 'math' ? x.args : x.items) this.expr(a, e); return;
      case 'rng': e.rng = true; for (const a of x.args) this.expr(a, e); return;
      case 'call': {
        for (const a of x.args) this.expr(a, e);
        const c = this.callee(x.fn);
        for (const a of c.readArrays) e.readArrays.add(a);
        for (const a of c.writeArrays) e.writeArrays.add(a);
        e.rng ||= c.rng;
        return;
      }
      case 'assign': this.lvalue(x.target, e, x.op !== '='); this.expr(x.value, e); return;
      case 'update': this.lvalue(x.target, e, true); return;
    }
  }

  private lvalue(l: LValue, e: Effects, reads: boolean): void {
    if (l.k === 'local') { e.writeLocals.add(l.name); if (reads) e.readLocals.add(l.name); return; }
    e.writeArrays.add(l.arr.id);
    if (reads) e.readArrays.add(l.arr.id);
    this.expr(l.i, e);
  }

  /** A helper's effects on arrays and the stream (its locals are its own). */
  private callee(id: string): Effects {
    const known = this.memo.get(id);
    if (known) return known;
    const f = this.helpers.get(id);
    const e = emptyEffects();
    this.memo.set(id, e); // recursion is rejected at lowering; this guards anyway
    if (f) {
      const inner = this.stmts(f.body);
      inner.readArrays.forEach((a) => e.readArrays.add(a));
      inner.writeArrays.forEach((a) => e.writeArrays.add(a));
      e.rng = inner.rng;
    }
    return e;
  }
}
