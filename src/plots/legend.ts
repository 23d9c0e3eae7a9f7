/** Legend box: one colour swatch and label per series, anchored at its top-right corner. */
import { el, text, textWidth } from './svg';

/** One legend entry. */
export interface LegendItem {
  label: string;
  color: string;
  /** 'line': a short thick stroke (line plots); 'box': a filled square (bars, rasters). Default 'box'. */
  shape?: 'line' | 'box';
  /** Fill opacity of a box swatch, to match translucent bars. */
  opacity?: number;
}

/**
 * Legend as an SVG group (`class="legend"`); each swatch is a `rect class="swatch"` with `data-label` and `fill` the
 * series colour, so a figure can be checked for which colour means what.
 * @param xRight right edge of the box (px)
 * @param yTop top edge of the box (px)
 */
export function legendSVG(items: LegendItem[], xRight: number, yTop: number, fontSize = 11): string {
  if (items.length === 0) return '';
  const row = fontSize + 5, sw = 14, pad = 5;
  const w = pad * 3 + sw + Math.max(...items.map((i) => textWidth(i.label, fontSize)));
  const h = pad * 2 + row * items.length - 5;
  const x = xRight - w;
  let s = el('rect', { class: 'legend-bg', x, y: yTop, width: w, height: h, fill: '#ffffff', 'fill-opacity': 0.85, stroke: '#bbbbbb', 'stroke-width': 0.8 });
  items.forEach((it, k) => {
    const cy = yTop + pad + row * k + fontSize / 2;
    const sh = it.shape === 'line' ? 3 : 10;
    s += el('rect', { class: 'swatch', 'data-label': it.label, x: x + pad, y: cy - sh / 2, width: sw, height: sh, fill: it.color, 'fill-opacity': it.opacity });
    s += text(x + pad * 2 + sw, cy + fontSize * 0.35, it.label, { class: 'legend-label', 'font-size': fontSize });
  });
  return el('g', { class: 'legend' }, s);
}

/**
 * A note in a top corner of a plot area (bin widths, subsampling), `class` given by the caller.
 * @param x the plot area's right edge (anchor 'end') or left edge (anchor 'start')
 */
export function cornerNote(s: string, x: number, yTop: number, cls: string, anchor: 'start' | 'end' = 'end', fontSize = 10.5): string {
  return text(anchor === 'end' ? x - 6 : x + 6, yTop + fontSize + 3, s, { class: cls, 'text-anchor': anchor, 'font-size': fontSize, fill: '#444444', stroke: '#ffffff', 'stroke-width': 3, 'paint-order': 'stroke' });
}
