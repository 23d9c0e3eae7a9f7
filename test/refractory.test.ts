/**
 * Step-exact refractoriness (Brian2's convention): a neuron that spikes in step s integrates again in step
 * s + n, n = trunc(tRef/dt + 1e-3) (Brian2: not_refractory = timestep(t - lastspike) >= timestep(tRef)),
 * and nothing about it depends on how times round. References below are independent plain loops that
 * decide refractoriness from step indices, not from the model's counter.
 */
import { Network, NeuGroup, SpikeMonitorData, BrainweaveError } from '../src';
import { LIF } from '../models/neurons/lif';
import { ExpIF } from '../models/neurons/exp-if';
import { QuaIF } from '../models/neurons/qua-if';
import { AdEx } from '../models/neurons/adex';
import { AdQuaIF } from '../models/neurons/adqua-if';
import { Izhikevich } from '../models/neurons/izhikevich';

type Precision = 'float32' | 'float64';
const f32 = Math.fround;

async function spikeSteps(G: NeuGroup, T: number, dt: number, opts: { precision?: Precision; jit?: boolean; inputs?: any[] } = {}) {
  const net = new Network({ G }, { precision: opts.precision ?? 'float64' });
  const r = await net.run(T, { dt, seed: 3, monitors: ['G.spike'], inputs: opts.inputs ?? [], jit: opts.jit ?? true });
  const m = r.monitors['G.spike'] as SpikeMonitorData;
  return { steps: Array.from(m.steps.subarray(0, m.count)), indices: Array.from(m.indices.subarray(0, m.count)), net };
}
const diffs = (a: number[]) => a.slice(1).map((x, k) => x - a[k]);
const distinct = (a: number[]) => [...new Set(a)].sort((x, y) => x - y);
const nSteps = (tRef: number, dt: number) => Math.trunc(tRef / dt + 1e-3);

describe('LIF under constant input', () => {
  const tau = 20, Vth = -50, Vreset = -60, Vrest = -60, tRef = 5, I = 20, dt = 0.1;
  // From Vreset with Vrest = Vreset: T = τ ln(RI / (RI − (Vth − Vreset))), R = 1; ISI = tRef + T.
  const closedForm = tRef + tau * Math.log(I / (I - (Vth - Vreset)));

  for (const precision of ['float32', 'float64'] as Precision[]) {
    test(`${precision}: one ISI value, the Euler step count, within 1% of the closed form`, async () => {
      const { steps } = await spikeSteps(new LIF(1, { tau, Vth, Vreset, Vrest, tRef, I, V0: Vreset }), 10000, dt, { precision });
      expect(steps.length).toBeGreaterThan(400);
      const isis = distinct(diffs(steps));
      expect(isis).toHaveLength(1);
      // independent count: Euler steps from Vreset to Vth, stored in the run's precision
      const store = precision === 'float32' ? f32 : (x: number) => x;
      let V = store(Vreset), k = 0;
      for (;;) { k++; const Vn = V + (Vrest - V + 0 + I) / tau * dt; if (Vn >= Vth) break; V = store(Vn); }
      expect(isis[0]).toBe(nSteps(tRef, dt) - 1 + k);
      expect(Math.abs(isis[0] * dt - closedForm) / closedForm).toBeLessThan(0.01);
    });
  }

  test('V is held at Vreset in steps s … s+n−1 and moves again in step s+n (n = 50 at tRef = 5, dt = 0.1)', async () => {
    const G = new LIF(1, { tau, Vth, Vreset, Vrest, tRef, I: 200, V0: Vreset });
    const net = new Network({ G }, { precision: 'float64' });
    const r = await net.run(30, { dt, monitors: ['G.spike', 'G.V'] });
    const sp = r.monitors['G.spike'] as SpikeMonitorData, V = r.monitors['G.V'] as any;
    const s = sp.steps[0];
    for (let k = s; k < s + 50; k++) expect(V.data[k]).toBe(Vreset);
    expect(V.data[s + 50]).toBeGreaterThan(Vreset);
  });

  test.each([[0, 1], [0.1, 1], [0.25, 2], [0.3, 3], [1.7, 17], [2, 20]])('tRef = %p ms at dt = 0.1: period %p steps under a drive that crosses in one step', async (tr, period) => {
    const { steps } = await spikeSteps(new LIF(1, { tau, Vth, Vreset, Vrest, tRef: tr, I: 2500, V0: Vreset }), 20, dt);
    expect(steps.length).toBeGreaterThan(5);
    // n ≤ 1 means no step is held: the neuron may fire again in the very next step
    expect(distinct(diffs(steps))).toEqual([Math.max(1, period)]);
  });

  test('a run split in two equals one run (refractoriness is independent of absolute time)', async () => {
    const mk = () => new LIF(20, { tau, Vth, Vreset, Vrest, tRef, I: 15, V0: -55, V0sd: 5 });
    const one = await spikeSteps(mk(), 400, dt, { precision: 'float32' });
    const G = mk();
    const net = new Network({ G }, { precision: 'float32' });
    const a = await net.run(137, { dt, seed: 3, monitors: ['G.spike'] });
    const b = await net.run(263, { dt, monitors: ['G.spike'] });
    const ma = a.monitors['G.spike'] as SpikeMonitorData, mb = b.monitors['G.spike'] as SpikeMonitorData;
    // a run's steps count from its own start
    const steps = [...Array.from(ma.steps.subarray(0, ma.count)), ...Array.from(mb.steps.subarray(0, mb.count), (s) => s + 1370)];
    expect(one.steps.length).toBeGreaterThan(100);
    expect(steps).toEqual(one.steps);
  });

  test('a negative or NaN tRef is refused, naming the object and field', async () => {
    for (const bad of [-1, NaN]) {
      const err = await new Network({ N: new LIF(1, { tRef: bad }) }).run(1).catch((e) => e);
      expect(err).toBeInstanceOf(BrainweaveError);
      expect(err.message).toMatch(/N\b.*tRef/);
    }
  });
});

/** Reference loop for one neuron: Euler on f(V, w) with V held for steps s+1 … s+n−1 after a spike in step s. */
function reference(n: number, steps: number, dt: number, V0: number, w0: number,
  f: (V: number, w: number) => [number, number], Vth: number, reset: (V: number, w: number) => [number, number], wHeld: boolean): number[] {
  let V = V0, w = w0, last = -1e9;
  const out: number[] = [];
  for (let s = 0; s < steps; s++) {
    const [dV, dw] = f(V, w);
    const Vn = V + dt * dV, wn = w + dt * dw;
    if (s - last < n) { if (wHeld) w = wn; continue; }
    if (Vn >= Vth) { [V, w] = reset(Vn, wn); out.push(s); last = s; } else { V = Vn; w = wn; }
  }
  return out;
}

describe('each refractory family fires on the steps of an independent step-indexed reference', () => {
  const dt = 0.1, T = 300, N = Math.round(T / dt);
  test('NonlinearIF (ExpIF, QuaIF): V held, nothing else', async () => {
    const p = { Vrest: -65, Vreset: -68, Vth: -30, R: 1, tau: 10, VT: -59.9, deltaT: 3.48, tRef: 1.7, I: 20 };
    const { steps } = await spikeSteps(new ExpIF(1, p), T, dt);
    const ref = reference(nSteps(p.tRef, dt), N, dt, p.Vrest, 0,
      (V) => [(-(V - p.Vrest) + p.deltaT * Math.exp((V - p.VT) / p.deltaT) + p.R * p.I) / p.tau, 0], p.Vth, () => [p.Vreset, 0], false);
    expect(ref.length).toBeGreaterThan(10);
    expect(steps).toEqual(ref);
    expect(distinct(diffs(steps))).toHaveLength(1); // periodic: the reset state is the same each time
    const q = { Vrest: -65, Vreset: -68, Vth: -30, R: 1, tau: 10, a0: 0.07, Vc: -50, tRef: 2.5, I: 20 };
    const qs = await spikeSteps(new QuaIF(1, q), T, dt);
    const qref = reference(nSteps(q.tRef, dt), N, dt, q.Vrest, 0,
      (V) => [(q.a0 * (V - q.Vrest) * (V - q.Vc) + q.R * q.I) / q.tau, 0], q.Vth, () => [q.Vreset, 0], false);
    expect(qref.length).toBeGreaterThan(10);
    expect(qs.steps).toEqual(qref);
  });

  test('AdaptiveIF (AdEx, AdQuaIF): V held, w integrates throughout, w += b at a spike', async () => {
    const p = { Vrest: -65, Vreset: -68, Vth: -30, R: 1, tau: 10, tauW: 30, a: 1, b: 1, VT: -59.9, deltaT: 3.48, tRef: 2, I: 40 };
    const { steps } = await spikeSteps(new AdEx(1, p), T, dt);
    const ref = reference(nSteps(p.tRef, dt), N, dt, p.Vrest, 0,
      (V, w) => [(-(V - p.Vrest) + p.deltaT * Math.exp((V - p.VT) / p.deltaT) - p.R * w + p.R * p.I) / p.tau, (p.a * (V - p.Vrest) - w) / p.tauW],
      p.Vth, (_V, w) => [p.Vreset, w + p.b], true);
    expect(ref.length).toBeGreaterThan(10);
    expect(steps).toEqual(ref);
    const q = { Vrest: -65, Vreset: -68, Vth: -30, R: 1, tau: 10, tauW: 10, a: 1, b: 0.1, a0: 0.07, Vc: -50, tRef: 1, I: 30 };
    const qs = await spikeSteps(new AdQuaIF(1, q), T, dt);
    const qref = reference(nSteps(q.tRef, dt), N, dt, q.Vrest, 0,
      (V, w) => [(q.a0 * (V - q.Vrest) * (V - q.Vc) - q.R * w + q.R * q.I) / q.tau, (q.a * (V - q.Vrest) - w) / q.tauW],
      q.Vth, (_V, w) => [q.Vreset, w + q.b], true);
    expect(qref.length).toBeGreaterThan(10);
    expect(qs.steps).toEqual(qref);
  });

  test('Izhikevich with tRef: V held, u integrates, u += d at a spike', async () => {
    const p = { ...Izhikevich.FS, Vth: 30, tRef: 3, I: 40, V0: -65 };
    const { steps } = await spikeSteps(new Izhikevich(1, p), T, dt);
    const ref = reference(nSteps(p.tRef, dt), N, dt, p.V0, p.b * p.V0,
      (V, u) => [0.04 * V * V + 5 * V + 140 - u + p.I, p.a * (p.b * V - u)], p.Vth, (_V, u) => [p.c, u + p.d], true);
    expect(ref.length).toBeGreaterThan(20);
    expect(steps).toEqual(ref);
  });
});

describe('jit: false equals compiled, bit for bit, across many refractory boundaries', () => {
  const cases: [string, () => NeuGroup][] = [
    ['LIF', () => new LIF(40, { tRef: 2, V0: -55, V0sd: 5 })],
    ['ExpIF', () => new ExpIF(40, { tRef: 1.7 })],
    ['AdEx', () => new AdEx(40, { tRef: 1.5 })],
    ['Izhikevich', () => new Izhikevich(40, { ...Izhikevich.FS, tRef: 1 })],
  ];
  const drive = (t: number) => 25 + 15 * Math.sin(t / 3);
  for (const [name, make] of cases) {
    test(name, async () => {
      const runs = [];
      for (const jit of [true, false]) {
        const G = make();
        const net = new Network({ G }, { precision: 'float32' });
        const r = await net.run(200, { dt: 0.1, seed: 5, jit, inputs: [['G.input', drive]], monitors: ['G.spike'] });
        runs.push({ m: r.monitors['G.spike'] as SpikeMonitorData, V: Array.from((G as any).V.value), ref: Array.from((G as any).refractory.value) });
      }
      expect(runs[0].m.count).toBeGreaterThan(40);
      expect(Array.from(runs[1].m.steps.subarray(0, runs[1].m.count))).toEqual(Array.from(runs[0].m.steps.subarray(0, runs[0].m.count)));
      expect(Array.from(runs[1].m.indices.subarray(0, runs[1].m.count))).toEqual(Array.from(runs[0].m.indices.subarray(0, runs[0].m.count)));
      expect(runs[1].V).toEqual(runs[0].V);
      expect(runs[1].ref).toEqual(runs[0].ref);
    });
  }
});

describe('defineNeuGroup: (unless refractory) with the same step convention', () => {
  const { defineNeuGroup } = require('../src/integrators/equations');
  const spec = (refractory: number | string) => ({
    params: { El: -60, tau: 20, Vth: -50, Vr: -60, I0: 2500 },
    units: { El: 'mV', tau: 'ms', Vth: 'mV', Vr: 'mV', I0: 'mV' },
    threshold: 'V > Vth', reset: 'V = Vr', refractory, init: { V: -60 },
  });
  const eqs = 'dV/dt = (El - V + I0) / tau : mV (unless refractory)\ndw/dt = 1 / ms : 1';

  test.each([[5, 50], ['2*ms', 20], [1.7, 17], [0.25, 2], [0, 1]])('refractory %p at dt = 0.1: period %p steps, V held n−1 steps, w never held', async (r, period) => {
    const G = new (defineNeuGroup(eqs, spec(r)))(1);
    const net = new Network({ G }, { precision: 'float32' });
    const res = await net.run(200, { dt: 0.1, monitors: ['G.spike', 'G.V', 'G.w'] });
    const sp = res.monitors['G.spike'] as SpikeMonitorData, V = res.monitors['G.V'] as any, w = res.monitors['G.w'] as any;
    const steps = Array.from(sp.steps.subarray(0, sp.count));
    expect(steps.length).toBeGreaterThan(3);
    expect(distinct(diffs(steps))).toEqual([period]); // one step of drive crosses threshold
    const s = steps[1];
    for (let k = s; k < s + period; k++) expect(V.data[k]).toBe(-60);
    expect(w.data[s + 1] - w.data[s]).toBeCloseTo(0.1, 5); // unflagged variables integrate throughout
  });

  test('jit: false equals compiled, bit for bit', async () => {
    const cls = defineNeuGroup('dV/dt = (El - V + I0 + I) / tau : mV (unless refractory)\nI : mV',
      { ...spec(2), params: { ...spec(2).params, I0: 12 }, init: { V: (i: number) => -60 + (i % 10), I: (i: number) => (i % 7) * 0.5 } });
    const drive = (t: number) => 5 * Math.sin(t / 2);
    const out = [];
    for (const jit of [true, false]) {
      const G = new cls(30);
      const net = new Network({ G }, { precision: 'float32' });
      const r = await net.run(150, { dt: 0.1, jit, inputs: [['G.I', drive, '=']], monitors: ['G.spike'] });
      const m = r.monitors['G.spike'] as SpikeMonitorData;
      out.push({ steps: Array.from(m.steps.subarray(0, m.count)), idx: Array.from(m.indices.subarray(0, m.count)), V: Array.from(G.V.value) });
    }
    expect(out[0].steps.length).toBeGreaterThan(30);
    expect(out[1]).toEqual(out[0]);
  });
});

test("README's LIF sample (the documented pattern) fires on exactly the steps of the library LIF", async () => {
  const ts = require('typescript');
  const { readFileSync } = require('fs');
  const { NeuGroup: NG, Variable: Var } = require('../src');
  const readme: string = readFileSync(require('path').join(__dirname, '..', 'README.md'), 'utf8');
  const m = /class LIF extends NeuGroup \{[\s\S]*?\n\}\n/.exec(readme);
  expect(m).not.toBeNull();
  const js = ts.transpileModule(m![0], { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const ReadmeLIF = new Function('NeuGroup', 'Variable', `return (${js.trim().replace(/;$/, '')});`)(NG, Var);
  const run = async (G: NeuGroup) => {
    const net = new Network({ G }, { seed: 11 });
    const r = await net.run(300, { dt: 0.1, monitors: ['G.spike'], inputs: [['G.input', (t: number) => 3 * Math.sin(t / 7)]] });
    const sp = r.monitors['G.spike'] as SpikeMonitorData;
    return [Array.from(sp.steps.subarray(0, sp.count)), Array.from(sp.indices.subarray(0, sp.count))];
  };
  const ours = await run(new ReadmeLIF(50));
  expect(ours[0].length).toBeGreaterThan(100);
  expect(ours).toEqual(await run(new LIF(50, { tau: 20, Vth: -50, Vreset: -60, Vrest: -60, tRef: 5, I: 20, V0: -55, V0sd: 5 })));
});
