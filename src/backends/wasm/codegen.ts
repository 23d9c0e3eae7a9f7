import { ArrayBinding, BindingDType, Expr, LValue, Stmt } from '../../compiler/ir';
import { Code, FuncBuilder } from './binary';
import { BackendUnsupported } from '../backend';

/**
 * Plan IR → wasm instructions for one function, with JavaScript's semantics on the values the plan can hold:
 * every number is a double, except where the value is provably an int32 (loop counters, loads from integer
 * arrays, bitwise results), which stays in i32 so index arithmetic costs nothing. Float32 storage is
 * promoted on load and demoted on store, so arithmetic between stores is double as in the js backend
 * (bit-identical results). Functions that have no exact wasm instruction (exp, pow, %, round, …) are the JS
 * functions themselves, imported.
 */

/** How a value sits on the wasm stack: f64; i32 holding an integer; i32 holding a boolean 0/1. */
export type Kind = 'f' | 'i' | 'b';

/** Backend-internal statements, next to the plan's (monitor bookkeeping, leaving run()). */
export type XStmt = Stmt
  /** return `code` from run(), leaving the step in slot sOut and `a`, `b` in the two result slots */
  | { k: 'x:exit'; code: number; a: number; b: Expr | null }
  /**
   * `then` (the exact scalar scan that finds and reports the first bad element) only where some element of
   * the float array `arr` is NaN or ±Inf: a vector pass sums x − x over it (0 for every finite x, NaN
   * otherwise), so the finiteness check a run makes every 100 steps costs a load and two vector operations
   * per 16 bytes instead of a scalar test per element
   */
  | { k: 'x:ifNonFinite'; arr: ArrayBinding; then: XStmt[] };

/** A wasm local: f64, an int32, or a boolean 0/1 (what a comparison gives; `true === 1` is false in JS). */
export interface Local { kind: Kind; idx: number }
type Binding = Local | { tuple: number[] };

export interface FuncSig { index: number; params: string[]; defaults: (number | undefined)[]; nres: number; name: string }

/** What a function's code needs from the module: addresses, imports, other functions. */
export interface ModuleEnv {
  addr(b: ArrayBinding): number;
  mathImport(fn: string, arity: number): number;
  rngImport(fn: string, arity: number): number;
  fmod: number;
  pow: number;
  funcs: Map<string, FuncSig>;
  /** byte addresses of run()'s result slots */
  slots: { sOut: number; a: number; b: number };
  /** the rewrite of a library operator into plain statements */
  kernel(s: Extract<Stmt, { k: 'op' }> | Extract<Stmt, { k: 'eventGroup' }>, fresh: () => string): XStmt[];
  /** a map loop this backend emits with SIMD, or null (then it is compiled as scalar code) */
  simd?(s: Extract<Stmt, { k: 'for' }>, g: FnGen): boolean;
  /** address of 16 bytes nothing reads, for the SIMD loops' stores that anchor their constants (simd.ts) */
  scratch16?: number;
  /** a map loop split across worker threads (threads.ts), or false (then simd, then scalar) */
  parallel?(s: Extract<Stmt, { k: 'for' }>, g: FnGen): boolean;
  /** the helper `fn` where its calls are compiled inline (see FnGen.call), else null */
  inline?(fn: string): InlineHelper | null;
}

/** A helper compiled at its call sites: its parameters, body and where it comes from (for messages). */
export interface InlineHelper { params: string[]; body: Stmt[]; where: string }

/** helpers inlined into helpers inlined into …: at most this deep (then a call) */
const MAX_INLINE_DEPTH = 4;

const ES: Record<BindingDType, number> = { f32: 4, f64: 8, i32: 4, u32: 4, u8: 1, i8: 1, i16: 2, u16: 2 };
const LOG2 = (n: number) => (n === 8 ? 3 : n === 4 ? 2 : n === 2 ? 1 : 0);
const isIntDtype = (d: BindingDType) => d === 'i32' || d === 'u8' || d === 'i8' || d === 'i16' || d === 'u16';
const CMP: Record<string, [string, string]> = {
  '<': ['i32.lt_s', 'f64.lt'], '>': ['i32.gt_s', 'f64.gt'], '<=': ['i32.le_s', 'f64.le'], '>=': ['i32.ge_s', 'f64.ge'],
  '==': ['i32.eq', 'f64.eq'], '===': ['i32.eq', 'f64.eq'], '!=': ['i32.ne', 'f64.ne'], '!==': ['i32.ne', 'f64.ne'],
};
const BITWISE: Record<string, string> = { '&': 'i32.and', '|': 'i32.or', '^': 'i32.xor', '<<': 'i32.shl', '>>': 'i32.shr_s' };
const ARITH: Record<string, string> = { '+': 'f64.add', '-': 'f64.sub', '*': 'f64.mul', '/': 'f64.div' };
/** Math functions with an exact wasm instruction (correctly rounded or exact, as JS specifies them). */
const NATIVE_MATH: Record<string, string> = { sqrt: 'f64.sqrt', abs: 'f64.abs', floor: 'f64.floor', ceil: 'f64.ceil', trunc: 'f64.trunc' };

const isI32Lit = (v: number) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 && !Object.is(v, -0);

export class FnGen {
  readonly c: Code;
  private scopes: Map<string, Binding>[] = [new Map()];
  /** open structured blocks, innermost last: what `break` and `continue` target */
  private labels: ('brk' | 'cont' | 'other')[] = [];
  /** helpers being compiled inline, innermost last: what `return` leaves (the block at labels[label]) */
  private frames: { fn: string; label: number; nres: number; results: Local[] }[] = [];
  private uid = 0;
  /** where statements come from (model method, line in it), for messages */
  where = '';
  line = 0;

  constructor(readonly env: ModuleEnv, readonly f: FuncBuilder, readonly nres: number | null) { this.c = f.code; }

  fresh = (): string => `$w${this.uid++}`;

  // ---------------------------------------------------------------- scopes, labels

  declare(name: string, b: Binding): void { this.scopes[this.scopes.length - 1].set(name, b); }
  lookup(name: string): Binding {
    for (let i = this.scopes.length - 1; i >= 0; i--) { const b = this.scopes[i].get(name); if (b) return b; }
    throw this.unsupported(`local '${name}' is not declared`);
  }
  private scalar(name: string): Local {
    const b = this.lookup(name);
    if ('tuple' in b) throw this.unsupported(`'${name}' holds an array literal; only its elements can be used`);
    return b;
  }
  local(kind: Kind, name?: string): Local {
    const l = { kind, idx: this.f.local(kind === 'f' ? 'f64' : 'i32') };
    if (name) this.declare(name, l);
    return l;
  }
  scoped(fn: () => void): void { this.scopes.push(new Map()); try { fn(); } finally { this.scopes.pop(); } }

  open(kind: 'brk' | 'cont' | 'other', how: 'block' | 'loop' | 'if', t: 'f64' | 'i32' | null = null): void {
    this.labels.push(kind);
    if (how === 'block') this.c.block(t); else if (how === 'loop') this.c.loop(t); else this.c.if_(t);
  }
  close(): void { this.labels.pop(); this.c.end(); }
  private depthOf(kind: 'brk' | 'cont'): number {
    for (let i = this.labels.length - 1; i >= 0; i--) if (this.labels[i] === kind) return this.labels.length - 1 - i;
    throw this.unsupported(`${kind === 'brk' ? 'break' : 'continue'} outside a loop`);
  }

  unsupported(what: string, s?: { line?: number; where?: string }): BackendUnsupported {
    const at = s?.where ?? this.where, line = s?.line ?? this.line;
    return new BackendUnsupported('wasm', `${at ? at + ', ' : ''}${line ? `line ${line} of the method: ` : ''}${what}`);
  }

  // ---------------------------------------------------------------- static kinds

  kindOf(e: Expr): Kind {
    switch (e.k) {
      case 'num': return e.bool ? 'b' : isI32Lit(e.v) ? 'i' : 'f';
      case 'local': return this.scalar(e.name).kind;
      case 'index': return isIntDtype(e.arr.dtype) ? 'i' : 'f';
      case 'bin':
        if (CMP[e.op]) return 'b';
        if (BITWISE[e.op]) return 'i';
        return 'f';
      case 'logic': return e.op !== '??' && this.kindOf(e.a) === 'b' && this.kindOf(e.b) === 'b' ? 'b' : 'f';
      case 'un': return e.op === '!' ? 'b' : e.op === '~' ? 'i' : 'f';
      case 'cond': { const a = this.kindOf(e.a), b = this.kindOf(e.b); return a === b && a !== 'f' ? a : 'f'; }
      case 'assign': case 'update': return e.target.k === 'local' ? this.scalar(e.target.name).kind : 'f';
      default: return 'f';
    }
  }

  /** Whether every write to local `name` in `ss` keeps it an int32 (so it may live in an i32 local). */
  intOnly(ss: XStmt[], name: string, extra: Expr[] = [], want: 'i' | 'b' = 'i'): boolean {
    let ok = true;
    const intExpr = (e: Expr): boolean => {
      if (e.k === 'local' && e.name === name) return true;
      try { return this.kindOf(e) === want; } catch { return false; }
    };
    const ops = want === 'i' ? ['=', '+=', '-=', '&=', '|=', '^=', '<<=', '>>='] : ['='];
    const ex = (e: Expr | null | undefined): void => {
      if (!e || !ok) return;
      if ((e.k === 'assign' || e.k === 'update') && e.target.k === 'local' && e.target.name === name) {
        if (e.k === 'update' ? want === 'b' : !(ops.includes(e.op) && intExpr(e.value))) ok = false;
      }
      forChildren(e, ex);
    };
    extra.forEach(ex);
    walkX(ss, (s) => {
      if (s.k === 'let' && s.names.includes(name) && s.destructure) ok = false;
      if (s.k === 'spikeList' && s.list.count === name) return;
      forStmtExprs(s, ex);
    });
    return ok;
  }

  // ---------------------------------------------------------------- expressions

  /** Pushes e as an f64. */
  F(e: Expr): void {
    if (e.k === 'num') { this.c.f64_const(e.v); return; }
    const k = this.any(e);
    if (k !== 'f') this.c.op('f64.convert_i32_s');
  }
  /** Pushes e as an i32 integer (array index, int local); a double is truncated. */
  I(e: Expr): void {
    if (e.k === 'bin' && (e.op === '+' || e.op === '-' || e.op === '*') && this.intish(e.a) && this.intish(e.b)) {
      // an index: if the exact sum were outside int32 the element would not exist anyway
      this.I(e.a); this.I(e.b); this.c.op(e.op === '+' ? 'i32.add' : e.op === '-' ? 'i32.sub' : 'i32.mul'); return;
    }
    if (e.k === 'bin' && e.op === '%' && this.intish(e.a) && e.b.k === 'num' && isI32Lit(e.b.v) && e.b.v > 0) {
      this.I(e.a); this.I(e.b); this.c.op('i32.rem_s'); return;
    }
    const k = this.any(e);
    if (k === 'f') this.c.op('i32.trunc_sat_f64_s');
  }
  private intish(e: Expr): boolean {
    if (e.k === 'bin' && (e.op === '+' || e.op === '-' || e.op === '*')) return this.intish(e.a) && this.intish(e.b);
    return this.kindOf(e) === 'i';
  }
  /** Pushes JavaScript's ToInt32(e). */
  toInt32(e: Expr): void {
    // int32 ± int32: the double sum is exact, so its ToInt32 is the wrapping i32 sum (a counter's `(r - 1) | 0`)
    if (e.k === 'bin' && (e.op === '+' || e.op === '-') && this.kindOf(e.a) === 'i' && this.kindOf(e.b) === 'i') {
      this.any(e.a); this.any(e.b); this.c.op(e.op === '+' ? 'i32.add' : 'i32.sub');
      return;
    }
    const k = this.any(e);
    if (k === 'f') this.wrapF64();
  }
  /**
   * ToInt32 of the f64 on the stack. Truncated, x − 2^32·⌊x/2^32⌋ lies in [0, 2^32) and is exact in doubles,
   * so i64 holds it and its low 32 bits are JavaScript's result; NaN and ±Inf give 0 (a saturating conversion
   * alone gave −1 for ~Infinity's operand and wrong bits beyond 2^63). As simd.ts does for f64x2 lanes.
   */
  private wrapF64(): void {
    const t = this.f.local('f64');
    this.c.op('f64.trunc').local_tee(t).local_get(t).f64_const(2 ** -32).op('f64.mul').op('f64.floor')
      .f64_const(2 ** 32).op('f64.mul').op('f64.sub').op('i64.trunc_sat_f64_s').op('i32.wrap_i64');
  }
  /** Pushes e's truthiness as an i32 (NaN and ±0 are false). */
  C(e: Expr): void {
    const k = this.any(e);
    if (k === 'f') this.c.op('f64.abs').f64_const(0).op('f64.gt');
  }

  /** Pushes e in its natural kind (kindOf(e)). */
  any(e: Expr): Kind {
    const c = this.c;
    switch (e.k) {
      case 'num':
        if (e.bool) { c.i32_const(e.v); return 'b'; }
        if (isI32Lit(e.v)) { c.i32_const(e.v); return 'i'; }
        c.f64_const(e.v); return 'f';
      case 'local': { const l = this.scalar(e.name); c.local_get(l.idx); return l.kind; }
      case 'index': this.address(e.arr, e.i); return this.load(e.arr.dtype, this.env.addr(e.arr));
      case 'localIndex': {
        const b = this.lookup(e.name);
        if (!('tuple' in b) || e.i.k !== 'num' || !(e.i.v >= 0 && e.i.v < b.tuple.length)) throw this.unsupported(`${e.name}[…] with an index that is not a constant`);
        c.local_get(b.tuple[e.i.v]); return 'f';
      }
      case 'bin': return this.bin(e);
      case 'logic': {
        const k = this.kindOf(e);
        if (e.op === '??') { this.F(e.a); return 'f'; }
        if (k === 'b') {
          this.C(e.a);
          this.open('other', 'if', 'i32');
          if (e.op === '&&') { this.C(e.b); c.else_().i32_const(0); } else { c.i32_const(1).else_(); this.C(e.b); }
          this.close();
          return 'b';
        }
        const t = this.local('f');
        this.F(e.a); c.local_tee(t.idx).op('f64.abs').f64_const(0).op('f64.gt');
        this.open('other', 'if', 'f64');
        if (e.op === '&&') { this.F(e.b); c.else_().local_get(t.idx); } else { c.local_get(t.idx).else_(); this.F(e.b); }
        this.close();
        return 'f';
      }
      case 'un':
        if (e.op === '!') { this.C(e.a); c.op('i32.eqz'); return 'b'; }
        if (e.op === '~') { this.toInt32(e.a); c.i32_const(-1).op('i32.xor'); return 'i'; }
        this.F(e.a); if (e.op === '-') c.op('f64.neg');
        return 'f';
      case 'cond': {
        const k = this.kindOf(e);
        this.C(e.test);
        this.open('other', 'if', k === 'f' ? 'f64' : 'i32');
        const arm = (x: Expr) => (k === 'f' ? this.F(x) : this.any(x));
        arm(e.a); c.else_(); arm(e.b);
        this.close();
        return k;
      }
      case 'math': return this.math(e);
      case 'call': {
        const sig = this.call(e);
        if (sig.nres === 0) { c.f64_const(NaN); return 'f'; } // undefined, as a number
        if (sig.nres > 1) throw this.unsupported(`${e.fn}() returns an array; destructure it (const [a, b] = …)`);
        return 'f';
      }
      case 'rng': e.args.forEach((a) => this.F(a)); c.call(this.env.rngImport(e.fn, e.args.length)); return 'f';
      case 'tuple': throw this.unsupported('an array literal where a number is expected');
      case 'assign': return this.assign(e, true)!;
      case 'update': return this.update(e, true)!;
    }
  }

  private bin(e: Extract<Expr, { k: 'bin' }>): Kind {
    const c = this.c;
    const cmp = CMP[e.op];
    if (cmp) {
      // int % positive constant compares exactly in i32 (only its sign of zero differs, which no comparison sees)
      const remI = (x: Expr) => x.k === 'bin' && x.op === '%' && this.intish(x.a) && x.b.k === 'num' && isI32Lit(x.b.v) && x.b.v > 0;
      const ka = remI(e.a) ? 'i' : this.kindOf(e.a), kb = remI(e.b) ? 'i' : this.kindOf(e.b);
      const side = (x: Expr) => (remI(x) ? this.I(x) : this.any(x));
      if ((e.op === '===' || e.op === '!==') && (ka === 'b') !== (kb === 'b')) {
        // a boolean is never strictly equal to a number
        this.any(e.a); c.op('drop'); this.any(e.b); c.op('drop'); c.i32_const(e.op === '===' ? 0 : 1);
        return 'b';
      }
      if (ka !== 'f' && kb !== 'f') { side(e.a); side(e.b); c.op(cmp[0]); } else { this.F(e.a); this.F(e.b); c.op(cmp[1]); }
      return 'b';
    }
    if (ARITH[e.op]) { this.F(e.a); this.F(e.b); c.op(ARITH[e.op]); return 'f'; }
    if (BITWISE[e.op]) { this.toInt32(e.a); this.toInt32(e.b); c.op(BITWISE[e.op]); return 'i'; }
    if (e.op === '>>>') { this.toInt32(e.a); this.toInt32(e.b); c.op('i32.shr_u').op('f64.convert_i32_u'); return 'f'; }
    if (e.op === '%') { this.F(e.a); this.F(e.b); c.call(this.env.fmod); return 'f'; }
    if (e.op === '**') { this.F(e.a); this.F(e.b); c.call(this.env.pow); return 'f'; }
    throw this.unsupported(`operator ${e.op}`);
  }

  private math(e: Extract<Expr, { k: 'math' }>): Kind {
    const c = this.c, n = e.args.length;
    if (NATIVE_MATH[e.fn] && n === 1) { this.F(e.args[0]); c.op(NATIVE_MATH[e.fn]); return 'f'; }
    if ((e.fn === 'min' || e.fn === 'max') && n === 2) { this.F(e.args[0]); this.F(e.args[1]); c.op(`f64.${e.fn}`); return 'f'; }
    if (e.fn === 'fround' && n === 1) {
      if (e.args[0].k === 'num') { c.f64_const(Math.fround(e.args[0].v)); return 'f'; }
      this.F(e.args[0]); c.op('f32.demote_f64').op('f64.promote_f32'); return 'f';
    }
    e.args.forEach((a) => this.F(a));
    c.call(this.env.mathImport(e.fn, n));
    return 'f';
  }

  /** Pushes a call's results (as many as the callee returns). */
  call(e: Extract<Expr, { k: 'call' }>): FuncSig {
    const sig = this.env.funcs.get(e.fn);
    if (!sig) throw this.unsupported(`call of unknown function ${e.fn}`);
    const def = this.frames.length < MAX_INLINE_DEPTH && !this.frames.some((f) => f.fn === e.fn) ? this.env.inline?.(e.fn) : null;
    if (def) { this.inlineCall(e, sig, def); return sig; }
    this.args(e, sig, () => undefined);
    this.c.call(sig.index);
    return sig;
  }

  /**
   * Evaluates a call's arguments left to right: each parameter's (a missing one: its default, else
   * undefined), `each` after it is pushed; arguments beyond the parameters are evaluated and dropped.
   */
  private args(e: Extract<Expr, { k: 'call' }>, sig: FuncSig, each: () => void): void {
    sig.params.forEach((_, i) => {
      if (i < e.args.length) this.F(e.args[i]); else this.c.f64_const(sig.defaults[i] ?? NaN);
      each();
    });
    for (let i = sig.params.length; i < e.args.length; i++) { this.any(e.args[i]); this.c.op('drop'); }
  }

  /**
   * A call compiled in place: V8 (Node 20) does not inline calls between wasm functions, and a call per
   * element in a neuron loop (an integrator calling the model's derivative) cost QuaIF and GIF twice the
   * time js took (bench/RESULTS.md, eleventh session). The arguments go into fresh locals, left to right as
   * a call evaluates them; the body runs in a block of its own with only its parameters in scope, and a
   * `return` leaves that block with its value (several values, `return [a, b]`, through locals read after
   * the block; falling off the end gives undefined: NaN). Pushes what the call would.
   */
  private inlineCall(e: Extract<Expr, { k: 'call' }>, sig: FuncSig, def: InlineHelper): void {
    const c = this.c;
    const args: Local[] = [];
    this.args(e, sig, () => { const l = this.local('f'); c.local_set(l.idx); args.push(l); });
    const outer = { scopes: this.scopes, where: this.where, line: this.line };
    this.scopes = [new Map()];
    def.params.forEach((p, i) => this.declare(p, args[i]));
    this.where = def.where;
    this.line = 0;
    const results = sig.nres > 1 ? Array.from({ length: sig.nres }, () => this.local('f')) : [];
    this.open('other', 'block', sig.nres === 1 ? 'f64' : null);
    this.frames.push({ fn: e.fn, label: this.labels.length - 1, nres: sig.nres, results });
    try {
      this.stmts(def.body);
      if (sig.nres === 1) c.f64_const(NaN);
      for (const r of results) c.f64_const(NaN).local_set(r.idx);
    } finally {
      this.frames.pop();
      this.scopes = outer.scopes; this.where = outer.where; this.line = outer.line;
    }
    this.close();
    for (const r of results) c.local_get(r.idx);
  }

  /** Pushes the values of a tuple-valued expression (an array literal, or a call returning one); returns how many. */
  tuple(e: Expr): number {
    if (e.k === 'tuple') { e.items.forEach((x) => this.F(x)); return e.items.length; }
    if (e.k === 'call') { const sig = this.env.funcs.get(e.fn); if (sig && sig.nres > 1) { this.call(e); return sig.nres; } }
    throw this.unsupported('destructuring something that is not an array literal or a function returning one');
  }

  // ---------------------------------------------------------------- memory

  /** Pushes the byte address (minus the array's base, which goes into the memarg offset) of arr[i]. */
  address(arr: ArrayBinding, i: Expr): void {
    const sh = LOG2(ES[arr.dtype]);
    if (i.k === 'num' && isI32Lit(i.v) && i.v >= 0) { this.c.i32_const(i.v << sh); return; }
    this.I(i);
    if (sh) this.c.i32_const(sh).op('i32.shl');
  }
  load(d: BindingDType, off: number): Kind {
    const c = this.c;
    switch (d) {
      case 'f64': c.mem('f64.load', off); return 'f';
      case 'f32': c.mem('f32.load', off).op('f64.promote_f32'); return 'f';
      case 'i32': c.mem('i32.load', off); return 'i';
      case 'u32': c.mem('i32.load', off).op('f64.convert_i32_u'); return 'f';
      case 'u8': c.mem('i32.load8_u', off); return 'i';
      case 'i8': c.mem('i32.load8_s', off); return 'i';
      case 'u16': c.mem('i32.load16_u', off); return 'i';
      case 'i16': c.mem('i32.load16_s', off); return 'i';
    }
  }
  /** Converts the value on the stack (kind k) to what the array stores (JS typed-array conversion). */
  private toStored(d: BindingDType, k: Kind): void {
    const c = this.c;
    if (d === 'f64' || d === 'f32') {
      if (k !== 'f') c.op('f64.convert_i32_s');
      if (d === 'f32') c.op('f32.demote_f64');
    } else if (k === 'f') this.wrapF64();
  }
  store(d: BindingDType, off: number): void {
    const name = { f64: 'f64.store', f32: 'f32.store', i32: 'i32.store', u32: 'i32.store', u8: 'i32.store8', i8: 'i32.store8', u16: 'i32.store16', i16: 'i32.store16' }[d];
    this.c.mem(name, off);
  }

  // ---------------------------------------------------------------- assignments

  /** Compound or plain assignment; pushes the expression's value (its kind returned) only when `value`. */
  assign(e: Extract<Expr, { k: 'assign' }>, value: boolean): Kind | null {
    const c = this.c, op = e.op === '=' ? null : e.op.slice(0, -1);
    if (e.target.k === 'local') {
      const l = this.scalar(e.target.name);
      if (!op) { if (l.kind === 'i') this.I(e.value); else if (l.kind === 'b') this.any(e.value); else this.F(e.value); } else {
        if (l.kind === 'b') throw this.unsupported(`internal: ${e.op} on a boolean local`);
        c.local_get(l.idx);
        const k = this.compound(op, l.kind, e.value);
        if (l.kind === 'f' && k !== 'f') c.op('f64.convert_i32_s');
        if (l.kind === 'i' && k !== 'i') throw this.unsupported(`internal: ${e.op} on an int32 local`);
      }
      if (value) c.local_tee(l.idx); else c.local_set(l.idx);
      return value ? l.kind : null;
    }
    const arr = e.target.arr, off = this.env.addr(arr), d = arr.dtype;
    const a = this.local('i');
    this.address(arr, e.target.i); c.local_tee(a.idx);
    let k: Kind;
    if (!op) k = this.any(e.value);
    else { c.local_get(a.idx); k = this.compound(op, this.load(d, off), e.value, isIntDtype(d)); }
    let t: Local | null = null;
    if (value) { t = this.local(k === 'f' ? 'f' : 'i'); c.local_tee(t.idx); }
    this.toStored(d, k);
    this.store(d, off);
    if (t) c.local_get(t.idx);
    return value ? k : null;
  }

  /**
   * old (kind `k`, on the stack) `op` value, as JavaScript computes `x op= value`. int32 + and − stay in
   * i32 where the result is stored into an int array or an int local (ToInt32 of the exact sum is the
   * wrapped i32 sum); bitwise operators work on ToInt32 of both sides.
   */
  private compound(op: string, k: Kind, value: Expr, intTarget = true): Kind {
    const c = this.c;
    if (BITWISE[op] || op === '>>>') {
      if (k === 'f') this.wrapF64();
      this.toInt32(value);
      if (op === '>>>') { c.op('i32.shr_u').op('f64.convert_i32_u'); return 'f'; }
      c.op(BITWISE[op]);
      return 'i';
    }
    if (intTarget && k !== 'f' && (op === '+' || op === '-') && this.kindOf(value) !== 'f') {
      this.any(value); c.op(op === '+' ? 'i32.add' : 'i32.sub'); return 'i';
    }
    if (k !== 'f') c.op('f64.convert_i32_s');
    this.F(value);
    if (ARITH[op]) c.op(ARITH[op]);
    else if (op === '%') c.call(this.env.fmod);
    else if (op === '**') c.call(this.env.pow);
    else throw this.unsupported(`compound assignment ${op}=`);
    return 'f';
  }

  update(e: Extract<Expr, { k: 'update' }>, value: boolean): Kind | null {
    const c = this.c, add = e.op === '++';
    if (e.target.k === 'local') {
      const l = this.scalar(e.target.name);
      if (value && !e.prefix) c.local_get(l.idx);
      c.local_get(l.idx);
      if (l.kind === 'b') throw this.unsupported(`internal: ${e.op} on a boolean local`);
      if (l.kind === 'i') c.i32_const(1).op(add ? 'i32.add' : 'i32.sub'); else c.f64_const(1).op(add ? 'f64.add' : 'f64.sub');
      if (value && e.prefix) c.local_tee(l.idx); else c.local_set(l.idx);
      return value ? l.kind : null;
    }
    if (value && !e.prefix) throw this.unsupported('the value of a postfix ++/-- on an array element');
    return this.assign({ k: 'assign', target: e.target, op: add ? '+=' : '-=', value: { k: 'num', v: 1 } }, value);
  }

  // ---------------------------------------------------------------- statements

  stmts(ss: XStmt[]): void {
    for (let j = 0; j < ss.length; j++) {
      // messages name the model method and line the statement came from
      const s = ss[j] as { where?: string; line?: number };
      const w = this.where, l = this.line;
      if (s.where) this.where = s.where;
      if (s.line) this.line = s.line;
      try { this.stmt(ss[j], ss, j); } finally { this.where = w; this.line = l; }
    }
  }

  /** Pushes what `return …` gives a function of nres results (undefined: NaN). */
  private returned(s: Extract<Stmt, { k: 'return' }>, nres: number): void {
    const c = this.c;
    if (nres > 1) {
      if (!s.value) for (let i = 0; i < nres; i++) c.f64_const(NaN);
      else if (this.tuple(s.value) !== nres) throw this.unsupported('returns of different lengths', s);
    } else if (nres === 1) { if (s.value) this.F(s.value); else c.f64_const(NaN); } else if (s.value) this.exprStmt(s.value);
  }

  private exprStmt(e: Expr): void {
    if (e.k === 'assign') { this.assign(e, false); return; }
    if (e.k === 'update') { this.update(e, false); return; }
    if (e.k === 'call') { const sig = this.call(e); for (let i = 0; i < sig.nres; i++) this.c.op('drop'); return; }
    this.any(e); this.c.op('drop');
  }

  stmt(s: XStmt, list: XStmt[] = [], at = 0): void {
    const c = this.c;
    switch (s.k) {
      case 'let': {
        if (s.destructure) {
          const n = this.tuple(s.init!);
          const ls = s.names.map((nm) => this.local('f', nm));
          for (let i = n - 1; i >= 0; i--) { if (i < ls.length) c.local_set(ls[i].idx); else c.op('drop'); }
          for (let i = n; i < ls.length; i++) c.f64_const(NaN).local_set(ls[i].idx);
          return;
        }
        const name = s.names[0], init = s.init;
        if (init && (init.k === 'tuple' || (init.k === 'call' && (this.env.funcs.get(init.fn)?.nres ?? 0) > 1))) {
          const n = this.tuple(init);
          const idx = Array.from({ length: n }, () => this.f.local('f64'));
          for (let i = n - 1; i >= 0; i--) c.local_set(idx[i]);
          this.declare(name, { tuple: idx });
          return;
        }
        const k0 = init === null ? 'f' : this.kindOf(init);
        const kind: Kind = k0 !== 'f' && (s.kind === 'const' || this.intOnly(list.slice(at + 1), name, [], k0)) ? k0 : 'f';
        const l = this.local(kind);
        if (init) { if (kind === 'i') this.I(init); else if (kind === 'b') this.any(init); else this.F(init); } else c.f64_const(NaN);
        c.local_set(l.idx);
        this.declare(name, l); // after the initialiser: `let x = x` reads an outer x
        return;
      }
      case 'expr': this.exprStmt(s.e); return;
      case 'if':
        this.C(s.test);
        this.open('other', 'if');
        this.scoped(() => this.stmts(s.then));
        if (s.else) { c.else_(); this.scoped(() => this.stmts(s.else!)); }
        this.close();
        return;
      case 'for':
        if (this.env.parallel && s.info?.cls === 'map' && this.env.parallel(s, this)) return;
        if (this.env.simd && s.info?.cls === 'map' && this.env.simd(s, this)) return;
        this.scoped(() => {
          if (s.init) {
            // the loop variable is an int32 when it starts as one and only ever steps by ints
            if (s.init.k === 'let' && !s.init.destructure && s.init.init && this.kindOf(s.init.init) === 'i'
              && this.intOnly(s.body, s.init.names[0], s.update ? [s.update] : [])) {
              const l = this.local('i'); this.I(s.init.init); c.local_set(l.idx); this.declare(s.init.names[0], l);
            } else if (s.init.k === 'let' && !s.init.destructure) {
              // written otherwise in the loop (x += 0.5): a double
              const d = s.init;
              const l = this.local('f'); if (d.init) this.F(d.init); else c.f64_const(NaN); c.local_set(l.idx); this.declare(d.names[0], l);
            } else this.stmt(s.init);
          }
          this.loop(s.test, s.body, s.update);
        });
        return;
      case 'range':
        this.scoped(() => {
          const ki = this.kindOf(s.start) === 'i' && this.intOnly(s.body, s.v);
          const v = this.local(ki ? 'i' : 'f');
          if (ki) this.I(s.start); else this.F(s.start);
          c.local_set(v.idx);
          const ke = this.kindOf(s.end) === 'i' && ki ? 'i' : 'f';
          const end = this.local(ke);
          if (ke === 'i') this.I(s.end); else this.F(s.end);
          c.local_set(end.idx);
          this.declare(s.v, v);
          const endName = this.fresh();
          this.declare(endName, end);
          this.loop({ k: 'bin', op: '<', a: { k: 'local', name: s.v }, b: { k: 'local', name: endName } }, s.body,
            { k: 'update', op: '++', prefix: true, target: { k: 'local', name: s.v } });
        });
        return;
      case 'while': this.loop(s.test, s.body, null); return;
      case 'block': this.scoped(() => this.stmts(s.body)); return;
      case 'break': c.br(this.depthOf('brk')); return;
      case 'continue': c.br(this.depthOf('cont')); return;
      case 'return': {
        const fr = this.frames[this.frames.length - 1];
        if (fr) { // leaves an inlined helper's block (inlineCall)
          this.returned(s, fr.nres);
          for (let i = fr.results.length - 1; i >= 0; i--) c.local_set(fr.results[i].idx);
          c.br(this.labels.length - 1 - fr.label);
          return;
        }
        if (this.nres === null) throw this.unsupported('return in the step itself', s);
        this.returned(s, this.nres);
        c.return_();
        return;
      }
      case 'op': case 'eventGroup':
        this.scoped(() => this.stmts(this.env.kernel(s, this.fresh)));
        return;
      case 'spikeList': {
        this.stmt({
          k: 'if', line: 0, else: null,
          test: { k: 'bin', op: '!==', a: s.value ? { k: 'local', name: s.value } : { k: 'index', arr: s.spike, i: { k: 'local', name: s.index } }, b: { k: 'num', v: 0 } },
          then: [{ k: 'expr', line: 0, e: { k: 'assign', op: '=', target: { k: 'index', arr: s.list.arr, i: { k: 'local', name: s.list.count } }, value: { k: 'local', name: s.index } } },
            { k: 'expr', line: 0, e: { k: 'update', op: '++', prefix: true, target: { k: 'local', name: s.list.count } } }],
        });
        return;
      }
      case 'x:ifNonFinite': { this.ifNonFinite(s.arr, s.then); return; }
      case 'x:exit': {
        c.i32_const(0).local_get(this.scalar('s$').idx).mem('i32.store', this.env.slots.sOut);
        c.i32_const(0).i32_const(s.a).mem('i32.store', this.env.slots.a);
        if (s.b) { c.i32_const(0); this.I(s.b); c.mem('i32.store', this.env.slots.b); }
        c.i32_const(s.code).return_();
        return;
      }
      case 'record': case 'input': case 'recordValue': case 'check':
        throw this.unsupported(`internal: ${s.k} reached the statement compiler`);
    }
  }

  private ifNonFinite(arr: ArrayBinding, then: XStmt[]): void {
    const c = this.c, es = ES[arr.dtype], off = this.env.addr(arr);
    if (arr.dtype !== 'f32' && arr.dtype !== 'f64') throw this.unsupported(`internal: finiteness check of ${arr.dtype} elements`);
    const T = es === 4 ? 'f32x4' : 'f64x2', S = es === 4 ? 'f32' : 'f64';
    const bytes = arr.array.length * es, whole = bytes - (bytes % 16);
    const at = this.f.local('i32'), acc = this.f.local('v128'), x = this.f.local('v128'), tail = this.f.local('f64'), y = this.f.local('f64');
    c.v128_const(new Uint8Array(16)).local_set(acc).f64_const(0).local_set(tail);
    // whole vectors: acc += x − x (block and loop close here: nothing inside branches out)
    c.i32_const(0).local_set(at).block().loop()
      .local_get(at).i32_const(whole).op('i32.ge_u').br_if(1)
      .local_get(acc).local_get(at).mem('v128.load', off, 0).local_tee(x).local_get(x).op(`${T}.sub`).op(`${T}.add`).local_set(acc)
      .local_get(at).i32_const(16).op('i32.add').local_set(at).br(0)
      .end().end();
    // the elements past the last whole vector, one by one
    for (let b = whole; b < bytes; b += es) {
      c.i32_const(0).mem(`${S}.load`, off + b, es === 4 ? 2 : 3);
      if (es === 4) c.op('f64.promote_f32');
      c.local_tee(y).local_get(y).op('f64.sub').local_get(tail).op('f64.add').local_set(tail);
    }
    c.local_get(acc).local_get(acc).op(`${T}.ne`).op('v128.any_true')
      .local_get(tail).local_get(tail).op('f64.ne').op('i32.or');
    this.open('other', 'if');
    this.scoped(() => this.stmts(then));
    this.close();
  }

  /** block { loop { if !test break; block { body } update; continue } } */
  private loop(test: Expr | null, body: Stmt[], update: Expr | null): void {
    const c = this.c;
    this.open('brk', 'block');
    this.open('other', 'loop');
    if (test) { this.C(test); c.op('i32.eqz').br_if(1); }
    this.open('cont', 'block');
    this.scoped(() => this.stmts(body));
    this.close();
    if (update) this.exprStmt(update);
    c.br(0);
    this.close();
    this.close();
  }
}

// ---------------------------------------------------------------- walking

export function forChildren(e: Expr, f: (x: Expr) => void): void {
  switch (e.k) {
    case 'index': case 'localIndex': f(e.i); break;
    case 'bin': case 'logic': f(e.a); f(e.b); break;
    case 'un': f(e.a); break;
    case 'cond': f(e.test); f(e.a); f(e.b); break;
    case 'math': case 'call': case 'rng': e.args.forEach(f); break;
    case 'tuple': e.items.forEach(f); break;
    case 'assign': if (e.target.k === 'index') f(e.target.i); f(e.value); break;
    case 'update': if (e.target.k === 'index') f(e.target.i); break;
  }
}

export function forStmtExprs(s: XStmt, f: (e: Expr) => void): void {
  switch (s.k) {
    case 'let': if (s.init) f(s.init); break;
    case 'expr': f(s.e); break;
    case 'if': f(s.test); break;
    case 'for': if (s.test) f(s.test); if (s.update) f(s.update); break;
    case 'range': f(s.start); f(s.end); break;
    case 'while': f(s.test); break;
    case 'return': if (s.value) f(s.value); break;
    case 'op': s.args.forEach((a) => { if (a.k === 'expr') f(a.e); }); break;
    case 'eventGroup': s.ops.forEach((o) => o.args.forEach((a) => { if (a.k === 'expr') f(a.e); })); break;
  }
}

export function walkX(ss: XStmt[], f: (s: XStmt) => void): void {
  for (const s of ss) {
    f(s);
    switch (s.k) {
      case 'if': walkX(s.then, f); if (s.else) walkX(s.else, f); break;
      case 'for': if (s.init) walkX([s.init], f); walkX(s.body, f); break;
      case 'range': case 'while': case 'block': walkX(s.body, f); break;
      case 'x:ifNonFinite': walkX(s.then, f); break;
    }
  }
}

/** Every expression in ss, recursively. */
export function forEachExpr(ss: XStmt[], f: (e: Expr) => void): void {
  const ex = (e: Expr): void => { f(e); forChildren(e, ex); };
  walkX(ss, (s) => forStmtExprs(s, ex));
}

export type { LValue };
