/**
 * COBA (3200 E + 800 I LIF, FixedProb 0.02, exponential conductances; the parameters of examples/coba.ts)
 * written by hand as gpu.js kernels: the shapes the gpu emitter has to produce from the step plan.
 *
 * Per step, two kernels, each a pure function of device-resident inputs (gpu.js kernels cannot write an
 * argument: every written Variable is ping-ponged, A → B, B → A):
 *
 * 1. neuron kernel, output S' (4N): the state of all N neurons packed field after field
 *    [V | spike | tLast | rec]; thread x computes field ⌊x/N⌋ of neuron x mod N (the LIF update is
 *    recomputed per field: four cheap recomputations beat four kernels, and gpu.js has no kernel maps on
 *    webgpu). The synaptic input of models/neurons/lif.ts (`input`, filled by the synapses, cleared by the
 *    neuron) is not stored: it is g·(E − V) of the previous step, computed here from G and V.
 *    `rec` collects spikes as bits: rec' = 2·rec + spike, reset at the first step of a batch, so one
 *    readback of S every ≤ 24 steps (float32 holds 24 bits exactly) gives all spikes of the batch.
 * 2. synapse kernel, output G' (2N): [gE | gI]; thread x decays its conductance and gathers over its CSC
 *    row (the pre neurons projecting to it) the spikes of this step: g' = g(1 − dt/τ) + w·Σ spike[pre].
 *    G holds g after delivery, before decay; decaying at the start of the next step gives the same sequence
 *    as exponential.ts (deliver, output, decay).
 *    Loop: integer counter from 0 to the row length (WebGPU rejects a float counter) with
 *    loopMaxIterations set to the longest row (gpu.js silently truncates longer loops on every mode).
 *
 * E and I are one population of N = nE + nI; the four projections become two CSC structures over global
 * indices: excitatory (EE for posts < nE, EI for the rest) and inhibitory (IE, II).
 */
import { GPUContext, kernelMode } from './context';

export interface Ragged { indptr: Int32Array; indices: Int32Array }

export interface COBAInputs {
  nE: number; nI: number;
  V0: Float32Array;                  // initial V of all N neurons (E then I)
  EE: Ragged; EI: Ragged; IE: Ragged; II: Ragged;   // pre2post of each projection, local indices
  dt?: number;
}

export interface COBAResult {
  mode: string;
  steps: number;
  spikesE: number; spikesI: number;
  rateE: number; rateI: number;       // Hz
  /** spike counts per step (whole network) */
  perStep: Int32Array;
  /** wall time of the step loop (ms), excluding kernel compilation (first batch) when `warmup` */
  ms: number;
  msPerStep: number;
  batches: number;
  /** which gpu.js machinery ran: the kernels' backend, and for shape 'plan' the pipeline executor */
  ran: string;
}

/** Post-major (CSC) rows over global indices, from pre-major rows with local indices. */
export function cscFrom(parts: { r: Ragged; preOffset: number; postOffset: number; nPre: number; nPost: number }[], N: number) {
  const count = new Int32Array(N + 1);
  for (const { r, postOffset, nPre } of parts) for (let i = 0; i < nPre; i++) for (let k = r.indptr[i]; k < r.indptr[i + 1]; k++) count[postOffset + r.indices[k] + 1]++;
  for (let j = 0; j < N; j++) count[j + 1] += count[j];
  const ptr = Float32Array.from(count), fill = count.slice(0, N), idx = new Float32Array(count[N]);
  for (const { r, preOffset, postOffset, nPre } of parts) {
    for (let i = 0; i < nPre; i++) for (let k = r.indptr[i]; k < r.indptr[i + 1]; k++) idx[fill[postOffset + r.indices[k]]++] = preOffset + i;
  }
  let maxRow = 0; for (let j = 0; j < N; j++) maxRow = Math.max(maxRow, count[j + 1] - count[j]);
  if (count[N] >= 2 ** 24) throw new Error(`gpu prototype: ${count[N]} synapses; float32 indices are exact only below 2^24`);
  return { ptr, idx, maxRow, nnz: count[N] };
}

/** Kernel sources (what an emitter prints). Constants are baked in, as the cpu backend does. */
export function cobaKernels(N: number, nE: number, dt: number) {
  const neuron = `function (S, G, t0, off, first) {
  const N = ${N};
  const f = Math.floor(this.thread.x / N);
  const i = this.thread.x - f * N;
  const V = S[i];
  const tLast = S[2 * N + i];
  const t = t0[0] + off;
  const input = G[i] * (0 - V) + G[N + i] * (-80 - V);
  let Vn = V;
  let sp = 0;
  let tl = tLast;
  if (t - tLast > 5) {
    const v = V + (-60 - V + input + 20) / 20 * ${dt};
    if (v >= -50) { Vn = -60; sp = 1; tl = t; } else { Vn = v; }
  }
  if (f === 0) return Vn;
  if (f === 1) return sp;
  if (f === 2) return tl;
  return S[3 * N + i] * (1 - first) * 2 + sp;
}`;
  const synapse = `function (S, G, ePtr, eIdx, iPtr, iIdx) {
  const N = ${N};
  const x = this.thread.x;
  if (x < N) {
    const s = ePtr[x];
    const len = ePtr[x + 1] - s;
    let n = 0;
    for (let k = 0; k < len; k++) { n += S[N + eIdx[s + k]]; }
    return G[x] - G[x] * ${dt / 5} + 0.6 * n;
  }
  const j = x - N;
  const s = iPtr[j];
  const len = iPtr[j + 1] - s;
  let n = 0;
  for (let k = 0; k < len; k++) { n += S[N + iIdx[s + k]]; }
  return G[x] - G[x] * ${dt / 10} + 6.7 * n;
}`;
  return { neuron, synapse };
}

const settle = async (v: any) => (v && typeof v.then === 'function' ? await v : v);
const toArray = async (v: any): Promise<Float32Array> => {
  v = await settle(v);
  if (v && typeof v.toArray === 'function') v = await settle(v.toArray());
  return v instanceof Float32Array ? v : Float32Array.from(v);
};
const free = (h: any) => { if (h && typeof h.delete === 'function') h.delete(); };

/**
 * Run `steps` steps with kernels kept on the device (pipeline: true; each call's output feeds the next call),
 * reading S back once per batch of ≤ 24 steps (default 20). `shape: 'plan'` instead compiles each batch with
 * gpu.createPipeline (one submit per batch on webgpu).
 */
export async function runCOBAPrototype(ctx: GPUContext, inp: COBAInputs, steps: number,
  opts: { batch?: number; shape?: 'calls' | 'plan'; warmupBatches?: number; loopMaxIterations?: number } = {}): Promise<COBAResult> {
  const { nE, nI } = inp, N = nE + nI, dt = inp.dt ?? 0.1;
  const B = Math.min(opts.batch ?? 20, 24);
  if (steps % B !== 0) throw new Error(`gpu prototype: steps (${steps}) must be a multiple of the batch (${B})`);
  const exc = cscFrom([{ r: inp.EE, preOffset: 0, postOffset: 0, nPre: nE, nPost: nE }, { r: inp.EI, preOffset: 0, postOffset: nE, nPre: nE, nPost: nI }], N);
  const inh = cscFrom([{ r: inp.IE, preOffset: nE, postOffset: 0, nPre: nI, nPost: nE }, { r: inp.II, preOffset: nE, postOffset: nE, nPre: nI, nPost: nI }], N);
  const src = cobaKernels(N, nE, dt);
  const gpu = ctx.gpu;
  const shape = opts.shape ?? 'calls';
  const kset = { pipeline: shape === 'calls', immutable: true };
  const neuron = gpu.createKernel(src.neuron, { output: [4 * N], ...kset });
  const synapse = gpu.createKernel(src.synapse, { output: [2 * N], loopMaxIterations: opts.loopMaxIterations ?? Math.max(exc.maxRow, inh.maxRow) + 1, ...kset });

  let S: any = new Float32Array(4 * N);
  S.set(inp.V0, 0); S.fill(-1e7, 2 * N, 3 * N);
  let G: any = new Float32Array(2 * N);
  const perStep = new Int32Array(steps);
  let spikesE = 0, spikesI = 0;

  let plan: any = null;
  if (shape === 'plan') {
    plan = gpu.createPipeline(function (S0: any, G0: any, t0: any, ePtr: any, eIdx: any, iPtr: any, iIdx: any) {
      let s = S0, g = G0;
      for (let b = 0; b < B; b++) { s = neuron(s, g, t0, b * dt, b === 0 ? 1 : 0); g = synapse(s, g, ePtr, eIdx, iPtr, iIdx); }
      return [s, g];
    });
  }
  const decode = (rec: Float32Array, s0: number) => {
    for (let i = 0; i < N; i++) {
      let r = rec[i]; if (r === 0) continue;
      for (let b = B - 1; b >= 0 && r > 0; b--) {     // bit 0 is the last step of the batch
        if (r % 2 === 1) { perStep[s0 + b]++; if (i < nE) spikesE++; else spikesI++; }
        r = Math.floor(r / 2);
      }
    }
  };

  const warm = opts.warmupBatches ?? 1;
  let tStart = performance.now();
  for (let s0 = 0, batch = 0; s0 < steps; s0 += B, batch++) {
    if (batch === warm) tStart = performance.now();
    const t0 = new Float32Array([s0 * dt]);
    if (plan) {
      const [s, g] = await settle(plan(S, G, t0, exc.ptr, exc.idx, inh.ptr, inh.idx));
      S = s instanceof Float32Array ? s : Float32Array.from(s); G = g;
      decode(S.subarray(3 * N, 4 * N), s0);
      continue;
    }
    for (let b = 0; b < B; b++) {
      const S2 = await settle(neuron(S, G, t0, b * dt, b === 0 ? 1 : 0));
      const G2 = await settle(synapse(S2, G, exc.ptr, exc.idx, inh.ptr, inh.idx));
      if (!(S instanceof Float32Array)) free(S);     // the superseded device buffer (GL leaks otherwise)
      if (!(G instanceof Float32Array)) free(G);
      S = S2; G = G2;
    }
    const host = await toArray(S);                      // the one readback of the batch
    decode(host.subarray(3 * N, 4 * N), s0);
  }
  const ms = performance.now() - tStart;
  const timed = steps - Math.min(warm, steps / B) * B;
  const seconds = steps * dt / 1000;
  free(S); free(G);
  return {
    mode: ctx.mode, steps, spikesE, spikesI, rateE: spikesE / nE / seconds, rateI: spikesI / nI / seconds,
    perStep, ms, msPerStep: timed > 0 ? ms / timed : NaN, batches: steps / B,
    ran: plan ? `${plan.backend} (${plan.executorKind}${plan.fallbackReason ? `: ${plan.fallbackReason}` : ''})`
      : `${kernelMode(neuron)}/${kernelMode(synapse)}`,
  };
}
