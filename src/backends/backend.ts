import type { StepPlan } from '../compiler/plan';
import type { InputPlan, MonitorPlan } from '../compiler/probes';
import type { RNG } from '../core/rng';
import type { Arena } from '../core/arena';
import type { Precision } from '../core/dtype';
import { CompileError } from '../core/errors';

/**
 * A backend cannot run this plan (a construct it has no form for); with backend 'auto' the runtime then
 * tries the next backend, so throw this rather than a plain CompileError for "not supported here".
 */
export class BackendUnsupported extends CompileError {
  constructor(readonly backend: string, message: string) { super(`${backend} backend: ${message}`); this.name = 'BackendUnsupported'; }
}

/**
 * The seam between "analyse the model once" (compiler → StepPlan) and "run it on a target", as Brian2's
 * devices and TensorFlow.js's backends are. The runtime (src/runtime) knows only this interface.
 */
export interface BackendCapabilities {
  /** Computes in float64 when the network asks for it (else float32 only). */
  float64: boolean;
  /** Can run loops that accumulate at data-dependent indices (scatter); a GPU cannot. */
  scatter: boolean;
  /** Can draw from the network's one sequential random stream (else needs counter-based streams). */
  sequentialRng: boolean;
  /**
   * Without the sequential stream: draws `this.rng.*()` inside element-wise loops (map, rowParallel) from a
   * counter-based generator, independently per element and step (not the numbers the stream would give).
   * Draws anywhere else (at the step level, in serial loops) are refused.
   */
  counterRng?: boolean;
  /** run() returns a promise (device work); the runtime awaits it. */
  async: boolean;
}

/** Status codes an executable leaves in S[1] after run(). */
export const STATUS = { DONE: 0, GROW: 1, NONFINITE: 2 } as const;

/** Data of one input for one chunk: a number, an array (one value per element), or samples of a function of t. */
export type InputData = number | Float64Array | { buf: Float64Array; width: number };

/** Monitor storage the executable writes into; spike buffers grow between calls (status GROW). */
export interface MonitorStore {
  n: number[];
  steps: (Int32Array | null)[];
  idx: (Int32Array | null)[];
  data: (ArrayLike<number> & { [i: number]: number } | null)[];
  sel: (Int32Array | null)[];
}

/** What one call of run() gets besides the step range: this run's inputs and monitors. */
export interface RunIO {
  inputs: InputData[];
  monitors: MonitorStore;
  /**
   * The network's step count before this run (over all runs and dt epochs): step s of the run is step
   * stepsDone + s of the network, which keys counter-based random draws (absent: 0).
   */
  stepsDone?: number;
}

export interface Executable {
  /**
   * Runs steps [s0, s0 + n) of the current run. Step s (counted from the run's start) starts at time
   * t = tBase + (k0 + s) · dt, an integer step count times dt, so how a run is cut never changes t.
   * Leaves in S: [0] the step reached, [1] a STATUS, [2] monitor or check index, [3] element index.
   * DONE: S[0] = s0 + n. GROW: monitor S[2] is full before step S[0] (nothing of it ran). NONFINITE:
   * check array S[2] has a bad value at element S[3] after step S[0] (which ran).
   */
  run(s0: number, n: number, tBase: number, k0: number, dt: number, io: RunIO, S: Float64Array): void | Promise<void>;
  /** Generated source, where the backend generates text (for inspection and tests). */
  readonly source?: string;
  /** Paths of the checked arrays, by check index. */
  readonly checked: string[];
  dispose?(): void;
}

/** Everything a backend may use to compile a network for one set of probes. */
export interface CompileRequest {
  objects: { name: string; obj: object }[];
  inputs: InputPlan[];
  monitors: MonitorPlan[];
  checkEvery: number;
  fuse: boolean;
  precision: Precision;
  rng: RNG;
  /** The network's arena (src/core/arena.ts), where its Variables and connectivity live; null where it has none. */
  arena: Arena | null;
  /** Backend-specific run options (RunOptions.wasm, RunOptions.gpu); part of the executable's cache key. */
  options: BackendOptions;
  /** The step plan, built on first call (backends that run update() themselves never ask). */
  plan(): StepPlan;
}

/** Options that only one backend reads. */
export interface BackendOptions {
  /**
   * relaxed: map loops in f32x4 single precision (float32 networks; faster, not bit-identical to js); a run's
   * number or array inputs are held as float32 (rounded once, when the run starts).
   * threads: element-wise loops split across this many threads, the main one included (opt-in; needs a
   * worker host: `import 'brainweave/node'` in Node; results bit-identical to one thread). threadMinTrip:
   * the smallest loop split (default 16384 elements).
   */
  wasm?: { relaxed?: boolean; threads?: number; threadMinTrip?: number };
  /** mode: which gpu.js mode runs the kernels ('auto' takes a hardware adapter first). */
  gpu?: { mode?: 'auto' | 'webgpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webasm' | 'cpu' };
}

export interface Backend {
  readonly name: string;
  readonly capabilities: BackendCapabilities;
  /** Smaller is faster; 'auto' takes the available backend with the smallest rank (null: never auto). */
  readonly autoRank: number | null;
  /** Whether this backend can run in this process (a browser without WebGPU, a Node without wasm SIMD, ...). */
  available(): boolean;
  /** Compiles a network into an executable. May throw CompileError naming class, method and line. */
  compile(req: CompileRequest): Executable;
}
