/**
 * COBAHH: Brette et al. (2007) benchmark 3 (as the Brian2 and BrainPy "COBAHH" examples).
 * 3200 excitatory + 800 inhibitory Traub–Miles Hodgkin–Huxley neurons (models/neurons/traub-hh.ts),
 * FixedProb(0.02), exponential conductance synapses: we = 6 nS, τe = 5 ms, Ee = 0 mV; wi = 67 nS,
 * τi = 10 ms, Ei = -80 mV. Initial state as Brian2's script: V ~ El - 5 + 5·N(0,1) mV,
 * ge ~ (4 + 1.5·N(0,1))·10 nS, gi ~ (20 + 12·N(0,1))·10 nS, acting on V from the first step (step 0).
 *
 * Exponential Euler at dt = 0.1 ms, in one of two forms (`--form`, see TraubHH's doc comment):
 * - `brian2` (default): what Brian2's `exponential_euler` does with these equations. ge and gi enter the
 *   exponent of V's step (V relaxes with rate (gl + gNa m³h + gK n⁴ + ge + gi)/Cm), and they decay exactly,
 *   g ← g·exp(−dt/τ). The synapse class for this form (`ExpConductance`) is below.
 * - `current`: BrainPy's form with the library's `ExpCOBA`. The synaptic term g (E − V) is frozen as a
 *   current over the step, and g decays by forward Euler, g ← g (1 − dt/τ).
 * In both, the neuron in step s sees the conductance of step s: the initial g0 in step 0 (given to the
 * neurons directly, because synapses output after the neurons update), g0·decay in step 1, and so on. A
 * spike in step s raises g at the end of step s, and the neurons feel it from step s+1, as in Brian2.
 * Prints rates and writes a raster plot.
 *
 *   npx tsx examples/cobahh.ts [--duration 500] [--seed 42] [--form brian2|current] [--out out/cobahh-raster.svg]
 *                              [--backend js|wasm|interp|gpu|auto]
 *   npx brainweave run examples/cobahh.ts --seed 42 --duration 500 --plot out/cobahh.png   # brian2 form, through the CLI
 */
import { Network, RNG, SpikeMonitorData, TwoEndConn, Variable, pre2postEventSum } from '../src';
import { FixedProb } from '../connectors';
import { TraubHH, ExpCOBA } from '../models';
import { rasterSVG } from '../src/plots';
import { writeSVG } from '../src/node';
import { isiCV } from './stats';
import { exampleArgs, runMain } from './args';
import type { ScriptOptions } from '../src/node';

/** Exponential conductance synapse that hands the neuron g and g·E (TraubHH's `gsyn`, `gsynE`), decaying exactly. */
export class ExpConductance extends TwoEndConn {
  tau = 5; weight = 1; E = 0;
  g = new Variable(this.post.num);
  pre2post = this.conn.require('pre2post');
  update(t: number, dt: number) {
    pre2postEventSum(this.g, this.pre2post, this.pre.spike, this.weight);
    const decay = Math.exp(-dt / this.tau); // dg/dt = -g/τ solved exactly over the step
    for (let j = 0; j < this.post.num; j++) {
      const g = this.g[j];
      this.post.gsyn[j] += g;
      this.post.gsynE[j] += g * this.E;
      this.g[j] = g * decay;
    }
  }
}

export type SynapseForm = 'brian2' | 'current';
export interface CobahhOptions { nE?: number; nI?: number; seed?: number; dt?: number; form?: SynapseForm }

/**
 * The network, built (so its initial V is drawn), and the step-0 inputs that start it as Brian2's script does.
 * `init` holds the drawn initial conductances (nS) per target: ge and gi of E and of I.
 */
export function cobahhNetwork(o: CobahhOptions = {}) {
  const nE = o.nE ?? 3200, nI = o.nI ?? 800, seed = o.seed ?? 42, dt = o.dt ?? 0.1, form = o.form ?? 'brian2';
  if (form !== 'brian2' && form !== 'current') throw new Error(`cobahh: form must be 'brian2' or 'current', got '${String(form)}'`);
  const neuron = { V0: -65, V0sd: 5 };          // El - 5 mV ± 5 mV
  const E = new TraubHH(nE, neuron), I = new TraubHH(nI, neuron);
  const conn = new FixedProb(0.02);
  const exc = { weight: 6, tau: 5, E: 0 }, inh = { weight: 67, tau: 10, E: -80 };
  const Syn = form === 'brian2' ? ExpConductance : ExpCOBA;
  const net = new Network({
    E, I,
    EE: new Syn(E, E, conn, exc), EI: new Syn(E, I, conn, exc),
    IE: new Syn(I, E, conn, inh), II: new Syn(I, I, conn, inh),
  }, { seed });
  net.build();

  // initial conductances (nS) from a separate stream, so the network's own stream is as without them
  const r = new RNG(seed + 1);
  const ge0 = (n: number) => Float64Array.from({ length: n }, () => (4 + 1.5 * r.normal()) * 10);
  const gi0 = (n: number) => Float64Array.from({ length: n }, () => (20 + 12 * r.normal()) * 10);
  const init = { geE: ge0(nE), geI: ge0(nI), giE: gi0(nE), giI: gi0(nI) };
  const once = (a: Float64Array) => (t: number) => (t < dt / 2 ? a : 0);
  const decay = (tau: number) => (form === 'brian2' ? Math.exp(-dt / tau) : 1 - dt / tau);
  const scaled = (a: Float64Array, k: number) => a.map((x) => x * k);
  // the synapses output g in step 0 for the neurons' step 1, so they start from g0 decayed once
  const inputs: [string, (t: number) => Float64Array | number][] = [
    ['EE.g', once(scaled(init.geE, decay(exc.tau)))], ['EI.g', once(scaled(init.geI, decay(exc.tau)))],
    ['IE.g', once(scaled(init.giE, decay(inh.tau)))], ['II.g', once(scaled(init.giI, decay(inh.tau)))],
  ];
  // step 0: the neurons get g0 directly
  for (const [G, ge, gi] of [['E', init.geE, init.giE], ['I', init.geI, init.giI]] as const) {
    if (form === 'brian2') {
      inputs.push([`${G}.gsyn`, once(ge.map((x, k) => x + gi[k]))]);
      inputs.push([`${G}.gsynE`, once(ge.map((x, k) => x * exc.E + gi[k] * inh.E))]);
    } else {
      const V0 = (G === 'E' ? E : I).V.value; // as drawn at build: the V the first step starts from
      inputs.push([`${G}.input`, once(ge.map((x, k) => x * (exc.E - V0[k]) + gi[k] * (inh.E - V0[k])))]);
    }
  }
  return { net, E, I, inputs, init };
}

/**
 * Adds step-0 inputs (functions of t, non-zero only at t = 0, as cobahhNetwork's `inputs`) to their Variables
 * before the first run, as the run would add them before step 0's updates: the Variables they target start
 * at 0, so a run without these inputs afterwards is the same run.
 */
export function preloadStartInputs(net: Network, inputs: [string, (t: number) => Float64Array | number][]): void {
  for (const [path, f] of inputs) {
    const v = net.variable(path);
    if (!v) throw new Error(`preloadStartInputs: the network has no Variable '${path}'`);
    const a = v.value, x = f(0);
    for (let k = 0; k < a.length; k++) a[k] += typeof x === 'number' ? x : x[k];
  }
}

/**
 * The network, for `brainweave run examples/cobahh.ts` (brian2 form, seed 42 unless --seed), with its
 * initial conductances already in the Variables (the CLI runs without `inputs`). Uses the run's dt, which the
 * exact decay of the initial conductances depends on.
 */
export default (o: Partial<ScriptOptions> = {}) => {
  const { net, inputs } = cobahhNetwork({ seed: o.seed ?? 42, dt: o.dt ?? 0.1 });
  preloadStartInputs(net, inputs);
  return net;
};

async function main() {
  const a = exampleArgs({ seed: 42, duration: 500, form: 'brian2', out: 'out/cobahh-raster.svg' });
  const { seed, duration, out } = a, form = a.form as SynapseForm;
  const dt = 0.1;
  const { net, E, I, inputs } = cobahhNetwork({ seed, dt, form });
  const res = await net.run(duration, { dt, backend: a.backend, monitors: ['E.spike', 'I.spike'], progress: true, inputs });
  const Es = res.monitors['E.spike'] as SpikeMonitorData, Is = res.monitors['I.spike'] as SpikeMonitorData;
  const rate = (m: SpikeMonitorData) => m.count / m.num / (duration / 1000);
  console.log(`COBAHH ${E.num + I.num} Traub–Miles HH neurons, ${duration} ms at dt = ${dt} ms (seed ${seed}, form ${form})`);
  console.log(`  rate   E ${rate(Es).toFixed(2)} Hz   I ${rate(Is).toFixed(2)} Hz`);
  console.log(`  CV ISI E ${isiCV(Es).toFixed(2)}   I ${isiCV(Is).toFixed(2)}`);
  console.log(`  time   compile ${res.timings.compile.toFixed(3)} s   run ${res.timings.run.toFixed(3)} s   backend ${res.backend}`);
  const svg = rasterSVG([
    { label: 'E', times: Es.times, indices: Es.indices, num: Es.num },
    { label: 'I', times: Is.times, indices: Is.indices, num: Is.num },
  ], { title: `COBAHH, ${E.num + I.num} Traub–Miles neurons (brainweave, ${form} form)`, xlim: [0, duration], rateBinMs: 5 });
  writeSVG(out, svg);
  console.log(`  raster ${out}`);
}

if (require.main === module) runMain(main);
