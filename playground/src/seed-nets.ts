/**
 * The seed's two benchmark networks, written on the public API as a user would:
 * - one step of 1,000,000 LIF neurons driven by currents from 5 to 40 mV (bench/lif1m.ts),
 * - the seed's JAX LIF network with dense recurrent weights (examples/dense-models.ts: the classes and seeded W
 *   of examples/dense-network.ts, so the same spikes).
 */
import { Network, SpikeMonitorData } from 'brainweave';
// the seed's dense network: the example's own model classes (browser-safe), not a copy
import { SeedLIF, DenseProjection, denseNetwork } from '../../examples/dense-models';
import { LIF } from 'brainweave/models';
import { All2All } from 'brainweave/connectors';

export interface Timing { backend: string; msPerStep: number; runs: number[] }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median ms per step of an n-neuron LIF group over `reps` runs of `steps` steps (after one warm-up run). */
export async function timeLIF(n: number, backend: string, steps = 100, reps = 5): Promise<Timing & { rate: number }> {
  const drive = Float32Array.from({ length: n }, (_, i) => 5 + (35 * i) / n);
  const net = new Network({ N: new LIF(n, { V0: -60 }) });
  const opts = { dt: 0.1, backend, inputs: [['N.input', drive]] as [string, Float32Array][], monitors: ['N.spike'] as const };
  await net.run(steps * 0.1, opts); // build, compile, warm up
  const runs: number[] = [];
  let used = backend, spikes = 0;
  for (let r = 0; r < reps; r++) {
    const res = await net.run(steps * 0.1, opts);
    runs.push((res.timings.run * 1000) / steps);
    used = res.backend;
    spikes += (res.monitors['N.spike'] as SpikeMonitorData).count;
  }
  return { backend: used, msPerStep: median(runs), runs, rate: spikes / (n * (reps * steps * 0.1) / 1000) };
}

export { SeedLIF, DenseProjection, denseNetwork };

/** One second of the dense network: wall time of the run and the spikes. */
export async function runDense(n: number, seed: number, backend: string) {
  const net = denseNetwork(n, seed);
  const r = await net.run(1000, { dt: 0.1, backend, monitors: ['N.spike'] as const });
  const m = r.monitors['N.spike'] as SpikeMonitorData;
  return { backend: r.backend, runS: r.timings.run, compileS: r.timings.compile, rate: m.count / n, spikes: m };
}
