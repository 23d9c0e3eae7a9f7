/**
 * Synapse models and input helpers of the zoo (models/synapses, models/inputs): PSC shapes against closed
 * forms, delays (homogeneous and per synapse), receptor kinetics, short-term plasticity against the
 * Tsodyks–Markram steady state, and STDP windows (pair and triplet).
 */
import { Network, NeuGroup, Variable, DynamicalSystem } from '../src';
import { All2All, One2One, FixedProb } from '../connectors';
import {
  LIF, ExpCUBA, DeltaSynapse, DualExpCUBA, DualExpCOBA, AlphaCUBA, AlphaCOBA, AMPA, GABAa, NMDA, GapJunction, STP,
  PairSTDP, TripletSTDP, SpikeTimeGroup, PoissonGroup, OUProcess, OUCurrent,
  sectionInput, constantInput, rampInput, sinusoidalInput, squareInput,
} from '../models';

/** A post group with a fixed membrane potential; `last` holds the input it received in the previous step. */
class Clamp extends NeuGroup {
  V0 = -70;
  V = new Variable(this.num, { init: () => this.V0 });
  input = new Variable(this.num);
  last = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) { this.last[i] = this.input[i]; this.input[i] = 0; }
  }
}

/** Spikes at given times, with the V and input fields a postsynaptic group needs. */
class Puppet extends SpikeTimeGroup {
  V = new Variable(this.num, { init: -70 });
  input = new Variable(this.num);
}

async function run(members: Record<string, DynamicalSystem>, T: number, dt: number, monitors: string[], extra: { jit?: boolean; inputs?: any[] } = {}) {
  const net = new Network(members, { precision: 'float64' });
  const r = await net.run(T, { dt, seed: 3, monitors, jit: extra.jit ?? true, inputs: extra.inputs ?? [] });
  return r.monitors as Record<string, any>;
}

// ---------------------------------------------------------------- PSC shapes
describe('postsynaptic conductance shapes', () => {
  const dt = 0.01, tSpike = 1, k0 = Math.round(tSpike / dt);   // the spike is emitted in step k0

  test('exponential (ExpCUBA): jump w, then decay e^{-t/tau}', async () => {
    const pre = new SpikeTimeGroup(1, [0], [tSpike]), post = new Clamp(1);
    const g = (await run({ pre, post, S: new ExpCUBA(pre, post, new One2One(), { weight: 2, tau: 5 }) }, 30, dt, ['S.g']))['S.g'].data;
    expect(g[k0 - 1]).toBe(0);
    // the monitor sees g after this step's output, decayed or not: 2 or 2 (1 - dt/tau)
    expect(g[k0] === 2 || Math.abs(g[k0] - 2 * (1 - dt / 5)) < 1e-12).toBe(true);
    for (const m of [10, 100, 500, 1500]) expect(Math.abs(g[k0 + m] / g[k0] - Math.exp(-m * dt / 5))).toBeLessThan(2e-3);
  });

  test('dual exponential: closed form, peak at t* = ln(τd/τr)·τdτr/(τd−τr)', async () => {
    const w = 1.5, td = 10, tr = 1;
    const pre = new SpikeTimeGroup(1, [0], [tSpike]), post = new Clamp(1);
    const g = (await run({ pre, post, S: new DualExpCUBA(pre, post, new One2One(), { weight: w, tauDecay: td, tauRise: tr }) }, 60, dt, ['S.g']))['S.g'].data;
    const exact = (t: number) => w * td * tr / (td - tr) * (Math.exp(-t / td) - Math.exp(-t / tr));
    for (let m = 0; m < 5000; m += 13) expect(Math.abs(g[k0 + m] - exact(m * dt))).toBeLessThan(1e-12);
    let arg = 0;
    for (let k = 1; k < g.length; k++) if (g[k] > g[arg]) arg = k;
    const tStar = Math.log(td / tr) * td * tr / (td - tr);
    expect(Math.abs((arg - k0) * dt - tStar)).toBeLessThanOrEqual(dt / 2 + 1e-12);
    expect(g[arg]).toBeCloseTo(exact(tStar), 6);
  });

  test('alpha: g = w t e^{-t/τ}, peak at τ with value w τ / e', async () => {
    const w = 3, tau = 2;
    const pre = new SpikeTimeGroup(1, [0], [tSpike]), post = new Clamp(1);
    const g = (await run({ pre, post, S: new AlphaCUBA(pre, post, new One2One(), { weight: w, tau }) }, 30, dt, ['S.g']))['S.g'].data;
    for (let m = 0; m < 2500; m += 11) expect(Math.abs(g[k0 + m] - w * m * dt * Math.exp(-m * dt / tau))).toBeLessThan(1e-12);
    let arg = 0;
    for (let k = 1; k < g.length; k++) if (g[k] > g[arg]) arg = k;
    expect((arg - k0) * dt).toBeCloseTo(tau, 9);
    expect(g[arg]).toBeCloseTo(w * tau / Math.E, 12);
  });

  test('COBA outputs drive g (E - V); CUBA outputs drive g; spikes superpose per post neuron', async () => {
    const pre = new SpikeTimeGroup(2, [0, 1], [tSpike, tSpike]), post = new Clamp(1, { V0: -65 });
    const m = await run({
      pre, post,
      A: new DualExpCOBA(pre, post, new All2All(), { weight: 0.5, E: 0 }),
      B: new AlphaCOBA(pre, post, new All2All(), { weight: 0.25, E: -80 }),
      C: new AlphaCUBA(pre, post, new All2All(), { weight: 0.1 }),
    }, 10, dt, ['A.g', 'B.g', 'C.g', 'post.last']);
    const k = k0 + 200;  // input produced in step k is seen by the clamp in step k + 1
    expect(m['A.g'].data[k]).toBeCloseTo(2 * 0.5 * 10 / 9 * (Math.exp(-0.2) - Math.exp(-2)), 12);
    const expected = m['A.g'].data[k] * 65 + m['B.g'].data[k] * (-80 + 65) + m['C.g'].data[k];
    expect(m['post.last'].data[k + 1]).toBeCloseTo(expected, 10);
  });
});

// ---------------------------------------------------------------- delays
describe('transmission delays (ring buffer)', () => {
  test('homogeneous delay shifts the PSC by exactly delay / dt steps', async () => {
    const dt = 0.1;
    const mk = (delay: number) => {
      const pre = new SpikeTimeGroup(1, [0], [2]), post = new Clamp(1);
      return { pre, post, S: new DualExpCUBA(pre, post, new One2One(), { weight: 1, delay, minDt: dt }) };
    };
    const g0 = (await run(mk(0), 50, dt, ['S.g']))['S.g'].data;
    const g3 = (await run(mk(3.7), 50, dt, ['S.g']))['S.g'].data;
    expect(Math.max(...g0)).toBeGreaterThan(0.5);
    for (let k = 0; k < g0.length - 37; k++) expect(g3[k + 37]).toBe(g0[k]);
    for (let k = 0; k < 37 + 20; k++) expect(g3[k]).toBe(0);
  });

  test.each([true, false])('per-synapse delays: each spike arrives exactly its delay after sending (jit %p)', async (jit) => {
    const dt = 0.1, nPre = 3, nPost = 4, nSyn = nPre * nPost;
    const sendTimes = [1.0, 2.0, 3.5];
    const delays = Array.from({ length: nSyn }, (_, s) => ((s * 7) % 13) * 0.4 + (s % 3) * 0.1);  // 0 … 5 ms
    const weights = Array.from({ length: nSyn }, (_, s) => 2 ** s);   // identify synapses by bit
    const pre = new SpikeTimeGroup(nPre, [0, 1, 2], sendTimes), post = new Clamp(nPost, { V0: 0 });
    const S = new DeltaSynapse(pre, post, new All2All(), { weight: weights, delay: delays, minDt: dt });
    const m = await run({ pre, post, S }, 12, dt, ['post.V', 'pre.spike'], { jit });
    const V = m['post.V'].data;
    const arrival = new Array(nSyn).fill(-1);
    for (let k = 0; k < V.length / nPost; k++) {
      for (let j = 0; j < nPost; j++) {
        const d = V[k * nPost + j] - (k > 0 ? V[(k - 1) * nPost + j] : 0);
        for (let s = 0; s < nSyn; s++) if (s % nPost === j && (Math.round(d) & (2 ** s))) { expect(arrival[s]).toBe(-1); arrival[s] = k; }
      }
    }
    const sent = Array.from(m['pre.spike'].steps as Int32Array);
    expect(sent).toEqual(sendTimes.map((t) => Math.round(t / dt)));
    for (let s = 0; s < nSyn; s++) {
      const i = Math.floor(s / nPost);   // canonical order: pre-major, post ascending (All2All)
      expect(arrival[s]).toBe(sent[i] + Math.round(delays[s] / dt));
    }
    expect(S.w.value[5]).toBe(32);
    expect(S.delays.value[1]).toBe(delays[1]);
  });

  test('delays follow the run dt when dt ≥ minDt; per-synapse arrays must have nSyn values', async () => {
    const pre = new SpikeTimeGroup(1, [0], [1]), post = new Clamp(2, { V0: 0 });
    const S = new DeltaSynapse(pre, post, new All2All(), { weight: [1, 2], delay: [0.8, 2.4], minDt: 0.1 });
    const V = (await run({ pre, post, S }, 6, 0.2, ['post.V']))['post.V'].data;
    const firstStep = (j: number) => { for (let k = 0; k < V.length / 2; k++) if (V[2 * k + j] !== 0) return k; return -1; };
    expect(firstStep(0)).toBe(5 + 4);
    expect(firstStep(1)).toBe(5 + 12);
    const pre2 = new SpikeTimeGroup(1, [0], [1]), post2 = new Clamp(3);
    const bad = new DeltaSynapse(pre2, post2, new All2All(), { weight: [1, 2] });
    await expect(run({ pre: pre2, post: post2, bad }, 1, 0.1, [])).rejects.toThrow(/'weight' has 2 values but the projection has 3 synapses/);
  });

  test('a run with dt below minDt is refused instead of shortening delays', async () => {
    const pre = new SpikeTimeGroup(1, [0], [1]), post = new Clamp(2, { V0: 0 });
    const S = new DeltaSynapse(pre, post, new All2All(), { delay: 2, minDt: 0.1 });
    await expect(run({ pre, post, S }, 1, 0.05, [])).rejects.toThrow(/dt = 0.05 ms is below minDt = 0.1 ms.*minDt: 0.05/);
  });
});

// ---------------------------------------------------------------- receptor kinetics
describe('receptor kinetics', () => {
  test.each([
    ['AMPA', AMPA, { alpha: 0.98, beta: 0.18, T0: 0.5, Tdur: 0.5 }],
    ['GABAa', GABAa, { alpha: 0.53, beta: 0.18, T0: 1, Tdur: 1 }],
  ] as const)('%s: g rises towards αT/(αT+β) during the pulse, then decays as e^{-βt}', async (_n, Cls, P) => {
    const dt = 0.01, pre = new SpikeTimeGroup(1, [0], [1]), post = new Clamp(1);
    const g = (await run({ pre, post, S: new (Cls as any)(pre, post, new One2One()) }, 20, dt, ['S.g']))['S.g'].data;
    const k0 = 100, rate = P.alpha * P.T0 + P.beta, gInf = P.alpha * P.T0 / rate;
    const nPulse = Math.round(P.Tdur / dt);
    for (let m = 0; m < nPulse; m++) expect(g[k0 + m]).toBeCloseTo(gInf * (1 - Math.exp(-rate * (m + 1) * dt)), 12);
    const gEnd = gInf * (1 - Math.exp(-rate * P.Tdur));
    for (const m of [1, 50, 500]) expect(g[k0 + nPulse - 1 + m]).toBeCloseTo(gEnd * Math.exp(-P.beta * m * dt), 12);
  });

  test('NMDA: Jahr–Stevens Mg block and conductance vs an RK4 reference', async () => {
    const dt = 0.01;
    const pre = new SpikeTimeGroup(1, [0], [1]), post = new Clamp(2);
    const S = new NMDA(pre, post, new All2All(), { gMax: 1 });
    // B(V) = 1 / (1 + [Mg] exp(-0.062 V) / 3.57)
    for (const V of [-80, -40, 0, 20]) expect(S.mgBlock(V)).toBeCloseTo(1 / (1 + 1.2 * Math.exp(-0.062 * V) / 3.57), 14);
    expect(S.mgBlock(-80)).toBeLessThan(0.05);
    expect(S.mgBlock(0)).toBeGreaterThan(0.7);
    const net = new Network({ pre, post, S }, { precision: 'float64' });
    (post as any).V0 = 0;
    const r = await net.run(150, { dt, monitors: ['S.g', 'post.last'], inputs: [['post.V', [-70, -20], '=']] });
    const g = (r.monitors['S.g'] as any).data;
    // reference: dx/dt = -x/2, dg/dt = -g/100 + 0.5 x (1 - g), x(0) = 1, RK4 at 0.001 ms
    let x = 1, G = 0;
    const h = 0.001, ref: number[] = [0];
    const f = (x: number, G: number) => [-x / 2, -G / 100 + 0.5 * x * (1 - G)];
    for (let k = 1; k <= 14000; k++) {
      const [a1, b1] = f(x, G), [a2, b2] = f(x + h / 2 * a1, G + h / 2 * b1), [a3, b3] = f(x + h / 2 * a2, G + h / 2 * b2), [a4, b4] = f(x + h * a3, G + h * b3);
      x += h / 6 * (a1 + 2 * a2 + 2 * a3 + a4); G += h / 6 * (b1 + 2 * b2 + 2 * b3 + b4);
      if (k % 10 === 0) ref.push(G);
    }
    let peak = 0;
    for (let m = 1; m < 1400; m++) {
      // state after step 100 + m: m steps of dynamics after the spike, x kicked at the end of step 100
      expect(Math.abs(g[100 + m] - ref[m])).toBeLessThan(1e-3);
      peak = Math.max(peak, g[100 + m]);
    }
    expect(peak).toBeGreaterThan(0.3);
    // current at two clamped voltages: gMax g B(V) (E - V)
    const last = (r.monitors['post.last'] as any).data, k = 100 + 500;
    expect(last[2 * (k + 1)]).toBeCloseTo(g[k] * S.mgBlock(-70) * 70, 10);
    expect(last[2 * (k + 1) + 1]).toBeCloseTo(g[k] * S.mgBlock(-20) * 20, 10);
  });

  test('gap junction: passive neuron coupled to a clamped one settles at (Vrest + gc·Vpre)/(1 + gc)', async () => {
    const pre = new Clamp(1, { V0: -40 }), post = new LIF(1, { Vth: 100, V0: -60, Vrest: -60 });
    const m = await run({ pre, post, S: new GapJunction(pre, post, new One2One(), { gc: 0.5 }) }, 300, 0.1, ['post.V']);
    const V = m['post.V'].data;
    expect(V[V.length - 1]).toBeCloseTo((-60 + 0.5 * -40) / 1.5, 6);
  });
});

// ---------------------------------------------------------------- short-term plasticity
describe('Tsodyks–Markram short-term plasticity', () => {
  test.each([
    ['STD', 20, STP.STD, 40],
    ['STF', 20, STP.STF, 120],
    ['STF', 10, STP.STF, 120],
  ] as const)('%s at %p Hz: efficacy converges to u*·x*', async (_n, rateHz, P, nSpikes) => {
    const dt = 0.1, isi = 1000 / rateHz;
    const times = Array.from({ length: nSpikes }, (_, k) => 5 + k * isi);
    const pre = new SpikeTimeGroup(1, times.map(() => 0), times), post = new Clamp(1);
    const S = new STP(pre, post, new One2One(), { ...P, weight: 1 });
    const m = await run({ pre, post, S }, times[nSpikes - 1] + 10, dt, ['S.efficacy', 'S.I']);
    const eff = m['S.efficacy'].data;
    const steps = times.map((t) => Math.round(t / dt));
    expect(eff[steps[0]]).toBeCloseTo(P.U, 12);                      // first spike: u = U, x = 1
    const { U, tauF, tauD } = P;
    const uStar = U / (1 - (1 - U) * Math.exp(-isi / tauF));
    const xStar = (1 - Math.exp(-isi / tauD)) / (1 - (1 - uStar) * Math.exp(-isi / tauD));
    expect(eff[steps[nSpikes - 1]]).toBeCloseTo(uStar * xStar, 5);
    if (_n === 'STD') expect(eff[steps[nSpikes - 1]]).toBeLessThan(0.5 * U);
    else expect(eff[steps[nSpikes - 1]]).toBeGreaterThan(eff[steps[0]]);
    // the exponential current receives w·efficacy at each spike
    const I = m['S.I'].data;
    expect(I[steps[1]] - I[steps[1] - 1] * Math.exp(-dt / 8)).toBeCloseTo(eff[steps[1]], 12);
  });
});

// ---------------------------------------------------------------- STDP
describe('spike-timing-dependent plasticity', () => {
  const dt = 0.1;
  const dts = [-40, -20, -10, -5, -1, 1, 5, 10, 20, 40];

  async function pairs(make: (pre: any, post: any) => any, deltas: number[], tPre = 50) {
    const n = deltas.length;
    const pre = new SpikeTimeGroup(n, deltas.map((_, i) => i), deltas.map(() => tPre));
    const post = new Puppet(n, deltas.map((_, i) => i), deltas.map((d) => tPre + d));
    const S = make(pre, post);
    await run({ pre, post, S }, 120, dt, []);
    return Array.from(S.w.value as Float64Array);
  }

  test('pair STDP (Song et al. 2000): Δw = A+ e^{-Δt/τ+} for Δt > 0, -A- e^{Δt/τ-} for Δt < 0', async () => {
    const P = { Aplus: 0.005, Aminus: 0.00525, tauPlus: 20, tauMinus: 20, weight: 0.5, wMax: 1 };
    const w = await pairs((pre, post) => new PairSTDP(pre, post, new One2One(), P), dts);
    dts.forEach((d, i) => {
      const expected = d > 0 ? P.Aplus * Math.exp(-d / P.tauPlus) : -P.Aminus * Math.exp(d / P.tauMinus);
      expect(w[i] - 0.5).toBeCloseTo(expected, 12);
    });
  });

  test('pair STDP with many spikes and All2All: Δw = sum of the window over all pre/post pairs', async () => {
    const P = { Aplus: 0.001, Aminus: 0.0012, tauPlus: 17, tauMinus: 23, weight: 0.5, wMax: 1 };
    const nPre = 4, nPost = 3;
    const preT = [[3, 30.5, 61], [10, 11, 80.2], [44.4], [5, 25, 45, 65, 85]];
    const postT = [[12, 50, 70], [30.5, 90], [1, 2, 3, 60]];
    const flat = (tt: number[][]) => ({ i: tt.flatMap((ts, i) => ts.map(() => i)), t: tt.flat() });
    const a = flat(preT), b = flat(postT);
    const pre = new SpikeTimeGroup(nPre, a.i, a.t), post = new Puppet(nPost, b.i, b.t);
    const S = new PairSTDP(pre, post, new All2All(), P);
    await run({ pre, post, S }, 120, dt, []);
    for (let i = 0; i < nPre; i++) {
      for (let j = 0; j < nPost; j++) {
        let dw = 0;
        for (const tp of preT[i]) for (const tq of postT[j]) {
          const d = Math.round(tq / dt) * dt - Math.round(tp / dt) * dt;
          dw += d >= 0 ? P.Aplus * Math.exp(-d / P.tauPlus) : -P.Aminus * Math.exp(d / P.tauMinus);
        }
        expect(S.w.value[i * nPost + j] - 0.5).toBeCloseTo(dw, 10);
      }
    }
  });

  test('pair STDP: weights stay in [0, wMax] and per-synapse initial weights are used', async () => {
    const P = { Aplus: 0.5, Aminus: 0.5, tauPlus: 20, tauMinus: 20, weight: [0.9, 0.1], wMax: 1 };
    const w = await pairs((pre, post) => new PairSTDP(pre, post, new One2One(), P), [1, -1]);
    expect(w).toEqual([1, 0]);
  });

  test('triplet STDP (Pfister & Gerstner 2006): pair terms and the triplet terms', async () => {
    const P = { A2plus: 0.004, A3plus: 0.006, A2minus: 0.007, A3minus: 0.002, tauPlus: 16.8, tauMinus: 33.7, tauX: 101, tauY: 125, weight: 0.5 };
    const w = await pairs((pre, post) => new TripletSTDP(pre, post, new One2One(), P), dts);
    dts.forEach((d, i) => {
      const expected = d > 0 ? P.A2plus * Math.exp(-d / P.tauPlus) : -P.A2minus * Math.exp(d / P.tauMinus);
      expect(w[i] - 0.5).toBeCloseTo(expected, 12);
    });
    // post(0) – pre(t1) – post(t2): depression by the first post, potentiation with the o2 triplet term
    const t1 = 10, t2 = 25;
    {
      const pre = new SpikeTimeGroup(1, [0], [50 + t1]);
      const post = new Puppet(1, [0, 0], [50, 50 + t2]);
      const S = new TripletSTDP(pre, post, new One2One(), P);
      await run({ pre, post, S }, 120, dt, []);
      const expected = -P.A2minus * Math.exp(-t1 / P.tauMinus) + Math.exp(-(t2 - t1) / P.tauPlus) * (P.A2plus + P.A3plus * Math.exp(-t2 / P.tauY));
      expect(S.w.value[0] - 0.5).toBeCloseTo(expected, 12);
    }
    // pre(0) – post(t1) – pre(t2): potentiation, then depression with the r2 triplet term
    {
      const pre = new SpikeTimeGroup(1, [0, 0], [50, 50 + t2]);
      const post = new Puppet(1, [0], [50 + t1]);
      const S = new TripletSTDP(pre, post, new One2One(), P);
      await run({ pre, post, S }, 120, dt, []);
      const expected = P.A2plus * Math.exp(-t1 / P.tauPlus) - Math.exp(-(t2 - t1) / P.tauMinus) * (P.A2minus + P.A3minus * Math.exp(-t2 / P.tauX));
      expect(S.w.value[0] - 0.5).toBeCloseTo(expected, 12);
    }
  });

  test('STDP synapses transmit with the current weight (conductance jump w, COBA output)', async () => {
    const pre = new SpikeTimeGroup(1, [0], [5]), post = new Clamp(1, { V0: -70 });
    const S = new PairSTDP(pre, post, new One2One(), { weight: 0.3, tau: 5, E: 0 });
    const m = await run({ pre, post, S }, 10, 0.1, ['S.g', 'post.last']);
    expect(m['S.g'].data[50]).toBeCloseTo(0.3, 12);
    expect(m['post.last'].data[51]).toBeCloseTo(0.3 * 70, 10);
  });
});

// ---------------------------------------------------------------- compiled vs interpreted
describe('compiled and interpreted runs agree', () => {
  const makers: [string, (pre: any, post: any) => DynamicalSystem][] = [
    ['DeltaSynapse', (a, b) => new DeltaSynapse(a, b, new FixedProb(0.3), { weight: 0.5, delay: 1.2 })],
    ['DualExpCOBA', (a, b) => new DualExpCOBA(a, b, new FixedProb(0.3), { weight: 0.05, delay: 0.5 })],
    ['AlphaCUBA', (a, b) => new AlphaCUBA(a, b, new FixedProb(0.3), { weight: 0.5 })],
    ['AMPA', (a, b) => new AMPA(a, b, new FixedProb(0.3), { gMax: 0.1 })],
    ['GABAa', (a, b) => new GABAa(a, b, new FixedProb(0.3), { gMax: 0.1 })],
    ['NMDA', (a, b) => new NMDA(a, b, new FixedProb(0.3), { gMax: 0.1 })],
    ['GapJunction', (a, b) => new GapJunction(a, b, new FixedProb(0.3), { gc: 0.05 })],
    ['STP', (a, b) => new STP(a, b, new FixedProb(0.3), { ...STP.STD, weight: 2 })],
    ['PairSTDP', (a, b) => new PairSTDP(a, b, new FixedProb(0.3), { weight: 0.05, Aplus: 0.01, Aminus: 0.0105 })],
    ['TripletSTDP', (a, b) => new TripletSTDP(a, b, new FixedProb(0.3), { weight: 0.05, A2plus: 0.01 })],
  ];
  test.each(makers)('%s', async (_n, make) => {
    const out: Float64Array[] = [];
    for (const jit of [true, false, null]) {
      const pre = new LIF(20, { V0: -60, V0sd: 5, I: 15 }), post = new LIF(10, { V0: -60, V0sd: 5, I: 9 });
      const members: Record<string, DynamicalSystem> = jit === null ? { pre, post } : { pre, post, S: make(pre, post) };   // null: no synapse
      const m = await run(members, 100, 0.1, ['post.V'], { jit: jit ?? true });
      out.push(m['post.V'].data);
    }
    expect(Array.from(out[1])).toEqual(Array.from(out[0]));
    let effect = 0;
    for (let k = 0; k < out[0].length; k++) effect = Math.max(effect, Math.abs(out[0][k] - out[2][k]));
    expect(effect).toBeGreaterThan(0.01);   // the synapse acted on the post group
  });
});

// ---------------------------------------------------------------- inputs
describe('input groups and helpers', () => {
  test('PoissonGroup fires at rate·dt/1000 per step', async () => {
    const P = new PoissonGroup(1000, { rate: 20 });
    const m = await run({ P }, 250, 0.1, ['P.spike']);
    const expected = 1000 * 20 * 0.25;                 // 5000 spikes
    expect(Math.abs(m['P.spike'].count - expected)).toBeLessThan(4 * Math.sqrt(expected));
    const Q = new PoissonGroup(2, { rate: [0, 1e4] });   // rate·dt/1000 = 1 → every step
    const q = await run({ Q }, 10, 0.1, ['Q.spike']);
    expect(q['Q.spike'].count).toBe(100);
    expect(Array.from(q['Q.spike'].indices as Int32Array).every((i) => i === 1)).toBe(true);
  });

  test('SpikeTimeGroup emits each event in its step, in any input order', async () => {
    const G = new SpikeTimeGroup(3, [2, 0, 1, 0], [3.3, 1.0, 1.0, 0]);
    const m = await run({ G }, 5, 0.1, ['G.spike']);
    expect(Array.from(m['G.spike'].steps as Int32Array)).toEqual([0, 10, 10, 33]);
    expect(Array.from(m['G.spike'].indices as Int32Array)).toEqual([0, 0, 1, 2]);
    expect(() => new SpikeTimeGroup(2, [0, 2], [1, 2])).toThrow(/index/);
  });

  test('OU process: stationary mean, std and correlation time; OUCurrent injects it', async () => {
    const N = new OUProcess(200, { mean: 2, sigma: 0.5, tau: 5 }), post = new Clamp(200);
    const m = await run({ N, post, C: new OUCurrent(N, post, new One2One(), { gain: 2 }) }, 200, 0.1, ['N.x', 'post.last']);
    const x = m['N.x'].data, n = 200, T = x.length / n;
    let s = 0, s2 = 0, c = 0;
    for (let k = 0; k < T; k++) for (let i = 0; i < n; i++) { const v = x[k * n + i]; s += v; s2 += v * v; }
    const mean = s / (T * n), sd = Math.sqrt(s2 / (T * n) - mean * mean);
    expect(mean).toBeCloseTo(2, 1);
    expect(Math.abs(sd - 0.5)).toBeLessThan(0.03);
    for (let k = 0; k + 50 < T; k++) for (let i = 0; i < n; i++) c += (x[k * n + i] - mean) * (x[(k + 50) * n + i] - mean);
    expect(Math.abs(c / ((T - 50) * n) / (sd * sd) - Math.exp(-1))).toBeLessThan(0.05);  // lag 5 ms = tau
    expect(m['post.last'].data[50 * n + 7]).toBeCloseTo(2 * x[49 * n + 7], 12);
  });

  test('current helpers', () => {
    const s = sectionInput([0, 5, [1, 2]], [10, 20, 5]);
    expect([s(0), s(9.9), s(10), s(29.9)]).toEqual([0, 0, 5, 5]);
    expect(s(30)).toEqual([1, 2]);
    expect(Array.from(s(40) as Float64Array)).toEqual([0, 0]);
    const c = constantInput(3, 5, 10);
    expect([c(4.9), c(5), c(9.9), c(10)]).toEqual([0, 3, 3, 0]);
    const r = rampInput(0, 10, 100, 50);
    expect([r(0), r(50), r(75), r(100)]).toEqual([0, 0, 5, 0]);
    const sn = sinusoidalInput(2, 10, { bias: 1 });
    expect(sn(25)).toBeCloseTo(3, 12);        // quarter period of 10 Hz = 25 ms
    expect(sn(75)).toBeCloseTo(-1, 12);
    const q = squareInput(4, 20, { duty: 0.25 });   // period 50 ms
    expect([q(0), q(12.4), q(12.6), q(49), q(50)]).toEqual([4, 4, 0, 0, 4]);
  });

  test('helpers work as run inputs', async () => {
    const G = new LIF(1, { Vth: 100, tau: 10 });
    const m = await run({ G }, 100, 0.1, ['G.V'], { inputs: [['G.input', sectionInput([0, 10], [20, 80])]] });
    const V = m['G.V'].data;
    expect(V[150]).toBe(-60);
    expect(V[999]).toBeCloseTo(-50, 2);
  });
});
