import { ArrayBinding, BindingDType, Expr, LValue, Stmt } from './ir';
import { StepPlan } from './plan';
import { EffectAnalysis } from './effects';
import { childExprs, forEachExpr, walkStmts } from './walk';
import { elementLoopVar, firstTouch, lastWrittenConst } from './element-access';

/**
 * Scalar replacement, a plan rewrite for CPU backends: in an element loop over v, a float array accessed
 * only at [v] is read once into a local at the top of the iteration, used and updated there, and stored
 * once at the end. A fused neuron loop reads and writes `V[v]` and `input[v]` several times; engines do not
 * keep such values in registers themselves (any typed-array store may alias any load). Exact: every access
 * of the iteration is to that one element and nothing else in the iteration (a helper, an operator) touches
 * the array, so the local always holds what the element would. Float32 arrays round on every write
 * (Math.fround), as a store into a Float32Array does; with `ints` (the wasm backend), int32 and uint8 arrays
 * too, wrapping as their stores do (`| 0`, `& 255`). Only where it saves memory accesses (three or more, or
 * two reads).
 */
export function scalarize(plan: StepPlan, opts: { ints?: boolean } = {}): StepPlan {
  const fx = new EffectAnalysis(new Map([...plan.helpers, ...plan.opaque].map((f) => [f.id, f])));
  const types = new Set<BindingDType>(opts.ints ? ['f64', 'f32', 'i32', 'u8'] : ['f64', 'f32']);
  const rw = (ss: Stmt[]): Stmt[] => ss.map((s) => rewrite(s, fx, rw, types));
  return {
    ...plan,
    step: rw(plan.step),
    rotation: plan.rotation && { flush: rw(plan.rotation.flush) },
  };
}

function rewrite(s: Stmt, fx: EffectAnalysis, rw: (ss: Stmt[]) => Stmt[], types: Set<BindingDType>): Stmt {
  switch (s.k) {
    case 'if': return { ...s, then: rw(s.then), else: s.else && rw(s.else) };
    case 'block': return { ...s, body: rw(s.body) };
    case 'check': return s.flush ? { ...s, flush: rw(s.flush) } : s;
    case 'for': {
      const v = elementLoopVar(s, fx);
      return v ? { ...s, body: scalarizeBody(s.body, v, fx, types, s.info?.entry ?? {}) } : s;
    }
    default: return s;
  }
}

interface Use { arr: ArrayBinding; reads: number; writes: number; ok: boolean }

/** `entry`: elements known to hold a constant when the iteration starts (LoopInfo.entry) */
function scalarizeBody(body: Stmt[], v: string, fx: EffectAnalysis, types: Set<BindingDType>, entry: Record<string, number>): Stmt[] {
  const uses = new Map<string, Use>();
  const use = (a: ArrayBinding): Use => {
    let u = uses.get(a.id);
    if (!u) uses.set(a.id, u = { arr: a, reads: 0, writes: 0, ok: types.has(a.dtype) });
    return u;
  };
  const atV = (i: Expr) => i.k === 'local' && i.name === v;
  // arrays reached at indices not seen here: by operators, monitors, spike lists, inputs, checks and calls
  const blocked = new Set<string>();
  const block = (s: Stmt) => { const f = fx.stmts([s]); for (const id of [...f.readArrays, ...f.writeArrays]) blocked.add(id); };
  // statement-position writes (the only ones a float32 array may have: an assignment's value is unrounded)
  const stmtWrites = new Set<Expr>();
  walkStmts(body, (s) => {
    if (s.k === 'expr' && (s.e.k === 'assign' || s.e.k === 'update')) stmtWrites.add(s.e);
    if (s.k === 'op' || s.k === 'eventGroup' || s.k === 'record' || s.k === 'recordValue' || s.k === 'input' || s.k === 'check') block(s);
    // a spike-list append reads the flag at the loop index (it can read the local instead) and writes its list
    if (s.k === 'spikeList') { blocked.add(s.list.arr.id); if (s.index !== v) blocked.add(s.spike.id); else use(s.spike).reads++; }
  });
  forEachExpr(body, (e) => {
    if (e.k === 'call') block({ k: 'expr', e: { ...e, args: [] }, line: 0 });
    // an assignment's target is not among the expressions visited: every 'index' seen is a read
    if ((e.k === 'assign' || e.k === 'update') && e.target.k === 'index') {
      const u = use(e.target.arr);
      if (!atV(e.target.i)) u.ok = false;
      u.writes++;
      if (e.k === 'update' || e.op !== '=') u.reads++;
      if (e.target.arr.dtype !== 'f64' && !stmtWrites.has(e)) u.ok = false;
    }
    if (e.k === 'index') {
      const u = use(e.arr);
      if (!atV(e.i)) u.ok = false;
      u.reads++;
    }
  });
  const chosen = [...uses.values()].filter((u) => u.ok && !blocked.has(u.arr.id) && (u.reads + u.writes >= 3 || u.reads >= 2));
  if (!chosen.length) return body;

  const names = new Map(chosen.map((u) => [u.arr.id, `${u.arr.id}$r`]));
  const converted = new Map(chosen.filter((u) => u.arr.dtype !== 'f64').map((u) => [u.arr.id, u.arr.dtype]));
  // an element the iteration overwrites before it reads it (a spike flag cleared first) is not loaded, nor
  // one known to hold a constant; one known so that the iteration ends by writing the same constant is not
  // stored back
  const known = (id: string) => Object.prototype.hasOwnProperty.call(entry, id);
  const loads: Stmt[] = chosen.map((u) => ({
    k: 'let', kind: 'let', names: [names.get(u.arr.id)!], destructure: false, line: 0,
    init: known(u.arr.id) ? { k: 'num', v: entry[u.arr.id] }
      : firstTouch(body, u.arr.id, v, fx) === 'overwrite' ? { k: 'num', v: 0 } : { k: 'index', arr: u.arr, i: { k: 'local', name: v } },
  }));
  const unchanged = (u: Use) => known(u.arr.id) && Object.is(lastWrittenConst(body, u.arr.id, v, fx), entry[u.arr.id]);
  const stores: Stmt[] = chosen.filter((u) => u.writes > 0 && !unchanged(u)).map((u) => ({
    k: 'expr', line: 0,
    e: { k: 'assign', target: { k: 'index', arr: u.arr, i: { k: 'local', name: v } }, op: '=', value: { k: 'local', name: names.get(u.arr.id)! } },
  }));
  return [...loads, ...replaceStmts(body, names, converted), ...stores];
}

type Conv = Map<string, BindingDType>;

function replaceStmts(ss: Stmt[], names: Map<string, string>, conv: Conv): Stmt[] {
  return ss.map((s) => replaceStmt(s, names, conv));
}

/** The value a typed array of this type holds after `a[i] = x` (a Float32Array rounds, integer arrays wrap). */
function stored(x: Expr, d: BindingDType): Expr {
  if (d === 'f32') return { k: 'math', fn: 'fround', args: [x] };
  if (d === 'i32') return { k: 'bin', op: '|', a: x, b: { k: 'num', v: 0 } };
  if (d === 'u8') return { k: 'bin', op: '&', a: x, b: { k: 'num', v: 255 } };
  throw new Error(`internal: scalarize has no store conversion for ${d}`);
}

function replaceStmt(s: Stmt, names: Map<string, string>, conv: Conv): Stmt {
  const e = (x: Expr) => replaceExpr(x, names);
  const ss = (xs: Stmt[]) => replaceStmts(xs, names, conv);
  switch (s.k) {
    case 'let': return { ...s, init: s.init && e(s.init) };
    case 'expr': {
      const x = s.e;
      // a float32 element rounds on every write, an integer one wraps: `a[v] op= y` → `a$r = fround(a$r op y)`
      if ((x.k === 'assign' || x.k === 'update') && x.target.k === 'index' && conv.has(x.target.arr.id)) {
        const local = { k: 'local', name: names.get(x.target.arr.id)! } as const;
        const value: Expr = x.k === 'update'
          ? { k: 'bin', op: x.op === '++' ? '+' : '-', a: local, b: { k: 'num', v: 1 } }
          : x.op === '=' ? e(x.value) : { k: 'bin', op: x.op.slice(0, -1), a: local, b: e(x.value) };
        return { ...s, e: { k: 'assign', target: local, op: '=', value: stored(value, conv.get(x.target.arr.id)!) } };
      }
      return { ...s, e: e(x) };
    }
    case 'if': return { ...s, test: e(s.test), then: ss(s.then), else: s.else && ss(s.else) };
    case 'for': return { ...s, init: s.init && replaceStmt(s.init, names, conv), test: s.test && e(s.test), update: s.update && e(s.update), body: ss(s.body) };
    case 'range': return { ...s, start: e(s.start), end: e(s.end), body: ss(s.body) };
    case 'while': return { ...s, test: e(s.test), body: ss(s.body) };
    case 'block': return { ...s, body: ss(s.body) };
    case 'return': return { ...s, value: s.value && e(s.value) };
    case 'spikeList': return names.has(s.spike.id) ? { ...s, value: names.get(s.spike.id) } : s;
    default: return s;
  }
}

function replaceExpr(x: Expr, names: Map<string, string>): Expr {
  const e = (y: Expr) => replaceExpr(y, names);
  const lv = (l: LValue): LValue => (l.k === 'index' && names.has(l.arr.id) ? { k: 'local', name: names.get(l.arr.id)! } : l.k === 'index' ? { ...l, i: e(l.i) } : l);
  switch (x.k) {
    case 'index': return names.has(x.arr.id) ? { k: 'local', name: names.get(x.arr.id)! } : { ...x, i: e(x.i) };
    case 'assign': return { ...x, target: lv(x.target), value: e(x.value) };
    case 'update': return { ...x, target: lv(x.target) };
    case 'num': case 'local': return x;
    default: {
      // rebuild with replaced children, in the order childExprs gives them
      const kids = childExprs(x).map(e);
      switch (x.k) {
        case 'localIndex': return { ...x, i: kids[0] };
        case 'bin': case 'logic': return { ...x, a: kids[0], b: kids[1] } as Expr;
        case 'un': return { ...x, a: kids[0] };
        case 'cond': return { ...x, test: kids[0], a: kids[1], b: kids[2] };
        case 'math': case 'call': case 'rng': return { ...x, args: kids } as Expr;
        case 'tuple': return { ...x, items: kids };
      }
    }
  }
}
