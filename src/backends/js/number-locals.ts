import { Expr, Stmt } from '../../compiler/ir';
import { forEachExpr, walkStmts, withCheckFlushes } from '../../compiler/walk';

const ARITH = new Set(['+', '-', '*', '/', '%', '**', '&', '|', '^', '<<', '>>', '>>>']);
/** run()'s own locals, numbers by construction (backends/js/emit.ts) */
const RUN_NUMBERS = new Set(['t$', 'dt$', 's$']);

/**
 * The locals of `ss` that only ever hold numbers: each is declared with an initialiser and every value it
 * gets (initialiser, assignment, compound assignment, ++/--) is arithmetic on numbers, array elements, Math
 * calls and such locals. A boolean (a comparison), a tuple, a helper's or the random stream's result, or a
 * declaration without a value keeps a local out. run()'s t$, dt$ and s$ are in. Check flushes count too.
 *
 * Why the js emitter wants them: V8 passes a number parameter to an outlined loop tagged, and converts it to
 * a double at each use inside the loop, every iteration; `p = +p` at the function's top converts it once,
 * and `+` leaves a number as it is. Only for locals that are numbers: `+true` is 1.
 */
export function numberLocals(ss: Stmt[][]): Set<string> {
  const defs = new Map<string, Expr[]>();
  const bad = new Set<string>();
  const def = (name: string, e: Expr | null) => {
    if (!e) { bad.add(name); return; }
    const d = defs.get(name);
    if (d) d.push(e); else defs.set(name, [e]);
  };
  const visit = (block: Stmt[]): void => {
    walkStmts(block, (s) => {
      if (s.k !== 'let') return;
      if (s.destructure) s.names.forEach((n) => bad.add(n));
      else def(s.names[0], s.init);
    });
    forEachExpr(block, (e) => {
      if (e.k === 'assign' && e.target.k === 'local') {
        if (e.op === '=' || ARITH.has(e.op.slice(0, -1))) def(e.target.name, e.value);
        else bad.add(e.target.name); // &&=, ||=, ??=
      }
      // ++/-- give numbers whatever the local held before, and what it held is checked by its other values
    });
  };
  ss.flatMap(withCheckFlushes).forEach(visit);
  const num = new Set([...defs.keys()].filter((n) => !bad.has(n)));
  const numeric = (e: Expr): boolean => {
    switch (e.k) {
      case 'num': return !e.bool; // `true` is a boolean literal (compiler/ir.ts)
      case 'index': case 'math': return true;
      case 'local': return num.has(e.name) || RUN_NUMBERS.has(e.name);
      case 'bin': return ARITH.has(e.op) && numeric(e.a) && numeric(e.b);
      case 'un': return e.op !== '!' && numeric(e.a);
      case 'cond': return numeric(e.a) && numeric(e.b);
      case 'assign': return e.op === '=' ? numeric(e.value) : ARITH.has(e.op.slice(0, -1));
      case 'update': return true;
      default: return false;
    }
  };
  // largest fixpoint: drop a local while one of its values is not known to be a number
  for (let changed = true; changed;) {
    changed = false;
    for (const n of num) if (!defs.get(n)!.every(numeric)) { num.delete(n); changed = true; }
  }
  RUN_NUMBERS.forEach((n) => num.add(n));
  return num;
}
