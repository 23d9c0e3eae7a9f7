/**
 * COBAHH start-up and TraubHH's two synaptic forms, against the exponential-Euler step written out here
 * from its definition: V' = V∞ + (V − V∞) exp(−G dt / C), gates and synaptic terms frozen over the step.
 */
import { Network } from '../src';
import { TraubHH } from '../models';
import { cobahhNetwork, SynapseForm } from '../examples/cobahh';

const P = { C: 200, gL: 10, gNa: 20000, gK: 6000, EL: -60, ENa: 50, EK: -90 };
const Ee = 0, Ei = -80, tauE = 5, tauI = 10, dt = 0.1;

/** One step of V for neuron k from the stored state and the conductances ge, gi it should feel. */
function expectedV(form: SynapseForm, V: number, m: number, h: number, n: number, ge: number, gi: number): number {
  const gNa = P.gNa * m * m * m * h, gK = P.gK * n * n * n * n;
  if (form === 'brian2') {
    const G = P.gL + gNa + gK + ge + gi;
    const Vinf = (P.gL * P.EL + gNa * P.ENa + gK * P.EK + ge * Ee + gi * Ei) / G;
    return Vinf + (V - Vinf) * Math.exp(-G / P.C * dt);
  }
  const G = P.gL + gNa + gK;
  const Vinf = (P.gL * P.EL + gNa * P.ENa + gK * P.EK + ge * (Ee - V) + gi * (Ei - V)) / G;
  return Vinf + (V - Vinf) * Math.exp(-G / P.C * dt);
}

describe.each(['brian2', 'current'] as SynapseForm[])('COBAHH, %s form', (form) => {
  test('the initial conductances act on V from step 0, then decay once per step', async () => {
    const { net, E, inputs, init } = cobahhNetwork({ nE: 80, nI: 20, seed: 3, form });
    const snap = () => ({ V: Float64Array.from(E.V.value), m: Float64Array.from(E.m.value), h: Float64Array.from(E.h.value), n: Float64Array.from(E.n.value) });
    const s0 = snap();
    const r = await net.run(dt, { dt, inputs, monitors: ['E.spike'] });
    expect((r.monitors['E.spike'] as any).count).toBe(0);
    const s1 = snap();
    const decayE = form === 'brian2' ? Math.exp(-dt / tauE) : 1 - dt / tauE, decayI = form === 'brian2' ? Math.exp(-dt / tauI) : 1 - dt / tauI;
    let moved = 0;
    for (let k = 0; k < 80; k++) {
      const f = (x: number) => Math.fround(x); // inputs are stored in float32
      const want = expectedV(form, s0.V[k], s0.m[k], s0.h[k], s0.n[k], f(init.geE[k]), f(init.giE[k]));
      expect(s1.V[k]).toBeCloseTo(want, 3);
      // without the conductances V would be elsewhere: the test can tell
      moved = Math.max(moved, Math.abs(want - expectedV(form, s0.V[k], s0.m[k], s0.h[k], s0.n[k], 0, 0)));
    }
    expect(moved).toBeGreaterThan(1);
    const r2 = await net.run(dt, { dt, monitors: ['E.spike'] });
    expect((r2.monitors['E.spike'] as any).count).toBe(0);
    const s2 = snap();
    for (let k = 0; k < 80; k++) {
      // step 1 feels g0 decayed once (recurrent input is zero: nobody spiked in step 0)
      const want = expectedV(form, s1.V[k], s1.m[k], s1.h[k], s1.n[k], init.geE[k] * decayE, init.giE[k] * decayI);
      expect(s2.V[k]).toBeCloseTo(want, 2);
    }
  });
});

test('TraubHH with conductances in the exponent is exact for a passive membrane (gNa = gK = 0)', async () => {
  const g = 35, Erev = -20, V0 = -70;
  const G = new TraubHH(1, { gNa: 0, gK: 0, V0, V0sd: 0 });
  const net = new Network({ G }, { precision: 'float64' });
  const r = await net.run(20, { dt, inputs: [['G.gsyn', g], ['G.gsynE', g * Erev]], monitors: ['G.V'] });
  const V = r.monitors['G.V'] as any;
  const Gt = P.gL + g, Vinf = (P.gL * P.EL + g * Erev) / Gt;
  for (let s = 0; s < V.ts.length; s++) {
    expect(V.data[s]).toBeCloseTo(Vinf + (V0 - Vinf) * Math.exp(-Gt / P.C * dt * (s + 1)), 9);
  }
});

test('COBAHH in both forms: jit: false equals compiled, bit for bit', async () => {
  for (const form of ['brian2', 'current'] as SynapseForm[]) {
    const out = [];
    for (const jit of [true, false]) {
      const { net, E, inputs } = cobahhNetwork({ nE: 160, nI: 40, seed: 5, form });
      const r = await net.run(60, { dt, jit, inputs, monitors: ['E.spike', 'I.spike'] });
      const m = r.monitors['E.spike'] as any;
      out.push({ steps: Array.from(m.steps.subarray(0, m.count)), idx: Array.from(m.indices.subarray(0, m.count)), V: Array.from(E.V.value) });
    }
    expect(out[0].steps.length).toBeGreaterThan(20);
    expect(out[1]).toEqual(out[0]);
  }
});
