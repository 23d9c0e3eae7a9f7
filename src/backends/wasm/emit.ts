import { ArrayBinding, BindingDType, Expr, FunctionIR, Stmt } from '../../compiler/ir';
import { StepPlan } from '../../compiler/plan';
import { cpuPlan } from '../../compiler/cpu-plan';
import { BrainweaveError } from '../../core/errors';
import { RNG } from '../../core/rng';
import { Backend, BackendUnsupported, CompileRequest, Executable, RunIO, STATUS } from '../backend';
import { checkKernels } from '../check';
import { ModuleBuilder } from './binary';
import { FnGen, FuncSig, InlineHelper, ModuleEnv, XStmt, forEachExpr, walkX } from './codegen';
import { KERNEL_NAMES, at, bin, kernelStmts, konst, loc, nonzero, num, range, scan, set, when } from './kernels';
import { NetMemory, align16, variablesOf } from './memory';
import { compileWasmModule } from './module-compiler';
import { simdLoop } from './simd';
import { CTRL_BYTES, ThreadControl, ThreadsConfig, WasmThreads, wasmThreadHost } from './threads';

/**
 * The wasm backend: the step plan compiled to one WebAssembly module per network and probe set. One
 * exported run(s0, s1, …) holds the whole step loop; the JS side copies a run's array inputs in once and
 * each chunk's sampled inputs, drains the wasm-side monitor buffers into the run's monitors after each call
 * and turns exits into status codes. State lives in one memory per network (memory.ts); loops the plan
 * classifies as `map` run two lanes at a time in f64x2 (simd.ts), everything else is scalar code with the js
 * backend's semantics (codegen.ts), small helpers compiled at their calls.
 */
export interface WasmOptions {
  simd: boolean;
  /**
   * f32x4 single-precision arithmetic in map loops that touch only float32/int32/bool arrays (4 lanes,
   * division by constants as multiplications): faster, not bit-identical to js (rates agree). Off by default;
   * reachable through emitWasm until RunOptions has a field for it.
   */
  relaxed?: boolean;
  /**
   * f64x2 loops with branches as lane masks. Off by default: with two lanes the masks cost more than they
   * save, and such loops run faster as scalar code (COBA's neuron loops, float64 0.155 vs 0.142 s, float32
   * storage 0.195 vs 0.175 s; the 1M LIF step likewise). Tests turn it on to check the masked code bit for bit.
   */
  maskedBranches?: boolean;
  /** threads in all, the main one included (threads.ts); 1 or absent: none */
  threads?: number;
  /** the smallest map loop split across the threads */
  threadMinTrip?: number;
}

/**
 * Loops shorter than this stay on one thread: a fork and join costs about 0.5 µs here, and COBA's neuron loops
 * gained from a second thread only from ~16 000 elements (bench/RESULTS.md, "Opt-in threads").
 */
const THREAD_MIN_TRIP = 16384;
/** a helper of at most this many expression nodes is compiled at its calls (the zoo's largest: HH's integration step, 191) */
const INLINE_MAX_NODES = 400;
/** How long a first run with threads waits for its workers to start (they usually take 20–50 ms). */
const WORKER_START_MS = 5000;

/** What a compiled network is, for tests and measurements. */
export interface WasmExecutable extends Executable {
  wasmBytes: Uint8Array;
  /** bytes of the network's memory in use (state, connectivity, every executable's buffers) */
  memoryBytes: number;
  /** bytes of the network's memory (fixed: min = max) */
  memoryCapacity: number;
  /** map loops emitted with SIMD (of them f32x4, relaxed), and those left scalar (something in them has no vector form) */
  stats: { simdLoops: number; scalarMapLoops: number; f32x4Loops: number };
  /** with threads: the loops split, and per worker the chunks it has run so far and why it stopped, if it did */
  threads?: { loops: number; workers: number; claimed(): number[]; errors: string[] };
}

export const wasmBackend: Backend = {
  name: 'wasm',
  capabilities: { float64: true, scatter: true, sequentialRng: true, async: false },
  autoRank: 5,
  available: () => wasmSimdAvailable(),
  compile(req: CompileRequest): Executable {
    const plan = req.plan();
    checkKernels(plan, 'wasm', KERNEL_NAMES, wasmBackend.capabilities);
    const o = req.options?.wasm ?? {};
    const relaxed = !!o.relaxed;
    if (relaxed && req.precision !== 'float32') throw new BackendUnsupported('wasm', 'relaxed (f32x4) mode computes in float32; this network is float64');
    const threads = o.threads ?? 1, minTrip = o.threadMinTrip ?? THREAD_MIN_TRIP;
    if (!Number.isInteger(threads) || threads < 1 || threads > 64) throw new BrainweaveError(`RunOptions.wasm.threads must be an integer from 1 to 64, got ${String(threads)}`);
    if (!Number.isInteger(minTrip) || minTrip < 1) throw new BrainweaveError(`RunOptions.wasm.threadMinTrip must be a positive integer, got ${String(minTrip)}`);
    return emitWasm(req, req.fuse ? cpuPlan(plan, { ints: true, inputs32: relaxed }) : plan, { simd: true, relaxed, threads, threadMinTrip: minTrip });
  },
};

let simdOk: boolean | null = null;
/** WebAssembly with fixed-width SIMD (a module using v128 validates). */
export function wasmSimdAvailable(): boolean {
  if (simdOk === null) {
    try {
      const m = new ModuleBuilder();
      m.func({ results: ['i32'] }, (c) => { c.i32x4_const(1).lane('i32x4.extract_lane', 0); });
      simdOk = typeof WebAssembly === 'object' && WebAssembly.validate(m.toBytes());
    } catch { simdOk = false; }
  }
  return simdOk;
}

/** Stops the workers of executables collected without dispose(). */
const STOPPERS = new FinalizationRegistry<() => void>((stop) => stop());

/** The network's memory, keyed by its object list (one per network; replaced when an executable does not fit). */
const MEMORIES = new WeakMap<object, NetMemory>();

/** Spike events held wasm-side per monitor before the JS side drains them (at least 4 steps' worth). */
const SPIKE_CAP = 1 << 16;
/** Bytes of wasm-side buffer per value monitor and per sampled input. */
const BUF_BYTES = 1 << 20;

type Fake = ArrayBinding;
const fake = (id: string, dtype: BindingDType, length: number): Fake =>
  ({ id, path: id, array: { length } as ArrayLike<number>, writable: true, isFloat: dtype === 'f32' || dtype === 'f64', dtype, role: 'scratch' });
const ES: Record<BindingDType, number> = { f32: 4, f64: 8, i32: 4, u32: 4, u8: 1, i8: 1, i16: 2, u16: 2 };

export function emitWasm(req: CompileRequest, plan: StepPlan, opts: WasmOptions): Executable {
  // ---- which Variable each state binding is
  const vars = variablesOf(req.objects);
  const varOf = new Map(vars.map((v) => [v.value as ArrayLike<number>, v]));
  for (const b of plan.bindings) {
    if (b.role === 'state' && !varOf.has(b.array)) throw new BackendUnsupported('wasm', `${b.path}: state array that is not a Variable of the network`);
    if (b.role !== 'state' && !ArrayBuffer.isView(b.array)) throw new BackendUnsupported('wasm', `${b.path}: not a typed array`);
  }

  // ---- this executable's buffers: sizes first, to pick (or replace) the network's memory
  const mons = plan.monitors.map((p) => ({
    p, spike: p.kind === 'spike',
    cap: p.kind === 'spike' ? Math.max(SPIKE_CAP, 4 * p.width) : Math.max(1, Math.floor(BUF_BYTES / (8 * p.width))),
  }));
  const rowsCap = (n: number) => Math.max(1, Math.floor(BUF_BYTES / (8 * n)));
  let exeBytes = 64 + 32 * (mons.length + plan.inputs.length);
  for (const m of mons) exeBytes += m.spike ? 2 * align16(4 * m.cap) : align16(8 * m.cap * m.p.width) + align16(4 * m.p.width);
  plan.inputs.forEach((p) => { const n = p.array.length; exeBytes += p.kind === 'array' ? align16(8 * n) : p.kind === 'func' ? align16(8 * rowsCap(n) * n) : 16; });
  for (const b of plan.bindings) if (b.role === 'data' || b.role === 'scratch') exeBytes += align16((b.array as unknown as ArrayBufferView).byteLength);
  const connOf = plan.bindings.filter((b) => b.role === 'connectivity');
  let nm = MEMORIES.get(req.objects);
  if (!nm && req.arena) { nm = NetMemory.adopt(req.arena); MEMORIES.set(req.objects, nm); }
  const connNew = (m: NetMemory | undefined) => connOf.reduce((s, b) => s + (m && (m.copies.has(b.array) || m.holds(b.array)) ? 0 : align16((b.array as unknown as ArrayBufferView).byteLength)), 0);
  // state someone moved out of the memory since (Variable.replaceStorage) is mirrored: copied in and out per call
  const foreign = (m: NetMemory) => vars.filter((v) => !m.holds(v.value)).reduce((s, v) => s + align16(v.value.byteLength), 0);
  if (nm && nm.arena.growable && nm.free < exeBytes + connNew(nm) + foreign(nm)) {
    throw new BackendUnsupported('wasm', `the network's arena has ${(nm.free / 2 ** 20).toFixed(0)} MiB left of the 4 GiB a wasm memory can address; this executable needs more`);
  }
  if (!nm || nm.free < exeBytes + connNew(nm) + foreign(nm)) {
    const old = nm;
    const move = old ? vars.filter((v) => old.holds(v.value)) : vars; // the first memory takes every Variable
    const stateBytes = 16 + vars.reduce((s, v) => s + align16(v.value.byteLength), 0);
    // connectivity is copied once per network (later plans share the copies); headroom for other probe sets' buffers
    const bytes = stateBytes + connNew(undefined) + 4 * exeBytes + (4 << 20);
    try {
      nm = NetMemory.fixed(bytes, move);
    } catch (e) {
      // over 4 GiB, or the engine refuses the allocation: let 'auto' take the next backend
      if (e instanceof RangeError) throw new BackendUnsupported('wasm', `no wasm memory of ${(bytes / 2 ** 20).toFixed(0)} MiB for this network (${e.message})`);
      throw e;
    }
    MEMORIES.set(req.objects, nm);
  }
  const mem = nm;

  // ---- addresses
  const addr = new Map<ArrayBinding, number>();
  const dataCopies: { at: number; a: ArrayBufferView }[] = [];
  const mirrors: { at: number; a: ArrayBufferView }[] = [];
  for (const b of plan.bindings) {
    const a = b.array as unknown as ArrayBufferView;
    if (b.role === 'state') {
      const v = varOf.get(b.array)!;
      if (mem.holds(v.value)) addr.set(b, (v.value as ArrayBufferView).byteOffset);
      else { const at = mem.alloc(a.byteLength); addr.set(b, at); mirrors.push({ at, a }); }
    }
    else if (b.role === 'connectivity') addr.set(b, mem.copy(b.array as ArrayLike<number> & ArrayBufferView));
    else if (b.role === 'input') continue; // an input's buffer, below
    else if (mem.holds(b.array)) addr.set(b, a.byteOffset);
    else {
      const at = mem.alloc(a.byteLength);
      addr.set(b, at);
      // read-only data is read live by the js backend: copied again at each call
      if (b.role === 'data') dataCopies.push({ at, a });
    }
  }
  const mk = (id: string, d: BindingDType, n: number) => { const b = fake(id, d, n); addr.set(b, mem.alloc(n * ES[d])); return b; };
  const slotArr = mk('slots$', 'i32', 4);
  const scratch16 = mk('anchor$', 'u8', 16);
  const slotBase = addr.get(slotArr)!;
  const slots = { sOut: slotBase, a: slotBase + 4, b: slotBase + 8 };
  const monN = mk('monN$', 'i32', Math.max(1, mons.length)), monLim = mk('monLim$', 'i32', Math.max(1, mons.length));
  const monBufs = mons.map((m, k) => m.spike
    ? { steps: mk(`monS${k}$`, 'i32', m.cap), idx: mk(`monI${k}$`, 'i32', m.cap) }
    : { data: mk(`monD${k}$`, 'f64', m.cap * m.p.width), sel: m.p.indices ? mk(`monX${k}$`, 'i32', m.p.width) : null });
  type SpikeBuf = { steps: Fake; idx: Fake };
  // a fused input's buffer has its loop binding's element type (float32 in relaxed mode: compiler/input-loops.ts)
  const inDtype = (k: number): BindingDType => plan.inputBuffers?.find((b) => b.slot === k)?.binding.dtype ?? 'f64';
  const inBufs = plan.inputs.map((p, k) => {
    const n = p.array.length;
    if (p.kind === 'const') return { v: mk(`inC${k}$`, inDtype(k), 1) };
    if (p.kind === 'array') return { v: mk(`inA${k}$`, inDtype(k), n) };
    return { v: mk(`inS${k}$`, 'f64', rowsCap(n) * n), w: mk(`inW${k}$`, 'i32', 1), rows: rowsCap(n) };
  });
  // threads: a control block per worker, and per worker a copy of every spike list a split loop may fill
  const T = opts.threads ?? 1;
  const threadHost = T > 1 ? wasmThreadHost() : null;
  let threadCfg: ThreadsConfig | null = null;
  if (T > 1) {
    if (!threadHost) throw new BrainweaveError(`RunOptions.wasm.threads = ${T}: no worker host; in Node, import 'brainweave/node' (it starts workers with worker_threads); browsers: not available yet`);
    if (!mem.limits.shared) throw new BrainweaveError(`RunOptions.wasm.threads = ${T}: threads share the network's memory, and this network has none to share (built with NetworkOptions.arena false, or this engine has no shared WebAssembly.Memory)`);
    const ctrl = Array.from({ length: T - 1 }, () => mem.alloc(CTRL_BYTES));
    const lists = new Map<ArrayBinding, number[]>();
    walkX(plan.step, (x) => { if (x.k === 'spikeList' && !lists.has(x.list.arr)) lists.set(x.list.arr, ctrl.map(() => mem.alloc(4 * x.list.arr.array.length))); });
    threadCfg = { threads: T, ctrl, minTrip: opts.threadMinTrip ?? THREAD_MIN_TRIP, scratch: (list, w) => lists.get(list)![w] };
  }
  // views made after the last allocation (a growable arena's buffer grows with it)
  const I32 = new Int32Array(mem.arena.buffer), F64 = new Float64Array(mem.arena.buffer), F32 = new Float32Array(mem.arena.buffer), U8 = new Uint8Array(mem.arena.buffer);
  monBufs.forEach((b, k) => { if ('sel' in b && b.sel) I32.set(mons[k].p.indices!, addr.get(b.sel)! / 4); });
  // inputs turned into element loops (compiler/input-loops.ts) read their slot's buffer, filled at each call
  for (const b of plan.inputBuffers ?? []) addr.set(b.binding, addr.get(inBufs[b.slot].v)!);

  // ---- plan statements → statements the code generator knows
  const append = (m: number, i: Expr): XStmt[] => {
    const b = monBufs[m] as { steps: Fake; idx: Fake };
    const n = at(monN, num(m));
    return [set(b.steps, n, '=', loc('s$')), set(b.idx, n, '=', i), set(monN, num(m), '+=', num(1))];
  };
  let uid = 0;
  const fresh = () => `$k${uid++}`;
  const every = (e: number, s: Expr): Expr => bin('===', bin('%', s, num(e)), num(0));
  const lower = (s: Stmt): XStmt[] => {
    switch (s.k) {
      case 'input': {
        const n = s.target.array.length, buf = inBufs[s.slot], i = fresh();
        const apply = (v: Expr) => set(s.target, loc(i), s.op === '=' ? '=' : s.op + '=', v);
        if (s.source === 'const') return [range(i, num(0), num(n), [apply(at(buf.v, num(0)))])];
        if (s.source === 'array') return [range(i, num(0), num(n), [apply(at(buf.v, loc(i)))])];
        const row = bin('-', loc('s$'), loc('sRow0$')), v = fresh();
        return [when(bin('===', at(buf.w!, num(0)), num(1)),
          [konst(v, at(buf.v, row)), range(i, num(0), num(n), [apply(loc(v))])],
          [range(i, num(0), num(n), [apply(at(buf.v, bin('+', bin('*', row, num(n)), loc(i))))])])];
      }
      case 'record': { const i = fresh(); return scan(s.arr, s.list, i, fresh, append(s.mon, loc(i))); }
      case 'recordValue': {
        const b = monBufs[s.mon] as { data: Fake; sel: Fake | null }, j = fresh();
        const body: XStmt[] = [
          range(j, num(0), num(s.width), [set(b.data, bin('+', bin('*', at(monN, num(s.mon)), num(s.width)), loc(j)), '=', at(s.arr, s.indexed ? at(b.sel!, loc(j)) : loc(j)))]),
          set(monN, num(s.mon), '+=', num(1)),
        ];
        return s.every === 1 ? body : [when(every(s.every, loc('s$')), body)];
      }
      case 'check': {
        const body: XStmt[] = s.arrays.map((a) => {
          const c = plan.checked.indexOf(a), i = fresh(), x = fresh();
          const scan = range(i, num(0), num(a.array.length), [konst(x, at(a, loc(i))),
            when(nonzero(bin('-', loc(x), loc(x))), [{ k: 'x:exit', code: 2, a: c, b: loc(i) }])]);
          // the scalar scan (which names the first bad element) only after a vector pass found one
          return a.dtype === 'f32' || a.dtype === 'f64' ? { k: 'x:ifNonFinite', arr: a, then: [scan] } : scan;
        });
        return [when(every(s.every, bin('+', loc('s$'), num(1))), [...(s.flush ?? []), ...body])];
      }
      // a rotated step (compiler/rotate.ts) holds these statements inside its branches
      case 'if': return [{ ...s, then: s.then.flatMap(lower), else: s.else && s.else.flatMap(lower) } as XStmt];
      case 'block': return [{ ...s, body: s.body.flatMap(lower) } as XStmt];
      default: return [s];
    }
  };
  const step: XStmt[] = plan.step.flatMap(lower);
  // a rotated step (compiler/rotate.ts) owes its tail before run() returns
  const flush: XStmt[] = plan.rotation?.flush ?? [];
  // before each step: stop while a monitor buffer could not take this step's records
  const guard: XStmt[] = mons.map((m, k) => {
    const full = when(bin('>', bin('+', at(monN, num(k)), num(m.spike ? m.p.width : 1)), at(monLim, num(k))), [...flush, { k: 'x:exit', code: 1, a: k, b: null }]);
    return m.spike || m.p.every === 1 ? full : when(every(m.p.every, loc('s$')), [full]);
  });

  // ---- module: imports first (Math and % as the JS functions: identical results), then functions
  const fns: FunctionIR[] = [...plan.helpers, ...plan.opaque];
  const mb = new ModuleBuilder();
  mb.importMemory('env', 'mem', mem.limits);
  const imports: Record<string, Record<string, unknown>> = { env: { mem: mem.mem }, m: {}, r: {} };
  const mathIdx = new Map<string, number>(), rngIdx = new Map<string, number>();
  const rng = req.rng as RNG & Record<string, (...a: number[]) => number>;
  const importFn = (mod: 'm' | 'r', name: string, arity: number, fn: unknown, into: Map<string, number>) => {
    const key = `${name}/${arity}`;
    if (!into.has(key)) { into.set(key, mb.importFunc(mod, key, Array(arity).fill('f64'), ['f64'])); imports[mod][key] = fn; }
  };
  const M = Math as unknown as Record<string, (...a: number[]) => number>;
  const scanImports = (ss: XStmt[]) => forEachExpr(ss, (e) => {
    if (e.k === 'math') {
      if (typeof M[e.fn] !== 'function') throw new BackendUnsupported('wasm', `Math.${e.fn} is not a function`);
      importFn('m', e.fn, e.args.length, M[e.fn], mathIdx);
    }
    if (e.k === 'rng') {
      if (typeof rng[e.fn] !== 'function') throw new BackendUnsupported('wasm', `rng.${e.fn} is not a method of the random stream`);
      const fn = e.fn;
      importFn('r', fn, e.args.length, (...a: number[]) => rng[fn](...a), rngIdx);
    }
  });
  scanImports(step);
  scanImports(plan.prelude ?? []);
  scanImports(flush);
  fns.forEach((f) => scanImports(f.body));
  importFn('m', '%', 2, (a: number, b: number) => a % b, mathIdx);
  importFn('m', 'pow', 2, Math.pow, mathIdx);

  const sigs = new Map<string, FuncSig>();
  const base = mb.nextFuncIndex();
  fns.forEach((f, i) => sigs.set(f.id, { index: base + i, params: f.params, defaults: f.defaults, nres: 0, name: `${f.owner}.${f.method}` }));
  resultCounts(fns, sigs);

  // helpers compiled at their call sites (FnGen.inlineCall): the model methods and integrator steps a neuron
  // loop calls per element; a big one stays a function (its code would be copied to every call)
  const inlinable = new Map<string, InlineHelper>();
  for (const f of plan.helpers) {
    let size = 0;
    forEachExpr(f.body, () => { size++; });
    if (size <= INLINE_MAX_NODES) inlinable.set(f.id, { params: f.params, body: f.body, where: `${f.cls} '${f.owner}', method ${f.method}()` });
  }
  const simd = opts.simd;
  const stats = { simdLoops: 0, scalarMapLoops: 0, f32x4Loops: 0 };
  const env: ModuleEnv = {
    addr: (b) => { const a = addr.get(b); if (a === undefined) throw new BackendUnsupported('wasm', `internal: ${b.path} has no address`); return a; },
    mathImport: (fn, n) => mathIdx.get(`${fn}/${n}`)!,
    rngImport: (fn, n) => rngIdx.get(`${fn}/${n}`)!,
    fmod: mathIdx.get('%/2')!, pow: mathIdx.get('pow/2')!,
    funcs: sigs, slots, scratch16: addr.get(scratch16),
    kernel: (s, fr) => kernelStmts(s, fr, append),
    inline: (fn) => inlinable.get(fn) ?? null,
    simd: simd ? (s, g) => { const lanes = simdLoop(s, g, opts); stats[lanes ? 'simdLoops' : 'scalarMapLoops']++; if (lanes === 4) stats.f32x4Loops++; return lanes > 0; } : undefined,
  };
  // a split loop's copies: the main thread's (counted in stats) and each worker's (its own spike list)
  const threads = threadCfg && new WasmThreads(mb, threadCfg, (w, list) => ({
    ...env, parallel: undefined,
    addr: w === null || !list ? env.addr : (b) => (b === list ? threadCfg!.scratch(list, w) : env.addr(b)),
    simd: w === null ? env.simd : simd ? (s, g) => simdLoop(s, g, opts) > 0 : undefined,
  }));
  if (threads) env.parallel = (s, g) => threads.split(s, g);
  for (const f of fns) {
    const sig = sigs.get(f.id)!;
    mb.func({ params: f.params.map(() => 'f64'), results: Array(sig.nres).fill('f64') }, (c, fb) => {
      const g = new FnGen(env, fb, sig.nres);
      g.where = `${f.cls} '${f.owner}', method ${f.method}()`;
      f.params.forEach((p, i) => g.declare(p, { kind: 'f', idx: i }));
      g.stmts(f.body);
      for (let i = 0; i < sig.nres; i++) c.f64_const(NaN); // falling off the end returns undefined
    });
  }
  // run(s0, s1, sRow0, tBase, k0, dt) → 0 done | 1 a monitor buffer is full | 2 a non-finite value
  mb.func({ params: ['i32', 'i32', 'i32', 'f64', 'f64', 'f64'], results: ['i32'], export: 'run' }, (c, fb) => {
    const g = new FnGen(env, fb, null);
    g.where = 'the step';
    g.declare('sRow0$', { kind: 'i', idx: 2 });
    g.declare('dt$', { kind: 'f', idx: 5 });
    const s = g.local('i', 's$'), t = g.local('f', 't$');
    g.stmts(plan.prelude ?? []);
    c.local_get(0).local_set(s.idx);
    c.block().loop();
    c.local_get(s.idx).local_get(1).op('i32.ge_s').br_if(1);
    // t = tBase + (k0 + s)·dt, as the runtime computes step times
    c.local_get(3).local_get(4).local_get(s.idx).op('f64.convert_i32_s').op('f64.add').local_get(5).op('f64.mul').op('f64.add').local_set(t.idx);
    g.stmts(guard);
    g.stmts(step);
    c.local_get(s.idx).i32_const(1).op('i32.add').local_set(s.idx).br(0);
    c.end().end();
    g.stmts(flush);
    c.i32_const(0).local_get(1).mem('i32.store', slots.sOut);
    c.i32_const(0);
  });
  threads?.serve();
  const bytes = mb.toBytes();
  let inst: WebAssembly.Instance, module: WebAssembly.Module;
  try {
    module = compileWasmModule(bytes);
    inst = new WebAssembly.Instance(module, imports as WebAssembly.Imports);
  } catch (e) {
    throw new Error(`internal error: the wasm backend built an invalid module (${(e as Error).message}); please report it`);
  }
  // workers start in the background; until one serves, the main thread takes its chunks back and runs them
  const threadErrors: string[] = [];
  const control = threadCfg && new ThreadControl(mem.mem, threadCfg.ctrl);
  const workers = control ? control.ctrl.map((ctrl, w) => threadHost!.start({ module, memory: mem.mem, ctrl }, (e) => {
    threadErrors[w] = e.message;
    control.failed(w);
  })) : [];
  // the first run waits (without blocking) until every worker serves or has failed, at most WORKER_START_MS:
  // a run with threads then runs with them from its first step
  let started = !control;
  const workersStarted = async () => { await control!.started(WORKER_START_MS); started = true; };
  const wrun = inst.exports.run as (s0: number, s1: number, sRow0: number, tBase: number, k0: number, dt: number) => number;

  const run = (s0: number, n: number, tBase: number, k0: number, dt: number, io: RunIO, S: Float64Array): void | Promise<void> => {
    if (!started) return workersStarted().then(() => run(s0, n, tBase, k0, dt, io, S));
    if (s0 + n > 2 ** 31 - 1) throw new BrainweaveError(`wasm backend: a run of more than 2^31 steps; use the js backend or run in pieces`);
    for (const d of dataCopies) U8.set(new Uint8Array(d.a.buffer, d.a.byteOffset, d.a.byteLength), d.at);
    for (const d of mirrors) U8.set(new Uint8Array(d.a.buffer, d.a.byteOffset, d.a.byteLength), d.at);
    try { runIn(s0, n, tBase, k0, dt, io, S); } finally {
      for (const d of mirrors) new Uint8Array(d.a.buffer, d.a.byteOffset, d.a.byteLength).set(U8.subarray(d.at, d.at + d.a.byteLength));
    }
  };
  // the array each input buffer holds: a run hands the same array to every chunk. Converting the 1M LIF
  // step's drive again at each of a run's 10 chunks took 0.15 of its 0.53 ms per step, all of it on the main
  // thread, which was why two threads gained so little there (bench/RESULTS.md, eleventh session)
  const copied: unknown[] = plan.inputs.map(() => null);
  const runIn = (s0: number, n: number, tBase: number, k0: number, dt: number, io: RunIO, S: Float64Array): void => {
    plan.inputs.forEach((p, k) => {
      if (p.kind === 'func') return;
      const v = io.inputs[k], b = inBufs[k].v, to = b.dtype === 'f32' ? F32 : F64, at0 = addr.get(b)! / to.BYTES_PER_ELEMENT;
      if (p.kind === 'const') to[at0] = v as number;
      else if (copied[k] !== v) { to.set(v as Float64Array, at0); copied[k] = v; }
    });
    const sampled = plan.inputs.map((p, k) => (p.kind === 'func' ? k : -1)).filter((k) => k >= 0);
    const mon = io.monitors;
    let s = s0;
    const end = s0 + n;
    while (s < end) {
      let e = end;
      for (const k of sampled) e = Math.min(e, s + inBufs[k].rows!);
      for (const k of sampled) {
        const { buf, width } = io.inputs[k] as { buf: Float64Array; width: number };
        I32[addr.get(inBufs[k].w!)! / 4] = width;
        F64.set(buf.subarray((s - s0) * width, (e - s0) * width), addr.get(inBufs[k].v)! / 8);
      }
      const nAt = addr.get(monN)! / 4, limAt = addr.get(monLim)! / 4;
      mons.forEach((m, k) => {
        I32[nAt + k] = 0;
        I32[limAt + k] = m.spike ? Math.min(m.cap, mon.steps[k]!.length - mon.n[k]) : m.cap;
      });
      const st = wrun(s, e, s, tBase, k0, dt);
      // drain what this call recorded
      mons.forEach((m, k) => {
        const got = I32[nAt + k];
        if (!got) return;
        const b = monBufs[k];
        if ('steps' in b) {
          const sb = b as SpikeBuf;
          const s0 = addr.get(sb.steps)! / 4, i0 = addr.get(sb.idx)! / 4;
          mon.steps[k]!.set(I32.subarray(s0, s0 + got), mon.n[k]);
          mon.idx[k]!.set(I32.subarray(i0, i0 + got), mon.n[k]);
        } else {
          const w = m.p.width, d0 = addr.get((b as { data: Fake }).data)! / 8;
          (mon.data[k] as unknown as { set(a: ArrayLike<number>, o: number): void }).set(F64.subarray(d0, d0 + got * w), mon.n[k] * w);
        }
        mon.n[k] += got;
      });
      const reached = I32[slots.sOut / 4];
      if (st === 0) { s = e; continue; }
      if (st === 2) { S[0] = reached; S[1] = STATUS.NONFINITE; S[2] = I32[slots.a / 4]; S[3] = I32[slots.b / 4]; return; }
      const k = I32[slots.a / 4];
      if (mons[k].spike && mon.steps[k]!.length - mon.n[k] < mons[k].p.width) { S[0] = reached; S[1] = STATUS.GROW; S[2] = k; return; }
      s = reached;
    }
    S[0] = end; S[1] = STATUS.DONE;
  };
  const exe: WasmExecutable = { run, checked: plan.checked.map((b) => b.path), wasmBytes: bytes, memoryBytes: mem.used, memoryCapacity: mem.capacity, stats };
  if (control) {
    exe.threads = { loops: threads!.loops, workers: workers.length, errors: threadErrors, claimed: () => control.claimed() };
    const stop = () => { control.stop(); workers.forEach((w) => w.stop()); };
    exe.dispose = () => { STOPPERS.unregister(exe); stop(); };
    // an executable dropped without dispose() (its network collected) stops its workers too
    STOPPERS.register(exe, stop, exe);
  }
  return exe;
}

/** How many f64 values each function returns: a tuple's length, 1 for a number, 0 for none (fixpoint over calls). */
function resultCounts(fns: FunctionIR[], sigs: Map<string, FuncSig>): void {
  for (let round = 0; round < fns.length + 1; round++) {
    let changed = false;
    for (const f of fns) {
      let n = 0;
      walkX(f.body, (s) => {
        if (s.k !== 'return' || !s.value) return;
        const v = s.value;
        const k = v.k === 'tuple' ? v.items.length : v.k === 'call' && (sigs.get(v.fn)?.nres ?? 0) > 1 ? sigs.get(v.fn)!.nres : 1;
        n = Math.max(n, k);
      });
      const sig = sigs.get(f.id)!;
      if (sig.nres !== n) { sig.nres = n; changed = true; }
    }
    if (!changed) return;
  }
}
