import { Expr, Stmt } from './ir';
import { childExprs, stmtExprs } from './walk';

/**
 * Element-wise loops of the step, and its library operators (outlinableOps below), as functions of their own:
 * the js emitter prints them beside run(), and the wasm backend's threads (backends/wasm/threads.ts) run parts
 * of an element-wise loop's index range on workers.
 *
 * Why, for js: V8 optimises a hot loop inside one long run() by on-stack replacement, and it compiled the generated
 * run() of COBA 6–10 times per 1 s run (bench/RESULTS.md, "Plan rewrites"); a small function per loop is
 * optimised once, early, and run() itself stays small. Measured on COBA-4000 (js, float64, first run of a
 * fresh network, bench/RESULTS.md): 0.93–0.96× the time of the single run(), and with it loop rotation pays
 * (0.87–0.89× together; 0.86× in steady state), which it did not inside one run(). With the deliveries and a
 * rotated step's flush outlined too, run() holds no hot loop at all (COBA-4000 first run 1.32 → 1.14× the
 * hand-written JavaScript's time; bench/RESULTS.md, tenth session).
 *
 * Which loops: `map` loops (compiler/classify.ts) whose body holds only model statements and spike-list
 * appends: no monitor, input, operator or check statements (they use run()'s own buffers), no return. The
 * function takes the locals the loop reads from outside as parameters; at most one outer local may be
 * written (the spike list's count), which the function takes and returns. Arrays are not passed: the js
 * emitter's functions read them from the factory's consts, which V8 then compiles as constants
 * (backends/js/emit.ts).
 */
export interface OutlinedLoop {
  name: string;
  loop: Stmt;
  params: string[];
  /** the outer local the loop writes (passed in, returned), if any */
  result: string | null;
}

const ALLOWED = new Set<Stmt['k']>(['let', 'expr', 'if', 'for', 'range', 'while', 'block', 'break', 'continue', 'spikeList']);

/**
 * The loops of `step` and of `more` (at any depth of if/block, as a rotated step nests them, and in a check's
 * flush) that can be outlined; a statement met twice (a rotation's tail is both the check's flush and the
 * flush at the end of run()) is outlined once.
 */
export function outlinableLoops(step: Stmt[], more: Stmt[][] = []): OutlinedLoop[] {
  const out: OutlinedLoop[] = [];
  const seen = new Set<Stmt>();
  visitOutlinable(step, more, seen, (s) => {
    if (s.k !== 'for' || s.info?.cls !== 'map') return;
    const h = outlineLoop(s, `loop$${out.length}`);
    if (h) out.push(h);
  });
  return out;
}

/** Walks the statements a run() executes per step, where an outlined one may stand: if/block/check bodies. */
function visitOutlinable(step: Stmt[], more: Stmt[][], seen: Set<Stmt>, f: (s: Stmt) => void): void {
  const visit = (ss: Stmt[]): void => {
    for (const s of ss) {
      if (seen.has(s)) continue;
      seen.add(s);
      if (s.k === 'if') { visit(s.then); if (s.else) visit(s.else); }
      else if (s.k === 'block') visit(s.body);
      else if (s.k === 'check') { if (s.flush) visit(s.flush); }
      else f(s);
    }
  };
  visit(step);
  more.forEach(visit);
}

/** A library operator, or an event group of them, as a function of its own (the js emitter prints it). */
export interface OutlinedOp {
  name: string;
  stmt: Extract<Stmt, { k: 'op' | 'eventGroup' }>;
  /** outer locals its arguments read (a spike list's count among them), sorted */
  params: string[];
}

/**
 * Operator statements of the step (deliveries, event groups, gathers) as functions: like a map loop, a delivery
 * inside one long run() is optimised only by on-stack replacement, and V8 recompiled the generated run() of
 * COBA several times per first run, each time it reached a path it had no feedback for (bench/RESULTS.md,
 * tenth session). Arguments are expressions of outer locals (weights, t$), arrays and connectivity; nothing
 * is written but arrays, so nothing is returned. A group's spike monitors are the emitter's business.
 */
export function outlinableOps(step: Stmt[], more: Stmt[][] = []): OutlinedOp[] {
  const out: OutlinedOp[] = [];
  visitOutlinable(step, more, new Set(), (s) => {
    if (s.k !== 'op' && s.k !== 'eventGroup') return;
    const free = new Set<string>();
    let ok = true; // false: an argument writes a local, which the function could not give back
    const expr = (e: Expr): void => {
      if (e.k === 'local' || e.k === 'localIndex') free.add(e.name);
      else if ((e.k === 'assign' || e.k === 'update') && e.target.k === 'local') { ok = false; return; }
      childExprs(e).forEach(expr);
    };
    const ops = s.k === 'op' ? [s] : s.ops;
    ops.forEach((o) => o.args.forEach((a) => { if (a.k === 'expr') expr(a.e); }));
    if (s.k === 'eventGroup' && s.list) free.add(s.list.count);
    if (!ok) return;
    out.push({ name: `op$${out.length}`, stmt: s, params: [...free].sort() });
  });
  return out;
}

/**
 * A scoped walk: a name is the loop's own only where a declaration of it encloses the use. Effects
 * (compiler/effects.ts) name locals without scopes, and a model's locals can shadow each other (under jest's
 * transpiled sources an outer `a` and a block's `a` kept one name: test/js-hoist.test.ts).
 */
export function outlineLoop(loop: Extract<Stmt, { k: 'for' }>, name: string): OutlinedLoop | null {
  const free = new Set<string>(), written = new Set<string>();
  const scopes: Set<string>[] = [];
  const own = (n: string) => scopes.some((sc) => sc.has(n));
  const use = (n: string, write = false) => { if (!own(n)) { free.add(n); if (write) written.add(n); } };
  const expr = (e: Expr): void => {
    switch (e.k) {
      case 'local': case 'localIndex': use(e.name); break;
      case 'assign': case 'update':
        if (e.target.k === 'local') use(e.target.name, true);
        break;
    }
    childExprs(e).forEach(expr);
  };
  let ok = true;
  const block = (ss: Stmt[], names: string[] = []): void => { scopes.push(new Set(names)); ss.forEach(stmt); scopes.pop(); };
  const stmt = (s: Stmt): void => {
    if (!ALLOWED.has(s.k)) { ok = false; return; }
    switch (s.k) {
      case 'let': if (s.init) expr(s.init); s.names.forEach((n) => scopes[scopes.length - 1].add(n)); return;
      case 'if': expr(s.test); block(s.then); if (s.else) block(s.else); return;
      case 'for':
        scopes.push(new Set());
        if (s.init) stmt(s.init);
        [s.test, s.update].forEach((e) => e && expr(e));
        block(s.body);
        scopes.pop();
        return;
      case 'range': expr(s.start); expr(s.end); block(s.body, [s.v]); return;
      case 'while': expr(s.test); block(s.body); return;
      case 'block': block(s.body); return;
      case 'spikeList':
        use(s.index); if (s.value) use(s.value);
        use(s.list.count, true);
        return;
      default: stmtExprs(s).forEach(expr);
    }
  };
  block([loop]);
  if (!ok || written.size > 1) return null;
  return { name, loop, params: [...free].sort(), result: [...written][0] ?? null };
}
