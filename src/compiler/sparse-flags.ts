import { ArrayBinding, Expr, Stmt } from './ir';
import { StepPlan } from './plan';
import { EffectAnalysis } from './effects';
import { classifyLoops } from './classify';
import { elementLoopVar, firstTouch, firstTouching, onlyAtLoopIndex, plainWrite, touches } from './element-access';
import { walkStmts } from './walk';

/**
 * Spike flags written sparsely, a plan rewrite for CPU backends, after spike lists (spike-lists.ts). A
 * neuron loop clears its flag at every element (`spike[v] = 0`) and sets it under the threshold test
 * (`spike[v] = 1`, where the list append follows it): N stores per step for a few spikes. Since the list
 * holds exactly the elements whose flag is nonzero, the loop need not clear: the step clears, just before
 * the loop, the elements the previous step's list named, and the loop only sets. Exact: when the loop
 * ends, every flag holds what the full stores would have left (the set ones c, every other 0), and nothing
 * reads the flags between the clear and the loop. The first step of each run() call does not know the
 * previous list (the user may have written the flags, or a call may have ended early), so it clears every
 * element: the prelude starts the count at −1.
 * Applied where the flag is the loop's only access to the array besides the set and the append, and no other
 * statement of the step writes it.
 */
export function sparseFlags(plan: StepPlan): StepPlan {
  const fx = new EffectAnalysis(new Map([...plan.helpers, ...plan.opaque].map((f) => [f.id, f])));
  const found = new Map<string, { spike: ArrayBinding; list: ArrayBinding; loops: Stmt[] }>();
  const mixed = new Set<string>(); // arrays listed into two lists: left alone
  // candidate loops: at step level, or inside the step's if/else versions (a rotated or settled step)
  walkStmtsShallow(plan.step, (s) => {
    if (s.k !== 'for') return;
    for (const c of candidates(s, fx)) {
      const f = found.get(c.spike.id) ?? { spike: c.spike, list: c.list, loops: [] };
      if (f.list !== c.list) mixed.add(c.spike.id);
      f.loops.push(s);
      found.set(c.spike.id, f);
    }
  });
  const chosen = new Map<string, { spike: ArrayBinding; list: ArrayBinding }>();
  for (const [id, f] of found) {
    if (mixed.has(id)) continue;
    // every statement of the step that writes the array is one of its candidate loops
    let others = false;
    walkStmtsShallow(plan.step, (s) => { if (fx.stmts([s]).writeArrays.has(id) && !f.loops.includes(s)) others = true; });
    if (plan.rotation && fx.stmts(plan.rotation.flush).writeArrays.has(id)) others = true;
    if (!others) chosen.set(id, f);
  }
  if (!chosen.size) return plan;

  const rw = (ss: Stmt[]): Stmt[] => ss.flatMap((s): Stmt[] => {
    if (s.k === 'if') return [{ ...s, then: rw(s.then), else: s.else && rw(s.else) }];
    if (s.k === 'block') return [{ ...s, body: rw(s.body) }];
    if (s.k !== 'for') return [s];
    const mine = candidates(s, fx).filter((c) => chosen.has(c.spike.id));
    if (!mine.length) return [s];
    let body = s.body;
    for (const c of mine) body = withoutFirstTouch(body, c.spike.id, fx);
    const before = mine.map((c) => clearPrevious(c.spike, c.list, fx));
    const after = mine.map((c): Stmt => assign(prevName(c.spike), { k: 'local', name: c.count }));
    return [...before, { ...s, body }, ...after];
  });
  const prelude = [...(plan.prelude ?? []), ...[...chosen.values()].map((c): Stmt => (
    { k: 'let', kind: 'let', names: [prevName(c.spike)], init: { k: 'num', v: -1 }, destructure: false, line: 0 }))];
  return { ...plan, step: rw(plan.step), prelude };
}

const prevName = (spike: ArrayBinding) => `${spike.id}$prev`;
const num = (v: number): Expr => ({ k: 'num', v });
const local = (name: string): Expr => ({ k: 'local', name });
const assign = (name: string, value: Expr): Stmt => ({ k: 'expr', e: { k: 'assign', target: { k: 'local', name }, op: '=', value }, line: 0 });

/**
 * The spike arrays loop s flags in the shape spike-lists.ts makes: `spike[v] = 0` first, unconditionally,
 * then one `spike[v] = c` (c ≠ 0) followed right away by the list append, and no other access to the array.
 */
function candidates(s: Extract<Stmt, { k: 'for' }>, fx: EffectAnalysis): { spike: ArrayBinding; list: ArrayBinding; count: string }[] {
  const v = elementLoopVar(s, fx);
  if (!v) return [];
  const out: { spike: ArrayBinding; list: ArrayBinding; count: string }[] = [];
  const appends: Extract<Stmt, { k: 'spikeList' }>[] = [];
  walkStmts(s.body, (x) => { if (x.k === 'spikeList') appends.push(x); });
  for (const a of appends) {
    const id = a.spike.id;
    if (a.index !== v || a.value !== undefined) continue;
    if (firstTouch(s.body, id, v, fx) !== 'overwrite' || !onlyAtLoopIndex(s.body, id, new Set([v]), fx)) continue;
    const clear = plainWrite(firstTouching(s.body, id, fx)!, id, v); // an overwrite, by firstTouch: with 0?
    if (!(clear?.k === 'num' && clear.v === 0)) continue;
    let clears = 0, sets = 0, setBeforeAppend = false, readsElsewhere = false;
    const scan = (ss: Stmt[], inLoop: boolean) => ss.forEach((x, k) => {
      const w = plainWrite(x, id, v);
      if (w) {
        if (inLoop || w.k !== 'num') { readsElsewhere = true; return; }
        if (w.v === 0) clears++; else { sets++; if (ss[k + 1] === a) setBeforeAppend = true; }
        return;
      }
      if (x.k === 'if') { if (touches({ k: 'expr', e: x.test, line: 0 }, id, fx)) readsElsewhere = true; scan(x.then, inLoop); if (x.else) scan(x.else, inLoop); }
      else if (x.k === 'block') scan(x.body, inLoop);
      else if (x.k === 'for' || x.k === 'while' || x.k === 'range') { if (touches(x, id, fx)) readsElsewhere = true; }
      else if (x === a) { /* the append reads the flag it follows */ }
      else if (touches(x, id, fx)) readsElsewhere = true;
    });
    scan(s.body, false);
    if (clears === 1 && sets === 1 && setBeforeAppend && !readsElsewhere) out.push({ spike: a.spike, list: a.list.arr, count: a.list.count });
  }
  return out;
}

/** The body without its first statement touching `id` (the clear; blocks entered). */
function withoutFirstTouch(body: Stmt[], id: string, fx: EffectAnalysis): Stmt[] {
  const k = body.findIndex((s) => touches(s, id, fx));
  const s = body[k];
  const rest = s.k === 'block' ? [{ ...s, body: withoutFirstTouch(s.body, id, fx) }] : [];
  return [...body.slice(0, k), ...rest, ...body.slice(k + 1)];
}

/**
 * `if (prev < 0) for (k < N) spike[k] = 0; else for (k < prev) spike[list[k]] = 0;` — the flags the previous
 * step set, or every flag at the first step of a call.
 */
function clearPrevious(spike: ArrayBinding, list: ArrayBinding, fx: EffectAnalysis): Stmt {
  const prev = prevName(spike), k = `${spike.id}$k`;
  const loop = (end: Expr, at: Expr): Stmt => ({
    k: 'for', line: 0,
    init: { k: 'let', kind: 'let', names: [k], init: num(0), destructure: false, line: 0 },
    test: { k: 'bin', op: '<', a: local(k), b: end },
    update: { k: 'update', target: { k: 'local', name: k }, op: '++', prefix: false },
    body: [{ k: 'expr', line: 0, e: { k: 'assign', target: { k: 'index', arr: spike, i: at }, op: '=', value: num(0) } }],
  });
  const s: Stmt = {
    k: 'if', line: 0, test: { k: 'bin', op: '<', a: local(prev), b: num(0) },
    then: [loop(num(spike.array.length), local(k))],
    else: [loop(local(prev), { k: 'index', arr: list, i: local(k) })],
  };
  classifyLoops([s], fx);
  return s;
}

/** Statements of the step, entering if/else and blocks but not loops (a loop is visited whole). */
function walkStmtsShallow(ss: Stmt[], f: (s: Stmt) => void): void {
  for (const s of ss) {
    if (s.k === 'if') { walkStmtsShallow(s.then, f); if (s.else) walkStmtsShallow(s.else, f); }
    else if (s.k === 'block') walkStmtsShallow(s.body, f);
    else f(s);
  }
}
