import { StateArray } from '../core/dtype';
import { MonitorPlan } from '../compiler/probes';

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

/** Packs buffers into the result objects. */
export function collectMonitors(bufs: MonitorBuffers, tStart: number, dt: number, stepTime: (s: number) => number = (s) => tStart + s * dt): Record<string, MonitorData> {
  const out: Record<string, MonitorData> = {};
  bufs.plans.forEach((p, m) => {
    if (p.kind === 'spike') {
      const n = bufs.n[m];
      const steps = bufs.steps[m]!.slice(0, n), indices = bufs.idx[m]!.slice(0, n);
      const times = new Float64Array(n);
      for (let e = 0; e < n; e++) times[e] = stepTime(steps[e]);
      out[p.key] = { kind: 'spike', num: p.array.length, count: n, steps, indices, times };
    } else {
      const records = bufs.n[m];
      const data = bufs.data[m]!.subarray(0, records * p.width) as typeof p.array;
      const ts = new Float64Array(records);
      for (let r = 0; r < records; r++) ts[r] = stepTime(r * p.every);
      const width = p.width;
      out[p.key] = { kind: 'value', data, ts, width, indices: p.indices, row: (r: number) => Array.from(data.subarray(r * width, (r + 1) * width)) };
    }
  });
  return out;
}
