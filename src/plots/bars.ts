/**
 * Bar chart as standalone SVG text, by default on a log10 y axis with each value printed above its bar
 * (the layout of BrainPy's simulator speed comparison figure).
 *
 * Log mode: the axis spans whole decades [10^e0, 10^e1] with 10^e0 strictly below the smallest value, and a
 * bar of value v rises from the axis bottom to y(v), so its height is proportional to log10(v) - e0.
 * Linear mode: the axis spans round ticks covering [min(0, values), max(0, values)] and bars rise from 0.
 */
import { frame, linearScale, log10Scale, title as titleEl, xLabel, yAxis, yLabel, type Scale, type Tick } from './axes';
import { PALETTE, decadeTicks, el, fmtNum, fmtPow10, niceTicks, svgDocument, text, textWidth, tickFormatter } from './svg';

/** Options of {@link barChartSVG}. */
export interface BarChartOptions {
  /** Log10 y axis (default true). All values must then be > 0. */
  logY?: boolean;
  ylabel?: string;
  xlabel?: string;
  title?: string;
  width?: number;
  height?: number;
  /** One colour for all bars, or one per bar (cycled). Default: matplotlib tab10 cycle. */
  colors?: string | string[];
  /** Appended to the value labels, e.g. " s". */
  valueSuffix?: string;
}

/** Bar chart of named values (log10 y axis by default) as standalone SVG text. */
export function barChartSVG(names: string[], values: number[], opts: BarChartOptions = {}): string {
  const n = names.length;
  if (n === 0) throw new RangeError('barChartSVG: no bars');
  if (values.length !== n) throw new RangeError(`barChartSVG: ${n} names but ${values.length} values`);
  values.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`barChartSVG: value ${i} ("${names[i]}") is not finite: ${v}`);
  });
  const logY = opts.logY ?? true;
  if (logY)
    values.forEach((v, i) => {
      if (!(v > 0)) throw new RangeError(`barChartSVG: log axis needs values > 0; "${names[i]}" is ${v}`);
    });

  const W = opts.width ?? 640;
  const H = opts.height ?? 420;
  const ml = 78;
  const mr = 20;
  const mt = opts.title ? 48 : 26; // room for the value label of a bar reaching the top
  const x0 = ml;
  const x1 = W - mr;
  const slot = (x1 - x0) / n;
  const nameFont = 12;
  const rotate = names.some((s) => textWidth(s, nameFont) > slot * 0.95);
  const longest = Math.max(...names.map((s) => textWidth(s, nameFont)));
  const mb = (rotate ? Math.min(160, longest * 0.6 + 22) : 30) + (opts.xlabel ? 22 : 0);
  const yTop = mt;
  const yBot = H - mb;
  if (yBot - yTop < 40 || slot < 4) throw new RangeError(`barChartSVG: ${W}x${H} is too small for ${n} bars`);

  let ys: Scale;
  let base: number; // value the bars rise from
  let ticks: Tick[];
  let minor: number[] = [];
  if (logY) {
    const dec = decadeTicks(Math.min(...values), Math.max(...values));
    // strictly below the smallest value, so the smallest bar is visible
    if (Math.log10(Math.min(...values)) - dec[0] < 1e-9) dec.unshift(dec[0] - 1);
    const e0 = dec[0];
    const e1 = dec[dec.length - 1];
    ys = log10Scale(e0, e1, yBot, yTop);
    base = 10 ** e0;
    ticks = dec.map((e) => ({ v: Number((10 ** e).toPrecision(12)), label: fmtPow10(e) }));
    for (let e = e0; e < e1; e++) for (let m = 2; m <= 9; m++) minor.push(m * 10 ** e);
  } else {
    const tv = niceTicks(Math.min(0, ...values), Math.max(0, ...values), Math.max(3, Math.floor((yBot - yTop) / 50)));
    const f = tickFormatter(tv);
    ys = linearScale(tv[0], tv[tv.length - 1], yBot, yTop);
    base = 0;
    ticks = tv.map((v) => ({ v, label: f(v) }));
  }

  const colors = opts.colors === undefined ? PALETTE : typeof opts.colors === 'string' ? [opts.colors] : opts.colors;
  const barW = slot * 0.62;
  let bars = '';
  let labels = '';
  let nameLabels = '';
  const suffix = opts.valueSuffix ?? '';
  values.forEach((v, i) => {
    const cx = x0 + slot * (i + 0.5);
    const yb = ys(base);
    const yv = ys(v);
    const y = Math.min(yb, yv);
    const h = Math.abs(yb - yv);
    bars += el('rect', { class: 'bar', 'data-name': names[i], x: cx - barW / 2, y, width: barW, height: h, fill: colors[i % colors.length] });
    const ly = v >= base ? yv - 5 : yv + 14;
    labels += text(cx, ly, fmtNum(v) + suffix, { class: 'value', 'text-anchor': 'middle', 'font-size': 11 });
    nameLabels += rotate
      ? text(cx, yBot + 14, names[i], { class: 'name', 'text-anchor': 'end', 'font-size': nameFont, transform: `rotate(-35 ${Math.round(cx * 100) / 100} ${yBot + 14})` })
      : text(cx, yBot + 17, names[i], { class: 'name', 'text-anchor': 'middle', 'font-size': nameFont });
  });

  let body = '';
  if (opts.title) body += titleEl(opts.title, x0, x1, 26);
  // light horizontal grid at labelled ticks
  for (const t of ticks) body += el('line', { class: 'grid', x1: x0, y1: ys(t.v), x2: x1, y2: ys(t.v), stroke: '#dddddd', 'stroke-width': 1 });
  body +=
    '\n' + el('g', { class: 'bars' }, bars) +
    '\n' + el('g', { class: 'values' }, labels) +
    '\n' + el('g', { class: 'names' }, nameLabels) +
    '\n' + frame(x0, yTop, x1 - x0, yBot - yTop) +
    '\n' + yAxis(ys, ticks, x0, 11, minor);
  if (opts.ylabel) body += '\n' + yLabel(opts.ylabel, 20, yTop, yBot, 13);
  if (opts.xlabel) body += '\n' + xLabel(opts.xlabel, x0, x1, H - 10);
  return svgDocument(W, H, body);
}
