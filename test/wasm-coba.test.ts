/**
 * The hand-written COBA references of bench/reference compute the same model as brainweave: the best JS spike
 * for spike in both precisions, the wasm f64x2 kernel spike for spike in float64, the wasm f32x4 kernel at the
 * same rates. Short runs: correctness only, timings are bench/brian2.ts's job.
 */
import { cobaNetwork } from '../examples/networks';
import { cobaState, bestCOBA, CobaResult } from '../bench/reference/coba-best';
import { buildWasmCOBA } from '../bench/reference/coba-wasm-simd';
import { SpikeMonitorData } from '../src';

const DT = 0.1;
type Net = { nExc?: number; nInh?: number; seed: number; precision: 'float32' | 'float64' };

async function brainweave(o: Net, ms: number) {
  const res = await cobaNetwork(o).run(ms, { dt: DT, monitors: ['E.spike', 'I.spike'] });
  return { E: res.monitors['E.spike'] as SpikeMonitorData, I: res.monitors['I.spike'] as SpikeMonitorData };
}
const train = (steps: ArrayLike<number>, indices: ArrayLike<number>, n: number) =>
  Array.from({ length: n }, (_, k) => steps[k] * 1e6 + indices[k]);
const trainsOf = (r: CobaResult) => ({
  E: train(r.spikesE.steps, r.spikesE.indices, r.nE), I: train(r.spikesI.steps, r.spikesI.indices, r.nI),
});

describe.each(['float32', 'float64'] as const)('best hand-written JS COBA, %s', (precision) => {
  test('same spike trains as brainweave', async () => {
    const o = { seed: 7, precision };
    const bw = await brainweave(o, 300);
    const best = bestCOBA(cobaState(cobaNetwork(o).build()), 3000, DT);
    expect(best.nE).toBeGreaterThan(1000); // the network is active, so the comparison means something
    expect(trainsOf(best)).toEqual({ E: train(bw.E.steps, bw.E.indices, bw.E.count), I: train(bw.I.steps, bw.I.indices, bw.I.count) });
  });
});

describe('wasm SIMD COBA', () => {
  test('the module validates and is small', () => {
    const w = buildWasmCOBA(cobaState(cobaNetwork({ seed: 1, precision: 'float32' }).build()), DT);
    expect(WebAssembly.validate(w.bytes)).toBe(true);
    expect(w.bytes.length).toBeLessThan(4096);
  });

  test('f64x2: same spike trains as the best JS in float64, also when N is not a multiple of the lanes', () => {
    for (const o of [{ seed: 3 }, { seed: 4, nExc: 803, nInh: 201, p: 0.08 }]) {
      const mk = () => cobaState(cobaNetwork({ ...o, precision: 'float64' }).build());
      const best = bestCOBA(mk(), 3000, DT);
      const w = buildWasmCOBA(mk(), DT).run(3000, 700); // chunked calls: state carries across calls
      expect(best.nE).toBeGreaterThan(100);
      expect(trainsOf(w)).toEqual(trainsOf(best));
      expect(trainsOf(buildWasmCOBA(mk(), DT, { unroll: 2, constLocals: true }).run(3000))).toEqual(trainsOf(best));
    }
  });

  test('exact float32 (f32 storage, f64x2 arithmetic): same spike trains as the best JS in float32', () => {
    for (const o of [{ seed: 3 }, { seed: 4, nExc: 803, nInh: 201, p: 0.08 }]) {
      const mk = () => cobaState(cobaNetwork({ ...o, precision: 'float32' }).build());
      const best = bestCOBA(mk(), 3000, DT);
      expect(trainsOf(buildWasmCOBA(mk(), DT, { exact: true }).run(3000))).toEqual(trainsOf(best));
    }
  });

  test('monitor draining: more events than the wasm-side buffer holds arrive complete', () => {
    const mk = () => cobaState(cobaNetwork({ seed: 5, precision: 'float64' }).build());
    const best = bestCOBA(mk(), 10000, DT);
    expect(best.nE).toBeGreaterThan(1 << 15); // the 32768-event wasm buffer is drained at least twice
    expect(trainsOf(buildWasmCOBA(mk(), DT).run(10000))).toEqual(trainsOf(best));
  });

  test('a group larger than the wasm-side monitor buffer (64000-neuron networks)', () => {
    const mk = () => cobaState(cobaNetwork({ seed: 6, nExc: 33000, nInh: 100, p: 0.0003, precision: 'float64' }).build());
    const best = bestCOBA(mk(), 100, DT);
    expect(best.nE).toBeGreaterThan(1000);
    expect(trainsOf(buildWasmCOBA(mk(), DT).run(100))).toEqual(trainsOf(best));
  });

  test('f32x4: same first spikes and the same rates as brainweave float32 (single precision diverges later)', async () => {
    const o = { seed: 9, precision: 'float32' as const };
    const bw = await brainweave(o, 1000);
    const w = buildWasmCOBA(cobaState(cobaNetwork(o).build()), DT).run(10000);
    const early = (s: ArrayLike<number>, n: number) => { let k = 0; while (k < n && s[k] < 20) k++; return k; };
    const kE = early(bw.E.steps, bw.E.count);
    expect(kE).toBeGreaterThan(50);
    expect(trainsOf(w).E.slice(0, kE)).toEqual(train(bw.E.steps, bw.E.indices, kE));
    expect(Math.abs(w.nE / bw.E.count - 1)).toBeLessThan(0.1);
    expect(Math.abs(w.nI / bw.I.count - 1)).toBeLessThan(0.1);
  });
});
