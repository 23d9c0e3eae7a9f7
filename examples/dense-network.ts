/**
 * The seed's JAX LIF network (jax-lif-network-jit.txt): N neurons, dense recurrent weights W,
 *   fired = V ≥ Vth;  V[fired] = Vreset;  I = W · fired;  V += dt/τ (−V + Vreset + R I);  V[fired] = Vreset.
 * The seed loads W from weights.npy; here W is drawn from the network's seeded stream.
 * I = W · fired runs as denseEventSum: only the rows of neurons that fired are added (cpu), instead of
 * the full N² matrix–vector product JAX does every step. bench/dense.ts times both.
 *
 * The update is the seed's step with its boundary moved: integrate with last step's I, then threshold,
 * then the projection computes this step's I — the same sequence of V and spikes.
 *   npx tsx examples/dense-network.ts [--n 1000] [--seed 1] [--backend js|wasm|interp|gpu|auto]
 *   npx brainweave run examples/dense-network.ts --seed 1 --plot out/dense.png   # 1000 neurons, through the CLI
 */
import { SpikeMonitorData } from '../src';
import { denseNetwork } from './dense-models';
import { rasterSVG } from '../src/plots';
import { writeSVG } from '../src/node';
import { exampleArgs, runMain } from './args';
import type { ScriptOptions } from '../src/node';

export { SeedLIF, DenseProjection, denseNetwork } from './dense-models';

/** The network, for `brainweave run examples/dense-network.ts` (1000 neurons, seed 1 unless --seed). */
export default (o: Partial<ScriptOptions> = {}) => denseNetwork(1000, o.seed ?? 1);

async function main() {
  const { n, seed, backend } = exampleArgs({ n: 1000, seed: 1 });
  const net = denseNetwork(n, seed);
  const r = await net.run(1000, { dt: 0.1, backend, monitors: ['N.spike'] });
  const m = r.monitors['N.spike'] as SpikeMonitorData;
  console.log(`dense LIF network, ${n} neurons, 1 s: ${(m.count / n).toFixed(2)} Hz mean rate, ${m.count} spikes, run ${r.timings.run.toFixed(3)} s, backend ${r.backend}`);
  writeSVG('out/dense-raster.svg', rasterSVG([{ label: 'N', times: m.times, indices: m.indices, num: n }], { title: 'Seed JAX LIF network, dense W', xlim: [0, 1000], rateBinMs: 5 }));
}

if (require.main === module) runMain(main);
