/**
 * Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as
 * easy as 1, 2, 3" (SC11): a 128-bit counter and a 64-bit key map to 128 random bits through 10 rounds of
 *   (hi0, lo0) = mulhilo(M0, X0); (hi1, lo1) = mulhilo(M1, X2)
 *   X ← (hi1 ^ X1 ^ K0, lo1, hi0 ^ X3 ^ K1, lo0);  K ← K + (W0, W1)  (between rounds)
 * with the constants of the paper (M0, M1 from its multiplier search; W0, W1 the golden ratio and √3 − 1).
 * Written here from the paper's description; checked against Random123's published known-answer vectors.
 *
 * Two implementations of the same function:
 * - `philox4x32` in JavaScript on uint32 (Math.imul for the low word, 16-bit limbs for the high word);
 * - `philoxHalvesSource()`: straight-line code on 16-bit halves using only float arithmetic (+ − × ÷ floor)
 *   and `^` on values < 2¹⁶, exact in float32, because gpu.js passes every value as float32 and GLSL ES 1.0
 *   has no integers. The 16×16-bit products (up to 2³²) are split once more into 16×8-bit pieces (< 2²⁴).
 *   That source is compiled both as a JavaScript function (tests run it with Math.fround after every
 *   operation, proving float32 exactness) and inside gpu.js kernels.
 */

export const PHILOX_M0 = 0xd2511f53, PHILOX_M1 = 0xcd9e8d57;
export const PHILOX_W0 = 0x9e3779b9, PHILOX_W1 = 0xbb67ae85;

/** High 32 bits of a·b for uint32 a, b (the 64-bit product is not exact in a double; 16-bit limbs are). */
export function mulhi32(a: number, b: number): number {
  const a1 = a >>> 16, a0 = a & 0xffff, b1 = b >>> 16, b0 = b & 0xffff;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;  // each < 2³², exact
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);      // bits 16..47 carry into the high word
  return (p11 + (p01 >>> 16) + (p10 >>> 16) + Math.floor(mid / 65536)) >>> 0;
}

/** Philox4x32 with `rounds` rounds (10 is the standard); counter: 4 uint32, key: 2 uint32. */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>, rounds = 10,
  out: Uint32Array = new Uint32Array(4)): Uint32Array {
  let x0 = counter[0] >>> 0, x1 = counter[1] >>> 0, x2 = counter[2] >>> 0, x3 = counter[3] >>> 0;
  let k0 = key[0] >>> 0, k1 = key[1] >>> 0;
  for (let r = 0; r < rounds; r++) {
    if (r > 0) { k0 = (k0 + PHILOX_W0) >>> 0; k1 = (k1 + PHILOX_W1) >>> 0; }
    const hi0 = mulhi32(PHILOX_M0, x0), lo0 = Math.imul(PHILOX_M0, x0) >>> 0;
    const hi1 = mulhi32(PHILOX_M1, x2), lo1 = Math.imul(PHILOX_M1, x2) >>> 0;
    x0 = (hi1 ^ x1 ^ k0) >>> 0; x1 = lo1; x2 = (hi0 ^ x3 ^ k1) >>> 0; x3 = lo0;
  }
  out[0] = x0; out[1] = x1; out[2] = x2; out[3] = x3;
  return out;
}

/** A uint32 as a float in (0, 1): its top 23 bits plus one half ulp, exact in float32 (so kernels agree). */
export function u01(word: number): number {
  return ((word >>> 9) + 0.5) / 8388608;
}

/** The same from 16-bit halves, float arithmetic only (kernel form). */
export function u01Halves(hi: number, lo: number): number {
  return (hi * 128 + Math.floor(lo / 512) + 0.5) / 8388608;
}

/** Box–Muller: two uniforms in (0, 1) → one standard normal (the cosine branch). */
export function boxMuller(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * Stream helper: the i-th block of a stream is philox(counter = (i, stream, 0, 0), key = seed), so thread i of
 * a kernel and element i on the CPU draw the same numbers without sharing state.
 */
export class PhiloxStream {
  private buf = new Uint32Array(4);
  constructor(readonly seedLo: number, readonly seedHi = 0, readonly stream = 0) {}
  block(i: number, c2 = 0): Uint32Array {
    return philox4x32([i >>> 0, this.stream >>> 0, c2 >>> 0, 0], [this.seedLo >>> 0, this.seedHi >>> 0], 10, this.buf);
  }
  uniform4(i: number, c2 = 0): [number, number, number, number] {
    const b = this.block(i, c2);
    return [u01(b[0]), u01(b[1]), u01(b[2]), u01(b[3])];
  }
  normal2(i: number, c2 = 0): [number, number] {
    const [a, b, c, d] = this.uniform4(i, c2);
    return [boxMuller(a, b), boxMuller(c, d)];
  }
}

const split16 = (v: number): [number, number] => [Math.floor(v / 65536), v % 65536];

/**
 * Straight-line source of Philox4x32-R on 16-bit halves. Inputs: locals c0h, c0l, …, c3h, c3l, k0h, k0l,
 * k1h, k1l (defined by the caller); outputs: locals r0h, r0l, …, r3l. `F` wraps every arithmetic result
 * ('' in kernels, 'Math.fround' to check float32 exactness in JavaScript). Only +, −, ×, ÷ by powers of two,
 * Math.floor and ^ are used; every intermediate is an integer below 2²⁴. `p` prefixes every name it reads,
 * declares or defines (inputs and outputs included), so that one kernel can hold several copies.
 */
export function philoxHalvesSource(rounds = 10, F = '', p = ''): string {
  const [m0h, m0l] = split16(PHILOX_M0), [m1h, m1l] = split16(PHILOX_M1);
  const [w0h, w0l] = split16(PHILOX_W0), [w1h, w1l] = split16(PHILOX_W1);
  const f = (e: string) => `${F}(${e})`;
  const L: string[] = [];
  let tmp = 0;
  // x·y for x, y < 2¹⁶ as (hi, lo): y = 256·y1 + y0; x·y0, x·y1 < 2²⁴.
  const mul16 = (x: string, y: number, hi: string, lo: string) => {
    const y1 = Math.floor(y / 256), y0 = y % 256, t = `${p}t${tmp++}`;
    L.push(`const ${t}a = ${f(`${x} * ${y0}`)};`, `const ${t}b = ${f(`${x} * ${y1}`)};`,
      `const ${t}c = ${f(`Math.floor(${f(`${t}b / 256`)})`)};`,
      `const ${t}d = ${f(`${t}a + ${f(`${f(`${t}b - ${f(`${t}c * 256`)}`)} * 256`)}`)};`,
      `const ${t}e = ${f(`Math.floor(${f(`${t}d / 65536`)})`)};`,
      `const ${hi} = ${f(`${t}c + ${t}e`)};`, `const ${lo} = ${f(`${t}d - ${f(`${t}e * 65536`)}`)};`);
  };
  // (xh, xl)·(mh, ml) → 4 limbs: l0, l1 the low word, l2, l3 the high word.
  const mul32 = (xh: string, xl: string, mh: number, ml: number, q: string) => {
    mul16(xl, ml, `${q}h00`, `${q}l00`); mul16(xl, mh, `${q}h01`, `${q}l01`);
    mul16(xh, ml, `${q}h10`, `${q}l10`); mul16(xh, mh, `${q}h11`, `${q}l11`);
    L.push(`const ${q}s1 = ${f(`${f(`${q}h00 + ${q}l01`)} + ${q}l10`)};`,
      `const ${q}c1 = ${f(`Math.floor(${f(`${q}s1 / 65536`)})`)};`,
      `const ${q}lo_h = ${f(`${q}s1 - ${f(`${q}c1 * 65536`)}`)};`, `const ${q}lo_l = ${q}l00;`,
      `const ${q}s2 = ${f(`${f(`${f(`${q}h01 + ${q}h10`)} + ${q}l11`)} + ${q}c1`)};`,
      `const ${q}c2 = ${f(`Math.floor(${f(`${q}s2 / 65536`)})`)};`,
      `const ${q}hi_l = ${f(`${q}s2 - ${f(`${q}c2 * 65536`)}`)};`, `const ${q}hi_h = ${f(`${q}h11 + ${q}c2`)};`);
  };
  // (h, l) += (ah, al) mod 2³²
  const add32 = (h: string, l: string, ah: number, al: number) => {
    const t = `${p}t${tmp++}`;
    L.push(`const ${t}s = ${f(`${l} + ${al}`)};`, `const ${t}c = ${f(`Math.floor(${f(`${t}s / 65536`)})`)};`,
      `${l} = ${f(`${t}s - ${f(`${t}c * 65536`)}`)};`,
      `const ${t}h = ${f(`${f(`${h} + ${ah}`)} + ${t}c`)};`,
      `${h} = ${f(`${t}h - ${f(`Math.floor(${f(`${t}h / 65536`)}) * 65536`)}`)};`);
  };
  const x = (n: string) => `${p}${n}`;
  L.push(`let ${x('x0h')} = ${x('c0h')}, ${x('x0l')} = ${x('c0l')}, ${x('x1h')} = ${x('c1h')}, ${x('x1l')} = ${x('c1l')}, ` +
    `${x('x2h')} = ${x('c2h')}, ${x('x2l')} = ${x('c2l')}, ${x('x3h')} = ${x('c3h')}, ${x('x3l')} = ${x('c3l')};`,
  `let ${x('q0h')} = ${x('k0h')}, ${x('q0l')} = ${x('k0l')}, ${x('q1h')} = ${x('k1h')}, ${x('q1l')} = ${x('k1l')};`);
  for (let r = 0; r < rounds; r++) {
    if (r > 0) { add32(x('q0h'), x('q0l'), w0h, w0l); add32(x('q1h'), x('q1l'), w1h, w1l); }
    L.push('{');
    const a = x(`a${r}`), b = x(`b${r}`);
    mul32(x('x0h'), x('x0l'), m0h, m0l, a); mul32(x('x2h'), x('x2l'), m1h, m1l, b);
    L.push(`${x('x0h')} = (${b}hi_h ^ ${x('x1h')}) ^ ${x('q0h')}; ${x('x0l')} = (${b}hi_l ^ ${x('x1l')}) ^ ${x('q0l')};`,
      `${x('x1h')} = ${b}lo_h; ${x('x1l')} = ${b}lo_l;`,
      `${x('x2h')} = (${a}hi_h ^ ${x('x3h')}) ^ ${x('q1h')}; ${x('x2l')} = (${a}hi_l ^ ${x('x3l')}) ^ ${x('q1l')};`,
      `${x('x3h')} = ${a}lo_h; ${x('x3l')} = ${a}lo_l;`, '}');
  }
  L.push(['0', '1', '2', '3'].flatMap((w) => ['h', 'l'].map((e) => `${x(`r${w}${e}`)} = ${x(`x${w}${e}`)}`)).map((d, k) => (k === 0 ? `const ${d}` : d)).join(', ') + ';');
  return L.join('\n');
}

const IN = 'c0h, c0l, c1h, c1l, c2h, c2l, c3h, c3l, k0h, k0l, k1h, k1l';

/** The halves source as a JavaScript function (float32 exactness check when `fround`): 12 halves → 8 halves. */
export function philoxHalvesJS(rounds = 10, fround = false): (...halves: number[]) => number[] {
  const body = philoxHalvesSource(rounds, fround ? 'Math.fround' : '');
  // eslint-disable-next-line no-new-func
  return new Function(IN.split(', ').join(','), `${body}\nreturn [r0h, r0l, r1h, r1l, r2h, r2l, r3h, r3l];`) as any;
}

/**
 * A gpu.js kernel source: thread x reads counter halves ctr[8i .. 8i+7] and key halves key[0..3]; output
 * element x = 8i + j is half j of the result (mode 'halves'), with 'uniform' element x = 4i + w is
 * u01 of word w, with 'normal' element x = 2i + m is normal m of PhiloxStream.normal2 (float32 arithmetic). The loop-free body suits every gpu.js mode (no loopMaxIterations involved).
 */
export function philoxKernelSource(output: 'halves' | 'uniform' | 'normal', rounds = 10): string {
  const per = output === 'halves' ? 8 : output === 'uniform' ? 4 : 2;
  const load = IN.split(', ').slice(0, 8).map((v, j) => `const ${v} = ctr[i * 8 + ${j}];`).join('\n') + '\n' +
    ['k0h', 'k0l', 'k1h', 'k1l'].map((v, j) => `const ${v} = key[${j}];`).join('\n');
  const u = (w: number) => `(r${w}h * 128 + Math.floor(r${w}l / 512) + 0.5) / 8388608`;
  const pick = output === 'halves'
    ? ['r0h', 'r0l', 'r1h', 'r1l', 'r2h', 'r2l', 'r3h', 'r3l'].map((v, j) => `if (j === ${j}) return ${v};`).join('\n') + '\nreturn r3l;'
    : output === 'uniform'
      ? [0, 1, 2].map((w) => `if (j === ${w}) return ${u(w)};`).join('\n') + `\nreturn ${u(3)};`
      // Box–Muller on words (0, 1) and (2, 3), as PhiloxStream.normal2
      : `if (j === 0) return Math.sqrt(-2 * Math.log(${u(0)})) * Math.cos(6.283185307179586 * ${u(1)});
return Math.sqrt(-2 * Math.log(${u(2)})) * Math.cos(6.283185307179586 * ${u(3)});`;
  return `function (ctr, key) {
const i = Math.floor(this.thread.x / ${per});
const j = this.thread.x - i * ${per};
${load}
${philoxHalvesSource(rounds)}
${pick}
}`;
}

/** Counters (4 uint32 each) and a key as the halves arrays philoxKernelSource reads. */
export function toHalves(words: ArrayLike<number>): Float32Array {
  const h = new Float32Array(words.length * 2);
  for (let i = 0; i < words.length; i++) { h[2 * i] = words[i] >>> 16; h[2 * i + 1] = words[i] & 0xffff; }
  return h;
}

/**
 * Counter-based draws of the gpu backend (`this.rng.*()` inside element-wise kernels). Draw block `draw` of
 * kernel `kernel` for element j at step s (the network's step count, over all runs) is Philox4x32-10 of
 *   counter (j, s mod 2³², kernel·2¹⁶ + draw, ⌊s / 2³²⌋), key seedKey(seed),
 * four uint32 words, each a uniform through u01. `draw` < 2¹⁵ numbers the blocks a kernel computes for every
 * element at its start (its draws outside inner loops, four uniforms per block); RNG_LOOP_DRAW + r is the
 * r-th draw inside inner loops (one block each). So every (seed, step, element, kernel, draw) has its own
 * counter, and the same one gives the same numbers however a run is cut.
 */
export const RNG_LOOP_DRAW = 32768;

/** The Philox key of a network seed (0 … 2⁵³ − 1): its low and high 32-bit words. */
export function seedKey(seed: number): [number, number] {
  return [seed >>> 0, Math.floor(seed / 4294967296)];
}

/** The counter of a draw block (see RNG_LOOP_DRAW). */
export function drawCounter(element: number, step: number, kernel: number, draw: number): [number, number, number, number] {
  return [element >>> 0, step % 4294967296, (kernel * 65536 + draw) >>> 0, Math.floor(step / 4294967296)];
}

/** The four uniforms of a draw block, computed in JavaScript (what a kernel computes for it, bit for bit). */
export function drawUniforms(seed: number, element: number, step: number, kernel: number, draw: number): [number, number, number, number] {
  const w = philox4x32(drawCounter(element, step, kernel, draw), seedKey(seed));
  return [u01(w[0]), u01(w[1]), u01(w[2]), u01(w[3])];
}

/**
 * Kernel source of one draw block: `ctr` the eight counter halves as expressions (c0h, c0l, …, c3l: each an
 * integer below 2¹⁶), the key's four halves baked in as constants; defines `${p}u0` … `${p}u3`, the block's
 * uniforms in (0, 1) (u01 of each word, exact in float32). Every name it declares starts with `p`.
 */
export function philoxDrawSource(p: string, ctr: string[], key: [number, number]): string {
  if (ctr.length !== 8) throw new Error('philoxDrawSource: 8 counter halves');
  const kh = [...split16(key[0]), ...split16(key[1])];
  const L = [
    ...['c0h', 'c0l', 'c1h', 'c1l', 'c2h', 'c2l', 'c3h', 'c3l'].map((v, j) => `const ${p}${v} = ${ctr[j]};`),
    ...['k0h', 'k0l', 'k1h', 'k1l'].map((v, j) => `const ${p}${v} = ${kh[j]};`),
    philoxHalvesSource(10, '', p),
    ...[0, 1, 2, 3].map((w) => `const ${p}u${w} = (${p}r${w}h * 128 + Math.floor(${p}r${w}l / 512) + 0.5) / 8388608;`),
  ];
  return L.join('\n');
}
