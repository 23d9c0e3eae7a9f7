/**
 * The compiler's passes on small classes: the step plan as golden text (bindings with dtype and role,
 * loop classes and trip counts), deterministic names, the loop classifier, and the checks a backend
 * without scatter support applies.
 */
import { Network, NeuGroup, TwoEndConn, Variable, printPlan, registerBackend, CompileError, StepPlan, Stmt, pre2postEventSum } from '../src';
import { jsBackend } from '../src/backends/js/emit';
import { One2One, FixedProb } from '../connectors';
import { NEURON_CASES, SYNAPSE_CASES, RUNTIME_CASES } from './conformance/cases';

class Tiny extends NeuGroup {
  tau = 10;
  V = new Variable(this.num);
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      const V = this.V[i] + (this.input[i] - this.V[i]) / this.tau * dt;
      this.spike[i] = V > 1 ? 1 : 0;
      this.V[i] = V > 1 ? 0 : V;
      this.input[i] = 0;
    }
  }
}
class Kick extends TwoEndConn {
  w = 0.5;
  pre2post = this.conn.require('pre2post');
  update() { pre2postEventSum(this.post.input, this.pre2post, this.pre.spike, this.w); }
}

const tinyNet = () => {
  const A = new Tiny(3), B = new Tiny(3);
  return new Network({ A, B, AB: new Kick(A, B, new One2One()) });
};

test('golden plan: bindings, fused loops, a delivery op, the spike record moved up past it, inputs, value records, check', () => {
  const plan = tinyNet().stepPlan({ inputs: [['A.input', 2]], monitors: ['B.spike', { target: 'A.V', every: 2 }], checkEvery: 10 });
  expect(printPlan(plan)).toBe(`bindings:
  A$V = A.V: f32[3] state rw
  A$input = A.input: f32[3] state rw
  A$spike = A.spike: u8[3] state rw
  B$V = B.V: f32[3] state rw
  B$input = B.input: f32[3] state rw
  B$spike = B.spike: u8[3] state rw
  AB$pre2post$indptr = AB.pre2post.indptr: i32[4] connectivity
  AB$pre2post$indices = AB.pre2post.indices: i32[3] connectivity
step:
  input 0: A$input += <const>
  for (let lv$0 = 0; (lv$0 < 3); lv$0++)  [map, trip ≤ 3]
    {
      const V = (A$V[lv$0] + (((A$input[lv$0] - A$V[lv$0]) / 10) * dt$))
      A$spike[lv$0] = ((V > 1) ? 1 : 0)
      A$V[lv$0] = ((V > 1) ? 0 : V)
      A$input[lv$0] = 0
    }
    {
      const V = (B$V[lv$0] + (((B$input[lv$0] - B$V[lv$0]) / 10) * dt$))
      B$spike[lv$0] = ((V > 1) ? 1 : 0)
      B$V[lv$0] = ((V > 1) ? 0 : V)
      B$input[lv$0] = 0
    }
  record spikes of B$spike -> monitor 0
  pre2postEventSum(B$input, rows(AB$pre2post$indptr, AB$pre2post$indices; 3 rows, ≤ 1), A$spike, 0.5)
  every 2 steps: record A$V -> monitor 1
  every 10 steps: check finite A$V, A$input, B$V, B$input`);
});

test('two identical networks give identical plans and identical generated source', () => {
  const opts = { monitors: ['A.spike', 'B.V'] };
  const a = tinyNet(), b = tinyNet();
  expect(printPlan(a.stepPlan(opts))).toBe(printPlan(b.stepPlan(opts)));
  expect(a.generatedSource(opts)).toBe(b.generatedSource(opts));
  // and a second compilation in the same process mints the same names
  expect(a.generatedSource(opts)).toBe(tinyNet().generatedSource(opts));
});

function loops(plan: StepPlan): { cls: string; trip: number; line: number; where?: string }[] {
  const out: { cls: string; trip: number; line: number; where?: string }[] = [];
  const walk = (ss: Stmt[]) => ss.forEach((s) => {
    if ((s.k === 'for' || s.k === 'range') && s.info) out.push({ cls: s.info.cls, trip: s.info.maxTrip, line: s.line, where: s.where });
    if (s.k === 'for' || s.k === 'range' || s.k === 'while' || s.k === 'block') walk(s.body);
    if (s.k === 'if') { walk(s.then); if (s.else) walk(s.else); }
  });
  walk(plan.step);
  [...plan.helpers, ...plan.opaque].forEach((f) => walk(f.body));
  return out;
}

describe('loop classification', () => {
  class Kinds extends NeuGroup {
    x = new Variable(this.num);
    y = new Variable(this.num);
    total = new Variable(1);
    pre = new Variable(3, { dtype: 'int32' });
    update() {
      for (let i = 0; i < this.num; i++) this.x[i] = this.x[i] * 2;             // map
      let s = 0;
      for (let i = 0; i < this.num; i++) s += this.x[i];                       // reduction
      this.total[0] = s;
      for (let i = 0; i < 3; i++) this.y[this.pre[i]] += 1;                     // scatter
      for (let i = 1; i < this.num; i++) this.x[i] = this.x[i - 1] + this.x[i]; // serial (carried)
      for (let i = 0; i < this.num; i++) this.y[i] = this.rng.normal();          // serial (stream)
    }
  }
  test('map, reduction, scatter and serial loops, with trip counts', () => {
    const plan = new Network({ K: new Kinds(5) }).stepPlan({ checkEvery: 0, fuse: false });
    expect(loops(plan).map((l) => [l.cls, l.trip])).toEqual([['map', 5], ['reduction', 5], ['scatter', 3], ['serial', 4], ['serial', 5]]);
  });
  class Accumulations extends NeuGroup {
    x = new Variable(this.num);
    out = new Variable(3);
    update() {
      let top = -1, low = 1e9, run = 0, s = 0;
      for (let i = 0; i < this.num; i++) top = Math.max(top, this.x[i]);       // reduction (max)
      for (let i = 0; i < this.num; i++) low = Math.min(this.x[i] * 2, low);   // reduction (min)
      for (let i = 0; i < this.num; i++) { run += this.x[i]; this.x[i] = run; } // serial: reads the running sum
      for (let i = 0; i < this.num; i++) s += this.x[i] * s;                    // serial: the increment reads it
      this.out[0] = top + low + run + s;
    }
  }
  test('max/min accumulations are reductions; a loop that reads the running value is serial', () => {
    const plan = new Network({ A: new Accumulations(4) }).stepPlan({ checkEvery: 0, fuse: false });
    expect(loops(plan).map((l) => l.cls)).toEqual(['reduction', 'reduction', 'serial', 'serial']);
  });
  class Rows extends TwoEndConn {
    pre2post = this.conn.require('pre2post');
    w = new Variable(() => this.conn.nSyn);
    update() {
      for (let i = 0; i < this.pre.num; i++) {
        for (let k = this.pre2post.indptr[i]; k < this.pre2post.indptr[i + 1]; k++) this.w[k] = this.w[k] + 1;
      }
    }
  }
  test('writes over the rows of a CSR are row-parallel; the row loop trip is the longest row', async () => {
    const A = new Tiny(30), B = new Tiny(40);
    const net = new Network({ A, B, R: new Rows(A, B, new FixedProb(0.3)) }, { seed: 1 });
    const plan = net.stepPlan({ checkEvery: 0, fuse: false });
    const rows = net.get('R') as Rows;
    net.build();
    let longest = 0;
    for (let i = 0; i < 30; i++) longest = Math.max(longest, rows.pre2post.indptr[i + 1] - rows.pre2post.indptr[i]);
    const ls = loops(plan).filter((l) => l.where?.includes("'R'"));
    expect(ls.map((l) => l.cls)).toEqual(['rowParallel', 'map']);
    expect(ls[1].trip).toBe(longest);
  });
});

test('no model of the zoo scatters by hand: every scatter in their plans is a library operator', () => {
  for (const c of [...NEURON_CASES, ...SYNAPSE_CASES, ...RUNTIME_CASES]) {
    const bad = loops(c.make().stepPlan()).filter((l) => l.cls === 'scatter');
    expect({ case: c.name, scatters: bad }).toEqual({ case: c.name, scatters: [] });
  }
});

describe('a backend that cannot scatter refuses hand-written scatters with class, method, line and the op to use', () => {
  registerBackend({ ...jsBackend, name: 'noscatter', autoRank: null, capabilities: { ...jsBackend.capabilities, scatter: false },
    compile(req) {
      const { checkKernels } = require('../src/backends/check');
      checkKernels(req.plan(), 'noscatter', require('../src/backends/js/kernels').JS_KERNELS, this.capabilities);
      return jsBackend.compile(req);
    } });
  class HandScatter extends TwoEndConn {
    pre2post = this.conn.require('pre2post');
    update() {
      for (let i = 0; i < this.pre.num; i++) {
        if (this.pre.spike[i]) {
          for (let k = this.pre2post.indptr[i]; k < this.pre2post.indptr[i + 1]; k++) this.post.input[this.pre2post.indices[k]] += 1;
        }
      }
    }
  }
  test('the error names HandScatter, update(), the line and pre2postEventSum', async () => {
    const A = new Tiny(3), B = new Tiny(3);
    const err = await new Network({ A, B, S: new HandScatter(A, B, new One2One()) }).run(1, { backend: 'noscatter' }).catch((e) => e);
    expect(err).toBeInstanceOf(CompileError);
    expect(err.message).toMatch(/HandScatter 'S', method update\(\), line 4 of the method: .*scatter.*pre2postEventSum/);
  });
  test('the same network through the op runs there', async () => {
    const A = new Tiny(3), B = new Tiny(3);
    await expect(new Network({ A, B, S: new Kick(A, B, new One2One()) }).run(1, { backend: 'noscatter' })).resolves.toBeDefined();
  });
});
