import EventEmitter from 'eventemitter3';
import { BrainweaveError, SimulationError } from './errors';
import { DynamicalSystem, StructRef, TwoEndConn } from './dynsys';
import { Variable } from './variable';
import { Precision } from './dtype';
import { RNG } from './rng';
import { Lowerer } from '../compiler/lower';
import { generateRun, CompiledRun, STATUS } from '../backends/cpu/program';
import { MonitorSpec, MonitorBuffers, planMonitors, collectMonitors, MonitorData } from '../monitors/monitors';
import { InputSpec, planInputs, applyInput } from '../runner/inputs';
import { makeViews } from '../runner/interpreter';

export interface NetworkOptions {
  /** float32 (default, as BrainPy) or float64 for every float Variable and monitor. */
  precision?: Precision;
  /** Seed of the network's random stream; may also be given to the first run(). */
  seed?: number;
}

export interface RunOptions {
  dt?: number;
  seed?: number;
  inputs?: InputSpec[];
  monitors?: MonitorSpec[];
  /** false: run update() methods directly (debugging); same results as compiled. Default true. */
  jit?: boolean;
  /** Print a progress line to stderr (true), or call a function with the fraction done. */
  progress?: boolean | ((fraction: number, tNow: number) => void);
  /** Check float Variables for NaN/Inf every this many steps (0: never). Default 100. */
  checkEvery?: number;
  /** Fuse loops and spike scans across objects (compiler/fuse.ts); results are identical either way. Default true. */
  fuse?: boolean;
}

export interface RunResult {
  /** start time of each step of this run, ms */
  ts: Float64Array;
  dt: number;
  steps: number;
  monitors: Record<string, MonitorData>;
  timings: { build: number; compile: number; run: number };
}

/** Events: 'progress' (fraction, tNow), 'done' (result), 'step' (t) — 'step' only if someone listens. */
export class Network extends EventEmitter {
  readonly objects: { name: string; obj: DynamicalSystem }[] = [];
  readonly precision: Precision;
  private seed: number | undefined;
  private rng: RNG | null = null;
  private built = false;
  private buildTime = 0;
  private compiled = new Map<string, CompiledRun>();
  /** Network time (ms) and steps done, over all runs so far. */
  t = 0;
  stepsDone = 0;

  constructor(members: Record<string, DynamicalSystem> | DynamicalSystem[], opts: NetworkOptions = {}) {
    super();
    this.precision = opts.precision ?? 'float32';
    if (this.precision !== 'float32' && this.precision !== 'float64') throw new BrainweaveError(`Network: precision must be 'float32' or 'float64', got '${this.precision}'`);
    if (opts.seed !== undefined && !Number.isFinite(opts.seed)) throw new BrainweaveError(`Network: seed must be a finite number, got ${opts.seed}`);
    this.seed = opts.seed;
    const entries = Array.isArray(members) ? members.map((o) => [o.name, o] as const) : Object.entries(members);
    const seen = new Set<DynamicalSystem>();
    for (const [name, obj] of entries) {
      if (!(obj instanceof DynamicalSystem)) throw new BrainweaveError(`Network: member '${name}' is not a NeuGroup/TwoEndConn (got ${String(obj)})`);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new BrainweaveError(`Network: member name '${name}' must be an identifier`);
      if (seen.has(obj)) throw new BrainweaveError(`Network: '${name}' is added twice`);
      seen.add(obj);
      this.objects.push({ name, obj });
    }
    for (const { name, obj } of this.objects) {
      if (obj instanceof TwoEndConn) {
        for (const side of ['pre', 'post'] as const) {
          if (!seen.has(obj[side])) throw new BrainweaveError(`Network: projection '${name}' has ${side} group ${obj[side].constructor.name} which is not in the network`);
        }
      }
    }
  }

  /** Looks up a member by its network name. */
  get(name: string): DynamicalSystem {
    const m = this.objects.find((o) => o.name === name);
    if (!m) throw new BrainweaveError(`Network: no member '${name}' (members: ${this.objects.map((o) => o.name).join(', ')})`);
    return m.obj;
  }

  /**
   * Applies parameters, realises connectivity and allocates Variables, in a fixed order from one
   * seeded stream: parameters → connectivity (member order) → Variables (member order, field order).
   */
  build(seed?: number): this {
    if (this.built) {
      if (seed !== undefined && seed !== this.seed) throw new BrainweaveError(`Network: already built with seed ${this.seed}; create a new network to use seed ${seed}`);
      return this;
    }
    const t0 = performance.now();
    if (seed !== undefined) {
      if (!Number.isFinite(seed)) throw new BrainweaveError(`Network: seed must be a finite number, got ${seed}`);
      this.seed = seed;
    }
    this.seed ??= 0;
    const rng = (this.rng = new RNG(this.seed));
    for (const { name, obj } of this.objects) {
      obj.name = name;
      obj.attachRng(rng);
      applyParams(name, obj);
    }
    for (const { obj } of this.objects) if (obj instanceof TwoEndConn) obj.conn.realise(rng);
    for (const { obj } of this.objects) {
      for (const key of Object.keys(obj)) {
        const x = (obj as any)[key];
        if (x instanceof StructRef) (obj as any)[key] = x.resolve();
      }
    }
    for (const { name, obj } of this.objects) {
      for (const key of Object.keys(obj)) {
        const x = (obj as any)[key];
        if (x instanceof Variable) x.allocate(`${name}.${key}`, this.precision);
      }
    }
    this.built = true;
    this.buildTime = (performance.now() - t0) / 1000;
    return this;
  }

  /** A Variable by 'Member.field', or null. */
  variable(path: string): Variable | null {
    const dot = path.indexOf('.');
    if (dot < 0) return null;
    const m = this.objects.find((o) => o.name === path.slice(0, dot));
    const v = m ? (m.obj as any)[path.slice(dot + 1)] : undefined;
    return v instanceof Variable ? v : null;
  }
  /** Every 'Member.field' that names a Variable. */
  variablePaths(): string[] {
    const out: string[] = [];
    for (const { name, obj } of this.objects) for (const k of Object.keys(obj)) if ((obj as any)[k] instanceof Variable) out.push(`${name}.${k}`);
    return out;
  }

  /** The generated JavaScript for the given monitors/inputs (for inspection and docs). */
  generatedSource(opts: Pick<RunOptions, 'inputs' | 'monitors' | 'checkEvery' | 'fuse'> = {}): string {
    this.build();
    const monitors = planMonitors(opts.monitors ?? [], (p) => this.variable(p), () => this.variablePaths());
    const inputs = planInputs(opts.inputs ?? [], (p) => this.variable(p), () => this.variablePaths());
    return this.compile(inputs, monitors, opts.checkEvery ?? 100, opts.fuse ?? true).source;
  }

  private compile(inputs: ReturnType<typeof planInputs>, monitors: ReturnType<typeof planMonitors>, checkEvery: number, fuse: boolean): CompiledRun {
    const key = JSON.stringify([inputs.map((p) => [p.path, p.op, p.kind, p.kind === 'const' ? p.value : 0]), monitors.map((m) => [m.key, m.every, m.indices ? Array.from(m.indices) : null]), checkEvery, fuse]);
    let c = this.compiled.get(key);
    // non-Variable attributes are compile-time constants: if one changed since (e.g. `E.I = 30` between
    // runs), or a Variable's array was replaced, the cached code is stale and is generated again
    if (c && c.deps.some((d) => !Object.is((d.obj as any)[d.prop], d.value))) c = undefined;
    if (!c) {
      const names = new Map<object, string>(this.objects.map(({ name, obj }) => [obj, name]));
      const ir = new Lowerer(names).program(this.objects);
      c = generateRun(ir, inputs, monitors, checkEvery, this.rng!, fuse);
      this.compiled.set(key, c);
    }
    return c;
  }

  /** Runs for `duration` ms, continuing from where the last run ended. */
  async run(duration: number, opts: RunOptions = {}): Promise<RunResult> {
    const dt = opts.dt ?? 0.1;
    if (!(Number.isFinite(duration) && duration >= 0)) throw new BrainweaveError(`run: duration must be a non-negative number of ms, got ${duration}`);
    if (!(Number.isFinite(dt) && dt > 0)) throw new BrainweaveError(`run: dt must be a positive number of ms, got ${dt}`);
    const checkEvery = opts.checkEvery ?? 100;
    if (!(Number.isInteger(checkEvery) && checkEvery >= 0)) throw new BrainweaveError(`run: checkEvery must be a non-negative integer, got ${checkEvery}`);
    const buildStart = this.built ? 0 : 1;
    this.build(opts.seed);
    const build = buildStart ? this.buildTime : 0;
    const nSteps = Math.round(duration / dt);
    if (Math.abs(nSteps * dt - duration) > 1e-9 * Math.max(1, duration)) throw new BrainweaveError(`run: duration ${duration} is not a whole number of steps of dt = ${dt}`);
    for (const { obj } of this.objects) obj.beforeRun(dt);
    const monitors = planMonitors(opts.monitors ?? [], (p) => this.variable(p), () => this.variablePaths());
    const inputs = planInputs(opts.inputs ?? [], (p) => this.variable(p), () => this.variablePaths());
    const bufs = new MonitorBuffers(monitors, nSteps);
    const tStart = this.t;
    const jit = opts.jit ?? true;

    const c0 = performance.now();
    const compiled = jit ? this.compile(inputs, monitors, checkEvery, opts.fuse ?? true) : null;
    const compile = (performance.now() - c0) / 1000;

    const report = progressReporter(opts.progress, this, tStart, duration);
    const perStep = this.listenerCount('step') > 0;
    const chunk = perStep ? 1 : Math.max(1, Math.ceil(nSteps / (opts.progress ? 50 : 10)));
    const S = new Int32Array(4);
    const r0 = performance.now();
    let s = 0;
    if (compiled) {
      while (s < nSteps) {
        const n = Math.min(chunk, nSteps - s);
        compiled.run(s, n, tStart, dt, bufs, S);
        if (S[1] === STATUS.GROW) { bufs.grow(S[2], monitors[S[2]].width); s = S[0]; continue; }
        if (S[1] === STATUS.NONFINITE) this.nonFinite(compiled.checked[S[2]], S[3], S[0], tStart, dt);
        s = S[0];
        if (perStep) this.emit('step', tStart + (s - 1) * dt);
        if (report) await report(s / nSteps);
      }
    } else {
      const views = makeViews(this.objects.map((o) => o.obj));
      const order = this.objects.map((o) => [o.obj, views.get(o.obj)] as const);
      const checked = this.variablePaths().map((p) => [p, this.variable(p)!] as const).filter(([, v]) => v.dtype === 'float');
      for (; s < nSteps; s++) {
        const t = tStart + s * dt;
        for (const p of inputs) applyInput(p, t);
        for (const [obj, view] of order) obj.update.call(view, t, dt);
        recordStep(bufs, s);
        if (checkEvery > 0 && (s + 1) % checkEvery === 0) {
          for (const [path, v] of checked) {
            const a = v.value;
            for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) this.nonFinite(path, i, s, tStart, dt);
          }
        }
        if (perStep) this.emit('step', t);
        if (report && (s + 1) % chunk === 0) await report((s + 1) / nSteps);
      }
    }
    const run = (performance.now() - r0) / 1000;
    this.stepsDone += nSteps;
    this.t = tStart + nSteps * dt;
    const ts = new Float64Array(nSteps);
    for (let k = 0; k < nSteps; k++) ts[k] = tStart + k * dt;
    const result: RunResult = { ts, dt, steps: nSteps, monitors: collectMonitors(bufs, tStart, dt), timings: { build, compile, run } };
    if (report) await report(1, true);
    this.emit('done', result);
    return result;
  }

  private nonFinite(path: string, index: number, s: number, tStart: number, dt: number): never {
    const v = this.variable(path)!.value[index];
    throw new SimulationError(`simulation blew up: ${path}[${index}] = ${v} at step ${s} (t = ${(tStart + s * dt).toFixed(3)} ms); ` +
      `values are checked every checkEvery steps, so it became non-finite at or before this step. Reduce dt or check the model's parameters.`, s, path, index);
  }
}

function recordStep(bufs: MonitorBuffers, s: number): void {
  bufs.plans.forEach((p, m) => {
    const a = p.array;
    if (p.kind === 'spike') {
      if (bufs.n[m] + p.width > bufs.steps[m]!.length) bufs.grow(m, p.width);
      const st = bufs.steps[m]!, ix = bufs.idx[m]!;
      for (let i = 0; i < a.length; i++) if (a[i] !== 0) { st[bufs.n[m]] = s; ix[bufs.n[m]] = i; bufs.n[m]++; }
    } else if (s % p.every === 0) {
      const d = bufs.data[m]!, b = bufs.n[m] * p.width, x = p.indices;
      for (let j = 0; j < p.width; j++) d[b + j] = x ? a[x[j]] : a[j];
      bufs.n[m]++;
    }
  });
}

/** Overrides field defaults with constructor params; rejects unknown names and non-finite numbers. */
function applyParams(name: string, obj: DynamicalSystem): void {
  for (const [k, v] of Object.entries(obj.params)) {
    const cur = (obj as any)[k];
    const where = `${obj.constructor.name} '${name}'`;
    if (cur === undefined || cur instanceof Variable || typeof cur === 'function') {
      const known = Object.keys(obj).filter((f) => typeof (obj as any)[f] === 'number' || typeof (obj as any)[f] === 'boolean');
      throw new BrainweaveError(`${where}: unknown parameter '${k}' (parameters: ${known.join(', ')})`);
    }
    if (typeof cur === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new BrainweaveError(`${where}: parameter '${k}' must be a finite number, got ${String(v)}`);
    } else if (typeof cur === 'boolean') {
      if (typeof v !== 'boolean') throw new BrainweaveError(`${where}: parameter '${k}' must be a boolean, got ${String(v)}`);
    } else if (ArrayBuffer.isView(cur)) {
      const a = v as ArrayLike<number>;
      if (typeof a !== 'object' || a.length !== (cur as unknown as ArrayLike<number>).length) throw new BrainweaveError(`${where}: parameter '${k}' must be an array of ${(cur as unknown as ArrayLike<number>).length} numbers`);
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new BrainweaveError(`${where}: parameter '${k}'[${i}] is ${a[i]}`);
    }
    (obj as any)[k] = v;
  }
}

function progressReporter(progress: RunOptions['progress'], net: Network, tStart: number, duration: number) {
  const listeners = net.listenerCount('progress') > 0;
  if (!progress && !listeners) return null;
  const t0 = performance.now();
  let lastTenth = 0;
  return async (f: number, final = false) => {
    const tNow = tStart + f * duration;
    if (!final) net.emit('progress', f, tNow);
    if (typeof progress === 'function') progress(f, tNow);
    else if (progress === true) {
      // a live line on a terminal; on a pipe or CI log, one line per 10%
      const el = (performance.now() - t0) / 1000;
      const line = `run ${(f * 100).toFixed(0).padStart(3)}%  t = ${tNow.toFixed(1)} ms  ${el.toFixed(2)} s`;
      if (process.stderr.isTTY) process.stderr.write(`\r${line}${final ? '\n' : ''}`);
      else if (final || Math.floor(f * 10) > lastTenth) { lastTenth = Math.floor(f * 10); if (!final || lastTenth < 10) process.stderr.write(line + '\n'); }
    }
    if (!final) await new Promise((r) => setImmediate(r));
  };
}
