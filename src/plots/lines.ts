/**
 * Line plots of sampled values: membrane potential traces of a few neurons, rates over time.
 *
 * Mapping: x = time over `xlim` → [plot left, plot right]; y = value over `ylim` → [plot bottom, plot top], both
 * linear. The plot area is the `rect class="frame"`. Each series is one `polyline class="trace"` with one point
 * per sample inside xlim, drawn in its colour; a legend with colour swatches names the series.
 */
import { frame, linearScale, title as titleEl, xAxis, xLabel, yAxis, yLabel } from './axes';
import { cornerNote, legendSVG } from './legend';
import { PALETTE, el, niceTicks, px, svgDocument, tickFormatter } from './svg';
import { traceOf } from '../analysis/histogram';
import type { Traces } from '../analysis/types';

/** One line: `values[k]` at time `t[k]` (ms). */
export interface LineSeries {
  label: string;
  t: ArrayLike<number>;
  values: ArrayLike<number>;
  color?: string;
}

/** Options of {@link lineplotSVG}. */
export interface LinePlotOptions {
  width?: number;
  height?: number;
  title?: string;
  /** Default "Time (ms)". */
  xlabel?: string;
  ylabel?: string;
  /** Time range in ms; samples outside are not drawn. Default: first to last sample. */
  xlim?: [number, number];
  /** Value range. Default: round ticks covering every drawn value. */
  ylim?: [number, number];
  /** Show the legend: default when there is more than one series. */
  legend?: boolean;
  /** A note in the plot's top-left corner (e.g. "bin 5 ms"), `class="note"`. */
  note?: string;
  /** Line width in px, default 1.25. */
  lineWidth?: number;
}

function checkSeries(fn: string, s: LineSeries[]): void {
  if (!Array.isArray(s) || s.length === 0) throw new RangeError(`${fn}: series is empty`);
  s.forEach((x, i) => {
    if (!x || !x.t || !x.values) throw new TypeError(`${fn}: series[${i}] must be { label, t, values }`);
    if (x.t.length !== x.values.length) throw new RangeError(`${fn}: series[${i}] ("${x.label}") has ${x.t.length} times but ${x.values.length} values`);
    if (x.t.length === 0) throw new RangeError(`${fn}: series[${i}] ("${x.label}") has no samples`);
    for (let k = 0; k < x.t.length; k++) {
      if (!Number.isFinite(x.t[k])) throw new RangeError(`${fn}: series[${i}] ("${x.label}").t[${k}] is not finite: ${x.t[k]}`);
      if (!Number.isFinite(x.values[k])) throw new RangeError(`${fn}: series[${i}] ("${x.label}").values[${k}] is not finite: ${x.values[k]}`);
    }
  });
}

/**
 * Line plot of one or more series as standalone SVG text.
 * @param series the lines, drawn in order (later on top)
 */
export function lineplotSVG(series: LineSeries[], opts: LinePlotOptions = {}): string {
  checkSeries('lineplotSVG', series);
  let t0: number, t1: number;
  if (opts.xlim) [t0, t1] = opts.xlim;
  else {
    t0 = Infinity; t1 = -Infinity;
    for (const s of series) for (let k = 0; k < s.t.length; k++) { t0 = Math.min(t0, s.t[k]); t1 = Math.max(t1, s.t[k]); }
    if (t1 === t0) t1 = t0 + 1;
  }
  if (!(Number.isFinite(t0) && Number.isFinite(t1) && t1 > t0)) throw new RangeError(`lineplotSVG: opts.xlim must be finite with t0 < t1, got [${t0}, ${t1}]`);
  const inX = (t: number) => t >= t0 && t <= t1;
  let v0: number, v1: number, yTicks: number[];
  if (opts.ylim) {
    [v0, v1] = opts.ylim;
    if (!(Number.isFinite(v0) && Number.isFinite(v1) && v1 > v0)) throw new RangeError(`lineplotSVG: opts.ylim must be finite with lo < hi, got [${v0}, ${v1}]`);
    yTicks = niceTicks(v0, v1, 6).filter((v) => v >= v0 - 1e-9 * (v1 - v0) && v <= v1 + 1e-9 * (v1 - v0));
  } else {
    let lo = Infinity, hi = -Infinity;
    for (const s of series) for (let k = 0; k < s.t.length; k++) if (inX(s.t[k])) { lo = Math.min(lo, s.values[k]); hi = Math.max(hi, s.values[k]); }
    if (lo === Infinity) throw new RangeError(`lineplotSVG: no sample inside opts.xlim [${t0}, ${t1}]`);
    yTicks = niceTicks(lo, hi, 6);
    v0 = yTicks[0]; v1 = yTicks[yTicks.length - 1];
  }

  const W = opts.width ?? 800, H = opts.height ?? 400;
  const ml = 72, mr = 20, mt = opts.title ? 40 : 16, mb = 50;
  const x0 = ml, x1 = W - mr, yTop = mt, yBot = H - mb;
  if (x1 - x0 < 20 || yBot - yTop < 20) throw new RangeError(`lineplotSVG: ${W}x${H} is too small`);
  const xs = linearScale(t0, t1, x0, x1);
  const ys = linearScale(v0, v1, yBot, yTop);
  const xt = niceTicks(t0, t1, Math.max(3, Math.round((x1 - x0) / 90))).filter((v) => v >= t0 - 1e-9 * (t1 - t0) && v <= t1 + 1e-9 * (t1 - t0));
  const xf = tickFormatter(niceTicks(t0, t1, Math.max(3, Math.round((x1 - x0) / 90))));
  const yf = tickFormatter(yTicks);

  // lines leaving ylim are cut at the frame rather than drawn over the axes
  const clipId = `clip-${Math.round(x0)}-${Math.round(yTop)}-${Math.round(W)}-${Math.round(H)}`;
  let body = el('defs', {}, el('clipPath', { id: clipId }, el('rect', { x: x0, y: yTop, width: x1 - x0, height: yBot - yTop })));
  if (opts.title) body += titleEl(opts.title, x0, x1, 26);
  for (const v of yTicks) body += el('line', { class: 'grid', x1: x0, y1: ys(v), x2: x1, y2: ys(v), stroke: '#eeeeee', 'stroke-width': 1 });
  let lines = '';
  series.forEach((s, i) => {
    const pts: string[] = [];
    for (let k = 0; k < s.t.length; k++) if (inX(s.t[k])) pts.push(`${px(xs(s.t[k]))},${px(ys(s.values[k]))}`);
    lines += el('polyline', {
      class: 'trace', 'data-label': s.label, points: pts.join(' '), fill: 'none',
      stroke: s.color ?? PALETTE[i % PALETTE.length], 'stroke-width': opts.lineWidth ?? 1.25, 'stroke-linejoin': 'round',
    });
  });
  body += '\n' + el('g', { class: 'traces', 'clip-path': `url(#${clipId})` }, lines);
  body += '\n' + frame(x0, yTop, x1 - x0, yBot - yTop);
  body += '\n' + xAxis(xs, xt.map((v) => ({ v, label: xf(v) })), yBot);
  body += '\n' + yAxis(ys, yTicks.map((v) => ({ v, label: yf(v) })), x0);
  if (opts.legend ?? series.length > 1)
    body += '\n' + legendSVG(series.map((s, i) => ({ label: s.label, color: s.color ?? PALETTE[i % PALETTE.length], shape: 'line' as const })), x1 - 6, yTop + 6);
  if (opts.note) body += '\n' + cornerNote(opts.note, x0, yTop, 'note', 'start');
  body += '\n' + xLabel(opts.xlabel ?? 'Time (ms)', x0, x1, H - 12);
  if (opts.ylabel) body += '\n' + yLabel(opts.ylabel, 18, yTop, yBot);
  return svgDocument(W, H, body);
}

/** Options of {@link tracesSVG}. */
export interface TracesOptions extends LinePlotOptions {
  /** Neurons to draw (indices in the group, as recorded). Default: the first `maxTraces` recorded columns. */
  neurons?: number[];
  /** Most traces drawn when `neurons` is not given (default 8); the figure says how many were left out. */
  maxTraces?: number;
  /** Legend label of a neuron; default `#<index>`. */
  label?: (neuron: number) => string;
}

/**
 * Traces of a value monitor (`{ data, ts, width, indices }`, e.g. `res.monitors['E.V']`), one line per neuron.
 */
export function tracesSVG(traces: Traces, opts: TracesOptions = {}): string {
  if (!traces || !traces.data || !traces.ts) throw new TypeError('tracesSVG: traces must be value monitor data { data, ts, width, indices }');
  if (traces.ts.length === 0) throw new RangeError('tracesSVG: traces has no records (was the run 0 steps long?)');
  const recorded = traces.indices ? Array.from(traces.indices) : Array.from({ length: traces.width }, (_, j) => j);
  const max = opts.maxTraces ?? 8;
  if (!(Number.isInteger(max) && max > 0)) throw new RangeError(`tracesSVG: opts.maxTraces must be a positive integer, got ${max}`);
  const neurons = opts.neurons ?? recorded.slice(0, max);
  if (neurons.length === 0) throw new RangeError('tracesSVG: opts.neurons is empty');
  const label = opts.label ?? ((i: number) => `#${i}`);
  const series = neurons.map((n) => ({ label: label(n), t: traces.ts, values: traceOf(traces, n) }));
  const note = opts.note ?? (!opts.neurons && recorded.length > max ? `showing ${max} of ${recorded.length} traces` : undefined);
  return lineplotSVG(series, { ...opts, note });
}
