/**
 * Firing rates: per neuron and per population over a window, the binned population rate, and its smoothed
 * version (Gaussian or rectangular window, with the window conventions of Brian2's
 * `PopulationRateMonitor.smooth_rate`, https://brian2.readthedocs.io/en/stable/user/recording.html).
 * Times are in ms, rates in Hz.
 */
import { checkPositive, checkSpikes, checkWindow } from './check';
import type { SpikeTrains, TimeWindow } from './types';

/**
 * Spike times are `tStart + step * dt` in floating point, so a spike meant to be on a bin edge can land 1e-15
 * below it. Times within this relative tolerance of an edge count as on the edge.
 */
const EDGE_TOL = 1e-9;

function tolOf(w: TimeWindow): number {
  return EDGE_TOL * Math.max(1, Math.abs(w[0]), Math.abs(w[1]));
}

/**
 * Spikes of each neuron with t0 <= t < t1.
 * @param spikes a spike monitor's result (or any `{ num, times, indices }`)
 * @param window [t0, t1) in ms
 * @returns one count per neuron
 */
export function spikeCounts(spikes: SpikeTrains, window: TimeWindow): Int32Array {
  checkSpikes('spikeCounts', 'spikes', spikes);
  checkWindow('spikeCounts', 'window', window);
  return countsIn(spikes, window);
}

function countsIn(s: SpikeTrains, w: TimeWindow): Int32Array {
  const c = new Int32Array(s.num);
  const tol = tolOf(w);
  const lo = w[0] - tol, hi = w[1] - tol;
  for (let k = 0; k < s.times.length; k++) {
    const t = s.times[k];
    if (t >= lo && t < hi) c[s.indices[k]]++;
  }
  return c;
}

/**
 * Firing rate of each neuron in Hz: its spikes in [t0, t1) divided by (t1 - t0) in seconds.
 * @param spikes a spike monitor's result
 * @param window [t0, t1) in ms; give the simulated interval, since a silent end is part of the rate
 */
export function firingRates(spikes: SpikeTrains, window: TimeWindow): Float64Array {
  checkSpikes('firingRates', 'spikes', spikes);
  checkWindow('firingRates', 'window', window);
  const c = countsIn(spikes, window);
  const sec = (window[1] - window[0]) / 1000;
  const r = new Float64Array(spikes.num);
  for (let i = 0; i < r.length; i++) r[i] = c[i] / sec;
  return r;
}

/**
 * Mean firing rate of the population in Hz: all spikes in [t0, t1) / (num × (t1 - t0) in s).
 * Silent neurons count, so this equals the mean of {@link firingRates}.
 */
export function meanFiringRate(spikes: SpikeTrains, window: TimeWindow): number {
  checkSpikes('meanFiringRate', 'spikes', spikes);
  checkWindow('meanFiringRate', 'window', window);
  const c = countsIn(spikes, window);
  let n = 0;
  for (let i = 0; i < c.length; i++) n += c[i];
  return n / (spikes.num * (window[1] - window[0]) / 1000);
}

/** A population rate sampled on bins: `rate[b]` (Hz) over [edges[b], edges[b+1]), centred at `t[b]`. */
export interface PopulationRate {
  /** Bin width in ms (the last bin may be shorter if the window is not a whole number of bins; see `edges`). */
  binMs: number;
  /** Bin edges in ms, length bins + 1. */
  edges: Float64Array;
  /** Bin centres in ms. */
  t: Float64Array;
  /** Spikes per neuron per second in each bin. */
  rate: Float64Array;
  /** Set by {@link smoothRate}: the window applied. */
  smoothing?: { window: 'gaussian' | 'flat'; widthMs: number; samples: number };
}

/** Options of {@link populationRate}. */
export interface PopulationRateOptions {
  /** [t0, t1) in ms. */
  window: TimeWindow;
  /** Bin width in ms (> 0). Use the simulation dt to get Brian2's `PopulationRateMonitor.rate` resolution. */
  binMs: number;
}

/**
 * Population rate histogram: spikes of all neurons in each bin / (num × bin width in s).
 * Bins start at t0 and are `binMs` wide; if (t1 - t0) is not a multiple of `binMs`, the last bin ends at t1 and
 * its rate is divided by its own, shorter width.
 */
export function populationRate(spikes: SpikeTrains, opts: PopulationRateOptions): PopulationRate {
  checkSpikes('populationRate', 'spikes', spikes);
  if (!opts || typeof opts !== 'object') throw new TypeError('populationRate: opts must be { window, binMs }');
  checkWindow('populationRate', 'opts.window', opts.window);
  checkPositive('populationRate', 'opts.binMs', opts.binMs);
  const [t0, t1] = opts.window;
  const bin = opts.binMs;
  const nb = Math.max(1, Math.ceil((t1 - t0) / bin - EDGE_TOL));
  const edges = new Float64Array(nb + 1);
  for (let b = 0; b < nb; b++) edges[b] = t0 + b * bin;
  edges[nb] = t1;
  const counts = new Float64Array(nb);
  const tol = tolOf(opts.window);
  for (let k = 0; k < spikes.times.length; k++) {
    const t = spikes.times[k];
    if (!(t >= t0 - tol && t < t1 - tol)) continue;
    counts[Math.min(nb - 1, Math.max(0, Math.floor((t - t0) / bin + EDGE_TOL)))]++;
  }
  const t = new Float64Array(nb), rate = new Float64Array(nb);
  for (let b = 0; b < nb; b++) {
    const w = edges[b + 1] - edges[b];
    t[b] = (edges[b] + edges[b + 1]) / 2;
    rate[b] = counts[b] / (spikes.num * w / 1000);
  }
  return { binMs: bin, edges, t, rate };
}

/** Options of {@link smoothRate}. */
export interface SmoothOptions {
  /**
   * 'gaussian': standard deviation `widthMs`, truncated at ±2 `widthMs` (rounded to whole bins);
   * 'flat': a rectangle of floor(widthMs / 2 / binMs) × 2 + 1 bins, i.e. `widthMs` rounded down to an odd number of bins.
   * Both as Brian2's `smooth_rate`.
   */
  window: 'gaussian' | 'flat';
  /** Width in ms (> 0). */
  widthMs: number;
}

/** The normalised (sum 1), symmetric window of {@link smoothRate} for bins of `binMs`. */
export function smoothingWindow(opts: SmoothOptions, binMs: number): Float64Array {
  if (!opts || (opts.window !== 'gaussian' && opts.window !== 'flat'))
    throw new RangeError(`smoothRate: opts.window must be 'gaussian' or 'flat', got ${opts && JSON.stringify(opts.window)}`);
  checkPositive('smoothRate', 'opts.widthMs', opts.widthMs);
  checkPositive('smoothRate', 'binMs', binMs);
  let w: Float64Array;
  if (opts.window === 'gaussian') {
    const sigma = opts.widthMs / binMs; // in bins; only the extent is rounded, not sigma
    const half = Math.round(2 * sigma);
    w = new Float64Array(2 * half + 1);
    for (let k = -half; k <= half; k++) w[k + half] = Math.exp(-(k * k) / (2 * sigma * sigma));
  } else {
    const half = Math.floor(opts.widthMs / 2 / binMs + EDGE_TOL);
    w = new Float64Array(2 * half + 1).fill(1);
  }
  let s = 0;
  for (let k = 0; k < w.length; k++) s += w[k];
  for (let k = 0; k < w.length; k++) w[k] /= s;
  return w;
}

/**
 * Smooths a binned population rate by convolution with a Gaussian or rectangular window (sum 1), keeping the
 * length and the bin times. Outside the data the rate is taken as 0 (like numpy's `convolve(mode='same')`), so
 * the first and last half-window read low; cut them off or pass a wider analysis window.
 * `populationRate(spikes, { window, binMs: dt })` then `smoothRate(r, { window: 'flat', widthMs })` gives BrainPy's
 * `bp.measure.firing_rate(spikes, widthMs)` up to its normalisation (BrainPy divides by `widthMs`, this by the
 * window's actual length).
 * @param r a {@link PopulationRate} (uniform bins: the last bin must be whole)
 */
export function smoothRate(r: PopulationRate, opts: SmoothOptions): PopulationRate {
  if (!r || !r.rate || !r.edges) throw new TypeError('smoothRate: r must be a PopulationRate (from populationRate)');
  const n = r.rate.length;
  if (n === 0) throw new RangeError('smoothRate: r.rate is empty');
  checkPositive('smoothRate', 'r.binMs', r.binMs);
  const lastW = r.edges[n] - r.edges[n - 1];
  if (Math.abs(lastW - r.binMs) > EDGE_TOL * Math.max(1, r.binMs) * 1e3)
    throw new RangeError(`smoothRate: r has a partial last bin (${lastW} ms of ${r.binMs} ms); choose a window that is a whole number of bins`);
  for (let i = 0; i < n; i++) if (!Number.isFinite(r.rate[i])) throw new RangeError(`smoothRate: r.rate[${i}] is not finite: ${r.rate[i]}`);
  const w = smoothingWindow(opts, r.binMs);
  const half = (w.length - 1) / 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const k0 = Math.max(-half, -i), k1 = Math.min(half, n - 1 - i);
    for (let k = k0; k <= k1; k++) s += w[k + half] * r.rate[i + k];
    out[i] = s;
  }
  return { binMs: r.binMs, edges: r.edges.slice(), t: r.t.slice(), rate: out, smoothing: { window: opts.window, widthMs: opts.widthMs, samples: w.length } };
}
