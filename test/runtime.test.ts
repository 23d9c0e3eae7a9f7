/**
 * The runtime's contract, one test per bug found by probing it (issue 7): inputs travel with each run,
 * fusion sees through helper methods, step counts are exact and bounded, failed or aborted runs keep time,
 * state and recordings consistent, overlapping runs are refused, the executable cache is bounded, and a
 * parameter changed mid-run is refused the same way on every backend.
 */
import { Network, NeuGroup, Variable, ValueMonitorData, SpikeMonitorData, BrainweaveError, SimulationError } from '../src';
import { emitJs } from '../src/backends/js/emit';
import { LIF } from '../models/neurons/lif';
import { cobaNetwork } from '../examples/networks';
import { Exploding } from './helpers';

class Acc extends NeuGroup {
  x = new Variable(this.num);
  count = new Variable(1);
  update() { this.count[0] += 1; }
}
const BACKENDS = ['js', 'interp'];

describe('inputs travel with each run', () => {
  test.each(BACKENDS)('a second run with another function or array uses the new one (%s)', async (backend) => {
    const net = new Network({ A: new Acc(3) }, { precision: 'float64' });
    await net.run(1, { backend, inputs: [['A.x', () => 1, '=']] });
    expect(Array.from(net.variable('A.x')!.value)).toEqual([1, 1, 1]);
    await net.run(1, { backend, inputs: [['A.x', () => 2, '=']] });
    expect(Array.from(net.variable('A.x')!.value)).toEqual([2, 2, 2]);
    await net.run(1, { backend, inputs: [['A.x', [1, 2, 3], '=']] });
    await net.run(1, { backend, inputs: [['A.x', [4, 5, 6], '=']] });
    expect(Array.from(net.variable('A.x')!.value)).toEqual([4, 5, 6]);
    await net.run(1, { backend, inputs: [['A.x', 7, '=']] });
    await net.run(1, { backend, inputs: [['A.x', 8, '=']] });
    expect(Array.from(net.variable('A.x')!.value)).toEqual([8, 8, 8]);
  });

  test('constant inputs are run data: one executable serves every value, and the cache is bounded', async () => {
    const net = new Network({ A: new Acc(3) });
    for (let v = 1; v <= 20; v++) await net.run(0.1, { inputs: [['A.x', v, '=']] });
    expect(net.cachedExecutables).toBe(1);
    for (let every = 1; every <= 20; every++) await net.run(0.1, { monitors: [{ target: 'A.x', every }] });
    expect(net.cachedExecutables).toBeLessThanOrEqual(8);
  });

  test.each([
    [() => undefined, /returned undefined/],
    [() => 'ab', /returned the string "ab"/],
    [(t: number) => (t > 0.25 ? NaN : 1), /at t = 0\.3\d* ms: the function returned NaN/],
    [() => [1, 2], /returned 2 values for 3 elements/],
    [() => { throw new Error('boom'); }, /the function threw at t = 0 ms: boom/],
  ] as const)('a bad input function is named with the value and t (%#)', async (f, msg) => {
    const err = await new Network({ A: new Acc(3) }).run(1, { inputs: [['A.x', f as any]] }).catch((e) => e);
    expect(err).toBeInstanceOf(BrainweaveError);
    expect(err.message).toMatch(/input 'A\.x'/);
    expect(err.message).toMatch(msg);
  });
});

describe('fusion sees through helper methods', () => {
  class Shift extends NeuGroup {
    x = new Variable(this.num, { init: (i) => i });
    y = new Variable(this.num);
    next(j: number): number { return j + 1 < this.num ? this.x[j + 1] : 0; }
    update() {
      for (let j = 0; j < this.num; j++) this.x[j] = this.x[j] * 0.5 + 1;
      // the helper reads a neighbour that the first loop writes: fusing the loops would read it too early
      for (let j = 0; j < this.num; j++) this.y[j] = this.next(j);
    }
  }
  test('a helper reading off the loop index keeps the loops apart (fused = unfused = interp)', async () => {
    const out: number[][] = [];
    for (const o of [{ fuse: true }, { fuse: false }, { backend: 'interp' }]) {
      const net = new Network({ S: new Shift(4) }, { precision: 'float64' });
      await net.run(0.1, o);
      out.push(Array.from(net.variable('S.y')!.value));
    }
    expect(out[0]).toEqual([1.5, 2, 2.5, 0]);
    expect(out[1]).toEqual(out[0]);
    expect(out[2]).toEqual(out[0]);
  });
});

describe('time is an integer step count', () => {
  test('huge step counts are refused at once', async () => {
    await expect(new Network({ A: new Acc(1) }).run(1, { dt: 1e-300 })).rejects.toThrow(/more than 2\^52/);
  });
  test('the step counter does not wrap past 2^31 (executable called directly)', () => {
    const net = new Network({ A: new Acc(1) }, { precision: 'float64' });
    const exe = emitJs(net.stepPlan({ monitors: [{ target: 'A.count' }] }), net.stream);
    const S = new Float64Array(4);
    const data = new Float64Array(8);
    const s0 = 2 ** 31 - 2;
    exe.run(s0, 4, 0, 0, 0.5, { inputs: [], monitors: { n: [0], steps: [null], idx: [null], data: [data], sel: [null] } }, S);
    expect(S[0]).toBe(2 ** 31 + 2);
    expect(net.variable('A.count')!.value[0]).toBe(4);
  });
  test.each(BACKENDS)('run(a) + run(b) has the same step times as run(a + b) (%s)', async (backend) => {
    const whole = await new Network({ A: new Acc(1) }).run(100, { backend, dt: 0.1 });
    const net = new Network({ A: new Acc(1) });
    const p1 = await net.run(51.3, { backend, dt: 0.1 }), p2 = await net.run(48.7, { backend, dt: 0.1 });
    expect([...p1.ts, ...p2.ts]).toEqual(Array.from(whole.ts));
    expect(net.t).toBe(1000 * 0.1);
    expect(net.stepsDone).toBe(1000);
  });
  test('COBA split at an awkward time gives the spikes of the whole run', async () => {
    const opts = { nExc: 320, nInh: 80, p: 0.1, seed: 4 };
    const whole = (await cobaNetwork(opts).run(300, { monitors: ['E.spike'] })).monitors['E.spike'] as SpikeMonitorData;
    const net = cobaNetwork(opts);
    const a = (await net.run(123.4, { monitors: ['E.spike'] })).monitors['E.spike'] as SpikeMonitorData;
    const b = (await net.run(176.6, { monitors: ['E.spike'] })).monitors['E.spike'] as SpikeMonitorData;
    expect([...a.times, ...b.times]).toEqual(Array.from(whole.times));
    expect([...a.indices, ...b.indices]).toEqual(Array.from(whole.indices));
  });
});

describe('a failed or aborted run keeps time, state and recordings consistent', () => {
  test.each(BACKENDS)('an input function that throws at step 5 (%s)', async (backend) => {
    const net = new Network({ A: new Acc(2) }, { precision: 'float64' });
    const err = await net.run(2, { backend, chunk: 3, monitors: ['A.count'], inputs: [['A.x', (t: number) => { if (t > 0.45) throw new Error('late'); return t; }]] }).catch((e) => e);
    expect(err.message).toMatch(/late/);
    expect(net.stepsDone).toBe(5);
    expect(net.t).toBe(5 * 0.1);
    expect(net.variable('A.count')!.value[0]).toBe(5);
    const rec = err.partial.monitors['A.count'] as ValueMonitorData;
    expect(Array.from(rec.data)).toEqual([1, 2, 3, 4, 5]);
    expect(err.partial.steps).toBe(5);
    // and the network carries on from there
    await net.run(1, { backend });
    expect(net.variable('A.count')!.value[0]).toBe(15);
    expect(net.stepsDone).toBe(15);
  });
  test.each(BACKENDS)('a NaN stop hands back what was recorded up to the bad step (%s)', async (backend) => {
    const net = new Network({ X: new Exploding(4) });
    const err = await net.run(10, { backend, checkEvery: 1, monitors: [{ target: 'X.V', indices: [2] }] }).catch((e) => e);
    expect(err).toBeInstanceOf(SimulationError);
    expect(err.step).toBe(1);
    expect(err.partial.steps).toBe(2);
    expect(net.stepsDone).toBe(2);
    expect((err.partial.monitors['X.V'] as ValueMonitorData).data.length).toBe(2);
  });
  test.each(BACKENDS)('an AbortSignal stops at the next chunk boundary (%s)', async (backend) => {
    const net = new Network({ A: new Acc(1) });
    const ac = new AbortController();
    const r = await net.run(100, { backend, chunk: 10, signal: ac.signal, monitors: ['A.count'], progress: (f) => { if (f >= 0.3) ac.abort(); } });
    expect(r.aborted).toBe(true);
    expect(r.steps).toBe(300);
    expect(net.stepsDone).toBe(300);
    expect(net.variable('A.count')!.value[0]).toBe(300);
    expect((r.monitors['A.count'] as ValueMonitorData).data.length).toBe(300);
  });
  test('overlapping runs are refused; the first completes', async () => {
    const net = new Network({ A: new Acc(1) });
    const first = net.run(10, { progress: () => {} });
    await expect(net.run(10)).rejects.toThrow(/already in progress/);
    await first;
    expect(net.stepsDone).toBe(100);
  });
  test.each(BACKENDS)('a parameter changed during a run is refused on every backend (%s)', async (backend) => {
    const E = new LIF(5, { I: 20 });
    const net = new Network({ E });
    const err = await net.run(10, { backend, chunk: 10, progress: () => { E.I = 30; } }).catch((e) => e);
    expect(err.message).toMatch(/LIF 'E'\.I: changed during a run/);
    expect(net.stepsDone).toBe(10);
    expect(err.partial.steps).toBe(10);
  });
});

describe('networks own their members; seeds are exact', () => {
  test('duplicate names in the array form are refused', () => {
    const a = new LIF(2), b = new LIF(2);
    a.name = 'X'; b.name = 'X';
    expect(() => new Network([a, b])).toThrow(/two members are named 'X'/);
  });
  test('a group already in a network cannot join another', () => {
    const E = new LIF(2);
    new Network({ E });
    expect(() => new Network({ E })).toThrow(/LIF 'E' already belongs to another network/);
  });
  test('a seed passed to run cannot override the network seed', async () => {
    const net = new Network({ E: new LIF(2) }, { seed: 3 });
    await expect(net.run(1, { seed: 4 })).rejects.toThrow(/it has seed 3; a run cannot change it to 4/);
    await expect(net.run(1, { seed: 3 })).resolves.toBeDefined();
  });
  test.each([1.5, -1, 2 ** 53, NaN, Infinity])('seed %p is refused, not rounded or wrapped', (seed) => {
    expect(() => new Network({ E: new LIF(2) }, { seed })).toThrow(/seed must be an integer from 0 to 2\^53 - 1/);
  });
});

describe('backend selection', () => {
  test('auto picks the fastest available (wasm in Node 20); jit: false is interp; unknown names are listed', async () => {
    expect((await new Network({ A: new Acc(1) }).run(0.1)).backend).toBe('wasm');
    expect((await new Network({ A: new Acc(1) }).run(0.1, { jit: false })).backend).toBe('interp');
    await expect(new Network({ A: new Acc(1) }).run(0.1, { backend: 'cuda' })).rejects.toThrow(/unknown backend 'cuda' \(known: auto, js, interp/);
    await expect(new Network({ A: new Acc(1) }).run(0.1, { jit: false, backend: 'js' })).rejects.toThrow(/jit: false means backend 'interp'/);
  });
});

describe('monitors are bounded', () => {
  test('10^5 neurons × 10^4 steps of V is refused before allocating, with the figure', async () => {
    class Big extends NeuGroup { V = new Variable(this.num); update() {} }
    const before = process.memoryUsage().arrayBuffers;
    const err = await new Network({ B: new Big(100_000) }).run(1000, { monitors: ['B.V'] }).catch((e) => e);
    expect(err.message).toMatch(/monitors need 3\.7 GiB for 10000 steps \(largest: 'B\.V', 3\.7 GiB\), over monitorBudget = 1\.0 GiB/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20); // the network's own arrays, no monitor blocks
    // a budget that fits lets it run; every/indices shrink it
    await expect(new Network({ B: new Big(1000) }).run(10, { monitors: ['B.V'], monitorBudget: 1e6 })).resolves.toBeDefined();
  });
  test('a spike monitor that would outgrow the budget stops the run and keeps its events', async () => {
    class On extends NeuGroup { spike = new Variable(this.num, { dtype: 'bool' }); update() { for (let i = 0; i < this.num; i++) this.spike[i] = 1; } }
    const net = new Network({ A: new On(1000) });
    const err = await net.run(100, { monitors: ['A.spike'], monitorBudget: 2e6 }).catch((e) => e);
    expect(err.message).toMatch(/spike monitor 'A\.spike' holds \d+ events; growing it/);
    const m = err.partial.monitors['A.spike'] as SpikeMonitorData;
    expect(m.count).toBe(err.partial.steps * 1000);
    expect(net.stepsDone).toBe(err.partial.steps);
  });
});

test('a Variable moved to other storage (as a backend does) makes compiled code stale, and runs continue on the new storage', async () => {
  const net = new Network({ A: new Acc(2) }, { precision: 'float64' });
  await net.run(0.5);
  const v = net.variable('A.count')!;
  const moved = new Float64Array(new ArrayBuffer(64), 8, 1);
  v.replaceStorage(moved);
  expect(moved[0]).toBe(5);
  await net.run(0.5);
  expect(moved[0]).toBe(10);
  expect(() => v.replaceStorage(new Float32Array(1))).toThrow(/A\.count: replacement storage must be a Float64Array of 1/);
});
