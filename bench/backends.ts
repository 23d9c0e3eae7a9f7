/**
 * brainweave's backends against each other and against Brian2's C++: the same model code compiled by each
 * backend (net.run with `backend`), interleaved, medians over rounds.
 *
 *   npx tsx bench/backends.ts [--N 4000] [--reps 5] [--no-brian2] [--hand 1] [--lif 1] [--lifSteps 100] [--threads 1] [--minTrip 16384]
 *
 *  - COBA (examples/networks.ts: 80 % E / 20 % I LIF, exponential conductances, p = 0.02 at N = 4000, else
 *    80/N), 1 s at dt = 0.1 ms, both spike monitors: `timings.run` (wall, loop only) and the process CPU
 *    seconds of the loop (from the first progress event, × 10/9, as bench/brian2.ts measures brainweave).
 *    js and wasm must give the same spike counts (bit-identical backends); the check fails the run otherwise.
 *  - Brian2 2.5 C++ standalone (bench/brian2/coba.py, built once; its own std::clock() of Network::run):
 *    draws its own connectivity, so its counts only have to be close.
 *  - the seed's benchmark: one step of 1,000,000 LIF neurons under a constant array input (--lif 0 skips it).
 *  - wasm-relaxed: the wasm backend with f32x4 single-precision map loops (the run option
 *    `wasm: { relaxed: true }`): float32 only, not bit-identical, so its counts only have to be close.
 *  - the best hand-written code for the same model and connectivity (bench/reference/): JavaScript in float64
 *    and float32 (coba-best.ts, one fused pass per group) and WebAssembly with f32x4 (coba-wasm-simd.ts, 100 steps per call:
 *    V8 runs a module's first call in its baseline tier), so each backend is also measured against the best code
 *    of its kind in the same run (--hand 0 leaves them out). The JavaScript must give the same spike counts as
 *    brainweave's run in the same precision; the f32x4 code's only have to be close.
 *  - --threads T > 1 adds wasm float64 and wasm-relaxed with `wasm: { threads: T, threadMinTrip: minTrip }`
 *    (bit-identical to one thread). Their networks first run 1 ms (the workers start) and are disposed after;
 *    compare their wall seconds: CPU seconds count every thread, the spinning ones too.
 * CPU seconds are the figure to compare on a shared machine (a process often gets part of a core).
 * "round 1": each contender's first sample, the first time its kind of code runs in the process (the
 * hand-written references then run in functions V8 has not optimised yet; later rounds reuse them).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { Network } from '../src';
import '../src/node/wasm-threads';
import '../src/node/wasm-compile'; // wasm compiled eagerly, as brainweave/node does
import { LIF } from '../models/neurons/lif';
import { buildBrian2, runBrian2 } from './brian2/standalone';
import { cobaNetwork } from '../examples/networks';
import { cobaState, bestCOBA } from './reference/coba-best';
import { buildWasmCOBA } from './reference/coba-wasm-simd';
import { median, arg } from './util';

const threads = arg('threads', 1), minTrip = arg('minTrip', 16384);
const N = arg('N', 4000), reps = arg('reps', 5), nE = (N * 4) / 5, nI = N - nE, p = N === 4000 ? 0.02 : 80 / N;
const PY = '/usr/bin/python3';
let root = path.resolve(__dirname, '..');
while (!fs.existsSync(path.join(root, 'bench', 'brian2', 'coba.py')) && path.dirname(root) !== root) root = path.dirname(root);

interface Sample { wall: number; cpu: number; nE: number; nI: number }
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

async function coba(backend: string, precision: 'float32' | 'float64', relaxed = false, T = 1): Promise<Sample> {
  const n = cobaNetwork({ nExc: nE, nInh: nI, p, seed: 42, precision }).build();
  const wasm = T > 1 ? { relaxed, threads: T, threadMinTrip: minTrip } : relaxed ? { relaxed } : undefined;
  if (T > 1) await n.run(1, { dt: 0.1, backend, monitors: ['E.spike', 'I.spike'], wasm }); // workers start
  let c1 = NaN;
  n.on('progress', () => { if (Number.isNaN(c1)) c1 = cpuNow(); });
  const res = await n.run(1000, { dt: 0.1, backend, monitors: ['E.spike', 'I.spike'], wasm });
  n.dispose();
  if (res.backend !== backend) throw new Error(`asked for ${backend}, ran ${res.backend}`);
  return { wall: res.timings.run, cpu: ((cpuNow() - c1) * 10) / 9, nE: (res.monitors['E.spike'] as { count: number }).count, nI: (res.monitors['I.spike'] as { count: number }).count };
}

/** the hand-written references on a fresh network's state: loop time, and the CPU seconds of the call */
function hand(kind: 'js' | 'js32' | 'wasm'): Sample {
  const st = cobaState(cobaNetwork({ nExc: nE, nInh: nI, p, seed: 42, precision: kind === 'js' ? 'float64' : 'float32' }).build());
  const w = kind === 'wasm' ? buildWasmCOBA(st, 0.1) : null;
  const c0 = cpuNow();
  const r = w ? w.run(10000, 100) : bestCOBA(st, 10000, 0.1);
  return { wall: r.seconds, cpu: cpuNow() - c0, nE: r.nE, nI: r.nI };
}

function brian2(): { run: () => Sample; synapses: number } | null {
  if (process.argv.includes('--no-brian2') || spawnSync(PY, ['-c', 'import brian2'], { stdio: 'ignore' }).status !== 0) return null;
  const b = buildBrian2(root, PY, N);
  return { synapses: b.synapses, run: () => runBrian2(b, nE) };
}

/** ms per step of 1M LIF neurons (seed benchmark), median over reps, backends interleaved; `wasm-relaxed`: f32x4 */
async function lif1m(backends: string[], steps: number): Promise<Map<string, number[]>> {
  const n = 1_000_000, dt = 0.1;
  const drive = Float32Array.from({ length: n }, (_, i) => 5 + (35 * i) / n);
  const nets = new Map(backends.map((b) => [b, new Network({ N: new LIF(n, { V0: -60 }) })]));
  const out = new Map(backends.map((b) => [b, [] as number[]]));
  for (let r = 0; r < reps; r++) {
    for (const b of backends) {
      const relaxed = b.startsWith('wasm-relaxed'), T = b.endsWith('-threads') ? threads : 1;
      const wasm = { relaxed, ...(T > 1 ? { threads: T, threadMinTrip: minTrip } : {}) };
      const run = () => nets.get(b)!.run(steps * dt, { dt, backend: b.startsWith('wasm') ? 'wasm' : b, inputs: [['N.input', drive]], wasm });
      if (r === 0 && T > 1) await run(); // workers start
      const res = await run();
      out.get(b)!.push((res.timings.run / steps) * 1e3);
    }
  }
  // same model, same inputs, bit-identical backends: the same state
  const [a, ...rest] = backends.filter((b) => !b.startsWith('wasm-relaxed') && !b.endsWith('-threads')).map((b) => nets.get(b)!.variable('N.V')!.value);
  for (const x of rest) for (let i = 0; i < a.length; i++) if (!Object.is(a[i], x[i])) throw new Error(`LIF 1M: backends disagree at V[${i}]`);
  return out;
}

(async () => {
  const b2 = brian2();
  const contenders: [string, () => Promise<Sample> | Sample][] = [
    ...(b2 ? [['Brian2 2.5 C++ standalone (float64)', b2.run] as [string, () => Sample]] : []),
    ['js, float32', () => coba('js', 'float32')],
    ['wasm, float32', () => coba('wasm', 'float32')],
    ['wasm-relaxed (f32x4), float32', () => coba('wasm', 'float32', true)],
    ['js, float64', () => coba('js', 'float64')],
    ...(arg('hand', 1) ? [
      ['hand-written JS (bench/reference/coba-best.ts), float64', () => hand('js')],
      ['hand-written JS (bench/reference/coba-best.ts), float32', () => hand('js32')],
      ['hand-written wasm f32x4 (bench/reference/coba-wasm-simd.ts), float32', () => hand('wasm')],
    ] as [string, () => Sample][] : []),
    ['wasm, float64', () => coba('wasm', 'float64')],
    ...(threads > 1 ? [
      [`wasm, float64, ${threads} threads`, () => coba('wasm', 'float64', false, threads)],
      [`wasm-relaxed (f32x4), float32, ${threads} threads`, () => coba('wasm', 'float32', true, threads)],
    ] as [string, () => Promise<Sample>][] : []),
  ];
  const samples = new Map<string, Sample[]>(contenders.map(([n]) => [n, []]));
  console.log(`COBA N=${N} (${nE} E / ${nI} I, p=${p}), 1 s at dt 0.1 ms, ${reps} rounds, order rotated per round; node ${process.version}` + (b2 ? `; Brian2: ${b2.synapses} synapses` : ''));
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const [name, fn] = contenders[(k + r) % contenders.length];
      samples.get(name)!.push(await fn());
    }
    process.stdout.write(`round ${r + 1}/${reps}\r`);
  }
  for (const prec of ['float32', 'float64']) {
    const a = samples.get(`js, ${prec}`)![0], b = samples.get(`wasm, ${prec}`)![0];
    if (a.nE !== b.nE || a.nI !== b.nI) throw new Error(`js and wasm disagree in ${prec}: ${a.nE}/${a.nI} vs ${b.nE}/${b.nI} spikes`);
  }
  for (const prec of ['float32', 'float64']) {
    const hj = samples.get(`hand-written JS (bench/reference/coba-best.ts), ${prec}`)?.[0], j = samples.get(`js, ${prec}`)![0];
    if (hj && (hj.nE !== j.nE || hj.nI !== j.nI)) throw new Error(`hand-written JS and js disagree in ${prec}: ${hj.nE}/${hj.nI} vs ${j.nE}/${j.nI} spikes`);
  }
  const ref = b2 ? samples.get(contenders[0][0])! : null;
  const refCpu = ref ? median(ref.map((s) => s.cpu)) : NaN, refWall = ref ? median(ref.map((s) => s.wall)) : NaN;
  const f = (x: number) => x.toFixed(4);
  console.log('\n| code | CPU s median | ÷ Brian2 (CPU) | wall s median | wall min–max | ÷ Brian2 (wall) | round 1 wall s | E Hz | I Hz |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [name] of contenders) {
    const ss = samples.get(name)!, w = ss.map((s) => s.wall), c = ss.map((s) => s.cpu);
    if (process.argv.includes('--samples')) console.log(name, w.map(f).join(' '));
    console.log(`| ${name} | ${f(median(c))} | ${ref ? (median(c) / refCpu).toFixed(2) : '–'} | ${f(median(w))} | ${f(Math.min(...w))}–${f(Math.max(...w))} | ` +
      `${ref ? (median(w) / refWall).toFixed(2) : '–'} | ${f(w[0])} | ${(ss[0].nE / nE).toFixed(1)} | ${(ss[0].nI / nI).toFixed(1)} |`);
  }
  if (arg('lif', 1)) {
    const steps = arg('lifSteps', 100);
    const l = await lif1m(['js', 'wasm', 'wasm-relaxed', ...(threads > 1 ? ['wasm-threads', 'wasm-relaxed-threads'] : [])], steps);
    console.log(`\nLIF 1,000,000 neurons, float32, ${steps} steps per rep: ms per step, median of ${reps}`);
    for (const [b, xs] of l) console.log(`| ${b} | ${median(xs).toFixed(2)} ms | ${xs.map((x) => x.toFixed(2)).join(' ')} |`);
  }
  const la = os.loadavg();
  console.log(`load average at the end ${la.map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
})().catch((e) => { console.error(e); process.exit(1); });
