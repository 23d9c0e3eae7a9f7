import { Expr, Stmt } from './ir';

/** Visits every statement of ss and of the statements nested in it (branches, loop bodies, event-group ops). */
export function walkStmts(ss: Stmt[], f: (s: Stmt) => void): void {
  for (const s of ss) {
    f(s);
    switch (s.k) {
      case 'if': walkStmts(s.then, f); if (s.else) walkStmts(s.else, f); break;
      case 'for': if (s.init) walkStmts([s.init], f); walkStmts(s.body, f); break;
      case 'range': case 'while': case 'block': walkStmts(s.body, f); break;
      case 'eventGroup': walkStmts(s.ops, f); break;
    }
  }
}

/** The expressions a statement holds itself (not those of statements nested in it). */
export function stmtExprs(s: Stmt): Expr[] {
  switch (s.k) {
    case 'let': return s.init ? [s.init] : [];
    case 'expr': return [s.e];
    case 'if': return [s.test];
    case 'for': return [s.test, s.update].filter((e): e is Expr => e !== null);
    case 'range': return [s.start, s.end];
    case 'while': return [s.test];
    case 'return': return s.value ? [s.value] : [];
    case 'op': return s.args.flatMap((a) => (a.k === 'expr' ? [a.e] : []));
    default: return [];
  }
}

/** The direct subexpressions of e (an assignment's target index included). */
export function childExprs(e: Expr): Expr[] {
  switch (e.k) {
    case 'index': case 'localIndex': return [e.i];
    case 'bin': case 'logic': return [e.a, e.b];
    case 'un': return [e.a];
    case 'cond': return [e.test, e.a, e.b];
    case 'math': case 'call': case 'rng': return e.args;
    case 'tuple': return e.items;
    case 'assign': return e.target.k === 'index' ? [e.target.i, e.value] : [e.value];
    case 'update': return e.target.k === 'index' ? [e.target.i] : [];
    default: return [];
  }
}

/** Visits every expression in ss, at every depth. */
export function forEachExpr(ss: Stmt[], f: (e: Expr) => void): void {
  const ex = (e: Expr): void => { f(e); childExprs(e).forEach(ex); };
  walkStmts(ss, (s) => stmtExprs(s).forEach(ex));
}

/**
 * `ss` and the flush blocks of the checks anywhere in it (a rotated step's tail, compiler/rotate.ts), which
 * walkStmts does not enter: the blocks whose statements run() executes.
 */
export function withCheckFlushes(ss: Stmt[]): Stmt[][] {
  const out: Stmt[][] = [ss];
  walkStmts(ss, (s) => { if (s.k === 'check' && s.flush) out.push(...withCheckFlushes(s.flush)); });
  return out;
}
