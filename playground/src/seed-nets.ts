/**
 * The seed's two benchmark networks, written on the public API as a user would:
 * - one step of 1,000,000 LIF neurons driven by currents from 5 to 40 mV (bench/lif1m.ts),
 * - the seed's JAX LIF network with dense recurrent weights (the model of examples/dense-network.ts, whose
 *   Node-only plotting keeps it out of a browser bundle; same classes and the same seeded W, so the same spikes).
 */
import { NeuGroup, TwoEndConn, Network, Variable, Matrix, denseEventSum, dense2d, SpikeMonitorData } from 'brainweave';
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

export class SeedLIF extends NeuGroup {
  tau = 10; Vreset = 0; Vth = 1; R = 1; drive = 0.12;
  V = new Variable(this.num, { init: () => this.rng.uniform(0, 1) });
  Isyn = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  update(t: number, dt: number) {
    const k = dt / this.tau;
    for (let i = 0; i < this.num; i++) {
      if (!this.spike[i]) this.V[i] += k * (-this.V[i] + this.Vreset + this.R * (this.Isyn[i] + this.drive * this.tau));
      const fired = this.V[i] >= this.Vth;
      this.spike[i] = fired ? 1 : 0;
      if (fired) this.V[i] = this.Vreset;
      this.Isyn[i] = 0;
    }
  }
}

/** I = W · fired over the rows of the neurons that fired (W stored pre × post). */
export class DenseProjection extends TwoEndConn {
  W: Matrix<Float32Array> = dense2d(0, 0, new Float32Array(0)) as Matrix<Float32Array>;
  update() { denseEventSum(this.post.Isyn, this.W, this.pre.spike); }
}

export function denseNetwork(n: number, seed: number, g = 1.5): Network {
  const N = new SeedLIF(n);
  const P = new DenseProjection(N, N, new All2All({ includeSelf: false }));
  const net = new Network({ N, P }, { seed });
  net.build();
  const W = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) W[i * n + j] = N.rng.normal(0, g / Math.sqrt(n));
  P.W = dense2d(n, n, W) as Matrix<Float32Array>;
  return net;
}

/** One second of the dense network: wall time of the run and the spikes. */
export async function runDense(n: number, seed: number, backend: string) {
  const net = denseNetwork(n, seed);
  const r = await net.run(1000, { dt: 0.1, backend, monitors: ['N.spike'] as const });
  const m = r.monitors['N.spike'] as SpikeMonitorData;
  return { backend: r.backend, runS: r.timings.run, compileS: r.timings.compile, rate: m.count / n, spikes: m };
}
