/**
 * Export to PyNN and SONATA without NEURON: what is written reads back equal to brainweave's network
 * (NPY via decodeNpy, HDF5 via h5wasm), the unit conversion reproduces brainweave's dynamics in the
 * engine's units, unsupported models are refused by name, and engine spike files load as spike results.
 * NEURON itself: test/export-neuron.slow.test.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Network, SpikeMonitorData, ValueMonitorData, Variable } from '../src';
import { One2One, FixedProb } from '../connectors';
import { LIF } from '../models/neurons/lif';
import { HH } from '../models/neurons/hh';
import { AdEx } from '../models/neurons/adex';
import { TraubHH } from '../models/neurons/traub-hh';
import { ExpCOBA, ExpCUBA } from '../models/synapses/exponential';
import { DeltaSynapse } from '../models/synapses/delta';
import { cobaNetwork } from '../examples/networks';
import { decodeNpy, encodeNpy } from '../src/io/npy';
import { exportNetwork, describeNetwork, loadH5wasm, loadRunSpikes, loadSonataSpikes, toPyNN } from '../src/node/export';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-export-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const npy = (file: string) => decodeNpy(fs.readFileSync(file)).data as Float64Array | Int32Array;

/** brainweave's edges of a projection as (pre, post) in CSR order. */
function edges(net: Network, name: string) {
  const csr = (net.get(name) as ExpCOBA).conn.connectivity.get('csr') as { indptr: Int32Array; indices: Int32Array };
  const pre: number[] = [];
  for (let i = 0; i + 1 < csr.indptr.length; i++) for (let k = csr.indptr[i]; k < csr.indptr[i + 1]; k++) pre.push(i);
  return { pre, post: Array.from(csr.indices) };
}

describe('COBA exported', () => {
  const net = cobaNetwork({ seed: 42 });
  net.build();
  const gL = 0.2 / 20; // default cm 0.2 nF, tau 20 ms → µS
  const expected = { EE: 0.6 * gL, EI: 0.6 * gL, IE: 6.7 * gL, II: 6.7 * gL };

  test('to PyNN: sizes, edges, weights (µS), delays and initial V read back equal', async () => {
    const dir = path.join(tmp, 'pynn');
    const s = await exportNetwork(net, { to: 'pynn', dir, tstop: 250 });
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(m.populations.map((p: any) => [p.name, p.size, p.cell_type])).toEqual([['E', 3200, 'IF_cond_exp'], ['I', 800, 'IF_cond_exp']]);
    expect(m.populations[0].params).toEqual({ cm: 0.2, tau_m: 20, v_rest: -60, v_thresh: -50, v_reset: -60, tau_refrac: 5, i_offset: 20 * gL, tau_syn_E: 5, e_rev_E: 0, tau_syn_I: 10, e_rev_I: -80 });
    expect(m.dt).toBe(0.1);
    expect(m.tstop).toBe(250);
    expect(m.min_delay).toBeCloseTo(0.2, 12);
    expect(m.notes.join(' ')).toMatch(/delay 0\.2 ms/);
    for (const p of ['E', 'I']) expect(Array.from(npy(path.join(dir, m.populations.find((q: any) => q.name === p).initial.v)))).toEqual(Array.from((net.get(p) as LIF).V.value));
    let total = 0;
    for (const c of m.projections) {
      const proj = net.get(c.name) as ExpCOBA;
      expect(c.n_syn).toBe(proj.nSyn);
      total += c.n_syn;
      expect(c.receptor).toBe(c.pre === 'E' ? 'excitatory' : 'inhibitory');
      expect(c.delay).toBeCloseTo(0.2, 12);
      const e = edges(net, c.name);
      expect(Array.from(npy(path.join(dir, c.source)))).toEqual(e.pre);
      expect(Array.from(npy(path.join(dir, c.target)))).toEqual(e.post);
      const w = npy(path.join(dir, c.weight)) as Float64Array;
      expect(w.length).toBe(proj.nSyn);
      expect(w.every((x) => Math.abs(x - expected[c.name as keyof typeof expected]) < 1e-15)).toBe(true);
    }
    expect(total).toBe(319972);
    expect(fs.readFileSync(s.script, 'utf8')).toMatch(/^#!\/usr\/bin\/env python3/);
  });

  test('to SONATA: nodes.h5 / edges.h5 read back with h5wasm equal; types, components and configs consistent', async () => {
    const dir = path.join(tmp, 'sonata');
    await exportNetwork(net, { to: 'sonata', dir });
    const h5 = await loadH5wasm();
    const nodes = new h5.File(path.join(dir, 'network/nodes.h5'), 'r');
    expect(Number(nodes.attrs.magic.value)).toBe(0x0a7a);
    expect(Array.from(nodes.attrs.version.value as ArrayLike<number>)).toEqual([0, 1]);
    for (const [p, n, typeId] of [['E', 3200, 100], ['I', 800, 101]] as const) {
      const ids = (nodes.get(`nodes/${p}/node_id`) as any).value as BigUint64Array;
      expect(ids.length).toBe(n);
      expect(Number(ids[n - 1])).toBe(n - 1);
      expect(Array.from((nodes.get(`nodes/${p}/node_type_id`) as any).value as Uint32Array).every((x) => x === typeId)).toBe(true);
      expect(Array.from((nodes.get(`nodes/${p}/0/dynamics_params/v_init`) as any).value)).toEqual(Array.from((net.get(p) as LIF).V.value));
    }
    nodes.close();
    const edgesFile = new h5.File(path.join(dir, 'network/edges.h5'), 'r');
    for (const name of ['EE', 'EI', 'IE', 'II']) {
      const g = `edges/${name}`;
      const src = edgesFile.get(`${g}/source_node_id`) as any, tgt = edgesFile.get(`${g}/target_node_id`) as any;
      expect([src.attrs.node_population.value, tgt.attrs.node_population.value]).toEqual([name[0], name[1]]);
      const e = edges(net, name);
      expect(Array.from(src.value as BigUint64Array, Number)).toEqual(e.pre);
      expect(Array.from(tgt.value as BigUint64Array, Number)).toEqual(e.post);
      const w = (edgesFile.get(`${g}/0/syn_weight`) as any).value as Float64Array;
      expect(w.length).toBe((net.get(name) as ExpCOBA).nSyn);
      expect(w.every((x) => Math.abs(x - expected[name as keyof typeof expected]) < 1e-15)).toBe(true);
      for (const d of [`${g}/0/delay`, `${g}/0/dynamics_params/delay`]) expect(((edgesFile.get(d) as any).value as Float64Array).every((x) => Math.abs(x - 0.2) < 1e-12)).toBe(true);
    }
    edgesFile.close();
    const csv = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map((l) => l.split(' '));
    expect(csv('network/node_types.csv')).toEqual([
      ['node_type_id', 'pop_name', 'model_type', 'model_template', 'dynamics_params'],
      ['100', 'E', 'point_neuron', 'pyNN:IF_cond_exp', 'E.json'], ['101', 'I', 'point_neuron', 'pyNN:IF_cond_exp', 'I.json']]);
    expect(csv('network/edge_types.csv').slice(1).map((r) => [r[1], r[2]])).toEqual([['EE', 'excitatory'], ['EI', 'excitatory'], ['IE', 'inhibitory'], ['II', 'inhibitory']]);
    const E = JSON.parse(fs.readFileSync(path.join(dir, 'components/point_neuron_models/E.json'), 'utf8'));
    expect(E.e_rev_I).toBe(-80);
    const circuit = JSON.parse(fs.readFileSync(path.join(dir, 'circuit_config.json'), 'utf8'));
    expect(circuit.networks.nodes[0].nodes_file).toBe('$NETWORK_DIR/nodes.h5');
    expect(circuit.manifest.$NETWORK_DIR).toBe('$BASE_DIR/network');
    const sim = JSON.parse(fs.readFileSync(path.join(dir, 'simulation_config.json'), 'utf8'));
    expect(sim.run.dt).toBe(0.1);
  });
});

/** One LIF driven to fire (P) onto one subthreshold LIF (Q): brainweave vs the standard cell's equation in its units. */
async function oneSynapse(kind: 'cond' | 'curr') {
  const P = new LIF(1, { I: 30, V0: -55 }), Q = new LIF(1, { I: 6, V0: -58, tau: 15 });
  const S = kind === 'cond' ? new ExpCOBA(P, Q, new One2One(), { weight: 0.05, tau: 4, E: 0 }) : new ExpCUBA(P, Q, new One2One(), { weight: -3, tau: 8 });
  const net = new Network({ P, Q, S }, { precision: 'float64', seed: 1 });
  net.build();
  const spec = describeNetwork(net, { cm: 0.25 });
  const r = await net.run(200, { dt: 0.1, monitors: ['P.spike', 'Q.V'] });
  return { spec, pre: r.monitors['P.spike'] as SpikeMonitorData, V: r.monitors['Q.V'] as ValueMonitorData };
}

describe('unit conversion reproduces brainweave numerically', () => {
  test.each(['cond', 'curr'] as const)('%s: cm dV/dt = gL (v_rest − V) + syn + i_offset, with exported values, gives brainweave\'s V', async (kind) => {
    const { spec, pre, V } = await oneSynapse(kind);
    const q = spec.populations.find((p) => p.name === 'Q')!.params, c = spec.projections[0];
    expect(spec.populations[1].cellType).toBe(kind === 'cond' ? 'IF_cond_exp' : 'IF_curr_exp');
    expect(c.receptor).toBe(kind === 'cond' ? 'excitatory' : 'inhibitory');
    const gL = q.cm / q.tau_m, dt = 0.1, w = c.weight[0];
    const tauSyn = kind === 'cond' ? q.tau_syn_E : q.tau_syn_I;
    expect(pre.count).toBeGreaterThan(5);
    // the same step order as brainweave (neuron, then synapse: add spikes, output, decay), in nF, µS, nA, mV, ms
    const spiking = new Set(Array.from(pre.steps));
    let v = -58, g = 0, drive = 0, maxDiff = 0, maxV = -Infinity;
    for (let n = 0; n < V.ts.length; n++) {
      v += (dt / q.cm) * (gL * (q.v_rest - v) + drive + q.i_offset);
      maxDiff = Math.max(maxDiff, Math.abs(v - V.data[n])); maxV = Math.max(maxV, v);
      if (spiking.has(n)) g += w;
      drive = kind === 'cond' ? g * (q.e_rev_E - v) : g;
      g -= (g * dt) / tauSyn;
    }
    expect(maxV).toBeLessThan(q.v_thresh); // stays subthreshold: the comparison needs no reset
    expect(Math.max(...Array.from(V.data)) - Math.min(...Array.from(V.data))).toBeGreaterThan(0.5); // the synapse moved V
    expect(maxDiff).toBeLessThan(1e-9);
  });
});

describe('AdEx and TraubHH', () => {
  test('AdEx → EIF_cond_exp_isfa_ista: Brette–Gerstner in nF, µS, nS, nA with exported values gives brainweave\'s V and w (×k)', async () => {
    const P = new LIF(1, { I: 30, V0: -55 }), A = new AdEx(1, { I: 12, R: 2, a: 0.5, b: 2, tRef: 1 });
    const net = new Network({ P, A, S: new ExpCOBA(P, A, new One2One(), { weight: 0.3, tau: 5, E: 0 }) }, { precision: 'float64', seed: 1 });
    net.build();
    const spec = describeNetwork(net, { cm: 0.25 });
    const a = spec.populations[1];
    expect(a.cellType).toBe('EIF_cond_exp_isfa_ista');
    const k = (0.25 / 10) * 2; // gL · R, µS
    expect(a.params).toMatchObject({ cm: 0.25, tau_m: 10, v_rest: -65, v_reset: -68, v_spike: -30, v_thresh: -59.9, delta_T: 3.48, tau_w: 30, tau_refrac: 1 });
    expect(a.params.a).toBeCloseTo(0.5 * k * 1000, 12);
    expect(a.params.b).toBeCloseTo(2 * k, 12);
    expect(a.params.i_offset).toBeCloseTo(12 * k, 12);
    expect(spec.projections[0].weight[0]).toBeCloseTo(0.3 * k, 12);
    const r = await net.run(150, { dt: 0.1, monitors: ['P.spike', 'A.spike', 'A.V', 'A.w'] });
    const V = r.monitors['A.V'] as ValueMonitorData, W = r.monitors['A.w'] as ValueMonitorData;
    const q = a.params, dt = 0.1, gL = q.cm / q.tau_m, w = spec.projections[0].weight[0];
    const pre = new Set(Array.from((r.monitors['P.spike'] as SpikeMonitorData).steps));
    // forward Euler as brainweave's odeint, in the standard cell's units
    // refractoriness in whole steps (Brian2's rule, models/README.md): held in steps s+1 … s+nRef−1
    const nRef = Math.trunc(q.tau_refrac / dt + 1e-3);
    let v = -65, ad = 0, g = 0, drive = 0, lastStep = -1e9, spikes = 0, dV = 0, dW = 0;
    for (let n = 0; n < V.ts.length; n++) {
      const I = drive + q.i_offset;
      const vNew = v + (dt / q.cm) * (gL * (q.v_rest - v) + gL * q.delta_T * Math.exp((v - q.v_thresh) / q.delta_T) - ad + I);
      ad += (dt / q.tau_w) * ((q.a / 1000) * (v - q.v_rest) - ad);
      if (n - lastStep >= nRef) {
        if (vNew >= q.v_spike) { v = q.v_reset; ad += q.b; lastStep = n; spikes++; } else v = vNew;
      }
      dV = Math.max(dV, Math.abs(v - V.data[n])); dW = Math.max(dW, Math.abs(ad - W.data[n] * k));
      if (pre.has(n)) g += w;
      drive = g * (q.e_rev_E - v);
      g -= (g * dt) / q.tau_syn_E;
    }
    expect(spikes).toBe((r.monitors['A.spike'] as SpikeMonitorData).count);
    expect(spikes).toBeGreaterThan(5);
    expect(dV).toBeLessThan(1e-8);
    expect(dW).toBeLessThan(1e-12);
  });

  test('TraubHH → HH_cond_exp: pF, nS, pA → nF, µS, nA; gates exported as initial m, h, n', () => {
    const P = new LIF(2), H = new TraubHH(3, { I: 150, V0sd: 0 });
    const spec = describeNetwork(new Network({ P, H, S: new ExpCOBA(P, H, new FixedProb(1), { weight: 6, tau: 5, E: 0 }) }, { seed: 2 }));
    const h = spec.populations[1];
    expect(h.cellType).toBe('HH_cond_exp');
    expect(h.params).toEqual({ cm: 0.2, g_leak: 0.01, gbar_Na: 20, gbar_K: 6, e_rev_leak: -60, e_rev_Na: 50, e_rev_K: -90, v_offset: -63, i_offset: 0.15, tau_syn_E: 5, e_rev_E: 0 });
    expect(Object.keys(h.initial)).toEqual(['v', 'm', 'h', 'n']);
    expect(Array.from(h.initial.m)).toEqual(Array.from(H.m.value));
    expect(spec.projections[0].weight[0]).toBeCloseTo(0.006, 15);
  });

  test('AdEx or TraubHH with current synapses: no standard cell', () => {
    const P = new LIF(2), A = new AdEx(2);
    expect(() => describeNetwork(new Network({ P, A, S: new ExpCUBA(P, A, new FixedProb(1)) }))).toThrow(/group 'A' \(AdEx\) receives current \(ExpCUBA\) synapses/);
  });
});

describe('refused with a message naming the object', () => {
  const tiny = (extra: (E: LIF) => Record<string, any>) => { const E = new LIF(10); return new Network({ E, ...extra(E) }, { seed: 1 }); };
  test('a neuron model with no standard cell', () => {
    const H = new HH(5);
    expect(() => describeNetwork(new Network({ H }))).toThrow(/group 'H' is a HH, which has no standard-cell counterpart in PyNN\/SONATA \(exported: LIF, AdEx, TraubHH/);
  });
  test('a synapse model with no standard synapse', () => {
    expect(() => describeNetwork(tiny((E) => ({ D: new DeltaSynapse(E, E, new FixedProb(0.2)) })))).toThrow(/projection 'D' is a DeltaSynapse/);
  });
  test('a LIF subclass with its own update()', () => {
    class Noisy extends LIF { override update(t: number, dt: number) { super.update(t, dt); } }
    expect(() => describeNetwork(new Network({ N: new Noisy(3) }))).toThrow(/group 'N' \(Noisy\) overrides update\(\) or derivative\(\)/);
  });
  test('a LIF subclass that only changes initial values is exported', () => {
    class Start extends LIF { override V = new Variable(this.num, { init: () => -52 }); }
    const s = describeNetwork(new Network({ N: new Start(3) }));
    expect(Array.from(s.populations[0].initial.v)).toEqual([-52, -52, -52]);
  });
  test('three synapse kinds onto one cell, and conductance with current', () => {
    expect(() => describeNetwork(tiny((E) => ({
      A: new ExpCOBA(E, E, new FixedProb(0.2), { tau: 5, E: 0 }), B: new ExpCOBA(E, E, new FixedProb(0.2), { tau: 10, E: -80 }), C: new ExpCOBA(E, E, new FixedProb(0.2), { tau: 2, E: 0 }),
    })))).toThrow(/group 'E' receives 3 kinds of synapse \('A'.*'B'.*'C'/);
    expect(() => describeNetwork(tiny((E) => ({ A: new ExpCOBA(E, E, new FixedProb(0.2)), B: new ExpCUBA(E, E, new FixedProb(0.2)) })))).toThrow(/group 'E' receives both conductance \(ExpCOBA\) and current \(ExpCUBA\).*'B'/);
  });
  test('state a standard cell cannot start in: after a run', async () => {
    const net = cobaNetwork({ nExc: 80, nInh: 20, p: 0.1, seed: 3 });
    await net.run(20, { dt: 0.1 });
    expect(() => describeNetwork(net)).toThrow(/export: (group '[EI]': neuron \d+ is refractory|projection '\w+': g\[\d+\])/);
  });
  test('a delay NEURON refuses under MPI, and an unknown target', async () => {
    expect(() => toPyNN(cobaNetwork({ nExc: 8, nInh: 2 }), path.join(tmp, 'x'), { delay: 0.1 })).toThrow(/delay 0.1 ms is below 2·dt = 0.2 ms/);
    await expect(exportNetwork(cobaNetwork({ nExc: 8, nInh: 2 }), { to: 'nest' as any, dir: tmp })).rejects.toThrow(/'to' must be 'sonata' or 'pynn', got 'nest'/);
  });
});

describe('engine spikes load as brainweave spike results', () => {
  test('run.py output (NPY + run.json) and a SONATA spike file give the same SpikeMonitorData', async () => {
    const out = path.join(tmp, 'out');
    fs.mkdirSync(out, { recursive: true });
    const idx = new Int32Array([3, 0, 3, 1]), t = new Float64Array([0.3, 1.2, 2.5, 7]);
    fs.writeFileSync(path.join(out, 'E.spike_indices.npy'), encodeNpy(idx));
    fs.writeFileSync(path.join(out, 'E.spike_times.npy'), encodeNpy(t));
    fs.writeFileSync(path.join(out, 'run.json'), JSON.stringify({ simulator: 'neuron', processes: 1, dt: 0.1, tstop: 10, populations: [{ name: 'E', size: 5, spikes: 4 }] }));
    const a = loadRunSpikes(out).monitors['E.spike'];
    expect(a).toEqual({ kind: 'spike', num: 5, count: 4, steps: new Int32Array([3, 12, 25, 70]), indices: idx, times: t });
    const h5 = await loadH5wasm();
    const f = new h5.File(path.join(out, 'spikes.h5'), 'w');
    const g = f.create_group('spikes').create_group('E');
    g.create_dataset({ name: 'node_ids', data: BigUint64Array.from(idx, (x) => BigInt(x)), dtype: '<Q' });
    const ts = g.create_dataset({ name: 'timestamps', data: t, dtype: '<d' }) as any;
    ts.create_attribute('units', 'ms');
    f.close();
    const b = (await loadSonataSpikes(path.join(out, 'spikes.h5'), { dt: 0.1, sizes: { E: 5 } }))['E.spike'];
    expect({ ...b, indices: Array.from(b.indices), times: Array.from(b.times), steps: Array.from(b.steps) })
      .toEqual({ ...a, indices: Array.from(a.indices), times: Array.from(a.times), steps: Array.from(a.steps) });
    fs.writeFileSync(path.join(out, 'E.spike_indices.npy'), encodeNpy(new Int32Array([3, 0, 9, 1])));
    expect(() => loadRunSpikes(out)).toThrow(/population 'E': spike of neuron 9, outside 0..4/);
  });
});
