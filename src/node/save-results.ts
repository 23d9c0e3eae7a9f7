/**
 * Saving monitor results to a folder, and reading them back. Node only.
 *
 * Layout of `dir` (every format):
 *   manifest.json          { format: "brainweave-results", version: 1, encoding, meta, monitors: { <key>: {...} } }
 *                          listing each monitor's kind, sizes, dtype and its files.
 * encoding "npy" (numpy: `np.load(dir + '/E.spike.times.npy')`), one file per array:
 *   <key>.times.npy        spike times in ms, float64 [count]
 *   <key>.indices.npy      neuron of each spike, int32 [count]
 *   <key>.steps.npy        step of each spike, int32 [count] (when the data has steps)
 *   <key>.data.npy         values, [records, width] in the recorded dtype (float32 or float64)
 *   <key>.ts.npy           sample times in ms, float64 [records]
 *   <key>.columns.npy      neuron of each column, int32 [width] (only when a subset of neurons was recorded)
 * encoding "json": <key>.json, the same arrays as JSON lists (non-finite values as null).
 * encoding "csv":  <key>.csv; spikes as rows `time_ms,index[,step]`, values as rows `t_ms,<one column per neuron>`
 *                  with header `t_ms,n<index>,...`.
 * JSON and CSV are for small results: more than `maxValues` numbers (default 1,000,000) is an error pointing to npy.
 * `<key>` is the monitor key ('E.spike'), with characters other than letters, digits, '.', '_' and '-' made '_'.
 * 'npz': one <key>.npz per monitor with the same array names as members. HDF5: saveResultsHDF5 (results-hdf5.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { decodeNpy, encodeNpy, type NpyArray } from '../io/npy';
import { encodeNpz, decodeNpzSync } from '../io/npz';

/** Spike events as a spike monitor returns them (`steps` optional). */
export interface SpikeResult {
  kind?: 'spike';
  num: number;
  times: ArrayLike<number>;
  indices: ArrayLike<number>;
  steps?: ArrayLike<number>;
}
/** Sampled values as a value monitor returns them. */
export interface ValueResult {
  kind?: 'value';
  data: ArrayLike<number>;
  ts: ArrayLike<number>;
  width: number;
  indices?: ArrayLike<number> | null;
}
/** Monitors by key, or a run result holding them in `monitors`. */
export type ResultsInput = Record<string, SpikeResult | ValueResult> | { monitors: Record<string, SpikeResult | ValueResult> };

/** File formats: 'npy', 'json' and 'csv' are written; 'npz' and 'hdf5' are reserved for writers to come. */
export type ResultsFormat = 'npy' | 'json' | 'csv' | 'npz' | 'hdf5';

/** Options of {@link saveResults}. */
export interface SaveOptions {
  /** Default 'npy'. */
  format?: ResultsFormat;
  /** JSON/CSV size guard: most numbers written in all (default 1,000,000). */
  maxValues?: number;
  /** JSON-serialisable metadata stored in the manifest (dt, seed, model parameters...). */
  meta?: unknown;
}

/** Spike data read back. */
export interface LoadedSpikes { kind: 'spike'; num: number; count: number; times: Float64Array; indices: Int32Array; steps?: Int32Array }
/** Value data read back; `data` has the dtype it was recorded in. */
export interface LoadedValues { kind: 'value'; data: NpyArray; ts: Float64Array; width: number; indices: Int32Array | null; row(r: number): number[] }
/** What {@link loadResults} returns. */
export interface LoadedResults { monitors: Record<string, LoadedSpikes | LoadedValues>; meta: unknown; encoding: string }

interface ManifestEntry {
  kind: 'spike' | 'value';
  num?: number; count?: number; steps?: boolean;
  width?: number; records?: number; dtype?: string; columns?: boolean;
  files: Record<string, string>;
}
interface Manifest { format: 'brainweave-results'; version: 1; encoding: 'npy' | 'json' | 'csv' | 'npz'; meta: unknown; monitors: Record<string, ManifestEntry> }

const DTYPES: [string, new (n: number) => NpyArray][] = [
  ['float32', Float32Array], ['float64', Float64Array], ['int32', Int32Array], ['uint32', Uint32Array],
  ['uint8', Uint8Array], ['int8', Int8Array], ['int16', Int16Array], ['uint16', Uint16Array],
];
function dtypeOf(a: ArrayLike<number>): string {
  for (const [n, C] of DTYPES) if (a instanceof C) return n;
  return 'float64'; // plain arrays of numbers
}
function ctorOf(dtype: string): new (n: number) => NpyArray {
  const e = DTYPES.find(([n]) => n === dtype);
  if (!e) throw new Error(`loadResults: unknown dtype '${dtype}' in the manifest`);
  return e[1];
}
function as<T extends NpyArray>(C: new (n: number) => T, a: ArrayLike<number>): T {
  if (a instanceof C) return a as T;
  const out = new C(a.length);
  for (let i = 0; i < a.length; i++) (out as unknown as number[])[i] = a[i];
  return out;
}

/** The monitors of a run result (or of its `monitors`), refusing anything else. @internal */
export function monitorsOf(input: ResultsInput, fn = 'saveResults'): Record<string, SpikeResult | ValueResult> {
  if (!input || typeof input !== 'object') throw new TypeError(`${fn}: result must be a run result or { key: monitor data }`);
  const m = 'monitors' in input && input.monitors && typeof input.monitors === 'object' ? input.monitors : input;
  const keys = Object.keys(m);
  if (keys.length === 0) throw new RangeError(`${fn}: result holds no monitors`);
  return m as Record<string, SpikeResult | ValueResult>;
}
/** @internal */
export function isSpike(d: SpikeResult | ValueResult): d is SpikeResult {
  return d.kind === 'spike' || (d.kind === undefined && 'times' in d);
}
function fileStem(key: string): string {
  return key.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Checks one monitor's arrays; returns how many numbers it holds. */
function checkMonitor(key: string, d: SpikeResult | ValueResult): number {
  const where = `saveResults: monitor '${key}'`;
  if (!d || typeof d !== 'object') throw new TypeError(`${where} is not monitor data`);
  if (isSpike(d)) {
    if (!(Number.isInteger(d.num) && d.num > 0)) throw new RangeError(`${where}: num must be a positive integer, got ${d.num}`);
    if (d.times.length !== d.indices.length) throw new RangeError(`${where}: ${d.times.length} times but ${d.indices.length} indices`);
    if (d.steps && d.steps.length !== d.times.length) throw new RangeError(`${where}: ${d.steps.length} steps but ${d.times.length} times`);
    return d.times.length * (d.steps ? 3 : 2);
  }
  if (!('data' in d) || !d.ts) throw new TypeError(`${where} is neither spike data { num, times, indices } nor value data { data, ts, width }`);
  if (!(Number.isInteger(d.width) && d.width > 0)) throw new RangeError(`${where}: width must be a positive integer, got ${d.width}`);
  if (d.data.length !== d.ts.length * d.width) throw new RangeError(`${where}: data has ${d.data.length} values, ts × width needs ${d.ts.length * d.width}`);
  if (d.indices && d.indices.length !== d.width) throw new RangeError(`${where}: ${d.indices.length} indices for width ${d.width}`);
  return d.data.length + d.ts.length;
}

type Arrays = Record<string, { data: NpyArray; shape: number[] }>;

/** The arrays of one monitor under their documented names, in their stored dtypes. */
function arraysOf(d: SpikeResult | ValueResult): { entry: Omit<ManifestEntry, 'files'>; arrays: Arrays } {
  if (isSpike(d)) {
    const n = d.times.length;
    const arrays: Arrays = { times: { data: as(Float64Array, d.times), shape: [n] }, indices: { data: as(Int32Array, d.indices), shape: [n] } };
    if (d.steps) arrays.steps = { data: as(Int32Array, d.steps), shape: [n] };
    return { entry: { kind: 'spike', num: d.num, count: n, steps: !!d.steps }, arrays };
  }
  const records = d.ts.length;
  const dtype = dtypeOf(d.data);
  const arrays: Arrays = { data: { data: as(ctorOf(dtype), d.data), shape: [records, d.width] }, ts: { data: as(Float64Array, d.ts), shape: [records] } };
  if (d.indices) arrays.columns = { data: as(Int32Array, d.indices), shape: [d.width] };
  return { entry: { kind: 'value', width: d.width, records, dtype, columns: !!d.indices }, arrays };
}

type Writer = (dir: string, stem: string, entry: Omit<ManifestEntry, 'files'>, arrays: Arrays) => Record<string, string>;

const num = (x: number) => (Number.isFinite(x) ? x : null);

const writeNpy: Writer = (dir, stem, _entry, arrays) => {
  const files: Record<string, string> = {};
  for (const [name, a] of Object.entries(arrays)) {
    files[name] = `${stem}.${name}.npy`;
    writeFileSync(join(dir, files[name]), encodeNpy(a.data, a.shape));
  }
  return files;
};

const writeJson: Writer = (dir, stem, _entry, arrays) => {
  const obj: Record<string, (number | null)[]> = {};
  for (const [name, a] of Object.entries(arrays)) obj[name] = Array.from(a.data as ArrayLike<number>, num);
  writeFileSync(join(dir, `${stem}.json`), JSON.stringify(obj));
  return { all: `${stem}.json` };
};

const writeCsv: Writer = (dir, stem, entry, arrays) => {
  const s = (x: number) => (Number.isFinite(x) ? String(x) : x !== x ? 'NaN' : x > 0 ? 'Inf' : '-Inf');
  const lines: string[] = [];
  if (entry.kind === 'spike') {
    const t = arrays.times.data, i = arrays.indices.data, st = arrays.steps?.data;
    lines.push(st ? 'time_ms,index,step' : 'time_ms,index');
    for (let k = 0; k < t.length; k++) lines.push(st ? `${s(t[k] as number)},${i[k]},${st[k]}` : `${s(t[k] as number)},${i[k]}`);
  } else {
    const w = entry.width!, data = arrays.data.data as ArrayLike<number>, ts = arrays.ts.data as ArrayLike<number>;
    const cols = arrays.columns ? Array.from(arrays.columns.data as Int32Array) : Array.from({ length: w }, (_, j) => j);
    lines.push(['t_ms', ...cols.map((c) => `n${c}`)].join(','));
    for (let r = 0; r < ts.length; r++) {
      let line = s(ts[r]);
      for (let j = 0; j < w; j++) line += ',' + s(data[r * w + j]);
      lines.push(line);
    }
  }
  writeFileSync(join(dir, `${stem}.csv`), lines.join('\n') + '\n');
  return { all: `${stem}.csv` };
};

/** One .npz per monitor (`<key>.npz`), members named as the .npy files are: numpy.load(f)['times']. */
const writeNpz: Writer = (dir, stem, _entry, arrays) => {
  writeFileSync(join(dir, `${stem}.npz`), encodeNpz(arrays));
  return { all: `${stem}.npz` };
};

/** Writers by format; null: written elsewhere (HDF5 is asynchronous: saveResultsHDF5). */
const WRITERS: Record<ResultsFormat, Writer | null> = { npy: writeNpy, json: writeJson, csv: writeCsv, npz: writeNpz, hdf5: null };

/**
 * Writes every monitor of a run result into `dir` (created if missing; files of the same names are replaced),
 * plus `manifest.json`. See the module comment for the file names.
 * @param result `net.run(...)`'s result, or its `monitors`
 * @returns the files written, relative to `dir`
 */
export function saveResults(result: ResultsInput, dir: string, opts: SaveOptions = {}): string[] {
  const format = opts.format ?? 'npy';
  if (!(format in WRITERS)) throw new RangeError(`saveResults: opts.format must be one of ${Object.keys(WRITERS).join(', ')}; got '${format}'`);
  const writer = WRITERS[format];
  if (!writer) throw new Error(`saveResults: format '${format}' is written by saveResultsHDF5 (asynchronous: h5wasm loads on first use)`);
  if (typeof dir !== 'string' || dir === '') throw new TypeError('saveResults: dir must be a folder path');
  const monitors = monitorsOf(result);
  const maxValues = opts.maxValues ?? 1_000_000;
  if (!(Number.isFinite(maxValues) && maxValues > 0)) throw new RangeError(`saveResults: opts.maxValues must be a number > 0, got ${maxValues}`);
  let total = 0;
  const stems = new Map<string, string>();
  for (const [key, d] of Object.entries(monitors)) {
    total += checkMonitor(key, d);
    const stem = fileStem(key);
    if (stem === 'manifest') throw new RangeError(`saveResults: monitor key '${key}' would overwrite manifest.json`);
    if (stems.has(stem)) throw new RangeError(`saveResults: monitor keys '${stems.get(stem)}' and '${key}' map to the same file name '${stem}'`);
    stems.set(stem, key);
  }
  if (format !== 'npy' && format !== 'npz' && total > maxValues)
    throw new RangeError(`saveResults: ${total} numbers is too many for ${format} (opts.maxValues = ${maxValues}); use format 'npy' for large results`);
  mkdirSync(dir, { recursive: true });
  const manifest: Manifest = { format: 'brainweave-results', version: 1, encoding: format as 'npy' | 'json' | 'csv' | 'npz', meta: opts.meta ?? null, monitors: {} };
  const written: string[] = [];
  for (const [key, d] of Object.entries(monitors)) {
    const { entry, arrays } = arraysOf(d);
    const files = writer(dir, fileStem(key), entry, arrays);
    manifest.monitors[key] = { ...entry, files };
    for (const f of new Set(Object.values(files))) written.push(f);
  }
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
  written.push('manifest.json');
  return written;
}

function readCsv(path: string): number[][] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  return lines.slice(1).map((l) => l.split(',').map((x) => (x === 'Inf' ? Infinity : x === '-Inf' ? -Infinity : Number(x))));
}

/**
 * Reads a folder written by {@link saveResults}: each monitor as typed arrays, value data in its recorded dtype.
 */
export function loadResults(dir: string): LoadedResults {
  const mpath = join(dir, 'manifest.json');
  if (!existsSync(mpath)) throw new Error(`loadResults: ${mpath} not found (not a folder written by saveResults)`);
  const m = JSON.parse(readFileSync(mpath, 'utf8')) as Manifest;
  if (m.format !== 'brainweave-results' || m.version !== 1) throw new Error(`loadResults: ${mpath} is not a brainweave-results manifest of version 1`);
  const monitors: Record<string, LoadedSpikes | LoadedValues> = {};
  for (const [key, e] of Object.entries(m.monitors)) {
    let arr: Record<string, ArrayLike<number>>;
    if (m.encoding === 'npz') {
      arr = {};
      for (const [name, d] of Object.entries(decodeNpzSync(new Uint8Array(readFileSync(join(dir, e.files.all)))))) arr[name] = d.data as ArrayLike<number>;
    } else if (m.encoding === 'npy') {
      arr = {};
      for (const [name, f] of Object.entries(e.files)) arr[name] = decodeNpy(new Uint8Array(readFileSync(join(dir, f)))).data as ArrayLike<number>;
    } else if (m.encoding === 'json') {
      const o = JSON.parse(readFileSync(join(dir, e.files.all), 'utf8')) as Record<string, (number | null)[]>;
      arr = {};
      for (const [name, a] of Object.entries(o)) arr[name] = a.map((x) => (x === null ? NaN : x));
    } else if (m.encoding === 'csv') {
      const rows = readCsv(join(dir, e.files.all));
      if (e.kind === 'spike') {
        arr = { times: rows.map((r) => r[0]), indices: rows.map((r) => r[1]) };
        if (e.steps) arr.steps = rows.map((r) => r[2]);
      } else {
        const w = e.width!;
        const data: number[] = [];
        for (const r of rows) for (let j = 0; j < w; j++) data.push(r[1 + j]);
        arr = { ts: rows.map((r) => r[0]), data };
        if (e.columns) {
          const header = readFileSync(join(dir, e.files.all), 'utf8').split('\n', 1)[0].split(',').slice(1);
          arr.columns = header.map((h) => Number(h.slice(1)));
        }
      }
    } else throw new Error(`loadResults: unknown encoding '${m.encoding}'`);
    if (e.kind === 'spike') {
      const times = as(Float64Array, arr.times), indices = as(Int32Array, arr.indices);
      monitors[key] = { kind: 'spike', num: e.num!, count: times.length, times, indices, ...(e.steps ? { steps: as(Int32Array, arr.steps) } : {}) };
    } else {
      const data = as(ctorOf(e.dtype!), arr.data);
      const width = e.width!;
      monitors[key] = {
        kind: 'value', data, ts: as(Float64Array, arr.ts), width, indices: e.columns ? as(Int32Array, arr.columns) : null,
        row: (r: number) => Array.from(data.subarray(r * width, (r + 1) * width) as ArrayLike<number>),
      };
    }
  }
  return { monitors, meta: m.meta, encoding: m.encoding };
}
