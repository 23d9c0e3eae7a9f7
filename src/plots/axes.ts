/**
 * Axis scales and axis drawing shared by the raster and bar plots.
 * Major tick lines carry `class="tick"` and `data-v` (the data value at that pixel), tick labels
 * `class="tick-x"` / `class="tick-y"` and the same `data-v`, so that a drawn figure can be read back
 * (the tests invert the pixel mapping from them).
 */
import { el, text } from './svg';

/** Affine map from data [d0, d1] to pixels [r0, r1] (r1 < r0 for y axes). */
export interface Scale {
  (v: number): number;
  readonly domain: [number, number];
  readonly range: [number, number];
}

/** Linear map from data [d0, d1] to pixels [r0, r1]; a zero-width domain maps everything to r0. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): Scale {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const f = ((v: number) => r0 + (v - d0) * k) as Scale;
  Object.defineProperty(f, 'domain', { value: [d0, d1] });
  Object.defineProperty(f, 'range', { value: [r0, r1] });
  return f;
}

/** Map log10(v) linearly: domain is given in decades (exponents), input values are raw (> 0). */
export function log10Scale(e0: number, e1: number, r0: number, r1: number): Scale {
  const lin = linearScale(e0, e1, r0, r1);
  const f = ((v: number) => lin(Math.log10(v))) as Scale;
  Object.defineProperty(f, 'domain', { value: [10 ** e0, 10 ** e1] });
  Object.defineProperty(f, 'range', { value: [r0, r1] });
  return f;
}

const AXIS = { stroke: '#000000', 'stroke-width': 1 };
const TICK_LEN = 5;

/** A tick at data value `v`, labelled with `label` if given. */
export interface Tick {
  v: number;
  label?: string; // omitted -> tick mark only
}

/** Ticks and labels along the bottom edge at pixel row `y`. */
export function xAxis(scale: Scale, ticks: Tick[], y: number, fontSize = 11): string {
  let s = '';
  for (const t of ticks) {
    const x = scale(t.v);
    s += el('line', { class: 'tick', 'data-v': String(t.v), x1: x, y1: y, x2: x, y2: y + TICK_LEN, ...AXIS });
    if (t.label !== undefined)
      s += text(x, y + TICK_LEN + fontSize + 1, t.label, { class: 'tick-x', 'data-v': String(t.v), 'text-anchor': 'middle', 'font-size': fontSize });
  }
  return el('g', { class: 'axis-x' }, s);
}

/** Ticks and labels along the left edge at pixel column `x`. Minor ticks get half length and no label. */
export function yAxis(scale: Scale, ticks: Tick[], x: number, fontSize = 11, minor: number[] = []): string {
  let s = '';
  for (const v of minor) {
    const y = scale(v);
    s += el('line', { x1: x - TICK_LEN / 2, y1: y, x2: x, y2: y, ...AXIS });
  }
  for (const t of ticks) {
    const y = scale(t.v);
    s += el('line', { class: 'tick', 'data-v': String(t.v), x1: x - TICK_LEN, y1: y, x2: x, y2: y, ...AXIS });
    if (t.label !== undefined)
      s += text(x - TICK_LEN - 3, y + fontSize * 0.35, t.label, { class: 'tick-y', 'data-v': String(t.v), 'text-anchor': 'end', 'font-size': fontSize });
  }
  return el('g', { class: 'axis-y' }, s);
}

/** Box around a plot area (matplotlib-style frame). */
export function frame(x: number, y: number, w: number, h: number): string {
  return el('rect', { class: 'frame', x, y, width: w, height: h, fill: 'none', ...AXIS });
}

/** Horizontal axis label centred under [x0, x1]. */
export function xLabel(s: string, x0: number, x1: number, y: number, fontSize = 13): string {
  return text((x0 + x1) / 2, y, s, { class: 'xlabel', 'text-anchor': 'middle', 'font-size': fontSize });
}

/** Vertical (rotated) axis label centred on [y0, y1] at column x. */
export function yLabel(s: string, x: number, y0: number, y1: number, fontSize = 13, attrs: Record<string, string> = {}): string {
  const y = (y0 + y1) / 2;
  return text(x, y, s, { class: 'ylabel', 'text-anchor': 'middle', 'font-size': fontSize, transform: `rotate(-90 ${Math.round(x * 100) / 100} ${Math.round(y * 100) / 100})`, ...attrs });
}

/** Bold title centred on [x0, x1]. */
export function title(s: string, x0: number, x1: number, y: number, fontSize = 15): string {
  return text((x0 + x1) / 2, y, s, { class: 'title', 'text-anchor': 'middle', 'font-size': fontSize, 'font-weight': 'bold' });
}
