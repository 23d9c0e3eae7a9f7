/**
 * Slow: the exported COBA network on NEURON 8 through PyNN 0.10, on one process and under MPI.
 * Needs /usr/bin/python3 (or $BRAINWEAVE_PYTHON) with PyNN + NEURON + h5py, and mpirun: `bash .ci/install-neuron.sh`.
 * Skips otherwise, saying so.
 * About 1 minute on 2 idle cores (COBA: 3 × 200 ms and 1 × 1 s on NEURON; three single cells: 300 ms).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Network, SpikeMonitorData } from '../src';
import { cobaNetwork } from '../examples/networks';
import { One2One } from '../connectors';
import { LIF } from '../models/neurons/lif';
import { AdEx } from '../models/neurons/adex';
import { TraubHH } from '../models/neurons/traub-hh';
import { ExpCOBA } from '../models/synapses/exponential';
import { exportNetwork, runExported, loadSonataSpikes, NetworkSpec } from '../src/node/export';

const PY = process.env.BRAINWEAVE_PYTHON ?? '/usr/bin/python3'; // Debian's, where apt puts PyNN and NEURON
const probe = spawnSync(PY, ['-c', 'import pyNN.neuron, h5py'], { encoding: 'utf8' });
const mpi = spawnSync('mpirun', ['--version'], { encoding: 'utf8' });
const available = probe.status === 0 && mpi.status === 0;
if (!available) {
  console.warn(`test/export-neuron.slow.test.ts skipped: ${probe.status !== 0 ? `'${PY} -c "import pyNN.neuron, h5py"' failed` : 'mpirun not found'}; install with: bash .ci/install-neuron.sh`);
}
const maybe = available ? describe : describe.skip;
jest.setTimeout(600_000);

maybe('COBA on NEURON (PyNN) from brainweave exports', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-neuron-'));
  const pynnDir = path.join(tmp, 'pynn'), sonataDir = path.join(tmp, 'sonata');
  let net: Network, spec: NetworkSpec;
  let serial: Record<string, SpikeMonitorData>;
  beforeAll(async () => {
    net = cobaNetwork({ seed: 42 });
    net.build();
    spec = (await exportNetwork(net, { to: 'pynn', dir: pynnDir })).spec;
    await exportNetwork(net, { to: 'sonata', dir: sonataDir });
    serial = runExported(pynnDir, { tstop: 200, np: 1, python: PY }).monitors;
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('python3 + h5py reads the SONATA files as brainweave wrote them (sizes, edges, weights, delays)', () => {
    const script = String.raw`
import h5py, json, sys, numpy as np
d = sys.argv[1]; out = {'nodes': {}, 'edges': {}}
with h5py.File(d + '/network/nodes.h5', 'r') as f:
    for p, g in f['nodes'].items():
        out['nodes'][p] = {'n': int(g['node_id'].shape[0]), 'v_init_sum': float(g['0/dynamics_params/v_init'][()].sum())}
with h5py.File(d + '/network/edges.h5', 'r') as f:
    for p, g in f['edges'].items():
        s = g['source_node_id'][()].astype(np.int64); t = g['target_node_id'][()].astype(np.int64)
        out['edges'][p] = {'n': int(s.size), 'pre': g['source_node_id'].attrs['node_population'], 'post': g['target_node_id'].attrs['node_population'],
            'key': int((s * 7919 + t * 13 + np.arange(s.size)).sum()), 'w_sum': float(g['0/syn_weight'][()].sum()),
            'delay': [float(g['0/delay'][()].min()), float(g['0/delay'][()].max()), float(g['0/dynamics_params/delay'][()].max())]}
print(json.dumps(out))`;
    const r = spawnSync(PY, ['-c', script, sonataDir], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const got = JSON.parse(r.stdout);
    for (const p of spec.populations) {
      expect(got.nodes[p.name].n).toBe(p.size);
      expect(got.nodes[p.name].v_init_sum).toBeCloseTo(p.initial.v.reduce((a, b) => a + b, 0), 6);
    }
    const counts: Record<string, number> = {};
    for (const c of spec.projections) {
      let key = 0, w = 0;
      for (let k = 0; k < c.nSyn; k++) { key += c.source[k] * 7919 + c.target[k] * 13 + k; w += c.weight[k]; }
      expect(got.edges[c.name]).toEqual({ n: c.nSyn, pre: c.pre, post: c.post, key, w_sum: expect.any(Number), delay: [0.2, 0.2, 0.2].map((x) => expect.closeTo(x, 12)) });
      expect(Math.abs(got.edges[c.name].w_sum - w) / w).toBeLessThan(1e-12); // summation order differs (numpy: pairwise)
      counts[c.name] = c.nSyn;
    }
    console.log(`synapses per projection: ${JSON.stringify(counts)}, total ${Object.values(counts).reduce((a, b) => a + b, 0)}`);
    const bmtk = spawnSync(PY, ['-c', `
from bmtk.utils import sonata
e = sonata.File(data_files='network/edges.h5', data_type_files='network/edge_types.csv')
print(' '.join('%s:%d' % (n, len(e.edges[n])) for n in sorted(e.edges.population_names)))`], { cwd: sonataDir, encoding: 'utf8' });
    if (bmtk.status === 0) expect(bmtk.stdout.trim()).toBe(['EE', 'EI', 'IE', 'II'].map((n) => `${n}:${counts[n]}`).join(' '));
    else console.warn('bmtk not installed (python3-bmtk): its reading of the files was not checked');
  });

  test('200 ms on 1 process and under mpirun -np 2 give identical spike lists', () => {
    const two = runExported(pynnDir, { tstop: 200, np: 2, out: path.join(pynnDir, 'out-np2'), python: PY });
    expect(two.info.processes).toBe(2);
    for (const k of ['E.spike', 'I.spike']) {
      expect(serial[k].count).toBeGreaterThan(1000);
      expect(Array.from(two.monitors[k].indices)).toEqual(Array.from(serial[k].indices));
      expect(Array.from(two.monitors[k].times)).toEqual(Array.from(serial[k].times));
    }
    console.log(`200 ms, 1 vs 2 processes: E ${serial['E.spike'].count}, I ${serial['I.spike'].count} spikes, identical`);
  });

  test('the SONATA route gives the same spikes as the PyNN route; spikes.h5 loads like the NPY output', async () => {
    const s = runExported(sonataDir, { tstop: 200, np: 1, python: PY });
    const h5 = await loadSonataSpikes(path.join(sonataDir, 'output', 'spikes.h5'), { dt: 0.1, sizes: { E: 3200, I: 800 } });
    for (const k of ['E.spike', 'I.spike']) {
      expect(Array.from(s.monitors[k].indices)).toEqual(Array.from(serial[k].indices));
      expect(Array.from(s.monitors[k].times)).toEqual(Array.from(serial[k].times));
      expect(Array.from(h5[k].indices)).toEqual(Array.from(serial[k].indices));
      expect(Array.from(h5[k].steps)).toEqual(Array.from(serial[k].steps));
      expect(h5[k].num).toBe(serial[k].num);
    }
  });

  test('rates over 1 s within 5% of brainweave\'s own run', async () => {
    const ref = await net.run(1000, { dt: 0.1, monitors: ['E.spike', 'I.spike'] });
    const engine = runExported(pynnDir, { tstop: 1000, np: 1, out: path.join(pynnDir, 'out-1s'), python: PY });
    const rate = (m: SpikeMonitorData) => m.count / m.num;
    const lines: string[] = [];
    for (const k of ['E.spike', 'I.spike']) {
      const a = rate(ref.monitors[k] as SpikeMonitorData), b = rate(engine.monitors[k]);
      lines.push(`${k[0]} brainweave ${a.toFixed(2)} Hz, NEURON ${b.toFixed(2)} Hz (${(((b - a) / a) * 100).toFixed(1)}%)`);
      expect(a).toBeGreaterThan(10);
      expect(Math.abs(b - a) / a).toBeLessThan(0.05);
    }
    console.log(`COBA rates over 1 s: ${lines.join('; ')}`);
  });
});

maybe('LIF, AdEx and TraubHH cells on NEURON', () => {
  test('one cell of each, driven by a bias and an ExpCOBA synapse from the LIF: same spike counts, times within 2 ms over 300 ms', async () => {
    const L = new LIF(1, { I: 20, V0: -60 });
    const A = new AdEx(1, { I: 12, R: 2, a: 0.5, b: 2, tRef: 1 });
    const H = new TraubHH(1, { I: 150, V0sd: 0 });
    const net = new Network({ L, A, H, LA: new ExpCOBA(L, A, new One2One(), { weight: 0.3, tau: 5, E: 0 }), LH: new ExpCOBA(L, H, new One2One(), { weight: 20, tau: 5, E: 0 }) }, { precision: 'float64', seed: 1 });
    net.build();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bw-cells-'));
    try {
      // NEURON's fixed step needs dt ≈ 0.001 ms for AdEx's exponential upswing (at 0.1 ms its first spike comes ~15 ms late)
      await exportNetwork(net, { to: 'pynn', dir, dt: 0.001 });
      const ref = await net.run(300, { dt: 0.01, monitors: ['L.spike', 'A.spike', 'H.spike'] });
      const eng = runExported(dir, { tstop: 300, python: PY });
      const lines: string[] = [];
      for (const k of ['L.spike', 'A.spike', 'H.spike']) {
        const a = ((ref.monitors as Record<string, unknown>)[k] as SpikeMonitorData).times, b = eng.monitors[k].times;
        let d = 0;
        for (let i = 0; i < Math.min(a.length, b.length); i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        lines.push(`${k[0]} ${a.length}/${b.length} spikes, max |Δt| ${d.toFixed(2)} ms`);
        expect(a.length).toBeGreaterThan(10);
        expect(b.length).toBe(a.length);
        expect(d).toBeLessThan(2);
      }
      console.log(`single cells, brainweave (dt 0.01) / NEURON (dt 0.001): ${lines.join('; ')}`);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });
});
