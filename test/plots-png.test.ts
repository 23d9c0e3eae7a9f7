/**
 * PNG rendering of our SVGs through resvg. The PNG is decoded here (chunks, zlib inflate, row filters), and
 * pixels are checked at positions computed from the figure's axis mapping.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { histogramSVG, rasterSVG } from '../src/plots';
import { decodePNG } from './png-decode';
import { svgToPNG, writePNG } from '../src/node/png';
import { writeFigure } from '../src/node';


const hex = (c: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number];
function expectColour(p: number[], c: string, tol = 8): void {
  const [r, g, b] = hex(c);
  expect(Math.abs(p[0] - r)).toBeLessThanOrEqual(tol);
  expect(Math.abs(p[1] - g)).toBeLessThanOrEqual(tol);
  expect(Math.abs(p[2] - b)).toBeLessThanOrEqual(tol);
}
function frame(svg: string): { x: number; y: number; w: number; h: number } {
  const m = /<rect class="frame" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
  return { x: Number(m[1]), y: Number(m[2]), w: Number(m[3]), h: Number(m[4]) };
}

describe('svgToPNG', () => {
  // one neuron of two, one wide mark at t = 30 ms on [0, 100]
  const svg = rasterSVG([{ label: 'E', num: 2, times: [30], indices: [1], color: '#d62728' }], { xlim: [0, 100], width: 400, height: 300, marks: 'rect', markWidth: 10 });
  const f = frame(svg);
  const mx = f.x + 0.3 * f.w, my = f.y + f.h - 1.5 * (f.h / 2); // row of neuron 1: value 1.5 on 0 (bottom) .. 2 (top)

  test('size from IHDR, not blank, the mark in its colour where the axes put it', () => {
    const img = decodePNG(svgToPNG(svg));
    expect([img.width, img.height]).toEqual([400, 300]);
    expectColour(img.px(mx, my), '#d62728');
    // elsewhere in the plot area: white background; the frame: dark
    expectColour(img.px(f.x + 0.7 * f.w, my), '#ffffff');
    expectColour(img.px(mx, f.y + f.h - 0.5 * (f.h / 2)), '#ffffff'); // neuron 0's row is empty
    let dark = 0, light = 0;
    for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
      const [r, g, b] = img.px(x, y);
      if (r + g + b < 300) dark++;
      if (r + g + b > 700) light++;
    }
    expect(dark).toBeGreaterThan(100); // axes, ticks, labels
    expect(light).toBeGreaterThan((img.width * img.height) / 2);
  });

  test('width option scales the whole figure', () => {
    const img = decodePNG(svgToPNG(svg, { width: 800 }));
    expect([img.width, img.height]).toEqual([800, 600]);
    expectColour(img.px(mx * 2, my * 2), '#d62728');
  });

  test('a histogram bar is filled with its colour at its centre', () => {
    const h = histogramSVG([{ label: 'h', edges: [0, 1, 2], heights: [4, 1], color: '#2ca02c' }], { width: 300, height: 200 });
    const fr = frame(h);
    const img = decodePNG(svgToPNG(h));
    // bar 0 spans x in [0, 1] of [0, 2] and rises to 4 of a 0..4 axis (the tallest bar reaches the top tick)
    expectColour(img.px(fr.x + 0.25 * fr.w, fr.y + 0.4 * fr.h), '#2ca02c');
    expectColour(img.px(fr.x + 0.75 * fr.w, fr.y + 0.4 * fr.h), '#ffffff'); // bar 1 is only a quarter as high (0.4: between grid lines)
    expectColour(img.px(fr.x + 0.75 * fr.w, fr.y + 0.9 * fr.h), '#2ca02c');
  });

  test('writePNG creates the folder and writes a PNG; bad input names the function and the argument', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-png-'));
    try {
      const p = join(dir, 'sub', 'r.png');
      expect(writePNG(p, svg)).toBe(p);
      expect(decodePNG(new Uint8Array(readFileSync(p))).width).toBe(400);
    } finally { rmSync(dir, { recursive: true, force: true }); }
    expect(() => svgToPNG('hello')).toThrow(/svgToPNG: svg must be SVG text/);
    expect(() => svgToPNG(svg, { width: -3 })).toThrow(/svgToPNG: opts.width/);
    expect(() => svgToPNG(svg, { scale: NaN })).toThrow(/svgToPNG: opts.scale/);
  });
});

describe('writeFigure', () => {
  test('picks SVG or PNG by extension', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bw-fig-'));
    try {
      const svg = histogramSVG([{ label: 'h', edges: [0, 1], heights: [1] }]);
      writeFigure(join(dir, 'a.svg'), svg);
      writeFigure(join(dir, 'a.png'), svg);
      expect(readFileSync(join(dir, 'a.svg'), 'utf8')).toBe(svg);
      expect(Array.from(readFileSync(join(dir, 'a.png')).subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
      expect(() => writeFigure(join(dir, 'a.jpg'), svg)).toThrow(/writeFigure: path must end in .svg or .png/);
    } finally { rmSync(dir, { recursive: true, force: true }); }
  });
});
