/**
 * Input types of the analysis functions. They are structural, so a `SpikeMonitorData` or `ValueMonitorData`
 * from `net.run(...).monitors` can be passed as it is, and so can plain objects built by hand or read from disk;
 * this module imports nothing from the simulator.
 */

/** Spike events of one population: event k is neuron `indices[k]` firing at `times[k]` (ms). */
export interface SpikeTrains {
  /** Neurons in the population (silent neurons count: rates are per neuron of the whole group). */
  num: number;
  /** Time of each event in ms. */
  times: ArrayLike<number>;
  /** Neuron of each event, an integer in [0, num). */
  indices: ArrayLike<number>;
}

/** Sampled values of a Variable: row-major `data[r * width + j]` is column j at time `ts[r]`. */
export interface Traces {
  data: ArrayLike<number>;
  /** Sample times in ms, one per row. */
  ts: ArrayLike<number>;
  /** Columns per row. */
  width: number;
  /** Neuron index of each column; null or absent: column j is neuron j. */
  indices?: ArrayLike<number> | null;
}

/** A time window [t0, t1) in ms: spikes with t0 <= t < t1 count. */
export type TimeWindow = readonly [number, number];
