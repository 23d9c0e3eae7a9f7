/**
 * NMDA-mediated persistent activity in a small cortical network (in the spirit of Wang 1999/2002 and
 * Brunel & Wang 2001, much simplified): 400 excitatory and 100 inhibitory LIF neurons, recurrent
 * excitation through AMPA (fast) and NMDA (slow, Jahr–Stevens Mg²⁺ block) synapses, inhibition through
 * GABA_A synapses, and Ornstein–Uhlenbeck background current (models/inputs/ou.ts). A 100 ms stimulus to the excitatory
 * population switches the network into a self-sustained high-rate state that outlasts the stimulus
 * because the NMDA conductance (τ = 100 ms) bridges the inter-spike intervals; with NMDA removed the
 * activity dies out as soon as the stimulus ends. Conductances are in units of the leak conductance.
 *
 *   npx tsx examples/nmda-network.ts [--nmda 0.12] [--seed 5] [--out out/nmda-raster.svg] [--backend js|wasm|interp|gpu|auto]
 *                                    [--mu 16] [--sigma 4] [--ampa 0.04] [--gaba 0.6] [--stim 15]
 *   npx brainweave run examples/nmda-network.ts --seed 5 --plot out/nmda.png    # gNMDA = 0.12, through the CLI
 */
import { Network, SpikeMonitorData, TwoEndConn } from '../src';
import { FixedProb, One2One } from '../connectors';
import { LIF, AMPA, NMDA, GABAa, OUProcess, OUCurrent } from '../models';
import { rasterSVG } from '../src/plots';
import { writeSVG } from '../src/node';
import { exampleArgs, runMain } from './args';
import type { ScriptOptions } from '../src/node';

/**
 * A current step: `amp` added to every post neuron's input during [tStart, tEnd) ms. The stimulus is a member
 * of the network rather than a run's `inputs`, so `brainweave run` (which passes no inputs) has it too; put it
 * before its target so the target feels it in the same step, as it would feel a run's input.
 */
export class StepCurrent extends TwoEndConn {
  amp = 0; tStart = 0; tEnd = 0;
  update(t: number, dt: number) {
    if (t >= this.tStart - 1e-9 && t < this.tEnd - 1e-9) {
      for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.amp;
    }
  }
}

export interface NmdaOptions {
  /** NMDA peak conductance (0: no NMDA), in units of the leak conductance. */
  gNMDA?: number; gAMPA?: number; gGABA?: number;
  /** background OU current: mean and standard deviation */
  mu?: number; sigma?: number;
  /** stimulus to E during 200–300 ms */
  stim?: number;
  seed?: number;
}

/** The network: E (400), I (100), their OU backgrounds, AMPA/NMDA/GABA_A projections and the stimulus `stimE`. */
export function nmdaNetwork(o: NmdaOptions = {}): Network {
  const nE = 400, nI = 100;
  const neuron = { tau: 20, Vrest: -70, Vth: -50, Vreset: -60, tRef: 2, V0: -65, V0sd: 3 };
  const E = new LIF(nE, neuron), I = new LIF(nI, { ...neuron, tau: 10, tRef: 1 });
  const noise = { mean: o.mu ?? 16, sigma: o.sigma ?? 4, tau: 5 };
  const bgE = new OUProcess(nE, noise), bgI = new OUProcess(nI, noise);
  const gAMPA = o.gAMPA ?? 0.04, gGABA = o.gGABA ?? 0.6, gNMDA = o.gNMDA ?? 0.12;
  const p = new FixedProb(0.1);
  return new Network({
    // first, so E feels it in the step it is on (draws nothing from the stream: the rest is as without it)
    stimE: new StepCurrent(E, E, new One2One(), { amp: o.stim ?? 15, tStart: 200, tEnd: 300 }),
    bgE, bgI, E, I,
    extE: new OUCurrent(bgE, E, new One2One()), extI: new OUCurrent(bgI, I, new One2One()),
    EE_ampa: new AMPA(E, E, p, { gMax: gAMPA }), EI_ampa: new AMPA(E, I, p, { gMax: gAMPA }),
    EE_nmda: new NMDA(E, E, p, { gMax: gNMDA }), EI_nmda: new NMDA(E, I, p, { gMax: gNMDA }),
    IE: new GABAa(I, E, p, { gMax: gGABA }), II: new GABAa(I, I, p, { gMax: gGABA }),
  }, { seed: o.seed ?? 5 });
}

/** The network with NMDA (gNMDA = 0.12), for `brainweave run examples/nmda-network.ts` (seed 5 unless --seed). */
export default (o: Partial<ScriptOptions> = {}) => nmdaNetwork({ seed: o.seed });

function rateIn(m: SpikeMonitorData, t0: number, t1: number): number {
  let n = 0;
  for (let e = 0; e < m.count; e++) if (m.times[e] >= t0 && m.times[e] < t1) n++;
  return n / m.num / ((t1 - t0) / 1000);
}

async function main() {
  const a = exampleArgs({ seed: 5, nmda: 0.12, out: 'out/nmda-raster.svg', mu: 16, sigma: 4, ampa: 0.04, gaba: 0.6, stim: 15 });
  const gNMDA = a.nmda, duration = 1000;
  console.log('NMDA network: 400 E + 100 I LIF, AMPA + NMDA (Mg²⁺ block) recurrent excitation, GABA_A inhibition');
  console.log('  stimulus to E during 200–300 ms; rates (Hz) before / during / after (400–1000 ms)');
  for (const g of [gNMDA, 0]) {
    const net = nmdaNetwork({ gNMDA: g, gAMPA: a.ampa, gGABA: a.gaba, mu: a.mu, sigma: a.sigma, stim: a.stim, seed: a.seed });
    const res = await net.run(duration, { dt: 0.1, backend: a.backend, monitors: ['E.spike', 'I.spike'] });
    const Es = res.monitors['E.spike'] as SpikeMonitorData, Is = res.monitors['I.spike'] as SpikeMonitorData;
    const row = (m: SpikeMonitorData) => [rateIn(m, 0, 200), rateIn(m, 200, 300), rateIn(m, 400, duration)].map((r) => r.toFixed(1).padStart(6)).join(' ');
    console.log(`  gNMDA = ${String(g).padEnd(5)}  E ${row(Es)}   I ${row(Is)}   (run ${res.timings.run.toFixed(2)} s, backend ${res.backend})`);
    if (g === gNMDA) {
      const svg = rasterSVG([
        { label: 'E', times: Es.times, indices: Es.indices, num: Es.num },
        { label: 'I', times: Is.times, indices: Is.indices, num: Is.num },
      ], { title: `NMDA persistent activity (gNMDA = ${g}), stimulus 200–300 ms`, xlim: [0, duration], rateBinMs: 5 });
      writeSVG(a.out, svg);
    }
  }
  console.log(`  raster ${a.out}`);
}

// only when run as a program, not when the CLI imports the network
if (require.main === module) runMain(main);
