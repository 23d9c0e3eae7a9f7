/**
 * Where a COBA step's time goes, per mode: the neuron kernel alone, the synapse (CSC gather) kernel alone,
 * a readback of the packed state, and Philox uniforms per second.
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx bench/gpu-kernel-times.ts [mode ...]
 */
import { cobaInputs } from './gpu-coba-proto';
import { createNodeGPUContext, ConcreteMode, kernelMode } from '../src/node/gpu';
import { cobaKernels, cscFrom } from '../src/backends/gpu/prototype-coba';
import { philoxKernelSource, toHalves } from '../src/backends/gpu/philox';

const settle = async (v: any) => (v && typeof v.then === 'function' ? await v : v);
const read = async (v: any) => { v = await settle(v); return v && typeof v.toArray === 'function' ? await settle(v.toArray()) : v; };

async function main() {
  const modes = (process.argv.slice(2).length ? process.argv.slice(2) : ['webgpu', 'webasm', 'cpu']) as ConcreteMode[];
  const { inputs } = cobaInputs(42);
  const { nE, nI, EE, EI, IE, II } = inputs, N = nE + nI;
  const exc = cscFrom([{ r: EE, preOffset: 0, postOffset: 0, nPre: nE, nPost: nE }, { r: EI, preOffset: 0, postOffset: nE, nPre: nE, nPost: nI }], N);
  const inh = cscFrom([{ r: IE, preOffset: nE, postOffset: 0, nPre: nI, nPost: nE }, { r: II, preOffset: nE, postOffset: nE, nPre: nI, nPost: nI }], N);
  const src = cobaKernels(N, nE, 0.1);
  const S0 = new Float32Array(4 * N); S0.set(inputs.V0); S0.fill(-1e7, 2 * N, 3 * N);
  for (let i = 0; i < N; i += 7) S0[N + i] = 1;           // some spikes for the gather to count
  const G0 = new Float32Array(2 * N), t0 = new Float32Array([0]);
  const reps = 200;
  for (const mode of modes) {
    let ctx;
    try { ctx = await createNodeGPUContext({ mode, allowSoftware: true }); } catch (e) { console.log(`${mode}: ${(e as Error).message}`); continue; }
    const o = { pipeline: true, immutable: true };
    const neuron = ctx.gpu.createKernel(src.neuron, { output: [4 * N], ...o });
    const synapse = ctx.gpu.createKernel(src.synapse, { output: [2 * N], loopMaxIterations: Math.max(exc.maxRow, inh.maxRow) + 1, ...o });
    const S = await settle(neuron(S0, G0, t0, 0, 1)); const G = await settle(synapse(S, G0, exc.ptr, exc.idx, inh.ptr, inh.idx));
    await read(S); await read(G);                          // compiled, uploaded
    const time = async (f: () => any) => {
      const a = performance.now(); let last: any;
      for (let r = 0; r < reps; r++) { const x = await settle(f()); if (last?.delete) last.delete(); last = x; }
      await read(last); return (performance.now() - a) / reps * 1000;
    };
    const tn = await time(() => neuron(S, G, t0, 0, 0));
    const ts = await time(() => synapse(S, G, exc.ptr, exc.idx, inh.ptr, inh.idx));
    const a = performance.now(); for (let r = 0; r < 20; r++) await read(S); const tr = (performance.now() - a) / 20 * 1000;
    const n = 1 << 18, ctr = new Uint32Array(4 * n); for (let i = 0; i < n; i++) ctr[4 * i] = i;
    const ku = ctx.gpu.createKernel(philoxKernelSource('uniform'), { output: [4 * n] });
    await read(ku(toHalves(ctr), toHalves([1, 2])));
    const b = performance.now(); await read(ku(toHalves(ctr), toHalves([1, 2]))); const tp = performance.now() - b;
    console.log(`${ctx.describe()}: neuron kernel ${tn.toFixed(0)} µs, synapse kernel ${ts.toFixed(0)} µs ` +
      `(${kernelMode(neuron)}/${kernelMode(synapse)}), readback of 4N floats ${tr.toFixed(0)} µs, ` +
      `Philox uniforms ${(4 * n / tp / 1000).toFixed(1)} M/s (1M per call incl. upload+readback)`);
    ctx.destroy();
  }
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
