/**
 * Issue 9, "faster than Brian2's C++ on a CPU": COBA (4000 LIF, 1 s at dt = 0.1 ms, spikes monitored) timed
 * against Brian2 2.5 C++ standalone and the best hand-written code, all in one run, interleaved.
 *
 *   npx tsx bench/brian2.ts [--N 4000] [--reps 7] [--install] [--no-brian2] [--no-liftoff]
 *   npm run build && node dist/bench/brian2.js [same options]     # plain node: JS runs faster than under tsx
 *
 * Contenders, each one rep per round, the order rotated every round:
 *  - brian2      bench/brian2/coba.py built once (C++ standalone, Brian2's -O3 -march=native -ffast-math);
 *                each rep runs the compiled `main` again. Time = Brian2's own measurement of Network::run
 *                (results/last_run_info.txt: std::clock(), i.e. process CPU seconds of the step loop with its
 *                SpikeMonitor; connectivity creation and initialisation excluded). `binary wall` is the whole
 *                process for orientation.
 *  - brainweave  net.run(1000, { dt: 0.1, monitors: ['E.spike', 'I.spike'] }): `timings.run` (wall, loop only).
 *  - best JS     bench/reference/coba-best.ts (wall, loop only).
 *  - wasm        bench/reference/coba-wasm-simd.ts, a fresh module per rep (wall, loop only, compile excluded).
 *                `wall` for Brian2 is wall-clock around `run` (bench/brian2/coba.py inserts the timer; includes the
 *                spike-queue set-up before the loop).
 * CPU seconds are the primary figure: on the shared 2-core machine a process often gets a fraction of a core,
 * which inflates wall time but not CPU time. JS/wasm: process.cpuUsage over the loop (includes V8's helper
 * threads, e.g. background TurboFan compiles); brainweave: from its first progress event to the end × 10/9.
 * Spike counts are asserted equal where the arithmetic is the same (brainweave = best JS in float32 and
 * float64; = wasm f64x2 in float64 and, with f32 storage, in float32). Brian2 draws its own connectivity and initial values, so its count only
 * has to be close (same rates).
 *
 * Brian2: `/usr/bin/python3 -c 'import brian2'` must work; `--install` runs `apt-get install -y python3-brian`
 * (Debian/Ubuntu, as root) when it does not.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { buildBrian2, runBrian2 } from './brian2/standalone';
import { cobaNetwork } from '../examples/networks';
import { cobaState, bestCOBA } from './reference/coba-best';
import { buildWasmCOBA } from './reference/coba-wasm-simd';
import { median, arg } from './util';

if (process.argv.includes('--no-liftoff')) v8.setFlagsFromString('--no-liftoff'); // wasm straight to TurboFan

const N = arg('N', 4000), reps = arg('reps', 7);
const nE = (N * 4) / 5, nI = N - nE, p = N === 4000 ? 0.02 : 80 / N;
const PY = '/usr/bin/python3';
// the repository root, whether run by tsx from bench/ or by node from dist/bench/ (faster: see bench/RESULTS.md)
let root = path.resolve(__dirname, '..');
while (!fs.existsSync(path.join(root, 'bench', 'brian2', 'coba.py')) && path.dirname(root) !== root) root = path.dirname(root);

/** wall and CPU seconds of the loop, spike counts */
interface Sample { wall: number; cpu: number; nE: number; nI: number }

function brian2Available(): boolean {
  return spawnSync(PY, ['-c', 'import brian2'], { stdio: 'ignore' }).status === 0;
}

function ensureBrian2(): boolean {
  if (process.argv.includes('--no-brian2')) return false;
  if (brian2Available()) return true;
  if (process.argv.includes('--install')) {
    console.log('installing python3-brian with apt-get …');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', 'python3-brian'], { stdio: 'inherit', env });
    if (brian2Available()) return true;
  }
  console.log(`Brian2 not found for ${PY}: install it with \`apt-get install -y python3-brian\` (or rerun with --install); ` +
    'continuing without the Brian2 column.');
  return false;
}

const net = (precision: 'float32' | 'float64') => cobaNetwork({ nExc: nE, nInh: nI, p, seed: 42, precision });
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

async function runBrainweave(precision: 'float32' | 'float64'): Promise<Sample> {
  const n = net(precision).build();
  // net.run compiles, then runs 10 chunks of 1000 steps with a 'progress' event after each: CPU from the
  // first event to the end, scaled by 10/9, is the loop's CPU time without the compile
  let c1 = NaN;
  n.on('progress', () => { if (Number.isNaN(c1)) c1 = cpuNow(); });
  const res = await n.run(1000, { dt: 0.1, monitors: ['E.spike', 'I.spike'] });
  const cpu = ((cpuNow() - c1) * 10) / 9;
  return { wall: res.timings.run, cpu, nE: (res.monitors['E.spike'] as any).count, nI: (res.monitors['I.spike'] as any).count };
}
function runBest(precision: 'float32' | 'float64'): Sample {
  const st = cobaState(net(precision).build());
  const c0 = cpuNow();
  const r = bestCOBA(st, 10000, 0.1);
  return { wall: r.seconds, cpu: cpuNow() - c0, nE: r.nE, nI: r.nI };
}
function runWasm(precision: 'float32' | 'float64', exact = false): Sample {
  const w = buildWasmCOBA(cobaState(net(precision).build()), 0.1, { exact });
  const c0 = cpuNow();
  const r = w.run(10000);
  return { wall: r.seconds, cpu: cpuNow() - c0, nE: r.nE, nI: r.nI };
}

(async () => {
  const haveBrian = ensureBrian2();
  const brian = haveBrian ? buildBrian2(root, PY, N) : null;
  const contenders: [string, () => Sample | Promise<Sample>][] = [
    ...(brian ? [['Brian2 2.5 C++ standalone (float64)', () => runBrian2(brian, nE)] as [string, () => Sample]] : []),
    ['brainweave net.run, float32', () => runBrainweave('float32')],
    ['best hand-written JS, float32', () => runBest('float32')],
    ['hand-written wasm f32x4 SIMD, float32', () => runWasm('float32')],
    ['hand-written wasm f64x2 SIMD, float32 storage (exact)', () => runWasm('float32', true)],
    ['brainweave net.run, float64', () => runBrainweave('float64')],
    ['best hand-written JS, float64', () => runBest('float64')],
    ['hand-written wasm f64x2 SIMD, float64', () => runWasm('float64')],
  ];
  const samples = new Map<string, Sample[]>(contenders.map(([n]) => [n, []]));
  console.log(`COBA N=${N} (${nE} E / ${nI} I, p=${p}), 1 s at dt 0.1 ms, ${reps} rounds, order rotated per round; node ${process.version} (${__filename.endsWith('.ts') ? 'tsx' : 'plain node'})` +
    (brian ? `; Brian2 flags ${brian.flags.join(' ')}, ${brian.synapses} synapses` : ''));
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const [name, fn] = contenders[(k + r) % contenders.length];
      samples.get(name)!.push(await fn());
    }
    process.stdout.write(`round ${r + 1}/${reps}\r`);
  }
  const get = (n: string) => samples.get(n)!;
  const same = (a: string, b: string) => {
    const x = get(a)[0], y = get(b)[0];
    if (x.nE !== y.nE || x.nI !== y.nI) throw new Error(`${a} and ${b} disagree: ${x.nE}/${x.nI} vs ${y.nE}/${y.nI} spikes`);
  };
  same('brainweave net.run, float32', 'best hand-written JS, float32');
  same('brainweave net.run, float32', 'hand-written wasm f64x2 SIMD, float32 storage (exact)');
  same('brainweave net.run, float64', 'best hand-written JS, float64');
  same('brainweave net.run, float64', 'hand-written wasm f64x2 SIMD, float64');

  const brianS = brian ? get(contenders[0][0]) : null;
  const refCpu = brianS ? median(brianS.map((s) => s.cpu)) : NaN, refWall = brianS ? median(brianS.map((s) => s.wall)) : NaN;
  const f = (x: number) => x.toFixed(4);
  const range = (xs: number[]) => `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
  console.log('\n| code | CPU s median | CPU min–max | ÷ Brian2 (CPU) | wall s median | wall min–max | ÷ Brian2 (wall) | E Hz | I Hz |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const [name] of contenders) {
    const ss = get(name), w = ss.map((s) => s.wall), c = ss.map((s) => s.cpu);
    console.log(`| ${name} | ${f(median(c))} | ${range(c)} | ${brianS ? (median(c) / refCpu).toFixed(2) : '–'} | ${f(median(w))} | ${range(w)} | ` +
      `${brianS ? (median(w) / refWall).toFixed(2) : '–'} | ${(ss[0].nE / nE).toFixed(1)} | ${(ss[0].nI / nI).toFixed(1)} |`);
  }
  const l = require('os').loadavg();
  console.log(`load average at the end ${l.map((x: number) => x.toFixed(1)).join(' ')} on ${require('os').cpus().length} CPUs`);
})().catch((e) => { console.error(e); process.exit(1); });
