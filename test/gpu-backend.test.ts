/**
 * The gpu backend (src/backends/gpu): what it refuses (naming class, method and line), and in every gpu.js
 * mode that runs here: inputs of every kind and op, value and spike monitors, runs split in chunks, growth
 * of spike buffers, the finiteness check, and COBA-4000 against the js backend. The conformance suite
 * (test/conformance) runs the model zoo on the same modes.
 */
import { Network, NeuGroup, TwoEndConn, Variable, SpikeMonitorData, ValueMonitorData, InputSpec, MonitorSpec, RunResult, ringEventSum } from '../src';
import { FixedProb } from '../connectors';
import { setGPUMode } from '../src/node/gpu';
import { gpuTest } from './gpu-helpers';
import { runCoba, firstDifference } from './gpu-backend-helpers';
import * as Z from '../models';
import type { ConcreteMode } from '../src/backends/gpu/context';

const MODES: ConcreteMode[] = ['cpu', 'webasm', 'webgpu'];

test('the backend registered by the main entry (gpu/backend.ts) reaches no Node-only code', () => {
  const { readFileSync } = require('node:fs'), { join, dirname } = require('node:path');
  const seen = new Set<string>(), bad: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return; seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)) {
      const spec: string = m[1];
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.ts$/, '') + (spec.endsWith('/ops') ? '/index.ts' : '.ts')));
      else if (spec === 'webgpu' || spec.startsWith('node:') || ['fs', 'path', 'module', 'child_process'].includes(spec)) bad.push(`${file}: ${spec}`);
    }
  };
  visit(join(__dirname, '../src/backends/gpu/backend.ts'));
  expect([...seen].some((f) => f.endsWith('gpu/emit.ts'))).toBe(true);
  expect([...seen].some((f) => f.includes('src/node/'))).toBe(false);
  expect(bad).toEqual([]);
});

class Drift extends NeuGroup {
  x = new Variable(this.num);
  y = new Variable(this.num, { init: 1 });
  k = new Variable(this.num, { dtype: 'int32' });
  spike = new Variable(this.num, { dtype: 'bool' });
  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      this.y[i] = this.y[i] * 0.5 + this.x[i] * dt + t * 1e-3;
      this.k[i] += this.y[i] > 1 ? 2 : 1;
      this.spike[i] = this.y[i] > 2 ? 1 : 0;
    }
  }
}

class Scatter extends NeuGroup {
  x = new Variable(this.num);
  idx = Int32Array.from({ length: this.num }, (_, i) => (i * 7) % this.num);
  update() {
    for (let i = 0; i < this.num; i++) this.x[this.idx[i]] += 1;
  }
}

class Serial extends NeuGroup {
  x = new Variable(this.num, { init: 1 });
  update() { for (let i = 1; i < this.num; i++) this.x[i] = this.x[i - 1] + 1; }
}

/** update() in helpers called as statements (loops, a nested call, a default parameter), as users write them. */
class Helpers extends NeuGroup {
  x = new Variable(this.num, { init: (i) => i * 0.25 });
  y = new Variable(this.num, { init: 1 });
  spike = new Variable(this.num, { dtype: 'bool' });
  tau = 4;
  private leak(dt: number, k = 2) {
    const a = (k * dt) / this.tau;
    for (let i = 0; i < this.num; i++) this.x[i] -= a * this.x[i];
    this.couple(a);
  }
  private couple(a: number) {
    for (let i = 0; i < this.num; i++) this.y[i] = this.y[i] * (1 - a) + this.x[i];
  }
  update(t: number, dt: number) {
    const a = 0.5; // the same name as a helper's parameter: inlined locals get names of their own
    this.leak(dt);
    this.leak(dt * a, 3);
    for (let i = 0; i < this.num; i++) this.spike[i] = this.y[i] > 2 + a ? 1 : 0;
  }
}

/** Step-level state at constant indices (a phase, a pointer, a counter in a branch), read by loops and by the step. */
class Clock extends NeuGroup {
  x = new Variable(this.num);
  phase = new Variable(1, { init: 0.25 });
  ptr = new Variable(2, { dtype: 'int32' });
  update(t: number, dt: number) {
    this.phase[0] = (this.phase[0] + 0.37 * dt) % 1;
    for (let i = 0; i < this.num; i++) this.x[i] = this.x[i] * 0.9 + Math.sin(6.28 * this.phase[0]) + this.ptr[0] * (i % 3);
    this.advance();
    if (this.ptr[0] === 0) this.ptr[1] += 2;
    else this.ptr[1] -= 1;
    for (let i = 0; i < this.num; i++) this.x[i] += this.ptr[1] * 0.01 + this.ptr[0];
  }
  private advance() { this.ptr[0] = (this.ptr[0] + 1) % 5; }
}

/** A pointer written at the step level and inside a loop: not host state; the loop's write is refused. */
class PtrInLoop extends NeuGroup {
  ptr = new Variable(1, { dtype: 'int32' });
  x = new Variable(this.num);
  update() {
    this.ptr[0] += 1;
    for (let i = 0; i < this.num; i++) this.x[i] = this.ptr[0];
    for (let i = 0; i < 1; i++) this.ptr[i] = 0;
  }
}

/** ringEventSum alone: spikes scheduled into a ring of 3 slots by per-synapse delays (0–2 steps), never taken. */
class RingOnly extends TwoEndConn {
  pre2post = this.conn.require('pre2post');
  w = new Variable(() => this.conn.nSyn, { init: (s) => 0.5 + 0.1 * (s % 7) });
  delaySteps = new Variable(() => this.conn.nSyn, { dtype: 'int32', init: (s) => s % 3 });
  ring = new Variable(3 * this.post.num);
  ptr = new Variable(1, { dtype: 'int32' });
  update() {
    ringEventSum(this.ring, this.pre2post, this.pre.spike, this.w, this.delaySteps, this.ptr[0], this.post.num);
    this.ptr[0] = (this.ptr[0] + 1) % 3;
  }
}

/** A ring of 3 slots read and rewritten at ptr·n + j (written in the loop itself, not through a helper). */
class Shift extends NeuGroup {
  buf = new Variable(3 * this.num, { init: (i) => i });
  ptr = new Variable(1, { dtype: 'int32' });
  x = new Variable(this.num);
  update() {
    for (let j = 0; j < this.num; j++) {
      const k = this.ptr[0] * this.num + j;
      this.x[j] += this.buf[k];
      this.buf[k] = this.x[j] * 0.5 + j;
    }
    this.ptr[0] = (this.ptr[0] + 1) % 3;
  }
}

/** Takes slot element ptr·n + j (a helper, as the ring models do) and reads element 0: another thread's, so no element-wise form. */
class ReadsOther extends NeuGroup {
  buf = new Variable(3 * this.num);
  ptr = new Variable(1, { dtype: 'int32' });
  x = new Variable(this.num);
  private take(j: number) { const k = this.ptr[0] * this.num + j; const v = this.buf[k]; this.buf[k] = j; return v; }
  update() {
    for (let j = 0; j < this.num; j++) this.x[j] = this.take(j) + this.buf[0];
    this.ptr[0] = (this.ptr[0] + 1) % 3;
  }
}

class TwoOffsets extends NeuGroup {
  buf = new Variable(3 * this.num);
  ptr = new Variable(1, { dtype: 'int32' });
  x = new Variable(this.num);
  update() {
    for (let j = 0; j < this.num; j++) { this.x[j] = this.buf[this.ptr[0] * this.num + j]; this.buf[this.ptr[0] * this.num + j] = 0; this.buf[j] = 1; }
    this.ptr[0] = (this.ptr[0] + 1) % 3;
  }
}

/** A row loop that sums into the element's own g while writing w at each synapse from that running value. */
class RowSum extends TwoEndConn {
  pre2post = this.conn.require('pre2post');
  w = new Variable(() => this.conn.nSyn, { init: (s) => s % 3 });
  g = new Variable(this.pre.num);
  update() {
    for (let i = 0; i < this.pre.num; i++) {
      for (let k = this.pre2post.indptr[i]; k < this.pre2post.indptr[i + 1]; k++) { this.g[i] += 1; this.w[k] = this.g[i]; }
    }
  }
}

/** A row loop that carries a running sum from one synapse to the next: each synapse's thread alone cannot know it. */
class Prefix extends TwoEndConn {
  pre2post = this.conn.require('pre2post');
  w = new Variable(() => this.conn.nSyn);
  update() {
    for (let i = 0; i < this.pre.num; i++) {
      let acc = 0;
      for (let k = this.pre2post.indptr[i]; k < this.pre2post.indptr[i + 1]; k++) { acc += 1; this.w[k] = acc; }
    }
  }
}

/** Mean-field coupling: reductions (a sum, a sum of squares written in the same loop as an update), then uses. */
class MeanField extends NeuGroup {
  V = new Variable(this.num, { init: (i) => (i * 7) % 11 });
  u = new Variable(this.num);
  update(t: number, dt: number) {
    let sum = 0, sq = 0;
    for (let i = 0; i < this.num; i++) { sum += this.V[i]; sq += this.V[i] * this.V[i]; this.u[i] = this.V[i] * 0.5; }
    const mean = sum / this.num;
    const spread = Math.sqrt(sq / this.num - mean * mean);
    for (let i = 0; i < this.num; i++) this.V[i] += dt * (mean - this.V[i]) + 0.01 * spread;
    let top = -1e9;
    for (let i = 0; i < this.num; i++) top = Math.max(top, this.V[i]);
    for (let i = 0; i < this.num; i++) this.u[i] += top;
  }
}

/** A reduction's result used where the host needs it (a step-level if). */
class MeanIf extends NeuGroup {
  V = new Variable(this.num);
  update() {
    let sum = 0;
    for (let i = 0; i < this.num; i++) sum += this.V[i];
    if (sum > 1) { for (let i = 0; i < this.num; i++) this.V[i] = 0; }
  }
}

class Blowup extends NeuGroup {
  x = new Variable(this.num, { init: 1 });
  update() { for (let i = 0; i < this.num; i++) this.x[i] = this.x[i] * (1e4 + i); }
}

describe('gpu backend refuses what has no gpu form, naming the statement', () => {
  beforeAll(() => setGPUMode('cpu'));
  test('a hand-written scatter', async () => {
    await expect(new Network({ S: new Scatter(5) }).run(1, { backend: 'gpu' })).rejects.toThrow(/Scatter 'S'.*line 2.*scatter.*pre2postEventSum/s);
  });
  // draws at the step level and in serial loops: test/gpu-backend-rng.test.ts
  test('a loop whose iterations depend on each other', async () => {
    await expect(new Network({ S: new Serial(5) }).run(1, { backend: 'gpu' })).rejects.toThrow(/gpu \(cpu\).*Serial 'S', method update\(\), line 1.*classified 'serial'/s);
  });
  test('a network run again after setGPUMode runs on the new mode (the runtime caches executables by backend name)', async () => {
    const net = new Network({ D: new Drift(4) });
    setGPUMode('cpu');
    await net.run(0.5, { backend: 'gpu' });
    const exe = require('../src/backends/gpu/backend').lastGPUExecutable;
    expect(exe.ranOn()).toBe('cpu');
    setGPUMode('webasm');
    await net.run(0.5, { backend: 'gpu' });
    expect(require('../src/backends/gpu/backend').lastGPUExecutable).toBe(exe);   // cached, not recompiled
    expect(exe.ranOn()).toBe('webasm');
    setGPUMode('cpu');
  });
  test('float64 networks', async () => {
    await expect(new Network({ N: new Z.LIF(5) }, { precision: 'float64' }).run(1, { backend: 'gpu' })).rejects.toThrow(/float32 only/);
  });
  test('an element written at the step level and by a loop (step-level state must be written at the step level only)', async () => {
    await expect(new Network({ P: new PtrInLoop(3) }).run(1, { backend: 'gpu' })).rejects.toThrow(/PtrInLoop 'P', method update\(\), line 2.*writes P.ptr at the step level: .*constant indices, at the step level alone/s);
  });
  test('a loop over synapse rows that accumulates into its element while writing each synapse from it', async () => {
    const E = new Z.LIF(6), P = new Z.LIF(5);
    await expect(new Network({ E, P, S: new RowSum(E, P, new FixedProb(0.5)) }).run(1, { backend: 'gpu' })).rejects.toThrow(/RowSum 'S', method update\(\).*writes S\.g from one synapse to the next/s);
  });
  test('a reduction whose result decides a step-level if (the host would need the device value)', async () => {
    await expect(new Network({ M: new MeanIf(4) }).run(1, { backend: 'gpu' })).rejects.toThrow(/MeanIf 'M', method update\(\), line 5.*uses sum\$M, which comes from a reduction computed on the device/s);
  });
  test('a loop over synapse rows that carries a value from one synapse to the next', async () => {
    const E = new Z.LIF(6), P = new Z.LIF(5);
    await expect(new Network({ E, P, S: new Prefix(E, P, new FixedProb(0.5)) }).run(1, { backend: 'gpu' })).rejects.toThrow(/Prefix 'S', method update\(\).*writes acc from one synapse to the next, besides S\.w/s);
  });
  test('a loop that writes a ring slot at ptr·n + j and reads another element of it', async () => {
    await expect(new Network({ R: new ReadsOther(4) }).run(1, { backend: 'gpu' })).rejects.toThrow(/ReadsOther 'R', method update\(\), line 2.*classified 'serial'/s);
  });
  test('a loop that writes a ring slot at ptr·n + j and also at j (two offsets: no element-wise form)', async () => {
    await expect(new Network({ T: new TwoOffsets(4) }).run(1, { backend: 'gpu' })).rejects.toThrow(/TwoOffsets 'T', method update\(\), line 2.*classified 'serial'/s);
  });
});

const INPUTS: InputSpec[] = [['D.x', 1.5], ['D.x', [1, 2, 3, 4, 5, 6], '*'], ['D.x', (t: number) => t, '-'], ['D.y', (t: number) => [t, 1, 2, 3, 4, -t], '+'], ['D.x', 3, '/'],
  ['D.y', (t: number) => (t > 1 ? [0, 1, 2, 3, 4, 5] : 0.5), '='], ['D.k', 2.7, '+']];
const MONITORS: MonitorSpec[] = [{ target: 'D.x', every: 2 }, { target: 'D.y', indices: [5, 0] }, 'D.k', 'D.spike'];

async function drift(backend: string, parts: number[]) {
  const net = new Network({ D: new Drift(6) });
  const res = [];
  for (const d of parts) res.push(await net.run(d, { dt: 0.1, backend, inputs: INPUTS, monitors: MONITORS, chunk: 7 }));
  return { net, res };
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, rtol = 1e-5, atol = 1e-5) => {
  expect(b.length).toBe(a.length);
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(a[i]))) throw new Error(`[${i}]: js ${a[i]}, gpu ${b[i]}`);
};

describe.each(MODES)('gpu backend, mode %s', (mode) => {
  const { title, fn } = gpuTest(mode);
  beforeEach(() => setGPUMode(mode));

  /** A fresh network from `make`, run for `ms` (dt 0.1) on js and then on the gpu in this mode: what `read` takes from each. */
  const jsAndGpu = async <T>(make: () => Network, ms: number, monitors: MonitorSpec[], read: (net: Network, r: RunResult) => T) => {
    const once = async (backend: string) => {
      if (backend === 'gpu') setGPUMode(mode);
      const net = make();
      const r = await net.run(ms, { dt: 0.1, backend, monitors });
      return { ...read(net, r), backend: r.backend };
    };
    const a = await once('js'), b = await once('gpu');
    expect(b.backend).toBe('gpu');
    return [a, b] as const;
  };
  const spikes = (r: RunResult, key: string) => r.monitors[key] as SpikeMonitorData;

  fn(title('inputs (const, array, function, every op), value and spike monitors, chunks and a split run equal js'), async () => {
    const ref = await drift('js', [2.3, 1.7]);
    setGPUMode(mode);
    const got = await drift('gpu', [2.3, 1.7]);
    expect(got.res.map((r) => r.backend)).toEqual(['gpu', 'gpu']);
    for (const p of ['D.x', 'D.y', 'D.k', 'D.spike']) close(ref.net.variable(p)!.value, got.net.variable(p)!.value);
    ref.res.forEach((r, part) => {
      const g = got.res[part];
      for (const key of ['D.x', 'D.y', 'D.k']) {
        const a = r.monitors[key] as ValueMonitorData, b = g.monitors[key] as ValueMonitorData;
        expect(Array.from(b.ts)).toEqual(Array.from(a.ts));
        close(a.data, b.data);
      }
      const a = r.monitors['D.spike'] as SpikeMonitorData, b = g.monitors['D.spike'] as SpikeMonitorData;
      expect(a.count).toBeGreaterThan(0);
      expect(Array.from(b.steps)).toEqual(Array.from(a.steps));
      expect(Array.from(b.indices)).toEqual(Array.from(a.indices));
    });
  });

  fn(title('helpers called as statements at the step level are inlined: their loops run as kernels, state equals js'), async () => {
    const [a, b] = await jsAndGpu(() => new Network({ H: new Helpers(9) }), 3, ['H.spike'],
      (net, r) => ({ x: net.variable('H.x')!.value, y: net.variable('H.y')!.value, spikes: spikes(r, 'H.spike') }));
    expect(a.x[8]).toBeLessThan(2 * 0.99); // the leak ran
    expect(a.spikes.count).toBeGreaterThan(0);
    close(a.x, b.x);
    close(a.y, b.y);
    expect(Array.from(b.spikes.indices)).toEqual(Array.from(a.spikes.indices));
  });

  fn(title('step-level state at constant indices lives on the host: it equals js after each of two runs, kernels see each version'), async () => {
    const run = async (backend: string) => {
      if (backend === 'gpu') setGPUMode(mode);
      const net = new Network({ C: new Clock(7) });
      const out = [];
      for (const ms of [1.3, 0.9]) {
        const r = await net.run(ms, { dt: 0.1, backend });
        out.push({ backend: r.backend, x: Float64Array.from(net.variable('C.x')!.value), phase: net.variable('C.phase')!.value[0], ptr: Array.from(net.variable('C.ptr')!.value) });
      }
      return out;
    };
    const a = await run('js'), b = await run('gpu');
    expect(b.map((r) => r.backend)).toEqual(['gpu', 'gpu']);
    expect(a[1].ptr).toEqual([2, 4 * 2 - 18]); // 22 steps: the pointer wrapped 4 times (+2 each) and stepped on 18 times (−1)
    for (let k = 0; k < 2; k++) {
      expect(b[k].ptr).toEqual(a[k].ptr);
      expect(b[k].phase).toBeCloseTo(a[k].phase, 5);
      close(a[k].x, b[k].x, 1e-4, 1e-4);
    }
  });

  fn(title('ringEventSum: each ring slot gathers the synapses whose delay lands there; the ring equals js'), async () => {
    const make = () => { const E = new Z.LIF(40, { I: 30, V0: -55 }), P = new Z.LIF(25); return new Network({ E, P, S: new RingOnly(E, P, new FixedProb(0.3)) }, { seed: 3 }); };
    const [a, b] = await jsAndGpu(make, 20, ['E.spike'], (net, r) => ({ ring: net.variable('S.ring')!.value, spikes: spikes(r, 'E.spike').count, ptr: net.variable('S.ptr')!.value[0] }));
    expect(a.spikes).toBeGreaterThan(20);
    expect(b.spikes).toBe(a.spikes);
    expect(b.ptr).toBe(a.ptr);
    expect(Math.max(...a.ring)).toBeGreaterThan(1); // several spikes landed in each of some slots
    close(a.ring, b.ring);
  });

  fn(title('a loop that reads and writes a ring slot at ptr·n + j runs as one kernel over the slot; state equals js'), async () => {
    const [a, b] = await jsAndGpu(() => new Network({ S: new Shift(5) }), 1.1, [], (net) => ({ buf: net.variable('S.buf')!.value, x: net.variable('S.x')!.value }));
    expect(a.x[4]).toBeGreaterThan(14); // x[j] took slot values from every slot
    close(a.buf, b.buf);
    close(a.x, b.x);
  });

  fn(title('DeltaSynapse with a 2.5 ms delay: every spike arrives 25 steps later, as on js'), async () => {
    const make = () => { const E = new Z.LIF(30, { I: 40, V0: -55 }), P = new Z.LIF(20); return new Network({ E, P, S: new Z.DeltaSynapse(E, P, new FixedProb(0.4), { weight: 1.5, delay: 2.5 }) }, { seed: 9 }); };
    const [a, b] = await jsAndGpu(make, 15, ['E.spike', 'P.spike'], (net, r) => ({ e: spikes(r, 'E.spike'), p: spikes(r, 'P.spike'), V: net.variable('P.V')!.value }));
    expect(a.e.count).toBeGreaterThan(10);
    expect(a.p.count).toBeGreaterThan(0);
    expect(a.p.steps[0]).toBeGreaterThanOrEqual(a.e.steps[0] + 25); // nothing arrives before the delay
    expect(Array.from(b.e.steps)).toEqual(Array.from(a.e.steps));
    expect(Array.from(b.p.steps)).toEqual(Array.from(a.p.steps));
    expect(Array.from(b.p.indices)).toEqual(Array.from(a.p.indices));
    close(a.V, b.V, 1e-4, 1e-3);
  });

  fn(title('PairSTDP and TripletSTDP: weights change at pre and post spikes (per-synapse writes in row loops), equal js'), async () => {
    for (const Rule of [Z.PairSTDP, Z.TripletSTDP]) {
      const make = () => {
        const E = new Z.LIF(30, { I: 40, V0: -55 }), P = new Z.LIF(20, { I: 15 });
        const S = new Rule(E, P, new FixedProb(0.3), (Rule === Z.PairSTDP ? { weight: 0.5, Aplus: 0.05, Aminus: 0.05 } : { weight: 0.5, A3plus: 0.05, A2minus: 0.05 }) as never);
        return new Network({ E, P, S }, { seed: 4 });
      };
      const w0 = Float64Array.from(make().build().variable('S.w')!.value);
      const [a, b] = await jsAndGpu(make, 30, ['E.spike', 'P.spike'], (net, r) => ({ w0, w: Float64Array.from(net.variable('S.w')!.value), e: spikes(r, 'E.spike'), p: spikes(r, 'P.spike') }));
      expect(a.e.count).toBeGreaterThan(10);
      expect(a.p.count).toBeGreaterThan(10);
      const moved = a.w.filter((x, s) => Math.abs(x - a.w0[s]) > 1e-3).length;
      expect(moved).toBeGreaterThan(a.w.length / 4); // the rule ran: pre and post spikes moved the weights
      expect(Array.from(b.p.steps)).toEqual(Array.from(a.p.steps));
      close(a.w, b.w, 1e-4, 1e-4);
    }
  });

  fn(title('value monitors are recorded on the device and read back once per batch of steps, not every step'), async () => {
    const { readbacks } = require('../src/backends/gpu/exec');
    const { MAX_BATCH } = require('../src/backends/gpu/batch');
    const run = async (backend: string) => {
      if (backend === 'gpu') setGPUMode(mode);
      const net = new Network({ D: new Drift(6) });
      const before = readbacks.count;
      const r = await net.run(4.8, { dt: 0.1, backend, monitors: [{ target: 'D.y', indices: [5, 0, 2] }, { target: 'D.x', every: 5 }], checkEvery: 0, chunk: 48 });
      return { r, reads: readbacks.count - before };
    };
    const a = await run('js'), b = await run('gpu');
    for (const key of ['D.y', 'D.x'] as const) {
      const x = a.r.monitors[key] as ValueMonitorData, y = b.r.monitors[key] as ValueMonitorData;
      expect(Array.from(y.ts)).toEqual(Array.from(x.ts));
      close(x.data, y.data);
    }
    expect((a.r.monitors['D.y'] as ValueMonitorData).ts.length).toBe(48);
    // one run() call of 48 steps = 2 batches: 2 monitors × 2 batches, and the state at the end (one per device array)
    expect(b.reads).toBeLessThanOrEqual(2 * Math.ceil(48 / MAX_BATCH) + 3);
  });

  fn(title('reductions (sum, sum of squares, max) run on the device in order, their results feed later kernels; state equals js'), async () => {
    const [a, b] = await jsAndGpu(() => new Network({ M: new MeanField(37) }), 2, [], (net) => ({ V: net.variable('M.V')!.value, u: net.variable('M.u')!.value }));
    const m = Array.from(a.V).reduce((x, y) => x + y, 0) / a.V.length;
    expect(Math.max(...a.V) - Math.min(...a.V)).toBeLessThan(10 * 0.9); // pulled towards the mean
    expect(m).toBeGreaterThan(4);
    close(a.V, b.V, 1e-5, 1e-5);
    close(a.u, b.u, 1e-5, 1e-5);
  });

  fn(title('a value that becomes non-finite stops the run at the same check step as js'), async () => {
    const errOf = async (backend: string) => {
      if (backend === 'gpu') setGPUMode(mode);
      try { await new Network({ B: new Blowup(4) }).run(5, { dt: 0.1, backend, checkEvery: 5 }); } catch (e) { return e as Error & { step?: number }; }
      return null;
    };
    const a = await errOf('js'), b = await errOf('gpu');
    expect(a).not.toBeNull();
    expect(b).not.toBeNull();
    // float32 overflows in the same step as js's float32 storage; both report the check step
    expect(b!.message.replace(/= \S+/, '')).toBe(a!.message.replace(/= \S+/, ''));
  });

  fn(title('COBA-4000, 60 ms (webgpu 30 ms): spike trains equal js up to the first float32 difference, rates within 5%'), async () => {
    const ms = mode === 'webgpu' ? 30 : 60;
    const js = await runCoba('js', 3, ms), gpu = await runCoba(mode, 3, ms);
    const d = firstDifference(js, gpu);
    // the first 20 steps are spike for spike (the same connectivity, initial V, kernels and decoding)
    console.log(`COBA ${mode} ${ms} ms: first differing step ${d}; E ${js.rateE.toFixed(2)} vs ${gpu.rateE.toFixed(2)} Hz, I ${js.rateI.toFixed(2)} vs ${gpu.rateI.toFixed(2)} Hz`);
    expect(d === -1 || d >= 20).toBe(true);
    expect(Math.abs(gpu.rateE - js.rateE)).toBeLessThanOrEqual(0.05 * js.rateE);
    expect(Math.abs(gpu.rateI - js.rateI)).toBeLessThanOrEqual(0.05 * js.rateI);
    // variable.value shows the device state after the run: each neuron's tLast is its last recorded spike
    const tLast = gpu.net.variable('E.tLast')!.value, last = new Map<number, number>();
    for (const [s, ids] of gpu.trains[0]) for (const i of ids) last.set(i, Math.max(last.get(i) ?? -1, s));
    expect(last.size).toBeGreaterThan(100);
    for (const [i, s] of last) expect(tLast[i]).toBeCloseTo(s * 0.1, 3);
  }, 300000);

  // cpu mode runs gpu.js's JavaScript kernels inside jest's vm (slow global lookups): 200k neurons there
  fn(title(`the seed's 1M-neuron LIF (cpu: 200k): 10 steps equal js within float32 tolerance`), async () => {
    const n = mode === 'cpu' ? 200_000 : 1_000_000;
    const drive = Float32Array.from({ length: n }, (_, i) => 5 + (35 * i) / n);
    const run = async (backend: string) => {
      if (backend === 'gpu') setGPUMode(mode);
      const net = new Network({ N: new Z.LIF(n, { V0: -60 }) });
      await net.run(1, { dt: 0.1, backend, inputs: [['N.input', drive]] });
      return net.variable('N.V')!.value;
    };
    const a = await run('js'), b = await run('gpu');
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1e-6 + Math.abs(a[i])));
    expect(a[n - 1]).toBeGreaterThan(-59);     // the state moved: the drive arrived
    expect(worst).toBeLessThan(1e-6);          // a few float32 ulps
  }, 300000);
});

test('the run option gpu: { mode } picks the mode per run (cached apart), without the process-wide setting', async () => {
  const { Network } = require('../src');
  const { LIF } = require('../models');
  const net = new Network({ E: new LIF(50, { I: 25, V0: -60, V0sd: 4 }) }, { seed: 1 });
  const js = await new Network({ E: new LIF(50, { I: 25, V0: -60, V0sd: 4 }) }, { seed: 1 }).run(20, { backend: 'js', monitors: ['E.spike'] });
  const g = await net.run(20, { backend: 'gpu', gpu: { mode: 'cpu' }, monitors: ['E.spike'] });
  expect(g.backend).toBe('gpu');
  expect(require('../src/backends/gpu/backend').lastGPUExecutable.ranOn()).toBe('cpu');
  expect(g.monitors['E.spike'].count).toBe(js.monitors['E.spike'].count);
  expect(g.monitors['E.spike'].count).toBeGreaterThan(10);
});
