/**
 * saveResults / loadResults: write, read back, compare with the in-memory result, for each format; the NPY files
 * are also read directly under their documented names.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { decodeNpy } from '../src/io/npy';
import { loadResults, saveResults } from '../src/node/save-results';
import { Network, type SpikeMonitorData, type ValueMonitorData } from '../src';
import { LIF } from '../models';

let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'bw-save-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function result() {
  const times = Float64Array.from([0.1 * 3, 1.7, 2.0000000000000004, 12.5]);
  const spikes = { kind: 'spike' as const, num: 5, count: 4, times, indices: Int32Array.from([4, 0, 2, 4]), steps: Int32Array.from([3, 17, 20, 125]) };
  // float32 values that are not short decimals: a JSON/CSV round trip must restore them bit for bit
  const V = { kind: 'value' as const, data: Float32Array.from([-65.123, -64.9, NaN, -50.000001, 1 / 3, -70]), ts: Float64Array.from([0, 0.1, 0.2]), width: 2, indices: Int32Array.from([1, 3]) };
  const g = { kind: 'value' as const, data: Float64Array.from([Math.PI, 1e-300, 2 ** 53 + 2]), ts: Float64Array.from([0, 1, 2]), width: 1, indices: null };
  return { monitors: { 'E.spike': spikes, 'E.V': V, 'syn.g': g } };
}

function expectSame(loaded: ReturnType<typeof loadResults>, src: ReturnType<typeof result>) {
  const s = loaded.monitors['E.spike'];
  expect(s.kind).toBe('spike');
  if (s.kind !== 'spike') return;
  expect(s.num).toBe(5);
  expect(s.count).toBe(4);
  expect(s.times).toEqual(src.monitors['E.spike'].times);
  expect(s.indices).toEqual(src.monitors['E.spike'].indices);
  expect(s.steps).toEqual(src.monitors['E.spike'].steps);
  const V = loaded.monitors['E.V'];
  if (V.kind !== 'value') throw new Error('E.V should be value data');
  expect(V.data).toBeInstanceOf(Float32Array);
  expect(V.data).toEqual(src.monitors['E.V'].data); // NaN equals NaN here
  expect(V.ts).toEqual(src.monitors['E.V'].ts);
  expect(V.width).toBe(2);
  expect(V.indices).toEqual(Int32Array.from([1, 3]));
  expect(V.row(1)).toEqual([NaN, Math.fround(-50.000001)]); // row r is data[r·width .. (r+1)·width)
  const g = loaded.monitors['syn.g'];
  if (g.kind !== 'value') throw new Error('syn.g should be value data');
  expect(g.data).toBeInstanceOf(Float64Array);
  expect(g.data).toEqual(src.monitors['syn.g'].data);
  expect(g.indices).toBeNull();
}

describe('saveResults / loadResults', () => {
  test.each(['npy', 'json', 'csv'] as const)('%s: read back equal to the in-memory result', (format) => {
    const src = result();
    saveResults(src, dir, { format, meta: { dt: 0.1, seed: 42 } });
    const back = loadResults(dir);
    expect(back.encoding).toBe(format);
    expect(back.meta).toEqual({ dt: 0.1, seed: 42 });
    expectSame(back, src);
  });

  test('npy: one file per array under the documented names, readable on their own', () => {
    const files = saveResults(result(), dir);
    expect(readdirSync(dir).sort()).toEqual([
      'E.V.columns.npy', 'E.V.data.npy', 'E.V.ts.npy',
      'E.spike.indices.npy', 'E.spike.steps.npy', 'E.spike.times.npy',
      'manifest.json', 'syn.g.data.npy', 'syn.g.ts.npy',
    ]);
    expect(files.sort()).toEqual(readdirSync(dir).sort());
    const data = decodeNpy(new Uint8Array(readFileSync(join(dir, 'E.V.data.npy'))));
    expect(data.shape).toEqual([3, 2]);
    expect(data.descr).toBe('<f4');
    const t = decodeNpy(new Uint8Array(readFileSync(join(dir, 'E.spike.times.npy'))));
    expect(t.descr).toBe('<f8');
    expect(Array.from(t.data as Float64Array)).toEqual([0.1 * 3, 1.7, 2.0000000000000004, 12.5]);
  });

  test('csv: header and rows as documented', () => {
    saveResults(result(), dir, { format: 'csv' });
    const spikes = readFileSync(join(dir, 'E.spike.csv'), 'utf8').trim().split('\n');
    expect(spikes[0]).toBe('time_ms,index,step');
    expect(spikes[2]).toBe('1.7,0,17');
    const V = readFileSync(join(dir, 'E.V.csv'), 'utf8').trim().split('\n');
    expect(V[0]).toBe('t_ms,n1,n3');
    expect(V).toHaveLength(4);
  });

  test('a real run result saves and loads as it came out', async () => {
    const E = new LIF(4, { I: 20 });
    const net = new Network({ E }, { seed: 1 });
    const res = await net.run(50, { dt: 0.1, monitors: ['E.spike', { target: 'E.V', indices: [0, 2], every: 5 }] });
    saveResults(res, dir);
    const back = loadResults(dir);
    const s = res.monitors['E.spike'] as SpikeMonitorData, v = res.monitors['E.V'] as ValueMonitorData;
    expect(s.count).toBeGreaterThan(0);
    const bs = back.monitors['E.spike'], bv = back.monitors['E.V'];
    if (bs.kind !== 'spike' || bv.kind !== 'value') throw new Error('kinds');
    expect([bs.num, bs.count]).toEqual([s.num, s.count]);
    expect(bs.times).toEqual(s.times);
    expect(bs.indices).toEqual(s.indices);
    expect(bs.steps).toEqual(s.steps);
    expect(bv.data).toEqual(v.data);
    expect(bv.ts).toEqual(v.ts);
    expect(bv.indices).toEqual(v.indices);
  });

  test('size guard, the HDF5 pointer, and bad input name the function and the argument', () => {
    expect(() => saveResults(result(), dir, { format: 'json', maxValues: 10 })).toThrow(/saveResults: \d+ numbers is too many for json \(opts.maxValues = 10\); use format 'npy'/);
    expect(() => saveResults(result(), dir, { format: 'hdf5' })).toThrow(/saveResults: format 'hdf5' is written by saveResultsHDF5/);
    expect(() => saveResults(result(), dir, { format: 'xls' as 'npy' })).toThrow(/saveResults: opts.format must be one of/);
    expect(() => saveResults({ monitors: {} }, dir)).toThrow(/saveResults: result holds no monitors/);
    expect(() => saveResults({ 'a/b': { num: 1, times: [1], indices: [0] }, 'a_b': { num: 1, times: [], indices: [] } }, dir)).toThrow(/'a\/b' and 'a_b' map to the same file name/);
    expect(() => saveResults({ x: { data: [1, 2, 3], ts: [0, 1], width: 2 } }, dir)).toThrow(/saveResults: monitor 'x': data has 3 values, ts × width needs 4/);
    expect(() => loadResults(join(dir, 'nothing'))).toThrow(/loadResults: .*manifest.json not found/);
  });
});

describe('npz and HDF5', () => {
  const { Network: Net } = require('../src');
  const { LIF: L } = require('../models');
  async function result() {
    const E = new L(6, { I: 25, V0: -60, V0sd: 5 });
    const net = new Net({ E }, { seed: 3 });
    return net.run(30, { monitors: ['E.spike', { target: 'E.V', indices: [1, 4], every: 3 }] });
  }
  test('npz: one archive per monitor, read back equal (numpy: np.load(f)["times"])', async () => {
    const r = await result();
    const dir = mkdtempSync(join(tmpdir(), 'bw-npz-'));
    const files = saveResults(r, dir, { format: 'npz' });
    expect(files.sort()).toEqual(['E.V.npz', 'E.spike.npz', 'manifest.json']);
    const back = loadResults(dir);
    const s = r.monitors['E.spike'], b = back.monitors['E.spike'] as any;
    expect(s.count).toBeGreaterThan(5);
    expect(Array.from(b.times)).toEqual(Array.from(s.times));
    expect(Array.from(b.indices)).toEqual(Array.from(s.indices));
    const v = back.monitors['E.V'] as any;
    expect(Array.from(v.data)).toEqual(Array.from(r.monitors['E.V'].data));
    expect(v.data).toBeInstanceOf(Float32Array);
    expect(Array.from(v.indices)).toEqual([1, 4]);
  });
  test('HDF5: monitors, meta and an NWB-style units table read back equal', async () => {
    const { saveResultsHDF5, loadResultsHDF5 } = require('../src/node');
    const r = await result();
    const file = join(mkdtempSync(join(tmpdir(), 'bw-h5-')), 'run.h5');
    await saveResultsHDF5(r, file, { meta: { seed: 3 } });
    const back = await loadResultsHDF5(file);
    expect(back.meta).toEqual({ seed: 3 });
    const s = r.monitors['E.spike'];
    expect(Array.from(back.monitors['E.spike'].times as Float64Array)).toEqual(Array.from(s.times));
    expect(Array.from(back.monitors['E.V'].data as Float32Array)).toEqual(Array.from(r.monitors['E.V'].data));
    // units: neuron i's spikes are spike_times[index[i-1] .. index[i]) in seconds, ascending
    const u = back.units!;
    expect(u.id).toEqual([0, 1, 2, 3, 4, 5]);
    expect(u.population).toEqual(Array(6).fill('E.spike'));
    for (let i = 0; i < 6; i++) {
      const mine = Array.from(s.times as Float64Array).filter((_, e) => s.indices[e] === i).map((t) => t / 1000);
      expect(Array.from(u.spikeTimes.subarray(i ? u.index[i - 1] : 0, u.index[i]))).toEqual(mine);
    }
    expect(u.index[5]).toBe(s.count);
  });
});
