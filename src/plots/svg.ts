/**
 * Shared SVG-text helpers for the plotting module: escaping, number formatting,
 * tick computation and element construction. No DOM, no dependencies; everything
 * returns strings.
 */

/** Escape a string for use as XML text content or a double-quoted attribute value. */
export function escapeXml(s: string): string {
  return String(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Round a pixel coordinate to `digits` decimals and print it without trailing zeros. */
export function px(x: number, digits = 2): string {
  const f = 10 ** digits;
  const v = Math.round(x * f) / f;
  return String(Object.is(v, -0) ? 0 : v);
}

/**
 * Human-readable number with about `sig` significant digits:
 * 1234.5 -> "1235", 12.345 -> "12.3", 0.012345 -> "0.0123", 2.5e7 -> "2.50e+7".
 */
export function fmtNum(x: number, sig = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(Math.max(0, sig - 1));
  if (a >= 10 ** sig) return String(Math.round(x));
  return String(Number(x.toPrecision(sig)));
}

/** Round `x` up/down to a "nice" value 1, 2 or 5 times a power of ten (nearest in log terms). */
export function niceStep(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`niceStep: need a positive finite number, got ${x}`);
  const e = Math.floor(Math.log10(x));
  const f = x / 10 ** e;
  const m = f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10;
  return m * 10 ** e;
}

/** Number of decimals needed to print multiples of `step` exactly. */
export function stepDecimals(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/**
 * About `n` evenly spaced round ticks (multiples of 1, 2 or 5 x 10^k), sorted ascending,
 * with the first tick <= lo and the last tick >= hi (the ticks cover [lo, hi]).
 * A degenerate range (lo === hi) is widened around the value.
 */
export function niceTicks(lo: number, hi: number, n = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`niceTicks: non-finite range [${lo}, ${hi}]`);
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const step = niceStep((hi - lo) / Math.max(1, n - 1));
  const dec = stepDecimals(step);
  const k0 = Math.floor(lo / step + 1e-9);
  const k1 = Math.ceil(hi / step - 1e-9);
  const out: number[] = [];
  for (let k = k0; k <= k1; k++) out.push(Number((k * step).toFixed(dec)));
  return out;
}

/** Formatter printing every tick of an evenly spaced list with the same number of decimals. */
export function tickFormatter(ticks: number[]): (v: number) => string {
  const step = ticks.length > 1 ? Math.abs(ticks[1] - ticks[0]) : 1;
  const dec = step > 0 ? stepDecimals(step) : 0;
  return (v) => {
    const s = v.toFixed(dec);
    return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
  };
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻',
};

/** "10³", "10⁻²" — label for the decade tick 10^e. */
export function fmtPow10(e: number): string {
  return '10' + String(e).split('').map((c) => SUPERSCRIPT[c] ?? c).join('');
}

/** Integer decades e with 10^e spanning [lo, hi] (lo, hi > 0): first <= lo, last >= hi. */
export function decadeTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi > 0)) throw new RangeError(`decadeTicks: need positive bounds, got [${lo}, ${hi}]`);
  if (hi < lo) [lo, hi] = [hi, lo];
  const e0 = Math.floor(Math.log10(lo) + 1e-9);
  let e1 = Math.ceil(Math.log10(hi) - 1e-9);
  if (e1 <= e0) e1 = e0 + 1;
  const out: number[] = [];
  for (let e = e0; e <= e1; e++) out.push(e);
  return out;
}

/** Attributes of an element; undefined ones are left out, numbers rounded to 0.01. */
export type Attrs = Record<string, string | number | undefined>;

function attrText(attrs: Attrs): string {
  let s = '';
  for (const k of Object.keys(attrs)) {
    const v = attrs[k];
    if (v === undefined) continue;
    s += ` ${k}="${typeof v === 'number' ? px(v) : escapeXml(v)}"`;
  }
  return s;
}

/** One element; `content` is raw (already-escaped) markup, omitted -> self-closing. Numbers are rounded to 0.01. */
export function el(tag: string, attrs: Attrs, content?: string): string {
  return content === undefined ? `<${tag}${attrText(attrs)}/>` : `<${tag}${attrText(attrs)}>${content}</${tag}>`;
}

/** A <text> element with escaped content. */
export function text(x: number, y: number, s: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(s));
}

/** Whole document: white background, sans-serif text. */
export function svgDocument(width: number, height: number, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" ` +
    `viewBox="0 0 ${px(width)} ${px(height)}" font-family="Helvetica, Arial, sans-serif" font-size="12">\n` +
    `<rect class="background" x="0" y="0" width="${px(width)}" height="${px(height)}" fill="#ffffff"/>\n` +
    body +
    `\n</svg>\n`
  );
}

/** Default series colours (matplotlib tab10). */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Rough width of a label in px (for layout only). */
export function textWidth(s: string, fontSize = 12): number {
  return s.length * fontSize * 0.6;
}
