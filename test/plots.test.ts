import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  barChartSVG,
  decadeTicks,
  escapeXml,
  fmtNum,
  niceTicks,
  panelFractions,
  rasterSVG,
  type RasterPanel,
} from '../src/plots';
import { writeSVG } from '../src/node';

// ---------------------------------------------------------------------------------------------
// Tiny SVG reader: just enough to read a figure back.

type Attrs = Record<string, string>;

function attrs(tag: string): Attrs {
  const out: Attrs = {};
  for (const m of tag.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}

/** All start/self-closing tags named `name` in `svg`, with their attributes. */
function tags(svg: string, name: string): Attrs[] {
  return [...svg.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'g'))].map((m) => attrs(m[0]));
}

/** Text elements with a given class: attributes plus (unescaped) content. */
function texts(svg: string, cls: string): (Attrs & { body: string })[] {
  return [...svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)]
    .map((m) => ({ ...attrs(m[1]), body: unescape(m[2]) }) as Attrs & { body: string })
    .filter((a) => (a.class ?? '').split(' ').includes(cls));
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** Balanced <g class="...">…</g> group(s) whose class list contains all of `classes`. */
function groups(svg: string, ...classes: string[]): string[] {
  const out: string[] = [];
  const re = /<g\b[^>]*>/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(svg))) {
    const cl = (attrs(m[0]).class ?? '').split(' ');
    if (!classes.every((c) => cl.includes(c))) continue;
    let depth = 1;
    const tok = /<g\b[^>]*\/>|<g\b[^>]*>|<\/g>/g;
    tok.lastIndex = re.lastIndex;
    let t: RegExpExecArray | null;
    while (depth > 0 && (t = tok.exec(svg))) {
      if (t[0].endsWith('/>')) continue;
      depth += t[0] === '</g>' ? -1 : 1;
    }
    out.push(svg.slice(m.index, tok.lastIndex));
  }
  return out;
}

/** Checks tags nest properly, attributes are quoted and & only starts entities (a rough well-formedness test). */
function expectWellFormed(svg: string): void {
  expect(svg.startsWith('<svg ')).toBe(true);
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    if (m[4]) continue;
    if (m[1]) expect(stack.pop()).toBe(m[2]);
    else stack.push(m[2]);
  }
  expect(stack).toEqual([]);
  // every '<' starts a well-formed tag (no stray '<' in text or attributes)
  const tagCount = (svg.match(/</g) ?? []).length;
  const goodTags = (svg.match(/<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g) ?? []).length;
  expect(goodTags).toBe(tagCount);
  expect(svg.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toMatch(/&/);
}

/** Least-squares line through (value, pixel) tick pairs; returns pixel -> value. Asserts the ticks are collinear. */
function inverseFromTicks(pairs: [number, number][], valueTransform: (v: number) => number = (v) => v): (p: number) => number {
  expect(pairs.length).toBeGreaterThanOrEqual(2);
  const xs = pairs.map(([v]) => valueTransform(v));
  const ps = pairs.map(([, p]) => p);
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b) / n;
  const mp = ps.reduce((a, b) => a + b) / n;
  let sxx = 0;
  let sxp = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxp += (xs[i] - mx) * (ps[i] - mp);
  }
  const k = sxp / sxx; // px per value unit
  for (let i = 0; i < n; i++) expect(Math.abs(mp + k * (xs[i] - mx) - ps[i])).toBeLessThan(0.02);
  return (p) => mx + (p - mp) / k;
}

function tickPairs(axisGroup: string, coord: 'x1' | 'y1'): [number, number][] {
  return tags(axisGroup, 'line')
    .filter((a) => a.class === 'tick' && a['data-v'] !== undefined)
    .map((a) => [Number(a['data-v']), Number(a[coord])]);
}

function panelInverse(panel: string): { t: (x: number) => number; v: (y: number) => number } {
  const [ax] = groups(panel, 'axis-x');
  const [ay] = groups(panel, 'axis-y');
  return { t: inverseFromTicks(tickPairs(ax, 'x1')), v: inverseFromTicks(tickPairs(ay, 'y1')) };
}

/** Deterministic LCG in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

// ---------------------------------------------------------------------------------------------

describe('niceTicks', () => {
  const ranges: [number, number, number][] = [
    [0, 1000, 6],
    [0, 1, 5],
    [0.13, 0.87, 5],
    [-3.7, 12.2, 4],
    [-250, -10, 5],
    [1e-7, 3.3e-6, 5],
    [12345, 98765, 7],
    [0, 3200, 9],
    [0, 7, 2],
    [5, 5, 5],
    [0, 0, 3],
    [10, 2, 5], // reversed
  ];
  test.each(ranges)('[%p, %p] n=%p: sorted, evenly spaced 1/2/5 x 10^k multiples covering the range', (lo, hi, n) => {
    const t = niceTicks(lo, hi, n);
    const [a, b] = lo <= hi ? [lo, hi] : [hi, lo];
    expect(t.length).toBeGreaterThanOrEqual(2);
    expect(t.length).toBeLessThanOrEqual(2 * n + 2);
    expect(t[0]).toBeLessThanOrEqual(a);
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(b);
    const step = t[1] - t[0];
    const e = Math.floor(Math.log10(step) + 1e-9);
    const mant = step / 10 ** e;
    expect([1, 2, 5].some((m) => Math.abs(mant - m) < 1e-9)).toBe(true);
    for (let i = 1; i < t.length; i++) {
      expect(t[i]).toBeGreaterThan(t[i - 1]);
      expect(Math.abs(t[i] - t[i - 1] - step)).toBeLessThan(step * 1e-9);
    }
    for (const v of t) {
      expect(Math.abs(v / step - Math.round(v / step))).toBeLessThan(1e-9);
      // printed without float noise like 0.30000000000000004
      expect(String(v).replace(/e.*$/, '').replace('-', '').replace('.', '').replace(/^0+/, '').length).toBeLessThanOrEqual(8);
    }
    // not wastefully wide: at most one step of slack on each side (a degenerate range is widened first)
    if (lo !== hi) expect(t[0]).toBeGreaterThan(a - step - 1e-12);
    if (lo !== hi) expect(t[t.length - 1]).toBeLessThan(b + step + 1e-12);
  });

  test('known values', () => {
    expect(niceTicks(0, 1000, 6)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(niceTicks(0.13, 0.87, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3.7, 12.2, 4)).toEqual([-5, 0, 5, 10, 15]);
    expect(niceTicks(0.1, 0.3, 3)).toEqual([0.1, 0.2, 0.3]);
  });

  test('rejects non-finite ranges', () => {
    expect(() => niceTicks(0, Infinity)).toThrow(RangeError);
    expect(() => niceTicks(NaN, 1)).toThrow(RangeError);
  });

  test('decadeTicks spans the values in whole decades', () => {
    expect(decadeTicks(0.42, 310)).toEqual([-1, 0, 1, 2, 3]);
    expect(decadeTicks(1, 100)).toEqual([0, 1, 2]);
    expect(decadeTicks(5, 5)).toEqual([0, 1]);
  });
});

describe('formatting and escaping', () => {
  test('fmtNum', () => {
    expect(fmtNum(0)).toBe('0');
    expect(fmtNum(1234.5)).toBe('1235');
    expect(fmtNum(12.345)).toBe('12.3');
    expect(fmtNum(0.012345)).toBe('0.0123');
    expect(fmtNum(-6.1)).toBe('-6.1');
    expect(fmtNum(2.5e7)).toBe('2.50e+7');
  });

  test('escapeXml', () => {
    expect(escapeXml(`a<b>&"c"'d'`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;');
  });

  test('labels and titles are escaped in the raster and bar SVGs', () => {
    const nasty = `E<script>&"x"'`;
    const r = rasterSVG([{ label: nasty, times: [1, 2], indices: [0, 1], num: 2 }], {
      title: 'a < b & c > d',
      xlabel: 't <ms>',
      ylabel: '"idx"',
      xlim: [0, 10],
    });
    const b = barChartSVG([nasty, 'ok'], [1, 2], { title: '<T&T>', ylabel: 'y<1>' });
    for (const svg of [r, b]) {
      expectWellFormed(svg);
      expect(svg).not.toContain('<script>');
      expect(svg).toContain('E&lt;script&gt;&amp;&quot;x&quot;&#39;');
    }
    expect(texts(r, 'title')[0].body).toBe('a < b & c > d');
    expect(texts(r, 'xlabel')[0].body).toBe('t <ms>');
    expect(texts(r, 'panel-label')[0].body).toBe(nasty);
    expect(texts(b, 'name')[0].body).toBe(nasty);
    expect(texts(b, 'title')[0].body).toBe('<T&T>');
  });
});

describe('rasterSVG', () => {
  const E: RasterPanel = {
    label: 'E',
    num: 40,
    times: [0, 12.5, 37.25, 50, 99.9, 100, 73, 73, 5],
    indices: [0, 39, 7, 20, 1, 0, 3, 4, 39],
  };
  const I: RasterPanel = {
    label: 'I',
    num: 10,
    times: Float64Array.from([3, 44.4, 88, -5, 120]), // last two outside xlim
    indices: Int32Array.from([9, 0, 5, 2, 2]),
  };

  function readRects(panel: string): { cx: number; cy: number }[] {
    const [g] = groups(panel, 'spikes');
    return tags(g, 'rect').map((a) => ({ cx: Number(a.x) + Number(a.width) / 2, cy: Number(a.y) + Number(a.height) / 2 }));
  }

  function expectSpikesAt(got: { t: number; i: number }[], times: ArrayLike<number>, indices: ArrayLike<number>, lim: [number, number], tolT: number): void {
    const want: { t: number; i: number }[] = [];
    for (let k = 0; k < times.length; k++) if (times[k] >= lim[0] && times[k] <= lim[1]) want.push({ t: times[k], i: indices[k] });
    const key = (a: { t: number; i: number }, b: { t: number; i: number }) => a.i - b.i || a.t - b.t;
    const g = got.map((s) => ({ t: s.t, i: Math.round(s.i) + 0, di: Math.abs(s.i - Math.round(s.i)) })).sort(key);
    want.sort(key);
    expect(g.length).toBe(want.length);
    g.forEach((s, k) => {
      expect(s.i).toBe(want[k].i);
      expect(s.di).toBeLessThan(0.05);
      expect(Math.abs(s.t - want[k].t)).toBeLessThan(tolT);
    });
  }

  test('rect marks: each spike drawn once, at its time and neuron row (read back through the axis ticks)', () => {
    const lim: [number, number] = [0, 100];
    const svg = rasterSVG([E, I], { xlim: lim, title: 'known spikes', marks: 'rect' });
    expectWellFormed(svg);
    const panels = groups(svg, 'panel', 'raster');
    expect(panels.map((p) => attrs(p.slice(0, p.indexOf('>'))).class && attrs(p.slice(0, p.indexOf('>')))['data-label'])).toEqual(['E', 'I']);
    [E, I].forEach((src, k) => {
      const inv = panelInverse(panels[k]);
      const got = readRects(panels[k]).map(({ cx, cy }) => ({ t: inv.t(cx), i: inv.v(cy) - 0.5 }));
      expectSpikesAt(got, src.times, src.indices, lim, 0.05);
    });
    // total marks == spikes inside xlim
    expect(groups(svg, 'spikes').map((g) => tags(g, 'rect').length)).toEqual([9, 3]);
    expect(tags(svg, 'rect').filter((a) => a.class === undefined).length).toBe(9 + 3);
  });

  test('y axis runs 0 (bottom) .. num (top) and x axis covers exactly xlim', () => {
    const svg = rasterSVG([E, I], { xlim: [0, 100] });
    const panels = groups(svg, 'panel', 'raster');
    const frames = tags(svg, 'rect').filter((a) => a.class === 'frame');
    expect(frames.length).toBe(2);
    [E, I].forEach((src, k) => {
      const inv = panelInverse(panels[k]);
      const f = frames[k];
      const top = Number(f.y);
      const bottom = top + Number(f.height);
      expect(inv.v(bottom)).toBeCloseTo(0, 2);
      expect(inv.v(top)).toBeCloseTo(src.num, 2);
      expect(inv.t(Number(f.x))).toBeCloseTo(0, 2);
      expect(inv.t(Number(f.x) + Number(f.width))).toBeCloseTo(100, 2);
      // tick labels print the tick values
      const labels = texts(panels[k], 'tick-y');
      expect(labels.length).toBeGreaterThanOrEqual(2);
      for (const l of labels) expect(Number(l.body)).toBe(Number(l['data-v']));
    });
    // only the bottom panel labels the time axis
    expect(texts(panels[0], 'tick-x')).toHaveLength(0);
    expect(texts(panels[1], 'tick-x').map((l) => Number(l.body))).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });

  test('path marks: one "M x y h w" segment per spike, inverting to the right time and neuron', () => {
    const lim: [number, number] = [0, 100];
    const svg = rasterSVG([E, I], { xlim: lim, marks: 'path', markWidth: 2 });
    expectWellFormed(svg);
    const panels = groups(svg, 'panel', 'raster');
    [E, I].forEach((src, k) => {
      const paths = tags(panels[k], 'path').filter((a) => a.class === 'spikes');
      expect(paths).toHaveLength(1);
      const segs = [...paths[0].d.matchAll(/M(-?[\d.]+) (-?[\d.]+)h([\d.]+)/g)];
      expect(paths[0].d.replace(/M(-?[\d.]+) (-?[\d.]+)h([\d.]+)/g, '')).toBe('');
      const inv = panelInverse(panels[k]);
      const got = segs.map((m) => ({ t: inv.t(Number(m[1]) + Number(m[3]) / 2), i: inv.v(Number(m[2])) - 0.5 }));
      expectSpikesAt(got, src.times, src.indices, lim, 0.1);
    });
  });

  test('100k+ spikes: auto mode uses one path per panel, compact, every spike present and in place', () => {
    const rnd = lcg(7);
    const num = 4000;
    const n = 120_000;
    const times = new Float64Array(n);
    const indices = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      times[k] = rnd() * 1000;
      indices[k] = Math.floor(rnd() * num);
    }
    const svg = rasterSVG([{ label: 'E', num, times, indices }], { xlim: [0, 1000], width: 800, height: 500 });
    expect(tags(svg, 'rect').filter((a) => a.class === undefined)).toHaveLength(0); // no per-spike rects
    const [panel] = groups(svg, 'panel', 'raster');
    const paths = tags(panel, 'path').filter((a) => a.class === 'spikes');
    expect(paths).toHaveLength(1);
    const segs = [...paths[0].d.matchAll(/M([\d.]+) ([\d.]+)h([\d.]+)/g)];
    expect(segs.length).toBe(n);
    expect(svg.length / n).toBeLessThan(20); // bytes per spike
    const inv = panelInverse(panel);
    // rows are < 1 px here, so check against the pixel quantisation (0.1 px) rather than exact rows
    const pxPerRow = 1 / Math.abs(inv.v(1) - inv.v(0));
    let worstT = 0;
    let worstRowPx = 0;
    segs.forEach((m, k) => {
      worstT = Math.max(worstT, Math.abs(inv.t(Number(m[1]) + Number(m[3]) / 2) - times[k]));
      worstRowPx = Math.max(worstRowPx, Math.abs(inv.v(Number(m[2])) - 0.5 - indices[k]) * pxPerRow);
    });
    expect(worstT).toBeLessThan(0.2);
    expect(worstRowPx).toBeLessThanOrEqual(0.051);
  });

  test('auto mode keeps rects below the threshold', () => {
    const svg = rasterSVG([E], { xlim: [0, 100], pathThreshold: 100 });
    expect(tags(svg, 'path').filter((a) => a.class === 'spikes')).toHaveLength(0);
    const svg2 = rasterSVG([E], { xlim: [0, 100], pathThreshold: 3 });
    expect(tags(svg2, 'path').filter((a) => a.class === 'spikes')).toHaveLength(1);
  });

  test('default xlim spans 0 .. last spike', () => {
    const svg = rasterSVG([E]);
    const [panel] = groups(svg, 'panel', 'raster');
    const inv = panelInverse(panel);
    const f = tags(svg, 'rect').find((a) => a.class === 'frame')!;
    expect(inv.t(Number(f.x))).toBeCloseTo(0, 2);
    expect(inv.t(Number(f.x) + Number(f.width))).toBeCloseTo(100, 2);
  });

  test('panel heights are proportional to num with a 15% floor', () => {
    expect(panelFractions([3200, 800])).toEqual([0.8, 0.2]);
    const f = panelFractions([1000, 10]);
    expect(f[0]).toBeCloseTo(0.85, 12);
    expect(f[1]).toBeCloseTo(0.15, 12);
    const g = panelFractions([1000, 10, 5, 500]);
    expect(g.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(Math.min(...g)).toBeCloseTo(0.15, 12);
    expect(g[0] / g[3]).toBeCloseTo(2, 12);
    expect(panelFractions(new Array(8).fill(1))).toEqual(new Array(8).fill(1 / 8));

    const svg = rasterSVG(
      [
        { label: 'E', num: 3200, times: [], indices: [] },
        { label: 'I', num: 800, times: [], indices: [] },
      ],
      { xlim: [0, 10] },
    );
    const h = tags(svg, 'rect').filter((a) => a.class === 'frame').map((a) => Number(a.height));
    expect(h[0] / h[1]).toBeCloseTo(4, 1);
  });

  test('rate panel: population rate in Hz per bin, per group', () => {
    const A: RasterPanel = {
      label: 'A',
      num: 10,
      // bin 0 [0,10): 5 spikes -> 5 / (10 neurons * 0.01 s) = 50 Hz; bin 1: 1 spike -> 10 Hz; bin 2: 0; bin 3: 2 -> 20 Hz
      times: [0, 1, 2, 3, 9.99, 10, 30, 39],
      indices: [0, 1, 2, 3, 4, 5, 6, 7],
    };
    const B: RasterPanel = { label: 'B', num: 20, times: [15, 16, 17, 18], indices: [0, 1, 2, 3] }; // bin 1: 4/(20*0.01) = 20 Hz
    const svg = rasterSVG([A, B], { xlim: [0, 40], rateBinMs: 10 });
    expectWellFormed(svg);
    const [rate] = groups(svg, 'panel', 'rate');
    const inv = panelInverse(rate);
    const lines = tags(rate, 'polyline').filter((a) => a.class === 'rate');
    expect(lines.map((l) => l['data-label'])).toEqual(['A', 'B']);
    const read = (l: Attrs) => l.points.split(' ').map((p) => p.split(',').map(Number)).map(([x, y]) => [inv.t(x), inv.v(y)]);
    const a = read(lines[0]);
    const b = read(lines[1]);
    const expectClose = (got: number[][], want: number[][]) => {
      expect(got.length).toBe(want.length);
      got.forEach(([t, r], k) => {
        expect(t).toBeCloseTo(want[k][0], 1);
        expect(r).toBeCloseTo(want[k][1], 1);
      });
    };
    expectClose(a, [[5, 50], [15, 10], [25, 0], [35, 20]]);
    expectClose(b, [[5, 0], [15, 20], [25, 0], [35, 0]]);
    expect(texts(svg, 'ylabel').map((t) => t.body)).toContain('Rate (Hz)');
    // the time axis is labelled under the rate panel, not under the rasters
    for (const p of groups(svg, 'panel', 'raster')) expect(texts(p, 'tick-x')).toHaveLength(0);
    expect(texts(rate, 'tick-x').length).toBeGreaterThanOrEqual(2);
  });

  test('rejects inconsistent input', () => {
    expect(() => rasterSVG([])).toThrow(RangeError);
    expect(() => rasterSVG([{ label: 'x', num: 3, times: [1, 2], indices: [0] }])).toThrow(/2 times but 1 indices/);
    expect(() => rasterSVG([{ label: 'x', num: 3, times: [1], indices: [3] }])).toThrow(/outside \[0, 3\)/);
    expect(() => rasterSVG([{ label: 'x', num: 0, times: [], indices: [] }])).toThrow(RangeError);
    expect(() => rasterSVG([E], { xlim: [5, 5] })).toThrow(/xlim/);
    expect(() => rasterSVG([E], { rateBinMs: 0 })).toThrow(/rateBinMs/);
  });
});

describe('barChartSVG', () => {
  const names = ['brainweave', 'BrainPy', 'NEST', 'Brian2', 'NEURON'];
  const values = [0.42, 1.3, 18.5, 6.1, 310];

  function bars(svg: string): { x: number; y: number; w: number; h: number; name: string }[] {
    return tags(svg, 'rect')
      .filter((a) => a.class === 'bar')
      .map((a) => ({ x: Number(a.x), y: Number(a.y), w: Number(a.width), h: Number(a.height), name: unescape(a['data-name']) }));
  }

  test('log scale: bar heights proportional to log(value) above a common baseline decade', () => {
    const svg = barChartSVG(names, values, { logY: true, ylabel: 'Time (s)', title: 'speed' });
    expectWellFormed(svg);
    const bs = bars(svg);
    expect(bs.map((b) => b.name)).toEqual(names);
    // common baseline
    const base = bs[0].y + bs[0].h;
    for (const b of bs) expect(b.y + b.h).toBeCloseTo(base, 1);
    // h_i = k * (log10 v_i - log10 base): constant ratio of height differences to log differences
    const k = (bs[4].h - bs[0].h) / (Math.log10(values[4]) - Math.log10(values[0]));
    expect(k).toBeGreaterThan(0);
    for (let i = 0; i < bs.length; i++)
      for (let j = i + 1; j < bs.length; j++)
        expect((bs[i].h - bs[j].h) / (Math.log10(values[i]) - Math.log10(values[j]))).toBeCloseTo(k, 1);
    // and the bar tops sit at log10(value) according to the drawn decade ticks
    const [ay] = groups(svg, 'axis-y');
    const inv = inverseFromTicks(tickPairs(ay, 'y1'), Math.log10);
    bs.forEach((b, i) => expect(inv(b.y)).toBeCloseTo(Math.log10(values[i]), 2));
    expect(inv(base)).toBeCloseTo(-1, 2); // baseline decade 10^-1 below 0.42
    expect(texts(svg, 'tick-y').map((t) => t.body)).toEqual(['10⁻¹', '10⁰', '10¹', '10²', '10³']);
  });

  test('value labels above each bar, centred', () => {
    const svg = barChartSVG(names, values, { valueSuffix: ' s' });
    const bs = bars(svg);
    const labels = texts(svg, 'value');
    expect(labels.map((l) => l.body)).toEqual(['0.42 s', '1.3 s', '18.5 s', '6.1 s', '310 s']);
    labels.forEach((l, i) => {
      expect(Number(l.x)).toBeCloseTo(bs[i].x + bs[i].w / 2, 1);
      expect(Number(l.y)).toBeLessThan(bs[i].y);
      expect(Number(l.y)).toBeGreaterThan(bs[i].y - 20);
    });
    expect(texts(svg, 'name').map((t) => t.body)).toEqual(names);
  });

  test('smallest value that is an exact power of ten still gets a visible bar', () => {
    const bs = bars(barChartSVG(['a', 'b', 'c'], [1, 10, 100]));
    expect(Math.min(...bs.map((b) => b.h))).toBeGreaterThan(5);
    expect(bs[1].h - bs[0].h).toBeCloseTo(bs[2].h - bs[1].h, 1);
  });

  test('linear scale: heights proportional to values', () => {
    const v = [3, 12.5, 7];
    const svg = barChartSVG(['a', 'b', 'c'], v, { logY: false });
    expectWellFormed(svg);
    const bs = bars(svg);
    bs.forEach((b, i) => expect(b.h / bs[0].h).toBeCloseTo(v[i] / v[0], 2));
    const [ay] = groups(svg, 'axis-y');
    const inv = inverseFromTicks(tickPairs(ay, 'y1'));
    bs.forEach((b, i) => {
      expect(inv(b.y)).toBeCloseTo(v[i], 2);
      expect(inv(b.y + b.h)).toBeCloseTo(0, 2);
    });
  });

  test('rejects bad input', () => {
    expect(() => barChartSVG(['a'], [1, 2])).toThrow(/1 names but 2 values/);
    expect(() => barChartSVG(['a', 'b'], [1, 0])).toThrow(/log axis/);
    expect(() => barChartSVG(['a'], [NaN], { logY: false })).toThrow(/not finite/);
    expect(() => barChartSVG([], [])).toThrow(RangeError);
  });
});

describe('writeSVG', () => {
  test('creates missing folders and writes the text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-plots-'));
    try {
      const p = join(dir, 'a', 'b', 'fig.svg');
      const svg = barChartSVG(['x'], [2]);
      expect(writeSVG(p, svg)).toBe(p);
      expect(readFileSync(p, 'utf8')).toBe(svg);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
