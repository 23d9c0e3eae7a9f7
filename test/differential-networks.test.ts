/**
 * Random networks, compiled. Neuron and synapse classes come from seeded templates: refractory countdowns or
 * none; spikes stored as comparisons, as 1/0, or cleared first and set on firing; the input cleared before or
 * after it is read; delivery by the library operator or by a hand-written scatter over pre2post; plastic
 * per-synapse weights changed through pre2post and post2syn rows; one or two groups of one size, so loops
 * fuse. Their dynamics hold random expressions (the grammar of test/fuzz-grammar.ts); zoo synapses (delays,
 * gap junctions, STP, NMDA, alpha, triplet STDP) join some projections, and a run's inputs (numbers, arrays,
 * functions of t; +, −, ×, =) some runs. Each network runs on interp and on the compiled backends (wasm also
 * with every element-wise loop split across worker threads), in one run and in two runs with short chunks
 * and a checkpoint between them, and every Variable and every monitor must be equal bit for bit. The CPU plan
 * rewrites (spike lists, sparse flags, rotation, sunk clears, scalar replacement, outlining) must each be
 * exact on whatever a model does, not only on the zoo's models.
 */
import { Network, NeuGroup, TwoEndConn, Variable, Precision, MonitorSpec, InputSpec, pre2postEventSum } from '../src';
import '../src/node/wasm-threads';
import { FixedProb } from '../connectors';
import * as Z from '../models';
import { Gen, rng } from './fuzz-grammar';

interface Built { make: () => Network; source: string; inputs: InputSpec[] }
type InputValue = Extract<InputSpec, unknown[]>[1];
type InputOp = NonNullable<Extract<InputSpec, unknown[]>[2]>;

type Conn = ConstructorParameters<typeof Z.ExpCOBA>[2];
const ZOO: { name: string; make: (pre: NeuGroup, post: NeuGroup, c: Conn) => object }[] = [
  { name: 'DeltaCurrent, delay 1.3 ms', make: (a, b, c) => new Z.DeltaCurrent(a, b, c, { weight: 0.3, delay: 1.3 }) },
  { name: 'DeltaSynapse, delay 0.5 ms', make: (a, b, c) => new Z.DeltaSynapse(a, b, c, { weight: 0.05, delay: 0.5 }) },
  { name: 'GapJunction', make: (a, b, c) => new Z.GapJunction(a, b, c, { gc: 0.05 }) },
  { name: 'STP', make: (a, b, c) => new Z.STP(a, b, c) },
  { name: 'NMDA', make: (a, b, c) => new Z.NMDA(a, b, c) },
  { name: 'AlphaCOBA', make: (a, b, c) => new Z.AlphaCOBA(a, b, c, { weight: 0.5 }) },
  { name: 'TripletSTDP', make: (a, b, c) => new Z.TripletSTDP(a, b, c) },
];

/** the helper methods the grammar calls (this.h, this.k) */
const HELPERS = 'h(a, b) { return a * 0.5 - b; }\n  k(a, b) { if (a > b) return a - 1; return 0.5 * b; }';

function build(seed: number, precision: Precision): Built {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const clamp = (e: string) => `Math.max(-5, Math.min(5, ${e}))`;
  const props = ['this.flag'];
  const neuron = (name: string) => {
    // how the spike flag is written: as a comparison, as 1/0 in both branches, or cleared first and set on
    // firing (as the zoo's LIF does; what sparse-flags.ts rewrites)
    const refr = r() < 0.6, mode = pick(['bool', 'both', 'set', 'set']), clearFirst = r() < 0.3;
    const boolSpike = mode === 'bool';
    const dv = new Gen(r, ['v', 'inp', 'a', 't', 'dt', 'this.p'], props).num(3);
    const da = new Gen(r, ['v', 'a', 'dt', 'this.p'], props).num(2);
    const fire = [
      boolSpike ? '        this.spike[i] = nv > this.th;' : '',
      '        if (nv > this.th) {',
      `          this.V[i] = this.reset;${boolSpike ? '' : ' this.spike[i] = 1;'}${refr ? ` this.refractory[i] = ${pick([1, 3, 7])};` : ''} this.a[i] += 0.2;`,
      `        } else { this.V[i] = nv;${mode === 'both' ? ' this.spike[i] = 0;' : ''} }`,
    ].filter(Boolean);
    return `class ${name} extends NeuGroup {
  th = 1; reset = 0; tau = ${pick([5, 10, 20])}; drive = ${pick([1.5, 2, 3])}; p = ${pick([0.5, 1.5])}; flag = ${pick(['true', 'false'])};
  V = new Variable(this.num, { init: (i) => ((i * 0.618) % 1) * 0.9 });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  refractory = new Variable(this.num, { dtype: 'int32' });
  a = new Variable(this.num);
  ${HELPERS}
  update(t, dt) {
    for (let i = 0; i < this.num; i++) {
      const v = this.V[i], a = this.a[i];
      const inp = this.input[i];${clearFirst ? '\n      this.input[i] = 0;' : ''}${mode === 'set' ? '\n      this.spike[i] = 0;' : ''}
${refr ? `      if (this.refractory[i] > 0) { this.refractory[i] -= 1;${mode === 'set' ? '' : ' this.spike[i] = 0;'} } else {` : '      {'}
        const nv = v + dt * ((this.drive - v) / this.tau + inp + 0.1 * ${clamp(dv)});
${fire.join('\n')}
      }
      this.a[i] = a - dt * 0.05 * ${clamp(da)};${clearFirst ? '' : '\n      this.input[i] = 0;'}
    }
  }
}`;
  };
  // per-synapse weights changed by pre and post spikes through pre2post and post2syn rows (as the STDP
  // models do), delivered with the weight array
  const plastic = (name: string) => {
    const dep = new Gen(r, ['wk', 'y', 'dt'], ['this.flag']).num(2), pot = new Gen(r, ['ws', 'x', 'dt'], ['this.flag']).num(2);
    return `class ${name} extends TwoEndConn {
  tau = ${pick([2, 5])}; E = ${pick([0, 2])}; flag = ${pick(['true', 'false'])};
  pre2post = this.conn.require('pre2post');
  post2syn = this.conn.require('post2syn');
  preIds = this.conn.require('pre_ids');
  w = new Variable(() => this.conn.nSyn, { init: (s) => 0.05 + 0.01 * (s % 7) });
  x = new Variable(this.pre.num);
  y = new Variable(this.post.num);
  g = new Variable(this.post.num);
  ${HELPERS}
  update(t, dt) {
    for (let i = 0; i < this.pre.num; i++) this.x[i] *= 0.9;
    for (let j = 0; j < this.post.num; j++) { this.y[j] *= 0.8; this.g[j] *= 0.7; }
    for (let i = 0; i < this.pre.num; i++) {
      if (this.pre.spike[i]) {
        this.x[i] += 1;
        for (let k = this.pre2post.indptr[i]; k < this.pre2post.indptr[i + 1]; k++) {
          const y = this.y[this.pre2post.indices[k]], wk = this.w[k];
          this.w[k] = Math.max(0, Math.min(1, wk - 0.01 * ${clamp(dep)}));
        }
      }
    }
    pre2postEventSum(this.g, this.pre2post, this.pre.spike, this.w);
    for (let j = 0; j < this.post.num; j++) {
      if (this.post.spike[j]) {
        this.y[j] += 1;
        for (let k = this.post2syn.indptr[j]; k < this.post2syn.indptr[j + 1]; k++) {
          const s = this.post2syn.indices[k], ws = this.w[s], x = this.x[this.preIds[s]];
          this.w[s] = Math.max(0, Math.min(1, ws + 0.01 * ${clamp(pot)}));
        }
      }
    }
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.g[j] * (this.E - this.post.V[j]);
  }
}`;
  };
  const synapse = (name: string) => {
    if (r() < 0.25) return plastic(name);
    const scatter = r() < 0.35;
    const out = new Gen(r, ['g', 'vp', 'this.E', 't', 'dt'], ['this.flag']).num(2);
    const deliver = scatter
      ? '    for (let i = 0; i < this.pre.num; i++) if (this.pre.spike[i]) for (const j of this.pre2post[i]) this.g[j] += this.w;'
      : '    pre2postEventSum(this.g, this.pre2post, this.pre.spike, this.w);';
    return `class ${name} extends TwoEndConn {
  w = ${pick([0.05, 0.2, -0.3])}; tau = ${pick([2, 5])}; E = ${pick([0, 2, -1])}; flag = ${pick(['true', 'false'])};
  g = new Variable(this.post.num);
  pre2post = this.conn.require('pre2post');
  ${HELPERS}
  update(t, dt) {
${deliver}
    const decay = dt / this.tau;
    for (let j = 0; j < this.post.num; j++) {
      const g = this.g[j], vp = this.post.V[j];
      this.post.input[j] += 0.1 * ${clamp(out)};
      this.g[j] = g - g * decay;
    }
  }
}`;
  };
  const nA = 24, nB = r() < 0.5 ? 24 : 16;
  const pairs = [['A', 'A'], ['A', 'B'], ['B', 'A'], ['B', 'B']].filter(() => r() < 0.6);
  if (!pairs.length) pairs.push(['A', 'B']);
  // some projections are the zoo's synapses (delays through ring buffers, gap junctions, short-term
  // plasticity, NMDA, triplet STDP, …) on the random neurons
  const zoo = pairs.map(() => (r() < 0.3 ? pick(ZOO) : null));
  const own = pairs.filter((_, k) => !zoo[k]);
  const source = [neuron('NA'), neuron('NB'), ...own.map(([a, b]) => synapse(`S${a}${b}`))].join('\n')
    + pairs.map(([a, b], k) => (zoo[k] ? `\n// S${a}${b}: ${zoo[k]!.name}` : '')).join('');
  const classes = new Function('NeuGroup', 'TwoEndConn', 'Variable', 'pre2postEventSum',
    `${source}\nreturn { NA, NB, ${own.map(([a, b]) => `S${a}${b}`).join(', ')} };`)(NeuGroup, TwoEndConn, Variable, pre2postEventSum);
  const p = pick([0.1, 0.3]);
  // a run's inputs (input-loops.ts fuses numbers and arrays into the loops that read them): a number, an
  // array, a function of t giving a number or an array; added, subtracted, multiplied or assigned
  const inputs: [string, InputValue, InputOp][] = [];
  for (let k = 0, n = Math.floor(r() * 3); k < n; k++) {
    const [g, size] = pick([['A', nA], ['B', nB]] as const);
    const target = `${g}.${pick(['input', 'input', 'a'])}`, op = pick<InputOp>(['+', '-', '*', '=']);
    const c = 0.05 + r() * 0.2;
    const value = pick([
      c, Float64Array.from({ length: size }, (_, i) => c * ((i * 7) % 5)),
      (t: number) => c * Math.sin(t), (t: number) => Array.from({ length: size }, (_, i) => c * Math.cos(t + i)),
    ]);
    inputs.push([target, value, op]);
  }
  return {
    source: `${source}\n// inputs: ${inputs.map(([t, v, o]) => `${t} ${o} ${typeof v === 'function' ? v.toString() : typeof v === 'number' ? v : 'array'}`).join('; ')}`,
    inputs,
    make: () => {
      const A = new classes.NA(nA), B = new classes.NB(nB);
      const G: Record<string, NeuGroup> = { A, B };
      const members: Record<string, object> = { A, B };
      pairs.forEach(([a, b], k) => {
        const z = zoo[k];
        members[`S${a}${b}`] = z ? z.make(G[a], G[b], new FixedProb(p)) : new classes[`S${a}${b}`](G[a], G[b], new FixedProb(p));
      });
      return new Network(members as never, { precision, seed: seed + 11 });
    },
  };
}

/**
 * 20 ms at dt 0.1 in one run; `split`: in two runs (7.3 + 12.7 ms) with 13-step chunks, the second in a new
 * network restored from the first's checkpoint, which must give the same state (time is a step count) and,
 * run for run, the same records.
 */
async function runOn(b: Built, backend: string, split = false) {
  const net = b.make().build();
  // wasm/threads: every element-wise loop split across two workers and the main thread, however short
  const threads = backend === 'wasm/threads' ? { wasm: { threads: 3, threadMinTrip: 1 } } : {};
  const opts = { dt: 0.1, backend: backend.split('/')[0], checkEvery: 0, inputs: b.inputs, monitors: ['A.spike', 'B.spike', { target: 'A.V', every: 7 }] as MonitorSpec[], ...threads };
  let last = net;
  const runs = [await net.run(split ? 7.3 : 20, split ? { ...opts, chunk: 13 } : opts)];
  if (split) {
    // the second run continues from a checkpoint, in a network built anew
    last = b.make().build();
    await last.restore(net.checkpoint());
    runs.push(await last.run(12.7, { ...opts, chunk: 13 }));
  }
  net.dispose(); last.dispose();
  const out: Record<string, number[]> = Object.fromEntries(last.variablePaths().map((p) => [p, Array.from(last.variable(p)!.value as ArrayLike<number>)]));
  // spike records as network step numbers, so one run and two runs compare
  for (const m of ['A.spike', 'B.spike']) {
    const steps: number[] = [], indices: number[] = [];
    let base = 0;
    for (const res of runs) {
      const s = res.monitors[m] as { indices: Int32Array; steps: Int32Array };
      steps.push(...Array.from(s.steps, (x) => x + base)); indices.push(...s.indices);
      base += res.steps;
    }
    out[`${m} monitor`] = [...steps, ...indices];
  }
  if (!split) out['A.V monitor'] = Array.from((runs[0].monitors['A.V'] as { data: ArrayLike<number> }).data);
  return out;
}

const NETWORKS = Number(process.env.FUZZ_NETWORKS ?? 60);

describe.each(['float64', 'float32'] as Precision[])('random networks (%s)', (precision) => {
  test.each(['js', 'wasm', 'wasm/threads'])('%s equals interp bit for bit, spike monitors included, in one run and in two with a checkpoint between', async (backend) => {
    let spikes = 0;
    for (let seed = 1; seed <= NETWORKS; seed++) {
      const b = build(seed, precision);
      const ref = await runOn(b, 'interp');
      const got = await runOn(b, backend), split = await runOn(b, backend, true);
      for (const [what, x] of [['', got], [', run in two', split]] as const) {
        for (const k of Object.keys(x)) {
          const i = ref[k].findIndex((v, j) => !Object.is(v, x[k][j]));
          if (i >= 0 || ref[k].length !== x[k].length) {
            throw new Error(`network ${seed} on ${backend} (${precision}${what}): ${k}[${i}] is ${x[k][i]}, interp ${ref[k][i]} (lengths ${x[k].length}, ${ref[k].length})\n${b.source}`);
          }
        }
      }
      spikes += ref['A.spike monitor'].length / 2;
    }
    expect(spikes).toBeGreaterThan(NETWORKS * 20); // the networks spike, so delivery runs
  }, 300_000);
});
