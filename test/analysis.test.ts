/**
 * Analysis functions against values worked out by hand (in the comments) on small spike trains.
 */
import {
  fanoFactor, firingRates, histogram, interSpikeIntervals, isiStats, meanFiringRate, populationRate,
  smoothRate, smoothingWindow, spikeCounts, spikeTrainsOf, traceOf, type SpikeTrains,
} from '../src/analysis';

// 4 neurons, window [0, 100) ms:
//   n0: 10 30 50 70 90   (5 spikes, ISIs 20 20 20 20)
//   n1: 5 15 45          (3 spikes, ISIs 10 30)
//   n2: 60               (1 spike)
//   n3: silent
const EVENTS: [number, number][] = [[5, 1], [10, 0], [15, 1], [30, 0], [45, 1], [50, 0], [60, 2], [70, 0], [90, 0]];
function train(events: [number, number][] = EVENTS, num = 4): SpikeTrains {
  return { num, times: Float64Array.from(events, (e) => e[0]), indices: Int32Array.from(events, (e) => e[1]) };
}
const W: [number, number] = [0, 100];

describe('rates', () => {
  test('per neuron and population, Hz over the window', () => {
    expect(Array.from(spikeCounts(train(), W))).toEqual([5, 3, 1, 0]);
    expect(Array.from(firingRates(train(), W))).toEqual([50, 30, 10, 0]); // count / 0.1 s
    expect(meanFiringRate(train(), W)).toBeCloseTo(22.5, 12); // 9 spikes / (4 neurons × 0.1 s)
    // [20, 60): n0 30 50, n1 45 → 2, 1 spikes in 0.04 s
    expect(Array.from(firingRates(train(), [20, 60]))).toEqual([50, 25, 0, 0]);
  });

  test('the window is half-open: a spike at t1 is out, one at t0 is in', () => {
    const s = train([[0, 0], [50, 0], [100, 0]], 1);
    expect(spikeCounts(s, [0, 100])[0]).toBe(2);
    expect(spikeCounts(s, [50, 150])[0]).toBe(2);
  });

  test('population rate in bins of 25 ms', () => {
    const r = populationRate(train(), { window: W, binMs: 25 });
    // bins: {5,10,15} {30,45} {50,60,70} {90} → counts 3 2 3 1 → / (4 × 0.025 s)
    expect(Array.from(r.rate)).toEqual([30, 20, 30, 10]);
    expect(Array.from(r.edges)).toEqual([0, 25, 50, 75, 100]);
    expect(Array.from(r.t)).toEqual([12.5, 37.5, 62.5, 87.5]);
    expect(r.binMs).toBe(25);
  });

  test('a partial last bin is divided by its own width', () => {
    // [0, 30) in bins of 20: [0,20) holds 5 10 15 (3 spikes), [20,30) none; second bin 10 ms wide
    const r = populationRate(train([[5, 0], [10, 0], [15, 0], [25, 0]], 1), { window: [0, 30], binMs: 20 });
    expect(Array.from(r.edges)).toEqual([0, 20, 30]);
    expect(r.rate[0]).toBeCloseTo(150, 10); // 3 / 0.02 s
    expect(r.rate[1]).toBeCloseTo(100, 10); // 1 / 0.01 s
  });

  test('a time that should be on a bin edge but is 1e-16 below it goes into the later bin', () => {
    const t = 0.7 + 0.1 + 0.1 + 0.1; // 0.9999999999999999, as accumulated steps of dt give
    expect(t).toBeLessThan(1);
    const r = populationRate(train([[t, 0]], 1), { window: [0, 2], binMs: 1 });
    expect(Array.from(r.rate)).toEqual([0, 1000]);
  });

  test('silent population: zero rates, not an error', () => {
    const s = train([], 3);
    expect(Array.from(firingRates(s, W))).toEqual([0, 0, 0]);
    expect(meanFiringRate(s, W)).toBe(0);
    expect(Array.from(populationRate(s, { window: W, binMs: 50 }).rate)).toEqual([0, 0]);
  });
});

describe('smoothRate', () => {
  // one neuron, one spike at 50 ms, 1 ms bins: rate 1000 Hz in bin 50, 0 elsewhere
  const impulse = (at = 50) => populationRate(train([[at, 0]], 1), { window: [0, 100], binMs: 1 });

  test('flat window: floor(width / 2 / bin) × 2 + 1 bins of equal weight', () => {
    const r = smoothRate(impulse(), { window: 'flat', widthMs: 5 }); // 5 bins → 1000 / 5
    for (let b = 0; b < 100; b++) expect(r.rate[b]).toBeCloseTo(b >= 48 && b <= 52 ? 200 : 0, 10);
    expect(r.smoothing).toEqual({ window: 'flat', widthMs: 5, samples: 5 });
    expect(smoothRate(impulse(), { window: 'flat', widthMs: 3.9 }).rate[51]).toBeCloseTo(1000 / 3, 10); // 3 bins
    expect(smoothRate(impulse(), { window: 'flat', widthMs: 4 }).smoothing!.samples).toBe(5);
  });

  test('gaussian window: sigma = width, cut at ±2 sigma, weights sum to 1', () => {
    const r = smoothRate(impulse(), { window: 'gaussian', widthMs: 1 });
    // weights ∝ e^(-k²/2) for k = -2..2
    const S = 1 + 2 * Math.exp(-0.5) + 2 * Math.exp(-2);
    expect(r.rate[50]).toBeCloseTo(1000 / S, 9);
    expect(r.rate[49]).toBeCloseTo((1000 * Math.exp(-0.5)) / S, 9);
    expect(r.rate[52]).toBeCloseTo((1000 * Math.exp(-2)) / S, 9);
    expect(r.rate[53]).toBe(0);
    expect(r.rate[47]).toBe(0);
    // sigma 2.5 bins → extent round(5) = 5 bins each side
    expect(smoothingWindow({ window: 'gaussian', widthMs: 2.5 }, 1).length).toBe(11);
  });

  test('outside the data counts as 0: an impulse in the first bin loses the half of the window that falls off', () => {
    const r = smoothRate(impulse(0), { window: 'flat', widthMs: 5 });
    expect(r.rate[0]).toBeCloseTo(200, 10);
    expect(r.rate[2]).toBeCloseTo(200, 10);
    expect(r.rate[3]).toBe(0);
  });

  test('a constant rate stays constant away from the edges', () => {
    const ev: [number, number][] = [];
    for (let t = 0; t < 100; t++) ev.push([t + 0.5, 0]);
    const r = smoothRate(populationRate(train(ev, 1), { window: [0, 100], binMs: 1 }), { window: 'gaussian', widthMs: 3 });
    for (let b = 6; b < 94; b++) expect(r.rate[b]).toBeCloseTo(1000, 9);
    expect(r.rate[0]).toBeLessThan(1000);
  });

  test('bad input names the function and the argument', () => {
    expect(() => smoothRate(impulse(), { window: 'flat', widthMs: -1 })).toThrow(/smoothRate: opts.widthMs/);
    expect(() => smoothRate(impulse(), { window: 'box' as 'flat', widthMs: 1 })).toThrow(/smoothRate: opts.window/);
    const partial = populationRate(train([[1, 0]], 1), { window: [0, 25], binMs: 10 });
    expect(() => smoothRate(partial, { window: 'flat', widthMs: 10 })).toThrow(/smoothRate: .*partial last bin/);
  });
});

describe('ISI', () => {
  test('intervals per neuron; fewer than 2 spikes gives an empty array', () => {
    const d = interSpikeIntervals(train());
    expect(d.map((a) => Array.from(a))).toEqual([[20, 20, 20, 20], [10, 30], [], []]);
    // inside [20, 80): n0 30 50 70, n1 45
    expect(interSpikeIntervals(train(), [20, 80]).map((a) => Array.from(a))).toEqual([[20, 20], [], [], []]);
  });

  test('CV per neuron and pooled, with the neurons left out counted', () => {
    const s = isiStats(train());
    expect(s.cv[0]).toBe(0); // all intervals equal
    expect(s.cv[1]).toBeCloseTo(0.5, 12); // mean 20, population std 10
    expect(Number.isNaN(s.cv[2]) && Number.isNaN(s.cv[3])).toBe(true);
    expect(Array.from(s.meanISI.subarray(0, 2))).toEqual([20, 20]);
    expect(s.meanCV).toBeCloseTo(0.25, 12);
    // pool 20 20 20 20 10 30: mean 20, variance 200 / 6
    expect(s.pooledCV).toBeCloseTo(Math.sqrt(200 / 6) / 20, 12);
    expect(s.intervals).toBe(6);
    expect([s.defined, s.silent, s.single, s.tooFew]).toEqual([2, 1, 1, 0]);
  });

  test('minSpikes: a neuron below it has a mean ISI but no CV', () => {
    const s = isiStats(train(), { minSpikes: 4 });
    expect(Number.isNaN(s.cv[1])).toBe(true);
    expect(s.meanISI[1]).toBe(20);
    expect([s.defined, s.tooFew]).toEqual([1, 1]);
    expect(s.meanCV).toBe(0);
    expect(s.pooledCV).toBeCloseTo(Math.sqrt(200 / 6) / 20, 12); // the pool keeps every interval
  });

  test('no intervals at all: NaN, not 0', () => {
    const s = isiStats(train([[1, 0], [2, 1]], 2));
    expect(Number.isNaN(s.meanCV) && Number.isNaN(s.pooledCV)).toBe(true);
    expect(s.single).toBe(2);
  });

  test('events out of time order give the same result', () => {
    const shuffled = [...EVENTS].reverse();
    const a = isiStats(train()), b = isiStats(train(shuffled));
    expect(Array.from(b.cv)).toEqual(Array.from(a.cv));
    expect(spikeTrainsOf(train(shuffled))[1]).toEqual(Float64Array.from([5, 15, 45]));
  });
});

describe('fanoFactor', () => {
  test('counts in 4 windows of 25 ms', () => {
    const f = fanoFactor(train(), { window: W, binMs: 25 });
    // n0 [1,1,2,1]: mean 1.25, var 0.1875 → 0.15
    expect(f.perNeuron[0]).toBeCloseTo(0.15, 12);
    // n1 [2,1,0,0]: mean 0.75, var 0.6875
    expect(f.perNeuron[1]).toBeCloseTo(0.6875 / 0.75, 12);
    // n2 [0,0,1,0]: mean 0.25, var 0.1875
    expect(f.perNeuron[2]).toBeCloseTo(0.75, 12);
    expect(Number.isNaN(f.perNeuron[3])).toBe(true);
    expect(f.meanPerNeuron).toBeCloseTo((0.15 + 0.6875 / 0.75 + 0.75) / 3, 12);
    // population [3,2,3,1]: mean 2.25, var 0.6875
    expect(f.population).toBeCloseTo(0.6875 / 2.25, 12);
    expect(f.windows).toBe(4);
    // ddof 1: n0 var 0.75 / 3
    expect(fanoFactor(train(), { window: W, binMs: 25, ddof: 1 }).perNeuron[0]).toBeCloseTo(0.2, 12);
  });

  test('spikes after the last whole window are ignored', () => {
    // [0, 100) in 40 ms windows: 2 windows [0,40) [40,80); the spike at 90 does not count
    const f = fanoFactor(train([[10, 0], [50, 0], [90, 0]], 1), { window: W, binMs: 40 });
    expect(f.windows).toBe(2);
    expect(f.perNeuron[0]).toBe(0); // counts [1, 1]
  });

  test('fewer than 2 windows is an error', () => {
    expect(() => fanoFactor(train(), { window: W, binMs: 60 })).toThrow(/fanoFactor: opts.binMs = 60 leaves 1/);
  });
});

describe('histogram and traceOf', () => {
  test('bins of 1 from floor(min); the maximum gets its own bin', () => {
    const h = histogram([0.5, 1, 1.5, 2.9, 3], { binWidth: 1 });
    expect(Array.from(h.edges)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(h.counts)).toEqual([1, 2, 1, 1]);
  });

  test('with a range: values outside are dropped, the right edge joins the last bin', () => {
    const h = histogram([-1, 0.5, 1, 1.5, 2.9, 3, 3.5], { binWidth: 1, range: [0, 3] });
    expect(Array.from(h.counts)).toEqual([1, 2, 2]);
    expect(Array.from(histogram([], { binWidth: 2, range: [0, 4] }).counts)).toEqual([0, 0]);
  });

  test('traceOf picks the column of a recorded neuron', () => {
    const tr = { data: Float32Array.from([1, 2, 3, 4, 5, 6]), ts: Float64Array.from([0, 0.1, 0.2]), width: 2, indices: Int32Array.from([3, 7]) };
    expect(Array.from(traceOf(tr, 7))).toEqual([2, 4, 6]);
    expect(Array.from(traceOf({ ...tr, indices: null }, 0))).toEqual([1, 3, 5]);
    expect(() => traceOf(tr, 4)).toThrow(/traceOf: neuron 4 was not recorded \(recorded: 3, 7\)/);
  });
});

describe('bad input is an error naming the function and the argument', () => {
  test.each([
    ['negative bin', () => populationRate(train(), { window: W, binMs: -5 }), /populationRate: opts.binMs must be a finite number > 0, got -5/],
    ['NaN bin', () => populationRate(train(), { window: W, binMs: NaN }), /populationRate: opts.binMs/],
    ['reversed window', () => firingRates(train(), [100, 0]), /firingRates: window must be finite with t0 < t1/],
    ['missing window', () => firingRates(train(), undefined as unknown as [number, number]), /firingRates: window must be a window/],
    ['NaN time', () => firingRates({ num: 2, times: [1, NaN], indices: [0, 1] }, W), /firingRates: spikes.times\[1\] is not finite/],
    ['index out of range', () => isiStats({ num: 2, times: [1, 2], indices: [0, 2] }), /isiStats: spikes.indices\[1\] = 2 is outside \[0, 2\)/],
    ['no neurons', () => meanFiringRate({ num: 0, times: [], indices: [] }, W), /meanFiringRate: spikes.num must be a positive integer/],
    ['length mismatch', () => spikeCounts({ num: 2, times: [1, 2], indices: [0] }, W), /spikeCounts: spikes has 2 times but 1 indices/],
    ['bad minSpikes', () => isiStats(train(), { minSpikes: 1 }), /isiStats: opts.minSpikes/],
    ['empty histogram', () => histogram([], { binWidth: 1 }), /histogram: values is empty/],
    ['NaN in histogram', () => histogram([1, NaN], { binWidth: 1 }), /histogram: values\[1\] is not finite/],
    ['zero bin width', () => histogram([1], { binWidth: 0 }), /histogram: opts.binWidth/],
  ])('%s', (_name, f, re) => {
    expect(f).toThrow(re);
  });
});

describe('statistics of a Poisson-like population', () => {
  // 200k events at evenly spaced times, each given to a uniformly random neuron of 2000: every neuron's train is
  // then (close to) Poisson, so CV ≈ 1, and the count variance equals the mean: E[FF] = (n - 1) / n with ddof 0
  test('CV ≈ 1 and Fano factor ≈ 1', () => {
    const n = 200_000, num = 2000;
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
    const times = new Float64Array(n), indices = new Int32Array(n);
    for (let k = 0; k < n; k++) { times[k] = (k * 1000) / n; indices[k] = Math.floor(rnd() * num); }
    const sp = { num, times, indices };
    const st = isiStats(sp);
    expect(Math.abs(st.pooledCV - 1)).toBeLessThan(0.02);
    expect(Math.abs(st.meanCV - 1)).toBeLessThan(0.03);
    const f0 = fanoFactor(sp, { window: [0, 1000], binMs: 50 }); // 20 windows, 5 spikes per window per neuron
    expect(Math.abs(f0.meanPerNeuron - 19 / 20)).toBeLessThan(0.02);
    const f1 = fanoFactor(sp, { window: [0, 1000], binMs: 50, ddof: 1 });
    expect(Math.abs(f1.meanPerNeuron - 1)).toBeLessThan(0.02);
    // the population count is exactly 10000 per window: no variance at all
    expect(f0.population).toBe(0);
    expect(meanFiringRate(sp, [0, 1000])).toBe(100);
  });
});
