/**
 * Histograms as SVG: a generic one over given bins, and ISI, firing-rate and population-rate (PSTH) histograms
 * computed from spike data with the analysis functions.
 *
 * Mapping: x = value over the bins' span (or `xlim`) → [plot left, plot right]; y = bar height from 0 (plot bottom)
 * to round ticks covering the tallest bar (plot top). Bar b of a series is a `rect class="bar"` with `data-label`,
 * spanning [edges[b], edges[b+1]) horizontally and from 0 to its height vertically. The bin width is written on
 * the figure (`class="bin-note"`).
 */
import { frame, linearScale, title as titleEl, xAxis, xLabel, yAxis, yLabel } from './axes';
import { cornerNote, legendSVG } from './legend';
import { PALETTE, el, fmtNum, niceTicks, px, svgDocument, tickFormatter } from './svg';
import { histogram } from '../analysis/histogram';
import { interSpikeIntervals } from '../analysis/isi';
import { firingRates, populationRate, smoothRate, type SmoothOptions } from '../analysis/rates';
import type { SpikeTrains, TimeWindow } from '../analysis/types';
import type { LineSeries } from './lines';

/** One histogram: `heights[b]` over [edges[b], edges[b+1]). */
export interface HistogramSeries {
  label: string;
  edges: ArrayLike<number>;
  heights: ArrayLike<number>;
  color?: string;
}

/** Options of {@link histogramSVG}. */
export interface HistogramPlotOptions {
  width?: number;
  height?: number;
  title?: string;
  xlabel?: string;
  /** Default "Count". */
  ylabel?: string;
  /** x range; default the span of all bins. */
  xlim?: [number, number];
  /** Unit appended to the bin width in the bin note, e.g. "ms". */
  unit?: string;
  /** Replaces the bin note (default "bin <width> <unit>"). */
  binNote?: string;
  /** Lines drawn over the bars (e.g. a smoothed rate), in data coordinates; they join the legend. */
  overlay?: LineSeries[];
  /** Show the legend: default when there is more than one series or an overlay. */
  legend?: boolean;
}

function checkHist(fn: string, s: HistogramSeries[]): void {
  if (!Array.isArray(s) || s.length === 0) throw new RangeError(`${fn}: series is empty`);
  s.forEach((h, i) => {
    if (!h || !h.edges || !h.heights) throw new TypeError(`${fn}: series[${i}] must be { label, edges, heights }`);
    if (h.heights.length === 0) throw new RangeError(`${fn}: series[${i}] ("${h.label}") has no bins`);
    if (h.edges.length !== h.heights.length + 1) throw new RangeError(`${fn}: series[${i}] ("${h.label}") has ${h.heights.length} heights but ${h.edges.length} edges (need heights + 1)`);
    for (let b = 0; b < h.edges.length; b++) {
      if (!Number.isFinite(h.edges[b])) throw new RangeError(`${fn}: series[${i}] ("${h.label}").edges[${b}] is not finite: ${h.edges[b]}`);
      if (b > 0 && !(h.edges[b] > h.edges[b - 1])) throw new RangeError(`${fn}: series[${i}] ("${h.label}").edges must increase; edges[${b}] = ${h.edges[b]}`);
    }
    for (let b = 0; b < h.heights.length; b++)
      if (!(Number.isFinite(h.heights[b]) && h.heights[b] >= 0)) throw new RangeError(`${fn}: series[${i}] ("${h.label}").heights[${b}] must be finite and >= 0, got ${h.heights[b]}`);
  });
}

/** Bin width of a series (its first bin), used in the bin note. */
function widthOf(h: HistogramSeries): number {
  return h.edges[1] - h.edges[0];
}

/**
 * Bar histogram of one or more series over their own bins; series after the first are drawn translucent on top.
 */
export function histogramSVG(series: HistogramSeries[], opts: HistogramPlotOptions = {}): string {
  checkHist('histogramSVG', series);
  let lo = Infinity, hi = -Infinity, top = 0;
  for (const h of series) {
    lo = Math.min(lo, h.edges[0]); hi = Math.max(hi, h.edges[h.edges.length - 1]);
    for (let b = 0; b < h.heights.length; b++) top = Math.max(top, h.heights[b]);
  }
  for (const l of opts.overlay ?? []) for (let k = 0; k < l.values.length; k++) if (Number.isFinite(l.values[k])) top = Math.max(top, l.values[k]);
  const [x0v, x1v] = opts.xlim ?? [lo, hi];
  if (!(Number.isFinite(x0v) && Number.isFinite(x1v) && x1v > x0v)) throw new RangeError(`histogramSVG: opts.xlim must be finite with lo < hi, got [${x0v}, ${x1v}]`);

  const W = opts.width ?? 640, H = opts.height ?? 400;
  const ml = 72, mr = 20, mt = opts.title ? 40 : 16, mb = 50;
  const x0 = ml, x1 = W - mr, yTop = mt, yBot = H - mb;
  if (x1 - x0 < 20 || yBot - yTop < 20) throw new RangeError(`histogramSVG: ${W}x${H} is too small`);
  const xs = linearScale(x0v, x1v, x0, x1);
  const yt = niceTicks(0, top > 0 ? top : 1, Math.max(3, Math.floor((yBot - yTop) / 50)));
  const ys = linearScale(0, yt[yt.length - 1], yBot, yTop);
  const allX = niceTicks(x0v, x1v, Math.max(3, Math.round((x1 - x0) / 80)));
  const xt = allX.filter((v) => v >= x0v - 1e-9 * (x1v - x0v) && v <= x1v + 1e-9 * (x1v - x0v));
  const xf = tickFormatter(allX), yf = tickFormatter(yt);
  const colors = series.map((h, i) => h.color ?? PALETTE[i % PALETTE.length]);
  const opacity = series.length > 1 ? 0.55 : 1;

  const clipId = `clip-h-${Math.round(W)}-${Math.round(H)}`;
  let body = el('defs', {}, el('clipPath', { id: clipId }, el('rect', { x: x0, y: yTop, width: x1 - x0, height: yBot - yTop })));
  if (opts.title) body += titleEl(opts.title, x0, x1, 26);
  for (const v of yt) body += el('line', { class: 'grid', x1: x0, y1: ys(v), x2: x1, y2: ys(v), stroke: '#eeeeee', 'stroke-width': 1 });
  let bars = '';
  series.forEach((h, i) => {
    let s = '';
    for (let b = 0; b < h.heights.length; b++) {
      const xa = xs(h.edges[b]), xb = xs(h.edges[b + 1]), y = ys(h.heights[b]);
      s += el('rect', { class: 'bar', 'data-label': h.label, x: xa, y, width: xb - xa, height: yBot - y });
    }
    bars += el('g', { class: 'bars', 'data-label': h.label, fill: colors[i], 'fill-opacity': opacity < 1 ? opacity : undefined, stroke: '#ffffff', 'stroke-width': h.heights.length > 150 ? 0 : 0.5 }, s);
  });
  let lines = '';
  (opts.overlay ?? []).forEach((l) => {
    const pts: string[] = [];
    for (let k = 0; k < l.t.length; k++) pts.push(`${px(xs(l.t[k]))},${px(ys(l.values[k]))}`);
    lines += el('polyline', { class: 'overlay', 'data-label': l.label, points: pts.join(' '), fill: 'none', stroke: l.color ?? '#000000', 'stroke-width': 1.5, 'stroke-linejoin': 'round' });
  });
  body += '\n' + el('g', { 'clip-path': `url(#${clipId})` }, bars + lines);
  body += '\n' + frame(x0, yTop, x1 - x0, yBot - yTop);
  body += '\n' + xAxis(xs, xt.map((v) => ({ v, label: xf(v) })), yBot);
  body += '\n' + yAxis(ys, yt.map((v) => ({ v, label: yf(v) })), x0);
  const unit = opts.unit ? ' ' + opts.unit : '';
  const widths = series.map(widthOf);
  const note = opts.binNote ?? (widths.every((w) => Math.abs(w - widths[0]) <= 1e-9 * Math.abs(widths[0]))
    ? `bin ${fmtNum(widths[0])}${unit}`
    : 'bins: ' + series.map((h, i) => `${h.label} ${fmtNum(widths[i])}${unit}`).join(', '));
  body += '\n' + cornerNote(note, x0, yTop, 'bin-note', 'start');
  const overlay = opts.overlay ?? [];
  if (opts.legend ?? (series.length > 1 || overlay.length > 0))
    body += '\n' + legendSVG([
      ...series.map((h, i) => ({ label: h.label, color: colors[i], opacity: opacity < 1 ? opacity : undefined })),
      ...overlay.map((l) => ({ label: l.label, color: l.color ?? '#000000', shape: 'line' as const })),
    ], x1 - 6, yTop + 6);
  if (opts.xlabel) body += '\n' + xLabel(opts.xlabel, x0, x1, H - 12);
  body += '\n' + yLabel(opts.ylabel ?? 'Count', 18, yTop, yBot);
  return svgDocument(W, H, body);
}

/** A labelled spike source for the spike-data histograms. */
export interface SpikePanel {
  label: string;
  spikes: SpikeTrains;
  color?: string;
}

/** Common options of the spike-data histograms. */
export type SpikeHistogramOptions = Omit<HistogramPlotOptions, 'overlay' | 'unit'>;

function checkPanels(fn: string, panels: SpikePanel[]): void {
  if (!Array.isArray(panels) || panels.length === 0) throw new RangeError(`${fn}: panels is empty`);
  panels.forEach((p, i) => { if (!p || !p.spikes) throw new TypeError(`${fn}: panels[${i}] must be { label, spikes }`); });
}

/**
 * Histogram of inter-spike intervals (ms), all neurons of a group pooled, one series per group.
 * @param opts.binMs bin width in ms; opts.maxIsiMs: right end of the range (default: the longest interval)
 */
export function isiHistogramSVG(panels: SpikePanel[], opts: SpikeHistogramOptions & { binMs: number; window?: TimeWindow; maxIsiMs?: number }): string {
  checkPanels('isiHistogramSVG', panels);
  if (!(Number.isFinite(opts?.binMs) && opts.binMs > 0)) throw new RangeError(`isiHistogramSVG: opts.binMs must be a finite number > 0, got ${opts?.binMs}`);
  const pooled = panels.map((p) => {
    const d = interSpikeIntervals(p.spikes, opts.window);
    const all = new Float64Array(d.reduce((a, x) => a + x.length, 0));
    let o = 0;
    for (const x of d) { all.set(x, o); o += x.length; }
    return all;
  });
  const longest = Math.max(...pooled.map((a) => a.reduce((m, v) => Math.max(m, v), 0)));
  if (pooled.every((a) => a.length === 0)) throw new RangeError('isiHistogramSVG: no neuron has 2 spikes, so there is no interval to plot');
  const hi = opts.maxIsiMs ?? longest;
  if (!(Number.isFinite(hi) && hi > 0)) throw new RangeError(`isiHistogramSVG: opts.maxIsiMs must be a finite number > 0, got ${hi}`);
  const series = panels.map((p, i) => {
    const h = histogram(pooled[i], { binWidth: opts.binMs, range: [0, hi] });
    return { label: p.label, color: p.color, edges: h.edges, heights: h.counts };
  });
  return histogramSVG(series, { xlabel: 'Inter-spike interval (ms)', ylabel: 'Intervals', ...opts, unit: 'ms' });
}

/**
 * Histogram of per-neuron firing rates (Hz) over `window`: how many neurons fire at each rate.
 * @param opts.binHz bin width in Hz
 */
export function rateHistogramSVG(panels: SpikePanel[], opts: SpikeHistogramOptions & { window: TimeWindow; binHz: number }): string {
  checkPanels('rateHistogramSVG', panels);
  if (!(Number.isFinite(opts?.binHz) && opts.binHz > 0)) throw new RangeError(`rateHistogramSVG: opts.binHz must be a finite number > 0, got ${opts?.binHz}`);
  const rates = panels.map((p) => firingRates(p.spikes, opts.window));
  const top = Math.max(...rates.map((r) => r.reduce((m, v) => Math.max(m, v), 0)));
  const series = panels.map((p, i) => {
    const h = histogram(rates[i], { binWidth: opts.binHz, range: [0, top > 0 ? top : opts.binHz] });
    return { label: p.label, color: p.color, edges: h.edges, heights: h.counts };
  });
  return histogramSVG(series, { xlabel: 'Firing rate (Hz)', ylabel: 'Neurons', ...opts, unit: 'Hz' });
}

/**
 * Population rate over time as a histogram (PSTH): spikes per neuron per second in bins of `binMs`, one series
 * per group, optionally with the smoothed rate drawn over the bars.
 * @param opts.smooth a Gaussian or flat window applied to the binned rate (see `smoothRate`)
 */
export function populationRateSVG(panels: SpikePanel[], opts: SpikeHistogramOptions & { window: TimeWindow; binMs: number; smooth?: SmoothOptions }): string {
  checkPanels('populationRateSVG', panels);
  const rates = panels.map((p) => populationRate(p.spikes, { window: opts?.window, binMs: opts?.binMs }));
  const series = panels.map((p, i) => ({ label: p.label, color: p.color, edges: rates[i].edges, heights: rates[i].rate }));
  let overlay: LineSeries[] | undefined;
  let binNote = `bin ${fmtNum(opts.binMs)} ms`;
  if (opts.smooth) {
    overlay = panels.map((p, i) => {
      const s = smoothRate(rates[i], opts.smooth!);
      return { label: `${p.label} smoothed`, t: s.t, values: s.rate, color: panels.length > 1 ? (p.color ?? PALETTE[i % PALETTE.length]) : '#000000' };
    });
    binNote += `, ${opts.smooth.window === 'gaussian' ? 'Gaussian σ' : 'flat window'} ${fmtNum(opts.smooth.widthMs)} ms`;
  }
  return histogramSVG(series, { xlabel: 'Time (ms)', ylabel: 'Rate (Hz)', binNote, ...opts, overlay, xlim: opts.xlim ?? [opts.window[0], opts.window[1]] });
}
