/**
 * COBA-4000 over 1 s on every gpu.js mode that runs here, seeds 1–3, against the js backend: population
 * rates within 2%, spike trains identical up to the first step where float32 rounding changes a spike (the
 * test prints that step). Slow (webgpu on SwiftShader ≈ 8 min per seed): `npm run test:slow -- gpu-backend`.
 * The same comparison prints from `npx tsx bench/gpu-backend.ts --check 1000`.
 */
import { gpuTest } from './gpu-helpers';
import { runCoba, firstDifference } from './gpu-backend-helpers';
import type { ConcreteMode } from '../src/backends/gpu/context';

const MS = 1000;

describe.each(['cpu', 'webasm', 'webgpu'] as ConcreteMode[])('COBA-4000, 1 s, mode %s', (mode) => {
  const { title, fn } = gpuTest(mode);
  fn(title('rates within 2% of js for seeds 1–3; spikes identical up to the first float32 difference'), async () => {
    for (const seed of [1, 2, 3]) {
      const js = await runCoba('js', seed, MS), gpu = await runCoba(mode, seed, MS);
      const d = firstDifference(js, gpu);
      console.log(`seed ${seed} ${mode}: E ${gpu.rateE.toFixed(3)} Hz (js ${js.rateE.toFixed(3)}), I ${gpu.rateI.toFixed(3)} Hz (js ${js.rateI.toFixed(3)}); first differing step ${d}`);
      expect(d === -1 || d >= 20).toBe(true);
      expect(Math.abs(gpu.rateE - js.rateE)).toBeLessThanOrEqual(0.02 * js.rateE);
      expect(Math.abs(gpu.rateI - js.rateI)).toBeLessThanOrEqual(0.02 * js.rateI);
    }
  }, 3600000);
});
