import { ArrayBinding, Expr, OpArg, OpStmt, RecordStmt, SpikeList, Stmt } from '../../compiler/ir';
import { XStmt } from './codegen';

/**
 * The library operators as plain plan statements (src/ops/delivery.ts holds their reference semantics, the
 * js backend's kernels the same loops as text): the wasm code generator then compiles them like model code,
 * with int32 index arithmetic and the same element order, so sums accumulate in the same order as js.
 */

export const num = (v: number): Expr => ({ k: 'num', v });
export const loc = (name: string): Expr => ({ k: 'local', name });
export const at = (arr: ArrayBinding, i: Expr): Expr => ({ k: 'index', arr, i });
export const bin = (op: string, a: Expr, b: Expr): Expr => ({ k: 'bin', op, a, b });
export const set = (arr: ArrayBinding, i: Expr, op: string, value: Expr): Stmt => ({ k: 'expr', line: 0, e: { k: 'assign', target: { k: 'index', arr, i }, op, value } });
export const konst = (name: string, init: Expr): Stmt => ({ k: 'let', kind: 'const', names: [name], init, destructure: false, line: 0 });
export const range = (v: string, start: Expr, end: Expr, body: XStmt[]): Stmt => ({ k: 'range', v, start, end, body: body as Stmt[], line: 0 });
export const when = (test: Expr, then: XStmt[], other: XStmt[] | null = null): Stmt => ({ k: 'if', test, then: then as Stmt[], else: other as Stmt[] | null, line: 0 });
export const nonzero = (e: Expr): Expr => bin('!==', e, num(0));

type Ragged = Extract<OpArg, { k: 'ragged' }>;
const arr = (a: OpArg, what: string): ArrayBinding => { if (a.k !== 'array') throw new Error(`internal: ${what} is not an array`); return a.arr; };
const rag = (a: OpArg): Ragged => { if (a.k !== 'ragged') throw new Error('internal: expected rows'); return a; };
const expr = (a: OpArg): Expr => { if (a.k !== 'expr') throw new Error('internal: expected a scalar'); return a.e; };
/** A weight: one per synapse (array, element k) or one for all (scalar). */
const weight = (a: OpArg, k: Expr): Expr => (a.k === 'array' ? at(a.arr, k) : expr(a));
/** for k over row i of r */
const row = (r: Ragged, i: Expr, k: string, body: XStmt[]): Stmt => range(k, at(r.indptr, i), at(r.indptr, bin('+', i, num(1))), body);

export type Append = (mon: number, i: Expr) => XStmt[];

/** One library operator, or an event group (deliveries and spike monitors sharing one scan or spike list). */
export function kernelStmts(s: OpStmt | Extract<Stmt, { k: 'eventGroup' }>, fresh: () => string, append: Append): XStmt[] {
  if (s.k === 'eventGroup') return eventGroup(s.ops, s.records, s.list, fresh, append);
  const a = s.args;
  const i = fresh(), k = fresh();
  switch (s.name) {
    case 'pre2postEventSum': return eventGroup([s], [], undefined, fresh, append);
    case 'pre2postSum': {
      const r = rag(a[1]), x = fresh(), v = fresh();
      return [range(i, num(0), num(r.rows), [
        konst(x, at(arr(a[2], 'x'), loc(i))),
        when(nonzero(loc(x)), [konst(v, bin('*', expr(a[3]), loc(x))), row(r, loc(i), k, [set(arr(a[0], 'out'), at(r.indices, loc(k)), '+=', loc(v))])]),
      ])];
    }
    case 'gapJunctionSum': {
      const r = rag(a[1]), vi = fresh(), j = fresh();
      return [range(i, num(0), num(r.rows), [
        konst(vi, at(arr(a[2], 'vPre'), loc(i))),
        row(r, loc(i), k, [konst(j, at(r.indices, loc(k))), set(arr(a[0], 'out'), loc(j), '+=', bin('*', expr(a[4]), bin('-', loc(vi), at(arr(a[3], 'vPost'), loc(j)))))]),
      ])];
    }
    case 'ringEventSum': {
      const ring = arr(a[0], 'ring'), r = rag(a[1]), spike = arr(a[2], 'spike'), delay = arr(a[4], 'delaySteps'), nPost = expr(a[6]);
      if (nPost.k !== 'num') throw new Error('internal: ringEventSum nPost is not a constant');
      const L = ring.array.length / nPost.v, p = fresh();
      // ring[((p + delay[k]) % L) * nPost + target] += w
      const slot = bin('+', bin('*', bin('%', bin('+', loc(p), at(delay, loc(k))), num(L)), num(nPost.v)), at(r.indices, loc(k)));
      return [konst(p, expr(a[5])), range(i, num(0), num(r.rows), [
        when(nonzero(at(spike, loc(i))), [row(r, loc(i), k, [set(ring, slot, '+=', weight(a[3], loc(k)))])]),
      ])];
    }
    case 'denseEventSum': {
      const W = a[1];
      if (W.k !== 'dense') throw new Error('internal: expected a dense matrix');
      const j = fresh();
      return [range(i, num(0), num(W.rows), [
        when(nonzero(at(arr(a[2], 'spike'), loc(i))), [range(j, num(0), num(W.cols), [
          set(arr(a[0], 'out'), loc(j), '+=', at(W.data, bin('+', bin('*', loc(i), num(W.cols)), loc(j)))),
        ])]),
      ])];
    }
    case 'syn2post': {
      const post = arr(a[2], 'postIds');
      return [range(i, num(0), num(post.array.length), [set(arr(a[0], 'out'), at(post, loc(i)), '+=', at(arr(a[1], 'syn'), loc(i)))])];
    }
    case 'pre2syn': {
      const pre = arr(a[2], 'preIds');
      return [range(i, num(0), num(pre.array.length), [set(arr(a[0], 'out'), loc(i), '=', at(arr(a[1], 'pre'), at(pre, loc(i))))])];
    }
  }
  throw new Error(`internal: no wasm kernel for ${s.name}`);
}

export const KERNEL_NAMES: Record<string, true> = {
  pre2postEventSum: true, pre2postSum: true, gapJunctionSum: true, ringEventSum: true, denseEventSum: true, syn2post: true, pre2syn: true,
};

/** Deliveries (pre2postEventSum) and spike monitors over one spike array: one scan of the flags or one walk of the list. */
function eventGroup(ops: OpStmt[], records: RecordStmt[], list: SpikeList | undefined, fresh: () => string, append: Append): XStmt[] {
  const i = fresh();
  const body: XStmt[] = [];
  for (const o of ops) {
    const r = rag(o.args[1]), out = arr(o.args[0], 'out'), k = fresh();
    body.push(row(r, loc(i), k, [set(out, at(r.indices, loc(k)), '+=', weight(o.args[3], loc(k)))]));
  }
  for (const m of records) body.push(...append(m.mon, loc(i)));
  return scan(ops.length ? arr(ops[0].args[2], 'spike') : records[0].arr, list, i, fresh, body);
}

/** for each i with spike[i] ≠ 0, ascending: body (walking the spike list where the plan built one). */
export function scan(spike: ArrayBinding, list: SpikeList | undefined, i: string, fresh: () => string, body: XStmt[]): XStmt[] {
  if (list) {
    const q = fresh();
    return [range(q, num(0), loc(list.count), [konst(i, at(list.arr, loc(q))), ...body])];
  }
  return [range(i, num(0), num(spike.array.length), [when(nonzero(at(spike, loc(i))), body)])];
}
