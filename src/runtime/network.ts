import '../ops'; // registers the library operators' specs before anything is lowered
import { BrainweaveError, SimulationError } from '../core/errors';
import { NetworkBase, NetworkOptions } from '../core/network';
import { DynamicalSystem } from '../core/dynsys';
import { InputSpec, MonitorSpec, planInputs, planMonitors } from '../compiler/probes';
import { buildPlan, planIsStale, StepPlan } from '../compiler/plan';
import { Backend, BackendOptions, CompileRequest, Executable, STATUS } from '../backends/backend';
import { getBackend, autoCandidates, BackendUnsupported } from '../backends';
import { collectMonitors, MonitorBuffers, MonitorData } from './monitor-buffers';
import { InputSampler } from './inputs';
import { ProgressFn, progressReporter } from './progress';
import { snapshotParams, changedParam } from './params';
import { Members, MonitorsOf, ValidMonitors, strictMonitors } from './typed-monitors';
import { encodeCheckpoint, decodeCheckpoint, getFileIO } from './checkpoint';

export interface RunOptions<S extends readonly MonitorSpec[] = MonitorSpec[]> {
  dt?: number;
  /** The network's seed; only on the first run of a network created without one (it cannot change later). */
  seed?: number;
  inputs?: InputSpec[];
  /** What to record: 'E.spike', 'E.V', { target: 'E.V', indices, every }; results are typed from this list. */
  monitors?: S;
  /** 'auto' (default: the fastest available), 'js', 'interp', or another registered backend. */
  backend?: string;
  /** false: the same as backend 'interp' (update() runs as written; for debugging). */
  jit?: boolean;
  /** Called with the fraction done and the network time; `true` prints progress lines (see setProgressPrinter). */
  progress?: boolean | ProgressFn;
  /** Check float Variables for NaN/Inf every this many steps (0: never). Default 100. */
  checkEvery?: number;
  /** Fuse loops and spike scans across objects (compiler/fuse.ts); results are identical either way. Default true. */
  fuse?: boolean;
  /** Stops the run at the next chunk boundary; the result then has `aborted: true` and what was recorded. */
  signal?: AbortSignal;
  /** Steps per chunk between progress events, abort checks and parameter checks (default: a tenth of the run). */
  chunk?: number;
  /**
   * wasm backend: `{ relaxed: true }` runs map loops in f32x4 single precision (float32 only; not bit-identical);
   * `{ threads: 2 }` splits element-wise loops across worker threads (opt-in, Node with brainweave/node).
   */
  wasm?: BackendOptions['wasm'];
  /** gpu backend: `{ mode }` picks the gpu.js mode (auto | webgpu | webgl2 | webgl | headlessgl | webasm | cpu). */
  gpu?: BackendOptions['gpu'];
  /** Bytes the run's monitors may hold (value monitors are allocated up front; spike buffers grow). Default 1 GiB. */
  monitorBudget?: number;
}

export interface RunResult<Mon = Record<string, MonitorData>> {
  /** start time of each step of this run, ms */
  ts: Float64Array;
  dt: number;
  /** steps run (fewer than asked if the run was aborted) */
  steps: number;
  /** By monitor key; reading a key that was not recorded throws (it never gives undefined). */
  monitors: Mon;
  timings: { build: number; compile: number; run: number };
  /** the backend that ran */
  backend: string;
  /** true if the run stopped early on its AbortSignal */
  aborted: boolean;
}

/** A run that failed: what was recorded up to the failing step travels on the error as `partial`. */
export interface PartialResult { partial?: RunResult }

/** Steps per run beyond which t = (k0 + s)·dt would no longer be exact in a double. */
const MAX_STEPS = 2 ** 52;
/** Compiled executables kept per network (least recently used are dropped). */
const CACHE_SIZE = 8;

/**
 * A network that runs. Time is an integer step count: step k of the current dt epoch starts at
 * t = tEpoch + k·dt, so `run(a) + run(b)` gives the same times (and so the same results) as `run(a + b)`.
 * Events: 'progress' (fraction, tNow), 'step' (t; only if someone listens), 'done' (result).
 */
export class Network<M extends Members = Members> extends NetworkBase {
  /** Network time (ms) and steps done, over all runs so far. */
  t = 0;
  stepsDone = 0;
  /** dt of the current epoch, the time it started and steps into it (a run with another dt starts a new one). */
  private epoch = { dt: NaN, t: 0, k: 0 };
  private cache = new Map<string, { exe: Executable; plan: StepPlan | null }>();
  private running = false;

  /** Members by name ({ E, I, EE, ... }; the names are how monitors and inputs address them), or an array. */
  constructor(members: M | DynamicalSystem[], opts: NetworkOptions = {}) { super(members, opts); }

  /** The generated JavaScript for the given probes (for inspection and docs). */
  generatedSource(opts: { inputs?: InputSpec[]; monitors?: MonitorSpec[]; checkEvery?: number; fuse?: boolean } = {}): string {
    this.build();
    const { inputs, monitors } = this.probes(opts);
    return (this.executable(getBackend('js'), inputs, monitors, opts.checkEvery ?? 100, opts.fuse ?? true).exe as { source: string }).source;
  }

  /** The step plan for the given probes (what every backend compiles). */
  stepPlan(opts: { inputs?: InputSpec[]; monitors?: MonitorSpec[]; checkEvery?: number; fuse?: boolean } = {}): StepPlan {
    this.build();
    const { inputs, monitors } = this.probes(opts);
    return buildPlan(this.objects, inputs, monitors, { checkEvery: opts.checkEvery ?? 100, fuse: opts.fuse ?? true });
  }

  /** The probes of a run resolved against this (built) network's Variables. */
  private probes(opts: { inputs?: InputSpec[]; monitors?: readonly MonitorSpec[] }) {
    const lookup = (p: string) => this.variable(p), known = () => this.variablePaths();
    return { inputs: planInputs(opts.inputs ?? [], lookup, known), monitors: planMonitors((opts.monitors ?? []) as MonitorSpec[], lookup, known) };
  }

  private executable(backend: Backend, inputs: ReturnType<typeof planInputs>, monitors: ReturnType<typeof planMonitors>, checkEvery: number, fuse: boolean, options: BackendOptions = {}) {
    // input values are run data, not code: only their targets, ops and kinds select the executable
    const key = JSON.stringify([backend.name, inputs.map((p) => [p.path, p.op, p.kind]), monitors.map((m) => [m.key, m.every, m.indices ? Array.from(m.indices) : null]), checkEvery, fuse, options]);
    let c = this.cache.get(key);
    // non-Variable attributes are compile-time constants: if one changed since (e.g. `E.I = 30` between
    // runs), or a Variable's array was replaced, the cached code is stale and is generated again
    if (c && c.plan && planIsStale(c.plan)) { c.exe.dispose?.(); c = undefined; }
    if (c) { this.cache.delete(key); this.cache.set(key, c); return c; }
    let plan: StepPlan | null = null;
    const req: CompileRequest = {
      objects: this.objects, inputs, monitors, checkEvery, fuse, precision: this.precision, rng: this.stream, arena: this.arena, options,
      plan: () => (plan ??= buildPlan(this.objects, inputs, monitors, { checkEvery, fuse })),
    };
    // compile() builds the plan (or not, for interp) before `plan` is read here
    c = { exe: backend.compile(req), plan };
    this.cache.set(key, c);
    while (this.cache.size > CACHE_SIZE) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.get(oldest)!.exe.dispose?.();
      this.cache.delete(oldest);
    }
    return c;
  }

  /**
   * Releases what compiled code holds beyond memory (the wasm backend's worker threads); the next run
   * compiles again. Networks that are simply dropped release it when collected.
   */
  dispose(): void {
    for (const c of this.cache.values()) c.exe.dispose?.();
    this.cache.clear();
  }

  /**
   * The complete state (every Variable, t and step count, the random stream) as checkpoint bytes (NPZ,
   * format in runtime/checkpoint.ts). Restoring them into an identically built network and continuing
   * gives exactly the run that never stopped.
   */
  checkpoint(): Uint8Array {
    if (this.running) throw new BrainweaveError('Network: cannot checkpoint during a run; await it first');
    this.build();
    return encodeCheckpoint(this, { t: this.t, stepsDone: this.stepsDone, epoch: { ...this.epoch } });
  }

  /** Restores checkpoint bytes; refuses bytes from a different network with what differs. */
  async restore(bytes: Uint8Array): Promise<void> {
    if (this.running) throw new BrainweaveError('Network: cannot restore during a run');
    this.build();
    const time = await decodeCheckpoint(this, bytes);
    this.t = time.t; this.stepsDone = time.stepsDone; this.epoch = { ...time.epoch };
  }

  /** Writes a checkpoint file (Node: import 'brainweave/node' first, which provides file access). */
  async save(path: string): Promise<void> { await getFileIO().write(path, this.checkpoint()); }

  /** Loads a checkpoint file written by save() from an identically built network. */
  async load(path: string): Promise<void> { await this.restore(await getFileIO().read(path)); }

  /** The named backend's executable; for 'auto' the first candidate that can run this network. */
  private pickExecutable(explicit: Backend | null, inputs: ReturnType<typeof planInputs>, monitors: ReturnType<typeof planMonitors>, checkEvery: number, fuse: boolean, options: BackendOptions) {
    if (explicit) return { exe: this.executable(explicit, inputs, monitors, checkEvery, fuse, options).exe, backend: explicit };
    let first: unknown = null;
    for (const b of autoCandidates()) {
      if (this.precision === 'float64' && !b.capabilities.float64) continue;
      try {
        return { exe: this.executable(b, inputs, monitors, checkEvery, fuse, options).exe, backend: b };
      } catch (e) {
        if (!(e instanceof BackendUnsupported)) throw e;
        first ??= e;
      }
    }
    throw first ?? new BrainweaveError('run: no backend can run this network here');
  }

  /** Number of compiled executables held (bounded). */
  get cachedExecutables(): number { return this.cache.size; }

  /** Runs for `duration` ms, continuing from where the last run ended. */
  async run<const S extends readonly MonitorSpec[] = []>(duration: number, opts: RunOptions<S> & { monitors?: ValidMonitors<M, S> } = {}): Promise<RunResult<MonitorsOf<M, S>>> {
    if (this.running) throw new BrainweaveError('Network: a run is already in progress; await it before starting another');
    this.running = true;
    try {
      return await this.runLocked(duration, opts as unknown as RunOptions) as RunResult<never>;
    } finally {
      this.running = false;
    }
  }

  private async runLocked(duration: number, opts: RunOptions): Promise<RunResult> {
    const dt = opts.dt ?? 0.1;
    if (!(typeof duration === 'number' && Number.isFinite(duration) && duration >= 0)) throw new BrainweaveError(`run: duration must be a non-negative number of ms, got ${duration}`);
    if (!(typeof dt === 'number' && Number.isFinite(dt) && dt > 0)) throw new BrainweaveError(`run: dt must be a positive number of ms, got ${dt}`);
    const checkEvery = opts.checkEvery ?? 100;
    if (!(Number.isInteger(checkEvery) && checkEvery >= 0)) throw new BrainweaveError(`run: checkEvery must be a non-negative integer, got ${checkEvery}`);
    const nSteps = Math.round(duration / dt);
    if (!(nSteps <= MAX_STEPS)) throw new BrainweaveError(`run: ${duration} ms at dt = ${dt} ms is ${nSteps.toExponential(3)} steps, more than 2^52; use a larger dt or a shorter run`);
    if (Math.abs(nSteps * dt - duration) > 1e-9 * Math.max(1, duration)) throw new BrainweaveError(`run: duration ${duration} is not a whole number of steps of dt = ${dt}`);
    if (opts.chunk !== undefined && !(Number.isInteger(opts.chunk) && opts.chunk >= 1)) throw new BrainweaveError(`run: chunk must be a positive integer, got ${opts.chunk}`);
    const backendName = opts.backend ?? (opts.jit === false ? 'interp' : 'auto');
    if (opts.jit === false && opts.backend !== undefined && opts.backend !== 'interp') throw new BrainweaveError(`run: jit: false means backend 'interp', but backend '${opts.backend}' was asked for`);
    const explicit = backendName === 'auto' ? null : getBackend(backendName);
    if (explicit && this.precision === 'float64' && !explicit.capabilities.float64) throw new BrainweaveError(`run: backend '${explicit.name}' computes in float32 only; this network is float64`);

    const wasBuilt = this.isBuilt;
    this.build(opts.seed);
    const build = wasBuilt ? 0 : this.buildTime;
    for (const { obj } of this.objects) obj.beforeRun(dt);
    const { inputs, monitors } = this.probes(opts);
    const budget = opts.monitorBudget ?? 2 ** 30;
    if (!(typeof budget === 'number' && budget > 0)) throw new BrainweaveError(`run: monitorBudget must be a positive number of bytes, got ${budget}`);
    const need = MonitorBuffers.bytesNeeded(monitors, nSteps);
    if (need > budget) {
      const worst = monitors.map((m) => [m.key, MonitorBuffers.bytesNeeded([m], nSteps)] as const).sort((a, b) => b[1] - a[1])[0];
      throw new BrainweaveError(`run: the monitors need ${fmtBytes(need)} for ${nSteps} steps (largest: '${worst[0]}', ${fmtBytes(worst[1])}), over monitorBudget = ${fmtBytes(budget)}; ` +
        `record fewer elements (indices), less often (every), run in shorter pieces, or raise monitorBudget`);
    }
    const bufs = new MonitorBuffers(monitors, nSteps, budget);

    const c0 = performance.now();
    const options: BackendOptions = {};
    if (opts.wasm) options.wasm = opts.wasm;
    if (opts.gpu) options.gpu = opts.gpu;
    const { exe, backend } = this.pickExecutable(explicit, inputs, monitors, checkEvery, opts.fuse ?? true, options);
    const compile = (performance.now() - c0) / 1000;

    // a new dt starts a new epoch at the current time; the same dt continues the old one
    if (this.epoch.dt !== dt) this.epoch = { dt, t: this.t, k: 0 };
    const { t: tBase, k: k0 } = this.epoch;
    const stepTime = (s: number) => tBase + (k0 + s) * dt;
    const tStart = stepTime(0);

    const report = progressReporter(opts.progress, this, nSteps, stepTime);
    const perStep = this.listenerCount('step') > 0;
    let chunk = perStep ? 1 : opts.chunk ?? Math.max(1, Math.ceil(nSteps / (opts.progress ? 50 : 10)));
    chunk = Math.min(chunk, InputSampler.maxChunk(inputs));
    const sampled = new InputSampler(inputs, Math.min(chunk, Math.max(1, nSteps)));
    const params = snapshotParams(this.objects);
    const S = new Float64Array(4);
    const r0 = performance.now();
    let s = 0, aborted = false;
    // closes the books at step `done`: time and step count move with the state, monitors keep what they have
    const finish = (done: number): RunResult => {
      this.stepsDone += done;
      this.epoch.k += done;
      this.t = stepTime(done);
      const ts = new Float64Array(done);
      for (let k = 0; k < done; k++) ts[k] = stepTime(k);
      return { ts, dt, steps: done, monitors: strictMonitors(collectMonitors(bufs, tStart, dt, stepTime)), timings: { build, compile, run: (performance.now() - r0) / 1000 }, backend: backend.name, aborted };
    };
    const fail = (e: unknown, done: number): never => {
      done = Math.trunc(done);
      const partial = finish(done);
      if (e && typeof e === 'object') (e as PartialResult).partial = partial;
      throw e;
    };

    while (s < nSteps) {
      if (opts.signal?.aborted) { aborted = true; break; }
      const want = Math.min(chunk, nSteps - s);
      const { data, steps: n, error } = sampled.sample(s, want, stepTime);
      if (n > 0) {
        S[0] = s;
        try {
          await exe.run(s, n, tBase, k0, dt, { inputs: data, monitors: bufs, stepsDone: this.stepsDone }, S);
        } catch (e) {
          // user code that throws (interp runs update() as written): S[0] is the step that was running
          fail(e, S[0]);
        }
        if (S[1] === STATUS.GROW) {
          try { bufs.grow(S[2], monitors[S[2]].width); } catch (e) { fail(e, S[0]); }
          s = stepOf(S); continue;
        }
        if (S[1] === STATUS.NONFINITE) fail(this.nonFinite(exe.checked[S[2]], S[3], S[0], stepTime), S[0] + 1);
        s = stepOf(S);
      }
      if (error) fail(error, s);
      try {
        if (perStep) this.emit('step', stepTime(s - 1));
        if (report) await report(s);
      } catch (e) { fail(e, s); }
      const changed = changedParam(params);
      if (changed) fail(new BrainweaveError(`${changed}: changed during a run; parameters are constants of a run (change them between runs, or make the quantity a Variable)`), s);
    }
    const result = finish(s);
    if (report) await report(s, true);
    this.emit('done', result);
    return result;
  }

  private nonFinite(path: string, index: number, s: number, stepTime: (s: number) => number): SimulationError {
    const v = this.variable(path)!.value[index];
    return new SimulationError(`simulation blew up: ${path}[${index}] = ${v} at step ${s} (t = ${stepTime(s).toFixed(3)} ms); ` +
      `values are checked every checkEvery steps, so it became non-finite at or before this step. Reduce dt or check the model's parameters.`, s, path, index);
  }
}

function fmtBytes(b: number): string {
  return b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${Math.ceil(b / 1024)} KiB`;
}

/**
 * The step an executable reached, S[0], as the integer it is. A Float64Array element reads as a heap number
 * even when integral; carried into stepsDone and from there into every run's `io` object, it changed that
 * object's field representation after a network's first run, and optimised generated code shared with the
 * next network (backends/js/emit.ts) then deoptimised on each call (Math.trunc gives a small integer back).
 */
function stepOf(S: Float64Array): number { return Math.trunc(S[0]); }
