/**
 * One thread against T on the wasm backend, interleaved, same process: COBA at a given size and the 1M LIF
 * step. Checks the threaded network equals the one-thread one bit for bit (after the first, equal-length run).
 *
 *   node --require tsx/cjs bench/threads-scaling.ts [--N 4000] [--ms 200] [--reps 3] [--threads 2] [--minTrip 2048] [--relaxed 0] [--lif 0]
 */
import '../src/node/wasm-threads';
import '../src/node/wasm-compile'; // wasm compiled eagerly, as brainweave/node does
import { Network, RunOptions } from '../src';
import { LIF } from '../models/neurons/lif';
import { cobaNetwork } from '../examples/networks';
import { arg, median } from './util';

const N = arg('N', 4000), ms = arg('ms', 200), reps = arg('reps', 3), T = arg('threads', 2), minTrip = arg('minTrip', 2048);
const relaxed = !!arg('relaxed', 0), lif = !!arg('lif', 0);

(async () => {
  const n = lif ? 1_000_000 : N, dt = 0.1;
  const drive = Float32Array.from({ length: n }, (_, i) => 5 + (35 * i) / n);
  const precision = relaxed || lif ? 'float32' : 'float64';
  const make = () => (lif ? new Network({ N: new LIF(n, { V0: -60 }) }, { precision }) : cobaNetwork({ nExc: 0.8 * N, nInh: 0.2 * N, p: N === 4000 ? 0.02 : 80 / N, precision }));
  const base: RunOptions = lif ? { dt, inputs: [['N.input', drive]] } : { dt, monitors: ['E.spike', 'I.spike'] };
  const one = make(), two = make();
  const o1 = { ...base, backend: 'wasm', wasm: { relaxed } }, o2 = { ...base, backend: 'wasm', wasm: { relaxed, threads: T, threadMinTrip: minTrip } };
  const length = lif ? 10 : ms;
  await one.run(length, o1); await two.run(length, o2); // workers start; the same run on both
  for (const p of one.variablePaths()) {
    const a = one.variable(p)!.value, b = two.variable(p)!.value;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`${p}[${i}] differs between 1 and ${T} threads`);
  }
  const t1: number[] = [], t2: number[] = [];
  for (let r = 0; r < reps; r++) {
    t1.push((await one.run(length, o1)).timings.run);
    t2.push((await two.run(length, o2)).timings.run);
  }
  const what = lif ? 'LIF 1M, 100 steps' : `COBA N=${N}, ${ms} ms`;
  console.log(`${what}, ${precision}${relaxed ? ' relaxed' : ''}, threadMinTrip ${minTrip}: one thread ${t1.map((x) => x.toFixed(4)).join(' ')} s; ${T} threads ${t2.map((x) => x.toFixed(4)).join(' ')} s; ratio of medians ${(median(t2) / median(t1)).toFixed(2)}`);
  two.dispose();
})().catch((e) => { console.error(e); process.exit(1); });
