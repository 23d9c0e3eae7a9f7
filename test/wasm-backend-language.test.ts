/**
 * The wasm code generator on the language model code may use (README "How it works"): early returns
 * (the update stays a function), helpers returning arrays (multi-value), while/break/continue, int32 and
 * bool arrays, bitwise operators, %, **, Math functions native and imported, ternaries and && / || with
 * their JavaScript values. Each case runs on interp, js and wasm; every Variable must agree bit for bit.
 */
import { Network, NeuGroup, Variable, Precision, registerBackend } from '../src';
import { wasmBackend, emitWasm } from '../src/backends/wasm';
import { cpuPlan } from '../src/compiler/cpu-plan';
import wabtInit from 'wabt';

// the wasm backend with branches in f64x2 loops as lane masks (off by default, measured slower), so that
// the masked SIMD code is checked bit for bit in both precisions
registerBackend({ ...wasmBackend, name: 'wasm-masked', autoRank: null,
  compile: (req) => emitWasm(req, cpuPlan(req.plan(), { ints: true }), { simd: true, maskedBranches: true }) });

class Lang extends NeuGroup {
  x = new Variable(this.num, { init: (i) => i * 0.37 - 2 });
  k = new Variable(this.num, { dtype: 'int32', init: (i) => i * 3 - 7 });
  b = new Variable(this.num, { dtype: 'bool' });
  acc = new Variable(2);
  pair(a: number, b: number) { return [a + b, a * b]; }
  clip(v: number, lo = -3) { if (v < lo) return lo; return v > 3 ? 3 : v; }
  update(t: number, dt: number) {
    if (t > 1e9) return; // an early return: the update stays a function of its own
    let total = 0;
    for (let i = 0; i < this.num; i++) {
      const [s, p] = this.pair(this.x[i], dt);
      let j = 0;
      while (j < 5) { j++; if (j === 3) continue; if (s > 100) break; total += j * 0.25; }
      this.k[i] = ((this.k[i] * 3 + 1) % 17) | 0;
      this.k[i] ^= i << 2;
      this.b[i] = (this.x[i] > 0 && this.k[i] > 3) || !this.b[i] ? 1 : 0;
      const m = this.x[i] > 1 ? this.x[i] || 2 : this.x[i] && -1;
      this.x[i] = this.clip(Math.round(this.x[i] * 1.1 + p) % 7.5 + Math.exp(-Math.abs(s)) + (this.k[i] >>> 1) * 1e-3
        + Math.max(s, p) * 0.01 + (-this.x[i]) ** 2 * 1e-4 + Math.sqrt(Math.abs(m)) * 0.1 + Math.fround(0.1) + Math.min(t, 0.3));
      total += this.b[i] ? 1 : -0.5;
      const pos = (this.x[i] > 0) as unknown as number;
      if (pos === 1 || (this.x[i] > 0) as unknown as number !== 0) total += 0.125; // a boolean is never === a number
      if (pos == 1) total += 0.0625;
    }
    this.acc[0] += total;
    this.acc[1] = Math.floor(this.acc[0] / 3) + Math.ceil(-this.acc[0] / 7) + Math.trunc(this.acc[0] % 2.5) + (~~this.acc[0] >> 1);
  }
}

/** a map loop with branches, int and bool arrays and an odd length: the SIMD path with a scalar tail */
class Masked extends NeuGroup {
  v = new Variable(this.num, { init: (i) => Math.sin(i) * 3 });
  c = new Variable(this.num, { dtype: 'int32', init: (i) => i % 4 });
  f = new Variable(this.num, { dtype: 'bool' });
  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      this.f[i] = 0;
      let w = this.v[i] * 0.9 + dt;
      if (this.c[i] > 1) { this.c[i] -= 1; w = -w; }
      else if (w > 0.5 || this.v[i] < -2) { this.f[i] = 1; this.c[i] = 3; w = Math.min(w, 1.5) / 3; }
      else this.v[i] += Math.abs(w) * 1e-3;
      this.v[i] = w + (this.f[i] ? 0.25 : -0.125) + Math.fround(t * 1e-3) + Math.sqrt(Math.abs(w));
    }
  }
}

/**
 * int32 and bool arrays whose values leave their range (a hash-like counter, a flag set to 300): stores and
 * the integer scalar replacement's `| 0` / `& 255` must wrap as an Int32Array / Uint8Array store does, also
 * in the SIMD path (a saturating conversion would give 2^31 − 1 or 255 instead)
 */
class Wrap extends NeuGroup {
  h = new Variable(this.num, { dtype: 'int32', init: (i) => i * 7919 - 40000 });
  f = new Variable(this.num, { dtype: 'bool' });
  w = new Variable(this.num, { init: (i) => i * 0.5 });
  update() {
    for (let i = 0; i < this.num; i++) {
      this.h[i] = this.h[i] * 1103515245 + 12345;
      if (this.h[i] > 0) this.h[i] += 2147483000;
      this.f[i] = this.h[i] > 1e9 ? 300 : this.h[i] < -1e9 ? -1 : this.f[i] + 1;
      this.w[i] = this.w[i] + this.h[i] * 1e-9 + this.f[i] + (this.h[i] >= 0 ? 1 : 0);
    }
  }
}

const PRECISIONS: Precision[] = ['float32', 'float64'];

describe.each(PRECISIONS)('language coverage (%s)', (precision) => {
  test.each([
    ['Lang', () => new Lang(13)],
    ['Masked (SIMD with an odd tail)', () => new Masked(37)],
    ['Wrap (int32 and uint8 overflow in SIMD)', () => new Wrap(21)],
  ] as const)('%s: interp, js and wasm agree bit for bit', async (_n, make) => {
    const states = [];
    for (const backend of ['interp', 'js', 'wasm', 'wasm-masked']) {
      const net = new Network({ A: make() }, { precision, seed: 1 });
      const r = await net.run(2, { backend, dt: 0.1, monitors: [{ target: 'A.' + (make() instanceof Lang ? 'x' : make() instanceof Masked ? 'v' : 'w'), every: 2 }] });
      expect(r.backend).toBe(backend);
      if (backend.startsWith('wasm')) {
        // Masked's and Wrap's loops are map loops with branches, compiled with SIMD where masked branches are on;
        // Lang's calls helpers and accumulates (scalar)
        const exe = [...(net as unknown as { cache: Map<string, { exe: { stats: { simdLoops: number } } }> }).cache.values()][0].exe;
        expect(exe.stats.simdLoops).toBe(make() instanceof Lang || backend === 'wasm' ? 0 : 1);
      }
      states.push(Object.fromEntries(net.variablePaths().map((p) => [p, Array.from(net.variable(p)!.value, (x) => (Object.is(x, -0) ? '-0' : x))])));
    }
    expect(states[1]).toEqual(states[0]);
    expect(states[2]).toEqual(states[0]);
    expect(states[3]).toEqual(states[0]);
  });
});

/**
 * Helpers the wasm backend compiles at their calls (codegen.ts inlineCall): early returns from inside a loop
 * and a branch, a default parameter, a helper calling helpers, one with no result that writes a Variable,
 * one that can fall off its end (undefined), a tuple returned early, names shared with the caller's locals,
 * and calls at the step level and inside the element loop.
 */
class Inline extends NeuGroup {
  x = new Variable(this.num, { init: (i) => i * 0.37 - 2 });
  y = new Variable(this.num, { init: (i) => 1 - i * 0.11 });
  z = new Variable(this.num);
  acc = new Variable(2);
  scale = 1.5;
  clip(v: number, lo = -1, hi = 1) {
    if (v < lo) return lo;
    let s = 0;
    for (let j = 0; j < 4; j++) { if (v * j > hi) return hi + j * 1e-3; s += v * j; }
    return s / 6;
  }
  sorted(a: number, b: number) { if (a > b) return [b, a]; return [a, b]; }
  nested(v: number) { const i = v * this.scale; return this.clip(i) + this.clip(v, -0.5) * this.clip(-v, -2, 0.25); }
  bump(i: number, v: number) { this.z[i] += v; if (v > 0) return; this.z[i] *= 0.5; }
  positive(v: number) { if (v > 0) return v; }
  update(t: number) {
    const w = this.nested(t - 0.05);
    for (let i = 0; i < this.num; i++) {
      const v = this.x[i];
      const [lo, hi] = this.sorted(v, this.y[i]);
      this.y[i] = this.nested(lo) - hi + v * 0.5 + w;
      this.bump(i, v);
      this.x[i] = v * 0.9 + ((this.positive(v - 0.5) as number) > 0 ? 0.125 : -0.0625);
    }
    this.acc[0] += (this.positive(-1) as number) > 0 ? 0 : 1; // undefined > 0 is false
    this.acc[1] += this.clip(w * 3, -2);
  }
}

test.each(PRECISIONS)('helpers compiled at their calls give what interp gives, and run() calls none of them (%s)', async (precision) => {
  const states = [];
  for (const backend of ['interp', 'js', 'wasm']) {
    const net = new Network({ A: new Inline(11) }, { precision });
    await net.run(2, { backend, dt: 0.1 });
    states.push(Object.fromEntries(net.variablePaths().map((p) => [p, Array.from(net.variable(p)!.value, (x) => (Object.is(x, -0) ? '-0' : x))])));
    if (backend === 'wasm') {
      const exe = [...(net as unknown as { cache: Map<string, { exe: { wasmBytes: Uint8Array } }> }).cache.values()][0].exe;
      const wabt = await wabtInit();
      const text = wabt.readWasm(exe.wasmBytes, { readDebugNames: false, simd: true, threads: true, sat_float_to_int: true, sign_extension: true, bulk_memory: true })
        .toText({ foldExprs: false, inlineExport: false });
      // the helpers are still functions of the module (after the imports: %, pow), but nothing calls them
      const imports = (text.match(/\(import "\w+" "[^"]*" \(func/g) ?? []).length;
      const defined = (text.match(/^ {2}\(func /gm) ?? []).length;
      const calls = [...text.matchAll(/\bcall (\d+)/g)].map((m) => Number(m[1]));
      expect(imports).toBe(2);
      expect(defined).toBe(5 + 1); // the five helpers, then run()
      expect(calls.filter((k) => k >= imports && k < imports + 5)).toEqual([]);
    }
  }
  expect(states[1]).toEqual(states[0]);
  expect(states[2]).toEqual(states[0]);
  expect((states[0]['A.acc'] as number[])[0]).toBe(20); // each of the 20 steps found positive(-1) undefined
});

/** loop counters that are not int32 all the way: fractional steps, a counter written in the body */
class Steps extends NeuGroup {
  y = new Variable(this.num);
  update() {
    for (let i = 0; i < this.num; i++) {
      let s = 0;
      for (let x = 0; x < 2; x += 0.5) s += x;
      for (let k = 0; k < 4; k++) { if (k === 1) k = 2.5; s += k; }
      this.y[i] += s + i;
    }
  }
}

test.each(PRECISIONS)('fractional loop counters stay doubles (%s)', async (precision) => {
  const got: number[][] = [];
  for (const backend of ['js', 'wasm']) {
    const net = new Network({ A: new Steps(3) }, { precision });
    await net.run(0.2, { backend });
    got.push(Array.from(net.variable('A.y')!.value));
  }
  expect(got[0]).toEqual([0, 1, 2].map((i) => 2 * (3 + 6 + i))); // 0+.5+1+1.5, then 0+2.5+3.5, over two steps
  expect(got[1]).toEqual(got[0]);
});

/** booleans in locals: `b === 1` is false in JavaScript, `b == 1` true (scalar and SIMD paths) */
class Bools extends NeuGroup {
  v = new Variable(this.num, { init: (i) => i - 4 });
  out = new Variable(this.num);
  update() {
    for (let i = 0; i < this.num; i++) {
      const pos = (this.v[i] > 0) as unknown as number;
      let r = 0;
      if (pos === 1) r += 1;
      if (pos == 1) r += 2;
      if (pos) r += 4;
      this.out[i] = r + pos;
    }
  }
}

test.each(PRECISIONS)('boolean locals keep JavaScript equality (%s)', async (precision) => {
  const got: number[][] = [];
  for (const backend of ['js', 'wasm']) {
    const net = new Network({ A: new Bools(9) }, { precision });
    await net.run(0.1, { backend });
    got.push(Array.from(net.variable('A.out')!.value));
  }
  expect(got[0]).toEqual([0, 0, 0, 0, 0, 7, 7, 7, 7]);
  expect(got[1]).toEqual(got[0]);
});
