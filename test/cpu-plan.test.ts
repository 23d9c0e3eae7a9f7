/**
 * The CPU plan rewrites (src/compiler/cpu-plan.ts): loop rotation and scalar replacement. Exactness is the
 * conformance suite's job (every case, js and wasm against interp, bit for bit); here: that the rewrites
 * happen where they should, not where they must not, and that the paths only a rotated step has (the tail
 * completed at a full monitor buffer, at a finiteness check, at the end of each run() call) keep the
 * results identical to interp.
 */
import { Network, NeuGroup, TwoEndConn, Variable, pre2postEventSum, registerBackend } from '../src';
import { wasmBackend, emitWasm } from '../src/backends/wasm';
import { jsBackend, emitJs } from '../src/backends/js/emit';
import { FixedProb } from '../connectors/fixed-prob';
import { LIF } from '../models/neurons/lif';
import { ExpCOBA } from '../models/synapses/exponential';
import { cpuPlan } from '../src/compiler/cpu-plan';
import { rotateStep } from '../src/compiler/rotate';
import { scalarize } from '../src/compiler/scalarize';
import { useSpikeLists } from '../src/compiler/spike-lists';
import { sinkClears } from '../src/compiler/sink-clears';
import { sparseFlags } from '../src/compiler/sparse-flags';
import { printPlan } from '../src/compiler/plan-text';
import { Stmt } from '../src/compiler/ir';
import { cobaNetwork } from '../examples/networks';

// the backends' defaults (js: rotated, loops hoisted into functions; wasm: not rotated, int scalar
// replacement) and the other forms (src/compiler/cpu-plan.ts), each against interp
registerBackend({ ...jsBackend, name: 'js-unrotated', autoRank: null, compile: (req) => emitJs(cpuPlan(req.plan()), req.rng, { hoist: false }) });
registerBackend({ ...jsBackend, name: 'js-rotated-ints', autoRank: null, compile: (req) => emitJs(cpuPlan(req.plan(), { rotate: true, ints: true }), req.rng) });
registerBackend({ ...wasmBackend, name: 'wasm-rotated', autoRank: null, compile: (req) => emitWasm(req, cpuPlan(req.plan(), { rotate: true, ints: true }), { simd: true }) });
const CPU = ['js', 'js-unrotated', 'js-rotated-ints', 'wasm', 'wasm-rotated'];

const topLoops = (ss: Stmt[]) => ss.filter((s) => s.k === 'for').length;
const rotated = (ss: Stmt[]) => ss.find((s) => s.k === 'if' && s.test.k === 'bin' && s.test.a.k === 'local' && s.test.a.name === 'rot$') as Extract<Stmt, { k: 'if' }> | undefined;

/** A conductance synapse whose conductance grows instead of decaying: it overflows in the tail loop. */
class Growing extends TwoEndConn {
  g = new Variable(this.post.num);
  pre2post = this.conn.require('pre2post');
  update(_t: number, dt: number) {
    pre2postEventSum(this.g, this.pre2post, this.pre.spike, 1);
    const grow = 1 + 200 * dt;
    for (let j = 0; j < this.post.num; j++) {
      const g = this.g[j];
      this.post.input[j] += g * (0 - this.post.V[j]);
      this.g[j] = g * grow;
    }
  }
}

/** A synapse whose tail reads t: it may not run one step late, so the step is not rotated. */
class TimedCurrent extends NeuGroup {
  input = new Variable(this.num);
  V = new Variable(this.num);
  update(t: number) { for (let i = 0; i < this.num; i++) this.V[i] = this.V[i] * 0.5 + t; }
}

/** A delivery straight into the post group's input (CUBA-style kicks), beside conductance synapses. */
class Kick extends TwoEndConn {
  pre2post = this.conn.require('pre2post');
  update() { pre2postEventSum(this.post.input, this.pre2post, this.pre.spike, 3); }
}
function kickedNet() {
  const E = new LIF(200, { V0: -55, I: 15 });
  // the kicks come before the conductance loop, so that loop still ends the step (rotation's tail)
  return new Network({ E, K: new Kick(E, E, new FixedProb(0.02)), EE: new ExpCOBA(E, E, new FixedProb(0.05), { weight: 0.6, tau: 5, E: 0 }) }, { seed: 6 });
}

function coba(seed: number, precision: 'float32' | 'float64' = 'float64') {
  return cobaNetwork({ nExc: 400, nInh: 100, p: 0.06, seed, precision });
}

async function runAll(make: () => Network, ms: number[], opts: Record<string, unknown>) {
  const out: Record<string, { spikes: number[]; state: Record<string, number[]>; err?: string }> = {};
  for (const backend of ['interp', ...CPU]) {
    const net = make().build();
    const spikes: number[] = [];
    let err: string | undefined;
    try {
      for (const d of ms) {
        const r = await net.run(d, { dt: 0.1, backend, ...opts });
        for (const m of Object.values(r.monitors)) if ((m as { kind: string }).kind === 'spike') spikes.push(...(m as { steps: Int32Array }).steps);
      }
    } catch (e) { err = (e as Error).message; }
    const state: Record<string, number[]> = {};
    for (const p of net.variablePaths()) state[p] = Array.from(net.variable(p)!.value as ArrayLike<number>);
    out[backend] = { spikes, state, err };
  }
  return out;
}

/**
 * COBA on interp and every CPU backend, run by `script` (run() calls with edits of the state between them):
 * E's spikes and the final state of every backend equal interp's.
 */
async function expectEditedRunsEqual(seed: number, script: (net: Network, run: (ms: number, chunk?: number) => Promise<void>) => Promise<void>) {
  const out: Record<string, { spikes: number[]; state: Record<string, number[]> }> = {};
  for (const backend of ['interp', ...CPU]) {
    const net = coba(seed).build();
    const spikes: number[] = [];
    await script(net, async (ms, chunk) => {
      const r = await net.run(ms, { dt: 0.1, backend, monitors: ['E.spike'], ...(chunk ? { chunk } : {}) });
      spikes.push(...(r.monitors['E.spike'] as { steps: Int32Array }).steps);
    });
    const state: Record<string, number[]> = {};
    for (const p of net.variablePaths()) state[p] = Array.from(net.variable(p)!.value as ArrayLike<number>);
    out[backend] = { spikes, state };
  }
  expect(out.interp.spikes.length).toBeGreaterThan(100);
  for (const b of CPU) {
    expect(out[b].spikes).toEqual(out.interp.spikes);
    expect(out[b].state).toEqual(out.interp.state);
  }
}

describe('loop rotation', () => {
  test('COBA: the synapse loops fuse into the neuron loops of the next step; deliveries after both', () => {
    const net = coba(1).build();
    const plan = cpuPlan(net.stepPlan({ monitors: ['E.spike', 'I.spike'] } as never), { rotate: true });
    expect(plan.rotation).toBeDefined();
    const r = rotated(plan.step)!;
    // head: 2 neuron loops; tail (flush): 2 synapse loops; the steady-state body: 2 loops in all
    expect(topLoops(r.else!)).toBe(2);
    expect(topLoops((plan.rotation!.flush[0] as Extract<Stmt, { k: 'if' }>).then)).toBe(2);
    expect(topLoops(r.then)).toBe(2);
    // in the fused body every loop comes before every delivery
    const kinds = r.then.filter((s) => s.k === 'for' || s.k === 'eventGroup').map((s) => s.k);
    expect(kinds).toEqual(['for', 'for', 'eventGroup', 'eventGroup']);
    // dt-only constants moved to the prelude, with the flag
    expect(plan.prelude!.map((s) => (s as Extract<Stmt, { k: 'let' }>).names[0])).toEqual(expect.arrayContaining(['decay$EE', 'rot$']));
  });

  test('not rotated where a value monitor reads what the tail writes, nor where the tail reads t', () => {
    const net = coba(1).build();
    const withG = rotateStep(useSpikeLists(net.stepPlan({ monitors: ['E.spike', 'EE.g'] } as never)));
    expect(withG.rotation).toBeUndefined();
    // a value monitor of something the tail does not write moves before it
    const withV = rotateStep(useSpikeLists(net.stepPlan({ monitors: ['E.spike', 'E.V'] } as never)));
    expect(withV.rotation).toBeDefined();
    const timed = new Network({ A: new TimedCurrent(8), B: new LIF(8) });
    timed.build();
    expect(rotateStep(timed.stepPlan()).rotation).toBeUndefined();
  });

  test.each(['float32', 'float64'] as const)('tail completed at monitor growth, at checks and between run() calls: equal to interp (%s)', async (precision) => {
    // split at odd step counts, tiny chunks, the monitor buffers grow several times
    const res = await runAll(() => coba(3, precision), [7.3, 20, 0.1, 152.6], { monitors: ['E.spike', 'I.spike', 'E.V'], chunk: 13 });
    expect(res.interp.spikes.length).toBeGreaterThan(1000);
    for (const b of CPU) {
      expect(res[b].spikes).toEqual(res.interp.spikes);
      expect(res[b].state).toEqual(res.interp.state);
    }
  });

  test('settled elements: the fused loops neither load nor store the input the neurons clear; not where something else writes it', () => {
    const net = coba(1).build();
    const plan = cpuPlan(net.stepPlan({ monitors: ['E.spike', 'I.spike'] } as never), { rotate: true });
    const r = rotated(plan.step)!;
    const fused = r.then.filter((s) => s.k === 'for') as Extract<Stmt, { k: 'for' }>[];
    expect(fused.map((l) => l.info?.entry)).toEqual([{ E$input: 0 }, { I$input: 0 }]);
    const fusedText = printPlan({ ...plan, step: r.then, prelude: undefined, rotation: undefined });
    expect(fusedText).toMatch(/let E\$input\$r = 0\n/);
    expect(fusedText).not.toMatch(/E\$input\[/);
    // the head (the first step of each run() call) still clears input in memory
    expect(printPlan({ ...plan, step: r.else!, prelude: undefined, rotation: undefined })).toMatch(/E\$input\[lv\$\d+\] = 0/);
    // a delivery straight into E.input writes it outside the neuron loop: nothing is known there
    const kicked = cpuPlan(kickedNet().build().stepPlan({ monitors: ['E.spike'] } as never), { rotate: true });
    const kr = rotated(kicked.step)!;
    expect(kr).toBeDefined();
    expect(kr.then.filter((s) => s.k === 'for').map((l) => (l as Extract<Stmt, { k: 'for' }>).info?.entry ?? {})).toEqual([{}]);
  });

  test('a delivery into input between the neuron and the synapse loop: nothing settled, no clear sunk, equal to interp', async () => {
    const res = await runAll(kickedNet, [40, 13.3], { monitors: ['E.spike'] });
    expect(res.interp.spikes.length).toBeGreaterThan(50);
    for (const b of CPU) {
      expect(res[b].spikes).toEqual(res.interp.spikes);
      expect(res[b].state).toEqual(res.interp.state);
    }
  });

  test('unrotated steps: a clear sinks into the next loop over the same elements, not past a delivery into the array', () => {
    const text = printPlan(sinkClears(useSpikeLists(coba(1).build().stepPlan({ monitors: ['E.spike'] } as never))));
    const loops = text.split(/\n  for /).slice(1);
    const neuron = loops.find((l) => /E\$refractory/.test(l))!, synapse = loops.find((l) => /E\$input\[lv\$\d+\] \+=/.test(l))!;
    expect(neuron).toMatch(/E\$input\[lv\$\d+\]/);           // read there
    expect(neuron).not.toMatch(/E\$input\[lv\$\d+\] = 0/);     // no longer cleared there
    expect(synapse).toMatch(/^\(let (lv\$\d+)[^\n]*\n\s+E\$input\[\1\] = 0\n/); // cleared first thing there
    // the kicks write E.input between the neuron and the synapse loop: the clear stays
    const kicked = printPlan(sinkClears(useSpikeLists(kickedNet().build().stepPlan({ monitors: ['E.spike'] } as never))));
    expect(kicked).toMatch(/E\$input\[lv\$\d+\] = 0\n  event scan of the list E\$spike\$list/);
  });

  test('settled elements: input and conductances changed by hand between run() calls, equal to interp', async () => {
    await expectEditedRunsEqual(5, async (net, run) => {
      await run(20);
      const input = net.variable('E.input')!.value, g = net.variable('EE.g')!.value;
      for (let i = 0; i < input.length; i++) { input[i] = (i % 7) * 2; g[i] += (i % 3) * 0.5; }
      await run(30);
    });
  });

  test('a value that becomes non-finite in the tail is reported at the same step, with the same state, as interp', async () => {
    const make = () => {
      const E = new LIF(50, { V0: -55, I: 20 });
      return new Network({ E, S: new Growing(E, E, new FixedProb(0.2)) }, { seed: 4 });
    };
    const res = await runAll(make, [200], { monitors: ['E.spike'] });
    expect(res.interp.err).toMatch(/non-finite|NaN|Infinity/i);
    const plan = cpuPlan(make().build().stepPlan({ monitors: ['E.spike'] } as never), { rotate: true });
    expect(plan.rotation).toBeDefined();
    for (const b of CPU) {
      expect(res[b].err).toBe(res.interp.err);
      expect(res[b].state).toEqual(res.interp.state);
    }
  });
});

describe('inputs as element loops', () => {
  test('a number or array input fuses into the neuron loop that reads it; a function input stays a statement before it', () => {
    const net = new Network({ N: new LIF(50, { V0: -60 }) }).build();
    const plan = cpuPlan(net.stepPlan({ inputs: [['N.input', new Float64Array(50).fill(3)], ['N.input', 2, '*'], ['N.V', (t: number) => t, '+']] } as never));
    // the first step of a run() call (the others know input is 0 at the start: see the next test)
    const first = rotated(plan.step)!.else!;
    const loops = first.filter((s) => s.k === 'for') as Extract<Stmt, { k: 'for' }>[];
    expect(loops).toHaveLength(1);
    const text = printPlan({ ...plan, step: loops, prelude: undefined, rotation: undefined });
    // in the inputs' order, then the neuron update, in one pass
    expect(text).toMatch(/inb\$0\[lv[^\n]*\n[\s\S]*inb\$1\[0\][\s\S]*N\$refractory/);
    expect(first.filter((s) => s.k === 'input').map((s) => (s as Extract<Stmt, { k: 'input' }>).slot)).toEqual([2]);
    expect(plan.inputBuffers!.map((b) => [b.slot, b.kind])).toEqual([[0, 'array'], [1, 'const']]);
  });

  test('the neuron loop alone clears input: from the second step of each run() call it is not loaded or stored', () => {
    const net = new Network({ N: new LIF(50, { V0: -60 }) }).build();
    const plan = cpuPlan(net.stepPlan({ inputs: [['N.input', new Float64Array(50).fill(3)]] } as never));
    const r = rotated(plan.step)!;
    expect(r).toBeDefined();
    expect((r.then.find((s) => s.k === 'for') as Extract<Stmt, { k: 'for' }>).info?.entry).toEqual({ N$input: 0 });
    expect(printPlan({ ...plan, step: r.then, prelude: undefined })).not.toMatch(/N\$input\[/);
    expect(printPlan({ ...plan, step: r.else!, prelude: undefined })).toMatch(/let N\$input\$r = N\$input\[/);
    // a function input writes N.input outside the loop: nothing is known, the step stays as it is
    const sampled = cpuPlan(new Network({ N: new LIF(50, { V0: -60 }) }).build().stepPlan({ inputs: [['N.input', (t: number) => t]] } as never));
    expect(rotated(sampled.step)).toBeUndefined();
  });

  test('values change between run() calls (inputs, and input set by hand): each call reads its own, equal to interp', async () => {
    const out: Record<string, number[]> = {};
    for (const backend of ['interp', ...CPU]) {
      const net = new Network({ N: new LIF(40, { V0: -60 }) }).build();
      const sp: number[] = [];
      for (const [k, d] of [[1, 5], [2, 7.5], [3, 10]]) {
        net.variable('N.input')!.value.fill(k * 3);
        const drive = Float64Array.from({ length: 40 }, (_, i) => k * (5 + i));
        const r = await net.run(d, { dt: 0.1, backend, inputs: [['N.input', drive], ['N.input', k, '+']], monitors: ['N.spike'] });
        sp.push(...(r.monitors['N.spike'] as { indices: Int32Array }).indices);
      }
      out[backend] = [...sp, ...Array.from(net.variable('N.V')!.value)];
    }
    expect(out.interp.length).toBeGreaterThan(100);
    for (const b of CPU) expect(out[b]).toEqual(out.interp);
  });
});

/** Spike flags set in ways where the list append must stay at the end of the iteration. */
class Flags extends NeuGroup {
  x = new Variable(this.num, { init: (i) => i * 0.37 });
  spike = new Variable(this.num, { dtype: 'bool' });
  update() {
    for (let i = 0; i < this.num; i++) {
      this.x[i] = (this.x[i] * 1.7 + 0.3) % 5;
      this.spike[i] = 0;
      if (this.x[i] > 3) this.spike[i] = 1;
      if (this.x[i] > 4.5) this.spike[i] = 0;            // cleared again after the set
    }
  }
}
class TwoSets extends NeuGroup {
  x = new Variable(this.num, { init: (i) => i * 0.61 });
  spike = new Variable(this.num, { dtype: 'bool' });
  update() {
    for (let i = 0; i < this.num; i++) {
      this.x[i] = (this.x[i] * 1.3 + 0.7) % 4;
      this.spike[i] = 0;
      if (this.x[i] > 3) this.spike[i] = 1;
      if (this.x[i] < 0.5) this.spike[i] = 1;            // a second set: one append per iteration at most
    }
  }
}

describe('spike lists', () => {
  test('appended where the flag is set when it is cleared first and set in one place; at the end otherwise; equal to interp', async () => {
    const lif = printPlan(useSpikeLists(new Network({ N: new LIF(20) }).build().stepPlan({ monitors: ['N.spike'] } as never)));
    expect(lif).toMatch(/N\$spike\[lv\$\d+\] = 1\n\s+spike list/);
    for (const make of [() => new Flags(31), () => new TwoSets(31)]) {
      const text = printPlan(useSpikeLists(new Network({ A: make() }).build().stepPlan({ monitors: ['A.spike'] } as never)));
      expect(text).toMatch(/= 1\n(?!\s+spike list)/);   // not right after a set
      const res = await runAll(() => new Network({ A: make() }), [3, 2.2], { monitors: ['A.spike'] });
      expect(res.interp.spikes.length).toBeGreaterThan(20);
      for (const b of CPU) expect(res[b].spikes).toEqual(res.interp.spikes);
    }
  });
});

/** Counts the spikes of its pre group by reading the flags densely, after the group's update. */
class FlagReader extends TwoEndConn {
  seen = new Variable(this.pre.num);
  update() { for (let i = 0; i < this.pre.num; i++) this.seen[i] += this.pre.spike[i] * (i + 1); }
}
/** Sets flag 3 of its post group every other step: a second writer of the flags. */
class EveryOther extends TwoEndConn {
  phase = new Variable(1);
  update() {
    this.phase[0] = 1 - this.phase[0];
    if (this.phase[0] > 0) this.post.spike[3] = 1;
  }
}
const loopsWriting = (ss: Stmt[], id: string): string[] => {
  const out: string[] = [];
  const visit = (xs: Stmt[]) => xs.forEach((s) => {
    if (s.k === 'if') { visit(s.then); if (s.else) visit(s.else); }
    if (s.k === 'for') out.push(printPlan({ bindings: [], helpers: [], opaque: [], step: [s] } as never));
  });
  visit(ss);
  return out.filter((t) => t.includes(`${id}[`));
};

describe('sparse spike flags', () => {
  test.each([false, true])('COBA (rotated: %s): the neuron loops only set flags; the step clears the previous list first, every flag at a call\'s first step', (rotate) => {
    const net = coba(1).build();
    const plan = cpuPlan(net.stepPlan({ monitors: ['E.spike', 'I.spike'] } as never), { rotate });
    const text = printPlan(plan);
    for (const g of ['E', 'I']) {
      expect(plan.prelude!.some((s) => s.k === 'let' && s.names[0] === `${g}$spike$prev`)).toBe(true);
      // no clear at the loop index, one set; the clear before the loop walks the list, or all N flags
      expect(text).not.toMatch(new RegExp(`${g}\\$spike\\[lv\\$\\d+\\] = 0`));
      expect(text).toMatch(new RegExp(`${g}\\$spike\\[lv\\$\\d+\\] = 1`));
      expect(text).toMatch(new RegExp(`${g}\\$spike\\[${g}\\$spike\\$list\\[${g}\\$spike\\$k\\]\\] = 0`));
      expect(text).toMatch(new RegExp(`${g}\\$spike\\$prev = ${g}\\$spike\\$n`));
    }
    const off = printPlan(cpuPlan(net.stepPlan({ monitors: ['E.spike', 'I.spike'] } as never), { rotate, sparseFlags: false }));
    expect(off).toMatch(/E\$spike\$r = \(0 & 255\)|E\$spike\[lv\$\d+\] = 0/);
  });

  test('flags set by hand between run() calls, odd splits, full monitor buffers: equal to interp', async () => {
    await expectEditedRunsEqual(7, async (net, run) => {
      await run(7.3, 13);
      const flags = net.variable('E.spike')!.value;
      for (let i = 0; i < flags.length; i++) flags[i] = i % 3 === 0 ? 1 : 0;
      net.variable('I.spike')!.value.fill(1);
      await run(0.1);
      await run(41.9, 7);
    });
  });

  test('a later loop reading the flags sees this step\'s; a second writer of the flags keeps the stores; both equal to interp', async () => {
    const make = (extra: 'reader' | 'writer') => () => {
      const E = new LIF(300, { V0: -55, I: 16 });
      const objs: Record<string, object> = { E, EE: new ExpCOBA(E, E, new FixedProb(0.05), { weight: 0.6, tau: 5, E: 0 }) };
      objs.X = extra === 'reader' ? new FlagReader(E, E, new FixedProb(0.01)) : new EveryOther(E, E, new FixedProb(0.01));
      return new Network(objs as never, { seed: 9 });
    };
    const plans = (extra: 'reader' | 'writer') => sparseFlags(useSpikeLists(make(extra)().build().stepPlan({ monitors: ['E.spike'] } as never)));
    expect(plans('reader').prelude?.length).toBe(1);
    expect(plans('writer').prelude).toBeUndefined();
    expect(loopsWriting(plans('writer').step, 'E$spike').join('')).toMatch(/E\$spike\[lv\$\d+\] = 0/);
    for (const extra of ['reader', 'writer'] as const) {
      const res = await runAll(make(extra), [3.3, 12], { monitors: ['E.spike'] });
      expect(res.interp.spikes.length).toBeGreaterThan(50);
      for (const b of CPU) {
        expect(res[b].spikes).toEqual(res.interp.spikes);
        expect(res[b].state).toEqual(res.interp.state);
      }
    }
  });

  test('a flag nothing scans gets a list for its sparse stores (LIF alone), unless sparseFlags is off; equal to interp', async () => {
    const make = () => new Network({ N: new LIF(97, { V0: -60, I: 40 }) });
    const on = cpuPlan(make().build().stepPlan({} as never));
    expect(on.bindings.some((b) => b.id === 'N$spike$list')).toBe(true);
    expect(printPlan(on)).not.toMatch(/N\$spike\[lv\$\d+\] = 0/);
    const off = cpuPlan(make().build().stepPlan({} as never), { sparseFlags: false });
    expect(off.bindings.some((b) => b.id === 'N$spike$list')).toBe(false);
    // the flags (and V) after each of many short run() calls, the neurons spread so that some spike at most steps
    const after: Record<string, number[][]> = {};
    for (const backend of ['interp', ...CPU]) {
      const net = make().build();
      const V = net.variable('N.V')!.value;
      for (let i = 0; i < V.length; i++) V[i] = -60 + (i * 10) / 97;
      after[backend] = [];
      for (let k = 0; k < 60; k++) {
        await net.run(0.1 * (1 + (k % 4)), { dt: 0.1, backend });
        after[backend].push([...Array.from(net.variable('N.spike')!.value as ArrayLike<number>), ...Array.from(V)]);
      }
    }
    expect(after.interp.filter((x) => x.slice(0, 97).some((f) => f !== 0)).length).toBeGreaterThan(20);
    for (const b of CPU) expect(after[b]).toEqual(after.interp);
  });

  test('not where the flag is set twice, or cleared after its set (Flags, TwoSets)', () => {
    for (const make of [() => new Flags(31), () => new TwoSets(31)]) {
      const plan = sparseFlags(useSpikeLists(new Network({ A: make() }).build().stepPlan({ monitors: ['A.spike'] } as never)));
      expect(plan.prelude).toBeUndefined();
    }
  });
});

describe('scalar replacement', () => {
  test('fused neuron loops keep V and input in locals; arrays reached elsewhere stay in memory', () => {
    const net = coba(1).build();
    const plain = printPlan(rotateStep(useSpikeLists(net.stepPlan({ monitors: ['E.spike'] } as never))));
    const text = printPlan(scalarize(rotateStep(useSpikeLists(net.stepPlan({ monitors: ['E.spike'] } as never)))));
    expect(plain).not.toMatch(/E\$V\$r/);
    expect(text).toMatch(/let E\$V\$r = E\$V\[lv\$\d+\]/);
    // input: the fused loop knows it holds 0 (the neurons cleared it last step): no load (see 'settled elements')
    expect(text).toMatch(/let E\$input\$r = 0\n/);
    // g is read once and written once per iteration: nothing to save
    expect(text).not.toMatch(/EE\$g\$r/);
    // integers only with `ints` (the wasm SIMD loops have no vector form of `| 0`)
    expect(text).not.toMatch(/E\$refractory\$r/);
    const ints = printPlan(scalarize(rotateStep(useSpikeLists(net.stepPlan({ monitors: ['E.spike'] } as never))), { ints: true }));
    expect(ints).toMatch(/E\$refractory\$r = \(\(E\$refractory\$r - 1\) \| 0\)/);
  });

  test('float32: a local rounds where the array would (a sum of 0.1s differs in double)', async () => {
    class Acc extends NeuGroup {
      x = new Variable(this.num);
      update() {
        for (let i = 0; i < this.num; i++) {
          this.x[i] += 0.1;
          this.x[i] += 0.1 * i;
          this.x[i] = this.x[i] * 1.0000001;
        }
      }
    }
    const res = await runAll(() => new Network({ A: new Acc(5) }, { precision: 'float32' }), [50], {});
    const plan = printPlan(scalarize(new Network({ A: new Acc(5) }, { precision: 'float32' }).build().stepPlan()));
    expect(plan).toMatch(/A\$x\$r = Math\.fround/);
    for (const b of CPU) expect(res[b].state).toEqual(res.interp.state);
    // the check has teeth: in double the sum would differ
    let d = 0; for (let s = 0; s < 500; s++) { d += 0.1; d += 0.1 * 4; d *= 1.0000001; }
    expect(res.interp.state['A.x'][4]).not.toBe(d);
  });

  test('an element overwritten before it is read is not loaded; a read, a compound or a conditional first write keeps the load', async () => {
    class FirstTouch extends NeuGroup {
      a = new Variable(this.num, { init: (i) => i });   // cleared first (in a block): no load
      b = new Variable(this.num, { init: (i) => i });   // written under a condition first: loaded
      c = new Variable(this.num, { init: (i) => i });   // `c = c + 1` first: loaded
      d = new Variable(this.num, { init: (i) => i });   // read first: loaded
      update() {
        for (let i = 0; i < this.num; i++) {
          const x = this.d[i] * 0.5;
          { this.a[i] = 0; }
          if (x > 1) this.b[i] = x;
          this.c[i] = this.c[i] + 1;
          this.a[i] += x; this.a[i] *= 2;
          this.b[i] += this.a[i]; this.b[i] *= 0.5;
          this.c[i] += this.b[i];
          this.d[i] = this.d[i] + this.c[i] * 1e-3;
        }
      }
    }
    const plan = printPlan(scalarize(new Network({ A: new FirstTouch(7) }).build().stepPlan()));
    expect(plan).toMatch(/let A\$a\$r = 0\n/);
    for (const v of 'bcd') expect(plan).toMatch(new RegExp(`let A\\$${v}\\$r = A\\$${v}\\[lv\\$\\d+\\]`));
    // and the values: the loads that stay are needed (interp reads the arrays themselves)
    const res = await runAll(() => new Network({ A: new FirstTouch(7) }), [3], {});
    for (const b of CPU) expect(res[b].state).toEqual(res.interp.state);
    expect(res.interp.state['A.b'].some((v, i) => v !== i)).toBe(true);
  });
});
