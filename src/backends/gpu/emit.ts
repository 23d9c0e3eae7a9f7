import { ArrayBinding, Expr, FunctionIR, OpArg, OpStmt, Stmt } from '../../compiler/ir';
import { StepPlan } from '../../compiler/plan';
import { BOOL_OPS, KernelWriter, Origin, STEP_HALVES, Unsupported, carriedLocals, forAsRange, numLit, writtenArrays } from './translate';
import { seedKey } from './philox';
import { MAX_BATCH } from './batch';
import { declared } from '../../compiler/fuse';
import { renameStmt } from '../../compiler/rename';

/**
 * The gpu program of a step plan: kernels (gpu.js source, one output array each) and the host actions of
 * one step that call them. Nothing here touches gpu.js: exec.ts builds and runs the kernels.
 *
 * Every kernel is a pure function of device arrays (gpu.js kernels cannot write their arguments): a step
 * replaces the device array of each Variable it writes by the kernel's output (ping-pong), and the
 * superseded one is freed. Delivery ops become gathers over post-major rows, computed here once from the
 * connectivity: thread j sums over the synapses onto j, in the order the js backend adds them.
 * Draws `this.rng.*()` inside element-wise loops are counter-based (translate.ts, philox.ts): keyed by the
 * network's seed, counted by element, step (host scalars rs$… per step), kernel and draw.
 */

/** Float32 holds integers exactly below 2^24: larger indices would silently alias. */
export const MAX_INDEX = 2 ** 24;

/** A device array a kernel reads: a binding's array, or constant data derived here (CSC rows). */
export interface ArrayRef { id: string; binding?: ArrayBinding; data?: Float32Array }

export interface KernelSpec {
  what: string;
  /** Source with placeholder array parameters ARR<k>_ (k: index in `arrays`); `final` binds them. */
  source: string;
  size: number;
  arrays: ArrayRef[];
  /** host scalars passed by name (values from the step's environment) */
  scalars: string[];
  loopMax: number;
  /** What the output holds: written arrays packed at these offsets (one output per kernel). */
  fields: { b: ArrayBinding; off: number }[];
  /** After layout: the source gpu.js compiles, and the device arrays (handle ids) it takes, in order. */
  final?: { source: string; handles: string[] };
}

/** Where a binding's current value lives on the device: a device array (handle id) and an offset in it. */
export interface Loc { h: string; off: number }

export type Action =
  | { k: 'group'; kernel: KernelSpec; out: string }
  | { k: 'if'; test: string; then: Action[]; else: Action[] }
  | { k: 'record'; mon: number; arr: ArrayBinding; kernel: KernelSpec }
  /** A value monitor's record: `kernel` copies the array (at the monitor's indices) into row vrow$<mon> of the
   *  device buffer vbuf$<mon> (`rows` ≤ MAX_BATCH rows: its indices stay below 2^24), read back once per batch
   *  or when full. */
  | { k: 'value'; mon: number; arr: ArrayBinding; every: number; width: number; indexed: boolean; rows: number; kernel: KernelSpec }
  | { k: 'input'; slot: number; target: ArrayBinding; source: 'const' | 'array' | 'sampled'; scalar: KernelSpec; array: KernelSpec; out: string }
  | { k: 'check'; every: number };

export interface GPUProgram {
  actions: Action[];
  /** Host side of a step: sets the step's scalars in E (t$ and dt$ are set before). */
  host: (E: Record<string, number>) => void;
  hostSource: string;
  kernels: KernelSpec[];
  /** Writable bindings the program keeps on the device. */
  state: ArrayBinding[];
  /** Read-only bindings the kernels read. */
  readonly: ArrayBinding[];
  checked: ArrayBinding[];
  /** Spike monitors: mon → array. */
  spikeMonitors: { mon: number; arr: ArrayBinding }[];
  /** Device arrays that hold several Variables (a loop's outputs), and where every written Variable lives
   *  at the end of a step (= at the start of the next: uploads at a run's start use this layout). */
  packs: Map<string, { size: number; fields: { b: ArrayBinding; off: number }[] }>;
  finalLoc: Map<string, Loc>;
  /** Step-level state kept on the host (see `HostState`): E[key] holds b.array[i] during a run. */
  hostState: { b: ArrayBinding; i: number; key: string }[];
}

/**
 * An element of a state array that update() reads and writes only at the step level, at a constant index
 * (a ring buffer's pointer, a step counter, an oscillator's phase): it lives on the host during a run, as
 * a step-level scalar. Each write makes a new version (`key#n`), so a kernel reads the value its place in
 * the step sees, although the host computes the whole step's scalars before the step's kernels run.
 */
interface HostState { b: ArrayBinding; i: number; key: string; version: number }

const INPUT_OP: Record<string, (t: string, v: string) => string> = {
  '=': (_t, v) => v, '+': (t, v) => `(${t} + ${v})`, '-': (t, v) => `(${t} - ${v})`, '*': (t, v) => `(${t} * ${v})`, '/': (t, v) => `(${t} / ${v})`,
};

/** `seed`: the network's seed, the key of the counter-based draws. */
export function buildProgram(plan: StepPlan, mode: string, seed = 0): GPUProgram {
  return new ProgramBuilder(plan, mode, seedKey(seed)).build();
}

class ProgramBuilder {
  private readonly helpers: Map<string, FunctionIR>;
  private readonly hostNames = new Set<string>(['t$', 'dt$', ...STEP_HALVES]);
  private readonly hostLines: string[] = [];
  private readonly kernels: KernelSpec[] = [];
  private readonly used = new Map<string, ArrayBinding>();
  private readonly spikeMonitors: { mon: number; arr: ArrayBinding }[] = [];
  private hostUid = 0;
  /** step-level locals whose values live on the device: a reduction's accumulator or an expression of them */
  private readonly device = new Map<string, { red: ArrayBinding; q: number } | { ir: Expr }>();
  private reductions = 0;
  /** helpers inlined so far (numbers their locals) */
  private inlined = 0;
  /** tests of the step-level ifs around the statement being translated (host-state writes obey them) */
  private readonly hostConds: string[] = [];
  /** step-level state elements kept on the host, by `${binding id}@${index}` */
  private readonly hostState = new Map<string, HostState>();
  private readonly hostIds = new Set<string>();
  /** Loop kernels that draw so far (each one's number is part of its draws' counters). */
  private rngKernels = 0;
  private cscCache = new Map<string, { ptr: ArrayRef; pre: ArrayRef; syn: ArrayRef; maxRow: number }>();

  constructor(private readonly plan: StepPlan, private readonly mode: string, private readonly key: [number, number]) {
    this.helpers = new Map(plan.helpers.map((f) => [f.id, f]));
  }

  build(): GPUProgram {
    const p = this.plan;
    if (p.opaque.length) {
      const f = p.opaque[0];
      throw new Unsupported(this.mode, { where: `${f.cls} '${f.owner}'.${f.method}`, line: 0 }, 'update() returns early; the gpu backend needs update() as straight statements and loops (put the condition inside the loop)');
    }
    for (const b of p.bindings) {
      if (b.array.length >= MAX_INDEX) throw new Unsupported(this.mode, null, `${b.path} has ${b.array.length} elements; float32 indices are exact only below 2^24`);
    }
    findHostState(p, this.hostState);
    for (const h of this.hostState.values()) this.hostIds.add(h.b.id);
    const actions = this.stmts(p.step);
    const { packs, finalLoc } = layout(actions, this.mode);
    // host state: each step starts from the last step's final version and leaves its own
    const hs = [...this.hostState.values()];
    const src = ['"use strict";', ...hs.map((h) => `E[${JSON.stringify(`${h.key}#0`)}] = E[${JSON.stringify(h.key)}];`), ...this.hostLines,
      ...hs.map((h) => `E[${JSON.stringify(h.key)}] = E[${JSON.stringify(`${h.key}#${h.version}`)}];`)].join('\n');
    const host = new Function('E', 'Math', src) as (E: Record<string, number>, M: Math) => void;
    const state = [...this.used.values()].filter((b) => b.writable);
    for (const b of p.checked) if (!state.includes(b)) state.push(b);
    return {
      actions, host: (E) => host(E, Math), hostSource: src, kernels: this.kernels,
      state, readonly: [...this.used.values()].filter((b) => !b.writable), checked: p.checked, spikeMonitors: this.spikeMonitors,
      packs, finalLoc, hostState: hs.map(({ b, i, key }) => ({ b, i, key })),
    };
  }

  private use(b: ArrayBinding): void { this.used.set(b.id, b); }

  private at(s: Stmt): Origin | null {
    return 'line' in s && typeof s.line === 'number' ? { where: (s as { where?: string }).where, line: s.line } : null;
  }

  private stmts(ss: Stmt[]): Action[] {
    const out: Action[] = [];
    for (const s of ss) out.push(...this.stmt(s));
    return out;
  }

  private stmt(s: Stmt): Action[] {
    const at = this.at(s);
    switch (s.k) {
      case 'let': {
        if (s.destructure || !s.init) throw new Unsupported(this.mode, at, 'a step-level declaration without a single value');
        if (this.hostNames.has(s.names[0]) || this.device.has(s.names[0])) throw new Unsupported(this.mode, at, `${s.names[0]} declared twice at the step level`);
        let x: string;
        try { x = this.hostExpr(s.init, at); } catch (e) {
          if (!(e instanceof DeviceValue)) throw e;
          // computed from a reduction's result: an expression the kernels that read it evaluate
          this.device.set(s.names[0], { ir: s.init });
          return [];
        }
        this.hostLines.push(`E[${JSON.stringify(s.names[0])}] = ${x};`);
        this.hostNames.add(s.names[0]);
        return [];
      }
      case 'block': return this.stmts(s.body);
      case 'if': {
        const test = this.hostScalar({ k: 'cond', test: s.test, a: { k: 'num', v: 1 }, b: { k: 'num', v: 0 } }, at);
        // the host runs every branch's lines: host-state writes in a branch take effect where its test holds
        const E = `E[${JSON.stringify(test)}]`;
        this.hostConds.push(E);
        const then = this.stmts(s.then);
        this.hostConds[this.hostConds.length - 1] = `!${E}`;
        const els = s.else ? this.stmts(s.else) : [];
        this.hostConds.pop();
        return [{ k: 'if', test, then, else: els }];
      }
      case 'for': case 'range': {
        const draws = s.info?.withoutRng !== undefined;
        return !draws && s.info?.cls === 'reduction' ? this.reduction(s) : [this.loop(s)];
      }
      case 'op': return [this.op(s)];
      case 'eventGroup': {
        const acts: Action[] = s.ops.map((o) => this.op(o));
        for (const r of s.records) acts.push(this.record(r.mon, r.arr));
        return acts;
      }
      case 'record': return [this.record(s.mon, s.arr)];
      case 'spikeList': return [];   // js-only helper; the gpu gathers do not use spike lists
      case 'input': return [this.input(s)];
      case 'recordValue':
        if (this.hostArrays().has(s.arr.id)) throw new Unsupported(this.mode, at, `a value monitor of ${s.arr.path}, whose elements are step-level state kept on the host (monitor them on the js or wasm backend)`);
        this.use(s.arr);
        const rows = Math.max(1, Math.min(MAX_BATCH, Math.floor((MAX_INDEX - 1) / s.width)));
        return [{ k: 'value', mon: s.mon, arr: s.arr, every: s.every, width: s.width, indexed: s.indexed, rows, kernel: this.valueRecord(s.mon, s.arr, s.width, s.indexed, rows) }];
      case 'check': for (const b of s.arrays) this.use(b); return [{ k: 'check', every: s.every }];
      case 'expr':
        if ((s.e.k === 'assign' || s.e.k === 'update') && s.e.target.k === 'index') {
          const h = this.hostElem(s.e.target.arr, s.e.target.i);
          if (h) { this.hostWrite(h, s.e, at); return []; }
        }
        if (s.e.k === 'call') {
          const f = this.helpers.get(s.e.fn);
          if (f && !f.hasReturn) return this.inline(f, s.e.args, at);
          throw new Unsupported(this.mode, at, `${f ? `${f.cls}.${f.method}()` : s.e.fn} is called as a statement at the step level and has a return statement: the gpu emitter inlines such a call only where its value is used inside a loop, or, as a statement, a helper without return (its loops become kernels)`);
        }
        if ((s.e.k === 'assign' || s.e.k === 'update') && s.e.target.k === 'index') {
          throw new Unsupported(this.mode, at, `writes ${s.e.target.arr.path} at the step level: the gpu backend keeps such state on the host only for elements written at constant indices, at the step level alone (no loop or operator writing the array); otherwise write it in an element-wise loop`);
        }
        throw new Unsupported(this.mode, at, 'a step-level expression outside a loop (assignments of variables between loops have no gpu form; move them into an element-wise loop)');
      case 'while': throw new Unsupported(this.mode, at, 'a while loop at the step level (no gpu form)');
      case 'return': throw new Unsupported(this.mode, at, 'return in update() (no gpu form)');
      default: throw new Unsupported(this.mode, at, `a '${s.k}' statement at the step level`);
    }
  }

  /**
   * A helper called as a statement at the step level (`this.integrate(dt)`), inlined: its parameters become
   * step-level constants of the call's arguments, its locals get names of their own (`x$i<n>`), and its
   * statements are translated as the step's own (loops become kernels, nested calls are inlined in turn).
   */
  private inline(f: FunctionIR, args: Expr[], at: Origin | null): Action[] {
    const n = this.inlined++;
    const names = new Set<string>(f.params);
    for (const s of f.body) declared(s, names);
    const m = new Map([...names].map((x) => [x, `${x}$i${n}`]));
    const params: Stmt[] = f.params.map((p, k) => {
      const d = f.defaults[k];
      const init: Expr | undefined = args[k] ?? (d !== undefined ? { k: 'num', v: d } : undefined);
      if (!init) throw new Unsupported(this.mode, at, `${f.cls}.${f.method}() is called without its parameter ${p}`);
      return { k: 'let', kind: 'const', names: [m.get(p)!], init, destructure: false, line: at?.line ?? 0, where: at?.where };
    });
    // (the compiler refuses recursive helpers, so this ends)
    return this.stmts([...params, ...f.body.map((s) => renameStmt(s, m))]);
  }

  /** Host JavaScript for a step-level scalar expression (no arrays: the host never reads device state). */
  private hostExpr(e: Expr, at: Origin | null): string {
    const r = (x: Expr): string => this.hostExpr(x, at);
    switch (e.k) {
      case 'num': return numLit(e.v);
      case 'local':
        if (this.device.has(e.name)) throw new DeviceValue(e.name);
        if (!this.hostNames.has(e.name)) throw new Unsupported(this.mode, at, `step-level use of ${e.name}, which the gpu backend cannot compute on the host`);
        return `E[${JSON.stringify(e.name)}]`;
      // kernels hold booleans as 1 and 0, and so do the host's scalars they read (a comparison's boolean as 1/0)
      case 'bin': return BOOL_OPS.has(e.op) ? `(+(${r(e.a)} ${e.op} ${r(e.b)}))` : `(${r(e.a)} ${e.op} ${r(e.b)})`;
      case 'logic': return `(${r(e.a)} ${e.op} ${r(e.b)})`;
      case 'un': return e.op === '!' ? `(+!${r(e.a)})` : `(${e.op}${r(e.a)})`;
      case 'cond': return `(${r(e.test)} ? ${r(e.a)} : ${r(e.b)})`;
      case 'math': return `Math.${e.fn}(${e.args.map(r).join(', ')})`;
      case 'index': {
        const h = this.hostElem(e.arr, e.i);
        if (h) return `E[${JSON.stringify(this.current(h))}]`;
        throw new Unsupported(this.mode, at, `reads ${e.arr.path} at the step level, outside a loop (the host does not see device state during a run; compute it inside an element-wise loop, or keep it in elements written only at the step level, at constant indices)`);
      }
      case 'rng': throw new Unsupported(this.mode, at, `this.rng.${e.fn}() at the step level, outside an element-wise loop: the gpu backend has no sequential random stream and draws counter-based random numbers per element of element-wise loops only; draw inside a loop over the elements instead, one value per element`);
      default: throw new Unsupported(this.mode, at, `a step-level ${e.k} expression (no gpu form)`);
    }
  }

  /** The host-state element `arr[i]`, if that is one (a constant index of an array findHostState chose). */
  private hostElem(arr: ArrayBinding, i: Expr): HostState | null {
    return i.k === 'num' ? this.hostState.get(`${arr.id}@${i.v}`) ?? null : null;
  }

  /** The name in E of a host-state element's current version (a host scalar kernels may read). */
  private current(h: HostState): string {
    const name = `${h.key}#${h.version}`;
    this.hostNames.add(name);
    return name;
  }

  /** A step-level write of a host-state element: its next version, stored as the typed array would. */
  private hostWrite(h: HostState, e: Extract<Expr, { k: 'assign' | 'update' }>, at: Origin | null): void {
    const old = `E[${JSON.stringify(this.current(h))}]`;
    let v: string;
    if (e.k === 'update') v = `${old} ${e.op === '++' ? '+' : '-'} 1`;
    else {
      const x = this.hostExpr(e.value, at);
      v = e.op === '=' ? x : `${old} ${e.op.slice(0, -1)} (${x})`;
    }
    const store: Record<string, (x: string) => string> = {
      f32: (x) => `Math.fround(${x})`, f64: (x) => `(${x})`, i32: (x) => `((${x}) | 0)`, u32: (x) => `((${x}) >>> 0)`,
      u8: (x) => `((${x}) & 255)`, i8: (x) => `(((${x}) << 24) >> 24)`, i16: (x) => `(((${x}) << 16) >> 16)`, u16: (x) => `((${x}) & 65535)`,
    };
    if (this.hostConds.length) v = `(${this.hostConds.join(' && ')}) ? (${v}) : ${old}`;
    h.version++;
    this.hostLines.push(`E[${JSON.stringify(this.current(h))}] = ${store[h.b.dtype](v)};`);
  }

  /** A step-level scalar computed on the host each step; returns its name in E. */
  private hostScalar(e: Expr, at: Origin | null): string {
    const name = `h$${this.hostUid++}`;
    let x: string;
    try { x = this.hostExpr(e, at); } catch (err) {
      if (!(err instanceof DeviceValue)) throw err;
      throw new Unsupported(this.mode, at, `uses ${err.local}, which comes from a reduction computed on the device, where the host needs it (a step-level if, a loop bound, an operator's number); use it inside element-wise loops only`);
    }
    this.hostLines.push(`E[${JSON.stringify(name)}] = ${x};`);
    this.hostNames.add(name);
    return name;
  }

  /** A compile-time integer (loop bounds): constants only. */
  private constInt(e: Expr, at: Origin | null, what: string): number {
    let v = NaN;
    try { v = new Function('E', 'Math', `return ${this.hostExpr(e, at)};`)({}, Math); } catch { /* below */ }
    if (!Number.isInteger(v)) throw new Unsupported(this.mode, at, `the ${what} of this loop is not a constant (a gpu kernel has a fixed size; data-dependent sizes have no gpu form)`);
    return v;
  }

  /** `scratch`: locals the body accumulates into that this kernel drops (a reduction's element-wise part). */
  private loop(s: Extract<Stmt, { k: 'for' | 'range' }>, scratch: string[] = []): Action {
    const at = this.at(s);
    // a loop that draws is 'serial' for the sequential stream; with counter-based draws it is what it is otherwise
    const draws = s.info?.withoutRng !== undefined;
    const cls = draws ? s.info!.withoutRng : s.info?.cls;
    const { v, start, end } = this.counted(s, at);
    let shifted: { b: ArrayBinding; offIR: Expr }[] = [], rows: RowField[] = [];
    if (cls === 'serial' || cls === 'rowParallel') {
      // a loop whose only cross-element accesses are at `off + j` or at its element's synapses is a map over j
      const found = this.discoverFields(s.body, v, at);
      if (found) ({ shifted, rows } = found);
    }
    if (rows.length > 1) throw new Unsupported(this.mode, at, `this loop writes ${rows.map((r) => r.b.path).join(' and ')} at synapses of its elements' rows; one such array per loop has a kernel form (split the loop)`);
    if (cls !== 'map' && cls !== 'rowParallel') {
      if (!shifted.length && !rows.length) {
        const hint = cls === 'scatter' ? 'it adds into an array at indices read from data (a scatter); deliver through a library operator (pre2postEventSum, pre2postSum, gapJunctionSum, denseEventSum, syn2post)'
          : cls === 'reduction' ? 'it reduces over elements into one value (no gpu form in this backend; keep the value per element)'
            : 'its iterations depend on each other (a serial loop has no parallel form)';
        const rng = draws ? '; it also draws from this.rng, which the gpu backend does only per element of element-wise loops (write the draws in a loop over the elements, one value per element)' : '';
        throw new Unsupported(this.mode, at, `this loop is classified '${cls ?? 'unknown'}': ${hint}${rng}`);
      }
    }
    const a = this.constInt(start, at, 'start'), b = this.constInt(end, at, 'end');
    const shiftedIds = new Set([...shifted, ...rows].map((x) => x.b.id));
    const W = [...writtenArrays(s.body).values()].filter((x) => !shiftedIds.has(x.id));
    if (!W.length && !shifted.length && !rows.length) throw new Unsupported(this.mode, at, 'a loop that writes no array (nothing to compute on the device)');
    this.refuseHostWrites(W, at);
    const w = this.writer(v);
    w.rng = { kernel: this.rngKernels, key: this.key };
    w.promote(W, 'index');
    scratch.forEach((n, q) => { w.bindLocal(n, `dacc_${q}`); w.lines.push(`  let dacc_${q} = 0;`); });
    // a shifted field's offset, printed once at the kernel's head (host scalars and constants only)
    const offs = shifted.map((x) => w.val(x.offIR, '  ', at));
    shifted.forEach((x, k) => {
      const local = `w_${sanitizeId(x.b.id)}`;
      w.shiftedFields.set(x.b.id, { b: x.b, off: offs[k], local });
      w.lines.push(`  let ${local} = ${w.arrayParam(x.b)}[index + ${offs[k]}];`);
    });
    // a row field: each thread one synapse (rk, its place in the rows; re, its element in the field)
    for (const r of rows) {
      const local = `w_${sanitizeId(r.b.id)}`;
      w.rowFields.set(r.b.id, { b: r.b, P: r.P, X: r.X, local });
      w.lines.push(`  let ${local} = ${w.arrayParam(r.b)}[re];`);
    }
    w.stmts(s.body, '  ', at);
    if (w.draws) {
      if (++this.rngKernels > 65536) throw new Unsupported(this.mode, at, 'more than 65536 loops that draw random numbers');
    }
    // one kernel, its output packing every written array: field q of length L at q·L (thread x computes
    // element x mod L of field ⌊x/L⌋, recomputing the body per field: no kernel maps on webgpu); in a shifted
    // field, element e is the loop's element e − off
    const fields = [...W.map((bnd) => ({ b: bnd, off: null as string | null, row: null as RowField | null })), ...shifted.map((x, k) => ({ b: x.b, off: offs[k], row: null })),
      ...rows.map((r) => ({ b: r.b, off: null, row: r }))];
    const L = Math.max(...fields.map((f) => f.b.array.length));
    const head = ['  const f = Math.floor(this.thread.x / ' + L + ');', '  let index = this.thread.x - f * ' + L + ';', ...(rows.length ? ['  let rk = -1;', '  let re = index;'] : [])];
    fields.forEach(({ b: bnd, off, row }, q) => {
      const n = bnd.array.length, param = w.arrays.get(bnd.id)!.param;
      if (n < L) head.push(`  if (f === ${q} && index >= ${n}) { return 0; }`);
      if (row) {
        const rowOf = w.dataParam(`${row.P.id}|rowOf`, row.rowOf);
        const pos = row.X ? `${w.dataParam(`${row.X.id}|inv`, row.inv!)}[index]` : 'index';
        head.push(`  if (f === ${q}) {`, '    re = index;', `    rk = ${pos};`, `    index = ${rowOf}[rk];`, `    if (index < ${a} || index >= ${b}) { return ${param}[re]; }`, '  }');
      } else if (off === null) {
        const hi = Math.min(b, n);
        if (a !== 0 || hi !== L) head.push(`  if (f === ${q} && (index < ${a} || index >= ${hi})) { return ${param}[index]; }`);
      } else {
        head.push(`  if (f === ${q}) {`, '    const e = index;', `    index = e - ${off};`, `    if (index < ${a} || index >= ${b}) { return ${param}[e]; }`, '  }');
      }
    });
    const arrays = this.kernelArrays(w); // (after the head: a row field's head adds its constant data)
    const ret = fields.map(({ b: bnd }, q) => (q < fields.length - 1 ? `  if (f === ${q}) { return w_${sanitizeId(bnd.id)}; }` : `  return w_${sanitizeId(bnd.id)};`));
    const prelude = w.rngPrelude('  ');
    const params = [...[...w.arrays.values()].map((x) => x.param), ...w.scalars.values()];
    const source = [`function (${params.join(', ')}) {`, ...head, ...prelude, ...w.lines, ...ret, '}'].join('\n');
    const kernel: KernelSpec = {
      what: `${s.where ?? 'model code'}, line ${s.line} (loop writing ${fields.map((x) => x.b.path).join(', ')})`,
      source, size: fields.length * L, arrays, scalars: [...w.scalars.keys()], loopMax: w.loopMax, fields: fields.map((x, q) => ({ b: x.b, off: q * L })),
    };
    this.kernels.push(kernel);
    return { k: 'group', kernel, out: '' };
  }

  /** The device arrays a kernel writer's kernel reads, in parameter order; the state among them is used. */
  private kernelArrays(w: KernelWriter): ArrayRef[] {
    // constant data (row fields) is uploaded once; a reduction's result is a device scratch array, not state
    for (const x of w.arrays.values()) if (!x.data && x.b.role !== 'scratch') this.use(x.b);
    return [...w.arrays.values()].map((x) => (x.data ? { id: x.b.id, data: x.data } : { id: x.b.id, binding: x.b }));
  }

  /** A step-level loop as `for (let v = start; v < end; v++)`. */
  private counted(s: Extract<Stmt, { k: 'for' | 'range' }>, at: Origin | null): { v: string; start: Expr; end: Expr } {
    if (s.k === 'range') return { v: s.v, start: s.start, end: s.end };
    const r = forAsRange(s);
    if (!r) throw new Unsupported(this.mode, at, 'a step-level for loop that is not `for (let i = a; i < b; i++)`');
    return r;
  }

  /** Loops may not write arrays whose elements are host-kept step-level state. */
  private refuseHostWrites(W: ArrayBinding[], at: Origin | null): void {
    for (const x of W) if (this.hostArrays().has(x.id)) throw new Unsupported(this.mode, at, `this loop writes ${x.path}, whose elements are step-level state kept on the host (written at the step level at constant indices); write them at the step level only`);
  }

  /** A kernel writer for a loop over `v`, with the step's host state and device values. */
  private writer(v: string): KernelWriter {
    const w = new KernelWriter(this.mode, this.helpers, this.hostNames, new Set([v]));
    w.hostArrays = this.hostArrays();
    w.hostElement = (b, i) => { const h = this.hostElem(b, i); return h ? this.current(h) : null; };
    w.deviceLocal = (name) => {
      const d = this.device.get(name);
      if (!d) return null;
      return 'red' in d ? `${w.arrayParam(d.red)}[${d.q}]` : `(${w.val(d.ir, '  ', null)})`;
    };
    return w;
  }

  /**
   * A loop classified 'reduction' (locals accumulated over the elements, `sum += V[i]`): a one-thread-per-
   * accumulator kernel runs the loop in order (the js order of the additions) and leaves the results on the
   * device, where later kernels read them; the arrays the loop also writes at its element come from an
   * element-wise kernel of the same body (its accumulations dropped). Both read the state as it was before
   * the loop, as the iterations of a reduction do.
   */
  private reduction(s: Extract<Stmt, { k: 'for' | 'range' }>): Action[] {
    const at = this.at(s);
    const { v, start, end } = this.counted(s, at);
    const a = this.constInt(start, at, 'start'), b = this.constInt(end, at, 'end');
    const accs = carriedLocals(s.body);
    for (const n of accs) if (!this.hostNames.has(n) && !this.device.has(n)) throw new Unsupported(this.mode, at, `accumulates into ${n}, which is not a step-level variable`);
    const w = this.writer(v);
    const W = [...writtenArrays(s.body).values()];
    this.refuseHostWrites(W, at);
    // each accumulator starts from its value before the loop (host scalar, or an earlier reduction's result)
    const init = accs.map((n) => w.val({ k: 'local', name: n }, '  ', at));
    accs.forEach((n, q) => w.bindLocal(n, `acc_${q}`));
    w.promote(W, 'index');
    w.stmts(s.body, '    ', at);
    const red: ArrayBinding = { id: `red$${this.reductions++}`, path: `the reduction into ${accs.join(', ')}`, array: new Float32Array(accs.length), writable: true, isFloat: true, dtype: 'f32', role: 'scratch' };
    const params = [...[...w.arrays.values()].map((x) => x.param), ...w.scalars.values()];
    const source = [`function (${params.join(', ')}) {`, '  const q = this.thread.x;', ...accs.map((_, q) => `  let acc_${q} = ${init[q]};`),
      `  for (let k = 0; k < ${Math.max(1, b - a)}; k++) {`, `    const index = ${a} + k;`, ...w.lines.map((l) => `  ${l}`), '  }',
      ...accs.map((_, q) => (q < accs.length - 1 ? `  if (q === ${q}) { return acc_${q}; }` : `  return acc_${q};`)), '}'].join('\n');
    const arrays = this.kernelArrays(w);
    const kernel: KernelSpec = {
      what: `${s.where ?? 'model code'}, line ${s.line} (reduction into ${accs.join(', ')})`,
      source, size: accs.length, arrays, scalars: [...w.scalars.keys()], loopMax: Math.max(w.loopMax, b - a), fields: [{ b: red, off: 0 }],
    };
    this.kernels.push(kernel);
    const acts: Action[] = [];
    // reduce first: the element-wise part replaces the arrays the reduction reads
    acts.push({ k: 'group', kernel, out: '' });
    // the writes: the same body element by element, its accumulators scratch locals of each thread
    if (W.length) acts.push(this.loop({ ...s, info: { ...s.info!, cls: 'map' } } as typeof s, accs));
    accs.forEach((n, q) => this.device.set(n, { red, q }));
    return acts;
  }

  /**
   * What a first translation of the body (kept for nothing but what it saw) finds of arrays the loop accesses
   * off its element: at `off + j` (off the same for every element) and written there, or at a synapse's
   * place in the element's connectivity row (`w[k]`, `w[perm[k]]`) and written there; null where the body
   * has no kernel form, or such an array is accessed anywhere else too (another thread's element would race).
   */
  private discoverFields(body: Stmt[], v: string, at: Origin | null): { shifted: { b: ArrayBinding; offIR: Expr }[]; rows: RowField[] } | null {
    const w = this.writer(v);
    const d = (w.discover = { plain: new Set<string>(), other: new Set<string>(), shifted: new Map(), rows: new Map() });
    try {
      w.promote([...writtenArrays(body).values()], 'index');
      w.stmts(body, '  ', at);
    } catch (e) {
      if (e instanceof Unsupported) return null;
      throw e;
    }
    const alone = (id: string) => !d.plain.has(id) && !d.other.has(id) && !this.hostArrays().has(id) && !(d.shifted.has(id) && d.rows.has(id));
    // arrays only read at such places are plain reads (a gather); the written ones become fields
    const shifted = [...d.shifted.values()].filter((x) => x.written);
    if (shifted.some((x) => x.offs.size !== 1 || !alone(x.b.id))) return null;
    const rows: RowField[] = [];
    for (const x of [...d.rows.values()].filter((r) => r.written)) {
      if (x.kinds.size !== 1 || !alone(x.b.id)) return null;
      const r = rowData(x.b, x.P, x.X);
      if (!r) return null;
      rows.push(r);
    }
    return { shifted: shifted.map(({ b, offIR }) => ({ b, offIR })), rows };
  }

  /** Row r of a value monitor's batch buffer ← the array (at the monitor's indices); other rows kept. */
  private valueRecord(mon: number, arr: ArrayBinding, width: number, indexed: boolean, rows: number): KernelSpec {
    const src = indexed ? 'ARR1_[ARR2_[col]]' : 'ARR1_[col]';
    const kernel: KernelSpec = {
      what: `value monitor ${mon} (${arr.path})`, size: rows * width, loopMax: 0, fields: [],
      arrays: [{ id: `vbuf$${mon}` }, { id: arr.id, binding: arr }, ...(indexed ? [{ id: `vsel$${mon}` }] : [])],
      scalars: [`vrow$${mon}`],
      source: [`function (ARR0_, ARR1_${indexed ? ', ARR2_' : ''}, r) {`, '  const x = this.thread.x;', `  const row = Math.floor(x / ${width});`,
        `  const col = x - row * ${width};`, `  if (row === r) { return ${src}; }`, '  return ARR0_[x];', '}'].join('\n'),
    };
    this.kernels.push(kernel);
    return kernel;
  }

  private record(mon: number, arr: ArrayBinding): Action {
    this.use(arr);
    this.spikeMonitors.push({ mon, arr });
    // spikes as bits: rec' = 2·rec + spike, reset at a batch's first step (exact for ≤ 24 steps)
    const kernel: KernelSpec = {
      what: `spike monitor ${mon} (${arr.path})`, size: arr.array.length, loopMax: 0,
      arrays: [{ id: `rec$${mon}` }, { id: arr.id, binding: arr }], scalars: ['first$'], fields: [],
      source: 'function (ARR0_, ARR1_, first) {\n  const i = this.thread.x;\n  return ARR0_[i] * (1 - first) * 2 + (ARR1_[i] !== 0 ? 1 : 0);\n}',
    };
    this.kernels.push(kernel);
    return { k: 'record', mon, arr, kernel };
  }

  private input(s: Extract<Stmt, { k: 'input' }>): Action {
    this.use(s.target);
    const n = s.target.array.length;
    const apply = INPUT_OP[s.op];
    const store = (x: string) => (s.target.isFloat ? x : `(${x} < 0 ? Math.ceil(${x}) : Math.floor(${x}))`);
    const mk = (v: string, arr: boolean): KernelSpec => ({
      what: `input ${s.slot} (${s.target.path} ${s.op}= ${arr ? 'array' : 'value'})`, size: n, loopMax: 0,
      arrays: arr ? [{ id: s.target.id, binding: s.target }, { id: `in$${s.slot}` }] : [{ id: s.target.id, binding: s.target }],
      scalars: arr ? [] : [`in$${s.slot}`], fields: [{ b: s.target, off: 0 }],
      source: `function (ARR0_${arr ? ', ARR1_' : ', x'}) {\n  const i = this.thread.x;\n  const r = ${apply('ARR0_[i]', v)};\n  return ${store('r')};\n}`,
    });
    const scalar = mk('x', false), array = mk('ARR1_[i]', true);
    this.kernels.push(scalar, array);
    return { k: 'input', slot: s.slot, target: s.target, source: s.source, scalar, array, out: '' };
  }

  // ------------------------------------------------------------------ delivery ops as gathers

  private op(o: OpStmt): Action {
    const at = { where: o.where, line: o.line };
    const A = o.args;
    const arr = (k: number): ArrayBinding => {
      const a = A[k];
      if (a.k !== 'array') throw new Unsupported(this.mode, at, `${o.name}: argument ${k + 1} must be an array`);
      return a.arr;
    };
    const out = arr(0);
    if (!out.writable) throw new Unsupported(this.mode, at, `${o.name} writes ${out.path}, which is not a Variable`);
    const ins = new KernelIO(this, at);
    const outP = ins.array({ id: out.id, binding: out });
    const n = out.array.length;
    let body: string[];
    let loopMax = 0;
    switch (o.name) {
      case 'pre2postEventSum': case 'pre2postSum': case 'gapJunctionSum': {
        const c = this.csc(A[1], n, at, o.name);
        loopMax = c.maxRow;
        const ptr = ins.array(c.ptr), pre = ins.array(c.pre);
        let term: string;
        if (o.name === 'pre2postEventSum') {
          const spike = ins.array(this.ref(arr(2)));
          const w = A[3];
          const wv = w.k === 'array' ? `${ins.array(this.ref(w.arr))}[${ins.array(c.syn)}[s + k]]` : ins.scalar(this.scalarArg(w, at, o.name));
          term = `if (${spike}[${pre}[s + k]] !== 0) { acc += ${wv}; }`;
        } else if (o.name === 'pre2postSum') {
          const x = ins.array(this.ref(arr(2))), scale = ins.scalar(this.scalarArg(A[3], at, o.name));
          term = `const x = ${x}[${pre}[s + k]];\n    if (x !== 0) { acc += ${scale} * x; }`;
        } else {
          const vPre = arr(2), vPost = arr(3);
          if (vPre.id === out.id || vPost.id === out.id) throw new Unsupported(this.mode, at, 'gapJunctionSum into the array it reads the voltages from');
          const vp = ins.array(this.ref(vPre)), vq = ins.array(this.ref(vPost)), g = ins.scalar(this.scalarArg(A[4], at, o.name));
          term = `acc += ${g} * (${vp}[${pre}[s + k]] - ${vq}[j]);`;
        }
        body = [
          `  const s = ${ptr}[j];`, `  const n = ${ptr}[j + 1] - s;`, `  let acc = ${outP}[j];`,
          `  for (let k = 0; k < ${Math.max(1, c.maxRow)}; k++) {`, '    if (k >= n) { break; }', `    ${term}`, '  }', '  return acc;',
        ];
        break;
      }
      case 'ringEventSum': {
        // thread x is element j of slot ⌊x / nPost⌋: it adds the weights of the synapses onto j whose pre
        // spiked and whose delay lands in that slot, d = (slot − ptr) mod L, in CSC order (pre ascending, as
        // the js scatter adds them)
        const nPostArg = A[6];
        if (nPostArg.k !== 'expr' || nPostArg.e.k !== 'num') throw new Unsupported(this.mode, at, 'ringEventSum: nPost must be a constant (this.post.num)');
        const nPost = nPostArg.e.v, L = n / nPost;
        const c = this.csc(A[1], nPost, at, o.name);
        loopMax = c.maxRow;
        const ptr = ins.array(c.ptr), pre = ins.array(c.pre), syn = ins.array(c.syn);
        const spike = ins.array(this.ref(arr(2))), delay = ins.array(this.ref(arr(4)));
        const w = A[3];
        const wv = w.k === 'array' ? `${ins.array(this.ref(w.arr))}[q]` : ins.scalar(this.scalarArg(w, at, o.name));
        const p = ins.scalar(this.scalarArg(A[5], at, o.name));
        body = [
          `  const slot = Math.floor(j / ${nPost});`, `  const jj = j - slot * ${nPost};`,
          `  let d = slot - ${p};`, `  if (d < 0) { d = d + ${L}; }`,
          `  const s = ${ptr}[jj];`, `  const n = ${ptr}[jj + 1] - s;`, `  let acc = ${outP}[j];`,
          `  for (let k = 0; k < ${Math.max(1, c.maxRow)}; k++) {`, '    if (k >= n) { break; }',
          `    const q = ${syn}[s + k];`,
          `    if (${delay}[q] === d && ${spike}[${pre}[s + k]] !== 0) { acc += ${wv}; }`, '  }', '  return acc;',
        ];
        break;
      }
      case 'denseEventSum': {
        const W = A[1], spike = arr(2);
        if (W.k !== 'dense') throw new Unsupported(this.mode, at, 'denseEventSum: the matrix must be a dense structure');
        if (W.cols !== n) throw new Unsupported(this.mode, at, `denseEventSum: ${W.cols} columns for ${n} outputs`);
        if (W.rows * W.cols >= MAX_INDEX) throw new Unsupported(this.mode, at, `denseEventSum: ${W.rows}×${W.cols} matrix; float32 indices are exact only below 2^24`);
        loopMax = W.rows;
        const d = ins.array(this.ref(W.data)), sp = ins.array(this.ref(spike));
        body = [`  let acc = ${outP}[j];`, `  for (let i = 0; i < ${Math.max(1, W.rows)}; i++) {`, `    if (${sp}[i] !== 0) { acc += ${d}[i * ${W.cols} + j]; }`, '  }', '  return acc;'];
        break;
      }
      case 'pre2syn': {
        const pre = ins.array(this.ref(arr(1))), ids = arr(2);
        this.checkIndices(ids, at);
        const idp = ins.array(this.ref(ids));
        body = [`  if (j >= ${ids.array.length}) { return ${outP}[j]; }`, `  return ${pre}[${idp}[j]];`];
        break;
      }
      case 'syn2post': {
        const syn = ins.array(this.ref(arr(1))), ids = arr(2);
        if (ids.writable) throw new Unsupported(this.mode, at, 'syn2post with post ids that are a Variable (the gather rows are built once from constant ids)');
        const g = this.groupBy(ids, n, at);
        loopMax = g.maxRow;
        const ptr = ins.array(g.ptr), sid = ins.array(g.syn);
        body = [`  const s = ${ptr}[j];`, `  const n = ${ptr}[j + 1] - s;`, `  let acc = ${outP}[j];`,
          `  for (let k = 0; k < ${Math.max(1, g.maxRow)}; k++) {`, '    if (k >= n) { break; }', `    acc += ${syn}[${sid}[s + k]];`, '  }', '  return acc;'];
        break;
      }
      default:
        throw new Unsupported(this.mode, at, `${o.name}() has no gpu kernel (supported: pre2postEventSum, pre2postSum, gapJunctionSum, ringEventSum, denseEventSum, syn2post, pre2syn)`);
    }
    const store = out.isFloat ? body : body.map((l) => l.replace(/return acc;/, 'return (acc < 0 ? Math.ceil(acc) : Math.floor(acc));'));
    const kernel: KernelSpec = {
      what: `${o.where ?? 'model code'}, line ${o.line}: ${o.name} into ${out.path}`,
      source: [`function (${ins.params().join(', ')}) {`, '  const j = this.thread.x;', ...store, '}'].join('\n'),
      size: n, arrays: ins.arrays, scalars: ins.scalars, loopMax, fields: [{ b: out, off: 0 }],
    };
    this.kernels.push(kernel);
    return { k: 'group', kernel, out: '' };
  }

  ref(b: ArrayBinding): ArrayRef {
    if (this.hostArrays().has(b.id)) throw new Unsupported(this.mode, null, `${b.path} is passed to an operator as an array, but its elements are step-level state kept on the host (written at the step level at constant indices)`);
    this.use(b);
    return { id: b.id, binding: b };
  }

  /** Ids of the arrays with host-state elements (fixed once findHostState has run). */
  private hostArrays(): Set<string> { return this.hostIds; }

  private scalarArg(a: OpArg, at: Origin, op: string): string {
    if (a.k !== 'expr') throw new Unsupported(this.mode, at, `${op}: expected a number argument`);
    return this.hostScalar(a.e, at);
  }

  private checkIndices(b: ArrayBinding, at: Origin): void {
    if (b.writable) throw new Unsupported(this.mode, at, `${b.path} is used as indices but is a Variable`);
    for (let k = 0; k < b.array.length; k++) if (!(b.array[k] >= 0 && b.array[k] < MAX_INDEX)) throw new Unsupported(this.mode, at, `${b.path}[${k}] = ${b.array[k]} is not an index below 2^24`);
  }

  /** Post-major rows of a pre-major ragged structure: for each post j, its (pre, synapse) pairs in pre order. */
  private csc(a: OpArg, nPost: number, at: Origin, op: string) {
    if (a.k !== 'ragged') throw new Unsupported(this.mode, at, `${op}: expected connectivity rows`);
    const key = `${a.indptr.id}|${a.indices.id}`;
    const hit = this.cscCache.get(key);
    if (hit) return hit;
    const ptr = a.indptr.array, idx = a.indices.array, nnz = idx.length;
    if (nnz >= MAX_INDEX) throw new Unsupported(this.mode, at, `${op}: ${nnz} synapses; float32 indices are exact only below 2^24 (split the projection)`);
    // the connectivity's own csc (cached there) when the rows are its pre2post/csr; else transpose here
    const origin = a.origin;
    let cptr: ArrayLike<number>, cpre: ArrayLike<number>, csyn: ArrayLike<number>;
    const own = origin && (origin.name === 'pre2post' || origin.name === 'csr') ? origin.connectivity.get('csc') as { indptr: Int32Array; indices: Int32Array; synIds?: Int32Array } : null;
    if (own && own.synIds && own.indptr.length === nPost + 1 && own.indices.length === nnz) {
      cptr = own.indptr; cpre = own.indices; csyn = own.synIds;
    } else {
      const count = new Int32Array(nPost + 1);
      for (let k = 0; k < nnz; k++) {
        const j = idx[k];
        if (!(j >= 0 && j < nPost)) throw new Unsupported(this.mode, at, `${op}: ${a.indices.path}[${k}] = ${j} is outside the ${nPost} outputs`);
        count[j + 1]++;
      }
      for (let j = 0; j < nPost; j++) count[j + 1] += count[j];
      const fill = count.slice(0, nPost), p = new Int32Array(nnz), sy = new Int32Array(nnz);
      for (let i = 0; i < a.rows; i++) for (let k = ptr[i]; k < ptr[i + 1]; k++) { const q = fill[idx[k]]++; p[q] = i; sy[q] = k; }
      cptr = count; cpre = p; csyn = sy;
    }
    let maxRow = 0;
    for (let j = 0; j < nPost; j++) maxRow = Math.max(maxRow, cptr[j + 1] - cptr[j]);
    const r = {
      ptr: { id: `${key}|cptr`, data: Float32Array.from(cptr) }, pre: { id: `${key}|cpre`, data: Float32Array.from(cpre) },
      syn: { id: `${key}|csyn`, data: Float32Array.from(csyn) }, maxRow,
    };
    this.cscCache.set(key, r);
    return r;
  }

  /** Rows of synapse ids per post, from a per-synapse post id array (for syn2post). */
  private groupBy(ids: ArrayBinding, nPost: number, at: Origin) {
    const a = ids.array, n = a.length;
    const count = new Int32Array(nPost + 1);
    for (let s = 0; s < n; s++) {
      if (!(a[s] >= 0 && a[s] < nPost && Number.isInteger(a[s]))) throw new Unsupported(this.mode, at, `syn2post: ${ids.path}[${s}] = ${a[s]} is outside the ${nPost} outputs`);
      count[a[s] + 1]++;
    }
    for (let j = 0; j < nPost; j++) count[j + 1] += count[j];
    const fill = count.slice(0, nPost), syn = new Int32Array(n);
    for (let s = 0; s < n; s++) syn[fill[a[s]]++] = s;
    let maxRow = 0;
    for (let j = 0; j < nPost; j++) maxRow = Math.max(maxRow, count[j + 1] - count[j]);
    return { ptr: { id: `${ids.id}|gptr`, data: Float32Array.from(count) }, syn: { id: `${ids.id}|gsyn`, data: Float32Array.from(syn) }, maxRow };
  }
}

/** Parameters of an op kernel: arrays first, then host scalars. */
class KernelIO {
  readonly arrays: ArrayRef[] = [];
  readonly scalars: string[] = [];
  constructor(private readonly b: ProgramBuilder, private readonly at: Origin) { void this.b; void this.at; }
  array(r: ArrayRef): string {
    let k = this.arrays.findIndex((x) => x.id === r.id);
    if (k < 0) { k = this.arrays.length; this.arrays.push(r); }
    return `ARR${k}_`;
  }
  scalar(name: string): string {
    let k = this.scalars.indexOf(name);
    if (k < 0) { k = this.scalars.length; this.scalars.push(name); }
    return `x${k}`;
  }
  params(): string[] { return [...this.arrays.map((_, k) => `ARR${k}_`), ...this.scalars.map((_, k) => `x${k}`)]; }
}

const sanitizeId = (id: string) => id.replace(/\$/g, '_');

/**
 * Static device layout of a step: each group or input action writes one device array (`g$<n>`; a loop's
 * packs all arrays it writes); a Variable lives where it was last written, so where every kernel finds its
 * inputs is known at compile time (offsets are baked in, each device array is bound once). At a step's
 * start the layout is the one at the end of a step. A step-level `if` around kernels would make it depend
 * on the branch taken: refused.
 */
function layout(actions: Action[], mode: string) {
  const packs = new Map<string, { size: number; fields: { b: ArrayBinding; off: number }[] }>();
  const finalLoc = new Map<string, Loc>();
  let n = 0;
  for (const a of actions) {
    if (a.k === 'if') {
      if (a.then.length || a.else.length) throw new Unsupported(mode, null, 'a step-level if around loops or delivery ops (the device layout would depend on it; put the condition inside the loop)');
      continue;
    }
    if (a.k === 'group' || a.k === 'input') {
      a.out = `g$${n++}`;
      const k = a.k === 'group' ? a.kernel : a.scalar;
      packs.set(a.out, { size: k.size, fields: k.fields });
      for (const f of k.fields) finalLoc.set(f.b.id, { h: a.out, off: f.off });
    }
  }
  const loc = new Map(finalLoc);
  const where = (r: ArrayRef): Loc => loc.get(r.id) ?? { h: r.id, off: 0 };
  const bind = (k: KernelSpec) => {
    const handles: string[] = [];
    const locs = k.arrays.map((r) => { const l = where(r); if (!handles.includes(l.h)) handles.push(l.h); return l; });
    let src = k.source.replace(/^function \(([^)]*)\)/, (_m, ps: string) => {
      const scalars = ps.split(',').map((x) => x.trim()).filter((x) => x && !/^ARR\d+_$/.test(x));
      return `function (${[...handles.map((_, j) => `d${j}`), ...scalars].join(', ')})`;
    });
    src = src.replace(/ARR(\d+)_\[/g, (_m, q: string) => {
      const l = locs[Number(q)];
      return `d${handles.indexOf(l.h)}[${l.off ? `${l.off} + ` : ''}`;
    });
    k.final = { source: src, handles };
  };
  for (const a of actions) {
    switch (a.k) {
      case 'group': bind(a.kernel); for (const f of a.kernel.fields) loc.set(f.b.id, { h: a.out, off: f.off }); break;
      case 'input': bind(a.scalar); bind(a.array); loc.set(a.target.id, { h: a.out, off: 0 }); break;
      case 'record': bind(a.kernel); break;
      case 'value': bind(a.kernel); break;
      default: break;
    }
  }
  return { packs, finalLoc };
}

/**
 * The state elements update() keeps at the step level: written only by step-level statements (update()'s own
 * or those of helpers it calls as statements), always at a constant index, never inside a loop or by an op.
 * Reads inside kernels then see a host scalar (translate.ts asks `hostElement`); any other access refuses.
 */
function findHostState(plan: StepPlan, out: Map<string, HostState>): void {
  const atConst = new Map<string, { b: ArrayBinding; idx: Set<number> }>();
  const elsewhere = new Set<string>(); // written in a loop or by an op
  const visit = (ss: Stmt[], depth: number) => {
    for (const s of ss) {
      if (s.k === 'expr' && (s.e.k === 'assign' || s.e.k === 'update') && s.e.target.k === 'index') {
        const t = s.e.target;
        if (depth === 0 && t.i.k === 'num' && Number.isInteger(t.i.v) && t.i.v >= 0 && t.i.v < t.arr.array.length && t.arr.role === 'state') {
          const e = atConst.get(t.arr.id) ?? { b: t.arr, idx: new Set<number>() };
          e.idx.add(t.i.v);
          atConst.set(t.arr.id, e);
        } else elsewhere.add(t.arr.id);
      }
      if (s.k === 'op') for (const a of s.args) if (a.k === 'array' && a.arr.writable) elsewhere.add(a.arr.id);
      if (s.k === 'eventGroup') for (const o of s.ops) for (const a of o.args) if (a.k === 'array' && a.arr.writable) elsewhere.add(a.arr.id);
      if (s.k === 'input') elsewhere.add(s.target.id);
      if (s.k === 'if') { visit(s.then, depth); if (s.else) visit(s.else, depth); }
      if (s.k === 'block') visit(s.body, depth);
      if (s.k === 'for' || s.k === 'range' || s.k === 'while') visit(s.body, depth + 1);
    }
  };
  visit(plan.step, 0);
  for (const f of plan.helpers) visit(f.body, 0); // a helper's loops are loops; its top level may be inlined at the step's
  for (const [id, { b, idx }] of atConst) {
    if (elsewhere.has(id)) continue;
    for (const i of idx) out.set(`${id}@${i}`, { b, i, key: `${id}@${i}`, version: 0 });
  }
}

/** A per-synapse array written at its synapses' places in rows P (identity, or through the permutation X). */
interface RowField { b: ArrayBinding; P: ArrayBinding; X: ArrayBinding | null; rowOf: Float32Array; inv: Float32Array | null }

/**
 * The constant data of a row field: each position's row (from P, an indptr) and, through a permutation X,
 * each synapse's position; null where the shapes do not fit (then the loop keeps its refusal).
 */
function rowData(b: ArrayBinding, P: ArrayBinding, X: ArrayBinding | null): RowField | null {
  const ptr = P.array, rows = ptr.length - 1, nnz = ptr[rows], n = b.array.length;
  if (!(rows >= 0 && nnz === n && n < MAX_INDEX)) return null;
  const rowOf = new Float32Array(n);
  for (let i = 0; i < rows; i++) for (let k = ptr[i]; k < ptr[i + 1]; k++) rowOf[k] = i;
  if (!X) return { b, P, X, rowOf, inv: null };
  if (X.array.length !== n) return null;
  const inv = new Float32Array(n).fill(-1);
  for (let k = 0; k < n; k++) {
    const t = X.array[k];
    if (!(Number.isInteger(t) && t >= 0 && t < n) || inv[t] !== -1) return null; // not a permutation
    inv[t] = k;
  }
  return { b, P, X, rowOf, inv };
}

/** Thrown by hostExpr where a step-level expression reads a value that lives on the device. */
class DeviceValue extends Error {
  constructor(readonly local: string) { super(`${local} lives on the device`); }
}
