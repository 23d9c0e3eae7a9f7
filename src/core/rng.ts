/**
 * One seeded random stream per network (xoshiro128**, seeded through splitmix32).
 * Everything random in a build or run (initial values, connectivity, noise) draws from it in a fixed order,
 * so a run is reproducible from its seed. 32-bit state keeps it fast in V8 (all Math.imul, no BigInt).
 */
import { BrainweaveError } from './errors';

// Module-local aliases: under jest (a vm context) every global lookup of `Math` goes through an
// interceptor and costs ~100× more; locals keep the hot paths fast everywhere.
const { imul, sqrt, log, cos, sin, floor, round, max, exp, PI } = Math;

export class RNG {
  private s0 = 0; private s1 = 0; private s2 = 0; private s3 = 0;
  private spare = 0; // second Box–Muller value
  private hasSpare = false;
  readonly seed: number;

  /**
   * `seed`: an integer 0 … 2⁵³−1 (every bit of it reaches the state, so distinct seeds give distinct
   * streams; seeds below 2³² give the same streams as before 2⁵³ seeds were accepted). Anything else
   * (fractions, negatives, NaN, ±Infinity, non-numbers) is refused rather than silently truncated.
   */
  constructor(seed = 0) {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
      throw new BrainweaveError(`RNG: seed must be an integer from 0 to 2^53 - 1, got ${describeSeed(seed)}`);
    }
    this.seed = seed;
    const lo = seed >>> 0, hi = floor(seed / 4294967296); // hi < 2^21
    const a = splitmix32(lo);
    this.s0 = a(); this.s1 = a(); this.s2 = a(); this.s3 = a();
    if (hi !== 0) { // fold the high word in through a second, differently keyed splitmix stream
      const b = splitmix32((hi ^ 0x5bd1e995) >>> 0);
      this.s0 = (this.s0 ^ b()) >>> 0; this.s1 = (this.s1 ^ b()) >>> 0; this.s2 = (this.s2 ^ b()) >>> 0; this.s3 = (this.s3 ^ b()) >>> 0;
    }
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * The whole generator state: the four xoshiro words, whether a Box–Muller value is cached, and that
   * value. `setState(getState())` on any RNG continues exactly this stream (for checkpoints).
   */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.hasSpare ? 1 : 0, this.hasSpare ? this.spare : 0];
  }

  /** Restores a state from getState(); refuses anything that is not one. */
  setState(state: ArrayLike<number>): void {
    if (!state || state.length !== 6) throw new BrainweaveError(`RNG.setState: expected the 6 numbers of getState(), got ${state?.length ?? String(state)}`);
    const w = [0, 1, 2, 3].map((k) => state[k]);
    w.forEach((x, k) => {
      if (!(Number.isInteger(x) && x >= 0 && x <= 0xffffffff)) throw new BrainweaveError(`RNG.setState: state[${k}] must be a 32-bit unsigned integer, got ${x}`);
    });
    if ((w[0] | w[1] | w[2] | w[3]) === 0) throw new BrainweaveError('RNG.setState: the four state words are all zero (not a xoshiro128** state)');
    if (state[4] !== 0 && state[4] !== 1) throw new BrainweaveError(`RNG.setState: state[4] (cached normal present) must be 0 or 1, got ${state[4]}`);
    if (!Number.isFinite(state[5])) throw new BrainweaveError(`RNG.setState: state[5] (cached normal) must be finite, got ${state[5]}`);
    [this.s0, this.s1, this.s2, this.s3] = w;
    this.hasSpare = state[4] === 1;
    this.spare = this.hasSpare ? state[5] : 0;
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const r = imul(rotl(imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    let n2 = s2 ^ s0, n3 = s3 ^ s1;
    const n1 = s1 ^ n2, n0 = s0 ^ n3;
    n2 ^= t; n3 = rotl(n3, 11);
    this.s0 = n0 >>> 0; this.s1 = n1 >>> 0; this.s2 = n2 >>> 0; this.s3 = n3 >>> 0;
    return r;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextU32() >>> 5, lo = this.nextU32() >>> 6; // 27 + 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number { return low + (high - low) * this.random(); }

  /** Integer uniform in [0, n). */
  randint(n: number): number { return floor(this.random() * n); }

  /** Standard normal (Box–Muller, both values used). */
  normal(mean = 0, std = 1): number {
    let z: number;
    if (this.hasSpare) { z = this.spare; this.hasSpare = false; }
    else {
      let u = 0;
      while (u === 0) u = this.random();
      const v = this.random();
      const r = sqrt(-2 * log(u));
      z = r * cos(2 * PI * v);
      this.spare = r * sin(2 * PI * v);
      this.hasSpare = true;
    }
    return mean + std * z;
  }

  /** Exponential with rate 1/scale. */
  exponential(scale = 1): number {
    let u = 0;
    while (u === 0) u = this.random();
    return -log(u) * scale;
  }

  /** Poisson(lam): Knuth for small lam, normal approximation with continuity correction above 30. */
  poisson(lam: number): number {
    if (!(lam >= 0)) throw new RangeError(`RNG.poisson: lam must be >= 0, got ${lam}`);
    if (lam > 30) return max(0, round(this.normal(lam, sqrt(lam))));
    const L = exp(-lam);
    let k = 0, p = 1;
    do { k++; p *= this.random(); } while (p > L);
    return k - 1;
  }

  /** Fill a typed array with standard normals (fast path for state initialisation). */
  fillNormal(out: { length: number; [i: number]: number }, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
  }

  /** An independent stream derived from this one (for a sub-task that must not shift the parent's sequence). */
  fork(): RNG { return new RNG(this.nextU32()); }
}

function rotl(x: number, k: number): number { return (x << k) | (x >>> (32 - k)); }

/** splitmix32 from a 32-bit key: a stream of well-mixed 32-bit words. */
function splitmix32(key: number): () => number {
  let x = key >>> 0;
  return () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function describeSeed(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return `${typeof v} ${String(v)}`;
}
