/**
 * Philox4x32 against Random123's known-answer vectors (DEShawResearch/random123, tests/kat_vectors,
 * commit 9545ff64, lines 24–29), the float32 halves form against the uint32 form, the uniform and normal
 * conversions' statistics, and the same arithmetic inside gpu.js kernels in every mode that runs here.
 */
import {
  philox4x32, mulhi32, philoxHalvesJS, philoxKernelSource, toHalves, u01, u01Halves, boxMuller, PhiloxStream,
} from '../src/backends/gpu/philox';
import { createNodeGPUContext, kernelMode } from '../src/node/gpu';
import { gpuTest } from './gpu-helpers';

const KAT: [number, number[], number[], number[]][] = [
  [7, [0, 0, 0, 0], [0, 0], [0x5f6fb709, 0x0d893f64, 0x4f121f81, 0x4f730a48]],
  [7, [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x5207ddc2, 0x45165e59, 0x4d8ee751, 0x8c52f662]],
  [7, [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0x4dfccaba, 0x190a87f0, 0xc47362ba, 0xb6b5242a]],
  [10, [0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
  [10, [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
  [10, [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
];

/** Deterministic uint32s for inputs (xorshift32). */
function words(n: number, seed = 2463534242): Uint32Array {
  const a = new Uint32Array(n); let x = seed;
  for (let i = 0; i < n; i++) { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; a[i] = x; }
  return a;
}

/** Kolmogorov–Smirnov distance of a sample from a CDF. */
function ks(xs: number[], cdf: (x: number) => number): number {
  const s = xs.slice().sort((a, b) => a - b); const n = s.length; let d = 0;
  for (let i = 0; i < n; i++) { const F = cdf(s[i]); d = Math.max(d, Math.abs(F - i / n), Math.abs((i + 1) / n - F)); }
  return d;
}
const erf = (x: number) => { // Abramowitz & Stegun 7.1.26, |error| < 1.5e-7
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
};
const normalCdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
const moments = (xs: number[]) => { const m = xs.reduce((a, b) => a + b, 0) / xs.length; return [m, xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length]; };
// 1% critical value of the KS statistic, n large: 1.628 / √n.
const ksCrit = (n: number) => 1.628 / Math.sqrt(n);

describe('Philox4x32 in JavaScript', () => {
  test.each(KAT)('known answer, %i rounds, counter %j key %j', (rounds, ctr, key, want) => {
    expect(Array.from(philox4x32(ctr, key, rounds))).toEqual(want);
  });

  test('mulhi32 equals the BigInt product for extreme and random operands', () => {
    const w = words(2000);
    const xs = [0, 1, 0xffff, 0x10000, 0xffffffff, 0x80000000, ...w];
    for (let i = 0; i < xs.length - 1; i++) {
      const want = Number((BigInt(xs[i]) * BigInt(xs[i + 1])) >> 32n);
      expect(mulhi32(xs[i], xs[i + 1])).toBe(want);
    }
  });

  test('halves form, every operation rounded to float32, equals the uint32 form (KAT + 3000 random)', () => {
    const f = philoxHalvesJS(10, true), f7 = philoxHalvesJS(7, true);
    for (const [rounds, ctr, key, want] of KAT) {
      const h = (rounds === 10 ? f : f7)(...toHalves([...ctr, ...key]));
      expect(Array.from({ length: 4 }, (_, w) => h[2 * w] * 65536 + h[2 * w + 1])).toEqual(want);
    }
    const w = words(6 * 3000, 7);
    for (let i = 0; i < 3000; i++) {
      const ctr = w.subarray(6 * i, 6 * i + 4), key = w.subarray(6 * i + 4, 6 * i + 6);
      const h = f(...toHalves(w.subarray(6 * i, 6 * i + 6)));
      const e = philox4x32(ctr, key);
      for (let j = 0; j < 4; j++) if (h[2 * j] * 65536 + h[2 * j + 1] !== e[j]) throw new Error(`mismatch at ${i}.${j}`);
    }
  });

  test('u01 lies in (0, 1), is exact in float32, and agrees with the halves form', () => {
    for (const x of [0, 1, 511, 512, 0x7fffffff, 0xffffffff, ...words(1000, 3)]) {
      const u = u01(x);
      expect(u).toBeGreaterThan(0); expect(u).toBeLessThan(1);
      expect(Math.fround(u)).toBe(u);
      expect(u01Halves(x >>> 16, x & 0xffff)).toBe(u);
    }
  });

  test('uniforms: mean 1/2, variance 1/12, KS below the 1% critical value; counters give independent streams', () => {
    const s = new PhiloxStream(42, 0, 0), us: number[] = [];
    for (let i = 0; i < 25000; i++) us.push(...s.uniform4(i));
    const [m, v] = moments(us);
    expect(Math.abs(m - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / us.length));
    expect(Math.abs(v - 1 / 12)).toBeLessThan(0.002);
    expect(ks(us, (x) => x)).toBeLessThan(ksCrit(us.length));
    // Lag-1 correlation of consecutive draws, and of two streams, near 0.
    const corr = (a: number[], b: number[]) => { let c = 0; for (let i = 0; i < a.length; i++) c += (a[i] - 0.5) * (b[i] - 0.5); return c / a.length * 12; };
    expect(Math.abs(corr(us.slice(0, -1), us.slice(1)))).toBeLessThan(0.02);
    const other = new PhiloxStream(42, 0, 1), vs: number[] = [];
    for (let i = 0; i < 25000; i++) vs.push(...other.uniform4(i));
    expect(Math.abs(corr(us, vs))).toBeLessThan(0.02);
  });

  test('normals (Box–Muller): mean 0, variance 1, KS below the 1% critical value', () => {
    const s = new PhiloxStream(7), zs: number[] = [];
    for (let i = 0; i < 50000; i++) zs.push(...s.normal2(i));
    const [m, v] = moments(zs);
    expect(Math.abs(m)).toBeLessThan(4 / Math.sqrt(zs.length));
    expect(Math.abs(v - 1)).toBeLessThan(0.02);
    expect(ks(zs, normalCdf)).toBeLessThan(ksCrit(zs.length));
  });

  test('9 rounds differ from 10 (the KAT comparison can fail)', () => {
    const f = philoxHalvesJS(9, false);   // 9 rounds is not Philox4x32-10
    const h = f(...toHalves([0, 0, 0, 0, 0, 0]));
    expect(h[0] * 65536 + h[1]).not.toBe(0x6627e8d5);
  });
});

describe.each(['cpu', 'webasm', 'webgpu', 'headlessgl'] as const)('Philox4x32-10 as a gpu.js kernel', (mode) => {
  const t = gpuTest(mode);
  t.fn(t.title('bit-exact against JS on the KAT and 2000 random counters; uniforms and normals pass mean/variance/KS'), async () => {
    const ctx = await createNodeGPUContext({ mode, allowSoftware: true });
    try {
      const n = 2000, w = words(4 * n, 11);
      KAT.filter((k) => k[0] === 10).forEach((k, j) => w.set(k[1], 4 * j));
      const key = [0xa4093822, 0x299f31d0];
      const k = ctx.gpu.createKernel(philoxKernelSource('halves'), { output: [8 * n] });
      let h: any = k(toHalves(w), toHalves(key)); if (h && h.then) h = await h;
      expect(kernelMode(k)).toBe(mode);    // gpu.js did not silently fall back to cpu
      let bad = 0;
      for (let i = 0; i < n; i++) {
        const e = philox4x32(w.subarray(4 * i, 4 * i + 4), key);
        for (let j = 0; j < 4; j++) if (h[8 * i + 2 * j] * 65536 + h[8 * i + 2 * j + 1] !== e[j]) bad++;
      }
      expect(bad).toBe(0);

      const ku = ctx.gpu.createKernel(philoxKernelSource('uniform'), { output: [4 * n] });
      const ctr = new Uint32Array(4 * n); for (let i = 0; i < n; i++) ctr[4 * i] = i;
      let u: any = ku(toHalves(ctr), toHalves([42, 0])); if (u && u.then) u = await u;
      const us = Array.from(u as ArrayLike<number>);
      const js = new PhiloxStream(42);
      for (let i = 0; i < n; i += 97) expect(us.slice(4 * i, 4 * i + 4)).toEqual(js.uniform4(i));
      const [m, v] = moments(us);
      expect(Math.abs(m - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / us.length));
      expect(Math.abs(v - 1 / 12)).toBeLessThan(0.005);
      expect(ks(us, (x) => x)).toBeLessThan(ksCrit(us.length));

      const nn = 20000, kn = ctx.gpu.createKernel(philoxKernelSource('normal'), { output: [2 * nn] });
      const cn = new Uint32Array(4 * nn); for (let i = 0; i < nn; i++) cn[4 * i] = i;
      let z: any = kn(toHalves(cn), toHalves([7, 0])); if (z && z.then) z = await z;
      const zs = Array.from(z as ArrayLike<number>), jz = new PhiloxStream(7);
      for (let i = 0; i < nn; i += 997) {          // float32 log/cos against JS doubles
        const [a, b] = jz.normal2(i);
        expect(Math.abs(zs[2 * i] - a)).toBeLessThan(1e-3); expect(Math.abs(zs[2 * i + 1] - b)).toBeLessThan(1e-3);
      }
      const [mz, vz] = moments(zs);
      expect(Math.abs(mz)).toBeLessThan(4 / Math.sqrt(zs.length));
      expect(Math.abs(vz - 1)).toBeLessThan(0.03);
      expect(ks(zs, normalCdf)).toBeLessThan(ksCrit(zs.length));
    } finally { ctx.destroy(); }
  });
});
