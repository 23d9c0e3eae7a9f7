import { Network, RunOptions, RunResult, Variable, getBackend } from '../../src';
import { RNG } from '../../src/core/rng';
// worker_threads for wasm/threads
import '../../src/node/wasm-threads';

/**
 * The conformance harness: every backend runs every case, and its result is compared with the reference
 * backend (interp: update() run as written) under the backend's tolerance policy.
 *
 * Tolerance policy (one per backend, stated here and in README):
 *  - exact: every Variable and every monitor equal bit for bit (interp ↔ js; later wasm in float64 where
 *    the arithmetic order is the same).
 *  - float32: state within rtol/atol, spike trains identical up to the first spike that differs (which the
 *    test reports), population rates within rateRel (for GPU backends computing in float32).
 * A backend whose random draws are not the reference's stream (`counterDraws`: gpu) runs the cases that
 * draw under the statistical policy instead (compareStatistics): the Variables that do not depend on the
 * draws under its tolerance, everything else through statistics the case names (Case.random).
 */
export type Tolerance = { kind: 'exact' } | { kind: 'float32'; rtol: number; atol: number; rateRel: number };

export interface BackendCase {
  /** Title in the test names (a backend name, or backend/mode). */
  name: string;
  tolerance: Tolerance;
  /** The registered backend to run (default: name); result.backend must equal it. */
  backend?: string;
  /** Called before each run of this backend (e.g. selects a gpu.js mode). */
  setup?: () => void;
  /** Why this backend cannot run a case by a declared capability (the test is skipped naming it), or null. */
  skip?: (c: Case) => string | null;
  /** Why the whole backend cannot run here (the describe is skipped naming it), or null. */
  unavailable?: () => string | null;
  /** Its draws are counter-based, not the reference's sequential stream: cases that draw are compared statistically. */
  counterDraws?: boolean;
  /** Run options this backend's runs add (e.g. the wasm backend's threads). */
  opts?: RunOptions;
}

/**
 * What the gpu backend declares it cannot run (capabilities float64, sequentialRng, scatter false): cases
 * whose network is float64, draws from this.rng without naming statistics to compare (Case.random), or
 * needs a construct the gpu emitter refuses (draws outside element-wise loops among them). Decided by
 * compiling the case (the refusal is a BackendUnsupported naming the statement), not by the case's name.
 */
function gpuSkip(c: Case): string | null {
  const net = c.make();
  if (net.precision === 'float64') return 'float64 network (gpu computes in float32)';
  try {
    const { gpuBackend } = require('../../src/backends/gpu/backend');
    const plan = net.stepPlan({ ...(c.opts as object) } as never);
    if (plan.usesRng && !c.random) return 'draws from this.rng and names no statistics to compare (Case.random)';
    const { buildProgram } = require('../../src/backends/gpu/emit');
    buildProgram(plan, 'any mode');
    void gpuBackend;
  } catch (e) {
    if ((e as Error).name === 'BackendUnsupported') return (e as Error).message;
    throw e;
  }
  return null;
}

const gpuMode = (mode: 'cpu' | 'webasm' | 'webgpu'): BackendCase => ({
  name: `gpu/${mode}`, backend: 'gpu',
  // float32 arithmetic (gpu.js) against interp's double arithmetic with float32 storage
  tolerance: { kind: 'float32', rtol: 1e-3, atol: 1e-3, rateRel: 0.1 },
  setup: () => { require('../../src/node/gpu').setGPUMode(mode); },
  skip: gpuSkip,
  unavailable: () => require('../gpu-helpers').gpuModeUnavailable(mode),
  counterDraws: true,
});

/** Backends under test. A new backend adds its line here; it is done when it passes every case. */
export const BACKENDS: BackendCase[] = [
  { name: 'js', tolerance: { kind: 'exact' } },
  { name: 'interp', tolerance: { kind: 'exact' } },
  { name: 'wasm', tolerance: { kind: 'exact' } },
  // every element-wise loop split across three threads (two workers), however short: bit-identical to one
  { name: 'wasm/threads', backend: 'wasm', tolerance: { kind: 'exact' }, opts: { wasm: { threads: 3, threadMinTrip: 1 } } },
  gpuMode('cpu'),
  gpuMode('webasm'),
  gpuMode('webgpu'),
];

export interface Case {
  name: string;
  make: () => Network;
  duration: number;
  opts?: RunOptions;
  /** Split the run in two parts (tests that a backend continues exactly). */
  split?: number;
  /**
   * For a case that draws from this.rng: how a backend with other draws (counterDraws) is compared.
   * `deterministic`: Variables that do not depend on the draws (compared under the backend's tolerance);
   * `stats`: named statistics of an outcome, each compared with its spread over reference runs with other
   * draws (compareStatistics). Choose statistics that vary continuously with the draws (counts, means);
   * `granularity`: for a statistic on a lattice (a count of identical neurons moves in steps of their
   * number), the least distance allowed (the reference runs may all land on one point).
   */
  random?: { deterministic?: string[]; stats: (o: Outcome) => Record<string, number>; granularity?: Record<string, number> };
}

export interface Outcome { state: Record<string, Float64Array>; result: RunResult[] }

/**
 * Runs a case on one backend; returns every Variable's final value and the results. `reseed`: after the
 * build (connectivity and initial values as always), the stream continues from RNG(reseed)'s state, so the
 * run draws other numbers from the same network and initial state.
 */
export async function runCase(c: Case, backend: string, reseed?: number, extra: RunOptions = {}): Promise<Outcome> {
  const net = c.make();
  if (reseed !== undefined) net.build().stream.setState(new RNG(reseed).getState());
  const parts = c.split ? [c.split, c.duration - c.split] : [c.duration];
  const result: RunResult[] = [];
  for (const d of parts) result.push(await net.run(d, { ...c.opts, ...extra, backend }));
  const state: Record<string, Float64Array> = {};
  for (const p of net.variablePaths()) state[p] = Float64Array.from((net.variable(p) as Variable).value);
  return { state, result };
}

/** describe() per available backend, each test comparing against interp under the backend's policy. */
export function describeBackends(title: string, cases: Case[]): void {
  for (const b of BACKENDS) {
    let available = true;
    try { getBackend(b.backend ?? b.name); } catch { available = false; }
    const why = available && b.unavailable ? b.unavailable() : null;
    if (why) available = false;
    (available ? describe : describe.skip)(`${title} [${b.name}]${why ? ` [SKIPPED: ${why}]` : ''}`, () => {
      const skips = new Map(cases.map((c) => [c, b.skip ? b.skip(c) : null] as const));
      for (const c of cases) {
        const reason = skips.get(c);
        if (reason) test.skip(`${c.name} [SKIPPED: ${reason}]`, () => undefined);
      }
      const run = cases.filter((c) => !skips.get(c));
      if (!run.length) return;
      test.each(run.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
        const ref = await runCase(c, 'interp');
        // a case that never spikes would test little of delivery: every case is sized to spike
        const spikes = ref.result.flatMap((r) => Object.values(r.monitors)).reduce((n, m) => n + (m.kind === 'spike' ? m.count : 0), 0);
        const hasSpikeMonitor = ref.result.some((r) => Object.values(r.monitors).some((m) => m.kind === 'spike'));
        if (hasSpikeMonitor) expect(spikes).toBeGreaterThan(0);
        b.setup?.();
        const got = await runCase(c, b.backend ?? b.name, undefined, b.opts);
        expect(got.result.map((r) => r.backend)).toEqual(got.result.map(() => b.backend ?? b.name));
        if (b.counterDraws && c.random) await compareStatistics(c, ref, got, b.tolerance);
        else compare(ref, got, b.tolerance);
      });
    });
  }
}

export function compare(ref: Outcome, got: Outcome, tol: Tolerance): void {
  expect(Object.keys(got.state)).toEqual(Object.keys(ref.state));
  for (const k of Object.keys(ref.state)) {
    if (tol.kind === 'exact') {
      const a = ref.state[k], b = got.state[k];
      const bad = firstDiff(a, b);
      if (bad >= 0) throw new Error(`${k}[${bad}]: reference ${a[bad]}, backend ${b[bad]}`);
    } else {
      expectClose(k, ref.state[k], got.state[k], tol.atol, tol.rtol, `(rtol ${tol.rtol}, atol ${tol.atol})`);
    }
  }
  sameLayout(ref, got);
  ref.result.forEach((r, part) => {
    const g = got.result[part];
    for (const key of Object.keys(r.monitors)) {
      const a = r.monitors[key], b = g.monitors[key];
      if (a.kind === 'spike' && b.kind === 'spike') {
        if (tol.kind === 'exact') {
          expect(Array.from(b.steps)).toEqual(Array.from(a.steps));
          expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
          expect(Array.from(b.times)).toEqual(Array.from(a.times));
        } else {
          expect(Math.abs(b.count - a.count)).toBeLessThanOrEqual(tol.rateRel * Math.max(1, a.count));
        }
      } else if (a.kind === 'value' && b.kind === 'value') {
        if (tol.kind === 'exact') {
          const bad = firstDiff(a.data, b.data);
          if (bad >= 0) throw new Error(`monitor ${key} value ${bad}: reference ${a.data[bad]}, backend ${b.data[bad]}`);
        }
      }
    }
  });
}

/** Every element of b within atol + rtol·|a| of a's. */
function expectClose(k: string, a: ArrayLike<number>, b: ArrayLike<number>, atol: number, rtol: number, note: string): void {
  for (let i = 0; i < a.length; i++) {
    if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(a[i]))) throw new Error(`${k}[${i}]: reference ${a[i]}, backend ${b[i]} ${note}`);
  }
}

/** Each part ran the same steps at the same times, with the same monitors recording at the same times. */
function sameLayout(ref: Outcome, got: Outcome): void {
  ref.result.forEach((r, part) => {
    const g = got.result[part];
    expect(g.steps).toBe(r.steps);
    expect(Array.from(g.ts)).toEqual(Array.from(r.ts));
    for (const key of Object.keys(r.monitors)) {
      const a = r.monitors[key], b = g.monitors[key];
      expect(b.kind).toBe(a.kind);
      if (a.kind === 'value' && b.kind === 'value') expect(Array.from(b.ts)).toEqual(Array.from(a.ts));
    }
  });
}

/** Reference runs with other draws that compareStatistics takes the spread from (the reference run is one more). */
export const REPLICATES = 19;

/**
 * The statistical policy, for a backend whose draws are not the reference's stream (counter-based on the
 * gpu: same distributions, other numbers). Steps, times and monitor layouts must be equal; the Variables a
 * case declares deterministic must agree under the backend's tolerance; every statistic the case names
 * must lie within 5 standard deviations of the reference's mean, where mean and standard deviation s come
 * from the reference run and REPLICATES js runs of the same network and initial state with other draws
 * (runCase's reseed; js draws exactly as the reference). If the backend's statistic has the reference's
 * distribution, its distance to the mean of the 20 runs has standard deviation s·√(1 + 1/20), and with s
 * estimated from 20 runs (19 degrees of freedom) P(|t| > 5) ≈ 10⁻⁴ per statistic. The backend's
 * tolerance (atol + rtol·|mean|) is added for statistics the draws do not move (s = 0), and the case's
 * granularity is the least distance allowed.
 */
export async function compareStatistics(c: Case, ref: Outcome, got: Outcome, tol: Tolerance): Promise<void> {
  const spec = c.random!;
  expect(Object.keys(got.state)).toEqual(Object.keys(ref.state));
  const [atol, rtol] = tol.kind === 'exact' ? [0, 0] : [tol.atol, tol.rtol];
  for (const k of spec.deterministic ?? []) {
    if (!ref.state[k] || !got.state[k]) throw new Error(`${c.name}: no Variable ${k}`);
    expectClose(k, ref.state[k], got.state[k], atol, rtol, '(does not depend on the draws)');
  }
  sameLayout(ref, got);
  const runs = [ref];
  for (let k = 0; k < REPLICATES; k++) runs.push(await runCase(c, 'js', 7919 + k));
  const samples = runs.map((o) => spec.stats(o)), mine = spec.stats(got);
  const lines: string[] = [];
  let bad = false;
  for (const name of Object.keys(samples[0])) {
    const xs = samples.map((x) => x[name]), n = xs.length;
    const m = xs.reduce((a, b) => a + b, 0) / n, s = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1));
    const allowed = Math.max(5 * s * Math.sqrt(1 + 1 / n) + atol + rtol * Math.abs(m), spec.granularity?.[name] ?? 0);
    const d = Math.abs(mine[name] - m);
    if (!(d <= allowed)) bad = true;
    lines.push(`${name}: backend ${mine[name]}, reference runs ${m.toPrecision(6)} ± ${s.toPrecision(3)} (n = ${n}; allowed ±${allowed.toPrecision(3)})${d <= allowed ? '' : '  <-- outside'}`);
  }
  if (bad) throw new Error(`${c.name}: statistics outside 5 standard deviations of the reference runs:\n  ${lines.join('\n  ')}`);
}

/** Helpers for Case.random.stats: a spike monitor's count, a value monitor's values, over all parts of a run. */
export const spikeCount = (o: Outcome, key: string): number =>
  o.result.reduce((n, r) => { const m = r.monitors[key]; return n + (m.kind === 'spike' ? m.count : 0); }, 0);
export const monitorValues = (o: Outcome, key: string): number[] =>
  o.result.flatMap((r) => { const m = r.monitors[key]; return m.kind === 'value' ? Array.from(m.data as ArrayLike<number>) : []; });
export const meanOf = (xs: ArrayLike<number>): number => { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s / xs.length; };
export const varianceOf = (xs: ArrayLike<number>): number => { const m = meanOf(xs); let s = 0; for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2; return s / (xs.length - 1); };

function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}
