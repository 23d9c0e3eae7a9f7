import { Stmt } from './ir';
import { StepPlan } from './plan';
import { EffectAnalysis } from './effects';
import { elementLoopVar, firstTouch, lastTouching, lastWrittenConst, loopBound, onlyAtLoopIndex } from './element-access';

/**
 * Sinking a clear, a plan rewrite for CPU backends. A neuron loop ends each iteration with `input[v] = 0`,
 * and a later loop of the same step over the same elements (a synapse's `input[v] += g·(E − V)`) is the
 * next statement to touch `input`. The clear moves to the start of that loop's iteration. Exact: nothing
 * between the two loops touches the array, each iteration of either loop touches only its own element, and
 * the later loop covers every element the earlier one cleared; so the element still holds the constant when
 * the later iteration starts, and no one sees it before. The neuron loop then no longer stores, and the later
 * loop overwrites before it reads (scalar replacement loads nothing). Top-level loops of the step only (in a
 * rotated step the fused loops know the cleared value instead: rotate.ts, settle).
 */
export function sinkClears(plan: StepPlan): StepPlan {
  const fx = new EffectAnalysis(new Map([...plan.helpers, ...plan.opaque].map((f) => [f.id, f])));
  const step = plan.step.slice();
  const touches = (s: Stmt, id: string) => { const f = fx.stmts([s]); return f.readArrays.has(id) || f.writeArrays.has(id); };
  let moved = false;
  for (let i = 0; i < step.length; i++) {
    const L = step[i];
    const v = L.k === 'for' ? elementLoopVar(L, fx) : null;
    if (L.k !== 'for' || !v) continue;
    for (const id of fx.stmts(L.body).writeArrays) {
      const cur = step[i] as Extract<Stmt, { k: 'for' }>;
      const c = lastWrittenConst(cur.body, id, v, fx);
      if (c === null || !onlyAtLoopIndex(cur.body, id, new Set([v]), fx)) continue;
      const j = step.findIndex((s, k) => k > i && touches(s, id));
      const T = j > 0 ? step[j] : null;
      const w = T?.k === 'for' ? elementLoopVar(T, fx) : null;
      if (!T || T.k !== 'for' || !w || loopBound(T) !== loopBound(L) || !onlyAtLoopIndex(T.body, id, new Set([w]), fx)) continue;
      const clear = lastTouching(cur.body, id, fx) as Extract<Stmt, { k: 'expr' }>;
      const e = clear.e as Extract<typeof clear.e, { k: 'assign' }>;
      step[i] = { ...cur, body: without(cur.body, clear) };
      step[j] = { ...T, body: [{ ...clear, e: { ...e, target: { ...(e.target as Extract<typeof e.target, { k: 'index' }>), i: { k: 'local', name: w } } } }, ...T.body] };
      if (firstTouch((step[j] as Extract<Stmt, { k: 'for' }>).body, id, w, fx) !== 'overwrite') throw new Error(`internal: sinkClears left ${id} read first`);
      moved = true;
    }
  }
  return moved ? { ...plan, step } : plan;
}

/** body without statement x (blocks entered) */
function without(body: Stmt[], x: Stmt): Stmt[] {
  return body.filter((s) => s !== x).map((s) => (s.k === 'block' ? { ...s, body: without(s.body, x) } : s));
}
