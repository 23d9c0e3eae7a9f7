import { Network, RunOptions, RunResult, Variable, getBackend } from '../../src';

/**
 * The conformance harness: every backend runs every case, and its result is compared with the reference
 * backend (interp: update() run as written) under the backend's tolerance policy.
 *
 * Tolerance policy (one per backend, stated here and in README):
 *  - exact: every Variable and every monitor equal bit for bit (interp ↔ js; later wasm in float64 where
 *    the arithmetic order is the same).
 *  - float32: state within rtol/atol, spike trains identical up to the first spike that differs (which the
 *    test reports), population rates within rateRel (for GPU backends computing in float32).
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
}

/**
 * What the gpu backend declares it cannot run (capabilities float64, sequentialRng, scatter false): cases
 * whose network is float64, draws from this.rng, or needs a construct the gpu emitter refuses. Decided by
 * compiling the case (the refusal is a BackendUnsupported naming the statement), not by the case's name.
 */
function gpuSkip(c: Case): string | null {
  const net = c.make();
  if (net.precision === 'float64') return 'float64 network (gpu computes in float32)';
  try {
    const { gpuBackend } = require('../../src/backends/gpu/backend');
    const plan = net.stepPlan({ ...(c.opts as object) } as never);
    if (plan.usesRng) return 'draws from this.rng (no sequential random stream on the gpu)';
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
});

/** Backends under test. A new backend adds its line here; it is done when it passes every case. */
export const BACKENDS: BackendCase[] = [
  { name: 'js', tolerance: { kind: 'exact' } },
  { name: 'interp', tolerance: { kind: 'exact' } },
  { name: 'wasm', tolerance: { kind: 'exact' } },
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
}

export interface Outcome { state: Record<string, Float64Array>; result: RunResult[] }

/** Runs a case on one backend; returns every Variable's final value and the results. */
export async function runCase(c: Case, backend: string): Promise<Outcome> {
  const net = c.make();
  const parts = c.split ? [c.split, c.duration - c.split] : [c.duration];
  const result: RunResult[] = [];
  for (const d of parts) result.push(await net.run(d, { ...c.opts, backend }));
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
        const got = await runCase(c, b.backend ?? b.name);
        expect(got.result.map((r) => r.backend)).toEqual(got.result.map(() => b.backend ?? b.name));
        compare(ref, got, b.tolerance);
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
      const a = ref.state[k], b = got.state[k];
      for (let i = 0; i < a.length; i++) {
        if (!(Math.abs(a[i] - b[i]) <= tol.atol + tol.rtol * Math.abs(a[i]))) throw new Error(`${k}[${i}]: reference ${a[i]}, backend ${b[i]} (rtol ${tol.rtol}, atol ${tol.atol})`);
      }
    }
  }
  ref.result.forEach((r, part) => {
    const g = got.result[part];
    expect(g.steps).toBe(r.steps);
    expect(Array.from(g.ts)).toEqual(Array.from(r.ts));
    for (const key of Object.keys(r.monitors)) {
      const a = r.monitors[key], b = g.monitors[key];
      expect(b.kind).toBe(a.kind);
      if (a.kind === 'spike' && b.kind === 'spike') {
        if (tol.kind === 'exact') {
          expect(Array.from(b.steps)).toEqual(Array.from(a.steps));
          expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
          expect(Array.from(b.times)).toEqual(Array.from(a.times));
        } else {
          expect(Math.abs(b.count - a.count)).toBeLessThanOrEqual(tol.rateRel * Math.max(1, a.count));
        }
      } else if (a.kind === 'value' && b.kind === 'value') {
        expect(Array.from(b.ts)).toEqual(Array.from(a.ts));
        if (tol.kind === 'exact') {
          const bad = firstDiff(a.data, b.data);
          if (bad >= 0) throw new Error(`monitor ${key} value ${bad}: reference ${a.data[bad]}, backend ${b.data[bad]}`);
        }
      }
    }
  });
}

function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return -1;
}
