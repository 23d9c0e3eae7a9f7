import { Network, SpikeMonitorData } from '../src';
import { LIF } from '../models/neurons/lif';
import { meanISI } from './helpers';

/**
 * LIF under constant suprathreshold drive: from Vreset the membrane reaches Vth after
 * T = τ ln(RI / (RI − (Vth − Vreset))) (here Vrest = Vreset, R = 1), so the rate is 1 / (τref + T).
 */
const tau = 20, Vth = -50, Vreset = -60, tRef = 5;
const currents = [12, 15, 20, 30, 50];
const analyticISI = (I: number) => tRef + tau * Math.log(I / (I - (Vth - Vreset)));

async function simulatedISI(dt: number, duration = 500): Promise<Float64Array> {
  const N = new LIF(currents.length, { tau, Vth, Vreset, Vrest: Vreset, tRef, V0: Vreset });
  const net = new Network({ N }, { precision: 'float64' });
  const r = await net.run(duration, { dt, inputs: [['N.input', currents]], monitors: ['N.spike'] });
  return meanISI(r.monitors['N.spike'] as SpikeMonitorData);
}

test('LIF firing rate equals the closed form within the Euler error at dt = 0.1 ms', async () => {
  const isi = await simulatedISI(0.1);
  currents.forEach((I, k) => {
    const exact = analyticISI(I);
    // forward Euler plus spike times on the dt grid: the ISI is off by at most a few steps
    expect(Math.abs(isi[k] - exact)).toBeLessThan(3 * 0.1);
    expect(Math.abs(1000 / isi[k] - 1000 / exact) / (1000 / exact)).toBeLessThan(0.03);
  });
});

test('LIF rate error shrinks as dt → 0 (first order)', async () => {
  const errs: number[] = [];
  for (const dt of [0.1, 0.01, 0.001]) {
    const isi = await simulatedISI(dt, 200);
    errs.push(Math.max(...currents.map((I, k) => Math.abs(isi[k] - analyticISI(I)))));
  }
  expect(errs[1]).toBeLessThan(errs[0] / 4);
  expect(errs[2]).toBeLessThan(errs[1] / 4);
  expect(errs[2]).toBeLessThan(0.005);
});

test('a subthreshold LIF never fires and settles at Vrest + I', async () => {
  const N = new LIF(1, { tau, Vth, Vreset, Vrest: Vreset, tRef, V0: Vreset });
  const net = new Network({ N }, { precision: 'float64' });
  const r = await net.run(300, { dt: 0.1, inputs: [['N.input', 8]], monitors: ['N.spike', 'N.V'] });
  expect((r.monitors['N.spike'] as SpikeMonitorData).count).toBe(0);
  const V = r.monitors['N.V'] as any;
  // Euler on a linear ODE: V_n = Vrest + I (1 − (1 − dt/τ)^n), recorded after each step
  const n = V.ts.length;
  expect(V.data[n - 1]).toBeCloseTo(-60 + 8 * (1 - Math.pow(1 - 0.1 / tau, n)), 9);
});
