/**
 * Monitor results as one HDF5 file (through h5wasm; Node only, asynchronous because h5wasm loads on first use).
 *
 * Layout (h5py: `f['monitors/E.spike/times'][:]`):
 *   /                         attrs format = "brainweave-results", version = 1, meta (JSON text)
 *   /monitors/<key>/          attrs kind ("spike" | "value"), num (spike) or width (value)
 *     spike: times (float64 ms), indices (int32), steps (int32, when present)
 *     value: data (records × width, recorded dtype), ts (float64 ms), columns (int32, when a subset was recorded)
 *   /units/                   the spike monitors as one table in NWB's units layout (attrs neurodata_type "Units"):
 *     id                      int64, one row per neuron of every spike monitor, in monitor order
 *     spike_times             float64 seconds, grouped by unit (ascending unit, then time)
 *     spike_times_index       int64 end offsets into spike_times, one per unit (NWB's VectorIndex)
 *     population              the monitor key of each unit (variable-length strings)
 * NWB stores seconds; the /monitors groups keep brainweave's milliseconds.
 */
import { loadH5wasm, H5Group } from './export/h5';
import { monitorsOf, isSpike, type ResultsInput } from './save-results';

const f64 = (a: ArrayLike<number>) => (a instanceof Float64Array ? a : Float64Array.from(a));
const i32 = (a: ArrayLike<number>) => (a instanceof Int32Array ? a : Int32Array.from(a));

/** Writes every monitor of a run result to one HDF5 file (created or replaced). */
export async function saveResultsHDF5(result: ResultsInput, file: string, opts: { meta?: unknown } = {}): Promise<void> {
  const monitors = monitorsOf(result, 'saveResultsHDF5');
  const h5 = await loadH5wasm();
  const f = new h5.File(file, 'w');
  try {
    f.create_attribute('format', 'brainweave-results');
    f.create_attribute('version', 1);
    f.create_attribute('meta', JSON.stringify(opts.meta ?? null));
    const root = f.create_group('monitors');
    const ids: bigint[] = [], pops: string[] = [], ends: bigint[] = [];
    const times: number[] = [];
    let unit = 0;
    for (const [key, d] of Object.entries(monitors)) {
      const g = root.create_group(key);
      if (isSpike(d)) {
        g.create_attribute('kind', 'spike'); g.create_attribute('num', d.num);
        g.create_dataset({ name: 'times', data: f64(d.times), dtype: '<d' });
        g.create_dataset({ name: 'indices', data: i32(d.indices), dtype: '<i' });
        if (d.steps) g.create_dataset({ name: 'steps', data: i32(d.steps), dtype: '<i' });
        // units table: stable sort of spikes by neuron keeps each neuron's times ascending
        const order = Array.from({ length: d.times.length }, (_, e) => e).sort((a, b) => d.indices[a] - d.indices[b] || a - b);
        let e = 0;
        for (let i = 0; i < d.num; i++) {
          while (e < order.length && d.indices[order[e]] === i) times.push(d.times[order[e++]] / 1000);
          ids.push(BigInt(unit++)); pops.push(key); ends.push(BigInt(times.length));
        }
      } else {
        g.create_attribute('kind', 'value'); g.create_attribute('width', d.width);
        const dt = d.data instanceof Float32Array ? '<f' : '<d';
        g.create_dataset({ name: 'data', data: d.data instanceof Float32Array ? d.data : f64(d.data), shape: [d.ts.length, d.width], dtype: dt });
        g.create_dataset({ name: 'ts', data: f64(d.ts), dtype: '<d' });
        if (d.indices) g.create_dataset({ name: 'columns', data: i32(d.indices), dtype: '<i' });
      }
    }
    if (ids.length) {
      const u = f.create_group('units');
      u.create_attribute('neurodata_type', 'Units'); u.create_attribute('namespace', 'core');
      const col = (g: H5Group, name: string, data: unknown, dtype: string, type: string) => {
        g.create_dataset({ name, data, dtype });
        (g.get(name) as unknown as H5Group).create_attribute('neurodata_type', type);
      };
      col(u, 'id', BigInt64Array.from(ids), '<q', 'ElementIdentifiers');
      col(u, 'spike_times', Float64Array.from(times), '<d', 'VectorData');
      col(u, 'spike_times_index', BigInt64Array.from(ends), '<q', 'VectorIndex');
      u.create_dataset({ name: 'population', data: pops });
    }
  } finally {
    f.close();
  }
}

/** Reads a file written by saveResultsHDF5: each monitor's arrays, and the units table. */
export async function loadResultsHDF5(file: string): Promise<{ meta: unknown; monitors: Record<string, Record<string, ArrayLike<number> | number>>; units: { id: number[]; spikeTimes: Float64Array; index: number[]; population: string[] } | null }> {
  const h5 = await loadH5wasm();
  const f = new h5.File(file, 'r');
  try {
    if (f.attrs.format?.value !== 'brainweave-results') throw new Error(`loadResultsHDF5: ${file} is not a brainweave results file`);
    const out: Record<string, Record<string, ArrayLike<number> | number>> = {};
    const root = f.get('monitors') as H5Group;
    for (const key of root.keys()) {
      const g = root.get(key) as H5Group;
      const rec: Record<string, ArrayLike<number> | number> = {};
      for (const name of g.keys()) rec[name] = (g.get(name) as unknown as { value: ArrayLike<number> }).value;
      for (const a of ['num', 'width']) if (g.attrs[a]) rec[a] = Number(g.attrs[a].value);
      out[key] = rec;
    }
    const u = f.get('units') as H5Group | null;
    const units = u ? {
      id: Array.from((u.get('id') as unknown as { value: BigInt64Array }).value, Number),
      spikeTimes: Float64Array.from((u.get('spike_times') as unknown as { value: Float64Array }).value),
      index: Array.from((u.get('spike_times_index') as unknown as { value: BigInt64Array }).value, Number),
      population: Array.from((u.get('population') as unknown as { value: string[] }).value),
    } : null;
    return { meta: JSON.parse(String(f.attrs.meta?.value ?? 'null')), monitors: out, units };
  } finally {
    f.close();
  }
}
