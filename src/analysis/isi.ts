/**
 * Inter-spike intervals, their coefficient of variation, and the Fano factor of spike counts.
 * CV and Fano factor use the population variance (divide by n), as elephant's `cv` (scipy.stats.variation)
 * and `fanofactor` (numpy.var) do (https://elephant.readthedocs.io/en/latest/reference/statistics.html).
 */
import { checkPositive, checkSpikes, checkWindow } from './check';
import type { SpikeTrains, TimeWindow } from './types';

/**
 * Spike times grouped by neuron, each sorted ascending.
 * @param window optional [t0, t1) in ms; default: every spike
 * @returns `num` arrays of times (ms)
 */
export function spikeTrainsOf(spikes: SpikeTrains, window?: TimeWindow): Float64Array[] {
  checkSpikes('spikeTrainsOf', 'spikes', spikes);
  if (window !== undefined) checkWindow('spikeTrainsOf', 'window', window);
  return group(spikes, window);
}

function group(s: SpikeTrains, w?: TimeWindow): Float64Array[] {
  const tol = w ? 1e-9 * Math.max(1, Math.abs(w[0]), Math.abs(w[1])) : 0;
  const lo = w ? w[0] - tol : -Infinity, hi = w ? w[1] - tol : Infinity;
  const n = new Int32Array(s.num);
  for (let k = 0; k < s.times.length; k++) if (s.times[k] >= lo && s.times[k] < hi) n[s.indices[k]]++;
  const out = Array.from(n, (c) => new Float64Array(c));
  const fill = new Int32Array(s.num);
  let sorted = true;
  for (let k = 0; k < s.times.length; k++) {
    const t = s.times[k];
    if (!(t >= lo && t < hi)) continue;
    const i = s.indices[k];
    if (fill[i] > 0 && out[i][fill[i] - 1] > t) sorted = false;
    out[i][fill[i]++] = t;
  }
  // monitors emit events in time order; hand-made data may not be
  if (!sorted) for (const a of out) a.sort();
  return out;
}

/**
 * Inter-spike intervals of each neuron (ms): differences of its consecutive spike times.
 * A neuron with fewer than 2 spikes gets an empty array.
 * @param window optional [t0, t1) in ms; only spikes inside count
 */
export function interSpikeIntervals(spikes: SpikeTrains, window?: TimeWindow): Float64Array[] {
  checkSpikes('interSpikeIntervals', 'spikes', spikes);
  if (window !== undefined) checkWindow('interSpikeIntervals', 'window', window);
  return group(spikes, window).map((tr) => {
    const d = new Float64Array(Math.max(0, tr.length - 1));
    for (let k = 1; k < tr.length; k++) d[k - 1] = tr[k] - tr[k - 1];
    return d;
  });
}

/** Result of {@link isiStats}. Neurons without enough spikes get NaN and are counted, never dropped silently. */
export interface IsiStats {
  /** Per neuron: std(ISI) / mean(ISI); NaN for neurons with fewer than `minSpikes` spikes. */
  cv: Float64Array;
  /** Per neuron: mean ISI in ms; NaN for neurons with fewer than 2 spikes. */
  meanISI: Float64Array;
  /** Mean of the defined per-neuron CVs; NaN if none is defined. */
  meanCV: number;
  /** CV of all intervals of all neurons pooled into one distribution; NaN with fewer than 2 intervals. */
  pooledCV: number;
  /** Intervals in the pool. */
  intervals: number;
  /** Neurons with a CV (at least `minSpikes` spikes). */
  defined: number;
  /** Neurons with no spike. */
  silent: number;
  /** Neurons with exactly one spike (no interval). */
  single: number;
  /** Neurons with at least 2 spikes but fewer than `minSpikes`. */
  tooFew: number;
  /** The threshold used. */
  minSpikes: number;
}

/** Options of {@link isiStats}. */
export interface IsiOptions {
  /** [t0, t1) in ms; default every spike. */
  window?: TimeWindow;
  /**
   * Spikes a neuron needs for a CV (integer >= 2). Default 3: with one interval the standard deviation is 0 and
   * CV = 0 says nothing about regularity.
   */
  minSpikes?: number;
}

function cvOf(sum: number, sum2: number, n: number): number {
  const mean = sum / n;
  const v = Math.max(0, sum2 / n - mean * mean);
  return Math.sqrt(v) / mean;
}

/**
 * ISI statistics per neuron and pooled: CV of each neuron's intervals, their mean, and the CV of the pooled
 * intervals. A Poisson train has CV ≈ 1, a regular one CV ≈ 0.
 */
export function isiStats(spikes: SpikeTrains, opts: IsiOptions = {}): IsiStats {
  checkSpikes('isiStats', 'spikes', spikes);
  if (opts.window !== undefined) checkWindow('isiStats', 'opts.window', opts.window);
  const minSpikes = opts.minSpikes ?? 3;
  if (!(Number.isInteger(minSpikes) && minSpikes >= 2)) throw new RangeError(`isiStats: opts.minSpikes must be an integer >= 2, got ${minSpikes}`);
  const trains = group(spikes, opts.window);
  const cv = new Float64Array(spikes.num).fill(NaN);
  const meanISI = new Float64Array(spikes.num).fill(NaN);
  let ps = 0, ps2 = 0, pn = 0, cvSum = 0, defined = 0, silent = 0, single = 0, tooFew = 0;
  trains.forEach((tr, i) => {
    if (tr.length === 0) { silent++; return; }
    if (tr.length === 1) { single++; return; }
    let s = 0, s2 = 0;
    for (let k = 1; k < tr.length; k++) { const d = tr[k] - tr[k - 1]; s += d; s2 += d * d; }
    const n = tr.length - 1;
    meanISI[i] = s / n;
    ps += s; ps2 += s2; pn += n;
    if (tr.length < minSpikes) { tooFew++; return; }
    cv[i] = cvOf(s, s2, n);
    cvSum += cv[i]; defined++;
  });
  return {
    cv, meanISI, meanCV: defined ? cvSum / defined : NaN, pooledCV: pn >= 2 ? cvOf(ps, ps2, pn) : NaN,
    intervals: pn, defined, silent, single, tooFew, minSpikes,
  };
}

/** Result of {@link fanoFactor}. */
export interface FanoResult {
  /** Per neuron: variance / mean of its counts over the windows; NaN for a neuron with no spike in any window. */
  perNeuron: Float64Array;
  /** Mean of the defined per-neuron values; NaN if none. */
  meanPerNeuron: number;
  /** Fano factor of the population count (all neurons summed) per window; NaN if the population is silent. */
  population: number;
  /** Counting windows used: floor((t1 - t0) / binMs); spikes after the last whole window are ignored. */
  windows: number;
  binMs: number;
}

/** Options of {@link fanoFactor}. */
export interface FanoOptions {
  /** [t0, t1) in ms, cut into consecutive counting windows. */
  window: TimeWindow;
  /** Counting window width in ms (> 0); at least 2 windows must fit. */
  binMs: number;
  /** Delta degrees of freedom of the variance: 0 (default, as elephant) or 1 (unbiased). */
  ddof?: 0 | 1;
}

/**
 * Fano factor of spike counts in consecutive windows of `binMs`: variance / mean over windows, per neuron and
 * for the summed population count. Poisson firing gives ≈ 1 (with ddof 1, exactly 1 in expectation).
 */
export function fanoFactor(spikes: SpikeTrains, opts: FanoOptions): FanoResult {
  checkSpikes('fanoFactor', 'spikes', spikes);
  if (!opts || typeof opts !== 'object') throw new TypeError('fanoFactor: opts must be { window, binMs }');
  checkWindow('fanoFactor', 'opts.window', opts.window);
  checkPositive('fanoFactor', 'opts.binMs', opts.binMs);
  const ddof = opts.ddof ?? 0;
  if (ddof !== 0 && ddof !== 1) throw new RangeError(`fanoFactor: opts.ddof must be 0 or 1, got ${ddof}`);
  const [t0, t1] = opts.window;
  const bin = opts.binMs;
  const nw = Math.floor((t1 - t0) / bin + 1e-9);
  if (nw < 2) throw new RangeError(`fanoFactor: opts.binMs = ${bin} leaves ${nw} counting window(s) in [${t0}, ${t1}); need at least 2`);
  const tEnd = t0 + nw * bin;
  // Per neuron from its sorted spikes: the count of a window is the length of a run of spikes in that window,
  // so Σc and Σc² need O(spikes) time and no neurons × windows table.
  const trains = group(spikes, [t0, tEnd]);
  const windowOf = (t: number) => Math.min(nw - 1, Math.max(0, Math.floor((t - t0) / bin + 1e-9)));
  const ff = (s1: number, s2: number): number => {
    if (s1 === 0) return NaN;
    const m = s1 / nw;
    return Math.max(0, s2 - nw * m * m) / (nw - ddof) / m;
  };
  const pop = new Float64Array(nw);
  const perNeuron = new Float64Array(spikes.num);
  let sum = 0, def = 0;
  trains.forEach((tr, i) => {
    let s2 = 0, run = 0, prev = -1;
    for (let k = 0; k < tr.length; k++) {
      const w = windowOf(tr[k]);
      pop[w]++;
      if (w !== prev) { s2 += run * run; run = 0; prev = w; }
      run++;
    }
    s2 += run * run;
    perNeuron[i] = ff(tr.length, s2);
    if (!Number.isNaN(perNeuron[i])) { sum += perNeuron[i]; def++; }
  });
  let p1 = 0, p2 = 0;
  for (let w = 0; w < nw; w++) { p1 += pop[w]; p2 += pop[w] * pop[w]; }
  return { perNeuron, meanPerNeuron: def ? sum / def : NaN, population: ff(p1, p2), windows: nw, binMs: bin };
}
