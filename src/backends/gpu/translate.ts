import { ArrayBinding, Expr, FunctionIR, LValue, Stmt } from '../../compiler/ir';
import { BackendUnsupported } from '../backend';
import { declared } from '../../compiler/fuse';
import { forEachExpr } from '../../compiler/walk';
import { RNG_LOOP_DRAW, philoxDrawSource } from './philox';

/**
 * Prints plan code as gpu.js kernel source (a JavaScript subset that gpu.js compiles to WGSL, GLSL, wasm or
 * runs on its cpu backend). Everything there is float32; booleans exist only as tests; names may not hold
 * `$`; a kernel writes one value per thread. So:
 *  - each written array element A[i] of the thread's element is promoted to a local (`w_A`) that the body
 *    reads and writes, and the kernel returns one of them (one kernel per written array);
 *  - model helpers (integrator steps, methods) are inlined at the call site, tuples become several locals;
 *  - every declaration gets a unique name (kernels have no block shadowing we can rely on);
 *  - scalars computed on the host (t, dt, constants of the step) arrive as kernel arguments;
 *  - `this.rng.*()` becomes counter-based draws (Philox4x32-10, philox.ts): uniforms per element and step,
 *    computed at the kernel's start for draws outside inner loops, at the draw inside them.
 * Anything without such a form throws BackendUnsupported naming the class, method and line.
 */
export const F32_MAX = 3.4028234663852886e38;

/** Where a statement comes from, for messages. */
export interface Origin { where?: string; line: number }

export class Unsupported extends BackendUnsupported {
  constructor(mode: string, at: Origin | null, what: string) {
    super(`gpu (${mode})`, `${at ? `${at.where ?? 'model code'}, line ${at.line} of the method: ` : ''}${what}`);
  }
}

const MATH1 = new Set(['abs', 'exp', 'log', 'sqrt', 'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'floor', 'ceil', 'tanh', 'sign', 'log2', 'log10', 'log1p', 'expm1', 'cbrt', 'fround']);
const MATH2 = new Set(['pow', 'atan2']);
/** The comparison operators (a boolean result). */
export const BOOL_OPS = new Set(['<', '>', '<=', '>=', '===', '!==', '==', '!=']);
const EQ_OPS = new Set(['===', '!==', '==', '!=']);
const isBool = (e: Expr): boolean => e.k === 'num' && e.bool === true;
const ARITH = new Set(['+', '-', '*', '/']);

/** A name as a kernel identifier (host names hold `$`, and host-state versions `@` and `#`). */
export function sanitize(name: string): string { return name.replace(/[^A-Za-z0-9_]/g, '_'); }

export function numLit(v: number): string {
  if (Number.isNaN(v)) throw new Error('NaN literal');
  if (v === Infinity) return String(F32_MAX);
  if (v === -Infinity) return `(-${F32_MAX})`;
  return v < 0 || Object.is(v, -0) ? `(${String(v)})` : String(v);
}

const trunc = (x: string) => `(${x} < 0 ? Math.ceil(${x}) : Math.floor(${x}))`;
const isIntDtype = (b: ArrayBinding) => !b.isFloat;

/** Locals a loop body assigns that are declared outside it (values carried from one iteration to the next). */
export function carriedLocals(body: Stmt[]): string[] {
  const inside = new Set<string>();
  for (const s of body) declared(s, inside);
  const out = new Set<string>();
  const visit = (e: Expr) => {
    if ((e.k === 'assign' || e.k === 'update') && e.target.k === 'local' && !inside.has(e.target.name)) out.add(e.target.name);
  };
  forEachExpr(body, visit);
  return [...out];
}

/** Host scalars of a step that counter-based draws read: the halves of the step count's two words. */
export const STEP_HALVES = ['rs$1h', 'rs$1l', 'rs$3h', 'rs$3l'] as const;

/** Kernel locals of the draws (names no fresh() name can take: those end in _<digits>). */
const ELEM_H = 'rj_h', ELEM_L = 'rj_l', LOOP_DRAWS = 'rq_';
const TWO_PI = '6.283185307179586';

/** One kernel body: the statements of a map loop for the element `index`. */
export class KernelWriter {
  readonly lines: string[] = [];
  /** arrays the kernel reads (binding id → param name), in first-use order */
  readonly arrays = new Map<string, { b: ArrayBinding; param: string; data?: Float32Array }>();
  /** host scalars the kernel reads (host name → param name) */
  readonly scalars = new Map<string, string>();
  /** written arrays: binding id → promoted local */
  readonly written = new Map<string, { b: ArrayBinding; local: string }>();
  private scopes: Map<string, string | string[]>[] = [new Map()];
  private uid = 0;
  private depth = 0;
  private inlineDepth = 0;
  /** The largest literal loop bound printed (gpu.js needs loopMaxIterations ≥ it). */
  loopMax = 0;
  /** Counter-based draws: this kernel's number in the counter and the network's key (null: refuse draws). */
  rng: { kernel: number; key: [number, number] } | null = null;
  /** Uniforms drawn at the kernel's start (for the draws outside inner loops), four per Philox block. */
  poolUniforms = 0;
  /** Upper bound of the draws inside inner loops per element and step (each one Philox block). */
  loopDraws = 0;
  private trips: number[] = [];
  /**
   * Step-level state kept on the host (emit.ts findHostState): the host scalar that holds `b[i]` where this
   * kernel reads it, or null where `b[i]` is not such an element; `hostArrays` names their arrays.
   */
  hostElement: ((b: ArrayBinding, i: Expr) => string | null) | null = null;
  /**
   * Step-level locals whose values live on the device (a reduction's result, or an expression of one):
   * the kernel expression of `name`, or null where it is not one (emit.ts `deviceValue`).
   */
  deviceLocal: ((name: string) => string | null) | null = null;
  hostArrays: Set<string> = new Set();
  /**
   * Arrays a loop accesses at `off + j` (j the loop's element, `off` the same for every thread: host
   * scalars and constants only), as a ring buffer's `take()` clears `ring[ptr·n + j]`. `discover` (a first
   * pass) records every access by kind; the kernel pass gets each such array as a field with its offset.
   */
  discover: {
    plain: Set<string>; other: Set<string>;
    shifted: Map<string, { b: ArrayBinding; offIR: Expr; offs: Set<string>; written: boolean }>;
    /** arrays accessed at a connectivity row's position k (or at perm[k]) inside a loop over row `index` of rows P */
    rows: Map<string, { b: ArrayBinding; P: ArrayBinding; X: ArrayBinding | null; kinds: Set<string>; written: boolean }>;
  } | null = null;
  /**
   * Per-synapse arrays a loop writes inside its inner loop over a connectivity row of its element (plasticity:
   * `w[k]` over the pre's row, `w[post2syn[k]]` over the post's): the kernel's field for such an array gives
   * each thread one synapse t, runs the body for the element whose row holds it, and the inner loop for
   * that one position (emit.ts sets `rk`, the position, in the kernel's head; -1 in other fields' threads).
   */
  readonly rowFields = new Map<string, { b: ArrayBinding; P: ArrayBinding; X: ArrayBinding | null; local: string }>();
  /** inner loops over a row of the element: rows P, kernel variable of the position */
  private readonly rowLoops: { P: ArrayBinding; kvar: string }[] = [];
  /** kernel locals holding perm[k] of the innermost row loop's position k */
  private readonly permLocals = new Map<string, { X: ArrayBinding; kvar: string }>();
  readonly shiftedFields = new Map<string, { b: ArrayBinding; off: string; local: string }>();
  /** kernel locals that hold `off + j` (local → the kernel expression of off) */
  private readonly shiftLocals = new Map<string, { off: string; offIR: Expr }>();

  constructor(
    private readonly mode: string,
    private readonly helpers: Map<string, FunctionIR>,
    /** host-computed scalars visible to kernels (t$, dt$, step-level constants) */
    private readonly host: Set<string>,
    /** locals equal to the thread's element index */
    private readonly indexNames: Set<string>,
  ) {}

  private fresh(base: string): string { return `${sanitize(base).replace(/^_+/, '')}_${this.uid++}`; }

  /** Constant data derived at compile time (a row's owner per position, an inverse permutation). */
  dataParam(id: string, data: Float32Array): string {
    let a = this.arrays.get(id);
    if (!a) {
      const b: ArrayBinding = { id, path: id, array: data, writable: false, isFloat: true, dtype: 'f32', role: 'data' };
      a = { b, param: `ARR${this.arrays.size}_`, data };
      this.arrays.set(id, a);
    }
    return a.param;
  }

  arrayParam(b: ArrayBinding): string {
    let a = this.arrays.get(b.id);
    // ARR<k>_ is a placeholder: layout (emit.ts) binds it to a device array and an offset in it
    if (!a) { a = { b, param: `ARR${this.arrays.size}_` }; this.arrays.set(b.id, a); }
    return a.param;
  }

  scalarParam(name: string): string {
    let p = this.scalars.get(name);
    if (!p) { p = `s_${sanitize(name)}_${this.scalars.size}`; this.scalars.set(name, p); }
    return p;
  }

  /** Declares the promoted locals of the arrays this body writes (collected by the caller). */
  promote(bs: ArrayBinding[], index: string): void {
    for (const b of bs) {
      const local = `w_${sanitize(b.id)}`;
      this.written.set(b.id, { b, local });
      this.lines.push(`  let ${local} = ${this.arrayParam(b)}[${index}];`);
    }
  }

  private lookup(name: string): string | string[] | null {
    for (let k = this.scopes.length - 1; k >= 0; k--) { const v = this.scopes[k].get(name); if (v !== undefined) return v; }
    return null;
  }

  private declare(name: string, v: string | string[]): void { this.scopes[this.scopes.length - 1].set(name, v); }
  /** Binds a name of the plan to a kernel local for the whole kernel (a reduction's accumulator). */
  bindLocal(name: string, local: string): void { this.scopes[0].set(name, local); }

  private isIndex(e: Expr): boolean {
    // a helper's parameter bound to the element is the kernel's `index` itself
    return e.k === 'local' && ((this.indexNames.has(e.name) && this.lookup(e.name) === null) || this.lookup(e.name) === 'index');
  }

  /** Whether e is the same for every thread: constants, host scalars and host-kept state, in arithmetic. */
  private uniform(e: Expr): boolean {
    switch (e.k) {
      case 'num': return true;
      case 'local': return this.lookup(e.name) === null && !this.indexNames.has(e.name) && this.host.has(e.name);
      case 'index': return this.hostArrays.has(e.arr.id) && (this.hostElement?.(e.arr, e.i) ?? null) !== null;
      case 'bin': return ARITH.has(e.op) && this.uniform(e.a) && this.uniform(e.b);
      case 'un': return e.op === '-' && this.uniform(e.a);
      default: return false;
    }
  }

  /** `off + j` (or a local holding it): the offset's kernel expression and IR, or null. */
  private shiftOf(e: Expr, ind: string, at: Origin | null): { off: string; offIR: Expr } | null {
    if (e.k === 'local') { const u = this.lookup(e.name); return typeof u === 'string' ? this.shiftLocals.get(u) ?? null : null; }
    if (e.k !== 'bin' || e.op !== '+') return null;
    const offIR = this.isIndex(e.b) && this.uniform(e.a) ? e.a : this.isIndex(e.a) && this.uniform(e.b) ? e.b : null;
    if (!offIR) return null;
    const n = this.lines.length, off = this.val(offIR, ind, at);
    // the offset must print as one expression of kernel arguments: the kernel's head computes it again
    return this.lines.length === n ? { off, offIR } : null;
  }

  /** `P[index]` .. `P[index + 1]`: a loop over the element's row of rows P (its indptr), or null. */
  private rowOf(start: Expr, end: Expr): ArrayBinding | null {
    if (start.k !== 'index' || end.k !== 'index' || start.arr.id !== end.arr.id || start.arr.role !== 'connectivity' || !this.isIndex(start.i)) return null;
    const e = end.i;
    const one = (x: Expr) => x.k === 'num' && x.v === 1;
    return e.k === 'bin' && e.op === '+' && ((this.isIndex(e.a) && one(e.b)) || (one(e.a) && this.isIndex(e.b))) ? start.arr : null;
  }

  /** Where i is the innermost row loop's position k (X null) or perm[k] held in a local: that loop's rows and perm. */
  private rowPos(i: Expr): { P: ArrayBinding; X: ArrayBinding | null; kvar: string } | null {
    const top = this.rowLoops[this.rowLoops.length - 1];
    if (!top || i.k !== 'local') return null;
    const u = this.lookup(i.name);
    if (u === top.kvar) return { P: top.P, X: null, kvar: top.kvar };
    const p = typeof u === 'string' ? this.permLocals.get(u) : undefined;
    return p && p.kvar === top.kvar ? { P: top.P, X: p.X, kvar: top.kvar } : null;
  }

  /** A read or write of arr at a row position: the local it reads or writes (kernel pass), '0' (discovery), or null. */
  private rowAccess(arr: ArrayBinding, i: Expr, write: boolean, at: Origin | null): string | null {
    const f = this.rowFields.get(arr.id);
    const d = this.discover;
    if (!f && !d) return null;
    const r = this.rowPos(i);
    if (f) {
      if (!r || r.P.id !== f.P.id || (r.X?.id ?? null) !== (f.X?.id ?? null)) throw new Unsupported(this.mode, at, `accesses ${arr.path} at another place than its synapse of the row this loop writes it in`);
      return `rw_${sanitize(arr.id)}`;
    }
    if (!r) return null;
    const e = d!.rows.get(arr.id) ?? { b: arr, P: r.P, X: r.X, kinds: new Set<string>(), written: false };
    e.kinds.add(`${r.P.id}|${r.X?.id ?? ''}`);
    e.written ||= write;
    d!.rows.set(arr.id, e);
    return '0';
  }

  /** A read or write of arr at i that is a shifted access: the local it reads or writes, or null (not shifted). */
  private shifted(arr: ArrayBinding, i: Expr, write: boolean, ind: string, at: Origin | null): string | null {
    const f = this.shiftedFields.get(arr.id);
    const d = this.discover;
    if (!f && !d) return null;
    const s = this.shiftOf(i, ind, at);
    if (f) {
      if (!s || s.off !== f.off) throw new Unsupported(this.mode, at, `accesses ${arr.path} at another element than ${f.off} + the loop's element, where this loop writes it`);
      return f.local;
    }
    if (!s) return null;
    const e = d!.shifted.get(arr.id) ?? { b: arr, offIR: s.offIR, offs: new Set<string>(), written: false };
    e.offs.add(s.off);
    e.written ||= write;
    d!.shifted.set(arr.id, e);
    return '0'; // discovery: the code is thrown away
  }

  stmts(ss: Stmt[], ind: string, at: Origin | null): void {
    this.scopes.push(new Map());
    for (const s of ss) this.stmt(s, ind, at);
    this.scopes.pop();
  }

  private stmt(s: Stmt, ind: string, outer: Origin | null): void {
    const at: Origin | null = 'line' in s && typeof s.line === 'number' ? { where: (s as { where?: string }).where ?? outer?.where, line: s.line } : outer;
    const out = this.lines;
    switch (s.k) {
      case 'let': {
        if (s.destructure) {
          const init = s.init;
          if (!init) throw new Unsupported(this.mode, at, 'a destructuring declaration without a value');
          const items = this.tuple(init, ind, at);
          if (items.length < s.names.length) throw new Unsupported(this.mode, at, `destructures ${s.names.length} values from a tuple of ${items.length}`);
          s.names.forEach((n, k) => { const u = this.fresh(n); out.push(`${ind}let ${u} = ${items[k]};`); this.declare(n, u); });
          return;
        }
        const n = s.names[0];
        if (s.init && (s.init.k === 'tuple' || (s.init.k === 'call' && this.returnsTuple(s.init.fn)))) {
          // a tuple held in a local (read later as t[0], t[1], ...)
          const items = this.tuple(s.init, ind, at);
          const us = items.map((x, k) => { const u = this.fresh(`${n}_${k}`); out.push(`${ind}let ${u} = ${x};`); return u; });
          this.declare(n, us);
          return;
        }
        const shift = s.init && s.kind === 'const' ? this.shiftOf(s.init, ind, at) : null;
        const v = s.init ? this.val(s.init, ind, at) : '0';
        const u = this.fresh(n);
        out.push(`${ind}let ${u} = ${v};`);
        this.declare(n, u);
        if (shift) this.shiftLocals.set(u, shift);
        // `const s = perm[k]` in a row loop: a synapse id, where per-synapse arrays are accessed
        const top = this.rowLoops[this.rowLoops.length - 1];
        if (top && s.kind === 'const' && s.init && s.init.k === 'index' && s.init.arr.role === 'connectivity' && s.init.i.k === 'local' && this.lookup(s.init.i.name) === top.kvar) {
          this.permLocals.set(u, { X: s.init.arr, kvar: top.kvar });
        }
        // `const j = i` keeps j the thread's element (fused loops rename their index this way)
        if (s.init && this.isIndex(s.init)) { this.indexNames.add(n); this.scopes[this.scopes.length - 1].delete(n); }
        return;
      }
      case 'expr': this.exprStmt(s.e, ind, at); return;
      case 'if': {
        const t = this.test(s.test, ind, at);
        out.push(`${ind}if (${t}) {`);
        this.stmts(s.then, ind + '  ', at);
        if (s.else) { out.push(`${ind}} else {`); this.stmts(s.else, ind + '  ', at); }
        out.push(`${ind}}`);
        return;
      }
      case 'block': out.push(`${ind}{`); this.stmts(s.body, ind + '  ', at); out.push(`${ind}}`); return;
      case 'range': {
        if (!s.info || s.info.maxTrip < 0) throw new Unsupported(this.mode, at, 'an inner loop whose trip count is not known at compile time (a gpu kernel needs a bound: loop over a connectivity row or a fixed range)');
        const P = this.rowOf(s.start, s.end);
        const start = this.val(s.start, ind, at), end = this.val(s.end, ind, at);
        const k = this.fresh('k'), v = this.fresh(s.v), n = this.fresh('n');
        this.loopMax = Math.max(this.loopMax, s.info.maxTrip);
        // a row field's thread runs only its own synapse's position rk of the row
        const fields = P ? [...this.rowFields.values()].filter((f) => f.P.id === P.id) : [];
        if (fields.length) {
          // a field's thread runs one place of this row: nothing may flow from one place to the next
          const carried = carriedLocals(s.body);
          const other = [...writtenArrays(s.body).values()].filter((b) => !this.rowFields.has(b.id));
          if (carried.length || other.length) {
            throw new Unsupported(this.mode, at, `this loop over a connectivity row writes ${[...carried, ...other.map((b) => b.path)].join(', ')} from one synapse to the next, besides ${fields.map((f) => f.b.path).join(', ')} at its synapses, whose threads each run one synapse of the row`);
          }
        }
        out.push(fields.length ? `${ind}const ${n} = rk >= 0 ? 1 : ${end} - ${start};` : `${ind}const ${n} = ${end} - ${start};`);
        out.push(`${ind}for (let ${k} = 0; ${k} < ${Math.max(1, s.info.maxTrip)}; ${k}++) {`);
        out.push(`${ind}  if (${k} >= ${n}) { break; }`);
        out.push(fields.length ? `${ind}  const ${v} = rk >= 0 ? rk : ${start} + ${k};` : `${ind}  const ${v} = ${start} + ${k};`);
        for (const f of fields) out.push(`${ind}  let rw_${sanitize(f.b.id)} = ${this.arrayParam(f.b)}[${f.X ? `${this.arrayParam(f.X)}[${v}]` : v}];`);
        this.scopes.push(new Map([[s.v, v]]));
        if (P) this.rowLoops.push({ P, kvar: v });
        this.depth++;
        this.trips.push(Math.max(1, s.info.maxTrip));
        this.stmts(s.body, ind + '  ', at);
        this.trips.pop();
        this.depth--;
        if (P) this.rowLoops.pop();
        this.scopes.pop();
        out.push(`${ind}}`);
        return;
      }
      case 'for': {
        const r = forAsRange(s);
        if (!r) throw new Unsupported(this.mode, at, 'a for loop that is not `for (let i = a; i < b; i++)` (gpu kernels need counted loops)');
        this.stmt({ k: 'range', v: r.v, start: r.start, end: r.end, body: s.body, line: s.line, info: s.info, where: s.where }, ind, outer);
        return;
      }
      case 'break': case 'continue':
        if (this.depth === 0) throw new Unsupported(this.mode, at, `${s.k} in an element-wise loop`);
        out.push(`${ind}${s.k};`);
        return;
      case 'while': throw new Unsupported(this.mode, at, 'a while loop (no bound known to a gpu kernel; use a counted for loop)');
      case 'return': throw new Unsupported(this.mode, at, 'return inside an element-wise loop');
      case 'op': case 'eventGroup':
        throw new Unsupported(this.mode, at, `a delivery operator inside a loop (call ${s.k === 'op' ? s.name : 'it'}() at the top level of update())`);
      default:
        throw new Unsupported(this.mode, at, `a '${s.k}' statement inside a loop`);
    }
  }

  private returnsTuple(fn: string): boolean {
    const f = this.helpers.get(fn);
    const last = f?.body[f.body.length - 1];
    return !!last && last.k === 'return' && !!last.value && (last.value.k === 'tuple' || (last.value.k === 'call' && this.returnsTuple(last.value.fn)));
  }

  /** Expressions of a tuple: a literal or the inlined result of a helper returning one. */
  private tuple(e: Expr, ind: string, at: Origin | null): string[] {
    if (e.k === 'tuple') return e.items.map((x) => this.val(x, ind, at));
    if (e.k === 'call') { const r = this.inline(e.fn, e.args, ind, at); if (Array.isArray(r)) return r; }
    if (e.k === 'local') { const r = this.lookup(e.name); if (Array.isArray(r)) return r; }
    throw new Unsupported(this.mode, at, 'destructuring a value that is not a tuple or a helper returning one');
  }

  /** Inlines helper `fn` here; returns the local(s) holding its result. */
  private inline(fn: string, args: Expr[], ind: string, at: Origin | null): string | string[] {
    const f = this.helpers.get(fn);
    if (!f) throw new Unsupported(this.mode, at, `call of ${fn}, which has no kernel form`);
    if (++this.inlineDepth > 32) throw new Unsupported(this.mode, at, `${f.cls}.${f.method} calls itself (recursion has no gpu form)`);
    const fat: Origin = { where: `${f.cls} '${f.owner}'.${f.method}`, line: at?.line ?? 0 };
    const last = f.body[f.body.length - 1];
    if (!last || last.k !== 'return' || !last.value) throw new Unsupported(this.mode, fat, `${f.cls}.${f.method} must end with a return of its value to be inlined into a kernel`);
    const vals = args.map((a) => this.val(a, ind, at));
    const scope = new Map<string, string | string[]>();
    const saved = this.scopes;
    f.params.forEach((p, k) => {
      // the element itself: the helper sees `index` (so its accesses at the element stay at the element)
      if (k < args.length && this.isIndex(args[k])) { scope.set(p, 'index'); return; }
      const u = this.fresh(p);
      const v = k < vals.length ? vals[k] : f.defaults[k] !== undefined ? numLit(f.defaults[k]!) : null;
      if (v === null) throw new Unsupported(this.mode, at, `${f.cls}.${f.method}: argument ${p} missing`);
      this.lines.push(`${ind}const ${u} = ${v};`);
      scope.set(p, u);
    });
    // the helper sees only its parameters (and arrays), not the caller's locals
    this.scopes = [new Map(), scope];
    const body = f.body.slice(0, -1);
    for (const s of body) if (hasReturn(s)) throw new Unsupported(this.mode, fat, `${f.cls}.${f.method} returns early (a kernel can inline only a helper with one final return)`);
    const lines = this.lines;
    for (const s of body) this.stmt(s, ind, fat);
    const retAt: Origin = { where: fat.where, line: last.line };
    let result: string | string[];
    if (last.value.k === 'tuple' || (last.value.k === 'call' && this.returnsTuple(last.value.fn))) {
      result = this.tuple(last.value, ind, retAt).map((x) => { const u = this.fresh('r'); lines.push(`${ind}const ${u} = ${x};`); return u; });
    } else {
      const u = this.fresh('r');
      lines.push(`${ind}const ${u} = ${this.val(last.value, ind, retAt)};`);
      result = u;
    }
    this.scopes = saved;
    this.inlineDepth--;
    return result;
  }

  private exprStmt(e: Expr, ind: string, at: Origin | null): void {
    if (e.k === 'assign') { this.assign(e.target, e.op, e.value, ind, at); return; }
    if (e.k === 'update') { this.assign(e.target, e.op === '++' ? '+=' : '-=', { k: 'num', v: 1 }, ind, at); return; }
    if (e.k === 'call') throw new Unsupported(this.mode, at, `a call of ${this.helpers.get(e.fn)?.method ?? e.fn}() as a statement (a helper with side effects has no kernel form)`);
    this.lines.push(`${ind}${this.val(e, ind, at)};`);
  }

  private assign(t: LValue, op: string, value: Expr, ind: string, at: Origin | null): void {
    const bin = op === '=' ? null : op.slice(0, -1);
    if (bin !== null && !ARITH.has(bin) && bin !== '%' && bin !== '**') throw new Unsupported(this.mode, at, `the assignment operator ${op}`);
    if (t.k === 'local') {
      const u = this.lookup(t.name);
      if (u === 'index') throw new Unsupported(this.mode, at, `assigns ${t.name}, the loop's element passed to a helper (assign a local copy instead)`);
      if (typeof u !== 'string') {
        if (this.host.has(t.name)) throw new Unsupported(this.mode, at, `assigning the step-level variable ${t.name} inside a loop (a kernel cannot write a host scalar)`);
        throw new Unsupported(this.mode, at, `assignment to ${t.name}`);
      }
      const v = this.val(value, ind, at);
      this.lines.push(`${ind}${u} = ${bin === null ? v : this.binop(bin, u, v)};`);
      return;
    }
    const rl = this.rowAccess(t.arr, t.i, true, at);
    if (rl !== null) {
      if (this.discover) { this.val(value, ind, at); return; }
      this.store(rl, t.arr, bin, value, ind, at);
      // the field's value: the write at the thread's own synapse (kept right away: a later `continue` cannot skip it)
      const top = this.rowLoops[this.rowLoops.length - 1];
      this.lines.push(`${ind}if (${top.kvar} === rk) { ${this.rowFields.get(t.arr.id)!.local} = ${rl}; }`);
      return;
    }
    const sl = this.shifted(t.arr, t.i, true, ind, at);
    if (sl !== null) {
      if (this.discover) { this.val(value, ind, at); return; }
      this.store(sl, t.arr, bin, value, ind, at);
      return;
    }
    if (this.discover && this.isIndex(t.i)) this.discover.plain.add(t.arr.id);
    const w = this.written.get(t.arr.id);
    if (!w || !this.isIndex(t.i)) {
      throw new Unsupported(this.mode, at, `writes ${t.arr.path} at an index other than the loop's element (a scatter; deliver through a library operator such as pre2postEventSum)`);
    }
    this.store(w.local, w.b, bin, value, ind, at);
  }

  /** `local op= value` for an element of arr held in `local`, stored as arr's typed array would store it. */
  private store(local: string, arr: ArrayBinding, bin: string | null, value: Expr, ind: string, at: Origin | null): void {
    const v = this.val(value, ind, at);
    let x = bin === null ? v : this.binop(bin, local, v);
    // integer Variables store truncated values (as Int32Array/Uint8Array do); later reads see the stored value
    const literalInt = bin === null && value.k === 'num' && Number.isInteger(value.v);
    if (isIntDtype(arr) && !literalInt) { const tmp = this.fresh('t'); this.lines.push(`${ind}const ${tmp} = ${x};`); x = trunc(tmp); }
    this.lines.push(`${ind}${local} = ${x};`);
  }

  private binop(op: string, a: string, b: string): string {
    if (ARITH.has(op)) return `(${a} ${op} ${b})`;
    if (op === '%') return `(${a} - ${b} * ${trunc(`(${a} / ${b})`)})`;
    if (op === '**') return `Math.pow(${a}, ${b})`;
    throw new Error(op);
  }

  /** An expression as a boolean test. */
  test(e: Expr, ind: string, at: Origin | null): string {
    // `x === true`, `x !== false`, …: kernels hold booleans as 1 and 0, so the comparison is x's own truth
    if (e.k === 'bin' && EQ_OPS.has(e.op) && (isBool(e.a) || isBool(e.b))) {
      const [lit, x] = isBool(e.b) ? [e.b, e.a] : [e.a, e.b];
      const same = (lit as { v: number }).v !== 0 === (e.op === '===' || e.op === '==');
      return same ? this.test(x, ind, at) : `!${this.test(x, ind, at)}`;
    }
    if (e.k === 'bin' && BOOL_OPS.has(e.op)) {
      const op = e.op === '==' ? '===' : e.op === '!=' ? '!==' : e.op;
      return `(${this.val(e.a, ind, at)} ${op} ${this.val(e.b, ind, at)})`;
    }
    if (e.k === 'logic' && e.op !== '??') return `(${this.test(e.a, ind, at)} ${e.op} ${this.test(e.b, ind, at)})`;
    if (e.k === 'un' && e.op === '!') return `!${this.test(e.a, ind, at)}`;
    return `(${this.val(e, ind, at)} !== 0)`;
  }

  /** An expression as a float value. */
  val(e: Expr, ind: string, at: Origin | null): string {
    switch (e.k) {
      case 'num':
        if (Number.isNaN(e.v)) throw new Unsupported(this.mode, at, 'a NaN constant');
        return numLit(e.v);
      case 'local': {
        if (this.isIndex(e)) return 'index';
        const u = this.lookup(e.name);
        if (typeof u === 'string') return u;
        if (Array.isArray(u)) throw new Unsupported(this.mode, at, `the tuple ${e.name} used as a number`);
        const dv = this.deviceLocal?.(e.name) ?? null;
        if (dv !== null) return dv;
        if (this.host.has(e.name)) return this.scalarParam(e.name);
        throw new Unsupported(this.mode, at, `unknown variable ${e.name}`);
      }
      case 'index': {
        if (this.hostArrays.has(e.arr.id)) {
          const h = this.hostElement?.(e.arr, e.i) ?? null;
          if (h === null) throw new Unsupported(this.mode, at, `reads ${e.arr.path} at a computed index; its elements are step-level state kept on the host (written at the step level at constant indices), which kernels read only at those indices`);
          return this.scalarParam(h);
        }
        const rl = this.rowAccess(e.arr, e.i, false, at);
        if (rl !== null) return rl;
        const sl = this.shifted(e.arr, e.i, false, ind, at);
        if (sl !== null) return sl;
        if (this.discover) (this.isIndex(e.i) ? this.discover.plain : this.discover.other).add(e.arr.id);
        const w = this.written.get(e.arr.id);
        if (w) {
          if (!this.isIndex(e.i)) throw new Unsupported(this.mode, at, `reads ${e.arr.path} at another element than the one it writes (elements of a kernel run in parallel; a neighbour's new value is not visible)`);
          return w.local;
        }
        return `${this.arrayParam(e.arr)}[${this.val(e.i, ind, at)}]`;
      }
      case 'localIndex': {
        const u = this.lookup(e.name);
        if (Array.isArray(u) && e.i.k === 'num' && u[e.i.v] !== undefined) return u[e.i.v];
        throw new Unsupported(this.mode, at, `indexing the local ${e.name} with a computed index (kernels have no local arrays)`);
      }
      case 'bin': {
        if (BOOL_OPS.has(e.op)) return `(${this.test(e, ind, at)} ? 1 : 0)`;
        const a = this.val(e.a, ind, at), b = this.val(e.b, ind, at);
        if (ARITH.has(e.op) || e.op === '%' || e.op === '**') return this.binop(e.op, a, b);
        if (['&', '|', '^', '<<', '>>'].includes(e.op)) return `(${a} ${e.op} ${b})`;
        throw new Unsupported(this.mode, at, `the operator ${e.op}`);
      }
      case 'logic': {
        if (e.op === '??') throw new Unsupported(this.mode, at, 'the ?? operator');
        // JS returns an operand: a && b is (a falsy ? a : b); a || b is (a truthy ? a : b)
        const a = this.val(e.a, ind, at), b = this.val(e.b, ind, at);
        const ta = this.test(e.a, ind, at);
        return e.op === '&&' ? `(${ta} ? ${b} : ${a})` : `(${ta} ? ${a} : ${b})`;
      }
      case 'un':
        if (e.op === '!') return `(${this.test(e.a, ind, at)} ? 0 : 1)`;
        if (e.op === '~') throw new Unsupported(this.mode, at, 'the ~ operator');
        return `(${e.op}${this.val(e.a, ind, at)})`;
      case 'cond': return `(${this.test(e.test, ind, at)} ? ${this.val(e.a, ind, at)} : ${this.val(e.b, ind, at)})`;
      case 'math': {
        const args = e.args.map((a) => this.val(a, ind, at));
        if (MATH1.has(e.fn) && args.length === 1) return e.fn === 'fround' ? args[0] : `Math.${e.fn}(${args[0]})`;
        if (MATH2.has(e.fn) && args.length === 2) return `Math.${e.fn}(${args[0]}, ${args[1]})`;
        if ((e.fn === 'min' || e.fn === 'max') && args.length >= 1) return args.reduce((x, y) => `Math.${e.fn}(${x}, ${y})`);
        if (e.fn === 'trunc' && args.length === 1) { const t = this.fresh('x'); this.lines.push(`${ind}const ${t} = ${args[0]};`); return trunc(t); }
        if ((e.fn === 'cosh' || e.fn === 'sinh') && args.length === 1) {
          const t = this.fresh('x'); this.lines.push(`${ind}const ${t} = Math.exp(${args[0]});`);
          return `((${t} ${e.fn === 'cosh' ? '+' : '-'} 1 / ${t}) * 0.5)`;
        }
        if (e.fn === 'round' && args.length === 1) return `Math.floor(${args[0]} + 0.5)`;
        if (e.fn === 'hypot') return `Math.sqrt(${args.map((x) => `${x} * ${x}`).join(' + ')})`;
        throw new Unsupported(this.mode, at, `Math.${e.fn} with ${args.length} arguments (no kernel form)`);
      }
      case 'call': {
        const r = this.inline(e.fn, e.args, ind, at);
        if (Array.isArray(r)) throw new Unsupported(this.mode, at, `the tuple returned by ${e.fn} used as a number`);
        return r;
      }
      case 'rng': return this.draw(e, ind, at);
      case 'tuple': throw new Unsupported(this.mode, at, 'an array literal used as a number');
      case 'assign': case 'update': throw new Unsupported(this.mode, at, 'an assignment inside an expression (write it as its own statement)');
    }
  }

  /** The uniforms a draw needs: from the kernel's pool outside inner loops, else a Philox block here. */
  private uniforms(need: number, ind: string, at: Origin | null): string[] {
    const rng = this.rng!;
    if (this.depth === 0) {
      const us: string[] = [];
      for (let k = 0; k < need; k++) { const q = this.poolUniforms++; us.push(`rb${Math.floor(q / 4)}_u${q % 4}`); }
      if (this.poolUniforms > 4 * RNG_LOOP_DRAW) throw new Unsupported(this.mode, at, `more than ${4 * RNG_LOOP_DRAW} random numbers per element and step in one kernel`);
      return us;
    }
    this.loopDraws += this.trips.reduce((a, b) => a * b, 1);
    if (this.loopDraws > RNG_LOOP_DRAW) {
      throw new Unsupported(this.mode, at, `up to ${this.loopDraws} draws per element and step inside inner loops (trip counts ${this.trips.join(' × ')}); counter-based draws allow ${RNG_LOOP_DRAW} there`);
    }
    const p = `${this.fresh('rl')}_`;
    const [s1h, s1l, s3h, s3l] = STEP_HALVES.map((n) => this.scalarParam(n));
    const src = philoxDrawSource(p, [ELEM_H, ELEM_L, s1h, s1l, String(rng.kernel), `${RNG_LOOP_DRAW} + ${LOOP_DRAWS}`, s3h, s3l], rng.key);
    for (const l of src.split('\n')) this.lines.push(`${ind}${l}`);
    this.lines.push(`${ind}${LOOP_DRAWS} = ${LOOP_DRAWS} + 1;`);
    return [`${p}u0`, `${p}u1`, `${p}u2`, `${p}u3`].slice(0, need);
  }

  /** `this.rng.<fn>(args)` from uniforms in (0, 1): the distributions of core/rng.ts, in float arithmetic. */
  private draw(e: Extract<Expr, { k: 'rng' }>, ind: string, at: Origin | null): string {
    if (!this.rng) throw new Unsupported(this.mode, at, `this.rng.${e.fn}() outside an element-wise loop (no counter for it)`);
    const arg = (k: number, dflt: number | null): string => {
      if (k < e.args.length) { const t = this.fresh('ra'); this.lines.push(`${ind}const ${t} = ${this.val(e.args[k], ind, at)};`); return t; }
      if (dflt === null) throw new Unsupported(this.mode, at, `this.rng.${e.fn}() needs argument ${k + 1}`);
      return numLit(dflt);
    };
    const normal = (u1: string, u2: string) => `(Math.sqrt(-2 * Math.log(${u1})) * Math.cos(${TWO_PI} * ${u2}))`;
    switch (e.fn) {
      case 'random': return this.uniforms(1, ind, at)[0];
      case 'uniform': { const a = arg(0, 0), b = arg(1, 1), [u] = this.uniforms(1, ind, at); return `(${a} + (${b} - ${a}) * ${u})`; }
      case 'normal': { const m = arg(0, 0), sd = arg(1, 1), [u1, u2] = this.uniforms(2, ind, at); return `(${m} + ${sd} * ${normal(u1, u2)})`; }
      case 'exponential': { const sc = arg(0, 1), [u] = this.uniforms(1, ind, at); return `(-Math.log(${u}) * ${sc})`; }
      case 'randint': {
        // floor(u·n) can round up to n in float32 when u is within 2⁻²⁴ of 1: clamp to the last value
        const n = arg(0, null), [u] = this.uniforms(1, ind, at);
        return `Math.min(Math.floor(${u} * ${n}), Math.ceil(${n}) - 1)`;
      }
      case 'poisson': {
        // as core/rng.ts: λ > 30 the rounded normal approximation; else inversion (the first k with u < F(k)),
        // stopped where F no longer grows in float32 (p(k) < 2⁻²⁴·F beyond the mean: tail mass ≲ 10⁻⁶)
        const lam = arg(0, null), [u1, u2] = this.uniforms(2, ind, at);
        const p = this.fresh('pp'), F = this.fresh('pF'), k = this.fresh('pk'), i = this.fresh('pi');
        this.loopMax = Math.max(this.loopMax, 100);
        this.lines.push(`${ind}let ${p} = Math.exp(-${lam});`, `${ind}let ${F} = ${p};`, `${ind}let ${k} = 0;`,
          `${ind}if (${lam} > 30) {`,
          `${ind}  ${k} = Math.max(0, Math.floor(${lam} + Math.sqrt(${lam}) * ${normal(u1, u2)} + 0.5));`,
          `${ind}} else {`,
          `${ind}  for (let ${i} = 0; ${i} < 100; ${i}++) {`,
          `${ind}    if (${u1} < ${F}) { break; }`,
          `${ind}    if (${k} > ${lam} && ${p} < ${F} * 0.0000000596) { break; }`,
          `${ind}    ${k} = ${k} + 1;`, `${ind}    ${p} = ${p} * ${lam} / ${k};`, `${ind}    ${F} = ${F} + ${p};`,
          `${ind}  }`, `${ind}}`);
        return k;
      }
      default: throw new Unsupported(this.mode, at, `this.rng.${e.fn}() has no counter-based form (use random, uniform, normal, exponential, randint, poisson)`);
    }
  }

  /**
   * What the kernel computes before its body when it draws: the element's counter halves, the pool's
   * Philox blocks (counter (element, step, kernel·2¹⁶ + block, step / 2³²)), the inner-loop draw count.
   */
  rngPrelude(ind: string): string[] {
    if (!this.rng || (this.poolUniforms === 0 && this.loopDraws === 0)) return [];
    const [s1h, s1l, s3h, s3l] = STEP_HALVES.map((n) => this.scalarParam(n));
    const L = [`const ${ELEM_H} = Math.floor(index / 65536);`, `const ${ELEM_L} = index - ${ELEM_H} * 65536;`];
    for (let b = 0; b < Math.ceil(this.poolUniforms / 4); b++) {
      L.push(...philoxDrawSource(`rb${b}_`, [ELEM_H, ELEM_L, s1h, s1l, String(this.rng.kernel), String(b), s3h, s3l], this.rng.key).split('\n'));
    }
    if (this.loopDraws > 0) L.push(`let ${LOOP_DRAWS} = 0;`);
    return L.map((l) => ind + l);
  }

  /** Whether the body draws random numbers. */
  get draws(): boolean { return this.poolUniforms > 0 || this.loopDraws > 0; }
}

function hasReturn(s: Stmt): boolean {
  switch (s.k) {
    case 'return': return true;
    case 'if': return s.then.some(hasReturn) || (s.else ?? []).some(hasReturn);
    case 'for': case 'range': case 'while': case 'block': return s.body.some(hasReturn);
    default: return false;
  }
}

/** `for (let v = a; v < b; v++)` (or `++v`, `v += 1`) as a range; null for any other shape. */
export function forAsRange(s: Extract<Stmt, { k: 'for' }>): { v: string; start: Expr; end: Expr } | null {
  const init = s.init;
  if (!init || init.k !== 'let' || init.destructure || init.names.length !== 1 || !init.init) return null;
  const v = init.names[0];
  const t = s.test;
  if (!t || t.k !== 'bin' || t.op !== '<' || t.a.k !== 'local' || t.a.name !== v) return null;
  const u = s.update;
  const isV = (l: LValue) => l.k === 'local' && l.name === v;
  const ok = !!u && ((u.k === 'update' && u.op === '++' && isV(u.target)) ||
    (u.k === 'assign' && u.op === '+=' && isV(u.target) && u.value.k === 'num' && u.value.v === 1));
  return ok ? { v, start: init.init, end: t.b } : null;
}

/** Arrays a statement list writes with `A[i] = …` (any index; the writer checks the index). */
export function writtenArrays(ss: Stmt[], out = new Map<string, ArrayBinding>(), helpers?: Map<string, FunctionIR>): Map<string, ArrayBinding> {
  const expr = (e: Expr | null | undefined): void => {
    if (!e) return;
    switch (e.k) {
      case 'assign': if (e.target.k === 'index') { out.set(e.target.arr.id, e.target.arr); expr(e.target.i); } expr(e.value); return;
      case 'update': if (e.target.k === 'index') { out.set(e.target.arr.id, e.target.arr); expr(e.target.i); } return;
      case 'index': expr(e.i); return;
      case 'localIndex': expr(e.i); return;
      case 'bin': case 'logic': expr(e.a); expr(e.b); return;
      case 'un': expr(e.a); return;
      case 'cond': expr(e.test); expr(e.a); expr(e.b); return;
      case 'math': case 'call': case 'rng': e.args.forEach(expr); return;
      case 'tuple': e.items.forEach(expr); return;
      default: return;
    }
  };
  for (const s of ss) {
    switch (s.k) {
      case 'let': expr(s.init); break;
      case 'expr': expr(s.e); break;
      case 'if': expr(s.test); writtenArrays(s.then, out, helpers); if (s.else) writtenArrays(s.else, out, helpers); break;
      case 'for': if (s.init) writtenArrays([s.init], out, helpers); expr(s.test); expr(s.update); writtenArrays(s.body, out, helpers); break;
      case 'range': expr(s.start); expr(s.end); writtenArrays(s.body, out, helpers); break;
      case 'while': expr(s.test); writtenArrays(s.body, out, helpers); break;
      case 'block': writtenArrays(s.body, out, helpers); break;
      case 'return': expr(s.value); break;
      default: break;
    }
  }
  return out;
}
