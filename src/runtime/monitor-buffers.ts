import { StateArray } from '../core/dtype';
import { BrainweaveError } from '../core/errors';
import { MonitorPlan } from '../compiler/probes';

/** Buffers the generated loop writes into; spike buffers grow between calls when full. */
export class MonitorBuffers {
  /** per monitor: events written (spike) or records written (value) */
  readonly n: number[];
  readonly steps: (Int32Array | null)[];
  readonly idx: (Int32Array | null)[];
  readonly data: (StateArray | null)[];
  readonly sel: (Int32Array | null)[];
  /** Bytes the value monitors allocate up front for a run of nSteps (spike buffers start small and grow). */
  static bytesNeeded(plans: MonitorPlan[], nSteps: number): number {
    let b = 0;
    for (const p of plans) {
      if (p.kind === 'value') b += Math.ceil(nSteps / p.every) * p.width * (p.array as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
      else b += 2 * 4 * Math.max(1024, p.width * 4);
    }
    return b;
  }

  constructor(readonly plans: MonitorPlan[], nSteps: number, private readonly budget = Infinity) {
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
    const total = this.steps.reduce((b, s, k) => b + (k === m ? 8 * cap : s ? 8 * s.length : 0), 0)
      + this.data.reduce((b, d) => b + (d ? (d as unknown as ArrayBufferView).byteLength : 0), 0);
    if (total > this.budget) {
      throw new BrainweaveError(`run: spike monitor '${this.plans[m].key}' holds ${this.n[m]} events; growing it would take the monitors to ${(total / 2 ** 20).toFixed(0)} MiB, over monitorBudget = ${(this.budget / 2 ** 20).toFixed(0)} MiB (the events so far are on this error's partial result)`);
    }
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
