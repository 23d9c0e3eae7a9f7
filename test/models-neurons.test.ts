/**
 * Neuron models of the zoo (models/neurons) against closed forms and against independent float64 RK4
 * references at dt = 0.001 ms written here (not sharing code with the models).
 */
import { Network, NeuGroup } from '../src';
import {
  LIF, ExpIF, AdEx, QuaIF, AdQuaIF, GIF, Izhikevich, HH, TraubHH, MorrisLecar, WangBuzsaki, HindmarshRose, FitzHughNagumo,
} from '../models';

type Vec = number[];
type Monitors = Record<string, any>;

async function run(G: NeuGroup, T: number, dt: number, opts: { inputs?: any[]; monitors?: string[]; jit?: boolean } = {}): Promise<Monitors> {
  const net = new Network({ G }, { precision: 'float64' });
  const r = await net.run(T, { dt, seed: 7, monitors: opts.monitors ?? ['G.spike', 'G.V'], inputs: opts.inputs ?? [], jit: opts.jit ?? true });
  return r.monitors;
}

/** Spike times (step start times) of neuron i. */
function spikeTimes(m: any, i = 0): number[] {
  const out: number[] = [];
  for (let k = 0; k < m.indices.length; k++) if (m.indices[k] === i) out.push(m.times[k]);
  return out;
}

// ---------------------------------------------------------------- independent reference integrator
function rk4Step(f: (y: Vec) => Vec, y: Vec, h: number): Vec {
  const k1 = f(y);
  const k2 = f(y.map((v, i) => v + 0.5 * h * k1[i]));
  const k3 = f(y.map((v, i) => v + 0.5 * h * k2[i]));
  const k4 = f(y.map((v, i) => v + h * k3[i]));
  return y.map((v, i) => v + h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
}

/**
 * Integrates with RK4 at step h for T ms. Reset models: `reset(y)` is applied when y[0] >= vth after a step
 * (the spike time is the start of that step). Otherwise a spike is an upward crossing of vth.
 */
function reference(f: (y: Vec) => Vec, y0: Vec, T: number, vth: number, reset?: (y: Vec) => Vec, h = 0.001): { spikes: number[]; at: (t: number) => number } {
  let y = y0.slice();
  const n = Math.round(T / h);
  const spikes: number[] = [];
  const trace = new Float64Array(n + 1);
  trace[0] = y[0];
  for (let k = 0; k < n; k++) {
    const yn = rk4Step(f, y, h);
    if (reset) {
      if (yn[0] >= vth || !Number.isFinite(yn[0])) { spikes.push(k * h); y = reset(yn); } else y = yn;
    } else {
      if (y[0] < vth && yn[0] >= vth) spikes.push(k * h);
      y = yn;
    }
    trace[k + 1] = y[0];
  }
  return { spikes, at: (t: number) => trace[Math.round(t / h)] };
}

function expectSpikeTrainsClose(model: number[], ref: number[], tol: number, minSpikes = 2) {
  expect(ref.length).toBeGreaterThanOrEqual(minSpikes);
  expect(model.length).toBe(ref.length);
  for (let k = 0; k < ref.length; k++) expect(Math.abs(model[k] - ref[k])).toBeLessThanOrEqual(tol);
}

// ---------------------------------------------------------------- interface
describe('every neuron model', () => {
  const makers: [string, () => NeuGroup][] = [
    ['LIF', () => new LIF(2)], ['ExpIF', () => new ExpIF(2)], ['AdEx', () => new AdEx(2)], ['QuaIF', () => new QuaIF(2)],
    ['AdQuaIF', () => new AdQuaIF(2)], ['GIF', () => new GIF(2)], ['Izhikevich', () => new Izhikevich(2)], ['HH', () => new HH(2)],
    ['TraubHH', () => new TraubHH(2)], ['MorrisLecar', () => new MorrisLecar(2)], ['WangBuzsaki', () => new WangBuzsaki(2)],
    ['HindmarshRose', () => new HindmarshRose(2)], ['FitzHughNagumo', () => new FitzHughNagumo(2)],
  ];
  test.each(makers)('%s exposes V, input, spike (bool) and stays at rest without input', async (_name, make) => {
    const G = make() as any;
    const m = await run(G, 20, 0.01, { monitors: ['G.spike', 'G.V'] });
    expect(G.spike.dtype).toBe('bool');
    expect(G.input.value.length).toBe(2);
    expect(m['G.spike'].count).toBe(0);
    const V = m['G.V'].data;
    for (let k = 0; k < V.length; k++) expect(Number.isFinite(V[k])).toBe(true);
  });
  const drive: Record<string, number> = {
    LIF: 15, ExpIF: 10, AdEx: 10, QuaIF: 10, AdQuaIF: 30, GIF: 1.5, Izhikevich: 10, HH: 10, TraubHH: 200,
    MorrisLecar: 90, WangBuzsaki: 1, HindmarshRose: 3, FitzHughNagumo: 0.5,
  };
  test.each(makers)('%s: compiled and interpreted runs agree and a current step makes it spike', async (name, make) => {
    const runs: any[] = [];
    for (const jit of [true, false]) runs.push(await run(make(), 100, 0.01, { jit, inputs: [['G.input', drive[name]]] }));
    expect(Array.from(runs[1]['G.V'].data)).toEqual(Array.from(runs[0]['G.V'].data));
    expect(runs[0]['G.spike'].count).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------- closed forms
describe('subthreshold closed forms', () => {
  test('LIF relaxes as Vrest + I + (V0 - Vrest - I) e^{-t/tau}', async () => {
    const dt = 0.01;
    const G = new LIF(1, { V0: -60, I: 7, tau: 20, Vrest: -60, Vth: -50 });
    const V = (await run(G, 100, dt))['G.V'].data;
    let maxErr = 0;
    for (let k = 0; k < V.length; k++) {
      const t = (k + 1) * dt;  // monitors record after each step
      maxErr = Math.max(maxErr, Math.abs(V[k] - (-53 + (-60 + 53) * Math.exp(-t / 20))));
    }
    expect(maxErr).toBeLessThan(2e-3);   // forward Euler, O(dt)
    expect(Math.abs(V[V.length - 1] + 53.047)).toBeLessThan(0.01);
  });

  test.each([[0, -55], [3, -58], [-4, -60]])('QuaIF with I = %p from V0 = %p follows the Riccati solution', async (I, V0) => {
    const dt = 0.001, tau = 10, a0 = 0.07, r = -65, c = -50;
    const G = new QuaIF(1, { V0, I, tau, a0, Vrest: r, Vc: c });
    const V = (await run(G, 80, dt))['G.V'].data;
    // tau dV/dt = a0 (V - p)(V - q), p < q the roots of a0 (V - r)(V - c) + I = 0
    const B = -(r + c), C = r * c + I / a0;
    const disc = Math.sqrt(B * B - 4 * C);
    const p = (-B - disc) / 2, q = (-B + disc) / 2;
    const K = (V0 - q) / (V0 - p);
    const exact = (t: number) => { const e = K * Math.exp(a0 * (q - p) * t / tau); return (q - p * e) / (1 - e); };
    let maxErr = 0;
    for (let k = 0; k < V.length; k += 7) maxErr = Math.max(maxErr, Math.abs(V[k] - exact((k + 1) * dt)));
    expect(maxErr).toBeLessThan(2e-3);
    expect(Math.abs(V[V.length - 1] - p)).toBeLessThan(0.2);  // settles at the stable root
  });
});

// ---------------------------------------------------------------- vs RK4 references
describe('spike trains vs independent RK4 references (dt = 0.001 ms)', () => {
  test('ExpIF', async () => {
    const P = { Vrest: -65, Vreset: -68, Vth: -30, VT: -59.9, deltaT: 3.48, tau: 10, I: 10 };
    const f = ([V]: Vec) => [(-(V - P.Vrest) + P.deltaT * Math.exp((V - P.VT) / P.deltaT) + P.I) / P.tau];
    const ref = reference(f, [P.Vrest], 100, P.Vth, () => [P.Vreset]);
    const m = await run(new ExpIF(1, { ...P, tRef: 0 }), 100, 0.001);
    expectSpikeTrainsClose(spikeTimes(m['G.spike']), ref.spikes, 0.05, 3);
  });

  test('AdEx', async () => {
    const P = { Vrest: -70, Vreset: -55, Vth: -30, VT: -50, deltaT: 2, tau: 20, tauW: 100, a: 0.5, b: 7, I: 65 };
    const f = ([V, w]: Vec) => [(-(V - P.Vrest) + P.deltaT * Math.exp((V - P.VT) / P.deltaT) - w + P.I) / P.tau, (P.a * (V - P.Vrest) - w) / P.tauW];
    const ref = reference(f, [P.Vrest, 0], 300, P.Vth, ([, w]) => [P.Vreset, w + P.b]);
    const m = await run(new AdEx(1, P), 300, 0.001);
    expectSpikeTrainsClose(spikeTimes(m['G.spike']), ref.spikes, 0.1, 4);
  });

  test('AdQuaIF', async () => {
    const P = { Vrest: -65, Vreset: -68, Vth: -30, Vc: -50, a0: 0.07, tau: 10, tauW: 10, a: 1, b: 0.1, I: 30 };
    const f = ([V, w]: Vec) => [(P.a0 * (V - P.Vrest) * (V - P.Vc) - w + P.I) / P.tau, (P.a * (V - P.Vrest) - w) / P.tauW];
    const ref = reference(f, [P.Vrest, 0], 100, P.Vth, ([, w]) => [P.Vreset, w + P.b]);
    const m = await run(new AdQuaIF(1, P), 100, 0.001);
    expectSpikeTrainsClose(spikeTimes(m['G.spike']), ref.spikes, 0.05, 3);
  });

  test('GIF (Mihalas–Niebur) with spike-induced currents and adaptive threshold', async () => {
    const P = { Vrest: -70, Vreset: -70, thetaInf: -50, thetaReset: -60, R: 20, tau: 20, a: 0.005, b: 0.01, k1: 0.2, k2: 0.02, R1: 0, R2: 1, A1: 0.1, A2: -0.02, I: 1.5 };
    const f = ([V, th, I1, I2]: Vec) => [
      (-(V - P.Vrest) + P.R * (I1 + I2 + P.I)) / P.tau, P.a * (V - P.Vrest) - P.b * (th - P.thetaInf), -P.k1 * I1, -P.k2 * I2,
    ];
    // reset when V >= theta: shift to a state where y[0] - y[1] is compared; use a custom loop
    let y = [P.Vrest, P.thetaInf, 0, 0];
    const h = 0.001, spikes: number[] = [];
    for (let k = 0; k < 200 / h; k++) {
      const yn = rk4Step(f, y, h);
      if (yn[0] >= yn[1]) {
        spikes.push(k * h);
        y = [P.Vreset, Math.max(P.thetaReset, yn[1]), P.R1 * yn[2] + P.A1, P.R2 * yn[3] + P.A2];
      } else y = yn;
    }
    const m = await run(new GIF(1, P), 200, 0.001);
    expectSpikeTrainsClose(spikeTimes(m['G.spike']), spikes, 0.05, 3);
  });

  test('Izhikevich (RS)', async () => {
    const P = { ...Izhikevich.RS, I: 10 };
    const f = ([V, u]: Vec) => [0.04 * V * V + 5 * V + 140 - u + P.I, P.a * (P.b * V - u)];
    const ref = reference(f, [-65, P.b * -65], 200, 30, ([, u]) => [P.c, u + P.d]);
    const m = await run(new Izhikevich(1, P), 200, 0.001);
    expectSpikeTrainsClose(spikeTimes(m['G.spike']), ref.spikes, 0.05, 4);
  });

  test('Hodgkin–Huxley (squid, 6.3 °C)', async () => {
    const rates = (V: number) => [
      0.1 * (V + 40) / (1 - Math.exp(-(V + 40) / 10)), 4 * Math.exp(-(V + 65) / 18),
      0.07 * Math.exp(-(V + 65) / 20), 1 / (1 + Math.exp(-(V + 35) / 10)),
      0.01 * (V + 55) / (1 - Math.exp(-(V + 55) / 10)), 0.125 * Math.exp(-(V + 65) / 80),
    ];
    const f = ([V, m, h, n]: Vec) => {
      const [am, bm, ah, bh, an, bn] = rates(V);
      const I = 120 * m ** 3 * h * (V - 50) + 36 * n ** 4 * (V + 77) + 0.3 * (V + 54.387);
      return [10 - I, am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n];
    };
    const [am, bm, ah, bh, an, bn] = rates(-65);
    const ref = reference(f, [-65, am / (am + bm), ah / (ah + bh), an / (an + bn)], 100, 0);
    const m = await run(new HH(1, { I: 10 }), 100, 0.01);
    expectSpikeTrainsClose(spikeTimes(m['G.spike']), ref.spikes, 0.011, 5);
    const V = m['G.V'].data;
    for (const t of [3, 17.5, 42, 77.7]) expect(Math.abs(V[Math.round(t / 0.01) - 1] - ref.at(t))).toBeLessThan(0.05);
  });

  test('Traub–Miles HH (COBAHH neuron, exponential Euler) at dt = 0.01', async () => {
    const VT = -63;
    const rates = (V: number) => [
      0.32 * (13 - V + VT) / (Math.exp((13 - V + VT) / 4) - 1), 0.28 * (V - VT - 40) / (Math.exp((V - VT - 40) / 5) - 1),
      0.128 * Math.exp((17 - V + VT) / 18), 4 / (1 + Math.exp((40 - V + VT) / 5)),
      0.032 * (15 - V + VT) / (Math.exp((15 - V + VT) / 5) - 1), 0.5 * Math.exp((10 - V + VT) / 40),
    ];
    const f = ([V, m, h, n]: Vec) => {
      const [am, bm, ah, bh, an, bn] = rates(V);
      const dV = (10 * (-60 - V) - 20000 * m ** 3 * h * (V - 50) - 6000 * n ** 4 * (V + 90) + 200) / 200;
      return [dV, am * (1 - m) - bm * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n];
    };
    const [am, bm, ah, bh, an, bn] = rates(-65);
    const ref = reference(f, [-65, am / (am + bm), ah / (ah + bh), an / (an + bn)], 100, -20);
    // exponential Euler is first order: the spike-time error must halve with dt
    const err: number[] = [];
    for (const dt of [0.01, 0.005]) {
      const s = spikeTimes((await run(new TraubHH(1, { V0: -65, V0sd: 0, I: 200 }), 100, dt))['G.spike']);
      expect(s.length).toBe(ref.spikes.length);
      err.push(Math.max(...s.map((t, k) => Math.abs(t - ref.spikes[k]))));
    }
    expect(ref.spikes.length).toBeGreaterThanOrEqual(4);
    expect(err[0]).toBeLessThan(1);
    expect(err[1]).toBeLessThan(0.6 * err[0]);
  });

  test('Morris–Lecar', async () => {
    const P = { VCa: 130, gCa: 4.4, VK: -84, gK: 8, VL: -60, gL: 2, C: 20, V1: -1.2, V2: 18, V3: 2, V4: 30, phi: 0.04, I: 90 };
    const f = ([V, W]: Vec) => {
      const Minf = 0.5 * (1 + Math.tanh((V - P.V1) / P.V2)), Winf = 0.5 * (1 + Math.tanh((V - P.V3) / P.V4));
      const tau = 1 / Math.cosh((V - P.V3) / (2 * P.V4));
      return [(-P.gCa * Minf * (V - P.VCa) - P.gK * W * (V - P.VK) - P.gL * (V - P.VL) + P.I) / P.C, P.phi * (Winf - W) / tau];
    };
    const ref = reference(f, [-60, 0.5 * (1 + Math.tanh(-62 / 30))], 400, 10);
    const m = await run(new MorrisLecar(1, { I: 90 }), 400, 0.05);
    expectSpikeTrainsClose(spikeTimes(m['G.spike']), ref.spikes, 0.051, 3);
  });

  test('Wang–Buzsáki', async () => {
    const rates = (V: number) => [
      0.1 * (V + 35) / (1 - Math.exp(-(V + 35) / 10)), 4 * Math.exp(-(V + 60) / 18),
      0.07 * Math.exp(-(V + 58) / 20), 1 / (1 + Math.exp(-(V + 28) / 10)),
      0.01 * (V + 34) / (1 - Math.exp(-(V + 34) / 10)), 0.125 * Math.exp(-(V + 44) / 80),
    ];
    const f = ([V, h, n]: Vec) => {
      const [am, bm, ah, bh, an, bn] = rates(V);
      const minf = am / (am + bm);
      const I = 35 * minf ** 3 * h * (V - 55) + 9 * n ** 4 * (V + 90) + 0.1 * (V + 65);
      return [1 - I, 5 * (ah * (1 - h) - bh * h), 5 * (an * (1 - n) - bn * n)];
    };
    const [, , ah, bh, an, bn] = rates(-65);
    const ref = reference(f, [-65, ah / (ah + bh), an / (an + bn)], 100, -20);
    const m = await run(new WangBuzsaki(1, { I: 1 }), 100, 0.01);
    expectSpikeTrainsClose(spikeTimes(m['G.spike']), ref.spikes, 0.011, 3);
  });

  test('Hindmarsh–Rose (bursting)', async () => {
    const I = 3;
    const f = ([x, y, z]: Vec) => [y - x ** 3 + 3 * x * x - z + I, 1 - 5 * x * x - y, 0.01 * (4 * (x + 1.6) - z)];
    const ref = reference(f, [-1.6, -10, 0], 300, 1);
    const m = await run(new HindmarshRose(1, { I }), 300, 0.01);
    expectSpikeTrainsClose(spikeTimes(m['G.spike']), ref.spikes, 0.011, 5);
  });

  test('FitzHugh–Nagumo', async () => {
    const I = 0.5;
    const f = ([V, w]: Vec) => [V - V ** 3 / 3 - w + I, (V + 0.7 - 0.8 * w) / 12.5];
    const ref = reference(f, [-1.199408, -0.624260], 300, 1);
    const m = await run(new FitzHughNagumo(1, { I }), 300, 0.01);
    expectSpikeTrainsClose(spikeTimes(m['G.spike']), ref.spikes, 0.011, 3);
  });
});

// ---------------------------------------------------------------- firing patterns
describe('firing patterns', () => {
  test('HH f–I curve: type II onset (no repetitive firing below ~6.2 µA/cm², then > 40 Hz at once)', async () => {
    const Is = [2, 4, 5.5, 6, 6.5, 7, 8, 10, 15, 20];
    const G = new HH(Is.length);
    const m = await run(G, 600, 0.02, { inputs: [['G.input', Is]] });
    const rate = Is.map((_, i) => spikeTimes(m['G.spike'], i).filter((t) => t >= 200).length / 0.4);
    for (let i = 0; i < Is.length; i++) {
      if (Is[i] <= 6) expect(rate[i]).toBe(0);
      else expect(rate[i]).toBeGreaterThan(40);
    }
    for (let i = 1; i < Is.length; i++) if (Is[i - 1] > 6) expect(rate[i]).toBeGreaterThanOrEqual(rate[i - 1]);
    // HH 1952 at 10 µA/cm²: ≈ 68 Hz
    expect(rate[Is.indexOf(10)]).toBeGreaterThanOrEqual(62.5);
    expect(rate[Is.indexOf(10)]).toBeLessThanOrEqual(72.5);
    // a single spike (not repetitive firing) above the step threshold: 4 µA/cm² gives exactly one AP at onset
    expect(spikeTimes(m['G.spike'], Is.indexOf(4)).length).toBe(1);
    expect(spikeTimes(m['G.spike'], Is.indexOf(2)).length).toBe(0);
  });

  function bursts(times: number[], gap = 10): number[][] {
    const out: number[][] = [];
    for (const t of times) {
      if (out.length && t - out[out.length - 1][out[out.length - 1].length - 1] < gap) out[out.length - 1].push(t);
      else out.push([t]);
    }
    return out;
  }

  test('Izhikevich RS / IB / CH / FS patterns (Izhikevich 2003, Fig. 2) at I = 10', async () => {
    const sets = [Izhikevich.RS, Izhikevich.IB, Izhikevich.CH, Izhikevich.FS];
    const nets = await Promise.all(sets.map((p) => run(new Izhikevich(1, { ...p, I: 10 }), 300, 0.05)));
    const [rs, ib, ch, fs] = nets.map((m) => spikeTimes(m['G.spike']));
    const isi = (s: number[]) => s.slice(1).map((t, k) => t - s[k]);
    // RS: tonic single spikes with frequency adaptation
    const rsI = isi(rs);
    expect(bursts(rs).every((b) => b.length === 1)).toBe(true);
    expect(rsI[rsI.length - 1]).toBeGreaterThan(1.5 * rsI[0]);
    expect(rs.length).toBeGreaterThanOrEqual(5);
    // IB: an initial burst of ≥ 2 spikes, then single spikes
    const ibB = bursts(ib);
    expect(ibB[0].length).toBeGreaterThanOrEqual(2);
    expect(ibB.slice(1).length).toBeGreaterThanOrEqual(3);
    expect(ibB.slice(2).every((b) => b.length === 1)).toBe(true);
    // CH: repetitive bursts of ≥ 2 spikes
    const chB = bursts(ch);
    expect(chB.length).toBeGreaterThanOrEqual(5);
    expect(chB.slice(0, -1).every((b) => b.length >= 2)).toBe(true);
    // FS: high rate, almost no adaptation
    const fsI = isi(fs);
    expect(fs.length).toBeGreaterThan(2 * rs.length);
    expect(fsI[fsI.length - 1] / fsI[1]).toBeLessThan(1.3);
  });

  test('AdEx adaptation: successive ISIs lengthen under a current step', async () => {
    const P = { Vrest: -70, Vreset: -55, Vth: 0, VT: -50, deltaT: 2, tau: 20, tauW: 100, a: 0.5, b: 7, I: 65 };
    const s = spikeTimes((await run(new AdEx(1, P), 400, 0.01))['G.spike']);
    const isi = s.slice(1).map((t, k) => t - s[k]);
    expect(isi.length).toBeGreaterThanOrEqual(5);
    for (let k = 1; k < 4; k++) expect(isi[k]).toBeGreaterThan(isi[k - 1]);
    expect(isi[isi.length - 1]).toBeGreaterThan(2 * isi[0]);
    // without adaptation the train is regular
    const s0 = spikeTimes((await run(new AdEx(1, { ...P, a: 0, b: 0 }), 400, 0.01))['G.spike']);
    const isi0 = s0.slice(1).map((t, k) => t - s0[k]);
    expect(Math.abs(isi0[isi0.length - 1] - isi0[0])).toBeLessThan(0.02);
  });
});

test('former parameter names are refused with the name to use (one naming scheme across the zoo)', async () => {
  const { Network } = require('../src');
  const { LIF, TraubHH, MorrisLecar } = require('../models');
  await expect(new Network({ E: new LIF(2, { El: -60 }) }).run(1)).rejects.toThrow(/LIF 'E': parameter 'El' is now called 'Vrest'/);
  await expect(new Network({ E: new LIF(2, { Vr: -60 }) }).run(1)).rejects.toThrow(/parameter 'Vr' is now called 'Vreset'/);
  await expect(new Network({ H: new TraubHH(2, { gl: 10 }) }).run(0.1)).rejects.toThrow(/TraubHH 'H': parameter 'gl' is now called 'gL'/);
  await expect(new Network({ M: new MorrisLecar(2, { VCa: 120 }) }).run(0.1)).rejects.toThrow(/parameter 'VCa' is now called 'ECa'/);
});
