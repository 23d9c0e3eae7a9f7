/**
 * COBA 4000 neurons, 1 s at dt = 0.1 ms: connectivity, compile and loop times of brainweave's js backend, next
 * to the best hand-written JavaScript for the same model (bench/reference/coba-best.ts) in the same process
 * and precision, alternating, median of --reps; both must give the same spike counts. Brian2's C++ and the
 * other backends: bench/backends.ts.
 * Run: node --require tsx/cjs bench/coba.ts [--reps 5] [float64]
 */
import { cobaNetwork } from '../examples/networks';
import { bestCOBA, cobaState } from './reference/coba-best';
import { median, fmt, now, arg } from './util';

export async function benchCOBA(reps = arg('reps', 5)) {
  const precision = process.argv.includes('float64') ? 'float64' : 'float32';
  const loop: number[] = [], ref: number[] = [], build: number[] = [], compile: number[] = [], unfused: number[] = [];
  let counts = '';
  for (let r = 0; r < reps; r++) {
    const net = cobaNetwork({ seed: 42 + r, precision });
    const b0 = now(); net.build(); build.push(now() - b0);
    const hand = bestCOBA(cobaState(cobaNetwork({ seed: 42 + r, precision }).build()), 10000, 0.1); ref.push(hand.seconds);
    const res = await net.run(1000, { dt: 0.1, backend: 'js', monitors: ['E.spike', 'I.spike'] });
    loop.push(res.timings.run); compile.push(res.timings.compile);
    const plain = await cobaNetwork({ seed: 42 + r, precision }).run(1000, { dt: 0.1, backend: 'js', fuse: false, monitors: ['E.spike', 'I.spike'] });
    unfused.push(plain.timings.run);
    const nE = (res.monitors['E.spike'] as any).count, nI = (res.monitors['I.spike'] as any).count;
    if (nE !== hand.nE || nI !== hand.nI) throw new Error(`compiled and hand-written COBA disagree: ${nE}/${nI} vs ${hand.nE}/${hand.nI} spikes`);
    counts = `E ${(nE / 3200).toFixed(1)} Hz, I ${(nI / 800).toFixed(1)} Hz`;
  }
  const row = {
    name: `COBA 4000, 1 s, dt 0.1 ms (${precision}), js backend`, reference: 'best hand-written JS (reference/coba-best.ts)',
    brainweave: median(loop), referenceSeconds: median(ref), ratio: median(loop) / median(ref),
    build: median(build), compile: median(compile), rates: counts, unfused: median(unfused),
  };
  console.log(`${row.name}: loop ${fmt(row.brainweave)}, ${row.reference} ${fmt(row.referenceSeconds)}, ratio ${row.ratio.toFixed(2)}; ` +
    `connectivity+init ${fmt(row.build)}, compile ${fmt(row.compile)}; without fusion ${fmt(row.unfused)}; ${row.rates}`);
  return row;
}

if (require.main === module) benchCOBA();
