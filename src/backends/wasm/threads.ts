import { ArrayBinding, Expr, Stmt } from '../../compiler/ir';
import { outlineLoop } from '../../compiler/outline';
import { walkStmts } from '../../compiler/walk';
import { countedLoop } from '../../compiler/element-access';
import { Code, ModuleBuilder, ValType } from './binary';
import { FnGen, Local, ModuleEnv } from './codegen';

/**
 * Opt-in threads for the wasm backend (RunOptions.wasm.threads): element-wise (`map`) loops split across
 * worker threads that share the network's memory (the arena is a shared WebAssembly.Memory).
 *
 * Each such loop becomes a function of its own over an index range [lo, hi) (the locals it reads from the
 * step as parameters, compiler/outline.ts), SIMD as before. At the loop, run() posts chunk k of the range to
 * worker k through a control block in the memory, runs chunk 0 itself, then joins the workers in order: a
 * chunk no worker has claimed yet is taken back (compare-exchange) and run on the main thread, so a worker that
 * is slow to start or descheduled by a busy neighbour costs a little time, never a deadlock, and the answer
 * does not depend on who ran what. Every element runs the same code whichever thread runs it, chunks start at
 * multiples of 16 (the SIMD lanes and the scalar remainder fall on the same elements), and a worker's spike
 * indices go to a list of its own that the main thread appends after its own chunk's: spike lists come out in
 * index order, so results are bit-identical to one thread. Everything else (delivery, monitors, random draws)
 * stays on the main thread.
 *
 * Why opt-in: on this project's 2-vCPU machines a second thread helps only when the neighbour is idle
 * (bench/RESULTS.md, "A second thread"); the main thread spins while it waits for a worker.
 */

/** Starts workers (Node: src/node/wasm-threads.ts with worker_threads; none registered in a browser yet). */
export interface WasmThreadHost {
  /** Starts a worker running WORKER_MAIN with `data`; `onError` gets what made it stop, if anything. */
  start(data: WorkerData, onError: (e: Error) => void): { stop(): void };
}
/** What a worker needs: the compiled module, the shared memory, and its control block's address. */
export interface WorkerData { module: WebAssembly.Module; memory: WebAssembly.Memory; ctrl: number }

let host: WasmThreadHost | null = null;
/** Registers how workers are started (brainweave/node does, for Node's worker_threads). */
export function setWasmThreadHost(h: WasmThreadHost | null): void { host = h; }
export function wasmThreadHost(): WasmThreadHost | null { return host; }

/**
 * The worker's program (plain JavaScript, given `data`: WorkerData): instantiate the module on the shared
 * memory with the same Math functions the main thread imports (so every result is the same), then serve
 * chunks until told to stop. Random draws never run on a worker (map loops have none).
 */
export const WORKER_MAIN = `
const imports = { env: { mem: data.memory }, m: {}, r: {} };
for (const i of WebAssembly.Module.imports(data.module)) {
  if (i.kind !== 'function') continue;
  const name = i.name.split('/')[0];
  imports[i.module][i.name] = i.module === 'm' ? (name === '%' ? (a, b) => a % b : Math[name])
    : () => { throw new Error('brainweave wasm worker: a random draw reached a worker thread'); };
}
new WebAssembly.Instance(data.module, imports).exports.serve(data.ctrl);
`;

/** A control block per worker, in the shared memory (byte offsets; i32 fields, then 8-byte argument slots). */
const STATE = 0, TASK = 4, LO = 8, HI = 12, SLEEPING = 16, CLAIMED = 20, COUNT = 24, READY = 28, ARGS = 32;
const MAX_ARGS = 32;
export const CTRL_BYTES = ARGS + 8 * MAX_ARGS;
/** STATE: no task; a task posted; a worker runs it; it is done (the main thread resets it to IDLE). */
const IDLE = 0, POSTED = 1, CLAIMED_BY_WORKER = 2, DONE = 3;
/** TASK of the stop request */
const STOP = -1;
/** polls of STATE before a worker sleeps (memory.atomic.wait32) until the main thread notifies it */
const SPINS = 200_000;
/** chunk boundaries at multiples of this many elements: whole f32x4 and f64x2 vectors */
const ALIGN = 16;

/** READY: 0 starting, 1 serving, −1 failed (set by the host's error callback) */
const READY_SERVING = 1, READY_FAILED = -1;

/** The JavaScript side of the control blocks at byte addresses `ctrl` of a shared memory. */
export class ThreadControl {
  constructor(private readonly memory: WebAssembly.Memory, readonly ctrl: number[]) {}
  private view(): Int32Array { return new Int32Array(this.memory.buffer); }
  /** chunks each worker has run so far */
  claimed(): number[] { const v = this.view(); return this.ctrl.map((c) => Atomics.load(v, (c + CLAIMED) / 4)); }
  /** worker w will not serve: the first run stops waiting for it */
  failed(w: number): void {
    const v = this.view(), at = (this.ctrl[w] + READY) / 4;
    Atomics.store(v, at, READY_FAILED);
    Atomics.notify(v, at);
  }
  /** Resolves when every worker serves or has failed, or after ms. */
  async started(ms: number): Promise<void> {
    const v = this.view();
    await Promise.all(this.ctrl.map((c) => waitAsync(v, (c + READY) / 4, 0, ms)));
  }
  /** Asks every worker to leave serve() (a sleeping one is woken). */
  stop(): void {
    const v = this.view();
    for (const c of this.ctrl) {
      Atomics.store(v, (c + TASK) / 4, STOP);
      Atomics.store(v, (c + STATE) / 4, POSTED);
      Atomics.notify(v, (c + STATE) / 4);
    }
  }
}

type WaitAsync = (a: Int32Array, i: number, v: number, ms: number) => { async: boolean; value: Promise<string> | string };
/** Resolves when a[i] is no longer v, or after ms (Atomics.waitAsync; polling where the engine lacks it). */
async function waitAsync(a: Int32Array, i: number, v: number, ms: number): Promise<void> {
  const wa = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;
  if (wa) {
    // a pending waitAsync does not keep Node's event loop alive (and the workers are unref'd): a timer does
    const alive = setTimeout(() => undefined, ms);
    try { const r = wa(a, i, v, ms); if (r.async) await r.value; } finally { clearTimeout(alive); }
    return;
  }
  for (const end = Date.now() + ms; Atomics.load(a, i) === v && Date.now() < end;) await new Promise((r) => setTimeout(r, 5));
}

type ForStmt = Extract<Stmt, { k: 'for' }>;
interface Task { id: number; fn: number; params: Local[]; counted: number; ctrl: number }

export interface ThreadsConfig {
  /** threads in all, the main thread included (≥ 2) */
  threads: number;
  /** byte address of each worker's control block */
  ctrl: number[];
  /** smallest trip count worth splitting */
  minTrip: number;
  /** address of worker w's own copy of a spike list */
  scratch(list: ArrayBinding, w: number): number;
}

/** The wasm side of the threads: the split loops (ModuleEnv.parallel) and the workers' serve(ctrl). */
export class WasmThreads {
  private readonly tasks: Task[] = [];
  /** loops split so far */
  loops = 0;

  constructor(private readonly mb: ModuleBuilder, private readonly cfg: ThreadsConfig,
    /** the module environment for the main thread's copy of a loop (w = null) or worker w's */
    private readonly envFor: (w: number | null, list: ArrayBinding | null) => ModuleEnv) {}

  /** Emits loop s into g split across the threads; false where it cannot be (then it is emitted as before). */
  split(s: ForStmt, g: FnGen): boolean {
    const n = tripCount(s);
    if (n === null || n < this.cfg.minTrip) return false;
    const o = outlineLoop(s, 'split');
    if (!o || o.params.length > MAX_ARGS) return false;
    let params: Local[];
    try {
      params = o.params.map((p) => { const b = g.lookup(p); if ('tuple' in b) throw new Error(p); return b; });
    } catch { return false; }
    // the one outer local a map loop may write is a spike list's count
    let list: ArrayBinding | null = null;
    walkStmts(s.body, (x) => { if (x.k === 'spikeList' && x.list.count === o.result) list = x.list.arr; });
    const counted = o.result ? o.params.indexOf(o.result) : -1;
    if (o.result && (!list || params[counted].kind !== 'i')) return false;

    const T = this.cfg.threads, chunk = Math.ceil(n / T / ALIGN) * ALIGN;
    const bound = (k: number) => Math.min(n, k * chunk);
    const sig = { params: ['i32', 'i32', ...params.map((p) => (p.kind === 'f' ? 'f64' : 'i32'))] as ValType[], results: (o.result ? ['i32'] : []) as ValType[] };
    const build = (w: number | null) => this.mb.func(sig, (c, fb) => {
      const fg = new FnGen(this.envFor(w, list), fb, null);
      fg.where = g.where;
      fg.declare('lo$', { kind: 'i', idx: 0 });
      fg.declare('hi$', { kind: 'i', idx: 1 });
      params.forEach((p, j) => fg.declare(o.params[j], { kind: p.kind, idx: 2 + j }));
      const init = s.init as Extract<Stmt, { k: 'let' }>, test = s.test as Extract<Expr, { k: 'bin' }>;
      fg.stmt({ ...s, init: { ...init, init: { k: 'local', name: 'lo$' } }, test: { ...test, b: { k: 'local', name: 'hi$' } } });
      if (o.result) c.local_get(2 + counted);
    });
    const main = build(null);
    const posted: Task[] = [];
    for (let w = 0; w < T - 1; w++) {
      if (bound(w + 1) >= bound(w + 2)) continue;
      const t: Task = { id: this.tasks.length, fn: build(w), params, counted, ctrl: this.cfg.ctrl[w] };
      this.tasks.push(t);
      posted.push(t);
    }
    this.loops++;

    const c = g.c;
    const callMain = (lo: number, hi: number) => {
      c.i32_const(lo).i32_const(hi);
      params.forEach((p) => c.local_get(p.idx));
      c.call(main);
      if (o.result) c.local_set(params[counted].idx);
    };
    // post chunk w + 1 to worker w
    posted.forEach((t, w) => {
      params.forEach((p, j) => { c.i32_const(0).local_get(p.idx).mem(p.kind === 'f' ? 'f64.store' : 'i32.store', t.ctrl + ARGS + 8 * j); });
      c.i32_const(0).i32_const(t.id).mem('i32.store', t.ctrl + TASK);
      c.i32_const(0).i32_const(bound(w + 1)).mem('i32.store', t.ctrl + LO);
      c.i32_const(0).i32_const(bound(w + 2)).mem('i32.store', t.ctrl + HI);
      c.i32_const(0).i32_const(POSTED).atomic('i32.atomic.store', t.ctrl + STATE);
      c.i32_const(0).atomic('i32.atomic.load', t.ctrl + SLEEPING).if_();
      c.i32_const(0).i32_const(1).atomic('memory.atomic.notify', t.ctrl + STATE).op('drop');
      c.end();
    });
    callMain(0, bound(1));
    // join in order, so spike indices are appended in index order
    posted.forEach((t, w) => {
      c.i32_const(0).i32_const(POSTED).i32_const(IDLE).atomic('i32.atomic.rmw.cmpxchg', t.ctrl + STATE).i32_const(POSTED).op('i32.eq').if_();
      callMain(bound(w + 1), bound(w + 2)); // nobody took it: run it here
      c.else_();
      c.block().loop();
      c.i32_const(0).atomic('i32.atomic.load', t.ctrl + STATE).i32_const(DONE).op('i32.ne').br_if(0);
      c.end().end();
      if (o.result) {
        const count = params[counted].idx, got = g.f.local('i32');
        c.i32_const(0).mem('i32.load', t.ctrl + COUNT).local_set(got);
        c.local_get(count).i32_const(2).op('i32.shl').i32_const(g.env.addr(list!)).op('i32.add')
          .i32_const(this.cfg.scratch(list!, w)).local_get(got).i32_const(2).op('i32.shl').memory_copy();
        c.local_get(count).local_get(got).op('i32.add').local_set(count);
      }
      c.i32_const(0).i32_const(IDLE).atomic('i32.atomic.store', t.ctrl + STATE);
      c.end();
    });
    return true;
  }

  /** serve(ctrl): a worker's loop: wait for a task in its control block, claim it, run it, report it done. */
  serve(): void {
    this.mb.func({ params: ['i32'], export: 'serve' }, (c, fb) => {
      const ctrl = 0, spins = fb.local('i32'), st = fb.local('i32'), task = fb.local('i32');
      c.local_get(ctrl).i32_const(READY_SERVING).atomic('i32.atomic.store', READY);
      c.local_get(ctrl).i32_const(1).atomic('memory.atomic.notify', READY).op('drop');
      c.loop(); // next task
      c.i32_const(0).local_set(spins);
      c.block().loop();
      c.local_get(ctrl).atomic('i32.atomic.load', STATE).local_tee(st).i32_const(POSTED).op('i32.eq').br_if(1);
      c.local_get(spins).i32_const(1).op('i32.add').local_tee(spins).i32_const(SPINS).op('i32.gt_u').if_();
      // sleep: say so first, then look once more (the main thread notifies only a worker that said so)
      c.local_get(ctrl).i32_const(1).atomic('i32.atomic.store', SLEEPING);
      c.local_get(ctrl).atomic('i32.atomic.load', STATE).local_tee(st).i32_const(POSTED).op('i32.ne').if_();
      c.local_get(ctrl).local_get(st).i64_const(-1).atomic('memory.atomic.wait32', STATE).op('drop');
      c.end();
      c.local_get(ctrl).i32_const(0).atomic('i32.atomic.store', SLEEPING);
      c.i32_const(0).local_set(spins);
      c.end();
      c.br(0);
      c.end().end();
      // claim it, unless the main thread took it back
      c.local_get(ctrl).i32_const(POSTED).i32_const(CLAIMED_BY_WORKER).atomic('i32.atomic.rmw.cmpxchg', STATE).i32_const(POSTED).op('i32.ne').br_if(0);
      c.local_get(ctrl).mem('i32.load', TASK).local_tee(task).i32_const(0).op('i32.lt_s').if_().return_().end();
      c.local_get(ctrl).local_get(ctrl).mem('i32.load', CLAIMED).i32_const(1).op('i32.add').mem('i32.store', CLAIMED);
      for (const t of this.tasks) dispatch(c, ctrl, task, t);
      c.local_get(ctrl).i32_const(DONE).atomic('i32.atomic.store', STATE);
      c.br(0);
      c.end();
    });
  }
}

/** if (task === t.id) run t's function on the posted range with the posted arguments */
function dispatch(c: Code, ctrl: number, task: number, t: Task): void {
  c.local_get(task).i32_const(t.id).op('i32.eq').if_();
  if (t.counted >= 0) c.local_get(ctrl); // where the count goes
  c.local_get(ctrl).mem('i32.load', LO).local_get(ctrl).mem('i32.load', HI);
  t.params.forEach((p, j) => {
    if (j === t.counted) c.i32_const(0); // a worker's list starts empty
    else c.local_get(ctrl).mem(p.kind === 'f' ? 'f64.load' : 'i32.load', ARGS + 8 * j);
  });
  c.call(t.fn);
  if (t.counted >= 0) c.mem('i32.store', COUNT);
  c.end();
}

/** n of `for (let v = 0; v < n; v++)` with n a constant, else null */
function tripCount(s: ForStmt): number | null {
  const c = countedLoop(s);
  return c && c.start.k === 'num' && c.start.v === 0 && c.end.k === 'num' && Number.isInteger(c.end.v) ? c.end.v : null;
}
