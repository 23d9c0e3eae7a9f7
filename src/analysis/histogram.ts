/** Histograms of values (ISIs, rates) and access to monitored traces. */
import { checkPositive } from './check';
import type { Traces } from './types';

/** Counts per bin: `counts[b]` values fell in [edges[b], edges[b+1]) (the last bin also holds its right edge). */
export interface Histogram {
  edges: Float64Array;
  counts: Float64Array;
  /** Bin width (all bins are this wide). */
  binWidth: number;
}

/** Options of {@link histogram}. */
export interface HistogramOptions {
  /** Bin width (> 0), in the values' unit. */
  binWidth: number;
  /**
   * `[lo, hi]`: bins start at lo and cover hi (the last bin may reach past hi to stay `binWidth` wide); values
   * outside are not counted. Default: from floor(min / binWidth) × binWidth to past the largest value.
   */
  range?: readonly [number, number];
}

/**
 * Histogram with equal bins of `binWidth`.
 * @param values finite numbers; empty is allowed only with an explicit `range`
 */
export function histogram(values: ArrayLike<number>, opts: HistogramOptions): Histogram {
  if (!values || typeof values.length !== 'number') throw new TypeError('histogram: values must be an array of numbers');
  if (!opts || typeof opts !== 'object') throw new TypeError('histogram: opts must be { binWidth, range? }');
  checkPositive('histogram', 'opts.binWidth', opts.binWidth);
  const w = opts.binWidth;
  let lo: number, hi: number;
  for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) throw new RangeError(`histogram: values[${k}] is not finite: ${values[k]}`);
  if (opts.range) {
    [lo, hi] = opts.range;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) throw new RangeError(`histogram: opts.range must be finite with lo < hi, got [${lo}, ${hi}]`);
  } else {
    if (values.length === 0) throw new RangeError('histogram: values is empty; pass opts.range to get empty bins');
    let mn = Infinity, mx = -Infinity;
    for (let k = 0; k < values.length; k++) { mn = Math.min(mn, values[k]); mx = Math.max(mx, values[k]); }
    lo = Math.floor(mn / w + 1e-9) * w;
    hi = mx;
  }
  // with a range, a value exactly at hi joins the last bin (numpy's convention); without one, the largest
  // value must fall inside a half-open bin, so there is one bin past floor((max - lo) / w)
  const nb = opts.range ? Math.max(1, Math.ceil((hi - lo) / w - 1e-9)) : Math.floor((hi - lo) / w + 1e-9) + 1;
  const edges = new Float64Array(nb + 1);
  for (let b = 0; b <= nb; b++) edges[b] = lo + b * w;
  const counts = new Float64Array(nb);
  const top = edges[nb];
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v < lo || v > (opts.range ? hi : top)) continue;
    counts[Math.min(nb - 1, Math.floor((v - lo) / w + 1e-9))]++;
  }
  return { edges, counts, binWidth: w };
}

/**
 * The trace of one neuron from a value monitor (`{ data, ts, width, indices }`), as a copy.
 * @param neuron the neuron's index in its group (looked up in `traces.indices` when the monitor recorded a subset)
 */
export function traceOf(traces: Traces, neuron: number): Float64Array {
  if (!traces || !traces.data || !traces.ts) throw new TypeError('traceOf: traces must be value monitor data { data, ts, width, indices }');
  const { width } = traces;
  if (!(Number.isInteger(width) && width > 0)) throw new RangeError(`traceOf: traces.width must be a positive integer, got ${width}`);
  const rows = traces.ts.length;
  if (traces.data.length !== rows * width) throw new RangeError(`traceOf: traces.data has ${traces.data.length} values, ts × width needs ${rows * width}`);
  let col = -1;
  if (traces.indices) {
    for (let j = 0; j < traces.indices.length; j++) if (traces.indices[j] === neuron) { col = j; break; }
  } else if (Number.isInteger(neuron) && neuron >= 0 && neuron < width) col = neuron;
  if (col < 0) throw new RangeError(`traceOf: neuron ${neuron} was not recorded (recorded: ${traces.indices ? Array.from(traces.indices).join(', ') : `0..${width - 1}`})`);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = traces.data[r * width + col];
  return out;
}
