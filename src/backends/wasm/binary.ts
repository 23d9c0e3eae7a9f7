/**
 * A small WebAssembly binary module builder: enough to write a network's whole step loop by hand or
 * from an emitter. Written from the core spec's binary format (https://webassembly.github.io/spec/core/binary/,
 * release 2.0 with fixed-width SIMD) and the threads proposal's shared-memory limits flag.
 *
 *   const m = new ModuleBuilder();
 *   m.importMemory('env', 'mem', { min: 1 });
 *   m.func({ params: ['i32'], results: ['f32'], export: 'f' }, (c, f) => { c.local_get(0).op('f32.load') ... });
 *   new WebAssembly.Module(m.toBytes());
 *
 * Output is a pure function of the calls made, in order (no maps iterated by hash, no timestamps).
 */

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';
/** A block's result: nothing, or one value type. */
export type BlockType = null | ValType;

const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

// ---------------------------------------------------------------- LEB128

/** Unsigned LEB128 of a non-negative integer (number up to 2^53, or bigint of any size). */
export function uleb128(value: number | bigint): number[] {
  let v = BigInt(value);
  if (v < 0n) throw new RangeError(`uleb128 of negative ${value}`);
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}

/** Signed LEB128 (two's complement): stops once the remaining bits are all copies of the sign bit 0x40. */
export function sleb128(value: number | bigint): number[] {
  let v = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const byte = Number(v & 0x7fn);
    v >>= 7n; // arithmetic shift on bigint: sign is kept
    const done = (v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function checkInt(v: number | bigint, bits: number, signed: boolean): void {
  if (typeof v === 'number' && !Number.isInteger(v)) throw new RangeError(`not an integer: ${v}`);
  const b = BigInt(v), lo = signed ? -(1n << BigInt(bits - 1)) : 0n, hi = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (b < lo || b > hi) throw new RangeError(`${v} out of range for ${signed ? 's' : 'u'}${bits}`);
}

const u32 = (v: number) => (checkInt(v, 32, false), uleb128(v));

function f32Bytes(v: number): number[] {
  const b = new DataView(new ArrayBuffer(4)); b.setFloat32(0, v, true);
  return [0, 1, 2, 3].map((i) => b.getUint8(i));
}
function f64Bytes(v: number): number[] {
  const b = new DataView(new ArrayBuffer(8)); b.setFloat64(0, v, true);
  return [0, 1, 2, 3, 4, 5, 6, 7].map((i) => b.getUint8(i));
}
function nameBytes(s: string): number[] {
  const b = Array.from(new TextEncoder().encode(s));
  return [...u32(b.length), ...b];
}
function vec(items: number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

// ---------------------------------------------------------------- opcodes

/** Instructions without immediates, by their text-format name → encoding. */
const PLAIN: Record<string, number[]> = {};
/** Memory instructions (memarg immediate) → [encoding, natural alignment as log2 bytes]. */
const MEMORY: Record<string, [number[], number]> = {};
/** Lane instructions (one lane-index byte) → [encoding, lane count]. */
const LANE: Record<string, [number[], number]> = {};
/** Memory-lane instructions (memarg then lane byte) → [encoding, natural alignment, lane count]. */
const MEMLANE: Record<string, [number[], number, number]> = {};

function table(first: number, names: string, into: (name: string, code: number) => void): void {
  names.trim().split(/\s+/).forEach((n, i) => { if (n !== '-') into(n, first + i); });
}
const plain = (first: number, names: string) => table(first, names, (n, c) => { PLAIN[n] = [c]; });
const simd = (first: number, names: string) => table(first, names, (n, c) => { PLAIN[n] = [0xfd, ...uleb128(c)]; });

plain(0x00, 'unreachable nop');
plain(0x1a, 'drop select');
plain(0x45, `i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u
  i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u
  f32.eq f32.ne f32.lt f32.gt f32.le f32.ge f64.eq f64.ne f64.lt f64.gt f64.le f64.ge
  i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u
  i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr
  i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u
  i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr
  f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt f32.add f32.sub f32.mul f32.div
  f32.min f32.max f32.copysign
  f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt f64.add f64.sub f64.mul f64.div
  f64.min f64.max f64.copysign
  i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u
  i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u
  f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64
  f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32
  i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64
  i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s`);
table(0, `i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u
  i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u`, (n, c) => { PLAIN[n] = [0xfc, c]; });

// SIMD (prefix 0xfd, LEB128 sub-opcode). '-' marks numbers the spec leaves unused.
simd(14, 'i8x16.swizzle i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat');
simd(35, `i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u
  i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u
  i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u
  f32x4.eq f32x4.ne f32x4.lt f32x4.gt f32x4.le f32x4.ge f64x2.eq f64x2.ne f64x2.lt f64x2.gt f64x2.le f64x2.ge
  v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true`);
simd(94, `f32x4.demote_f64x2_zero f64x2.promote_low_f32x4
  i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true i8x16.bitmask i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u
  f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest i8x16.shl i8x16.shr_s i8x16.shr_u
  i8x16.add i8x16.add_sat_s i8x16.add_sat_u i8x16.sub i8x16.sub_sat_s i8x16.sub_sat_u f64x2.ceil f64x2.floor
  i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u f64x2.trunc i8x16.avgr_u
  i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u
  i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true i16x8.bitmask i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u
  i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u
  i16x8.shl i16x8.shr_s i16x8.shr_u i16x8.add i16x8.add_sat_s i16x8.add_sat_u i16x8.sub i16x8.sub_sat_s
  i16x8.sub_sat_u f64x2.nearest i16x8.mul i16x8.min_s i16x8.min_u i16x8.max_s i16x8.max_u - i16x8.avgr_u
  i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u i16x8.extmul_high_i8x16_u
  i32x4.abs i32x4.neg - i32x4.all_true i32x4.bitmask - -
  i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u
  i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add - - i32x4.sub - - - i32x4.mul i32x4.min_s i32x4.min_u
  i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s -
  i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u
  i64x2.abs i64x2.neg - i64x2.all_true i64x2.bitmask - -
  i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u
  i64x2.shl i64x2.shr_s i64x2.shr_u i64x2.add - - i64x2.sub - - - i64x2.mul
  i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s
  i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u
  f32x4.abs f32x4.neg - f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div f32x4.min f32x4.max f32x4.pmin f32x4.pmax
  f64x2.abs f64x2.neg - f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div f64x2.min f64x2.max f64x2.pmin f64x2.pmax
  i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u
  i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u`);

table(0x28, `i32.load i64.load f32.load f64.load i32.load8_s i32.load8_u i32.load16_s i32.load16_u
  i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s i64.load32_u
  i32.store i64.store f32.store f64.store i32.store8 i32.store16 i64.store8 i64.store16 i64.store32`, (n, c) => {
  const bits = /(8|16|32)(_[su])?$/.exec(n)?.[1] ?? n.slice(1, 3); // i64.load32_s reads 32 bits, i64.load 64
  MEMORY[n] = [[c], Math.log2(Number(bits) / 8)];
});
const simdMem = (names: string, first: number, aligns: number[]) => names.trim().split(/\s+/).forEach((n, i) => { MEMORY[n] = [[0xfd, ...uleb128(first + i)], aligns[i]]; });
simdMem(`v128.load v128.load8x8_s v128.load8x8_u v128.load16x4_s v128.load16x4_u v128.load32x2_s v128.load32x2_u
  v128.load8_splat v128.load16_splat v128.load32_splat v128.load64_splat v128.store`, 0, [4, 3, 3, 3, 3, 3, 3, 0, 1, 2, 3, 4]);
simdMem('v128.load32_zero v128.load64_zero', 92, [2, 3]);
['v128.load8_lane', 'v128.load16_lane', 'v128.load32_lane', 'v128.load64_lane', 'v128.store8_lane', 'v128.store16_lane', 'v128.store32_lane', 'v128.store64_lane']
  .forEach((n, i) => { MEMLANE[n] = [[0xfd, ...uleb128(84 + i)], i % 4, 16 >> (i % 4)]; });
`i8x16.extract_lane_s i8x16.extract_lane_u i8x16.replace_lane i16x8.extract_lane_s i16x8.extract_lane_u i16x8.replace_lane
  i32x4.extract_lane i32x4.replace_lane i64x2.extract_lane i64x2.replace_lane f32x4.extract_lane f32x4.replace_lane
  f64x2.extract_lane f64x2.replace_lane`.trim().split(/\s+/).forEach((n, i) => {
  LANE[n] = [[0xfd, ...uleb128(21 + i)], Number(n.slice(n.indexOf('x') + 1, n.indexOf('.')))];
});

// Threads proposal atomics (prefix 0xfe, memarg with exactly the natural alignment), for workers that share
// one memory: https://github.com/WebAssembly/threads/blob/main/proposals/threads/Overview.md
/** Atomic memory instructions → [encoding, alignment (must be natural)]. */
const ATOMIC: Record<string, [number[], number]> = {};
const atomic = (code: number, name: string, align: number) => { ATOMIC[name] = [[0xfe, ...uleb128(code)], align]; };
atomic(0x00, 'memory.atomic.notify', 2); atomic(0x01, 'memory.atomic.wait32', 2); atomic(0x02, 'memory.atomic.wait64', 3);
['i32.atomic.load', 'i64.atomic.load', 'i32.atomic.load8_u', 'i32.atomic.load16_u', 'i64.atomic.load8_u', 'i64.atomic.load16_u', 'i64.atomic.load32_u',
  'i32.atomic.store', 'i64.atomic.store', 'i32.atomic.store8', 'i32.atomic.store16', 'i64.atomic.store8', 'i64.atomic.store16', 'i64.atomic.store32']
  .forEach((n, i) => atomic(0x10 + i, n, [2, 3, 0, 1, 0, 1, 2][i % 7]));
['add', 'sub', 'and', 'or', 'xor', 'xchg', 'cmpxchg'].forEach((op, k) =>
  [`i32.atomic.rmw.${op}`, `i64.atomic.rmw.${op}`, `i32.atomic.rmw8.${op}_u`, `i32.atomic.rmw16.${op}_u`, `i64.atomic.rmw8.${op}_u`, `i64.atomic.rmw16.${op}_u`, `i64.atomic.rmw32.${op}_u`]
    .forEach((n, i) => atomic(0x1e + 7 * k + i, n, [2, 3, 0, 1, 0, 1, 2][i])));

/** Every instruction name the builder knows, with its kind; used by tests to cross-check the tables. */
export function instructionTable(): { plain: Record<string, number[]>; memory: Record<string, [number[], number]>; lane: Record<string, [number[], number]>; memLane: Record<string, [number[], number, number]>; atomic: Record<string, [number[], number]> } {
  return { plain: { ...PLAIN }, memory: { ...MEMORY }, lane: { ...LANE }, memLane: { ...MEMLANE }, atomic: { ...ATOMIC } };
}

// ---------------------------------------------------------------- instruction emitter

/**
 * A function body. Every method appends one instruction and returns `this`, so code reads as the stack
 * machine executes it. Structured control needs a matching `end()`; `finish()` checks the nesting.
 */
export class Code {
  readonly bytes: number[] = [];
  private depth = 0;

  /** An instruction without immediates, by its text-format name: `op('f32x4.add')`. */
  op(name: string): this {
    const code = PLAIN[name];
    if (!code) throw new Error(`unknown or immediate-taking instruction '${name}'`);
    this.bytes.push(...code);
    return this;
  }
  /** Several immediate-free instructions in order: `ops('f32.mul', 'f32.add')`. */
  ops(...names: string[]): this { for (const n of names) this.op(n); return this; }

  i32_const(v: number): this { checkInt(v, 32, true); this.bytes.push(0x41, ...sleb128(v)); return this; }
  i64_const(v: number | bigint): this { checkInt(v, 64, true); this.bytes.push(0x42, ...sleb128(v)); return this; }
  f32_const(v: number): this { this.bytes.push(0x43, ...f32Bytes(v)); return this; }
  f64_const(v: number): this { this.bytes.push(0x44, ...f64Bytes(v)); return this; }
  /** v128.const from 16 raw bytes, or from any typed array spanning 16 bytes (lanes little-endian). */
  v128_const(v: ArrayLike<number> | ArrayBufferView): this {
    const b = ArrayBuffer.isView(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : Uint8Array.from(v as ArrayLike<number>);
    if (b.length !== 16) throw new RangeError(`v128.const needs 16 bytes, got ${b.length}`);
    this.bytes.push(0xfd, ...uleb128(12), ...b);
    return this;
  }
  f32x4_const(a: number, b = a, c = a, d = a): this { return this.v128_const(new Float32Array([a, b, c, d])); }
  f64x2_const(a: number, b = a): this { return this.v128_const(new Float64Array([a, b])); }
  i32x4_const(a: number, b = a, c = a, d = a): this { return this.v128_const(new Int32Array([a, b, c, d])); }

  local_get(i: number): this { this.bytes.push(0x20, ...u32(i)); return this; }
  local_set(i: number): this { this.bytes.push(0x21, ...u32(i)); return this; }
  local_tee(i: number): this { this.bytes.push(0x22, ...u32(i)); return this; }
  global_get(i: number): this { this.bytes.push(0x23, ...u32(i)); return this; }
  global_set(i: number): this { this.bytes.push(0x24, ...u32(i)); return this; }

  /**
   * A load or store: `mem('f32.load', 8)` reads at address + 8. `align` is log2 of the promised alignment,
   * the natural one by default (a hint only: misaligned accesses still work).
   */
  mem(name: string, offset = 0, align?: number): this {
    const m = MEMORY[name];
    if (!m) throw new Error(`unknown memory instruction '${name}'`);
    const a = align ?? m[1];
    if (a > m[1]) throw new RangeError(`${name}: alignment 2^${a} exceeds the natural 2^${m[1]}`);
    this.bytes.push(...m[0], ...u32(a), ...u32(offset));
    return this;
  }
  /** An atomic load/store/rmw/wait/notify (threads proposal): memarg with the natural alignment. */
  atomic(name: string, offset = 0): this {
    const a = ATOMIC[name];
    if (!a) throw new Error(`unknown atomic instruction '${name}'`);
    this.bytes.push(...a[0], ...u32(a[1]), ...u32(offset));
    return this;
  }
  atomic_fence(): this { this.bytes.push(0xfe, 0x03, 0x00); return this; }
  /** extract_lane / replace_lane. */
  lane(name: string, lane: number): this {
    const l = LANE[name];
    if (!l) throw new Error(`unknown lane instruction '${name}'`);
    if (!(lane >= 0 && lane < l[1] && Number.isInteger(lane))) throw new RangeError(`${name}: lane ${lane} of ${l[1]}`);
    this.bytes.push(...l[0], lane);
    return this;
  }
  /** v128.loadN_lane / storeN_lane: memarg, then the lane. */
  memLane(name: string, lane: number, offset = 0, align?: number): this {
    const m = MEMLANE[name];
    if (!m) throw new Error(`unknown memory-lane instruction '${name}'`);
    if (!(lane >= 0 && lane < m[2] && Number.isInteger(lane))) throw new RangeError(`${name}: lane ${lane} of ${m[2]}`);
    this.bytes.push(...m[0], ...u32(align ?? m[1]), ...u32(offset), lane);
    return this;
  }
  /** i8x16.shuffle with 16 lane indices into the concatenation of both operands (0–31). */
  shuffle(lanes: number[]): this {
    if (lanes.length !== 16 || lanes.some((l) => !(l >= 0 && l < 32))) throw new RangeError('i8x16.shuffle needs 16 lanes in 0..31');
    this.bytes.push(0xfd, ...uleb128(13), ...lanes);
    return this;
  }

  private blockType(t: BlockType): number { return t === null ? 0x40 : VALTYPE[t]; }
  block(t: BlockType = null): this { this.depth++; this.bytes.push(0x02, this.blockType(t)); return this; }
  loop(t: BlockType = null): this { this.depth++; this.bytes.push(0x03, this.blockType(t)); return this; }
  if_(t: BlockType = null): this { this.depth++; this.bytes.push(0x04, this.blockType(t)); return this; }
  else_(): this { this.bytes.push(0x05); return this; }
  end(): this {
    if (this.depth === 0) throw new Error('end() without an open block');
    this.depth--; this.bytes.push(0x0b); return this;
  }
  /** Branch to the label `depth` blocks out (0 = innermost; a loop's label is its start, a block's its end). */
  br(depth: number): this { this.bytes.push(0x0c, ...u32(depth)); return this; }
  br_if(depth: number): this { this.bytes.push(0x0d, ...u32(depth)); return this; }
  br_table(depths: number[], otherwise: number): this { this.bytes.push(0x0e, ...vec(depths.map(u32)), ...u32(otherwise)); return this; }
  return_(): this { this.bytes.push(0x0f); return this; }
  call(func: number): this { this.bytes.push(0x10, ...u32(func)); return this; }

  memory_size(): this { this.bytes.push(0x3f, 0x00); return this; }
  memory_grow(): this { this.bytes.push(0x40, 0x00); return this; }
  /** memory.fill (dest, value, n) and memory.copy (dest, src, n), bulk-memory. */
  memory_fill(): this { this.bytes.push(0xfc, ...uleb128(11), 0x00); return this; }
  memory_copy(): this { this.bytes.push(0xfc, ...uleb128(10), 0x00, 0x00); return this; }

  /** The body's expression, closed by the function's own `end`. */
  finish(): number[] {
    if (this.depth !== 0) throw new Error(`${this.depth} block(s) left open`);
    return [...this.bytes, 0x0b];
  }
}

/** A function under construction: its params are locals 0..n-1; `local(type)` adds more. */
export class FuncBuilder {
  readonly code = new Code();
  private readonly locals: ValType[] = [];
  constructor(readonly params: ValType[], readonly results: ValType[]) {}
  /** A new local of `type`, returning its index. */
  local(type: ValType): number { this.locals.push(type); return this.params.length + this.locals.length - 1; }
  /** Body bytes: locals run-length encoded, as the spec's code section wants, then the expression. */
  encode(): number[] {
    const groups: number[][] = [];
    for (let i = 0; i < this.locals.length;) {
      let j = i; while (j < this.locals.length && this.locals[j] === this.locals[i]) j++;
      groups.push([...u32(j - i), VALTYPE[this.locals[i]]]);
      i = j;
    }
    const body = [...vec(groups), ...this.code.finish()];
    return [...u32(body.length), ...body];
  }
}

// ---------------------------------------------------------------- module

export interface Limits { min: number; max?: number; shared?: boolean }
export type ExportKind = 'func' | 'table' | 'memory' | 'global';
const EXPORT_KIND: Record<ExportKind, number> = { func: 0, table: 1, memory: 2, global: 3 };
export type ConstInit = { type: ValType; value: number | bigint } | { global: number };

function limits(l: Limits): number[] {
  if (l.shared && l.max === undefined) throw new Error('a shared memory needs a maximum');
  if (l.max !== undefined && l.max < l.min) throw new RangeError(`limits: max ${l.max} < min ${l.min}`);
  // 0x00 min | 0x01 min max | 0x03 min max shared (threads proposal)
  const flag = (l.max !== undefined ? 1 : 0) | (l.shared ? 2 : 0);
  return [flag, ...u32(l.min), ...(l.max !== undefined ? u32(l.max) : [])];
}

function constExpr(init: ConstInit): number[] {
  const c = new Code();
  if ('global' in init) c.global_get(init.global);
  else if (init.type === 'i32') c.i32_const(Number(init.value));
  else if (init.type === 'i64') c.i64_const(init.value);
  else if (init.type === 'f32') c.f32_const(Number(init.value));
  else if (init.type === 'f64') c.f64_const(Number(init.value));
  else throw new Error('v128 initialisers: use a v128 global set at run time');
  return c.finish();
}

export class ModuleBuilder {
  private types: number[][] = [];
  private typeKeys: string[] = [];
  private imports: number[][] = [];
  private nImportedFuncs = 0;
  private nImportedGlobals = 0;
  private nImportedMemories = 0;
  private funcs: { type: number; body: FuncBuilder }[] = [];
  private memories: number[][] = [];
  private globals: number[][] = [];
  private exports: number[][] = [];
  private exportNames = new Set<string>();
  private data: number[][] = [];
  private start: number | null = null;

  /** Index of the function type params → results, shared by identical signatures. */
  type(params: ValType[], results: ValType[]): number {
    const key = `${params.join(',')}>${results.join(',')}`;
    const at = this.typeKeys.indexOf(key);
    if (at >= 0) return at;
    this.typeKeys.push(key);
    this.types.push([0x60, ...vec(params.map((p) => [VALTYPE[p]])), ...vec(results.map((r) => [VALTYPE[r]]))]);
    return this.types.length - 1;
  }

  private importEntry(module: string, name: string, desc: number[]): void {
    this.imports.push([...nameBytes(module), ...nameBytes(name), ...desc]);
  }
  /** Imports a function; imports take the lowest indices, so all must come before the first `func`. */
  importFunc(module: string, name: string, params: ValType[], results: ValType[]): number {
    if (this.funcs.length) throw new Error('import functions before defining any');
    this.importEntry(module, name, [0x00, ...u32(this.type(params, results))]);
    return this.nImportedFuncs++;
  }
  /** Imports linear memory 0 (`shared` needs `max`; a SharedArrayBuffer-backed WebAssembly.Memory then fits). */
  importMemory(module: string, name: string, l: Limits): number {
    if (this.memories.length || this.nImportedMemories) throw new Error('one memory per module');
    this.importEntry(module, name, [0x02, ...limits(l)]);
    return this.nImportedMemories++;
  }
  importGlobal(module: string, name: string, type: ValType, mutable = false): number {
    if (this.globals.length) throw new Error('import globals before defining any');
    this.importEntry(module, name, [0x03, VALTYPE[type], mutable ? 1 : 0]);
    return this.nImportedGlobals++;
  }
  /** Defines memory 0 in the module. */
  memory(l: Limits, exportAs?: string): number {
    if (this.memories.length || this.nImportedMemories) throw new Error('one memory per module');
    this.memories.push(limits(l));
    if (exportAs !== undefined) this.export(exportAs, 'memory', 0);
    return 0;
  }
  global(type: ValType, mutable: boolean, init: ConstInit, exportAs?: string): number {
    this.globals.push([VALTYPE[type], mutable ? 1 : 0, ...constExpr(init)]);
    const index = this.nImportedGlobals + this.globals.length - 1;
    if (exportAs !== undefined) this.export(exportAs, 'global', index);
    return index;
  }
  /**
   * Defines a function: `build(code, f)` writes the body (params are locals 0..n-1, `f.local(t)` adds more).
   * Returns the function index; `export` names it in the exports.
   */
  func(sig: { params?: ValType[]; results?: ValType[]; export?: string }, build: (c: Code, f: FuncBuilder) => void): number {
    const params = sig.params ?? [], results = sig.results ?? [];
    const f = new FuncBuilder(params, results);
    const index = this.nImportedFuncs + this.funcs.length;
    this.funcs.push({ type: this.type(params, results), body: f });
    build(f.code, f);
    if (sig.export !== undefined) this.export(sig.export, 'func', index);
    return index;
  }
  /** Index the next `func` call will get (for forward calls and recursion). */
  nextFuncIndex(): number { return this.nImportedFuncs + this.funcs.length; }
  export(name: string, kind: ExportKind, index: number): void {
    if (this.exportNames.has(name)) throw new Error(`duplicate export '${name}'`);
    this.exportNames.add(name);
    this.exports.push([...nameBytes(name), EXPORT_KIND[kind], ...u32(index)]);
  }
  /** An active data segment: `bytes` copied into memory 0 at `offset` on instantiation. */
  dataSegment(offset: number, bytes: ArrayLike<number> | ArrayBufferView): void {
    const b = ArrayBuffer.isView(bytes) ? Array.from(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) : Array.from(bytes as ArrayLike<number>);
    this.data.push([0x00, ...constExpr({ type: 'i32', value: offset }), ...u32(b.length), ...b]);
  }
  startFunction(index: number): void { this.start = index; }

  toBytes(): Uint8Array<ArrayBuffer> {
    const out: number[] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]; // "\0asm", version 1
    const section = (id: number, content: number[]) => { out.push(id, ...u32(content.length)); for (const b of content) out.push(b); };
    if (this.types.length) section(1, vec(this.types));
    if (this.imports.length) section(2, vec(this.imports));
    if (this.funcs.length) section(3, vec(this.funcs.map((f) => u32(f.type))));
    if (this.memories.length) section(5, vec(this.memories));
    if (this.globals.length) section(6, vec(this.globals));
    if (this.exports.length) section(7, vec(this.exports));
    if (this.start !== null) section(8, u32(this.start));
    if (this.funcs.length) section(10, vec(this.funcs.map((f) => f.body.encode())));
    if (this.data.length) section(11, vec(this.data));
    return Uint8Array.from(out);
  }
}
