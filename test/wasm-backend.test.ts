/**
 * The wasm backend beyond the conformance suite (which checks bit-identity with interp on small networks):
 * SIMD is really used on COBA and changes nothing, big spike monitors drain through the wasm-side buffer,
 * NaN stops name the same step and element as js, state lives in the wasm memory, constructs without a wasm
 * form fall back to js under 'auto' and are named under backend 'wasm'.
 */
import { Network, NeuGroup, Variable, SpikeMonitorData, ValueMonitorData, SimulationError } from '../src';
import { BackendUnsupported } from '../src/backends';
import { wasmBackend, emitWasm, WasmExecutable } from '../src/backends/wasm';
import { cobaNetwork } from '../examples/networks';
import { LIF } from '../models/neurons/lif';
import wabtInit from 'wabt';
import { cpuPlan } from '../src/compiler/cpu-plan';
import { buildPlan } from '../src/compiler/plan';
import type { CompileRequest } from '../src/backends';

const same = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`element ${i}: ${a[i]} vs ${b[i]}`);
};

/** every Variable of a network, as plain numbers */
const stateOf = (net: Network) => Object.fromEntries(net.variablePaths().map((p) => [p, Array.from(net.variable(p)!.value)]));

/** `masked`: branches in f64x2 loops as lane masks too (off in the backend), so that the masked code is checked */
function compileOf(net: Network, simd: boolean, relaxed = false, masked = true): WasmExecutable {
  net.build();
  const objects = (net as unknown as { objects: { name: string; obj: object }[] }).objects;
  const req = { objects, inputs: [], monitors: [], checkEvery: 100, fuse: true, precision: net.precision, rng: (net as any).stream,
    plan: () => buildPlan(objects, [], [], { checkEvery: 100, fuse: true }) } as unknown as CompileRequest;
  return emitWasm(req, cpuPlan(req.plan(), { ints: true }), { simd, relaxed, maskedBranches: masked }) as WasmExecutable;
}

describe.each(['float32', 'float64'] as const)('COBA on wasm (%s)', (precision) => {
  test('same spikes and state as js, bit for bit, with N not a multiple of the lanes; the neuron and synapse loops are SIMD', async () => {
    const o = { seed: 11, nExc: 803, nInh: 201, p: 0.08, precision };
    const js = cobaNetwork(o), wasm = cobaNetwork(o);
    const a = await js.run(200, { backend: 'js', monitors: ['E.spike', 'I.spike', { target: 'E.V', indices: [0, 802], every: 7 }] });
    const b = await wasm.run(200, { backend: 'wasm', monitors: ['E.spike', 'I.spike', { target: 'E.V', indices: [0, 802], every: 7 }] });
    const ea = a.monitors['E.spike'] as SpikeMonitorData, eb = b.monitors['E.spike'] as SpikeMonitorData;
    expect(ea.count).toBeGreaterThan(500);
    same(eb.steps, ea.steps); same(eb.indices, ea.indices);
    same((b.monitors['I.spike'] as SpikeMonitorData).indices, (a.monitors['I.spike'] as SpikeMonitorData).indices);
    same((b.monitors['E.V'] as ValueMonitorData).data, (a.monitors['E.V'] as ValueMonitorData).data);
    expect(stateOf(wasm)).toEqual(stateOf(js));

    const exe = compileOf(cobaNetwork(o), true);
    expect(exe.stats.simdLoops).toBe(6);      // E, I neuron passes, the two conductance passes, the two first-step flag clears (sparse-flags.ts)
    expect(exe.stats.scalarMapLoops).toBe(0);
    // as the backend compiles it: the neuron passes (branches) stay scalar code in f64x2; the conductance passes and the flag clears are SIMD
    const dflt = compileOf(cobaNetwork(o), true, false, false);
    expect([dflt.stats.simdLoops, dflt.stats.scalarMapLoops]).toEqual([4, 2]);
  });

  test('SIMD on and off give the same state', async () => {
    const o = { seed: 12, nExc: 401, nInh: 99, p: 0.1, precision };
    const runs = [true, false].map((simd) => {
      const net = cobaNetwork(o);
      const exe = compileOf(net, simd);
      const S = new Float64Array(4);
      const mon = { n: [], steps: [], idx: [], data: [], sel: [] };
      exe.run(0, 1500, 0, 0, 0.1, { inputs: [], monitors: mon }, S);
      expect(S[1]).toBe(0);
      return stateOf(net);
    });
    expect(runs[0]).toEqual(runs[1]);
  });
});

class On extends NeuGroup {
  spike = new Variable(this.num, { dtype: 'bool' });
  update() { for (let i = 0; i < this.num; i++) this.spike[i] = (i * 7) % 3 === 0 ? 1 : 0; }
}

test('a spike monitor with more events than the wasm-side buffer holds: drained and grown, complete and in order', async () => {
  const run = (backend: string) => new Network({ A: new On(3001) }).run(300, { backend, monitors: ['A.spike'] });
  const [a, b] = await Promise.all([run('js'), run('wasm')]);
  const ma = a.monitors['A.spike'] as SpikeMonitorData, mb = b.monitors['A.spike'] as SpikeMonitorData;
  expect(ma.count).toBe(3000 * 1001);
  same(mb.steps, ma.steps); same(mb.indices, ma.indices);
});

class Blow extends NeuGroup {
  x = new Variable(this.num, { init: 1 });
  update() { for (let i = 0; i < this.num; i++) this.x[i] = i === 5 ? this.x[i] * 1e30 : this.x[i] + 1; }
}

test('a NaN/Inf stop names the same step and element as js, with the same partial result', async () => {
  const stop = (backend: string) => new Network({ B: new Blow(9) }, { precision: 'float32' }).run(10, { backend, checkEvery: 1, monitors: [{ target: 'B.x', every: 1 }] }).catch((e) => e);
  const [a, b] = await Promise.all([stop('js'), stop('wasm')]);
  expect(b).toBeInstanceOf(SimulationError);
  expect(b.message).toBe(a.message);
  expect(b.message).toMatch(/B\.x\[5\] = Infinity at step 1/);
  same((b.partial.monitors['B.x'] as ValueMonitorData).data, (a.partial.monitors['B.x'] as ValueMonitorData).data);
});

/** element `at` becomes sign/0 in the first step (NaN for sign 0, else ±Infinity); the others stay finite */
class GoesBad extends NeuGroup {
  at = 0; sign = 0;
  x = new Variable(this.num, { init: 1 });
  update() { for (let i = 0; i < this.num; i++) this.x[i] = i === this.at ? this.sign / 0 : this.x[i] + 1; }
}

// the check's vector pass (backends/wasm/codegen.ts ifNonFinite) covers whole 16-byte vectors; the last
// elements of an array whose bytes are not a multiple of 16 are tested one by one
test.each([
  ['float32', 11, 3, NaN], ['float32', 11, 8, -Infinity], ['float32', 11, 10, NaN], ['float32', 3, 2, Infinity],
  ['float64', 7, 1, Infinity], ['float64', 7, 6, NaN], ['float64', 1, 0, -Infinity],
] as const)('a NaN/Inf in any element stops the wasm run as js does (%s, %i elements, element %i = %s)', async (precision, n, at, bad) => {
  const sign = Number.isNaN(bad) ? 0 : Math.sign(bad);
  const stop = (backend: string) => new Network({ B: new GoesBad(n, { at, sign }) }, { precision }).run(1, { backend, checkEvery: 1 }).catch((e) => e);
  const [a, b] = [await stop('js'), await stop('wasm')];
  expect(b).toBeInstanceOf(SimulationError);
  expect(b.message).toBe(a.message);
  expect(b.message).toContain(`B.x[${at}] = ${bad} at step 0`);
});

test('state lives in the network\'s wasm memory and stays readable and writable between runs', async () => {
  const net = cobaNetwork({ seed: 3, nExc: 80, nInh: 20, p: 0.2 });
  await net.run(1, { backend: 'wasm' });
  const V = net.variable('E.V')!.value;
  expect(V.buffer).not.toBeInstanceOf(ArrayBuffer); // a WebAssembly.Memory's buffer
  expect(net.variable('I.spike')!.value.buffer).toBe(V.buffer);
  V.fill(-45); // above threshold: every E neuron that is not held refractory fires in the next step
  const free = Array.from(net.variable('E.refractory')!.value).filter((r) => r <= 1).length;
  expect(free).toBeGreaterThan(10);
  const r = await net.run(0.1, { backend: 'wasm', monitors: ['E.spike'] });
  expect((r.monitors['E.spike'] as SpikeMonitorData).count).toBe(free);
});

class PostInc extends NeuGroup {
  n = new Variable(1);
  last = new Variable(1);
  update() { const old = this.n[0]++; this.last[0] = old; }
}

test('a construct without a wasm form: BackendUnsupported naming it under backend wasm, js under auto', async () => {
  const err = await new Network({ P: new PostInc(1) }).run(0.1, { backend: 'wasm' }).catch((e) => e);
  expect(err).toBeInstanceOf(BackendUnsupported);
  expect(err.message).toMatch(/wasm backend: PostInc 'P', method update\(\), line 1 of the method: the value of a postfix \+\+\/-- on an array element/);
  const net = new Network({ P: new PostInc(1) });
  const r = await net.run(0.3);
  expect(r.backend).toBe('js');
  expect(Array.from(net.variable('P.last')!.value)).toEqual([2]);
});

test('registered for auto before js', () => {
  expect(wasmBackend.autoRank).toBeLessThan(10);
  expect(wasmBackend.available()).toBe(true);
});

test('relaxed f32x4 (an emitWasm option): the same first spikes and rates within 5 % of exact float32', () => {
  const o = { seed: 5, nExc: 1602, nInh: 398, p: 0.04, precision: 'float32' as const };
  const trains = [false, true].map((relaxed) => {
    const net = cobaNetwork(o);
    const exe = compileOf(net, true, relaxed);
    expect(exe.stats.simdLoops).toBe(6);       // with the two first-step flag clears (sparse-flags.ts)
    expect(exe.stats.f32x4Loops).toBe(relaxed ? 6 : 0);
    const S = new Float64Array(4), mon = { n: [], steps: [], idx: [], data: [], sel: [] };
    const spikes: string[] = [];
    let count = 0;
    const flags = () => net.variable('E.spike')!.value;
    for (let s = 0; s < 3000; s++) {
      exe.run(s, 1, 0, 0, 0.1, { inputs: [], monitors: mon }, S);
      const f = flags();
      for (let i = 0; i < f.length; i++) if (f[i]) { count++; if (spikes.length < 50) spikes.push(`${s}:${i}`); }
    }
    return { spikes, count, V: Array.from(net.variable('E.V')!.value) };
  });
  expect(trains[1].V).not.toEqual(trains[0].V); // single-precision arithmetic: not the same numbers
  expect(trains[0].count).toBeGreaterThan(1000);
  expect(trains[1].spikes).toEqual(trains[0].spikes);
  expect(Math.abs(trains[1].count - trains[0].count)).toBeLessThan(0.05 * trains[0].count);
});

test('relaxed f32x4: (x / τ) · dt multiplies once (by dt/τ, splat before the loop); x + 0 adds nothing', async () => {
  const wabt = await wabtInit();
  const count = (relaxed: boolean) => {
    // LIF: V + ((Vrest − V + input + I) / τ) · dt with I = 0; the step comes in two versions (settled, rotate.ts)
    const exe = compileOf(new Network({ N: new LIF(103, { V0: -60 }) }, { precision: 'float32' }), true, relaxed);
    const text = wabt.readWasm(exe.wasmBytes, { readDebugNames: false, simd: true, threads: true, sat_float_to_int: true, sign_extension: true, bulk_memory: true })
      .toText({ foldExprs: false, inlineExport: false });
    return (op: string) => (text.match(new RegExp(`${op.replace('.', '\\.')}\\b`, 'g')) ?? []).length;
  };
  const relaxed = count(true);
  expect(relaxed('f32x4.mul')).toBe(2);        // one per version of the neuron loop
  expect(relaxed('f32x4.add')).toBe(2 * 2 + 3); // (Vrest − V) + input, V + …; the finiteness check's sums of x − x over V, input, tLast
});

test('relaxed f32x4: branch guards test sign bits, else masks are not negated; the refractory countdown and `r = 0` under a mask take no bitselect', async () => {
  const wabt = await wabtInit();
  const exe = compileOf(new Network({ N: new LIF(103, { V0: -60 }) }, { precision: 'float32' }), true, true);
  const text = wabt.readWasm(exe.wasmBytes, { readDebugNames: false, simd: true, threads: true, sat_float_to_int: true, sign_extension: true, bulk_memory: true })
    .toText({ foldExprs: false, inlineExport: false });
  const count = (op: string) => (text.match(new RegExp(`${op.replace('.', '\\.')}\\b`, 'g')) ?? []).length;
  // per version of the neuron loop (two): the guards of the integrating branch, the spike branch and the list append
  expect(count('i32x4.bitmask')).toBe(2 * 3);
  expect(count('v128.not')).toBe(0);          // an else branch's mask is its test's, negated where it is used
  expect(count('v128.any_true')).toBe(3);      // only the finiteness check's, over V, input and tLast
  // `if (r > 1) r = (r − 1) | 0; else r = 0 …`: r + mask, then r & ~mask (the mask is −1 where it is set)
  expect(count('i32x4.add')).toBe(2);
  expect(count('i32x4.sub')).toBe(0);
  // what is left under masks: V twice (spike, integrate), tLast, the spike flag, r = nRef
  expect(count('v128.bitselect')).toBe(2 * 5);
});

/** integer counters past 2^24 and flags: exact in the f32x4 loop too, which keeps them in int32 lanes */
class Count extends NeuGroup {
  c = new Variable(this.num, { dtype: 'int32', init: (i) => i * 123456789 });
  f = new Variable(this.num, { dtype: 'bool' });
  v = new Variable(this.num);
  /** counted up or down by one under a lane mask (simd.ts maskedFold: u ∓ mask), near the int32 limits, or cleared */
  u = new Variable(this.num, { dtype: 'int32', init: (i) => [2147483600, -2147483600, 7, -7, 0, 40][i % 6] + i });
  update() {
    for (let i = 0; i < this.num; i++) {
      this.c[i] += 1000003;
      this.f[i] = 0;
      if (this.c[i] > 0 && this.c[i] - 7 !== 5) this.f[i] = 1;
      if (this.f[i]) this.v[i] += 0.5;
      if (this.u[i] === 50) this.u[i] = 0;
      else if (this.u[i] > 0) this.u[i] = (this.u[i] + 1) | 0;
      else this.u[i] = (this.u[i] - 1) | 0;
    }
  }
}

test('relaxed f32x4: integer counters and flags stay exact (int32 lanes), also past 2^24 and through overflow', async () => {
  const runOn = async (backend: string, relaxed: boolean) => {
    const net = new Network({ A: new Count(23) }, { precision: 'float32' });
    await net.run(30, { backend, dt: 0.1, wasm: relaxed ? { relaxed } : undefined });
    const exe = [...(net as unknown as { cache: Map<string, { exe: { stats?: { f32x4Loops: number } } }> }).cache.values()][0].exe;
    return { state: stateOf(net), f32x4: exe.stats?.f32x4Loops };
  };
  const ref = await runOn('interp', false), rel = await runOn('wasm', true);
  expect(rel.f32x4).toBe(1);
  expect(rel.state).toEqual(ref.state);
  // closed form: 300 steps of + 1000003, wrapping as int32; the counters leave float32's exact range, some wrap
  const expected = Array.from({ length: 23 }, (_, i) => (((i * 123456789) | 0) + 300 * 1000003) | 0);
  expect(rel.state['A.c']).toEqual(expected);
  expect(expected.some((x) => Math.abs(x) > 2 ** 24 && x % 2 !== 0)).toBe(true);
  expect(expected.some((x, i) => x !== ((i * 123456789) | 0) + 300 * 1000003)).toBe(true);
  // the ±1 counters, stepped here in plain JS: they wrap at both int32 limits, and some reach 50 and are cleared
  const u = Array.from({ length: 23 }, (_, i) => [2147483600, -2147483600, 7, -7, 0, 40][i % 6] + i);
  for (let s = 0; s < 300; s++) for (let i = 0; i < u.length; i++) u[i] = u[i] === 50 ? 0 : u[i] > 0 ? (u[i] + 1) | 0 : (u[i] - 1) | 0;
  expect(rel.state['A.u']).toEqual(u);
  expect(u).toContain(-(2 ** 31));
  expect(u).toContain(2 ** 31 - 1);
  expect(u[2]).toBeLessThan(0); // 9 counted up to 50, then from 0 down
});

/** an accumulator driven by a run's array input (read in the f32x4 loop from the input's float32 buffer) */
class Acc extends NeuGroup {
  x = new Variable(this.num);
  y = new Variable(this.num);
  update() { for (let i = 0; i < this.num; i++) { this.y[i] = this.x[i] > 10 ? 1 : 0; } }
}

test('relaxed f32x4 reads a run\'s array input in the fused loop: single-precision sums of single-precision values equal interp', async () => {
  const drive = Float64Array.from({ length: 37 }, (_, i) => (i % 9) * 0.375 - 1); // exact in float32
  const runOn = async (backend: string, relaxed: boolean) => {
    const net = new Network({ A: new Acc(37) }, { precision: 'float32' });
    await net.run(5, { backend, dt: 0.1, inputs: [['A.x', drive]], wasm: relaxed ? { relaxed } : undefined });
    const exe = [...(net as unknown as { cache: Map<string, { exe: { stats?: { f32x4Loops: number } } }> }).cache.values()][0].exe;
    return { state: stateOf(net), f32x4: exe.stats?.f32x4Loops };
  };
  const ref = await runOn('interp', false), rel = await runOn('wasm', true);
  expect(rel.f32x4).toBe(1); // the input loop fused into A's loop, in f32x4
  expect(rel.state).toEqual(ref.state);
  expect(ref.state['A.y'].filter((v) => v === 1).length).toBeGreaterThan(5);
});

test('relaxed holds a run\'s array input as float32: 4 bytes an element instead of 8, each value rounded once', async () => {
  const n = 1000, drive = Float64Array.from({ length: n }, (_, i) => 9 + i * 0.1); // most not exact in float32
  const runOn = async (x: ArrayLike<number>, relaxed: boolean) => {
    const net = new Network({ A: new Acc(n) }, { precision: 'float32' });
    await net.run(1, { backend: 'wasm', dt: 0.1, inputs: [['A.x', x as Float64Array]], wasm: { relaxed } });
    const exe = [...(net as unknown as { cache: Map<string, { exe: WasmExecutable }> }).cache.values()][0].exe;
    return { state: stateOf(net), bytes: exe.memoryBytes };
  };
  const rel = await runOn(drive, true), rounded = await runOn(Float32Array.from(drive), true), exact = await runOn(drive, false);
  expect(rel.state).toEqual(rounded.state);
  expect(exact.bytes - rel.bytes).toBe(4 * n);
});

class Steps extends NeuGroup {
  c = new Variable(this.num, { dtype: 'int32' });
  update() { for (let i = 0; i < this.num; i++) this.c[i] += 1; }
}

test('relaxed: an input to an int32 Variable stays exact (its buffer stays double)', async () => {
  const big = 2 ** 24 + 1; // not a float32
  const net = new Network({ A: new Steps(8) }, { precision: 'float32' });
  await net.run(0.3, { backend: 'wasm', dt: 0.1, inputs: [['A.c', big, '=']], wasm: { relaxed: true } });
  expect(Array.from(net.variable('A.c')!.value)).toEqual(new Array(8).fill(big + 1));
});

class Drift extends NeuGroup {
  x = new Variable(this.num);
  y = new Variable(this.num, { init: (i) => i });
  update(t: number, dt: number) { for (let i = 0; i < this.num; i++) { this.y[i] = this.y[i] * 0.99 + this.x[i] * dt + t; } }
}

test('an array input is copied into the wasm memory once per run, not per chunk; the next run\'s values are the ones used', async () => {
  const n = 37, user = Float64Array.from({ length: n }, (_, i) => i * 0.25 - 3);
  const typedSet = Object.getPrototypeOf(Float32Array.prototype) as { set(a: ArrayLike<number>, o?: number): void };
  const spy = jest.spyOn(typedSet, 'set');
  // three runs of 4 chunks: the array, the same array changed in place, a new array
  const runs = async (backend: string, relaxed = false) => {
    const net = new Network({ A: new Drift(n) }, { precision: 'float32' });
    const x = Float64Array.from(user);
    const go = (a: Float64Array) => net.run(2, { backend, dt: 0.1, chunk: 5, inputs: [['A.x', a]], wasm: { relaxed } });
    spy.mockClear();
    await go(x);
    x.reverse();
    await go(x);
    await go(Float64Array.from(x, (v) => v * 3 + 1));
    const copies = spy.mock.calls.filter(([a]) => a instanceof Float64Array && a.length === n).length;
    return { y: Array.from(net.variable('A.y')!.value), copies };
  };
  try {
    const js = await runs('js'), wasm = await runs('wasm'), relaxed = await runs('wasm', true);
    expect(wasm.y).toEqual(js.y); // exact float32: bit for bit
    relaxed.y.forEach((v, i) => expect(Math.abs(v - js.y[i])).toBeLessThan(1e-5 * Math.abs(js.y[i])));
    expect(wasm.copies).toBe(3);
    expect(relaxed.copies).toBe(3); // relaxed: into the float32 buffer
  } finally { spy.mockRestore(); }
});

test('wide sampled inputs and value monitors larger than the wasm-side buffers are cut into pieces, exactly as js', async () => {
  // 20000 elements: the buffers hold 6 rows of the input function's samples and 6 records of the monitor
  const make = () => new Network({ D: new Drift(20000) }, { precision: 'float64' });
  const opts = (backend: string) => ({
    backend, dt: 0.1, chunk: 17,
    inputs: [['D.x', (t: number) => Float64Array.from({ length: 20000 }, (_, i) => Math.sin(i + t)), '=']] as [string, (t: number) => Float64Array, '='][],
    monitors: ['D.y', { target: 'D.x', every: 3 }],
  });
  const a = make(), b = make();
  const ra = await a.run(4, opts('js')), rb = await b.run(4, opts('wasm'));
  same((rb.monitors['D.y'] as ValueMonitorData).data, (ra.monitors['D.y'] as ValueMonitorData).data);
  same((rb.monitors['D.x'] as ValueMonitorData).data, (ra.monitors['D.x'] as ValueMonitorData).data);
  expect((rb.monitors['D.y'] as ValueMonitorData).data.length).toBe(40 * 20000);
  same(b.variable('D.y')!.value, a.variable('D.y')!.value);
});

test('many probe sets on a network without an arena: its memory is replaced when full, state carries over exactly', async () => {
  const o = { seed: 2, nExc: 400, nInh: 100, p: 0.1, arena: false };
  const a = cobaNetwork(o), b = cobaNetwork(o);
  const memories = new Set<ArrayBufferLike>();
  for (let k = 1; k <= 12; k++) {
    const monitors = ['E.spike', { target: 'E.V', every: k }];
    const ra = await a.run(2, { backend: 'js', monitors }), rb = await b.run(2, { backend: 'wasm', monitors });
    same((rb.monitors['E.V'] as ValueMonitorData).data, (ra.monitors['E.V'] as ValueMonitorData).data);
    memories.add(b.variable('E.V')!.value.buffer);
  }
  expect(memories.size).toBeGreaterThan(1); // the memory was replaced at least once
  expect(stateOf(b)).toEqual(stateOf(a));
});

test('many probe sets on a network with an arena: the arena grows, state and connectivity stay where they are (no copy), state carries over exactly', async () => {
  const o = { seed: 2, nExc: 400, nInh: 100, p: 0.1 };
  const a = cobaNetwork({ ...o, arena: false }), b = cobaNetwork(o).build();
  const arena = b.arena!;
  expect(arena.growable).toBe(true);
  const V = b.variable('E.V')!.value, csr = (b.get('EE') as unknown as { pre2post: { indices: Int32Array } }).pre2post.indices;
  expect(arena.holds(V) && arena.holds(csr)).toBe(true);
  const before = arena.used;
  for (let k = 1; k <= 12; k++) {
    const monitors = ['E.spike', { target: 'E.V', every: k }];
    const ra = await a.run(2, { backend: 'js', monitors }), rb = await b.run(2, { backend: 'wasm', monitors });
    same((rb.monitors['E.V'] as ValueMonitorData).data, (ra.monitors['E.V'] as ValueMonitorData).data);
  }
  expect(arena.capacity).toBeGreaterThan(before + 11 * (1 << 20)); // each probe set's buffers (1 MiB per value monitor) came from the arena
  expect(b.variable('E.V')!.value).toBe(V); // never moved
  expect(stateOf(b)).toEqual(stateOf(a));
});

test('run option wasm: { relaxed: true } runs f32x4 loops: the same early spikes, rates within 5 %; float64 networks refuse it', async () => {
  const { cobaNetwork } = require('../examples/networks');
  const o = { seed: 8, nExc: 800, nInh: 200, p: 0.05 };
  const exact = await cobaNetwork(o).run(300, { backend: 'wasm', monitors: ['E.spike'] });
  const relaxed = await cobaNetwork(o).run(300, { backend: 'wasm', wasm: { relaxed: true }, monitors: ['E.spike'] });
  const a = exact.monitors['E.spike'], b = relaxed.monitors['E.spike'];
  expect(a.count).toBeGreaterThan(500);
  expect(Array.from(b.indices.subarray(0, 20))).toEqual(Array.from(a.indices.subarray(0, 20)));
  expect(Math.abs(b.count - a.count) / a.count).toBeLessThan(0.05);
  await expect(cobaNetwork({ ...o, precision: 'float64' }).run(1, { backend: 'wasm', wasm: { relaxed: true } })).rejects.toThrow(/relaxed \(f32x4\) mode computes in float32/);
});
