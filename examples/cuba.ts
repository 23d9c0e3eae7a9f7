/**
 * CUBA: Brette et al. 2007 benchmark 2 — 4000 LIF neurons with current-based exponential synapses.
 *   npx tsx examples/cuba.ts [--seed 1] [--out out/cuba-raster.svg] [--backend js|wasm|interp|gpu|auto]
 *   npx brainweave run examples/cuba.ts --seed 1 --plot out/cuba.png     # the same network through the CLI
 */
import { cubaNetwork } from './networks';
import { rasterSVG } from '../src/plots';
import { writeSVG } from '../src/node';
import { SpikeMonitorData } from '../src';
import { isiCV } from './stats';
import { exampleArgs, runMain } from './args';
import type { ScriptOptions } from '../src/node';

/** The network, for `brainweave run|export examples/cuba.ts` (seed 1 unless --seed). */
export default (o: Partial<ScriptOptions> = {}) => cubaNetwork({ seed: o.seed ?? 1 });

async function main() {
  const { seed, out, backend } = exampleArgs({ seed: 1, out: 'out/cuba-raster.svg' });
  const net = cubaNetwork({ seed });
  const res = await net.run(1000, { dt: 0.1, backend, monitors: ['E.spike', 'I.spike'], progress: true });
  const E = res.monitors['E.spike'] as SpikeMonitorData, I = res.monitors['I.spike'] as SpikeMonitorData;
  console.log(`CUBA 4000 neurons, 1 s: E ${(E.count / E.num).toFixed(2)} Hz, I ${(I.count / I.num).toFixed(2)} Hz, CV ISI E ${isiCV(E).toFixed(2)}; run ${res.timings.run.toFixed(3)} s, backend ${res.backend}`);
  writeSVG(out, rasterSVG([
    { label: 'E', times: E.times, indices: E.indices, num: E.num },
    { label: 'I', times: I.times, indices: I.indices, num: I.num },
  ], { title: 'CUBA (Brette et al. 2007, benchmark 2)', xlim: [0, 1000], rateBinMs: 5 }));
  console.log(`raster ${out}`);
}
// only when run as a program, not when the CLI imports the network
if (require.main === module) runMain(main);
