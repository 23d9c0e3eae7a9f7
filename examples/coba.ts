/**
 * The COBA network (Vogels & Abbott 2005; Brette et al. 2007 benchmark 1), as in the BrainPy tutorial:
 * 3200 excitatory + 800 inhibitory LIF neurons, FixedProb(0.02), exponential conductance synapses,
 * forward Euler at dt = 0.1 ms for 1 s. Prints a summary and writes a raster plot.
 *
 *   npm start                       # float32, seed 42, writes out/coba-raster.svg
 *   npx tsx examples/coba.ts --seed 7 --precision float64 --out out/coba.svg [--backend js|wasm|interp|gpu|auto]
 *   npx brainweave run examples/coba.ts --seed 7 --plot out/coba.png    # the same network through the CLI
 */
import { cobaNetwork } from './networks';
import { rasterSVG } from '../src/plots';
import { writeSVG } from '../src/node';
import { SpikeMonitorData } from '../src';
import { isiCV } from './stats';
import { exampleArgs, runMain } from './args';
import type { ScriptOptions } from '../src/node';

/** The network, for `brainweave run|export examples/coba.ts` (seed 42 unless --seed). */
export default (o: Partial<ScriptOptions> = {}) => cobaNetwork({ seed: o.seed ?? 42 });

async function main() {
  const a = exampleArgs({ seed: 42, precision: 'float32', out: 'out/coba-raster.svg' });
  const { seed, out } = a, precision = a.precision as 'float32' | 'float64';
  const duration = 1000, dt = 0.1;

  const t0 = performance.now();
  const net = cobaNetwork({ seed, precision });
  net.build();
  const tBuild = (performance.now() - t0) / 1000;
  const res = await net.run(duration, { dt, backend: a.backend, monitors: ['E.spike', 'I.spike'], progress: true });
  const E = res.monitors['E.spike'] as SpikeMonitorData, I = res.monitors['I.spike'] as SpikeMonitorData;

  const rate = (m: SpikeMonitorData) => m.count / m.num / (duration / 1000);
  console.log(`COBA ${E.num + I.num} neurons, ${duration} ms at dt = ${dt} ms (${precision}, seed ${seed})`);
  console.log(`  rate   E ${rate(E).toFixed(2)} Hz   I ${rate(I).toFixed(2)} Hz   (Brian2 reference ≈ 22 Hz)`);
  console.log(`  CV ISI E ${isiCV(E).toFixed(2)}   I ${isiCV(I).toFixed(2)}`);
  console.log(`  spikes ${E.count + I.count}`);
  console.log(`  time   connectivity+init ${tBuild.toFixed(3)} s   compile ${res.timings.compile.toFixed(3)} s   run ${res.timings.run.toFixed(3)} s   backend ${res.backend}`);

  const svg = rasterSVG([
    { label: 'E', times: E.times, indices: E.indices, num: E.num },
    { label: 'I', times: I.times, indices: I.indices, num: I.num },
  ], { title: `COBA, ${E.num + I.num} LIF neurons (brainweave)`, xlim: [0, duration], rateBinMs: 5 });
  writeSVG(out, svg);
  console.log(`  raster ${out}`);
}

// only when run as a program (npm start, tsx examples/coba.ts), not when the CLI imports the network
if (require.main === module) runMain(main);
