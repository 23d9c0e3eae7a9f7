/**
 * The hand-written COBA-4000 gpu.js prototype against brainweave's compiled JS run of the same network
 * (same seed: same connectivity and initial V), 100 ms, in every mode that runs here.
 * The first steps must agree spike for spike (neuron kernel, spike bits and their batch decoding); after
 * that float32 and double arithmetic diverge chaotically, so the rates are compared (within 10%).
 */
import { cobaInputs } from '../bench/gpu-coba-proto';
import { SpikeMonitorData } from '../src';
import { createNodeGPUContext } from '../src/node/gpu';
import { runCOBAPrototype, cscFrom } from '../src/backends/gpu/prototype-coba';
import { gpuTest, gpuModeUnavailable } from './gpu-helpers';

const DURATION = 100, STEPS = 1000, EXACT_STEPS = 20;
let js: { rateE: number; rateI: number; perStep: Int32Array } | null = null;
let inputs: ReturnType<typeof cobaInputs>['inputs'];

beforeAll(async () => {
  const built = cobaInputs(42);
  inputs = built.inputs;
  const res = await built.net.run(DURATION, { dt: 0.1, monitors: ['E.spike', 'I.spike'] });
  const E = res.monitors['E.spike'] as SpikeMonitorData, I = res.monitors['I.spike'] as SpikeMonitorData;
  const perStep = new Int32Array(STEPS);
  for (const m of [E, I]) for (let k = 0; k < m.count; k++) perStep[m.steps[k]]++;
  js = { rateE: E.count / 3200 / (DURATION / 1000), rateI: I.count / 800 / (DURATION / 1000), perStep };
});

test('CSC transpose keeps every synapse and indexes globally', () => {
  const { nE, nI, EE, EI } = inputs;
  const exc = cscFrom([{ r: EE, preOffset: 0, postOffset: 0, nPre: nE, nPost: nE }, { r: EI, preOffset: 0, postOffset: nE, nPre: nE, nPost: nI }], nE + nI);
  expect(exc.nnz).toBe(EE.indices.length + EI.indices.length);
  // pre 0's targets in EE appear as rows containing 0
  const rows = new Set<number>();
  for (let j = 0; j < nE + nI; j++) for (let k = exc.ptr[j]; k < exc.ptr[j + 1]; k++) if (exc.idx[k] === 0) rows.add(j);
  const want = new Set<number>([...EE.indices.subarray(EE.indptr[0], EE.indptr[1])].concat([...EI.indices.subarray(EI.indptr[0], EI.indptr[1])].map((j) => j + nE)));
  expect(rows).toEqual(want);
  // ~64 ± 8 excitatory inputs per post at p = 0.02: the loop bound the synapse kernel gets
  expect(exc.maxRow).toBeGreaterThan(64); expect(exc.maxRow).toBeLessThan(200);
});

const trunc = gpuTest(gpuModeUnavailable('webasm') === null ? 'webasm' : 'cpu');   // the faster one
trunc.fn(trunc.title('the comparison can fail: a loop bound below the longest row (silent truncation) changes the rates'), async () => {
  const ctx = await createNodeGPUContext({ mode: gpuModeUnavailable('webasm') === null ? 'webasm' : 'cpu' });
  try {
    const r = await runCOBAPrototype(ctx, inputs, STEPS, { loopMaxIterations: 40 });
    console.log(`truncated at 40 of ${r.ran}: rate E ${r.rateE.toFixed(1)} Hz, I ${r.rateI.toFixed(1)} Hz; JS ${js!.rateE.toFixed(1)}, ${js!.rateI.toFixed(1)}`);
    expect(Math.abs(r.rateE / js!.rateE - 1) > 0.1 || Math.abs(r.rateI / js!.rateI - 1) > 0.1).toBe(true);
  } finally { ctx.destroy(); }
}, 180000);

describe.each(['cpu', 'webasm', 'webgpu'] as const)('COBA prototype', (mode) => {
  const t = gpuTest(mode);
  t.fn(t.title(`first ${EXACT_STEPS} steps spike for spike, rates within 10% of the JS run`), async () => {
    const ctx = await createNodeGPUContext({ mode, allowSoftware: true });
    try {
      const r = await runCOBAPrototype(ctx, inputs, STEPS, { batch: 20 });
      expect(r.ran).toBe(`${mode}/${mode}`);
      expect(Array.from(r.perStep.subarray(0, EXACT_STEPS))).toEqual(Array.from(js!.perStep.subarray(0, EXACT_STEPS)));
      expect(js!.perStep.subarray(0, EXACT_STEPS).reduce((a, b) => a + b, 0)).toBeGreaterThan(100);  // the window has spikes to compare
      expect(Math.abs(r.rateE / js!.rateE - 1)).toBeLessThan(0.1);
      expect(Math.abs(r.rateI / js!.rateI - 1)).toBeLessThan(0.1);
    } finally { ctx.destroy(); }
  }, 180000);
});
