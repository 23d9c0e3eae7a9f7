/**
 * The gpu backend next to the js backend, same process: per-step time of COBA (N = 4000 … , p = 80/N,
 * exponential conductances, examples/networks.ts) and of one step of N LIF neurons (the seed's 1M-neuron
 * benchmark), in every gpu.js mode that runs here. Times are `result.timings.run / steps` of a run after a
 * short warm-up run (kernel compilation), with the runtime's default chunking (state is uploaded at the
 * start and read back at the end of each chunk: a tenth of the run).
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx bench/gpu-backend.ts \
 *     [--modes js,cpu,webasm,webgpu] [--sizes 4000,8000,16000] [--ms 100] [--lif 1000000] [--lifSteps 20]
 *     [--chunk 0]       # steps per executable call (0: the runtime's default, a tenth of the run)
 *     [--check 1000]    # COBA-4000 for --check ms, seeds 1–3: rates and first differing step vs js
 */
import { Network, SpikeMonitorData } from '../src';
import { LIF } from '../models/neurons/lif';
import { cobaNetwork } from '../examples/networks';
import { setGPUMode, createNodeGPUContext } from '../src/node/gpu';
import { lastGPUExecutable } from '../src/backends/gpu/backend';
import type { ConcreteMode } from '../src/backends/gpu/context';

const opt = (name: string, def: string): string => {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && process.argv[k + 1] ? process.argv[k + 1] : def;
};
const modes = opt('modes', 'js,cpu,webasm,webgpu').split(',') as ('js' | ConcreteMode)[];
const sizes = opt('sizes', '4000,8000,16000').split(',').map(Number);
const ms = Number(opt('ms', '100'));
const lifN = Number(opt('lif', '1000000'));
const lifSteps = Number(opt('lifSteps', '20'));
const check = Number(opt('check', '0'));
// steps per run() call of the executable (the runtime's default: a tenth of the run); 0: default
const chunk = Number(opt('chunk', '0'));
const chunkOpt = chunk > 0 ? { chunk } : {};

const backendOf = (m: string) => { if (m !== 'js') setGPUMode(m as ConcreteMode); return m === 'js' ? 'js' : 'gpu'; };

async function available(m: string): Promise<string | null> {
  if (m === 'js') return null;
  try { (await createNodeGPUContext({ mode: m as ConcreteMode })).describe(); return null; } catch (e) { return (e as Error).message; }
}

async function coba(m: string, N: number): Promise<{ perStep: number; rate: number; ran: string }> {
  const net = cobaNetwork({ nExc: Math.round(0.8 * N), nInh: N - Math.round(0.8 * N), p: 80 / N, seed: 1 });
  const backend = backendOf(m);
  await net.run(1, { backend, monitors: ['E.spike'] });                    // compile + first kernels
  const r = await net.run(ms, { backend, monitors: ['E.spike'], ...chunkOpt });
  const E = r.monitors['E.spike'] as SpikeMonitorData;
  return { perStep: (r.timings.run / r.steps) * 1e3, rate: E.count / Math.round(0.8 * N) / (ms / 1000), ran: m === 'js' ? 'js' : lastGPUExecutable?.ranOn() ?? '?' };
}

async function lif(m: string, n: number): Promise<{ perStep: number; V: Float32Array }> {
  const drive = Float32Array.from({ length: n }, (_, i) => 5 + (35 * i) / n);
  const net = new Network({ N: new LIF(n, { V0: -60 }) });
  const backend = backendOf(m);
  await net.run(0.1, { backend, inputs: [['N.input', drive]] });
  const r = await net.run(lifSteps * 0.1, { backend, inputs: [['N.input', drive]], ...chunkOpt });
  return { perStep: (r.timings.run / r.steps) * 1e3, V: Float32Array.from(net.variable('N.V')!.value) };
}

(async () => {
  const ok: string[] = [];
  for (const m of modes) {
    const why = await available(m);
    if (why) console.log(`${m}: unavailable (${why})`); else ok.push(m);
  }
  console.log(`\nCOBA, ${ms} ms per size (after a 1 ms warm-up run), chunk ${chunk || 'default'}, ms per step [E rate Hz]`);
  console.log(['N', ...ok].join(' | '));
  for (const N of sizes) {
    const row: string[] = [String(N)];
    for (const m of ok) {
      const c = await coba(m, N);
      row.push(`${c.perStep.toFixed(2)} [${c.rate.toFixed(1)}]`);
      if (N === sizes[0] && m !== 'js') console.error(`  (${m} ran on ${c.ran})`);
    }
    console.log(row.join(' | '));
  }
  if (lifN > 0) {
    console.log(`\nLIF, N = ${lifN}, ${lifSteps} steps after a 1-step warm-up run, chunk ${chunk || 'default'}: ms per step; max |V − V_js|`);
    let ref: Float32Array | null = null;
    for (const m of ok) {
      const r = await lif(m, lifN);
      let d = 0;
      if (ref) for (let i = 0; i < lifN; i++) d = Math.max(d, Math.abs(r.V[i] - ref[i]));
      if (m === 'js') ref = r.V;
      console.log(`${m} | ${r.perStep.toFixed(2)} | ${m === 'js' ? '-' : d.toExponential(2)}`);
    }
  }
  if (check > 0) {
    const { runCoba, firstDifference } = await import('../test/gpu-backend-helpers');
    console.log(`\nCOBA-4000, ${check} ms, rates E/I (Hz) and first step whose spikes differ from js`);
    for (const seed of [1, 2, 3]) {
      const js = await runCoba('js', seed, check);
      console.log(`seed ${seed} js | E ${js.rateE.toFixed(3)} | I ${js.rateI.toFixed(3)}`);
      for (const m of ok.filter((x) => x !== 'js')) {
        const g = await runCoba(m as ConcreteMode, seed, check);
        const dE = (g.rateE - js.rateE) / js.rateE * 100, dI = (g.rateI - js.rateI) / js.rateI * 100;
        console.log(`seed ${seed} ${m} | E ${g.rateE.toFixed(3)} (${dE >= 0 ? '+' : ''}${dE.toFixed(2)}%) | I ${g.rateI.toFixed(3)} (${dI >= 0 ? '+' : ''}${dI.toFixed(2)}%) | first difference at step ${firstDifference(js, g)} | ${(g.ms / 1000).toFixed(1)} s`);
      }
    }
  }
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
