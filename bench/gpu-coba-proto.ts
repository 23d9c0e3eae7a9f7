/**
 * The hand-written gpu.js COBA prototype (src/backends/gpu/prototype-coba.ts) against brainweave's JS run of
 * the same network (examples/networks.ts cobaNetwork: same seed → same connectivity and initial V).
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx bench/gpu-coba-proto.ts \
 *       [--ms 1000] [--seed 42] [--shape calls|plan] [mode ...]
 */
import { cobaNetwork } from '../examples/networks';
import { SpikeMonitorData } from '../src';
import { createNodeGPUContext, ConcreteMode } from '../src/node/gpu';
import { runCOBAPrototype, COBAInputs } from '../src/backends/gpu/prototype-coba';

const arg = (n: string, d: string) => { const i = process.argv.indexOf(`--${n}`); return i >= 0 ? process.argv[i + 1] : d; };

/** Build the network (float32) and take what the prototype needs before the JS run changes V. */
export function cobaInputs(seed: number) {
  const net = cobaNetwork({ seed, precision: 'float32' });
  net.build();
  const g = (n: string) => net.get(n) as any;
  const V0 = new Float32Array(4000);
  V0.set(g('E').V.value, 0); V0.set(g('I').V.value, 3200);
  const r = (n: string) => ({ indptr: g(n).pre2post.indptr, indices: g(n).pre2post.indices });
  const inputs: COBAInputs = { nE: 3200, nI: 800, V0, EE: r('EE'), EI: r('EI'), IE: r('IE'), II: r('II'), dt: 0.1 };
  return { net, inputs };
}

async function main() {
  const duration = Number(arg('ms', '1000')), seed = Number(arg('seed', '42'));
  const shape = arg('shape', 'calls') as 'calls' | 'plan';
  const flags = new Set(['--ms', '--seed', '--shape']);
  const modes = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !flags.has(all[i - 1])) as ConcreteMode[];
  const steps = Math.round(duration / 0.1);
  const { net, inputs } = cobaInputs(seed);

  const t0 = performance.now();
  const res = await net.run(duration, { dt: 0.1, monitors: ['E.spike', 'I.spike'] });
  const jsMs = performance.now() - t0;
  const E = res.monitors['E.spike'] as SpikeMonitorData, I = res.monitors['I.spike'] as SpikeMonitorData;
  const s = duration / 1000;
  console.log(`COBA 4000, ${duration} ms, seed ${seed}`);
  console.log(`  js (brainweave compiled, float32): rate E ${(E.count / 3200 / s).toFixed(2)} Hz  I ${(I.count / 800 / s).toFixed(2)} Hz  ` +
    `${(res.timings.run * 1e6 / steps).toFixed(0)} µs/step (run only; ${(jsMs / steps * 1000).toFixed(0)} incl. compile)`);
  for (const mode of modes.length ? modes : ['webgpu', 'webasm', 'cpu'] as ConcreteMode[]) {
    let ctx;
    try { ctx = await createNodeGPUContext({ mode, allowSoftware: true }); } catch (e) { console.log(`  ${mode}: ${(e as Error).message}`); continue; }
    const r = await runCOBAPrototype(ctx, inputs, steps, { shape });
    console.log(`  ${ctx.describe()} [${shape}]: rate E ${r.rateE.toFixed(2)} Hz  I ${r.rateI.toFixed(2)} Hz  ` +
      `${(r.msPerStep * 1000).toFixed(0)} µs/step (after the first batch; ${r.batches} readbacks; ran on ${r.ran})`);
    ctx.destroy();
  }
  process.exit(0);
}
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
