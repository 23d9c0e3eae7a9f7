/**
 * What each CPU plan rewrite (src/compiler/cpu-plan.ts) is worth: the js and wasm backends compiled from
 * the plan with spike lists only, + loop rotation, + scalar replacement (the default), the best hand-written
 * JavaScript (bench/reference/coba-best.ts) beside them; COBA-4000, 1 s, interleaved, CPU-second medians.
 * All plan variants must give the same spikes (every rewrite is exact; the script stops otherwise).
 *
 *   npx tsx bench/plan-rewrites.ts [--reps 7] [--precision 64] [--only js-lists-scalar-inline,wasm-lists-scalar,…]
 */
import { registerBackend } from '../src';
import { jsBackend, emitJs } from '../src/backends/js/emit';
import { wasmBackend, emitWasm } from '../src/backends/wasm';
import { useSpikeLists } from '../src/compiler/spike-lists';
import { rotateStep } from '../src/compiler/rotate';
import { scalarize } from '../src/compiler/scalarize';
import { sinkClears } from '../src/compiler/sink-clears';
import { StepPlan } from '../src/compiler/plan';
import { cobaNetwork } from '../examples/networks';
import { bestCOBA, cobaState } from './reference/coba-best';
import { median, arg } from './util';

// js variants print each element-wise loop as a function of its own (compiler/outline.ts) unless named `-inline`;
// wasm variants use SIMD unless named `-nosimd`. Defaults: js lists-rotate-scalar, wasm lists-sink-scalar-ints
// (sink: compiler/sink-clears.ts; rotation includes what the fused loops know of cleared arrays, rotate.ts).
const variants: [string, (p: StepPlan) => StepPlan][] = [
  ['lists', useSpikeLists],
  ['lists-scalar', (p) => scalarize(useSpikeLists(p))],
  ['lists-scalar-ints', (p) => scalarize(useSpikeLists(p), { ints: true })],
  ['lists-sink-scalar', (p) => scalarize(sinkClears(useSpikeLists(p)))],
  ['lists-sink-scalar-ints', (p) => scalarize(sinkClears(useSpikeLists(p)), { ints: true })],
  ['lists-rotate', (p) => rotateStep(useSpikeLists(p))],
  ['lists-rotate-scalar', (p) => scalarize(rotateStep(useSpikeLists(p)))],
  ['lists-rotate-scalar-ints', (p) => scalarize(rotateStep(useSpikeLists(p)), { ints: true })],
];
for (const [v, f] of variants) {
  registerBackend({ ...jsBackend, name: `js-${v}`, autoRank: null, compile: (req) => emitJs(f(req.plan()), req.rng) });
  registerBackend({ ...jsBackend, name: `js-${v}-inline`, autoRank: null, compile: (req) => emitJs(f(req.plan()), req.rng, { hoist: false }) });
  registerBackend({ ...wasmBackend, name: `wasm-${v}`, autoRank: null, compile: (req) => emitWasm(req, f(req.plan()), { simd: true }) });
  registerBackend({ ...wasmBackend, name: `wasm-${v}-nosimd`, autoRank: null, compile: (req) => emitWasm(req, f(req.plan()), { simd: false }) });
}
const reps = arg('reps', 7), precision = arg('precision', 64) === 32 ? 'float32' : 'float64';
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };

async function coba(backend: string): Promise<{ cpu: number; wall: number; spikes: number }> {
  const n = cobaNetwork({ seed: 42, precision }).build();
  let c1 = NaN;
  n.on('progress', () => { if (Number.isNaN(c1)) c1 = cpu(); });
  const res = await n.run(1000, { dt: 0.1, backend, monitors: ['E.spike', 'I.spike'] });
  return { cpu: ((cpu() - c1) * 10) / 9, wall: res.timings.run, spikes: (res.monitors['E.spike'] as { count: number }).count + (res.monitors['I.spike'] as { count: number }).count };
}
function best(): { cpu: number; wall: number; spikes: number } {
  const n = cobaNetwork({ seed: 42, precision }).build();
  const c0 = cpu();
  const r = bestCOBA(cobaState(n), 10000, 0.1, 1000);
  return { cpu: cpu() - c0, wall: r.seconds, spikes: r.nE + r.nI };
}

(async () => {
  const only = process.argv.indexOf('--only') >= 0 ? process.argv[process.argv.indexOf('--only') + 1].split(',') : null;
  const names = [...variants.flatMap(([v]) => [`js-${v}`, `js-${v}-inline`, `wasm-${v}`, `wasm-${v}-nosimd`]), 'hand-written js']
    .filter((n) => (only ? only.includes(n) : !n.endsWith('-inline') && !n.endsWith('-nosimd')) || n === 'hand-written js');
  const got = new Map<string, number[]>(names.map((n) => [n, []]));
  const wall = new Map<string, number[]>(names.map((n) => [n, []]));
  let spikes = -1;
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length];
      const s = name === 'hand-written js' ? best() : await coba(name);
      if (spikes < 0) spikes = s.spikes;
      if (s.spikes !== spikes) throw new Error(`${name}: ${s.spikes} spikes, others ${spikes}`);
      got.get(name)!.push(s.cpu);
      wall.get(name)!.push(s.wall);
    }
    process.stdout.write(`round ${r + 1}/${reps}\r`);
  }
  const ref = median(got.get('hand-written js')!), refW = median(wall.get('hand-written js')!);
  console.log(`\nCOBA-4000, 1 s, ${precision}, ${reps} rounds, medians (${spikes} spikes in every variant)`);
  console.log('| code | CPU s | ÷ hand-written js | wall s | ÷ hand-written js |\n|---|---|---|---|---|');
  for (const n of names) {
    const c = median(got.get(n)!), w = median(wall.get(n)!);
    console.log(`| ${n} | ${c.toFixed(4)} | ${(c / ref).toFixed(2)} | ${w.toFixed(4)} | ${(w / refW).toFixed(2)} |`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
