import { RNG } from '../src/core/rng';
import { BrainweaveError } from '../src';

/**
 * Independent reference (BigInt, from the published definitions): splitmix32 words of the seed feed
 * xoshiro128** (Blackman & Vigna 2018). Only for seeds below 2^32, whose streams must not have changed.
 */
function referenceStream(seed: number, n: number): number[] {
  const M = 0xffffffffn;
  let x = BigInt(seed);
  const mix = () => {
    x = (x + 0x9e3779b9n) & M;
    let z = x;
    z = ((z ^ (z >> 16n)) * 0x85ebca6bn) & M;
    z = ((z ^ (z >> 13n)) * 0xc2b2ae35n) & M;
    return z ^ (z >> 16n);
  };
  const s = [mix(), mix(), mix(), mix()];
  const rotl = (v: bigint, k: bigint) => ((v << k) | (v >> (32n - k))) & M;
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    out.push(Number((rotl((s[1] * 5n) & M, 7n) * 9n) & M));
    const t = (s[1] << 9n) & M;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11n);
  }
  return out;
}

const draw = (r: RNG, n: number) => Array.from({ length: n }, () => r.nextU32());

test('seeds below 2^32 give the xoshiro128** stream of the reference (unchanged streams)', () => {
  for (const seed of [0, 1, 42, 123456789, 2 ** 32 - 1]) expect(draw(new RNG(seed), 20)).toEqual(referenceStream(seed, 20));
});

test('every bit of a seed up to 2^53 - 1 counts: distinct seeds, distinct first outputs', () => {
  const seeds = [0, 1, 2 ** 32, 2 ** 32 + 1, 2 ** 53 - 1, 2 ** 53 - 2, 2 ** 52, 2 ** 33, 3 * 2 ** 32];
  const firsts = seeds.map((s) => new RNG(s).nextU32());
  expect(new Set(firsts).size).toBe(seeds.length);
  const heads = seeds.map((s) => draw(new RNG(s), 4).join(','));
  expect(new Set(heads).size).toBe(seeds.length);
  // and a large seed still gives a uniform-looking stream: mean of 20000 uniforms near 1/2
  const r = new RNG(2 ** 53 - 1);
  let sum = 0;
  for (let k = 0; k < 20000; k++) sum += r.random();
  expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / 20000));
  expect(new RNG(2 ** 40).seed).toBe(2 ** 40);
});

test.each([[1.5, '1.5'], [1.9, '1.9'], [-1, '-1'], [-0.5, '-0.5'], [NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity'],
  [2 ** 53, '9007199254740992'], ['7', 'string 7']])('seed %p is refused with a message naming it', (seed, text) => {
  let err: any;
  try { new RNG(seed as any); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(BrainweaveError);
  expect(err.message).toContain(`got ${text}`);
  expect(err.message).toMatch(/RNG: seed/);
});

test('getState / setState restore the stream exactly, including a cached Box–Muller value', () => {
  const r = new RNG(2024);
  for (let k = 0; k < 7; k++) r.normal(); // odd count: the second Box–Muller value is cached now
  const saved = r.getState();
  expect(saved[4]).toBe(1);
  const mixed = (g: RNG) => [g.normal(), g.random(), g.normal(), g.normal(), g.nextU32(), g.uniform(2, 3), g.poisson(4), g.exponential(), g.normal()];
  const a = mixed(r);
  const b = new RNG(1); // another stream entirely, then restored
  b.normal();
  b.setState(saved);
  expect(mixed(b)).toEqual(a);
  r.setState(saved); // and the same object rewinds
  expect(mixed(r)).toEqual(a);
  // the state is plain numbers: it survives JSON
  const c = new RNG(5);
  c.setState(JSON.parse(JSON.stringify(saved)));
  expect(mixed(c)).toEqual(a);
  // without the cached value the next normal would differ: the spare is really part of the state
  const d = new RNG(5);
  d.setState([...saved.slice(0, 4), 0, 0]);
  expect(d.normal()).not.toBe(a[0]);
});

test('setState refuses what getState cannot have produced', () => {
  const r = new RNG(1);
  expect(() => r.setState([1, 2, 3])).toThrow(/6 numbers/);
  expect(() => r.setState([0, 0, 0, 0, 0, 0])).toThrow(/all zero/);
  expect(() => r.setState([1.5, 2, 3, 4, 0, 0])).toThrow(/state\[0\]/);
  expect(() => r.setState([1, 2, 3, 2 ** 32, 0, 0])).toThrow(/state\[3\]/);
  expect(() => r.setState([1, 2, 3, 4, 2, 0])).toThrow(/state\[4\]/);
  expect(() => r.setState([1, 2, 3, 4, 1, NaN])).toThrow(/state\[5\]/);
});
