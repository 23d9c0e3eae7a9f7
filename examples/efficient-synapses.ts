/**
 * BrainPy's "Efficient Synaptic Computation" tutorial in brainweave: the COBA network (Vogels & Abbott 2005;
 * 4000 LIF neurons, 3200 E + 800 I, FixedProb(0.02), exponential conductances) run with seven ways of
 * writing the same synapse, each an ordinary user model (a TwoEndConn subclass asking for a different
 * connectivity structure), timed side by side.
 *
 *   npx tsx examples/efficient-synapses.ts                  # 4000 neurons, 100 ms (as the tutorial)
 *   npx tsx examples/efficient-synapses.ts --num 1000 --duration 200 --only pre2post,pre_slice
 *   npx tsx examples/efficient-synapses.ts --backend gpu --precision float32   # js | wasm | interp | gpu | auto
 *   npx brainweave run examples/efficient-synapses.ts --duration 100 --seed 42   # the pre2post form, through the CLI
 *
 * A form that a backend cannot run (say, a float64 network on the float32-only gpu backend) gets a table row
 * saying why, and the others still run.
 *
 * All seven compute the same model: per step, g decays by forward Euler (g ← g − g·dt/τ), every spike of a
 * pre neuron adds `weight` to the conductance of each of its synapses, and post.input += Σg·(E − V).
 * Same seed → same connectivity and initial state, so the spike counts agree (up to floating-point
 * summation order, which can flip a spike late in a run).
 */
import { Network, TwoEndConn, NeuGroup, Variable, Params, SpikeMonitorData, BrainweaveError } from '../src';
import { barChartSVG } from '../src/plots';
import { writeSVG } from '../src/node';
import { FixedProb } from '../connectors';
import { LIF } from '../models/neurons/lif';
import { exampleArgs, runMain } from './args';
import type { ScriptOptions } from '../src/node';

type ConnSpec = ConstructorParameters<typeof TwoEndConn>[2];

/** Shared parameters: τ, Δg (weight), reversal potential E. */
abstract class ExpSyn extends TwoEndConn {
  tau = 5; weight = 0.6; E = 0;
  constructor(pre: NeuGroup, post: NeuGroup, conn: ConnSpec, params: Params = {}) { super(pre, post, conn, params); }
}

/** 1. conn_mat, one g per (pre, post) pair, every pair touched every step (BrainPy's SynMat1). */
export class SynMat1 extends ExpSyn {
  connMat = this.conn.require('conn_mat');
  g = new Variable(this.pre.num * this.post.num);
  update(t: number, dt: number) {
    const nPost = this.post.num;
    for (let i = 0; i < this.pre.num; i++) {
      const sp = this.pre.spike[i];
      for (let j = 0; j < nPost; j++) {
        const k = i * nPost + j;
        this.g[k] = this.g[k] - (this.g[k] / this.tau) * dt + sp * this.connMat[i][j] * this.weight;
      }
    }
    for (let j = 0; j < nPost; j++) {
      let sum = 0;
      for (let i = 0; i < this.pre.num; i++) sum += this.g[i * nPost + j];
      this.post.input[j] += sum * (this.E - this.post.V[j]);
    }
  }
}

/** 2. conn_mat, event-driven: only rows of spiking pre neurons get the increment (SynMat2). */
export class SynMat2 extends ExpSyn {
  connMat = this.conn.require('conn_mat');
  g = new Variable(this.pre.num * this.post.num);
  update(t: number, dt: number) {
    const nPost = this.post.num, n = this.pre.num * nPost;
    for (let k = 0; k < n; k++) this.g[k] = this.g[k] - (this.g[k] / this.tau) * dt;
    for (let i = 0; i < this.pre.num; i++) {
      if (this.pre.spike[i]) {
        for (let j = 0; j < nPost; j++) this.g[i * nPost + j] += this.connMat[i][j] * this.weight;
      }
    }
    for (let j = 0; j < nPost; j++) {
      let sum = 0;
      for (let i = 0; i < this.pre.num; i++) sum += this.g[i * nPost + j];
      this.post.input[j] += sum * (this.E - this.post.V[j]);
    }
  }
}

/** 3. pre_ids + post_ids, one g per synapse, one pass over the synapses (SynVec1). */
export class SynVec1 extends ExpSyn {
  preIds = this.conn.require('pre_ids');
  postIds = this.conn.require('post_ids');
  g = new Variable(() => this.conn.nSyn);
  update(t: number, dt: number) {
    for (let s = 0; s < this.preIds.length; s++) {
      let g = this.g[s] - (this.g[s] / this.tau) * dt;
      if (this.pre.spike[this.preIds[s]]) g += this.weight;
      this.g[s] = g;
      const j = this.postIds[s];
      this.post.input[j] += g * (this.E - this.post.V[j]);
    }
  }
}

/** 4. pre2syn + post2syn: spikes visit their own synapses; output gathers per post neuron (SynVec2). */
export class SynVec2 extends ExpSyn {
  pre2syn = this.conn.require('pre2syn');
  post2syn = this.conn.require('post2syn');
  g = new Variable(() => this.conn.nSyn);
  update(t: number, dt: number) {
    for (let s = 0; s < this.g.length; s++) this.g[s] = this.g[s] - (this.g[s] / this.tau) * dt;
    for (let i = 0; i < this.pre.num; i++) {
      if (this.pre.spike[i]) for (const s of this.pre2syn[i]) this.g[s] += this.weight;
    }
    for (let j = 0; j < this.post.num; j++) {
      let sum = 0;
      for (const s of this.post2syn[j]) sum += this.g[s];
      this.post.input[j] += sum * (this.E - this.post.V[j]);
    }
  }
}

/** 5. pre2post, one g per post neuron (conductances superpose) (SynVec3). */
export class SynVec3 extends ExpSyn {
  pre2post = this.conn.require('pre2post');
  g = new Variable(this.post.num);
  update(t: number, dt: number) {
    for (let j = 0; j < this.post.num; j++) this.g[j] = this.g[j] - (this.g[j] / this.tau) * dt;
    for (let i = 0; i < this.pre.num; i++) {
      if (this.pre.spike[i]) for (const j of this.pre2post[i]) this.g[j] += this.weight;
    }
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.g[j] * (this.E - this.post.V[j]);
  }
}

/**
 * 6. post_slice, one g per synapse stored in **CSC (post-major) order** (SynVec4). post_slice[j] = [start, end)
 * is a range of CSC entries, so the pre id of entry k must also come in CSC order: that is post2pre.indices
 * (the tutorial's `pre_ids` after BrainPy re-sorted it by post — the hidden reordering behind BrainPy
 * issue #695; here canonical pre_ids stays in CSR order and the CSC view has its own arrays).
 */
export class SynVec4 extends ExpSyn {
  postSlice = this.conn.require('post_slice');
  post2pre = this.conn.require('post2pre');
  g = new Variable(() => this.conn.nSyn);
  update(t: number, dt: number) {
    for (let k = 0; k < this.g.length; k++) {
      let g = this.g[k] - (this.g[k] / this.tau) * dt;
      if (this.pre.spike[this.post2pre.indices[k]]) g += this.weight;
      this.g[k] = g;
    }
    for (let j = 0; j < this.post.num; j++) {
      const start = this.postSlice[j][0], end = this.postSlice[j][1];
      let sum = 0;
      for (let k = start; k < end; k++) sum += this.g[k];
      this.post.input[j] += sum * (this.E - this.post.V[j]);
    }
  }
}

/** 7. pre_slice + post_ids, one g per post neuron (SynVec5). */
export class SynVec5 extends ExpSyn {
  preSlice = this.conn.require('pre_slice');
  postIds = this.conn.require('post_ids');
  g = new Variable(this.post.num);
  update(t: number, dt: number) {
    for (let j = 0; j < this.post.num; j++) this.g[j] = this.g[j] - (this.g[j] / this.tau) * dt;
    for (let i = 0; i < this.pre.num; i++) {
      if (this.pre.spike[i]) {
        const start = this.preSlice[i][0], end = this.preSlice[i][1];
        for (let k = start; k < end; k++) this.g[this.postIds[k]] += this.weight;
      }
    }
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.g[j] * (this.E - this.post.V[j]);
  }
}

export const IMPLEMENTATIONS = [
  ['mat 1', 'conn_mat', SynMat1], ['mat 2', 'conn_mat, event-driven', SynMat2], ['pre_ids', 'pre_ids + post_ids', SynVec1],
  ['pre2syn', 'pre2syn + post2syn', SynVec2], ['pre2post', 'pre2post', SynVec3], ['post_slice', 'post_slice + post2pre', SynVec4],
  ['pre_slice', 'pre_slice + post_ids', SynVec5],
] as const;

type SynClass = new (pre: NeuGroup, post: NeuGroup, conn: ConnSpec, params?: Params) => ExpSyn;

/** The tutorial's COBA: V0 ~ N(Vreset, 5), I = 20, four FixedProb(0.02) projections. */
export function tutorialCOBA(Syn: SynClass, num = 4000, seed = 42, precision: 'float32' | 'float64' = 'float64'): Network {
  const nE = Math.round(num * 0.75), nI = num - nE;
  const neuron = { tau: 20, Vth: -50, Vreset: -60, Vrest: -60, tRef: 5, I: 20, V0: -60, V0sd: 5 };
  const E = new LIF(nE, neuron), I = new LIF(nI, neuron);
  const conn = new FixedProb(0.02);
  const exc = { tau: 5, weight: 0.6, E: 0 }, inh = { tau: 10, weight: 6.7, E: -80 };
  return new Network({
    E, I,
    E2E: new Syn(E, E, conn, exc), E2I: new Syn(E, I, conn, exc),
    I2E: new Syn(I, E, conn, inh), I2I: new Syn(I, I, conn, inh),
  }, { seed, precision });
}

/** The pre2post form (SynVec3, the fastest on a CPU), for `brainweave run examples/efficient-synapses.ts` (seed 42 unless --seed). */
export default (o: Partial<ScriptOptions> = {}) => tutorialCOBA(SynVec3, 4000, o.seed ?? 42);

async function main() {
  const a = exampleArgs({ num: 4000, duration: 100, seed: 42, only: '', precision: 'float64', out: 'out/efficient-synapses.svg' });
  const { num, duration, seed, backend, out } = a, dt = 0.1;
  const only = a.only.split(',').filter(Boolean);
  const precision = a.precision as 'float32' | 'float64';
  const unknown = only.filter((l) => !IMPLEMENTATIONS.some(([label]) => label === l));
  if (unknown.length) throw new BrainweaveError(`--only: no form ${unknown.map((l) => `'${l}'`).join(', ')} (forms: ${IMPLEMENTATIONS.map(([l]) => l).join(', ')})`);
  console.log(`COBA ${num} neurons, FixedProb(0.02), ${duration} ms at dt = ${dt} ms, ${precision}, seed ${seed}, backend ${backend ?? 'auto (default)'}`);
  console.log('| version | structures | backend | build s | compile s | run s | spikes E | spikes I |');
  console.log('|---|---|---|---|---|---|---|---|');
  const names: string[] = [], times: number[] = [];
  for (const [label, structs, Syn] of IMPLEMENTATIONS) {
    if (only.length && !only.includes(label)) continue;
    const net = tutorialCOBA(Syn, num, seed, precision);
    const t0 = performance.now();
    net.build();
    const tBuild = (performance.now() - t0) / 1000;
    let res;
    try {
      res = await net.run(duration, { dt, backend, monitors: ['E.spike', 'I.spike'] });
    } catch (e) {
      // a form this backend has no translation for, a precision it lacks, a backend not available here
      if (!(e instanceof BrainweaveError)) throw e;
      console.log(`| ${label} | ${structs} | ${backend ?? 'auto'} | cannot run here: ${e.message.split('\n')[0]} |||||`);
      continue;
    }
    const E = res.monitors['E.spike'] as SpikeMonitorData, I = res.monitors['I.spike'] as SpikeMonitorData;
    console.log(`| ${label} | ${structs} | ${res.backend} | ${tBuild.toFixed(3)} | ${res.timings.compile.toFixed(3)} | ${res.timings.run.toFixed(3)} | ${E.count} | ${I.count} |`);
    names.push(label); times.push(res.timings.run);
  }
  if (!names.length) {
    console.log(`no form ran on backend ${backend ?? 'auto'}; no bar chart written`);
    return;
  }
  // the tutorial's figure: run time per implementation, log scale
  writeSVG(out, barChartSVG(names, times, { logY: true, ylabel: 'Running time [s]', title: `COBA ${num} neurons, ${duration} ms: synapse implementations` }));
  console.log(`bar chart ${out}`);
}

// only when run as a program, not when the CLI imports the network
if (require.main === module) runMain(main);
