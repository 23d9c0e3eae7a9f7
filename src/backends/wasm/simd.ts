import { ArrayBinding, Expr, Stmt } from '../../compiler/ir';
import { Code } from './binary';
import { FnGen, XStmt, forEachExpr, walkX } from './codegen';
import { countedLoop } from '../../compiler/element-access';

/**
 * SIMD form of a `map` loop (compiler/classify.ts: every array accessed only at the loop index, no outer
 * local written, no random draws): two iterations per pass in f64x2, so every operation is the same double
 * operation the scalar code does (float32 storage: promoted on load, demoted on store) and results are
 * bit-identical to the js backend; or, relaxed, four in f32x4, where int32 and uint8 elements and the
 * locals that only hold such values stay in int32 lanes (exact, like the scalar code, and without the
 * conversions to and from float lanes). Branches (f32x4 only: with two lanes the masks cost more than they
 * save) become lane masks: a write under a condition is a v128.bitselect of the new and the old value; a
 * spike-list append (compiler/spike-lists.ts) is one any_true test per pass. The remainder iterations run as
 * scalar code.
 *
 * A loop with anything else in it (calls, imported Math functions, other indices, loops, jumps) stays scalar:
 * the attempt is abandoned before a byte of it reaches the function.
 */

class Bail extends Error {}

/** Code that notes each v128.const it emits (VecGen.anchor) */
class ConstRecorder extends Code {
  constructor(private readonly seen: Map<string, Uint8Array>) { super(); }
  override v128_const(v: ArrayLike<number> | ArrayBufferView): this {
    super.v128_const(v);
    const b = Uint8Array.from(this.bytes.slice(this.bytes.length - 16));
    this.seen.set(b.join(','), b);
    return this;
  }
}

/** `x | 0` or `x & 255`: the wraps of integer scalar replacement (compiler/scalarize.ts), or null */
function wrapOf(e: Extract<Expr, { k: 'bin' }>): '|' | '&' | null {
  if (e.b.k !== 'num') return null;
  return e.op === '|' && e.b.v === 0 ? '|' : e.op === '&' && e.b.v === 255 ? '&' : null;
}
const bail = (why: string): never => { throw new Bail(why); };
/** 0 as written, or Math.fround(0) (a float32 local's stored 0) */
const isZero = (e: Expr): boolean => (e.k === 'num' && e.v === 0) || (e.k === 'math' && e.fn === 'fround' && e.args.length === 1 && isZero(e.args[0]));
/** +0 as written: 0, Math.fround(0) or 0 | 0 (every bit clear, unlike −0) */
const plusZero = (e: Expr): boolean =>
  (e.k === 'num' && Object.is(e.v, 0)) || (e.k === 'math' && e.fn === 'fround' && e.args.length === 1 && plusZero(e.args[0]))
  || (e.k === 'bin' && wrapOf(e) === '|' && plusZero(e.a));
const isI32 = (v: number) => (v | 0) === v && !Object.is(v, -0);

/** an expression that is an int32 by its form: an int32 constant, an int32/uint8 element, a wrapped value */
function intForm(e: Expr): boolean {
  switch (e.k) {
    case 'num': return isI32(e.v);
    case 'index': return e.arr.dtype === 'i32' || e.arr.dtype === 'u8';
    case 'bin': return wrapOf(e) !== null;
    case 'cond': return intForm(e.a) && intForm(e.b);
    default: return false;
  }
}

/** the locals declared in body that only ever hold int32 values by form (integer scalar replacement's) */
function intOnlyLocals(body: XStmt[]): Set<string> {
  const ok = new Map<string, boolean>();
  const note = (n: string, good: boolean) => ok.set(n, (ok.get(n) ?? true) && good);
  walkX(body, (s) => { if (s.k === 'let') for (const n of s.names) note(n, s.names.length === 1 && !s.destructure && !!s.init && intForm(s.init)); });
  forEachExpr(body, (e) => {
    if ((e.k === 'assign' || e.k === 'update') && e.target.k === 'local') note(e.target.name, e.k === 'assign' && e.op === '=' && intForm(e.value));
  });
  return new Set([...ok].filter(([, good]) => good).map(([n]) => n));
}

/**
 * A lane mask: the set lanes of v128 local `vec`, or with `neg` its clear lanes. An else branch's mask is
 * its test's mask negated, so no v128.not is emitted: uses fold the negation into andnot, a swapped
 * bitselect, a guard against all lanes set (two instructions a branch on x64, the not's all-ones constant
 * and xor).
 */
type Mask = { vec: number; neg: boolean };

/** a v128 local (numbers, or masks for a boolean: `true === 1` is false in JS), or an alias of the loop index */
type VLocal = { vec: number; kind: VK; int?: boolean; zero?: boolean } | { alias: true };
/**
 * a vector value: numbers (f64x2 or f32x4), lane masks (all ones / all zeros per lane), or, in f32x4 loops,
 * int32 lanes (i32x4: integer counters and flags stay integers, exact and without conversions)
 */
type VK = 'f' | 'm' | 'i';
const ICMP: Record<string, string> = { '<': 'lt_s', '>': 'gt_s', '<=': 'le_s', '>=': 'ge_s', '==': 'eq', '===': 'eq', '!=': 'ne', '!==': 'ne' };

const ES: Record<string, number> = { f64: 8, f32: 4, i32: 4, u32: 4, u8: 1 };
const CMP: Record<string, string> = { '<': 'lt', '>': 'gt', '<=': 'le', '>=': 'ge', '==': 'eq', '===': 'eq', '!=': 'ne', '!==': 'ne' };
const ARITH: Record<string, string> = { '+': 'add', '-': 'sub', '*': 'mul', '/': 'div' };
const NATIVE: Record<string, string> = { sqrt: 'sqrt', abs: 'abs', floor: 'floor', ceil: 'ceil', trunc: 'trunc' };

/**
 * Lane shape: exact (f64x2, every operation the scalar double one) or relaxed (f32x4: single-precision
 * arithmetic on float32 storage, twice the lanes; results differ from the js backend in the last bits and
 * chaotic networks then diverge spike by spike, rates agree; division by a constant becomes a multiplication).
 */
export interface Lanes { T: 'f64x2' | 'f32x4'; n: 2 | 4 }
export const EXACT: Lanes = { T: 'f64x2', n: 2 };
export const RELAXED: Lanes = { T: 'f32x4', n: 4 };

/** Emits a map loop with SIMD if it can; returns the lanes used (0: not emitted, compile it as scalar code). */
export function simdLoop(s: Extract<Stmt, { k: 'for' }>, g: FnGen, opts: { relaxed?: boolean; maskedBranches?: boolean } = {}): number {
  // relaxed where the loop touches only float32, int32 and bool arrays (and reads read-only doubles); else (or if it fails) exact
  if (opts.relaxed && simdLoopAs(s, g, RELAXED, true)) return 4;
  return simdLoopAs(s, g, EXACT, !!opts.maskedBranches) ? 2 : 0;
}

function simdLoopAs(s: Extract<Stmt, { k: 'for' }>, g: FnGen, L: Lanes, branches: boolean): boolean {
  // for (let v = 0; v < n; v++), n a constant; or, in a loop outlined for threads (threads.ts), v from one int
  // local to another
  const loop = countedLoop(s);
  if (!loop) return false;
  const { v, start, end } = loop;
  const intLocal = (e: Expr) => e.k === 'local' && g.kindOf(e) === 'i';
  let bounds: Bounds, nv = 0;
  const n = end.k === 'num' ? end.v : -1;
  if (start.k === 'num' && start.v === 0 && end.k === 'num' && Number.isInteger(n)) {
    nv = n - (n % L.n);
    if (nv < 4) return false;
    bounds = { nv };
  } else if (start.k === 'local' && end.k === 'local' && intLocal(start) && intLocal(end)) {
    bounds = { lo: g.lookup(start.name) as { idx: number }, hi: g.lookup(end.name) as { idx: number } };
  } else return false;
  const vc = new Code();
  let gen: VecGen;
  try {
    gen = new VecGen(g, vc, v, L, branches);
    gen.loop(s.body, bounds);
  } catch (e) {
    if (e instanceof Bail) return false;
    throw e;
  }
  g.c.bytes.push(...vc.bytes);
  // the remainder, scalar
  const init = s.init as Extract<Stmt, { k: 'let' }>;
  if ('nv' in bounds) { if (nv < n) g.stmt({ ...s, init: { ...init, init: { k: 'num', v: nv } }, info: undefined }); }
  else g.scoped(() => {
    const from = g.fresh();
    g.declare(from, { kind: 'i', idx: gen.lane0 });
    g.stmt({ ...s, init: { ...init, init: { k: 'local', name: from } }, info: undefined });
  });
  return true;
}

/** A vector loop's index range: [0, nv) with nv a multiple of the lanes, or as many whole vectors as fit in [lo, hi) */
type Bounds = { nv: number } | { lo: { idx: number }; hi: { idx: number } };

class VecGen {
  private scopes: Map<string, VLocal>[] = [new Map()];
  /** the lanes that run the current statement; null: all */
  private mask: Mask | null = null;
  private p = -1; // i32 local: index of lane 0

  private readonly T: string;
  private readonly wide: boolean;
  /** memory stores and guarded branches emitted so far (a branch body without either is cheap to run unguarded) */
  private sideEffects = 0;
  constructor(private readonly g: FnGen, private c: Code, private readonly v: string, private readonly L: Lanes, private readonly branches: boolean) {
    this.T = L.T; this.wide = L.T === 'f64x2';
  }
  private k(x: number): void { if (this.wide) this.c.f64x2_const(x); else this.c.f32x4_const(x); }
  private op(name: string): void { this.c.op(`${this.T}.${name}`); }

  /** the i32 local holding the index of lane 0 (after the loop: where the scalar remainder starts) */
  get lane0(): number { return this.p; }

  loop(body: XStmt[], bounds: Bounds): void {
    const c = this.c;
    this.p = this.g.f.local('i32');
    this.scopes[0].set(this.v, { alias: true });
    if (!this.wide) this.intLocals = intOnlyLocals(body);
    const bodyCode = this.aside(() => this.stmts(body));
    // the outer scalars the body reads, splat once: a map loop writes none of them (a spike-list count is
    // written, and read as a scalar)
    for (const { idx, vec, int, scale } of this.splats.values()) {
      c.local_get(idx);
      if (int) c.op('f64.convert_i32_s');
      if (scale !== 1) c.f64_const(scale).op('f64.mul');
      if (!this.wide) c.op('f32.demote_f64');
      this.op('splat');
      c.local_set(vec);
    }
    this.anchor();
    // a vector runs while lane 0 < limit: nv, or hi − lanes + 1
    let limit = -1;
    if ('nv' in bounds) c.i32_const(0).local_set(this.p);
    else {
      limit = this.g.f.local('i32');
      c.local_get(bounds.lo.idx).local_set(this.p);
      c.local_get(bounds.hi.idx).i32_const(this.L.n - 1).op('i32.sub').local_set(limit);
    }
    c.block().loop();
    c.local_get(this.p);
    if ('nv' in bounds) c.i32_const(bounds.nv); else c.local_get(limit);
    c.op('i32.ge_s').br_if(1);
    c.bytes.push(...bodyCode);
    c.local_get(this.p).i32_const(this.L.n).op('i32.add').local_set(this.p).br(0);
    c.end().end();
  }
  /**
   * V8's optimising compiler computes a pure value (a v128.const, a splat) in the block of its uses, so a
   * constant used only inside the loop is rebuilt on every pass (three instructions for each v128 constant)
   * and a splat made before the loop moves back into it. One use ahead of the loop, a store to a scratch
   * slot, makes it compute each once there and keep it in a register: a loop outlined for threads ran
   * 1.43× faster so (86 → 60 µs for 100 000 LIF neurons), as fast as the same loop inside run(), where the
   * step's two versions share their constants (bench/RESULTS.md). Nothing reads the slot.
   */
  private anchor(): void {
    const at = this.g.env.scratch16;
    if (at === undefined) return;
    const c = this.c;
    for (const bytes of this.consts.values()) c.i32_const(0).v128_const(bytes).mem('v128.store', at, 0);
    for (const { vec } of this.splats.values()) c.i32_const(0).local_get(vec).mem('v128.store', at, 0);
  }
  /** the v128 constants the loop body uses, by their bytes */
  private readonly consts = new Map<string, Uint8Array>();

  /** f32x4: the body's locals that only ever hold int32 values, kept as i32x4 lanes */
  private intLocals = new Set<string>();
  /** outer scalar local → the v128 local holding it in every lane (filled before the loop) */
  private readonly splats = new Map<string, { idx: number; vec: number; int: boolean; scale: number }>();

  private lookup(name: string): VLocal | null {
    for (let i = this.scopes.length - 1; i >= 0; i--) { const b = this.scopes[i].get(name); if (b) return b; }
    return null;
  }
  private vlocal(): number { return this.g.f.local('v128'); }
  private scoped(fn: () => void): void { this.scopes.push(new Map()); fn(); this.scopes.pop(); }

  // ---------------------------------------------------------------- statements

  private stmts(ss: XStmt[]): void { for (const s of ss) this.stmt(s); }

  private stmt(s: XStmt): void {
    const c = this.c;
    switch (s.k) {
      case 'let': {
        if (s.destructure) bail('destructuring');
        const name = s.names[0], i = s.init;
        if (i && i.k === 'local' && this.lookup(i.name) && 'alias' in this.lookup(i.name)! && s.kind === 'const') {
          this.scopes[this.scopes.length - 1].set(name, { alias: true });
          return;
        }
        const l = this.vlocal();
        const kind: VK = i && this.intLocals.has(name) ? 'i' : i && this.kindOf(i) === 'm' ? 'm' : 'f';
        if (!i) this.k(NaN); else if (kind === 'm') this.expr(i); else if (kind === 'i') this.I(i); else this.F(i);
        c.local_set(l);
        const zero = !this.wide && kind === 'f' && !!i && isZero(i) && this.mask === null;
        this.scopes[this.scopes.length - 1].set(name, { vec: l, kind, int: !!i && kind === 'f' && this.isInt32(i), zero });
        return;
      }
      case 'expr': {
        const e = s.e;
        if (e.k === 'assign') { this.assign(e.target, e.op, e.value); return; }
        if (e.k === 'update') { this.assign(e.target, e.op === '++' ? '+=' : '-=', { k: 'num', v: 1 }); return; }
        return bail('an expression statement');
      }
      case 'if': {
        if (!this.branches) bail('a branch (f64x2: masked branches off)');
        const outer = this.mask;
        const t = this.vlocal();
        this.M(s.test); c.local_set(t);
        // then: outer ∧ t; else: outer ∧ ¬t, with ¬o ∧ ¬t as ¬(o ∨ t)
        const both = (a: number, b: number, op: string): Mask => { const x = this.vlocal(); c.local_get(a).local_get(b).op(op).local_set(x); return { vec: x, neg: false }; };
        const thenMask: Mask = outer === null ? { vec: t, neg: false } : outer.neg ? both(t, outer.vec, 'v128.andnot') : both(outer.vec, t, 'v128.and');
        const elseMask: Mask = outer === null ? { vec: t, neg: true } : outer.neg ? { ...both(outer.vec, t, 'v128.or'), neg: true } : both(outer.vec, t, 'v128.andnot');
        this.branch(thenMask, s.then);
        if (s.else) this.branch(elseMask, s.else);
        this.mask = outer;
        return;
      }
      case 'block': this.scoped(() => this.stmts(s.body)); return;
      case 'spikeList': {
        if (!this.isLoopIndex({ k: 'local', name: s.index })) bail('spike list of another index');
        const count = this.g.lookup(s.list.count);
        if ('tuple' in count || count.kind !== 'i') return bail('spike-list count');
        const m = this.vlocal(), list = this.g.env.addr(s.list.arr);
        // the flag: the element, or the local that holds it (integer scalar replacement)
        const k: VK = s.value ? this.expr({ k: 'local', name: s.value }) : this.expr({ k: 'index', arr: s.spike, i: { k: 'local', name: s.index } });
        if (k === 'f') { this.k(0); this.op('ne'); } else if (k === 'i') c.i32x4_const(0).op('i32x4.ne');
        if (this.mask !== null) c.local_get(this.mask.vec).op(this.mask.neg ? 'v128.andnot' : 'v128.and');
        c.local_tee(m); this.anyLane(); c.if_();
        this.sideEffects++;
        for (let lane = 0; lane < this.L.n; lane++) {
          if (this.wide) c.local_get(m).lane('i64x2.extract_lane', lane).op('i64.eqz').op('i32.eqz').if_();
          else c.local_get(m).lane('i32x4.extract_lane', lane).if_();
          c.local_get(count.idx).i32_const(2).op('i32.shl').local_get(this.p).i32_const(lane).op('i32.add').mem('i32.store', list);
          c.local_get(count.idx).i32_const(1).op('i32.add').local_set(count.idx);
          c.end();
        }
        c.end();
        return;
      }
      default: bail(s.k);
    }
  }

  /**
   * A branch's statements under its lane mask. Skipped when no lane takes it if it stores to memory or
   * appends to a spike list, itself or in a branch of its own (the spike branch is rare, and skipping it
   * saves its masked stores; measured: running every branch under its mask is 2.2–2.7× slower on LIF).
   * Register-only code (a refractory countdown) runs unguarded: a few vector operations cost less than the
   * mispredicted branch of a lane mix.
   */
  private branch(mask: Mask, body: XStmt[]): void {
    const c = this.c, effects = this.sideEffects;
    this.mask = mask;
    const code = this.aside(() => this.scoped(() => this.stmts(body)));
    if (this.sideEffects === effects) { c.bytes.push(...code); return; }
    c.local_get(mask.vec); this.anyLane();
    if (mask.neg) c.i32_const(this.wide ? 0b11 : 0b1111).op('i32.ne'); // some lane of vec clear
    c.if_();
    c.bytes.push(...code);
    c.end();
    this.sideEffects++;
  }
  /**
   * Whether any lane of the lane mask on the stack is set, as an i32. Masks here are whole lanes (comparisons
   * and their and/or/not), so the sign bits say it: V8 emits movmskps and a test, where v128.any_true costs
   * ptest, setne and a test of the boolean (measured on the relaxed COBA loop: two instructions per guard).
   */
  private anyLane(): void { this.c.op(this.wide ? 'i64x2.bitmask' : 'i32x4.bitmask'); }
  /** the bytes `fn` emits, set aside for the caller to place (a branch decides on its guard after seeing them) */
  private aside(fn: () => void): number[] {
    const outer = this.c;
    this.c = new ConstRecorder(this.consts);
    try { fn(); return this.c.bytes; } finally { this.c = outer; }
  }

  private assign(target: Extract<Expr, { k: 'assign' }>['target'], op: string, value: Expr): void {
    const c = this.c;
    const binop = op === '=' ? null : `${this.T}.${ARITH[op.slice(0, -1)] ?? bail(`compound ${op}`)}`;
    if (target.k === 'local') {
      const l = this.lookup(target.name);
      if (!l || !('vec' in l)) return bail('a write to an outer local');
      if (this.mask !== null && !binop && this.maskedFold(l.vec, l.kind, target.name, value)) c.local_set(l.vec);
      else {
        if (l.kind === 'm') { if (binop || this.kindOf(value) !== 'm') bail('a boolean local written with a number'); this.expr(value); }
        else if (l.kind === 'i') { if (binop) bail('compound write to an int local'); this.I(value); }
        else if (binop) { c.local_get(l.vec); this.F(value); c.op(binop); } else this.F(value);
        if (this.mask !== null) this.select(() => c.local_get(l.vec));
        c.local_set(l.vec);
      }
      // statements are straight-line code here (no loops), so a flag cleared now holds for all later uses
      l.int = !binop && this.isInt32(value) && (this.mask === null || !!l.int);
      l.zero = !binop && isZero(value) && (this.mask === null || !!l.zero);
      return;
    }
    if (!this.isLoopIndex(target.i)) bail('a write at another index');
    const arr = target.arr;
    if (!binop && this.intArray(arr) && this.isIntKind(value)) {
      // f32x4 loop, int32 or uint8 element, int value: in int32 lanes throughout
      this.addr(arr);
      this.I(value);
      if (this.mask !== null) this.select(() => this.loadInt(arr));
      this.storeInt(arr);
      return;
    }
    this.addr(arr);
    if (binop) { this.load(arr); this.F(value); c.op(binop); } else this.F(value);
    if (this.mask !== null) this.select(() => this.load(arr));
    // a masked store also keeps old elements: in int32 range unless the array is uint32
    this.store(arr, !binop && this.isInt32(value) && (this.mask === null || this.isInt32({ k: 'index', arr, i: target.i })));
  }

  /**
   * With the new value on the stack: the value where the mask is set and, where it is clear, what `old`
   * pushes (the element or local as it was).
   */
  private select(old: () => void): void {
    const c = this.c, mask = this.mask!;
    if (!mask.neg) { old(); c.local_get(mask.vec).op('v128.bitselect'); return; }
    const v = this.vlocal();
    c.local_set(v); old(); c.local_get(v).local_get(mask.vec).op('v128.bitselect');
  }

  /**
   * A masked write `l = value` as fewer lane operations than value, l, mask and bitselect (three instructions
   * for bitselect alone on x64), where the mask's lanes are all ones or all zeros:
   * - `l = 0` (+0: all bits clear) keeps l where the mask is clear: l & ~mask;
   * - an int32 local counted down or up, `l = (l ∓ 1) | 0`: the mask is −1 in its set lanes, so l + mask or
   *   l − mask (the refractory countdown of every LIF model).
   * Both are exact. Emits the new value and returns true, or emits nothing and returns false.
   */
  private maskedFold(vec: number, kind: VK, name: string, value: Expr): boolean {
    const c = this.c, mask = this.mask!;
    if (kind !== 'm' && plusZero(value)) { c.local_get(vec).local_get(mask.vec).op(mask.neg ? 'v128.and' : 'v128.andnot'); return true; }
    if (kind === 'i' && value.k === 'bin' && wrapOf(value) === '|') {
      let d = value.a;
      while (d.k === 'bin' && wrapOf(d) === '|') d = d.a; // ((l − 1) | 0) | 0: the model's wrap and the store's
      if (d.k === 'bin' && (d.op === '-' || d.op === '+') && d.a.k === 'local' && d.a.name === name && d.b.k === 'num' && d.b.v === 1) {
        // under a negated mask ¬m = −1 − m: l − 1 − m counts down, l + 1 + m up
        c.local_get(vec).local_get(mask.vec).op(d.op === '-' ? (mask.neg ? 'i32x4.sub' : 'i32x4.add') : (mask.neg ? 'i32x4.add' : 'i32x4.sub'));
        if (mask.neg) c.i32x4_const(1).op(d.op === '-' ? 'i32x4.sub' : 'i32x4.add');
        return true;
      }
    }
    return false;
  }

  /**
   * True where a value is surely an integer in int32 range (the elements of int32 and uint8 arrays, int32
   * constants and outer int locals, the loop index, wrapped values and locals only ever set to such values):
   * its conversion to int32 lanes needs no wrapping.
   */
  private isInt32(e: Expr): boolean {
    switch (e.k) {
      case 'num': return (e.v | 0) === e.v && !Object.is(e.v, -0);
      case 'index': return e.arr.dtype === 'i32' || e.arr.dtype === 'u8';
      case 'local': {
        const l = this.lookup(e.name);
        if (l) return 'alias' in l || l.kind === 'i' || (l.kind === 'f' && !!l.int);
        const o = this.g.lookup(e.name);
        return !('tuple' in o) && o.kind === 'i';
      }
      case 'bin': return wrapOf(e) !== null;
      case 'cond': return this.isInt32(e.a) && this.isInt32(e.b);
      default: return false;
    }
  }

  // ---------------------------------------------------------------- memory

  private isLoopIndex(i: Expr): boolean {
    if (i.k !== 'local') return false;
    const l = this.lookup(i.name);
    return !!l && 'alias' in l;
  }
  /** byte offset of lane 0's element (the array's base goes into the memarg) */
  private addr(arr: ArrayBinding): void {
    const es = ES[arr.dtype] ?? bail(`${arr.dtype} arrays`);
    this.c.local_get(this.p);
    if (es > 1) this.c.i32_const(Math.log2(es)).op('i32.shl');
  }
  /** pushes arr[p], arr[p + 1] as f64x2 */
  private load(arr: ArrayBinding): void {
    const c = this.c, off = this.g.env.addr(arr);
    this.addr(arr);
    if (!this.wide) {
      switch (arr.dtype) {
        case 'f32': c.mem('v128.load', off, 2); return;
        case 'i32': c.mem('v128.load', off, 2).op('f32x4.convert_i32x4_s'); return;
        case 'u8': c.mem('v128.load32_splat', off, 0).op('i16x8.extend_low_i8x16_u').op('i32x4.extend_low_i16x8_u').op('f32x4.convert_i32x4_s'); return;
        case 'f64': // read-only doubles (a run's input values), rounded to single precision like all relaxed arithmetic
          if (arr.writable) bail('float64 state in f32x4');
          c.mem('v128.load', off, 3).op('f32x4.demote_f64x2_zero');
          this.addr(arr);
          c.mem('v128.load', off + 16, 3).op('f32x4.demote_f64x2_zero').shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]);
          return;
        default: bail(`${arr.dtype} arrays in f32x4`);
      }
    }
    switch (arr.dtype) {
      case 'f64': c.mem('v128.load', off, 3); break;
      case 'f32': c.mem('v128.load64_zero', off).op('f64x2.promote_low_f32x4'); break;
      case 'i32': c.mem('v128.load64_zero', off).op('f64x2.convert_low_i32x4_s'); break;
      case 'u32': c.mem('v128.load64_zero', off).op('f64x2.convert_low_i32x4_u'); break;
      case 'u8': c.mem('v128.load16_splat', off, 0).op('i16x8.extend_low_i8x16_u').op('i32x4.extend_low_i16x8_u').op('f64x2.convert_low_i32x4_s'); break;
      default: bail(`${arr.dtype} arrays`);
    }
  }
  /** f32x4: an int32 or uint8 array, whose elements the loop keeps in int32 lanes */
  private intArray(arr: ArrayBinding): boolean { return !this.wide && (arr.dtype === 'i32' || arr.dtype === 'u8'); }
  /** pushes arr[p … p + 3] as int32 lanes (f32x4 loops) */
  private loadInt(arr: ArrayBinding): void {
    const c = this.c, off = this.g.env.addr(arr);
    this.addr(arr);
    if (arr.dtype === 'i32') c.mem('v128.load', off, 2);
    else c.mem('v128.load32_splat', off, 0).op('i16x8.extend_low_i8x16_u').op('i32x4.extend_low_i16x8_u');
  }
  /** stores the int32 lanes on the stack (address below it); a uint8 element keeps the low byte, as its store does */
  private storeInt(arr: ArrayBinding): void {
    const c = this.c, off = this.g.env.addr(arr);
    this.sideEffects++;
    if (arr.dtype === 'i32') { c.mem('v128.store', off, 2); return; }
    this.lowBytes(); c.memLane('v128.store32_lane', 0, off, 0);
  }
  /**
   * int32 lanes → their low bytes, in the first lanes of i8 lanes (what a Uint8Array store keeps): masked to
   * 0…255, then two unsigned narrows, exact on such values. Measured cheaper than the one i8x16.shuffle
   * that picks the bytes (COBA relaxed 49.5 vs 51.3 ms per model second, bench/RESULTS.md).
   */
  private lowBytes(): void {
    this.c.i32x4_const(255).op('v128.and').i32x4_const(0).op('i16x8.narrow_i32x4_u').i32x4_const(0).op('i8x16.narrow_i16x8_u');
  }

  /**
   * Stores the f64x2 on the stack (address below it) as the array's elements, converted as a typed-array store
   * does; `int`: the value is surely in int32 range (isInt32).
   */
  private store(arr: ArrayBinding, int = false): void {
    const c = this.c, off = this.g.env.addr(arr);
    this.sideEffects++;
    if (!this.wide) {
      switch (arr.dtype) {
        case 'f32': c.mem('v128.store', off, 2); return;
        case 'i32': this.toInt32(int); c.mem('v128.store', off, 2); return;
        case 'u8':
          this.toInt32(int); this.lowBytes();
          c.memLane('v128.store32_lane', 0, off, 0);
          return;
        default: bail(`${arr.dtype} arrays in f32x4`);
      }
    }
    switch (arr.dtype) {
      case 'f64': c.mem('v128.store', off, 3); break;
      case 'f32': c.op('f32x4.demote_f64x2_zero').memLane('v128.store64_lane', 0, off); break;
      case 'i32': case 'u32': this.toInt32(int); c.memLane('v128.store64_lane', 0, off); break;
      case 'u8':
        this.toInt32(int); this.lowBytes();
        c.memLane('v128.store16_lane', 0, off, 0);
        break;
      default: bail(`${arr.dtype} arrays`);
    }
  }

  /**
   * The lanes on the stack as int32 lanes, wrapped as ToInt32 (an Int32Array store, `| 0`) does: x − 2^32·⌊x/2^32⌋
   * of the truncated value lies in [0, 2^32) and is exact in doubles, and its unsigned conversion has the
   * two's-complement bits (NaN and ±Inf give 0). A saturating conversion alone would turn a counter that
   * overflows into 2^31 − 1. `inRange`: the value is an int32 already (one conversion). f32x4 (relaxed):
   * saturating, like its arithmetic not exact beyond 2^24.
   */
  private toInt32(inRange = false): void {
    const c = this.c;
    if (!this.wide) { c.op('i32x4.trunc_sat_f32x4_s'); return; }
    if (inRange) { c.op('i32x4.trunc_sat_f64x2_s_zero'); return; }
    const t = this.vlocal();
    c.op('f64x2.trunc').local_tee(t).local_get(t).f64x2_const(2 ** -32).op('f64x2.mul').op('f64x2.floor')
      .f64x2_const(2 ** 32).op('f64x2.mul').op('f64x2.sub').op('i32x4.trunc_sat_f64x2_u_zero');
  }

  // ---------------------------------------------------------------- expressions

  private F(e: Expr): void {
    const k = this.expr(e);
    if (k === 'm') { this.k(1); this.c.op('v128.and'); } // true → 1, false → 0
    else if (k === 'i') this.c.op('f32x4.convert_i32x4_s');
  }
  /** truthiness as lane masks (NaN and ±0 are false) */
  private M(e: Expr): void {
    const k = this.expr(e);
    if (k === 'f') { this.op('abs'); this.k(0); this.op('gt'); }
    else if (k === 'i') this.c.i32x4_const(0).op('i32x4.ne');
  }
  /**
   * f32x4: pushes e as int32 lanes, for a value that is an int32 (isInt32): int lanes as they are, an outer
   * int or the loop index splat as integers, anything else truncated from its float lanes.
   */
  private I(e: Expr): void {
    const c = this.c;
    if (e.k === 'num') { c.i32x4_const(e.v | 0); return; }
    if (e.k === 'local') {
      const l = this.lookup(e.name);
      if (l && 'alias' in l) { c.local_get(this.p).op('i32x4.splat').i32x4_const(0, 1, 2, 3).op('i32x4.add'); return; }
      const o = l ? null : this.g.lookup(e.name);
      if (o && !('tuple' in o) && o.kind === 'i') { c.local_get(o.idx).op('i32x4.splat'); return; }
    }
    const k = this.expr(e);
    if (k === 'f') c.op('i32x4.trunc_sat_f32x4_s');
    else if (k === 'm') c.i32x4_const(1).op('v128.and');
  }
  /** f32x4 and e an int32 by its form or kind: it can travel in int32 lanes */
  private isIntKind(e: Expr): boolean {
    return !this.wide && (this.kindOf(e) === 'i' || (e.k === 'num' && isI32(e.v)));
  }

  /** a literal 0, or a local known to hold 0 in every lane here (f32x4: `input = 0; input += g·(E − V)`) */
  private knownZero(e: Expr): boolean {
    if (isZero(e)) return true;
    const l = e.k === 'local' ? this.lookup(e.name) : null;
    return !!l && 'vec' in l && !!l.zero;
  }
  /** the v128 local holding outer scalar `name` times `scale` in every lane, filled before the loop */
  private splat(name: string, scale: number): number {
    const o = this.g.lookup(name); // an outer scalar: the same in every lane
    if ('tuple' in o || o.kind === 'b') return bail('an outer tuple or boolean');
    const key = `${o.idx}*${scale}`;
    let sp = this.splats.get(key);
    if (!sp) this.splats.set(key, sp = { idx: o.idx, vec: this.vlocal(), int: o.kind === 'i', scale });
    return sp.vec;
  }
  /** `p · s` with p = x · c or x / c (c a number) and s an outer scalar: x and the splat of c·s (relaxed) */
  private scaledOuter(p: Expr, s: Expr): { x: Expr; vec: number } | null {
    if (s.k !== 'local' || this.lookup(s.name) || p.k !== 'bin' || p.b.k !== 'num' || (p.op !== '*' && p.op !== '/')) return null;
    const o = this.g.lookup(s.name);
    if ('tuple' in o || o.kind === 'b') return null;
    return { x: p.a, vec: this.splat(s.name, p.op === '*' ? p.b.v : 1 / p.b.v) };
  }

  private expr(e: Expr): VK {
    const c = this.c;
    switch (e.k) {
      case 'num': this.k(e.v); return 'f';
      case 'local': {
        const l = this.lookup(e.name);
        if (l && 'vec' in l) { c.local_get(l.vec); return l.kind; }
        if (l) {
          if (this.wide) c.local_get(this.p).op('f64.convert_i32_s').op('f64x2.splat').f64x2_const(0, 1).op('f64x2.add');
          else c.local_get(this.p).op('f32.convert_i32_s').op('f32x4.splat').f32x4_const(0, 1, 2, 3).op('f32x4.add');
          return 'f';
        }
        c.local_get(this.splat(e.name, 1));
        return 'f';
      }
      case 'index':
        if (!this.isLoopIndex(e.i)) return bail('a read at another index');
        if (this.intArray(e.arr)) { this.loadInt(e.arr); return 'i'; }
        this.load(e.arr);
        return 'f';
      case 'bin': {
        if (CMP[e.op]) {
          if ((e.op === '===' || e.op === '!==') && (this.kindOf(e.a) === 'm') !== (this.kindOf(e.b) === 'm')) bail('a boolean strictly compared with a number');
          if (this.isIntKind(e.a) && this.isIntKind(e.b)) { this.I(e.a); this.I(e.b); c.op(`i32x4.${ICMP[e.op]}`); return 'm'; }
          this.F(e.a); this.F(e.b); this.op(CMP[e.op]); return 'm';
        }
        if (!this.wide) {
          // relaxed: x / constant as x · (1/constant); x ± 0 as x; (x · c) · s and (x / c) · s, s an outer
          // scalar (dt), as x · (c·s) with c·s splat before the loop (one multiplication instead of two)
          if (e.op === '/' && e.b.k === 'num') { this.F(e.a); this.k(1 / e.b.v); this.op('mul'); return 'f'; }
          if ((e.op === '+' || e.op === '-') && this.knownZero(e.b)) { this.F(e.a); return 'f'; }
          if (e.op === '+' && this.knownZero(e.a)) { this.F(e.b); return 'f'; }
          const scaled = e.op === '*' ? this.scaledOuter(e.a, e.b) ?? this.scaledOuter(e.b, e.a) : null;
          if (scaled) { this.F(scaled.x); c.local_get(scaled.vec); this.op('mul'); return 'f'; }
        }
        if (ARITH[e.op]) { this.F(e.a); this.F(e.b); this.op(ARITH[e.op]); return 'f'; }
        // integer scalar replacement's wraps (compiler/scalarize.ts): `x | 0` and `x & 255`
        const wrap = wrapOf(e);
        if (wrap && !this.wide) {
          // f32x4: into int32 lanes, and they stay there (saturating from float lanes, as relaxed arithmetic is
          // not exact beyond 2^24 anyway; int32 ± int32 in the lanes' own wrapping add/sub)
          const a = e.a;
          if (a.k === 'num') { c.i32x4_const(wrap === '|' ? a.v | 0 : a.v & 255); return 'i'; }
          if (this.isIntKind(a)) this.I(a);
          else if (a.k === 'bin' && (a.op === '+' || a.op === '-') && this.isInt32(a.a) && this.isInt32(a.b)) {
            this.I(a.a); this.I(a.b); c.op(a.op === '+' ? 'i32x4.add' : 'i32x4.sub');
          } else { this.F(a); c.op('i32x4.trunc_sat_f32x4_s'); }
          if (wrap === '&') c.i32x4_const(255).op('v128.and');
          return 'i';
        }
        if (wrap) {
          const a = e.a;
          if (a.k === 'num') { this.k(wrap === '|' ? a.v | 0 : a.v & 255); return 'f'; }
          if (wrap === '|' && this.isInt32(a)) { this.F(a); return 'f'; }
          // int32 ± int32, wrapped: the int32 lanes' own add/sub (a counter's `(r - 1) | 0`)
          if (a.k === 'bin' && (a.op === '+' || a.op === '-') && this.isInt32(a.a) && this.isInt32(a.b)) {
            for (const x of [a.a, a.b]) { if (x.k === 'num') c.i32x4_const(x.v); else { this.F(x); this.toInt32(true); } }
            c.op(a.op === '+' ? 'i32x4.add' : 'i32x4.sub');
          } else { this.F(a); this.toInt32(this.isInt32(a)); }
          if (wrap === '&') c.i32x4_const(255).op('v128.and');
          c.op(this.wide ? 'f64x2.convert_low_i32x4_s' : 'f32x4.convert_i32x4_s');
          return 'f';
        }
        return bail(`operator ${e.op}`);
      }
      case 'logic': {
        if (e.op === '??') { this.F(e.a); return 'f'; }
        const ka = this.kindOf(e.a), kb = this.kindOf(e.b);
        if (ka === 'm' && kb === 'm') { this.expr(e.a); this.expr(e.b); c.op(e.op === '&&' ? 'v128.and' : 'v128.or'); return 'm'; }
        // a && b is b where a is truthy, else a; a || b the other way round (both sides are pure here)
        const a = this.vlocal();
        this.F(e.a); c.local_set(a);
        if (e.op === '&&') { this.F(e.b); c.local_get(a); } else { c.local_get(a); this.F(e.b); }
        c.local_get(a); this.op('abs'); this.k(0); this.op('gt'); c.op('v128.bitselect');
        return 'f';
      }
      case 'un':
        if (e.op === '!') { this.M(e.a); c.op('v128.not'); return 'm'; }
        if (e.op === '-') { this.F(e.a); this.op('neg'); return 'f'; }
        if (e.op === '+') { this.F(e.a); return 'f'; }
        return bail(`operator ${e.op}`);
      case 'cond': {
        const k = this.kindOf(e);
        if (k === 'm') { this.expr(e.a); this.expr(e.b); } else if (k === 'i') { this.I(e.a); this.I(e.b); } else { this.F(e.a); this.F(e.b); }
        this.M(e.test); c.op('v128.bitselect');
        return k;
      }
      case 'math': {
        const n = e.args.length;
        if (NATIVE[e.fn] && n === 1) { this.F(e.args[0]); this.op(NATIVE[e.fn]); return 'f'; }
        if ((e.fn === 'min' || e.fn === 'max') && n === 2) { this.F(e.args[0]); this.F(e.args[1]); this.op(e.fn); return 'f'; }
        if (e.fn === 'fround' && n === 1) { this.F(e.args[0]); if (this.wide) c.op('f32x4.demote_f64x2_zero').op('f64x2.promote_low_f32x4'); return 'f'; }
        return bail(`Math.${e.fn}`);
      }
      default: return bail(e.k);
    }
  }

  private kindOf(e: Expr): VK {
    if (e.k === 'local') { const l = this.lookup(e.name); return l && 'vec' in l ? l.kind : 'f'; }
    if (e.k === 'index' && this.intArray(e.arr)) return 'i';
    if (e.k === 'bin' && wrapOf(e) && !this.wide) return 'i';
    if (e.k === 'bin' && CMP[e.op]) return 'm';
    if (e.k === 'un' && e.op === '!') return 'm';
    if (e.k === 'logic' && e.op !== '??') return this.kindOf(e.a) === 'm' && this.kindOf(e.b) === 'm' ? 'm' : 'f';
    if (e.k === 'cond') {
      const a = this.kindOf(e.a), b = this.kindOf(e.b);
      return a === 'm' && b === 'm' ? 'm' : this.isIntKind(e.a) && this.isIntKind(e.b) && (a === 'i' || b === 'i') ? 'i' : 'f';
    }
    return 'f';
  }
}
