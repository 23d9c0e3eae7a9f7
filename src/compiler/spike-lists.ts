import { ArrayBinding, OpStmt, RecordStmt, SpikeList, Stmt } from './ir';
import { StepPlan } from './plan';
import { EffectAnalysis } from './effects';
import { firstTouch, onlyAtLoopIndex, plainWrite } from './element-access';

/**
 * A plan rewrite for CPU backends: where a loop computes a spike array and later statements scan it
 * (event deliveries, spike monitors), the loop appends the index of every spiking element to a list as it
 * goes, and the scans walk that list instead of all N flags. Exact: the list holds precisely the indices
 * with spike[i] ≠ 0, ascending, as the scan would visit them, because
 *  - the producer is a canonical loop over 0 … N−1 (each element once, in order) that writes the array
 *    only at its own index, and the append comes last in each iteration (it sees the final value);
 *  - no statement between the producer and a consumer writes the array (the producer is the nearest writer).
 * Where the loop clears the flag first (`spike[v] = 0`) and sets it in one place only (`spike[v] = 1` under
 * the threshold test), the append goes right after that set instead: the flag is nonzero at the end of an
 * iteration exactly when the set ran, so the list is the same, and the other iterations skip the test.
 * With `forFlags` (cpuPlan's default), a flag array that nothing scans gets a list too where one loop alone writes it
 * in that clear-then-set shape: sparse-flags.ts then spares the loop its N flag stores a step (1M LIF: js 2.02 →
 * 1.94 ms, wasm relaxed on 2 threads 0.49 → 0.47 ms).
 * A GPU backend does not use it (an append is serial); the js and wasm backends do.
 */
export function useSpikeLists(plan: StepPlan, opts: { forFlags?: boolean } = {}): StepPlan {
  const fx = new EffectAnalysis(new Map([...plan.helpers, ...plan.opaque].map((f) => [f.id, f])));
  const step = plan.step.slice();
  const lists = new Map<string, SpikeList>();      // producer index and spike array → its list (a fused loop may compute several)
  const bindings = plan.bindings.slice();
  const inserts: { at: number; stmt: Stmt }[] = [];

  // consumers: the nearest earlier statement that writes the array produces it
  const pairs: { c: number; p: number; spike: ArrayBinding }[] = [];
  for (let c = 0; c < step.length; c++) {
    const spike = consumedSpike(step[c]);
    if (!spike) continue;
    let p = c - 1;
    while (p >= 0 && !fx.stmts([step[p]]).writeArrays.has(spike.id)) p--;
    if (p >= 0 && producesAll(step[p], spike)) pairs.push({ c, p, spike });
  }
  // forFlags: a flag array nothing scans still gets a list where its loop alone writes it, cleared first
  // and set in one place, so that sparse-flags.ts can spare the loop its N flag stores a step
  if (opts.forFlags) {
    step.forEach((s, p) => {
      if (s.k !== 'for') return;
      for (const id of fx.stmts(s.body).writeArrays) {
        const spike = plan.bindings.find((b) => b.id === id);
        if (!spike || spike.dtype !== 'u8' || spike.role !== 'state' || pairs.some((x) => x.p === p && x.spike.id === id)) continue;
        if (step.some((o, k) => k !== p && fx.stmts([o]).writeArrays.has(id)) || !producesAll(s, spike)) continue;
        const v = (s.init as Extract<Stmt, { k: 'let' }>).names[0];
        if (atTheSet(s.body, spike, v, { k: 'break' }, fx)) pairs.push({ c: -1, p, spike }); // (a placeholder append: only the shape is asked)
      }
    });
  }

  for (const { c, p, spike } of pairs) {
    const key = `${p}:${spike.id}`;
    let list = lists.get(key);
    if (!list) {
      const id = `${spike.id}$list`;
      const arr: ArrayBinding = { id, path: `${spike.path} (spike list)`, array: new Int32Array(spike.array.length), writable: true, isFloat: false, dtype: 'i32', role: 'scratch' };
      bindings.push(arr);
      list = { arr, count: `${spike.id}$n` };
      lists.set(key, list);
      const loop = step[p] as Extract<Stmt, { k: 'for' }>;
      const v = (loop.init as Extract<Stmt, { k: 'let' }>).names[0];
      const append: Stmt = { k: 'spikeList', list, spike, index: v };
      step[p] = { ...loop, body: atTheSet(loop.body, spike, v, append, fx) ?? [...loop.body, append] };
      inserts.push({ at: p, stmt: { k: 'let', kind: 'let', names: [list.count], init: { k: 'num', v: 0 }, destructure: false, line: 0 } });
    }
    if (c >= 0) step[c] = withList(step[c], list);
  }
  for (const { at, stmt } of inserts.sort((a, b) => b.at - a.at)) step.splice(at, 0, stmt);
  return { ...plan, step, bindings };
}

/**
 * The body with `append` right after its one statement setting the flag to a nonzero constant, where the
 * flag's only other write is a clear to 0 that comes first, unconditionally; else null.
 */
function atTheSet(body: Stmt[], spike: ArrayBinding, v: string, append: Stmt, fx: EffectAnalysis): Stmt[] | null {
  if (firstTouch(body, spike.id, v, fx) !== 'overwrite' || !onlyAtLoopIndex(body, spike.id, new Set([v]), fx)) return null;
  // every write of the flag, each a statement `spike[v] = constant` outside inner loops
  const writes: { s: Stmt; value: number }[] = [];
  let other = false;
  const visit = (ss: Stmt[], inLoop: boolean): void => {
    for (const s of ss) {
      const x = inLoop ? null : plainWrite(s, spike.id, v);
      if (x?.k === 'num') writes.push({ s, value: x.v });
      else if (s.k === 'if') { visit(s.then, inLoop); if (s.else) visit(s.else, inLoop); }
      else if (s.k === 'block') visit(s.body, inLoop);
      else if (s.k === 'for' || s.k === 'while' || s.k === 'range') visit(s.body, true);
      else if (fx.stmts([s]).writeArrays.has(spike.id)) other = true;
    }
  };
  visit(body, false);
  const sets = writes.filter((w) => w.value !== 0);
  if (other || writes.length !== 2 || writes[0].value !== 0 || sets.length !== 1) return null;
  const set = sets[0].s;
  const place = (ss: Stmt[]): Stmt[] => ss.flatMap((s): Stmt[] => {
    if (s === set) return [s, append];
    if (s.k === 'if') return [{ ...s, then: place(s.then), else: s.else && place(s.else) }];
    if (s.k === 'block') return [{ ...s, body: place(s.body) }];
    return [s];
  });
  return place(body);
}

function consumedSpike(s: Stmt): ArrayBinding | null {
  if (s.k === 'eventGroup') return spikeArg(s.ops[0]);
  if (s.k === 'op' && s.name === 'pre2postEventSum') return spikeArg(s);
  if (s.k === 'record') return s.arr;
  return null;
}
function spikeArg(o: OpStmt): ArrayBinding | null { const a = o.args[2]; return a && a.k === 'array' ? a.arr : null; }

function withList(s: Stmt, list: SpikeList): Stmt {
  if (s.k === 'eventGroup') return { ...s, list };
  if (s.k === 'op') return { k: 'eventGroup', ops: [s], records: [], list };
  return { ...(s as RecordStmt), list };
}

/** A canonical loop over every element of `spike` (0 … N−1, no jumps) that writes it only at its index. */
function producesAll(s: Stmt, spike: ArrayBinding): boolean {
  if (s.k !== 'for' || !s.info || (s.info.cls !== 'map' && s.info.cls !== 'rowParallel')) return false;
  const init = s.init, t = s.test;
  if (!(init?.k === 'let' && init.names.length === 1 && init.init?.k === 'num' && init.init.v === 0)) return false;
  if (!(t && t.k === 'bin' && t.op === '<' && t.b.k === 'num' && t.b.v === spike.array.length)) return false;
  return !hasJump(s.body);
}

function hasJump(ss: Stmt[]): boolean {
  return ss.some((s) => s.k === 'break' || s.k === 'continue' || s.k === 'return'
    || (s.k === 'if' && (hasJump(s.then) || (s.else ? hasJump(s.else) : false))) || (s.k === 'block' && hasJump(s.body)));
}
