/**
 * COBA at scale (issue 9): N neurons (80 % E / 20 % I, FixedProb p = 80/N, so 80 M synapses at N = 1 000 000),
 * run for --ms of model time on one backend. Prints connectivity build time, seconds per model second of the
 * loop, and memory per synapse: the process's resident set (peak and after the run) beyond what it held
 * before the network was built, divided by the number of synapses. One backend per process, so that the peak
 * belongs to it alone; run the backends one after another.
 *
 * `--arena 0` builds the network without its arena (NetworkOptions.arena): the wasm backend then copies the
 * connectivity into its own memory, as before the arena existed.
 *
 *   node --require tsx/cjs bench/coba-1m.ts [--N 1000000] [--ms 100] [--backend wasm|js] [--precision float32|float64] [--relaxed 1] [--arena 0]
 */
import { cobaNetwork } from '../examples/networks';
import { SpikeMonitorData } from '../src';
import { arg } from './util';

const N = arg('N', 1_000_000), ms = arg('ms', 100), relaxed = !!arg('relaxed', 0), arena = !!arg('arena', 1);
const backend = process.argv.includes('--backend') ? process.argv[process.argv.indexOf('--backend') + 1] : 'wasm';
const precision = process.argv.includes('float64') ? 'float64' : 'float32';
const MB = 2 ** 20;
const rss = () => process.memoryUsage().rss;
const peak = () => process.resourceUsage().maxRSS * 1024; // bytes (maxRSS is in KiB)

(async () => {
  const base = rss();
  const t0 = performance.now();
  const net = cobaNetwork({ nExc: (N * 4) / 5, nInh: N / 5, p: 80 / N, seed: 42, precision, arena }).build();
  const build = (performance.now() - t0) / 1000;
  let nSyn = 0;
  for (const { obj } of (net as unknown as { objects: { obj: { pre2post?: { indices: Int32Array } } }[] }).objects) nSyn += obj.pre2post?.indices.length ?? 0;
  const afterBuild = rss();
  const res = await net.run(ms, { dt: 0.1, backend, monitors: ['E.spike', 'I.spike'], wasm: relaxed ? { relaxed } : undefined });
  const spikes = (res.monitors['E.spike'] as SpikeMonitorData).count + (res.monitors['I.spike'] as SpikeMonitorData).count;
  const after = rss(), top = peak();
  const perSyn = (b: number) => ((b - base) / nSyn).toFixed(2);
  console.log(`COBA N=${N.toLocaleString('en')} (${(nSyn / 1e6).toFixed(1)} M synapses), ${ms} ms at dt 0.1 ms, ${res.backend}${relaxed ? ' relaxed' : ''}, ${precision}${arena ? '' : ', no arena'}, node ${process.version}`);
  console.log(`  build ${build.toFixed(1)} s   compile ${res.timings.compile.toFixed(2)} s   loop ${res.timings.run.toFixed(2)} s = ${(res.timings.run / (ms / 1000)).toFixed(1)} s per model second`);
  console.log(`  rate ${(spikes / N / (ms / 1000)).toFixed(1)} Hz`);
  console.log(`  memory beyond the process before build (${(base / MB).toFixed(0)} MiB): after build ${perSyn(afterBuild)} B/synapse, after run ${perSyn(after)}, peak ${perSyn(top)} (peak RSS ${(top / MB).toFixed(0)} MiB)`);
})().catch((e) => { console.error(e); process.exit(1); });
