/**
 * Traces, histograms and raster subsampling, read back from the SVG text: positions are checked against the
 * documented axis mapping (plot area = the frame rect, limits given explicitly), counts against data worked out
 * by hand.
 */
import {
  histogramSVG, isiHistogramSVG, lineplotSVG, populationRateSVG, rasterSVG, rateHistogramSVG, tracesSVG,
  type RasterPanel,
} from '../src/plots';

type Attrs = Record<string, string>;
function attrs(tag: string): Attrs {
  const out: Attrs = {};
  for (const m of tag.matchAll(/([\w:-]+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}
function tags(svg: string, name: string): Attrs[] {
  return [...svg.matchAll(new RegExp(`<${name}\\b[^>]*>`, 'g'))].map((m) => attrs(m[0]));
}
function texts(svg: string, cls: string): string[] {
  return [...svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)].filter((m) => (attrs(m[1]).class ?? '').split(' ').includes(cls)).map((m) => m[2]);
}
function frameOf(svg: string): { x: number; y: number; w: number; h: number } {
  const f = tags(svg, 'rect').filter((a) => a.class === 'frame');
  expect(f).toHaveLength(1);
  return { x: Number(f[0].x), y: Number(f[0].y), w: Number(f[0].width), h: Number(f[0].height) };
}
function points(p: Attrs): [number, number][] {
  return p.points.split(' ').map((s) => s.split(',').map(Number) as [number, number]);
}
/** Tick value ↔ pixel pairs of the y axis: the y axis maps value → pixel linearly; returns pixel → value. */
function yInverse(svg: string): (y: number) => number {
  const [ax] = [...svg.matchAll(/<g class="axis-y">([\s\S]*?)<\/g>/g)].map((m) => m[1]);
  const ticks = tags(ax, 'line').filter((a) => a.class === 'tick').map((a) => [Number(a['data-v']), Number(a.y1)]);
  const [[v0, p0], [v1, p1]] = [ticks[0], ticks[ticks.length - 1]];
  return (y) => v0 + ((y - p0) * (v1 - v0)) / (p1 - p0);
}

describe('lineplotSVG / tracesSVG', () => {
  test('each point of each trace sits at x = left + (t - t0)/(t1 - t0)·width, y = bottom - (v - v0)/(v1 - v0)·height', () => {
    const t = [0, 1, 2, 3, 4, 5];
    const a = [-70, -65, -60, -52, -70, -68];
    const b = [-60, -61, -62, -63, -64, -65];
    const xlim: [number, number] = [0, 5], ylim: [number, number] = [-80, -40];
    const svg = lineplotSVG([{ label: 'n0', t, values: a }, { label: 'n1', t, values: b, color: '#123456' }], { xlim, ylim, ylabel: 'V (mV)' });
    const f = frameOf(svg);
    const lines = tags(svg, 'polyline').filter((p) => p.class === 'trace');
    expect(lines.map((l) => l['data-label'])).toEqual(['n0', 'n1']);
    [a, b].forEach((vals, i) => {
      const pts = points(lines[i]);
      expect(pts).toHaveLength(t.length);
      pts.forEach(([x, y], k) => {
        expect(Math.abs(x - (f.x + ((t[k] - xlim[0]) / (xlim[1] - xlim[0])) * f.w))).toBeLessThan(0.006);
        expect(Math.abs(y - (f.y + f.h - ((vals[k] - ylim[0]) / (ylim[1] - ylim[0])) * f.h))).toBeLessThan(0.006);
      });
    });
    // the legend: one swatch per series, in the series' colour
    const sw = tags(svg, 'rect').filter((r) => r.class === 'swatch');
    expect(sw.map((s) => [s['data-label'], s.fill])).toEqual([['n0', lines[0].stroke], ['n1', '#123456']]);
    expect(lines[1].stroke).toBe('#123456');
  });

  test('default y range: ticks cover the data and the points invert to the values', () => {
    const t = [0, 10, 20], v = [1.5, 7.25, 3];
    const svg = lineplotSVG([{ label: 'x', t, values: v }]);
    const inv = yInverse(svg);
    const f = frameOf(svg);
    expect(inv(f.y + f.h)).toBeLessThanOrEqual(1.5);
    expect(inv(f.y)).toBeGreaterThanOrEqual(7.25);
    points(tags(svg, 'polyline')[0]).forEach(([, y], k) => expect(inv(y)).toBeCloseTo(v[k], 1));
    expect(tags(svg, 'rect').filter((r) => r.class === 'swatch')).toHaveLength(0); // one series: no legend
  });

  test('samples outside xlim are not drawn', () => {
    const svg = lineplotSVG([{ label: 'x', t: [0, 1, 2, 3, 4], values: [0, 1, 2, 3, 4] }], { xlim: [1, 3] });
    expect(points(tags(svg, 'polyline')[0])).toHaveLength(3);
  });

  test('from value-monitor data: one line per neuron, the right column, subset noted', () => {
    // 3 records × 3 columns recorded for neurons 2, 5, 9: column j at row r is 10 r + j
    const data = Float32Array.from([0, 1, 2, 10, 11, 12, 20, 21, 22]);
    const mon = { data, ts: Float64Array.from([0, 0.5, 1]), width: 3, indices: Int32Array.from([2, 5, 9]) };
    const svg = tracesSVG(mon, { neurons: [9, 2], ylim: [0, 30], xlim: [0, 1] });
    const f = frameOf(svg);
    const lines = tags(svg, 'polyline').filter((p) => p.class === 'trace');
    expect(lines.map((l) => l['data-label'])).toEqual(['#9', '#2']);
    const vOf = (y: number) => ((f.y + f.h - y) / f.h) * 30;
    expect(points(lines[0]).map(([, y]) => Math.round(vOf(y) * 100) / 100)).toEqual([2, 12, 22]);
    expect(points(lines[1]).map(([, y]) => Math.round(vOf(y) * 100) / 100)).toEqual([0, 10, 20]);
    const many = tracesSVG(mon, { maxTraces: 2 });
    expect(tags(many, 'polyline').filter((p) => p.class === 'trace')).toHaveLength(2);
    expect(texts(many, 'note')).toEqual(['showing 2 of 3 traces']);
  });

  test('bad input names the function and the argument', () => {
    expect(() => lineplotSVG([])).toThrow(/lineplotSVG: series is empty/);
    expect(() => lineplotSVG([{ label: 'a', t: [0, 1], values: [0, NaN] }])).toThrow(/lineplotSVG: series\[0\] \("a"\).values\[1\] is not finite/);
    expect(() => lineplotSVG([{ label: 'a', t: [0, 1], values: [0] }])).toThrow(/2 times but 1 values/);
    expect(() => lineplotSVG([{ label: 'a', t: [0, 1], values: [0, 1] }], { ylim: [1, 1] })).toThrow(/lineplotSVG: opts.ylim/);
    expect(() => tracesSVG({ data: new Float32Array(0), ts: new Float64Array(0), width: 2 })).toThrow(/tracesSVG: traces has no records/);
  });
});

describe('histograms', () => {
  /** Bars read back: [left, right] in data units from the frame and the x limits; height through the y ticks. */
  function readBars(svg: string, xlim: [number, number], label?: string): { lo: number; hi: number; h: number }[] {
    const f = frameOf(svg);
    const inv = yInverse(svg);
    const xOf = (x: number) => xlim[0] + ((x - f.x) / f.w) * (xlim[1] - xlim[0]);
    return tags(svg, 'rect')
      .filter((r) => r.class === 'bar' && (label === undefined || r['data-label'] === label))
      .map((r) => {
        // every bar stands on the axis
        expect(Number(r.y) + Number(r.height)).toBeCloseTo(f.y + f.h, 1);
        expect(inv(f.y + f.h)).toBeCloseTo(0, 6);
        return { lo: xOf(Number(r.x)), hi: xOf(Number(r.x) + Number(r.width)), h: inv(Number(r.y)) };
      });
  }
  const round = (b: { lo: number; hi: number; h: number }[]) => b.map((x) => [x.lo, x.hi, x.h].map((v) => Math.round(v * 100) / 100));

  test('bar heights and spans for given bins', () => {
    const svg = histogramSVG([{ label: 'h', edges: [0, 1, 2, 3], heights: [2, 5, 1] }], { unit: 'ms' });
    expect(round(readBars(svg, [0, 3]))).toEqual([[0, 1, 2], [1, 2, 5], [2, 3, 1]]);
    expect(texts(svg, 'bin-note')).toEqual(['bin 1 ms']);
  });

  test('ISI histogram of known trains', () => {
    // n0: ISIs 20 20 20 20; n1: 10 30 → bins of 10 over [0, 30]: [0,10) 0, [10,20) 1, [20,30] 5 (30 joins the last bin)
    const spikes = { num: 4, times: [5, 10, 15, 30, 45, 50, 60, 70, 90], indices: [1, 0, 1, 0, 1, 0, 2, 0, 0] };
    const svg = isiHistogramSVG([{ label: 'E', spikes }], { binMs: 10 });
    expect(round(readBars(svg, [0, 30]))).toEqual([[0, 10, 0], [10, 20, 1], [20, 30, 5]]);
    expect(texts(svg, 'bin-note')).toEqual(['bin 10 ms']);
  });

  test('firing-rate histogram: neurons per rate bin', () => {
    // rates over [0, 100): 50 30 10 0 Hz → bins of 20 Hz over [0, 60): 2 1 1
    const spikes = { num: 4, times: [5, 10, 15, 30, 45, 50, 60, 70, 90], indices: [1, 0, 1, 0, 1, 0, 2, 0, 0] };
    const svg = rateHistogramSVG([{ label: 'E', spikes }], { window: [0, 100], binHz: 20 });
    expect(round(readBars(svg, [0, 60]))).toEqual([[0, 20, 2], [20, 40, 1], [40, 60, 1]]);
    expect(texts(svg, 'bin-note')).toEqual(['bin 20 Hz']);
  });

  test('population rate histogram, two groups, smoothed overlay and legend', () => {
    const A = { num: 4, times: [5, 10, 15, 30, 45, 50, 60, 70, 90], indices: [1, 0, 1, 0, 1, 0, 2, 0, 0] };
    const B = { num: 1, times: [80], indices: [0] };
    const svg = populationRateSVG([{ label: 'A', spikes: A }, { label: 'B', spikes: B, color: '#00aa00' }], { window: [0, 100], binMs: 25, smooth: { window: 'flat', widthMs: 75 } });
    // A: 3 2 3 1 spikes per bin / (4 × 0.025 s); B: one spike in [75, 100) / (1 × 0.025 s)
    expect(round(readBars(svg, [0, 100], 'A')).map((b) => b[2])).toEqual([30, 20, 30, 10]);
    expect(round(readBars(svg, [0, 100], 'B')).map((b) => b[2])).toEqual([0, 0, 0, 40]);
    const ov = tags(svg, 'polyline').filter((p) => p.class === 'overlay');
    expect(ov.map((o) => o['data-label'])).toEqual(['A smoothed', 'B smoothed']);
    // 3-bin flat window on A's 30 20 30 10: (0 + 30 + 20) / 3 at the first bin
    const inv = yInverse(svg);
    expect(inv(points(ov[0])[0][1])).toBeCloseTo(50 / 3, 1);
    expect(texts(svg, 'bin-note')).toEqual(['bin 25 ms, flat window 75 ms']);
    expect(tags(svg, 'rect').filter((r) => r.class === 'swatch').map((s) => s['data-label'])).toEqual(['A', 'B', 'A smoothed', 'B smoothed']);
    expect(tags(svg, 'rect').find((r) => r.class === 'swatch' && r['data-label'] === 'B')!.fill).toBe('#00aa00');
  });

  test('bad input names the function and the argument', () => {
    expect(() => histogramSVG([])).toThrow(/histogramSVG: series is empty/);
    expect(() => histogramSVG([{ label: 'h', edges: [0, 1], heights: [-1] }])).toThrow(/histogramSVG: series\[0\] \("h"\).heights\[0\]/);
    expect(() => histogramSVG([{ label: 'h', edges: [0, 1, 2], heights: [1] }])).toThrow(/1 heights but 3 edges/);
    const s = { num: 2, times: [1, 2], indices: [0, 1] };
    expect(() => isiHistogramSVG([{ label: 'E', spikes: s }], { binMs: 5 })).toThrow(/isiHistogramSVG: no neuron has 2 spikes/);
    expect(() => isiHistogramSVG([{ label: 'E', spikes: s }], { binMs: -1 })).toThrow(/isiHistogramSVG: opts.binMs/);
    expect(() => populationRateSVG([{ label: 'E', spikes: s }], { window: [0, 10], binMs: 0 })).toThrow(/populationRate: opts.binMs/);
  });
});

describe('rasterSVG subsampling and rate panel', () => {
  function big(num: number, n: number): RasterPanel {
    const times = new Float64Array(n), indices = new Int32Array(n);
    for (let k = 0; k < n; k++) { times[k] = (k * 1000) / n; indices[k] = (k * 7919) % num; }
    return { label: 'E', num, times, indices };
  }
  function marks(svg: string): number {
    const paths = tags(svg, 'path').filter((p) => p.class === 'spikes');
    if (paths.length) return paths.reduce((a, p) => a + (p.d.match(/M/g) ?? []).length, 0);
    return tags(svg, 'rect').filter((r) => r.class === undefined).length;
  }

  test('maxSpikes: exactly that many marks, spread over the whole run, same figure every time', () => {
    const p = big(400, 20000);
    const svg = rasterSVG([p], { xlim: [0, 1000], maxSpikes: 1000, marks: 'path' });
    expect(marks(svg)).toBe(1000);
    expect(rasterSVG([p], { xlim: [0, 1000], maxSpikes: 1000, marks: 'path' })).toBe(svg);
    expect(texts(svg, 'subsample-note')).toEqual(['showing 1000 of 20000 spikes']);
    // evenly thinned: each tenth of the run keeps about a tenth of the marks
    const xs = [...tags(svg, 'path').find((q) => q.class === 'spikes')!.d.matchAll(/M([\d.]+) /g)].map((m) => Number(m[1]));
    const f = tags(svg, 'rect').find((r) => r.class === 'frame')!;
    const dec = new Array(10).fill(0);
    for (const x of xs) dec[Math.min(9, Math.floor(((x - Number(f.x)) / Number(f.width)) * 10))]++;
    for (const c of dec) expect(Math.abs(c - 100)).toBeLessThanOrEqual(2);
  });

  test('maxNeurons: only neurons floor(j·num/m) are drawn, at their own rows; the rate panel counts every spike', () => {
    const p: RasterPanel = { label: 'E', num: 10, times: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], indices: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] };
    // m = 4 of 10: neurons 0, 2, 5, 7
    const svg = rasterSVG([p], { xlim: [0, 20], maxNeurons: 4, marks: 'rect', rateBinMs: 10 });
    const f = tags(svg, 'rect').find((r) => r.class === 'frame')!;
    const rows = tags(svg, 'rect').filter((r) => r.class === undefined)
      .map((r) => Math.round(((Number(f.y) + Number(f.height) - (Number(r.y) + Number(r.height) / 2)) / Number(f.height)) * 10 - 0.5));
    expect(rows.sort((a, b) => a - b)).toEqual([0, 2, 5, 7]);
    expect(texts(svg, 'subsample-note')).toEqual(['showing 4 of 10 neurons']);
    expect(texts(svg, 'bin-note')).toEqual(['bin 10 ms']);
    // bin [0, 10): spikes at 1..9 → 9 / (10 × 0.01 s) = 90 Hz, from all 10 neurons
    const rate = tags(svg, 'polyline').find((l) => l.class === 'rate')!;
    const [rg] = [...svg.matchAll(/<g class="panel rate"[\s\S]*$/g)].map((m) => m[0]);
    const inv = yInverse(rg);
    expect(inv(points(rate)[0][1])).toBeCloseTo(90, 1);
  });

  test('rate panel legend: one swatch per group in its colour', () => {
    const a: RasterPanel = { label: 'E', num: 2, times: [1], indices: [0], color: '#ff0000' };
    const b: RasterPanel = { label: 'I', num: 2, times: [2], indices: [1], color: '#0000ff' };
    const svg = rasterSVG([a, b], { xlim: [0, 10], rateBinMs: 5 });
    expect(tags(svg, 'rect').filter((r) => r.class === 'swatch').map((s) => [s['data-label'], s.fill])).toEqual([['E', '#ff0000'], ['I', '#0000ff']]);
  });

  test('bad subsampling options name the option', () => {
    const p = big(10, 10);
    expect(() => rasterSVG([p], { maxSpikes: 0 })).toThrow(/rasterSVG: opts.maxSpikes must be a positive integer/);
    expect(() => rasterSVG([p], { maxNeurons: 2.5 })).toThrow(/rasterSVG: opts.maxNeurons/);
    expect(() => rasterSVG([{ label: 'x', num: 2, times: [NaN], indices: [0] }])).toThrow(/rasterSVG: panel "x" spike 0 has time NaN/);
  });
});
