/**
 * Which code shape of the hand-written wasm COBA is fastest: the variants of bench/reference/coba-wasm-simd.ts
 * (and the best JS for scale), one rep each per round, interleaved, CPU seconds of the loop (process.cpuUsage:
 * robust on the shared machine where wall time is not), median and range.
 *   npx tsx bench/wasm-variants.ts [--reps 7] [--N 4000]
 */
import { cobaNetwork } from '../examples/networks';
import { cobaState, bestCOBA } from './reference/coba-best';
import { buildWasmCOBA, WasmCobaOptions } from './reference/coba-wasm-simd';
import { median, arg } from './util';

const reps = arg('reps', 7), N = arg('N', 4000);
const cpuNow = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const net = (precision: 'float32' | 'float64') =>
  cobaNetwork({ nExc: (N * 4) / 5, nInh: N / 5, p: N === 4000 ? 0.02 : 80 / N, seed: 42, precision }).build();

type V = [string, 'float32' | 'float64', WasmCobaOptions | 'js'];
const variants: V[] = [
  ['f32x4 (default: × dt/tau)', 'float32', {}],
  ['f32x4, ÷ tau × dt as written', 'float32', { divide: true }],
  ['f32x4, constants in locals', 'float32', { constLocals: true }],
  ['f32x4, body unrolled ×2', 'float32', { unroll: 2 }],
  ['f32x4, one call per 100 steps', 'float32', {}],
  ['f32x4, no delivery (neuron pass only)', 'float32', { noDelivery: true }],
  ['f64x2 on f32 storage (exact float32)', 'float32', { exact: true }],
  ['f64x2 (float64)', 'float64', {}],
  ['f64x2, body unrolled ×2', 'float64', { unroll: 2 }],
  ['best JS float32', 'float32', 'js'],
  ['best JS float64', 'float64', 'js'],
];
const cpu = new Map<string, number[]>(variants.map(([n]) => [n, []]));
const spikes = new Map<string, number>();
for (let r = 0; r < reps; r++) {
  for (let k = 0; k < variants.length; k++) {
    const [name, precision, o] = variants[(k + r) % variants.length];
    const st = cobaState(net(precision));
    const run = o === 'js' ? () => bestCOBA(st, 10000, 0.1) : ((w) => () => w.run(10000, name.includes('per 100') ? 100 : 10000))(buildWasmCOBA(st, 0.1, o));
    const c0 = cpuNow(); const res = run(); cpu.get(name)!.push(cpuNow() - c0);
    spikes.set(name, res.nE + res.nI);
  }
}
console.log(`COBA N=${N}, 1 s, ${reps} interleaved rounds, node ${process.version}; CPU seconds of the loop\n`);
console.log('| variant | CPU s median | min–max | spikes |\n|---|---|---|---|');
for (const [name] of variants) {
  const c = cpu.get(name)!;
  console.log(`| ${name} | ${median(c).toFixed(4)} | ${Math.min(...c).toFixed(4)}–${Math.max(...c).toFixed(4)} | ${spikes.get(name)} |`);
}
const l = require('os').loadavg();
console.log(`load average at the end ${l.map((x: number) => x.toFixed(1)).join(' ')}`);
