/**
 * Counter-based random numbers in gpu kernels (src/backends/gpu/translate.ts, philox.ts): `this.rng.*()`
 * inside element-wise loops. In every gpu.js mode that runs here: the draws are the documented Philox
 * counters (element, step, kernel, draw) and key (seed), bit for bit for uniforms; the distributions pass
 * mean, variance and KS / chi-square checks at bounds derived from the sample size; draws of neighbouring
 * elements, consecutive steps, two sites and two groups are uncorrelated; the same seed gives the same
 * numbers however the run is cut, another seed other numbers; the step count stays exact beyond 2^24 and
 * 2^32. And what is still refused: draws at the step level and in serial loops, naming the line.
 */
import { Network, NeuGroup, Variable, ValueMonitorData } from '../src';
import { setGPUMode } from '../src/node/gpu';
import { drawUniforms, RNG_LOOP_DRAW } from '../src/backends/gpu/philox';
import { gpuTest } from './gpu-helpers';
import type { ConcreteMode } from '../src/backends/gpu/context';

const MODES: ConcreteMode[] = ['cpu', 'webasm', 'webgpu'];

class Uni extends NeuGroup {
  u = new Variable(this.num);
  a = new Variable(this.num);
  update() {
    for (let i = 0; i < this.num; i++) { this.u[i] = this.rng.random(); this.a[i] = this.rng.uniform(-2, 3); }
  }
}
class Gauss extends NeuGroup {
  g = new Variable(this.num);
  update() { for (let i = 0; i < this.num; i++) this.g[i] = this.rng.normal(1, 2); }
}
class Expo extends NeuGroup {
  e = new Variable(this.num);
  k = new Variable(this.num, { dtype: 'int32' });
  update() { for (let i = 0; i < this.num; i++) { this.e[i] = this.rng.exponential(2); this.k[i] = this.rng.randint(6); } }
}
class Pois extends NeuGroup {
  p = new Variable(this.num);
  q = new Variable(this.num);
  update() { for (let i = 0; i < this.num; i++) { this.p[i] = this.rng.poisson(3); this.q[i] = this.rng.poisson(50); } }
}
/** Draws inside an inner loop (one Philox block per draw, counted per element and step). */
class Sum3 extends NeuGroup {
  s = new Variable(this.num);
  update() {
    for (let i = 0; i < this.num; i++) {
      let acc = 0;
      for (let k = 0; k < 3; k++) acc += this.rng.random();
      this.s[i] = acc;
    }
  }
}
class StepLevel extends NeuGroup {
  x = new Variable(this.num);
  update() {
    const n = this.rng.normal();
    for (let i = 0; i < this.num; i++) this.x[i] = n;
  }
}
class SerialDraw extends NeuGroup {
  x = new Variable(this.num);
  update() { for (let i = 1; i < this.num; i++) this.x[i] = this.x[i - 1] + this.rng.normal(); }
}

// ------------------------------------------------------------------ statistics
const mean = (x: ArrayLike<number>) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]; return s / x.length; };
const central = (x: ArrayLike<number>, k: number) => { const m = mean(x); let s = 0; for (let i = 0; i < x.length; i++) s += (x[i] - m) ** k; return s / x.length; };
const corr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  const ma = mean(a), mb = mean(b); let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += (a[i] - ma) * (b[i] - mb); aa += (a[i] - ma) ** 2; bb += (b[i] - mb) ** 2; }
  return ab / Math.sqrt(aa * bb);
};
/** Kolmogorov–Smirnov distance of a sample from a CDF. */
function ks(xs: ArrayLike<number>, cdf: (x: number) => number): number {
  const s = Float64Array.from(xs).sort(); const n = s.length; let d = 0;
  for (let i = 0; i < n; i++) { const F = cdf(s[i]); d = Math.max(d, Math.abs(F - i / n), Math.abs((i + 1) / n - F)); }
  return d;
}
/** KS critical value at level 10^-4 (asymptotic: √(ln(2/α)/2) / √n). */
const ksCrit = (n: number) => Math.sqrt(Math.log(2e4) / 2) / Math.sqrt(n);
const erf = (x: number) => { // Abramowitz & Stegun 7.1.26, |error| < 1.5e-7
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
};
/**
 * Mean and variance of a sample against the distribution's: |m − μ| ≤ 5·σ/√n, and |v − σ²| ≤ 5·SE(v) with
 * SE(v) = √((μ4 − σ⁴)/n) (μ4: the fourth central moment). 5 standard errors: a false alarm is < 10⁻⁶ per check.
 */
function moments(x: ArrayLike<number>, mu: number, var_: number, mu4: number, what: string): void {
  const n = x.length, m = mean(x), v = central(x, 2);
  const dm = Math.abs(m - mu), dv = Math.abs(v - var_);
  if (!(dm <= 5 * Math.sqrt(var_ / n))) throw new Error(`${what}: mean ${m}, expected ${mu} ± ${5 * Math.sqrt(var_ / n)} (n = ${n})`);
  if (!(dv <= 5 * Math.sqrt((mu4 - var_ * var_) / n))) throw new Error(`${what}: variance ${v}, expected ${var_} ± ${5 * Math.sqrt((mu4 - var_ * var_) / n)} (n = ${n})`);
}
/** Chi-square of integer counts 0 … k−1 against equal probabilities. */
function chi2Uniform(x: ArrayLike<number>, k: number): number {
  const c = new Float64Array(k);
  for (let i = 0; i < x.length; i++) { if (!(x[i] >= 0 && x[i] < k && Number.isInteger(x[i]))) throw new Error(`value ${x[i]} outside 0..${k - 1}`); c[x[i]]++; }
  const e = x.length / k; let s = 0;
  for (const o of c) s += (o - e) ** 2 / e;
  return s;
}

/** Values of a per-step value monitor: [step][element]. */
function rows(r: { monitors: Record<string, unknown> }, key: string, width: number): Float32Array[] {
  const m = r.monitors[key] as ValueMonitorData;
  return Array.from({ length: m.ts.length }, (_, s) => Float32Array.from(m.data.subarray(s * width, (s + 1) * width)));
}
const flat = (rs: Float32Array[]) => { const o = new Float64Array(rs.length * (rs[0]?.length ?? 0)); rs.forEach((r, s) => o.set(r, s * r.length)); return o; };

describe('gpu backend refuses draws without a counter, naming the statement', () => {
  beforeAll(() => setGPUMode('cpu'));
  test('a draw at the step level', async () => {
    await expect(new Network({ N: new StepLevel(5) }).run(0.2, { backend: 'gpu' }))
      .rejects.toThrow(/StepLevel 'N', method update\(\), line 2.*this\.rng\.normal\(\) at the step level.*element-wise loop/s);
  });
  test('a draw in a serial loop', async () => {
    await expect(new Network({ N: new SerialDraw(5) }).run(0.2, { backend: 'gpu' }))
      .rejects.toThrow(/SerialDraw 'N', method update\(\), line 1.*this\.rng\.normal\(\) in a loop classified 'serial'.*element-wise/s);
  });
  test('the js backend still runs both (sequential stream)', async () => {
    await new Network({ N: new StepLevel(5) }).run(0.2, { backend: 'js' });
    await new Network({ N: new SerialDraw(5) }).run(0.2, { backend: 'js' });
  });
});

describe.each(MODES)('gpu backend draws, mode %s', (mode) => {
  const { title, fn } = gpuTest(mode);
  beforeEach(() => setGPUMode(mode));

  fn(title('every draw is Philox4x32-10 of (element, step, kernel, draw) keyed by the seed, exact beyond 2^24 and 2^32 steps'), async () => {
    const seed = 2 ** 33 + 12345, n = 7;
    for (const start of [0, 2 ** 24 - 1, 2 ** 32 + 2 ** 24 + 1]) {
      const net = new Network({ U: new Uni(n), S: new Sum3(n), G: new Gauss(n) }, { seed });
      net.build();
      net.stepsDone = start;
      const r = await net.run(0.3, { dt: 0.1, backend: 'gpu', monitors: ['U.u', 'U.a', 'S.s', 'G.g'] });
      const u = rows(r, 'U.u', n), a = rows(r, 'U.a', n), s = rows(r, 'S.s', n), g = rows(r, 'G.g', n);
      expect(u.length).toBe(3);
      for (let st = 0; st < 3; st++) {
        for (let j = 0; j < n; j++) {
          // kernels are numbered in step order among the loops that draw: U 0, S 1, G 2
          const b = drawUniforms(seed, j, start + st, 0, 0);
          expect(u[st][j]).toBe(b[0]);                                  // u01 is exact in float32
          expect(a[st][j]).toBeCloseTo(-2 + 5 * b[1], 5);               // second site: the next word
          let acc = 0;
          for (let k = 0; k < 3; k++) acc += drawUniforms(seed, j, start + st, 1, RNG_LOOP_DRAW + k)[0];
          expect(s[st][j]).toBeCloseTo(acc, 5);
          const c = drawUniforms(seed, j, start + st, 2, 0);
          const z = Math.sqrt(-2 * Math.log(c[0])) * Math.cos(2 * Math.PI * c[1]);
          expect(Math.abs(g[st][j] - (1 + 2 * z))).toBeLessThan(2e-3);    // float32 log/cos
        }
      }
    }
    // a counter rounded to float32 would give steps 2^24 and 2^24 + 1 the same numbers: they differ
    expect(drawUniforms(seed, 0, 2 ** 24, 0, 0)[0]).not.toBe(drawUniforms(seed, 0, 2 ** 24 + 1, 0, 0)[0]);
  }, 120000);

  fn(title('distributions: mean and variance within 5 standard errors, KS and chi-square at 10^-4; no correlation across elements, steps, sites and groups'), async () => {
    // cpu mode runs gpu.js's JavaScript kernels inside jest's vm (slow global lookups): a smaller sample there
    const n = mode === 'cpu' ? 1000 : 2000, steps = 10;
    const net = new Network({ U: new Uni(n), U2: new Uni(n), G: new Gauss(n), X: new Expo(n), P: new Pois(n) }, { seed: 3 });
    const keys = ['U.u', 'U.a', 'U2.u', 'G.g', 'X.e', 'X.k', 'P.p', 'P.q'];
    const r = await net.run(steps * 0.1, { dt: 0.1, backend: 'gpu', monitors: keys });
    const R = Object.fromEntries(keys.map((k) => [k, rows(r, k, n)]));
    const N = n * steps;
    const u = flat(R['U.u']);
    moments(u, 0.5, 1 / 12, 1 / 80, 'random()');
    expect(ks(u, (x) => x)).toBeLessThan(ksCrit(N));
    for (const x of u) { expect(x).toBeGreaterThan(0); expect(x).toBeLessThan(1); }
    const a = flat(R['U.a']);
    moments(a, 0.5, 25 / 12, 625 / 80, 'uniform(-2, 3)');
    expect(ks(a, (x) => Math.min(1, Math.max(0, (x + 2) / 5)))).toBeLessThan(ksCrit(N));
    const g = flat(R['G.g']);
    moments(g, 1, 4, 3 * 16, 'normal(1, 2)');
    expect(ks(g, (x) => 0.5 * (1 + erf((x - 1) / 2 / Math.SQRT2)))).toBeLessThan(ksCrit(N));
    const e = flat(R['X.e']);
    moments(e, 2, 4, 9 * 16, 'exponential(2)');
    expect(ks(e, (x) => (x <= 0 ? 0 : 1 - Math.exp(-x / 2)))).toBeLessThan(ksCrit(N));
    // chi-square, 5 degrees of freedom: P(χ² > 25.74) = 10^-4
    expect(chi2Uniform(flat(R['X.k']), 6)).toBeLessThan(25.74);
    const p = flat(R['P.p']);
    for (const x of p) expect(Number.isInteger(x) && x >= 0).toBe(true);
    moments(p, 3, 3, 3 * (1 + 3 * 3), 'poisson(3)');
    // chi-square of the counts 0..7 and ≥ 8 against Poisson(3), 8 degrees of freedom: P(χ² > 33.72) = 10^-4
    const pk = (k: number) => Math.exp(-3) * 3 ** k / [1, 1, 2, 6, 24, 120, 720, 5040][k];
    const obs = new Float64Array(9); for (const x of p) obs[Math.min(8, x)]++;
    let chi = 0, rest = 1;
    for (let k = 0; k < 8; k++) { chi += (obs[k] - N * pk(k)) ** 2 / (N * pk(k)); rest -= pk(k); }
    chi += (obs[8] - N * rest) ** 2 / (N * rest);
    expect(chi).toBeLessThan(33.72);
    // λ > 30: the rounded normal approximation (as js): mean λ, variance λ + 1/12 (rounding), μ4 ≈ 3σ⁴
    moments(flat(R['P.q']), 50, 50 + 1 / 12, 3 * 50.08 ** 2, 'poisson(50)');

    // independence, |r| ≤ 5/√n: neighbouring elements, consecutive steps, two sites of one kernel, two
    // instances of one class (the same code in two kernels), two distributions of two kernels
    const bound = (m: number) => 5 / Math.sqrt(m);
    const U = R['U.u'];
    const left = flat(U.map((row) => row.subarray(0, n - 1))), right = flat(U.map((row) => row.subarray(1)));
    expect(Math.abs(corr(left, right))).toBeLessThan(bound(left.length));
    const now = flat(U.slice(0, -1)), next = flat(U.slice(1));
    expect(Math.abs(corr(now, next))).toBeLessThan(bound(now.length));
    expect(Math.abs(corr(u, a))).toBeLessThan(bound(N));
    const u2 = flat(R['U2.u']);
    expect(Math.abs(corr(u, u2))).toBeLessThan(bound(N));
    expect(Math.abs(corr(u, g))).toBeLessThan(bound(N));
    let same = 0; for (let i = 0; i < N; i++) if (u[i] === u2[i]) same++;
    expect(same).toBeLessThan(N / 1000);
  }, 300000);

  fn(title('the same seed gives the same numbers however the run is cut (run(a)+run(b), chunks); another seed other numbers'), async () => {
    const n = 50;
    const go = async (seed: number, parts: number[], chunk?: number) => {
      const net = new Network({ U: new Uni(n), G: new Gauss(n), P: new Pois(n), S: new Sum3(n) }, { seed });
      const keys = ['U.u', 'G.g', 'P.p', 'S.s'], per: number[][] = keys.map(() => []);
      for (const d of parts) {
        const r = await net.run(d, { dt: 0.1, backend: 'gpu', chunk, monitors: keys });
        keys.forEach((k, q) => per[q].push(...(r.monitors[k] as ValueMonitorData).data));
      }
      return { data: per.flat(), state: ['U.a', 'G.g', 'P.q', 'S.s'].map((p) => Array.from(net.variable(p)!.value)) };
    };
    const whole = await go(5, [3]);
    expect(whole.data.length).toBe(30 * n * 4);
    const split = await go(5, [1.3, 1.7]);
    expect(split.data).toEqual(whole.data);
    expect(split.state).toEqual(whole.state);
    const chunked = await go(5, [3], 4);
    expect(chunked.data).toEqual(whole.data);
    expect(chunked.state).toEqual(whole.state);
    const again = await go(5, [3]);
    expect(again.data).toEqual(whole.data);
    const other = await go(6, [3]);
    const uW = whole.data.slice(0, 30 * n), uO = other.data.slice(0, 30 * n);
    let same = 0; for (let i = 0; i < uW.length; i++) if (uW[i] === uO[i]) same++;
    expect(same).toBeLessThan(uW.length / 100);
  }, 120000);
});
