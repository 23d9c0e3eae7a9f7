/**
 * What the exporters write, described once: brainweave populations and projections mapped onto standard
 * cells (PyNN's names, also used as SONATA `model_template`s), with units converted.
 *
 * Units (PyNN's, which NEURON and SONATA-via-PyNN use): mV, ms, nF, µS (conductance), nA (current).
 * brainweave's LIF is  tau dV/dt = Vrest − V + input + I,  with ExpCOBA adding g·(E − V) to `input` and ExpCUBA
 * adding g: g and I are in units of the leak (dimensionless resp. mV). PyNN's IF_cond_exp is
 * cm dV/dt = gL (v_rest − V) + g_e (e_rev_E − V) + g_i (e_rev_I − V) + i_offset  with  gL = cm / tau_m.
 * Dividing by gL gives brainweave's equation with g = g_e / gL and I = i_offset / gL, so
 *   weight[µS] = w · gL,   i_offset[nA] = I[mV] · gL[µS],   gL = cm / tau;   IF_curr_exp: weight[nA] = w · gL.
 * cm itself is free (only cm/gL = tau enters the dynamics); the default 0.2 nF gives gL = 10 nS at tau = 20 ms,
 * so COBA's weights 0.6 and 6.7 become 6 and 67 nS, as in Brette et al. 2007, benchmark 1.
 * AdEx and TraubHH: see NEURONS below; the table and the derivations are in docs/beyond-one-machine.md.
 */
import { Network } from '../../runtime/network';
import { NeuGroup, TwoEndConn } from '../../core/dynsys';
import { BrainweaveError } from '../../core/errors';
import { Ragged } from '../../core/structures';
import { LIF } from '../../../models/neurons/lif';
import { AdEx } from '../../../models/neurons/adex';
import { AdaptiveIF } from '../../../models/neurons/adaptive-if';
import { TraubHH } from '../../../models/neurons/traub-hh';
import { ExpCOBA, ExpCUBA } from '../../../models/synapses/exponential';

export type CellType = 'IF_cond_exp' | 'IF_curr_exp' | 'EIF_cond_exp_isfa_ista' | 'HH_cond_exp';
export type Receptor = 'excitatory' | 'inhibitory';

export interface ExportOptions {
  /** Integration step the engine uses, ms (default 0.1). */
  dt?: number;
  /** Membrane capacitance given to every cell, nF (default 0.2); see the unit note above. */
  cm?: number;
  /**
   * Synaptic delay, ms. brainweave's exponential synapses act from the step after the spike, with no delay
   * parameter; NEURON needs a delay > dt once it runs on more than one MPI process ("mindelay is 0 (or less
   * than dt for fixed step method)"). Default and minimum: 2·dt.
   */
  delay?: number;
  /** Default duration of run.py and the SONATA simulation config, ms (default 1000). */
  tstop?: number;
}

export interface PopulationSpec {
  name: string;
  size: number;
  /** the brainweave class, for messages and the manifest */
  model: string;
  cellType: CellType;
  /** PyNN parameter names and units */
  params: Record<string, number>;
  /** initial value of each cell's state, PyNN names and units (v in mV, w in nA, gates m, h, n) */
  initial: Record<string, Float64Array>;
}

export interface ProjectionSpec {
  name: string;
  model: string;
  pre: string;
  post: string;
  receptor: Receptor;
  nSyn: number;
  /** edges in brainweave's canonical (CSR, pre-major) order */
  source: Int32Array;
  target: Int32Array;
  /** µS (conductance) or nA (current), per edge */
  weight: Float64Array;
  /** ms, per projection */
  delay: number;
}

export interface NetworkSpec {
  dt: number;
  tstop: number;
  populations: PopulationSpec[];
  projections: ProjectionSpec[];
  /** what was changed on the way, said once each (the exporters write these into their manifests) */
  notes: string[];
}

/**
 * brainweave neuron classes with a standard-cell counterpart. `scale` converts brainweave's drive (`input`,
 * `I`, and so synaptic weights) to nA per unit: gL for LIF (drive in mV), gL·R for AdEx, 1e-3 for TraubHH
 * (drive in pA, weights in nS).
 */
interface NeuronMap {
  cls: Function;
  /** the update() (and derivative()) whose dynamics the mapping describes */
  same(g: NeuGroup): boolean;
  cellType(cond: boolean, name: string): CellType;
  scale(g: NeuGroup, cm: number): number;
  params(g: NeuGroup, cm: number, k: number): Record<string, number>;
  initial(g: NeuGroup, k: number): Record<string, Float64Array>;
  /** refractory period, ms, for the "not refractory at export" check (none: no such state) */
  tRef?: (g: NeuGroup) => number;
  units: string;
}
const state = (g: NeuGroup, v: string, f = 1) => Float64Array.from((g as any)[v].value as ArrayLike<number>, (x) => x * f);
const NEURONS: NeuronMap[] = [
  {
    cls: LIF, same: (g) => g.update === LIF.prototype.update,
    cellType: (cond) => (cond ? 'IF_cond_exp' : 'IF_curr_exp'),
    scale: (g, cm) => cm / num(g, 'tau'),
    params: (g, cm, k) => ({ cm, tau_m: num(g, 'tau'), v_rest: num(g, 'Vrest'), v_thresh: num(g, 'Vth'), v_reset: num(g, 'Vreset'), tau_refrac: num(g, 'tRef'), i_offset: num(g, 'I') * k }),
    initial: (g) => ({ v: state(g, 'V') }),
    tRef: (g) => num(g, 'tRef'),
    units: 'cm given (nF), gL = cm / tau; weights and I × gL',
  },
  {
    // tau dV/dt = −(V − Vrest) + ΔT e^((V − VT)/ΔT) − R w + R (input + I),  tauW dw/dt = a (V − Vrest) − w;
    // × gL: PyNN's cm dV/dt = gL (v_rest − V) + gL ΔT e^(…) − w' + I' with w' = gL R w, so a' = gL R a, b' = gL R b
    cls: AdEx, same: (g) => g.update === AdaptiveIF.prototype.update && (g as AdEx).derivative === AdEx.prototype.derivative,
    cellType: (cond, name) => {
      if (!cond) throw new BrainweaveError(`export: group '${name}' (AdEx) receives current (ExpCUBA) synapses; PyNN's AdEx (EIF_cond_exp_isfa_ista) is conductance-based only`);
      return 'EIF_cond_exp_isfa_ista';
    },
    scale: (g, cm) => (cm / num(g, 'tau')) * num(g, 'R'),
    params: (g, cm, k) => ({
      cm, tau_m: num(g, 'tau'), v_rest: num(g, 'Vrest'), v_reset: num(g, 'Vreset'), v_spike: num(g, 'Vth'), v_thresh: num(g, 'VT'),
      delta_T: num(g, 'deltaT'), tau_w: num(g, 'tauW'), a: num(g, 'a') * k * 1000, b: num(g, 'b') * k, tau_refrac: num(g, 'tRef'), i_offset: num(g, 'I') * k,
    }),
    initial: (g, k) => ({ v: state(g, 'V'), w: state(g, 'w', k) }),
    tRef: (g) => num(g, 'tRef'),
    units: 'cm given (nF), gL = cm / tau, k = gL·R; weights, I, b, w × k (nA, µS), a × k·1000 (nS)',
  },
  {
    // already in physical units: pF, nS, pA → nF, µS, nA. NEURON detects its spikes at +10 mV, brainweave at Vth.
    cls: TraubHH, same: (g) => g.update === TraubHH.prototype.update,
    cellType: (cond, name) => {
      if (!cond) throw new BrainweaveError(`export: group '${name}' (TraubHH) receives current (ExpCUBA) synapses; PyNN's HH_cond_exp is conductance-based only`);
      return 'HH_cond_exp';
    },
    scale: () => 1e-3,
    params: (g) => ({
      cm: num(g, 'C') / 1000, g_leak: num(g, 'gL') / 1000, gbar_Na: num(g, 'gNa') / 1000, gbar_K: num(g, 'gK') / 1000,
      e_rev_leak: num(g, 'EL'), e_rev_Na: num(g, 'ENa'), e_rev_K: num(g, 'EK'), v_offset: num(g, 'VT'), i_offset: num(g, 'I') / 1000,
    }),
    initial: (g) => ({ v: state(g, 'V'), m: state(g, 'm'), h: state(g, 'h'), n: state(g, 'n') }),
    units: 'Cm pF → nF, conductances and weights nS → µS, I pA → nA',
  },
];

function neuronMap(g: NeuGroup, name: string): NeuronMap {
  const m = NEURONS.find((x) => g instanceof x.cls);
  if (!m) throw new BrainweaveError(`export: group '${name}' is a ${g.constructor.name}, which has no standard-cell counterpart in PyNN/SONATA (exported: LIF, AdEx, TraubHH; see docs/beyond-one-machine.md)`);
  if (!m.same(g)) throw new BrainweaveError(`export: group '${name}' (${g.constructor.name}) overrides update() or derivative(), so its dynamics are not ${(m.cls as any).name}'s; it cannot be exported`);
  return m;
}

/** Reads a built network into a NetworkSpec, or throws naming the first object that has no counterpart. */
export function describeNetwork(net: Network, opts: ExportOptions = {}): NetworkSpec {
  const dt = opts.dt ?? 0.1, cm = opts.cm ?? 0.2;
  if (!(dt > 0)) throw new BrainweaveError(`export: dt must be a positive number of ms, got ${dt}`);
  if (!(cm > 0)) throw new BrainweaveError(`export: cm must be a positive number of nF, got ${cm}`);
  const delay = opts.delay ?? 2 * dt, tstop = opts.tstop ?? 1000;
  if (!(tstop > 0)) throw new BrainweaveError(`export: tstop must be a positive number of ms, got ${tstop}`);
  if (!(delay >= 2 * dt - 1e-12)) throw new BrainweaveError(`export: delay ${delay} ms is below 2·dt = ${2 * dt} ms, which NEURON refuses under MPI`);
  net.build();
  const notes = [
    `delays: brainweave's exponential synapses act from the step after the spike (no delay parameter); exported with delay ${delay} ms, ` +
    `the smallest NEURON accepts on more than one MPI process (> dt = ${dt} ms)`,
  ];

  const groups = new Map<NeuGroup, string>();
  const projections: TwoEndConn[] = [];
  for (const { name, obj } of net.objects) {
    if (obj instanceof NeuGroup) groups.set(obj, name);
    else if (obj instanceof TwoEndConn) projections.push(obj);
    else throw new BrainweaveError(`export: '${name}' is a ${obj.constructor.name}, neither a NeuGroup nor a TwoEndConn; it has no counterpart in PyNN/SONATA`);
  }

  // synapse kinds per post group: a standard cell has one excitatory and one inhibitory channel
  const projSpecs: ProjectionSpec[] = [];
  const channels = new Map<NeuGroup, { cond: boolean; kinds: { tau: number; E: number; sign: number; receptor?: Receptor; by: string }[] }>();
  for (const p of projections) {
    const name = p.name;
    const cond = p instanceof ExpCOBA, curr = p instanceof ExpCUBA;
    if (!cond && !curr) throw new BrainweaveError(`export: projection '${name}' is a ${p.constructor.name}, which has no standard-synapse counterpart in PyNN/SONATA (supported: ExpCOBA, ExpCUBA; see docs/beyond-one-machine.md)`);
    if (p.update !== (cond ? ExpCOBA : ExpCUBA).prototype.update) throw new BrainweaveError(`export: projection '${name}' (${p.constructor.name}) overrides update(), so its dynamics are not ${cond ? 'ExpCOBA' : 'ExpCUBA'}'s; it cannot be exported`);
    const tau = num(p, 'tau'), E = cond ? num(p, 'E') : 0;
    const conn = p.conn.connectivity;
    const csr = conn.get('csr') as Ragged;
    const source = new Int32Array(conn.nSyn), target = Int32Array.from(csr.indices);
    for (let i = 0; i + 1 < csr.indptr.length; i++) source.fill(i, csr.indptr[i], csr.indptr[i + 1]);
    const weight = weights(p, conn.nSyn);
    let sign = 0;
    for (let k = 0; k < weight.length; k++) {
      const s = Math.sign(weight[k]);
      if (s !== 0 && sign !== 0 && s !== sign) throw new BrainweaveError(`export: projection '${name}': weight has both signs; split it into an excitatory and an inhibitory projection`);
      if (s !== 0) sign = s;
    }
    if (cond && sign < 0) throw new BrainweaveError(`export: projection '${name}' (ExpCOBA): negative weight; conductances must be ≥ 0 (set E below the rest potential for inhibition)`);
    const ch = channels.get(p.post) ?? { cond, kinds: [] };
    if (ch.cond !== cond) throw new BrainweaveError(`export: group '${p.post.name}' receives both conductance (ExpCOBA) and current (ExpCUBA) synapses (projection '${name}'); a standard cell has one kind`);
    channels.set(p.post, ch);
    let kind = ch.kinds.find((k) => k.tau === tau && k.E === E && (cond || k.sign === sign || sign === 0 || k.sign === 0));
    if (!kind) { kind = { tau, E, sign, by: name }; ch.kinds.push(kind); }
    projSpecs.push({ name, model: p.constructor.name, pre: groups.get(p.pre)!, post: groups.get(p.post)!, receptor: 'excitatory', nSyn: conn.nSyn, source, target, weight, delay });
    (projSpecs[projSpecs.length - 1] as any)._kind = kind;
  }
  for (const [g, ch] of channels) {
    if (ch.kinds.length > 2) throw new BrainweaveError(`export: group '${g.name}' receives ${ch.kinds.length} kinds of synapse (${ch.kinds.map((k) => `'${k.by}': tau ${k.tau}${ch.cond ? `, E ${k.E}` : ''}`).join('; ')}); a standard cell has two channels (excitatory, inhibitory)`);
    // conductance: the higher reversal potential is the excitatory channel; current: the positive weights
    const order = ch.kinds.slice().sort((a, b) => (ch.cond ? b.E - a.E : b.sign - a.sign));
    if (ch.kinds.length === 1 && !ch.cond && order[0].sign < 0) order[0].receptor = 'inhibitory';
    else { order[0].receptor = 'excitatory'; if (order[1]) order[1].receptor = 'inhibitory'; }
    if (!ch.cond && order.length === 2 && order[0].sign === order[1].sign && order[0].sign !== 0) throw new BrainweaveError(`export: group '${g.name}': current synapses '${order[0].by}' and '${order[1].by}' have the same sign but different tau; IF_curr_exp has one excitatory (w > 0) and one inhibitory (w < 0) channel`);
  }
  for (const ps of projSpecs) { ps.receptor = (ps as any)._kind.receptor; delete (ps as any)._kind; }

  const populations: PopulationSpec[] = [];
  const scales = new Map<string, number>();
  for (const [g, name] of groups) {
    const m = neuronMap(g, name);
    const ch = channels.get(g);
    const cond = ch?.cond ?? true;
    const cellType = m.cellType(cond, name);
    const k = m.scale(g, cm);
    scales.set(name, k);
    const params = m.params(g, cm, k);
    for (const kind of ch?.kinds ?? []) {
      const s = kind.receptor === 'excitatory' ? 'E' : 'I';
      params[`tau_syn_${s}`] = kind.tau;
      if (cond) params[`e_rev_${s}`] = kind.E;
    }
    const initial = m.initial(g, k);
    for (const [v, a] of Object.entries(initial)) {
      for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new BrainweaveError(`export: group '${name}': initial ${v}[${i}] is ${a[i]}`);
    }
    // state the standard cells cannot be started in: refractoriness (pending synaptic drive: below)
    if (m.tRef) {
      const tRef = m.tRef(g), tLast = (g as any).tLast.value as ArrayLike<number>;
      for (let i = 0; i < g.num; i++) {
        if (net.t - tLast[i] <= tRef) throw new BrainweaveError(`export: group '${name}': neuron ${i} is refractory at t = ${net.t} ms (tLast = ${tLast[i]}); export before running, or after its refractory period`);
      }
    }
    populations.push({ name, size: g.num, model: g.constructor.name, cellType, params, initial });
    notes.push(`'${name}': ${g.constructor.name} → ${cellType}; ${m.units} (here ${k} nA per unit of brainweave drive)`);
  }
  for (const p of projections) {
    const gArr = (p as any).g.value as ArrayLike<number>;
    for (let j = 0; j < gArr.length; j++) if (gArr[j] !== 0) throw new BrainweaveError(`export: projection '${p.name}': g[${j}] = ${gArr[j]}, but the exported cells start with no synaptic drive; export before running`);
  }
  // weights → µS or nA, by the post cell's scale
  for (const ps of projSpecs) {
    const k = scales.get(ps.post)!;
    for (let e = 0; e < ps.weight.length; e++) ps.weight[e] *= k;
  }
  return { dt, tstop, populations, projections: projSpecs, notes };
}

function num(obj: object, field: string): number {
  const v = (obj as any)[field];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BrainweaveError(`export: ${(obj as any).name} (${obj.constructor.name}).${field} must be a finite number, got ${String(v)}`);
  return v;
}

/** Per-edge weights in brainweave's units: the scalar `weight` broadcast, or an array of nSyn in CSR order. */
function weights(p: TwoEndConn, nSyn: number): Float64Array {
  const w = (p as any).weight;
  if (typeof w === 'number' && Number.isFinite(w)) return new Float64Array(nSyn).fill(w);
  if (w && typeof w.length === 'number' && w.length === nSyn) {
    const out = Float64Array.from(w as ArrayLike<number>);
    for (let k = 0; k < nSyn; k++) if (!Number.isFinite(out[k])) throw new BrainweaveError(`export: projection '${p.name}': weight[${k}] is ${out[k]}`);
    return out;
  }
  throw new BrainweaveError(`export: projection '${p.name}' (${p.constructor.name}).weight must be a number or an array of nSyn = ${nSyn} numbers`);
}
