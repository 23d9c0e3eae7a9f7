import { Network, NeuGroup, TwoEndConn, Variable, ValueMonitorData, syn2post, pre2syn, denseEventSum, CompileError } from '../src';
import { FixedProb, All2All } from '../connectors';

/** Runs a network compiled and interpreted; returns the final values of the listed Variables from both. */
async function both(make: () => Network, vars: string[], ms = 2, opts: any = {}) {
  const out: number[][][] = [];
  for (const jit of [true, false]) {
    const net = make();
    await net.run(ms, { dt: 0.1, seed: 7, jit, ...opts });
    out.push(vars.map((v) => Array.from(net.variable(v)!.value)));
  }
  return out;
}

class Src extends NeuGroup {
  spike = new Variable(this.num, { dtype: 'bool' });
  x = new Variable(this.num, { init: (i) => i + 1 });
  update() { for (let i = 0; i < this.num; i++) this.spike[i] = i % 2 === 0 ? 1 : 0; }
}

/** Uses every connectivity access form; each accumulates into its own Variable. */
class Forms extends TwoEndConn {
  viaRows = new Variable(this.post.num);
  viaIndex = new Variable(this.post.num);
  viaSlice = new Variable(this.post.num);
  fanout = new Variable(this.pre.num, { dtype: 'int32' });
  synPre = new Variable(() => this.conn.nSyn);
  viaOps = new Variable(this.post.num);
  viaDense = new Variable(this.post.num);
  pre2post = this.conn.require('pre2post');
  preSlice = this.conn.require('pre_slice');
  postIds = this.conn.require('post_ids');
  preIds = this.conn.require('pre_ids');
  connMat = this.conn.require('conn_mat');
  update() {
    for (let i = 0; i < this.pre.num; i++) {
      this.fanout[i] = this.pre2post[i].length;
      if (!this.pre.spike[i]) continue;
      for (const j of this.pre2post[i]) this.viaRows[j] += this.pre.x[i];
      for (let k = 0; k < this.pre2post[i].length; k++) this.viaIndex[this.pre2post[i][k]] += this.pre.x[i];
      const [start, end] = this.preSlice[i];
      let s = start;
      while (s < end) { this.viaSlice[this.postIds[s]] += this.pre.x[i]; s++; }
    }
    pre2syn(this.synPre, this.pre.x, this.preIds);
    syn2post(this.viaOps, this.synPre, this.postIds);
  }
}

test('every connectivity access form compiles to the same sums, equal to a direct computation', async () => {
  const make = () => { const A = new Src(20), B = new Src(15); return new Network({ A, B, S: new Forms(A, B, new FixedProb(0.3)) }, { precision: 'float64' }); };
  const vars = ['S.viaRows', 'S.viaIndex', 'S.viaSlice', 'S.fanout', 'S.viaOps'];
  const [jit, interp] = await both(make, vars, 0.1);
  expect(jit).toEqual(interp);
  expect(jit[0]).toEqual(jit[1]);
  expect(jit[0]).toEqual(jit[2]);
  // reference from the realised connectivity
  const net = make(); net.build(7);
  const S = net.get('S') as any;
  const ref = new Array(15).fill(0), all = new Array(15).fill(0);
  const fan = new Array(20).fill(0);
  for (let i = 0; i < 20; i++) for (let j = 0; j < 15; j++) if (S.connMat.data[i * 15 + j]) { fan[i]++; all[j] += i + 1; if (i % 2 === 0) ref[j] += i + 1; }
  expect(jit[0]).toEqual(ref);
  expect(jit[3]).toEqual(fan);
  expect(jit[4]).toEqual(all);
});

class Noisy extends NeuGroup {
  sigma = 0.5; tau = 10;
  V = new Variable(this.num);
  W = new Variable(this.num);
  f(v: number, w: number): number[] { return [-v / this.tau + w, -w]; }
  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      const [dv, dw] = this.f(this.V[i], this.W[i]);
      this.V[i] += dv * dt + this.sigma * Math.sqrt(dt) * this.rng.normal();
      this.W[i] = Math.max(0, this.W[i] + dw * dt + Math.abs(this.rng.uniform(-1, 1)));
    }
  }
}

test('helper methods returning tuples and the network random stream: compiled equals interpreted', async () => {
  const [jit, interp] = await both(() => new Network({ N: new Noisy(50) }, { precision: 'float64' }), ['N.V', 'N.W'], 5);
  expect(jit).toEqual(interp);
  expect(new Set(jit[0]).size).toBe(50); // noise reached every neuron
});

class Dense extends TwoEndConn {
  out = new Variable(this.post.num);
  W = this.conn.require('conn_mat');
  update() { denseEventSum(this.out, this.W, this.pre.spike); }
}

test('denseEventSum over an all-to-all matrix counts spiking pre neurons per post', async () => {
  const make = () => { const A = new Src(6), B = new Src(4); return new Network({ A, B, D: new Dense(A, B, new All2All()) }); };
  const [jit, interp] = await both(make, ['D.out'], 0.3);
  expect(jit).toEqual(interp);
  expect(jit[0]).toEqual([9, 9, 9, 9]); // 3 even-indexed pre neurons spike in each of 3 steps
});

test('operator argument checks name the operator and the argument', async () => {
  class Wrong extends TwoEndConn {
    g = new Variable(this.post.num);
    pre2post = this.conn.require('pre2post');
    update() { syn2post(this.g, this.g, this.pre.spike); }
  }
  const A = new Src(5), B = new Src(3);
  const err = await new Network({ A, B, W: new Wrong(A, B, new FixedProb(0.5)) }).run(0.1).catch((e) => e);
  expect(err).toBeInstanceOf(CompileError);
  expect(err.message).toMatch(/syn2post\(\): syn has 3 values but postIds has 5/);
});

test('value monitors with indices and every record the right elements at the right times', async () => {
  class Clock extends NeuGroup { c = new Variable(this.num); update(t: number) { for (let i = 0; i < this.num; i++) this.c[i] = t * 10 + i; } }
  const net = new Network({ K: new Clock(5) }, { precision: 'float64' });
  const r = await net.run(2, { dt: 0.1, monitors: [{ target: 'K.c', indices: [4, 1], every: 5 }] });
  const m = r.monitors['K.c'] as ValueMonitorData;
  expect(Array.from(m.ts).map((t) => Math.round(t * 10))).toEqual([0, 5, 10, 15]);
  expect(m.row(2).map(Math.round)).toEqual([14, 11]);
});

test('omitted arguments take their literal defaults; missing ones without a default are an error', async () => {
  class Def extends NeuGroup {
    x = new Variable(this.num);
    step(v: number, h = 0.5, k = -2) { return v + h * k; }
    update() { for (let i = 0; i < this.num; i++) this.x[i] = this.step(this.x[i]) + this.step(1, 1); }
  }
  const [jit, interp] = await both(() => new Network({ D: new Def(2) }, { precision: 'float64' }), ['D.x'], 0.1);
  expect(jit).toEqual(interp);
  expect(jit[0]).toEqual([-2, -2]);
  class Missing extends NeuGroup { x = new Variable(this.num); f(a: number, b: number) { return a + b; } update() { this.x[0] = (this as any).f(1); } }
  await expect(new Network({ M: new Missing(1) }).run(0.1)).rejects.toThrow(/f\(\) needs argument 'b'/);
});

test('changing a constant attribute between runs recompiles instead of running stale code', async () => {
  class Drive extends NeuGroup { I = 1; x = new Variable(this.num); update(t: number, dt: number) { for (let i = 0; i < this.num; i++) this.x[i] += this.I * dt; } }
  const D = new Drive(2);
  const net = new Network({ D }, { precision: 'float64' });
  await net.run(1, { dt: 0.5 });
  expect(Array.from(D.x.value)).toEqual([1, 1]);
  D.I = 10;
  await net.run(1, { dt: 0.5 });
  expect(Array.from(D.x.value)).toEqual([11, 11]);
});
