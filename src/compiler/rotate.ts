import { Expr, Stmt } from './ir';
import { StepPlan } from './plan';
import { EffectAnalysis, commute } from './effects';
import { forEachExpr } from './walk';
import { declared, reschedule } from './fuse';
import { elementLoopVar, lastWrittenConst, loopBound, onlyAtLoopIndex } from './element-access';

/**
 * Loop rotation, a plan rewrite for CPU backends. A step often ends with element-wise loops whose results
 * are only read by the next step: a synapse computes `input += g·(E − V)` and decays g after the neurons
 * have used last step's input. Run as written, each step makes two passes over the neurons' arrays. Seen
 * across steps, the step sequence H T H T … H T (head, tail) is also H (T H) (T H) … T: the steady-state
 * body is tail-then-head, where the tail's loops can fuse with the head's neuron loops (one pass), and the
 * event deliveries move after all neuron updates. Exact, because only the grouping of the same statement
 * sequence changes, and the rescheduling keeps every dependence (compiler/fuse.ts). The rewritten plan:
 *  - `prelude`: the step's constants that depend on dt only, computed once per run() call, and `let rot$ = 0`;
 *  - step: `if (rot$) { tail + head, rescheduled } else { head }; rot$ = 1`, then the finiteness check,
 *    which first completes a pending tail (`flush`), so it sees the state a step ends with;
 *  - `rotation.flush`: `if (rot$) { tail }`, which the backend runs before it leaves run() (at the end and
 *    where a monitor buffer is full), so state between run() calls is that of whole steps.
 * The tail must be element-wise loops that read no local but their own, dt and the prelude's (it runs a
 * step late, and after the step loop), draw no random numbers, and value monitors must not read what it
 * writes. Applied only where it fuses loops.
 *
 * What the fused loops find in memory is known in one common case (settle): a head loop that ends each
 * iteration with `X[v] = c` (a neuron clearing its `input`) leaves every element at c, and if nothing else in
 * the step writes X, the next step's fused loop finds it so, since that step's head ran the step before,
 * alone or fused (a flush runs the tail and clears rot$, so the step after it runs the head alone). The
 * fused loop is marked (LoopInfo.entry), and scalar replacement then neither loads X nor stores c back: the
 * fused pass does not touch `input` in memory at all.
 */
const ROT = 'rot$';

/** The step cut into its leading constants (dt-only ones for the prelude, t-dependent ones), body and check. */
function partsOf(plan: StepPlan, fx: EffectAnalysis) {
  const step = plan.step.slice();
  const check = step.length && step[step.length - 1].k === 'check' ? (step.pop() as Extract<Stmt, { k: 'check' }>) : null;
  let c = 0;
  const timeDependent = new Set(['t$']);
  const prelude: Stmt[] = [], stepConsts: Stmt[] = [];
  for (; c < step.length; c++) {
    const s = step[c];
    if (!(s.k === 'let' && s.kind === 'const' && !s.destructure && s.init)) break;
    const e = fx.stmts([s]);
    if (e.readArrays.size || e.rng) break;
    if ([...e.readLocals].some((n) => timeDependent.has(n))) { stepConsts.push(s); s.names.forEach((n) => timeDependent.add(n)); }
    else prelude.push(s);
  }
  return { prelude, stepConsts, body: step.slice(c), check };
}

const flag: Expr = { k: 'bin', op: '!==', a: { k: 'local', name: ROT }, b: { k: 'num', v: 0 } };
const setFlag = (v: number): Stmt => ({ k: 'expr', e: { k: 'assign', target: { k: 'local', name: ROT }, op: '=', value: { k: 'num', v } }, line: 0 });
const declareFlag: Stmt = { k: 'let', kind: 'let', names: [ROT], init: { k: 'num', v: 0 }, destructure: false, line: 0 };

/**
 * A step with nothing to rotate can still know what its loops find in memory: a loop that is the only
 * writer of X in the step and ends each iteration with `X[v] = c` (a neuron clearing the input a run's drive
 * adds to, input-loops.ts) finds c from the second step of each run() call on. The step then comes in two
 * versions, chosen by the flag a rotated step uses: the first step of each call as written, the others
 * settled (LoopInfo.entry). Applied only where a loop gets settled.
 */
export function settleStep(plan: StepPlan): StepPlan {
  if (plan.rotation || plan.prelude) return plan;
  const fx = new EffectAnalysis(new Map([...plan.helpers, ...plan.opaque].map((f) => [f.id, f])));
  const { prelude, stepConsts, body, check } = partsOf(plan, fx);
  const settled = settle(body, body, fx);
  if (settled.every((s, k) => s === body[k])) return plan;
  const step: Stmt[] = [...stepConsts, { k: 'if', test: flag, then: settled, else: body, line: 0 }, setFlag(1)];
  if (check) step.push(check);
  return { ...plan, step, prelude: [...prelude, declareFlag] };
}

export function rotateStep(plan: StepPlan): StepPlan {
  if (plan.rotation || plan.prelude) return plan;
  const fx = new EffectAnalysis(new Map([...plan.helpers, ...plan.opaque].map((f) => [f.id, f])));
  const { prelude, stepConsts, body, check } = partsOf(plan, fx);
  const preludeNames = new Set(prelude.flatMap((x) => (x as Extract<Stmt, { k: 'let' }>).names));

  // the tail: trailing element-wise loops; the value monitors after them move before them where they commute
  let h = body.length;
  while (h > 0 && body[h - 1].k === 'recordValue') h--;
  const moved = body.slice(h), movedFx = moved.map((r) => fx.stmts([r]));
  const tail: Stmt[] = [];
  while (h > 0) {
    const s = body[h - 1];
    if (!(s.k === 'for' && s.info?.cls === 'map')) break;
    const e = fx.stmts([s]);
    // it runs a step late and also after the loop: it may read only its own locals, dt and the prelude
    const own = new Set<string>();
    declared(s, own);
    if (e.rng || [...e.readLocals].some((n) => !own.has(n) && n !== 'dt$' && !preludeNames.has(n))) break;
    if (!movedFx.every((r) => commute(r, e))) break;
    tail.unshift(s); h--;
  }
  if (!tail.length || h === 0) return plan;
  const head = [...body.slice(0, h), ...moved];

  const fused = reschedule([...tail, ...head], fx);
  const loops = (ss: Stmt[]) => ss.filter((s) => s.k === 'for').length;
  if (loops(fused) >= loops(tail) + loops(head)) return plan; // nothing fused: not worth the code

  const newStep: Stmt[] = [
    ...stepConsts,
    { k: 'if', test: flag, then: settle(fused, head, fx), else: head, line: 0 },
    setFlag(1),
  ];
  if (check) newStep.push({ ...check, flush: [{ k: 'if', test: flag, then: [...tail, setFlag(0)], else: null, line: 0 }] });
  prelude.push(declareFlag);
  return { ...plan, step: newStep, prelude, rotation: { flush: [{ k: 'if', test: flag, then: tail, else: null, line: 0 }] } };
}

/** The fused loops, marked with what they find in memory when they start (see above). */
function settle(fused: Stmt[], head: Stmt[], fx: EffectAnalysis): Stmt[] {
  return fused.map((L) => {
    if (L.k !== 'for') return L;
    const v = elementLoopVar(L, fx);
    if (!v) return L;
    const entry: Record<string, number> = {};
    for (const id of fx.stmts(L.body).writeArrays) {
      const c = lastWrittenConst(L.body, id, v, fx);
      if (c === null || !onlyAtLoopIndex(L.body, id, new Set([v]), fx)) continue;
      if (fused.some((s) => s !== L && fx.stmts([s]).writeArrays.has(id))) continue;
      // the head: one statement writes X, a loop over the same elements that ends each iteration the same way
      const writers = head.filter((s) => fx.stmts([s]).writeArrays.has(id));
      const H = writers.length === 1 && writers[0].k === 'for' ? writers[0] : null;
      const hv = H && elementLoopVar(H, fx);
      if (!H || !hv || loopBound(H) !== loopBound(L) || lastWrittenConst(H.body, id, hv, fx) !== c || !onlyAtLoopIndex(H.body, id, new Set([hv]), fx)) continue;
      if (!holds(c, arrayType(L.body, id))) continue;
      entry[id] = c;
    }
    return Object.keys(entry).length ? { ...L, info: { ...L.info!, entry } } : L;
  });
}

/** the element type of array `id` as the loop body accesses it */
function arrayType(body: Stmt[], id: string): string | null {
  let t: string | null = null;
  forEachExpr(body, (e) => {
    if (e.k === 'index' && e.arr.id === id) t = e.arr.dtype;
    if ((e.k === 'assign' || e.k === 'update') && e.target.k === 'index' && e.target.arr.id === id) t = e.target.arr.dtype;
  });
  return t;
}

/** an element of this type stores c unchanged (Float32Array rounds, integer arrays wrap) */
function holds(c: number, dtype: string | null): boolean {
  switch (dtype) {
    case 'f64': return true;
    case 'f32': return Object.is(Math.fround(c), c);
    case 'i32': return Object.is(c | 0, c);
    case 'u8': return Object.is(c & 255, c);
    default: return false;
  }
}
