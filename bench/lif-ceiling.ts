/**
 * The seed's 1M-neuron LIF step against the best hand-written code for it, in the same run: brainweave's wasm
 * backend (relaxed f32x4, one and two threads; exact float32) interleaved with bench/reference/lif1m.c built by
 * gcc three ways — 128-bit SSE4.1 intrinsics (WebAssembly SIMD's width) on one and on two OpenMP threads, and
 * plain C auto-vectorised for this machine (-march=native: AVX-512 on the benchmark machine, a width wasm does
 * not have). Same model, same arrays, same drive (5…40 mV across the neurons); ms per step, medians.
 *
 *   node --require tsx/cjs bench/lif-ceiling.ts [--reps 5] [--steps 100] [--n 1000000]
 *
 * Needs gcc with OpenMP (Debian: build-essential); without it only brainweave's rows are printed.
 */
import '../src/node/wasm-threads';
import '../src/node/wasm-compile'; // wasm compiled eagerly, as brainweave/node does
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Network } from '../src';
import { LIF } from '../models/neurons/lif';
import { arg, median } from './util';

const reps = arg('reps', 5), steps = arg('steps', 100), n = arg('n', 1_000_000) & ~3, dt = 0.1;
const source = path.join(__dirname, 'reference', 'lif1m.c');

/** gcc builds of the reference: name → [binary, threads] */
function buildC(): Map<string, [string, number]> {
  const out = new Map<string, [string, number]>();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-lif-'));
  const build = (flags: string[], name: string) => {
    const bin = path.join(dir, name);
    const r = spawnSync('gcc', ['-O3', '-fopenmp', ...flags, source, '-o', bin], { encoding: 'utf8' });
    return r.status === 0 ? bin : null;
  };
  const sse = build(['-march=x86-64-v2', '-DSSE'], 'lif-sse'), native = build(['-march=native', '-ffast-math'], 'lif-native');
  if (sse) { out.set('C, SSE4.1 intrinsics (4 lanes), 1 thread', [sse, 1]); out.set('C, SSE4.1 intrinsics (4 lanes), 2 threads', [sse, 2]); }
  if (native) out.set('C, gcc -march=native auto-vectorised, 1 thread', [native, 1]);
  if (!out.size) console.log('gcc (with OpenMP) not found or failed: only brainweave is measured');
  return out;
}

/** one rep of a C build: ms per step over `steps` steps (after one warm-up rep), and its spike count at the end */
function runC(bin: string, threads: number): { ms: number; spikes: number } {
  const r = spawnSync(bin, [String(n), String(steps), '2', String(threads)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${bin}: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return { ms: Number(lines[1]), spikes: Number(lines[2].split(' ')[1]) };
}

(async () => {
  const drive = Float32Array.from({ length: n }, (_, i) => 5 + (35 * i) / n);
  const wasm: [string, { relaxed: boolean; threads?: number }][] = [
    ['brainweave wasm relaxed (f32x4), 1 thread', { relaxed: true }],
    ['brainweave wasm relaxed (f32x4), 2 threads', { relaxed: true, threads: 2 }],
    ['brainweave wasm float32 (exact), 1 thread', { relaxed: false }],
  ];
  const nets = new Map(wasm.map(([name]) => [name, new Network({ N: new LIF(n, { V0: -60 }) }, { precision: 'float32' })]));
  const run = (name: string, o: { relaxed: boolean; threads?: number }) =>
    nets.get(name)!.run(steps * dt, { dt, backend: 'wasm', inputs: [['N.input', drive]], wasm: o.threads ? { ...o, threadMinTrip: 16384 } : o });
  for (const [name, o] of wasm) await run(name, o); // compiled, workers up, JIT warm
  const c = buildC();
  const names = [...wasm.map(([x]) => x), ...c.keys()];
  const ms = new Map(names.map((x) => [x, [] as number[]]));
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length], w = wasm.find(([x]) => x === name);
      if (w) {
        const res = await run(name, w[1]);
        ms.get(name)!.push((res.timings.run / steps) * 1e3);
      } else {
        const [bin, threads] = c.get(name)!;
        ms.get(name)!.push(runC(bin, threads).ms);
      }
    }
    process.stdout.write(`round ${r + 1}/${reps}\r`);
  }
  const best = median(ms.get(names.find((x) => x.includes('SSE') && x.includes('1 thread')) ?? names[0])!);
  console.log(`\nLIF ${n} neurons, ${steps} steps per rep, ${reps} reps interleaved; node ${process.version}; ${os.cpus()[0].model}`);
  console.log('| code | ms per step (median) | range | ÷ C SSE 1 thread |');
  console.log('|---|---|---|---|');
  for (const name of names) {
    const xs = ms.get(name)!, m = median(xs);
    console.log(`| ${name} | ${m.toFixed(3)} | ${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)} | ${(m / best).toFixed(2)} |`);
  }
  // the same model: after 2 × steps steps from rest, about the same neurons spike in the last step (single
  // precision in both, the arithmetic in a different order, so not the same ones exactly)
  const sse = [...c.entries()].find(([x]) => x.includes('SSE'));
  if (sse) {
    const fresh = new Network({ N: new LIF(n, { V0: -60 }) }, { precision: 'float32' });
    await fresh.run(2 * steps * dt, { dt, backend: 'wasm', inputs: [['N.input', drive]], wasm: { relaxed: true } });
    const mine = Array.from(fresh.variable('N.spike')!.value).reduce((a, b) => a + b, 0);
    console.log(`model check, neurons spiking in step ${2 * steps}: brainweave relaxed ${mine}, C SSE ${runC(sse[1][0], 1).spikes}`);
  }
  for (const net of nets.values()) net.dispose();
})().catch((e) => { console.error(e); process.exit(1); });
