/**
 * Spike raster plot as standalone SVG text.
 *
 * Mapping (read back by the tests through the drawn tick labels):
 *   x: time t (ms) -> linear over `xlim`;
 *   y: neuron index i of a group with `num` neurons -> data value i + 0.5 on an axis from 0 (bottom) to num (top),
 *      so each neuron owns one row of height panelHeight / num.
 * Marks: `rect` mode draws one <rect> per spike centred on (x, y); `path` mode draws one `M x y h w` segment
 * per spike (starting w/2 left of x) inside one <path> per panel, which keeps 100k+-spike files small.
 * Subsampling (`maxNeurons`, `maxSpikes`) is deterministic and stated on the figure; the rate panel always counts
 * every spike.
 */
import { frame, linearScale, title as titleEl, xAxis, xLabel, yAxis, yLabel } from './axes';
import { PALETTE, el, fmtNum, niceTicks, px, svgDocument, text, textWidth, tickFormatter } from './svg';
import { cornerNote, legendSVG } from './legend';
import { populationRate } from '../analysis/rates';

/** One group of the raster: its spikes (a spike monitor result works as is) and a label. */
export interface RasterPanel {
  label: string;
  /** Spike times in ms. */
  times: ArrayLike<number>;
  /** Neuron index of each spike, 0 <= index < num. */
  indices: ArrayLike<number>;
  /** Number of neurons in the group. */
  num: number;
  color?: string;
}

/** Options of {@link rasterSVG}. */
export interface RasterOptions {
  width?: number;
  height?: number;
  title?: string;
  /** Time window in ms; spikes outside it are not drawn. Default [min(0, first spike), last spike]. */
  xlim?: [number, number];
  /** Default "Time (ms)". */
  xlabel?: string;
  /** Default "Neuron index". */
  ylabel?: string;
  /** Bin width (ms) of an optional population-rate panel (Hz, one line per group, every spike in [t0, t1) of xlim) under the raster. */
  rateBinMs?: number;
  /** 'rect': one <rect> per spike; 'path': one path segment per spike; 'auto' (default): path above `pathThreshold` spikes. */
  marks?: 'auto' | 'rect' | 'path';
  /** Total drawn spikes above which 'auto' switches to path marks. Default 10000. */
  pathThreshold?: number;
  /** Mark width in px. Default 2. */
  markWidth?: number;
  /**
   * Draw at most this many neurons of each panel: neurons floor(j × num / maxNeurons) for j = 0 .. maxNeurons - 1,
   * evenly spread over the group and drawn at their own rows. Default: all.
   */
  maxNeurons?: number;
  /**
   * Draw at most this many spikes in all (after `maxNeurons`): evenly spaced in the order given, which for monitor
   * data is time order, so every part of the run keeps the same share. Default: all.
   */
  maxSpikes?: number;
}

/** Minimum share of the raster height each panel gets. */
const MIN_FRACTION = 0.15;

/** Height shares proportional to `nums`, each at least MIN_FRACTION (equal shares if that is impossible). */
export function panelFractions(nums: number[], min = MIN_FRACTION): number[] {
  const n = nums.length;
  if (n === 0) return [];
  if (n * min >= 1) return nums.map(() => 1 / n);
  const fixed = new Array<boolean>(n).fill(false);
  for (;;) {
    const nFixed = fixed.filter(Boolean).length;
    const free = 1 - nFixed * min;
    const restSum = nums.reduce((a, v, i) => (fixed[i] ? a : a + v), 0);
    const f = nums.map((v, i) => (fixed[i] ? min : (free * v) / restSum));
    let changed = false;
    f.forEach((v, i) => {
      if (!fixed[i] && v < min) {
        fixed[i] = true;
        changed = true;
      }
    });
    if (!changed) return f;
  }
}

function checkPanel(p: RasterPanel): void {
  if (!(Number.isInteger(p.num) && p.num > 0)) throw new RangeError(`rasterSVG: panel "${p.label}" needs a positive integer num, got ${p.num}`);
  if (p.times.length !== p.indices.length)
    throw new RangeError(`rasterSVG: panel "${p.label}" has ${p.times.length} times but ${p.indices.length} indices`);
  for (let k = 0; k < p.indices.length; k++) {
    if (!Number.isFinite(p.times[k])) throw new RangeError(`rasterSVG: panel "${p.label}" spike ${k} has time ${p.times[k]}`);
    const i = p.indices[k];
    if (!(Number.isInteger(i) && i >= 0 && i < p.num))
      throw new RangeError(`rasterSVG: panel "${p.label}" spike ${k} has index ${i} outside [0, ${p.num})`);
  }
}

function defaultXlim(panels: RasterPanel[]): [number, number] {
  let lo = 0;
  let hi = -Infinity;
  for (const p of panels)
    for (let k = 0; k < p.times.length; k++) {
      const t = p.times[k];
      if (!Number.isFinite(t)) continue;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  if (!(hi > lo)) hi = lo + 1;
  return [lo, hi];
}

/**
 * Ticks for an axis with fixed limits [lo, hi]: the `niceTicks` that fall inside, asking for more ticks
 * until at least two are inside. Returns the ticks and their label formatter.
 */
function ticksWithin(lo: number, hi: number, n: number): { ticks: number[]; fmt: (v: number) => string } {
  const eps = (hi - lo) * 1e-9;
  for (let m = Math.max(2, n); ; m++) {
    const all = niceTicks(lo, hi, m);
    const ticks = all.filter((v) => v >= lo - eps && v <= hi + eps);
    if (ticks.length >= 2 || m >= n + 8) return { ticks, fmt: tickFormatter(all) };
  }
}

/**
 * Spike raster of one or more groups, stacked, with an optional population-rate panel underneath.
 * @param panels one per group: `{ label, times, indices, num }` (a spike monitor result plus a label)
 */
export function rasterSVG(panels: RasterPanel[], opts: RasterOptions = {}): string {
  if (panels.length === 0) throw new RangeError('rasterSVG: no panels');
  panels.forEach(checkPanel);
  const [t0, t1] = opts.xlim ?? defaultXlim(panels);
  if (!(Number.isFinite(t0) && Number.isFinite(t1) && t1 > t0)) throw new RangeError(`rasterSVG: bad xlim [${t0}, ${t1}]`);
  const hasRate = opts.rateBinMs !== undefined;
  if (hasRate && !(opts.rateBinMs! > 0 && Number.isFinite(opts.rateBinMs))) throw new RangeError(`rasterSVG: opts.rateBinMs must be a finite number > 0, got ${opts.rateBinMs}`);
  for (const k of ['maxNeurons', 'maxSpikes'] as const) {
    const v = opts[k];
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new RangeError(`rasterSVG: opts.${k} must be a positive integer, got ${v}`);
  }

  const W = opts.width ?? 800;
  const H = opts.height ?? (hasRate ? 600 : 480);
  const ml = 84;
  const mr = 20;
  const mt = opts.title ? 40 : 16;
  const mb = 50;
  const gap = 12;
  const x0 = ml;
  const x1 = W - mr;
  const plotH = H - mt - mb;
  const rateH = hasRate ? Math.round(plotH * 0.22) : 0;
  const nGaps = panels.length - 1 + (hasRate ? 1 : 0);
  const rasterH = plotH - rateH - gap * nGaps;
  if (x1 - x0 < 20 || rasterH < 10 * panels.length) throw new RangeError(`rasterSVG: ${W}x${H} is too small`);

  const xs = linearScale(t0, t1, x0, x1);
  const { ticks: xTickVals, fmt: xFmt } = ticksWithin(t0, t1, Math.max(3, Math.round((x1 - x0) / 90)));
  const fractions = panelFractions(panels.map((p) => p.num));

  // Spikes to draw, per panel: inside xlim, of a kept neuron, then thinned to maxSpikes.
  const keptNeurons = panels.map((p) => Math.min(p.num, opts.maxNeurons ?? p.num));
  const candidates = panels.map((p, pi) => {
    let keep: Uint8Array | null = null;
    if (keptNeurons[pi] < p.num) {
      keep = new Uint8Array(p.num);
      for (let j = 0; j < keptNeurons[pi]; j++) keep[Math.floor((j * p.num) / keptNeurons[pi])] = 1;
    }
    const out: number[] = [];
    for (let k = 0; k < p.times.length; k++) {
      const t = p.times[k];
      if (t >= t0 && t <= t1 && (!keep || keep[p.indices[k]])) out.push(k);
    }
    return out;
  });
  const nCand = candidates.reduce((a, c) => a + c.length, 0);
  const maxSpikes = opts.maxSpikes ?? Infinity;
  let selected = candidates;
  if (nCand > maxSpikes) {
    // keep candidate c iff floor((c + 1) m / n) > floor(c m / n): exactly m, evenly spaced
    let c = 0;
    selected = candidates.map((list) => list.filter(() => { const keep = Math.floor(((c + 1) * maxSpikes) / nCand) > Math.floor((c * maxSpikes) / nCand); c++; return keep; }));
  }
  const drawn = selected.reduce((a, c) => a + c.length, 0);
  const mode = opts.marks === 'rect' || opts.marks === 'path' ? opts.marks : drawn > (opts.pathThreshold ?? 10000) ? 'path' : 'rect';
  const markW = opts.markWidth ?? 2;

  let body = '';
  if (opts.title) body += titleEl(opts.title, x0, x1, 26);
  let top = mt;
  panels.forEach((p, pi) => {
    const h = rasterH * fractions[pi];
    const bottom = top + h;
    const color = p.color ?? PALETTE[pi % PALETTE.length];
    const ys = linearScale(0, p.num, bottom, top);
    const rowH = h / keptNeurons[pi];
    const markH = Math.min(6, Math.max(1, rowH * 0.8));
    const isLastAxis = pi === panels.length - 1 && !hasRate;

    let marks = '';
    if (mode === 'path') {
      let d = '';
      const w = px(markW, 1);
      for (const k of selected[pi]) {
        const t = p.times[k];
        d += `M${px(xs(t) - markW / 2, 1)} ${px(ys(p.indices[k] + 0.5), 1)}h${w}`;
      }
      marks = el('path', { class: 'spikes', d, fill: 'none', stroke: color, 'stroke-width': px(markH, 2), 'shape-rendering': 'crispEdges' });
    } else {
      let rects = '';
      for (const k of selected[pi]) {
        const t = p.times[k];
        rects += `<rect x="${px(xs(t) - markW / 2)}" y="${px(ys(p.indices[k] + 0.5) - markH / 2)}" width="${px(markW)}" height="${px(markH)}"/>`;
      }
      marks = el('g', { class: 'spikes', fill: color, 'shape-rendering': 'crispEdges' }, rects);
    }

    const { ticks: yt, fmt: yFmt } = ticksWithin(0, p.num, Math.max(2, Math.floor(h / 35)));
    // short group names ("E", "I") read better upright; long ones are rotated along the axis
    const labelAttrs = { class: 'panel-label', fill: color, 'font-weight': 'bold', 'font-size': 13 };
    const panelLabel =
      textWidth(p.label, 13) <= 24
        ? text(x0 - 44, (top + bottom) / 2 + 4.5, p.label, { ...labelAttrs, 'text-anchor': 'middle' })
        : yLabel(p.label, x0 - 44, top, bottom, 13, { class: 'panel-label', fill: color, 'font-weight': 'bold' });
    const notes: string[] = [];
    if (keptNeurons[pi] < p.num) notes.push(`${keptNeurons[pi]} of ${p.num} neurons`);
    if (selected[pi].length < candidates[pi].length) notes.push(`${selected[pi].length} of ${candidates[pi].length} spikes`);
    const note = notes.length ? cornerNote(`showing ${notes.join(', ')}`, x1, top, 'subsample-note') : '';
    const inner =
      marks + note +
      frame(x0, top, x1 - x0, h) +
      xAxis(xs, xTickVals.map((v) => ({ v, label: isLastAxis ? xFmt(v) : undefined })), bottom) +
      yAxis(ys, yt.map((v) => ({ v, label: yFmt(v) })), x0) +
      panelLabel;
    body += '\n' + el('g', { class: 'panel raster', 'data-label': p.label }, inner);
    top = bottom + gap;
  });
  // Overall y label spanning the raster panels.
  body += '\n' + yLabel(opts.ylabel ?? 'Neuron index', 16, mt, top - gap, 13);

  if (hasRate) {
    const bin = opts.rateBinMs!;
    const nb = Math.max(1, Math.ceil((t1 - t0) / bin - 1e-9));
    const bottom = top + rateH;
    // every spike counts here, subsampled or not; the window is half-open [t0, t1)
    const series = panels.map((p) => {
      const r = populationRate(p, { window: [t0, t1], binMs: bin });
      return Array.from(r.t, (t, b): [number, number] => [t, r.rate[b]]);
    });
    const maxRate = Math.max(...series.map((s) => Math.max(...s.map((q) => q[1]))));
    const rt = niceTicks(0, maxRate > 0 ? maxRate : 1, Math.max(2, Math.floor(rateH / 30)));
    const ys = linearScale(0, rt[rt.length - 1], bottom, top);
    const rFmt = tickFormatter(rt);
    let inner = '';
    series.forEach((pts, pi) => {
      const color = panels[pi].color ?? PALETTE[pi % PALETTE.length];
      inner += el('polyline', {
        class: 'rate',
        'data-label': panels[pi].label,
        points: pts.map(([t, r]) => `${px(xs(t))},${px(ys(r))}`).join(' '),
        fill: 'none',
        stroke: color,
        'stroke-width': 1.5,
        'stroke-linejoin': 'round',
      });
    });
    if (panels.length > 1)
      inner += legendSVG(panels.map((p, pi) => ({ label: p.label, color: p.color ?? PALETTE[pi % PALETTE.length], shape: 'line' as const })), x1 - 6, top + 6, 10);
    inner += cornerNote(`bin ${fmtNum(bin)} ms`, x0, top, 'bin-note', 'start');
    inner +=
      frame(x0, top, x1 - x0, rateH) +
      xAxis(xs, xTickVals.map((v) => ({ v, label: xFmt(v) })), bottom) +
      yAxis(ys, rt.map((v) => ({ v, label: rFmt(v) })), x0) +
      yLabel('Rate (Hz)', x0 - 44, top, bottom, 12);
    body += '\n' + el('g', { class: 'panel rate', 'data-bin-ms': String(bin) }, inner);
    top = bottom + gap;
  }
  body += '\n' + xLabel(opts.xlabel ?? 'Time (ms)', x0, x1, H - 12);
  return svgDocument(W, H, body);
}
