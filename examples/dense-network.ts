/**
 * The seed's JAX LIF network (jax-lif-network-jit.txt): N neurons, dense recurrent weights W,
 *   fired = V ≥ Vth;  V[fired] = Vreset;  I = W · fired;  V += dt/τ (−V + Vreset + R I);  V[fired] = Vreset.
 * The seed loads W from weights.npy; here W is drawn from the network's seeded stream.
 * I = W · fired runs as denseEventSum: only the rows of neurons that fired are added (cpu), instead of
 * the full N² matrix–vector product JAX does every step. bench/dense.ts times both.
 *
 * The update is the seed's step with its boundary moved: integrate with last step's I, then threshold,
 * then the projection computes this step's I — the same sequence of V and spikes.
 *   npx tsx examples/dense-network.ts [--n 1000] [--seed 1]
 *   npx brainweave run examples/dense-network.ts --seed 1 --plot out/dense.png   # 1000 neurons, through the CLI
 */
import { NeuGroup, TwoEndConn, Network, Variable, Matrix, denseEventSum, dense2d, SpikeMonitorData } from '../src';
import { All2All } from '../connectors';
import { rasterSVG } from '../src/plots';
import { writeSVG } from '../src/node';

export class SeedLIF extends NeuGroup {
  tau = 10; Vreset = 0; Vth = 1; R = 1; drive = 0.12;
  V = new Variable(this.num, { init: () => this.rng.uniform(0, 1) });
  Isyn = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  update(t: number, dt: number) {
    const k = dt / this.tau;
    for (let i = 0; i < this.num; i++) {
      // neurons that fired last step stay at reset; the rest integrate last step's W · fired
      if (!this.spike[i]) this.V[i] += k * (-this.V[i] + this.Vreset + this.R * (this.Isyn[i] + this.drive * this.tau));
      const fired = this.V[i] >= this.Vth;
      this.spike[i] = fired ? 1 : 0;
      if (fired) this.V[i] = this.Vreset;
      this.Isyn[i] = 0;
    }
  }
}

/** I = W · fired, with W stored pre × post (row i: the weights out of neuron i). */
export class DenseProjection extends TwoEndConn {
  W: Matrix<Float32Array> = dense2d(0, 0, new Float32Array(0)) as Matrix<Float32Array>;
  update() { denseEventSum(this.post.Isyn, this.W, this.pre.spike); }
}

/** Seeded random W: Gaussian, zero diagonal, scaled by 1/√N (balanced random network). */
export function denseNetwork(n: number, seed: number, g = 1.5): Network {
  const N = new SeedLIF(n);
  const P = new DenseProjection(N, N, new All2All({ includeSelf: false }));
  const net = new Network({ N, P }, { seed });
  net.build();
  const rng = (N as any).rng;
  const W = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) W[i * n + j] = rng.normal(0, g / Math.sqrt(n));
  P.W = dense2d(n, n, W) as Matrix<Float32Array>;
  return net;
}

/** The network, for `brainweave run examples/dense-network.ts` (1000 neurons, seed 1 unless --seed). */
export default (o: { seed?: number } = {}) => denseNetwork(1000, o.seed ?? 1);

async function main() {
  const opt = (k: string, d: number) => { const i = process.argv.indexOf(`--${k}`); return i >= 0 ? Number(process.argv[i + 1]) : d; };
  const n = opt('n', 1000), seed = opt('seed', 1);
  const net = denseNetwork(n, seed);
  const r = await net.run(1000, { dt: 0.1, monitors: ['N.spike'] });
  const m = r.monitors['N.spike'] as SpikeMonitorData;
  console.log(`dense LIF network, ${n} neurons, 1 s: ${(m.count / n).toFixed(2)} Hz mean rate, ${m.count} spikes, run ${r.timings.run.toFixed(3)} s`);
  writeSVG('out/dense-raster.svg', rasterSVG([{ label: 'N', times: m.times, indices: m.indices, num: n }], { title: 'Seed JAX LIF network, dense W', xlim: [0, 1000], rateBinMs: 5 }));
}

if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
