/**
 * The fastest COBA we know how to write by hand in JavaScript: the reference that brainweave's generated code
 * (and any wasm emitter) must be measured against. Same model, connectivity and arithmetic as
 * examples/networks.ts cobaNetwork (models/neurons/lif.ts + models/synapses/exponential.ts), so spike counts
 * equal those of brainweave's own run at the same seed and precision (bench/brian2.ts and
 * test/wasm-coba.test.ts check it).
 *
 * What makes it fast (each measured on this machine kind, see bench/RESULTS.md):
 *  - one fused pass per group per step: the synaptic current g·(E − V) is computed inside the neuron loop
 *    from the conductances, so there is no `input` array written, read and zeroed every step;
 *  - the conductances are stored undecayed after delivery and decayed in that same pass: the post group sees
 *    exactly the sequence decay → add → output of the model, one read and one write of g per neuron per step;
 *  - the current is computed only for non-refractory neurons; refractoriness counts steps as the library's LIF
 *    does (an int32 countdown, n = trunc(tRef/dt + 1e-3); Brian2's rule, models/README.md);
 *  - thresholding appends to a spike index list, which then drives delivery (after all neuron updates) and the
 *    spike monitor; no `spike` flag array is written or scanned;
 *  - rare work (monitor growth) is outside the hot function; no NaN check (a hand-writer would not add one).
 *
 * brainweave's js backend is now faster than this (bench/RESULTS.md, tenth session): its small outlined
 * functions read their arrays as constants of the optimised code (src/backends/js/emit.ts). A fresh compiled
 * copy of these kernels per state, which would get the same, was slower (0.238 against 0.175 s): each copy
 * starts cold, one big function reached by on-stack replacement.
 *
 * Float32 storage rounds where brainweave's Float32 Variables round (each store, and the `input`
 * accumulation after each projection's term); arithmetic between stores is in doubles, as in brainweave.
 */
import { Network, Ragged } from '../../src';

type FArr = Float32Array | Float64Array;

/** Everything a COBA kernel needs, copied out of a built brainweave network (so the network itself is untouched). */
export interface CobaState {
  f32: boolean;
  nE: number; nI: number;
  VE: FArr; VI: FArr;
  /** refractory countdowns (models/neurons/lif.ts: steps until V integrates again) */
  rE: Int32Array; rI: Int32Array;
  /** conductance onto E from E (EE) and from I (IE); onto I from E (EI) and from I (II) */
  gEE: FArr; gIE: FArr; gEI: FArr; gII: FArr;
  EE: Ragged; EI: Ragged; IE: Ragged; II: Ragged;
  /** model constants, read from the network so the kernels cannot drift from the models */
  p: { tau: number; Vth: number; Vr: number; El: number; tRef: number; I: number; we: number; wi: number; Ee: number; Ei: number; taue: number; taui: number };
}

export function cobaState(net: Network): CobaState {
  const E = net.get('E') as any, I = net.get('I') as any;
  const syn = (n: string) => net.get(n) as any;
  const f32 = E.V.value instanceof Float32Array;
  const F = f32 ? Float32Array : Float64Array;
  for (const s of ['EE', 'EI', 'IE', 'II']) if (syn(s).g.value.some((x: number) => x !== 0)) throw new Error('cobaState: run from a fresh network');
  for (const [a, b] of [['EE', 'EI'], ['IE', 'II']]) for (const k of ['weight', 'tau', 'E']) if (syn(a)[k] !== syn(b)[k]) throw new Error(`cobaState: ${a} and ${b} differ in ${k}`);
  for (const k of ['tau', 'Vth', 'Vreset', 'Vrest', 'tRef', 'I']) if (E[k] !== I[k]) throw new Error(`cobaState: E and I differ in ${k}`);
  return {
    f32, nE: E.num, nI: I.num,
    VE: F.from(E.V.value), VI: F.from(I.V.value), rE: Int32Array.from(E.refractory.value), rI: Int32Array.from(I.refractory.value),
    gEE: new F(E.num), gIE: new F(E.num), gEI: new F(I.num), gII: new F(I.num),
    EE: syn('EE').pre2post, EI: syn('EI').pre2post, IE: syn('IE').pre2post, II: syn('II').pre2post,
    p: {
      tau: E.tau, Vth: E.Vth, Vr: E.Vreset, El: E.Vrest, tRef: E.tRef, I: E.I,
      we: syn('EE').weight, wi: syn('IE').weight, Ee: syn('EE').E, Ei: syn('IE').E, taue: syn('EE').tau, taui: syn('IE').tau,
    },
  };
}

/** Spike events as brainweave's spike monitor keeps them: (step, index) pairs, grown outside the kernel. */
export class SpikeLog {
  steps = new Int32Array(1 << 14);
  indices = new Int32Array(1 << 14);
  count = 0;
  grow(need: number): void {
    let cap = this.steps.length; while (cap < need) cap *= 2;
    const s = new Int32Array(cap), i = new Int32Array(cap);
    s.set(this.steps.subarray(0, this.count)); i.set(this.indices.subarray(0, this.count));
    this.steps = s; this.indices = i;
  }
}

export interface CobaResult { nE: number; nI: number; seconds: number; spikesE: SpikeLog; spikesI: SpikeLog }

/**
 * Runs nSteps of dt from t = 0 on a state from `cobaState` (mutated) and returns spike counts, the spike logs
 * and the loop time (setup excluded, as brainweave's `timings.run`).
 */
export function bestCOBA(st: CobaState, nSteps: number, dt: number, chunk = nSteps): CobaResult {
  const mE = new SpikeLog(), mI = new SpikeLog();
  const t0 = performance.now();
  let s = 0;
  // the kernel stops when a monitor could overflow; growing it is the rare path, here
  while (s < nSteps) {
    const end = Math.min(nSteps, s + chunk);
    s = st.f32 ? kernel32(st, s, end, dt, mE, mI) : kernel64(st, s, end, dt, mE, mI);
    if (s < end) { mE.grow(mE.count + st.nE); mI.grow(mI.count + st.nI); }
  }
  const seconds = (performance.now() - t0) / 1000;
  return { nE: mE.count, nI: mI.count, seconds, spikesE: mE, spikesI: mI };
}

/** Steps a spike holds V for, as models/neurons/lif.ts computes it (Brian2's timestep rounding). */
export function refractorySteps(tRef: number, dt: number): number { return Math.trunc(tRef / dt + 1e-3); }

// The two kernels differ only in the rounding of the synaptic current (`fround` where brainweave stores its
// float32 `input`); duplicated rather than parameterised so each is a plain monomorphic function.

function kernel64(st: CobaState, s0: number, nSteps: number, dt: number, mE: SpikeLog, mI: SpikeLog): number {
  const { nE, nI, VE, VI, rE, rI, gEE, gIE, gEI, gII } = st;
  const { tau, Vth, Vr, El, tRef, I, we, wi, Ee, Ei, taue, taui } = st.p;
  const eeP = st.EE.indptr, eeI = st.EE.indices, eiP = st.EI.indptr, eiI = st.EI.indices;
  const ieP = st.IE.indptr, ieI = st.IE.indices, iiP = st.II.indptr, iiI = st.II.indices;
  const de = dt / taue, di = dt / taui;
  const nRef = refractorySteps(tRef, dt);
  const stE = mE.steps, ixE = mE.indices, stI = mI.steps, ixI = mI.indices;
  let cE = mE.count, cI = mI.count;
  let s = s0;
  for (; s < nSteps; s++) {
    if (cE + nE > stE.length || cI + nI > stI.length) break;
    const e0 = cE, i0 = cI;
    for (let i = 0; i < nE; i++) {
      const v = VE[i], ge = gEE[i], gi = gIE[i];
      gEE[i] = ge - ge * de; gIE[i] = gi - gi * di;
      const r = rE[i];
      if (r > 1) rE[i] = r - 1; // held this step
      else {
        const inp = ge * (Ee - v) + gi * (Ei - v);
        const V = v + (El - v + inp + I) / tau * dt;
        if (V >= Vth) { VE[i] = Vr; rE[i] = nRef; stE[cE] = s; ixE[cE++] = i; } else { VE[i] = V; rE[i] = 0; }
      }
    }
    for (let i = 0; i < nI; i++) {
      const v = VI[i], ge = gEI[i], gi = gII[i];
      gEI[i] = ge - ge * de; gII[i] = gi - gi * di;
      const r = rI[i];
      if (r > 1) rI[i] = r - 1; // held this step
      else {
        const inp = ge * (Ee - v) + gi * (Ei - v);
        const V = v + (El - v + inp + I) / tau * dt;
        if (V >= Vth) { VI[i] = Vr; rI[i] = nRef; stI[cI] = s; ixI[cI++] = i; } else { VI[i] = V; rI[i] = 0; }
      }
    }
    for (let k = e0; k < cE; k++) {
      const i = ixE[k];
      for (let q = eeP[i], e = eeP[i + 1]; q < e; q++) gEE[eeI[q]] += we;
      for (let q = eiP[i], e = eiP[i + 1]; q < e; q++) gEI[eiI[q]] += we;
    }
    for (let k = i0; k < cI; k++) {
      const i = ixI[k];
      for (let q = ieP[i], e = ieP[i + 1]; q < e; q++) gIE[ieI[q]] += wi;
      for (let q = iiP[i], e = iiP[i + 1]; q < e; q++) gII[iiI[q]] += wi;
    }
  }
  mE.count = cE; mI.count = cI;
  return s;
}

function kernel32(st: CobaState, s0: number, nSteps: number, dt: number, mE: SpikeLog, mI: SpikeLog): number {
  const { nE, nI, VE, VI, rE, rI, gEE, gIE, gEI, gII } = st;
  const { tau, Vth, Vr, El, tRef, I, we, wi, Ee, Ei, taue, taui } = st.p;
  const eeP = st.EE.indptr, eeI = st.EE.indices, eiP = st.EI.indptr, eiI = st.EI.indices;
  const ieP = st.IE.indptr, ieI = st.IE.indices, iiP = st.II.indptr, iiI = st.II.indices;
  const de = dt / taue, di = dt / taui;
  const nRef = refractorySteps(tRef, dt);
  const stE = mE.steps, ixE = mE.indices, stI = mI.steps, ixI = mI.indices;
  const fround = Math.fround;
  let cE = mE.count, cI = mI.count;
  let s = s0;
  for (; s < nSteps; s++) {
    if (cE + nE > stE.length || cI + nI > stI.length) break;
    const e0 = cE, i0 = cI;
    for (let i = 0; i < nE; i++) {
      const v = VE[i], ge = gEE[i], gi = gIE[i];
      gEE[i] = ge - ge * de; gIE[i] = gi - gi * di;
      const r = rE[i];
      if (r > 1) rE[i] = r - 1; // held this step
      else {
        const inp = fround(fround(ge * (Ee - v)) + gi * (Ei - v));
        const V = v + (El - v + inp + I) / tau * dt;
        if (V >= Vth) { VE[i] = Vr; rE[i] = nRef; stE[cE] = s; ixE[cE++] = i; } else { VE[i] = V; rE[i] = 0; }
      }
    }
    for (let i = 0; i < nI; i++) {
      const v = VI[i], ge = gEI[i], gi = gII[i];
      gEI[i] = ge - ge * de; gII[i] = gi - gi * di;
      const r = rI[i];
      if (r > 1) rI[i] = r - 1; // held this step
      else {
        const inp = fround(fround(ge * (Ee - v)) + gi * (Ei - v));
        const V = v + (El - v + inp + I) / tau * dt;
        if (V >= Vth) { VI[i] = Vr; rI[i] = nRef; stI[cI] = s; ixI[cI++] = i; } else { VI[i] = V; rI[i] = 0; }
      }
    }
    for (let k = e0; k < cE; k++) {
      const i = ixE[k];
      for (let q = eeP[i], e = eeP[i + 1]; q < e; q++) gEE[eeI[q]] += we;
      for (let q = eiP[i], e = eiP[i + 1]; q < e; q++) gEI[eiI[q]] += we;
    }
    for (let k = i0; k < cI; k++) {
      const i = ixI[k];
      for (let q = ieP[i], e = ieP[i + 1]; q < e; q++) gIE[ieI[q]] += wi;
      for (let q = iiP[i], e = iiP[i + 1]; q < e; q++) gII[iiI[q]] += wi;
    }
  }
  mE.count = cE; mI.count = cI;
  return s;
}
