/**
 * A dense (all-to-all) version of the COBA network: 4000 LIF neurons, every pair connected (All2All without
 * self connections, 16M synapses), per-synapse weights drawn with the connectors' weight initialisers.
 * The weights have the same mean input per neuron as the sparse COBA (FixedProb(0.02) with Δg = 0.6 / 6.7),
 * i.e. mean weight 0.02·Δg, drawn uniform in [0, 2·0.02·Δg). Same mean drive, but without the sparse network's
 * input fluctuations: after an initial synchronous volley the dense network settles at a low rate (≈1.5 Hz at
 * seed 42, vs ≈20 Hz for the sparse COBA), the mean inhibitory conductance keeping every neuron below threshold.
 *
 *   npx tsx examples/dense-coba.ts [--num 4000] [--duration 200] [--seed 42] [--backend js|wasm|interp|gpu|auto]
 *   npx brainweave run examples/dense-coba.ts --seed 42 --duration 200 --plot out/dense-coba.png   # 4000 neurons, through the CLI
 *
 * Shows: a connector spec shared by four projections, `initWeights` aligned with the canonical synapse
 * order (so the weight of synapse k of pre2post row i is w[k]), and event-driven delivery of per-synapse
 * weights with `pre2postEventSum`.
 */
import { Network, TwoEndConn, NeuGroup, Variable, Params, SpikeMonitorData, pre2postEventSum } from '../src';
import { All2All, initWeights, uniform, WeightInit } from '../connectors';
import { LIF } from '../models/neurons/lif';
import { exampleArgs, runMain } from './args';
import type { ScriptOptions } from '../src/node';

type ConnSpec = ConstructorParameters<typeof TwoEndConn>[2];

/** Exponential conductance synapse with one weight per synapse, g per post neuron. */
class WeightedExpCOBA extends TwoEndConn {
  tau = 5; E = 0;
  pre2post = this.conn.require('pre2post');
  /** Per-synapse weights in canonical order, drawn at build time from the network's stream. */
  w = new Variable(() => this.conn.nSyn, { init: (s) => this.weights()[s] });
  g = new Variable(this.post.num);
  private wCache: Float64Array | null = null;
  constructor(pre: NeuGroup, post: NeuGroup, conn: ConnSpec, private readonly winit: WeightInit, params: Params = {}) {
    super(pre, post, conn, params);
  }
  private weights(): Float64Array {
    if (!this.wCache) this.wCache = initWeights(this.conn.connectivity, this.winit, this.rng);
    return this.wCache;
  }
  update(t: number, dt: number) {
    pre2postEventSum(this.g, this.pre2post, this.pre.spike, this.w);
    const decay = dt / this.tau;
    for (let j = 0; j < this.post.num; j++) {
      const g = this.g[j];
      this.post.input[j] += g * (this.E - this.post.V[j]);
      this.g[j] = g - g * decay;
    }
  }
}

/** The network: E (80% of num) and I, with four All2All projections EE, EI, IE, II. */
export function denseCobaNetwork(num = 4000, seed = 42): Network {
  const nE = Math.round(num * 0.8), nI = num - nE;
  const neuron = { tau: 20, Vth: -50, Vreset: -60, Vrest: -60, tRef: 5, I: 20, V0: -55, V0sd: 5 };
  const E = new LIF(nE, neuron), I = new LIF(nI, neuron);
  const conn = new All2All({ includeSelf: false });
  // mean input per neuron as in the sparse COBA: p·N·Δg with p = 0.02
  const we = uniform(0, 2 * 0.02 * 0.6 * (3200 / nE)), wi = uniform(0, 2 * 0.02 * 6.7 * (800 / nI));
  const exc = { tau: 5, E: 0 }, inh = { tau: 10, E: -80 };
  return new Network({
    E, I,
    EE: new WeightedExpCOBA(E, E, conn, we, exc), EI: new WeightedExpCOBA(E, I, conn, we, exc),
    IE: new WeightedExpCOBA(I, E, conn, wi, inh), II: new WeightedExpCOBA(I, I, conn, wi, inh),
  }, { seed });
}

/** The network, for `brainweave run examples/dense-coba.ts` (4000 neurons, seed 42 unless --seed). */
export default (o: Partial<ScriptOptions> = {}) => denseCobaNetwork(4000, o.seed ?? 42);

async function main() {
  const { num, duration, seed, backend } = exampleArgs({ num: 4000, duration: 200, seed: 42 });
  const net = denseCobaNetwork(num, seed);
  const t0 = performance.now();
  net.build();
  const tBuild = (performance.now() - t0) / 1000;
  const res = await net.run(duration, { dt: 0.1, backend, monitors: ['E.spike', 'I.spike'] });
  const sE = res.monitors['E.spike'] as SpikeMonitorData, sI = res.monitors['I.spike'] as SpikeMonitorData;
  const rate = (m: SpikeMonitorData) => m.count / m.num / (duration / 1000);
  const nSyn = net.objects.reduce((a, o) => a + (o.obj instanceof TwoEndConn ? o.obj.nSyn : 0), 0);
  console.log(`dense COBA: ${num} neurons, ${nSyn} synapses (All2All, no self), ${duration} ms, seed ${seed}`);
  console.log(`  rate E ${rate(sE).toFixed(2)} Hz   I ${rate(sI).toFixed(2)} Hz`);
  console.log(`  time connectivity+weights ${tBuild.toFixed(2)} s   compile ${res.timings.compile.toFixed(3)} s   run ${res.timings.run.toFixed(2)} s   backend ${res.backend}`);
}

// only when run as a program, not when the CLI imports the network
if (require.main === module) runMain(main);
