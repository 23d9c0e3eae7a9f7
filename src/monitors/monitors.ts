import { BrainweaveError } from '../core/errors';
import { StateArray } from '../core/dtype';
import { Variable } from '../core/variable';

/** What a user asks to record: 'E.spike', or { target: 'E.V', indices: [0, 5], every: 10 }. */
export type MonitorSpec = string | { target: string; indices?: ArrayLike<number>; every?: number };

/**
 * A resolved monitor. Bool Variables (spikes) are kept compactly as (step, index) events; other
 * Variables as a dense (records × width) block, one record every `every` steps.
 */
export interface MonitorPlan {
  key: string;
  kind: 'spike' | 'value';
  array: StateArray;
  indices: Int32Array | null;
  every: number;
  width: number;
}

/** Buffers the generated loop writes into; spike buffers grow between calls when full. */
export class MonitorBuffers {
  /** per monitor: events written (spike) or records written (value) */
  readonly n: number[];
  readonly steps: (Int32Array | null)[];
  readonly idx: (Int32Array | null)[];
  readonly data: (StateArray | null)[];
  readonly sel: (Int32Array | null)[];
  constructor(readonly plans: MonitorPlan[], nSteps: number) {
    this.n = plans.map(() => 0);
    this.steps = plans.map((p) => (p.kind === 'spike' ? new Int32Array(Math.max(1024, p.width * 4)) : null));
    this.idx = plans.map((p) => (p.kind === 'spike' ? new Int32Array(Math.max(1024, p.width * 4)) : null));
    this.data = plans.map((p) => {
      if (p.kind !== 'value') return null;
      const records = Math.ceil(nSteps / p.every);
      const Ctor = p.array.constructor as { new(n: number): StateArray };
      return new Ctor(records * p.width);
    });
    this.sel = plans.map((p) => p.indices);
  }
  /** Doubles a spike monitor's buffers so that at least `need` more events fit. */
  grow(m: number, need: number): void {
    const old = this.steps[m]!;
    let cap = old.length * 2;
    while (cap < this.n[m] + need) cap *= 2;
    const s = new Int32Array(cap); s.set(old.subarray(0, this.n[m]));
    const i = new Int32Array(cap); i.set(this.idx[m]!.subarray(0, this.n[m]));
    this.steps[m] = s; this.idx[m] = i;
  }
}

export interface SpikeMonitorData {
  kind: 'spike';
  /** neurons in the group */
  num: number;
  count: number;
  /** step of each event, counted from the start of this run */
  steps: Int32Array;
  indices: Int32Array;
  /** time of each event in ms */
  times: Float64Array;
}
export interface ValueMonitorData {
  kind: 'value';
  /** row-major: data[r * width + j] is element indices[j] (or j) at time ts[r] */
  data: StateArray;
  ts: Float64Array;
  width: number;
  indices: Int32Array | null;
  /** row r as a copy */
  row(r: number): number[];
}
export type MonitorData = SpikeMonitorData | ValueMonitorData;

/** Resolves monitor specs against the network's Variables. */
export function planMonitors(specs: MonitorSpec[], lookup: (path: string) => Variable | null, known: () => string[]): MonitorPlan[] {
  const seen = new Set<string>();
  return specs.map((spec) => {
    const s = typeof spec === 'string' ? { target: spec } : spec;
    if (!s || typeof s.target !== 'string') throw new BrainweaveError(`monitor: expected 'Group.variable' or { target, indices?, every? }, got ${JSON.stringify(spec)}`);
    if (seen.has(s.target)) throw new BrainweaveError(`monitor '${s.target}' is listed twice`);
    seen.add(s.target);
    const v = lookup(s.target);
    if (!v) throw new BrainweaveError(`monitor: unknown variable '${s.target}' (known: ${known().join(', ')})`);
    const array = v.value;
    const every = s.every ?? 1;
    if (!(Number.isInteger(every) && every >= 1)) throw new BrainweaveError(`monitor '${s.target}': every must be a positive integer, got ${every}`);
    let indices: Int32Array | null = null;
    if (s.indices !== undefined) {
      indices = Int32Array.from(s.indices as ArrayLike<number>);
      for (let j = 0; j < indices.length; j++) {
        const x = (s.indices as ArrayLike<number>)[j];
        if (!(Number.isInteger(x) && x >= 0 && x < array.length)) throw new BrainweaveError(`monitor '${s.target}': index ${x} out of range [0, ${array.length})`);
      }
    }
    const kind = v.dtype === 'bool' ? 'spike' : 'value';
    if (kind === 'spike' && (indices || every !== 1)) {
      throw new BrainweaveError(`monitor '${s.target}': spike monitors record every event of the group; filter the result instead of passing indices/every`);
    }
    return { key: s.target, kind, array, indices, every, width: indices ? indices.length : array.length };
  });
}

/** Packs buffers into the result objects. */
export function collectMonitors(bufs: MonitorBuffers, tStart: number, dt: number): Record<string, MonitorData> {
  const out: Record<string, MonitorData> = {};
  bufs.plans.forEach((p, m) => {
    if (p.kind === 'spike') {
      const n = bufs.n[m];
      const steps = bufs.steps[m]!.slice(0, n), indices = bufs.idx[m]!.slice(0, n);
      const times = new Float64Array(n);
      for (let e = 0; e < n; e++) times[e] = tStart + steps[e] * dt;
      out[p.key] = { kind: 'spike', num: p.array.length, count: n, steps, indices, times };
    } else {
      const records = bufs.n[m];
      const data = bufs.data[m]!.subarray(0, records * p.width) as typeof p.array;
      const ts = new Float64Array(records);
      for (let r = 0; r < records; r++) ts[r] = tStart + r * p.every * dt;
      const width = p.width;
      out[p.key] = { kind: 'value', data, ts, width, indices: p.indices, row: (r: number) => Array.from(data.subarray(r * width, (r + 1) * width)) };
    }
  });
  return out;
}
