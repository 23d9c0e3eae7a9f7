/**
 * NMDA-mediated persistent activity in a small cortical network (in the spirit of Wang 1999/2002 and
 * Brunel & Wang 2001, much simplified): 400 excitatory and 100 inhibitory LIF neurons, recurrent
 * excitation through AMPA (fast) and NMDA (slow, Jahr–Stevens Mg²⁺ block) synapses, inhibition through
 * GABA_A synapses, and Ornstein–Uhlenbeck background current (models/inputs/ou.ts). A 100 ms stimulus to the excitatory
 * population switches the network into a self-sustained high-rate state that outlasts the stimulus
 * because the NMDA conductance (τ = 100 ms) bridges the inter-spike intervals; with NMDA removed the
 * activity dies out as soon as the stimulus ends. Conductances are in units of the leak conductance.
 *
 *   npx tsx examples/nmda-network.ts [--nmda 0.12] [--seed 5] [--out out/nmda-raster.svg]
 */
import { Network, SpikeMonitorData } from '../src';
import { FixedProb, One2One } from '../connectors';
import { LIF, AMPA, NMDA, GABAa, OUProcess, OUCurrent, constantInput } from '../models';
import { rasterSVG } from '../src/plots';
import { writeSVG } from '../src/node';

function option(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

async function simulate(gNMDA: number, seed: number) {
  const nE = 400, nI = 100, duration = 1000;
  const neuron = { tau: 20, Vrest: -70, Vth: -50, Vreset: -60, tRef: 2, V0: -65, V0sd: 3 };
  const E = new LIF(nE, neuron), I = new LIF(nI, { ...neuron, tau: 10, tRef: 1 });
  const noise = { mean: Number(option('mu', '16')), sigma: Number(option('sigma', '4')), tau: 5 };
  const bgE = new OUProcess(nE, noise), bgI = new OUProcess(nI, noise);
  const gAMPA = Number(option('ampa', '0.04')), gGABA = Number(option('gaba', '0.6'));
  const p = new FixedProb(0.1);
  const net = new Network({
    bgE, bgI, E, I,
    extE: new OUCurrent(bgE, E, new One2One()), extI: new OUCurrent(bgI, I, new One2One()),
    EE_ampa: new AMPA(E, E, p, { gMax: gAMPA }), EI_ampa: new AMPA(E, I, p, { gMax: gAMPA }),
    EE_nmda: new NMDA(E, E, p, { gMax: gNMDA }), EI_nmda: new NMDA(E, I, p, { gMax: gNMDA }),
    IE: new GABAa(I, E, p, { gMax: gGABA }), II: new GABAa(I, I, p, { gMax: gGABA }),
  }, { seed });
  const res = await net.run(duration, {
    dt: 0.1, monitors: ['E.spike', 'I.spike'],
    inputs: [['E.input', constantInput(Number(option('stim', '15')), 200, 300)]],
  });
  return { res, nE, nI, duration };
}

function rateIn(m: SpikeMonitorData, t0: number, t1: number): number {
  let n = 0;
  for (let e = 0; e < m.count; e++) if (m.times[e] >= t0 && m.times[e] < t1) n++;
  return n / m.num / ((t1 - t0) / 1000);
}

async function main() {
  const seed = Number(option('seed', '5'));
  const gNMDA = Number(option('nmda', '0.12'));
  const out = option('out', 'out/nmda-raster.svg');
  console.log('NMDA network: 400 E + 100 I LIF, AMPA + NMDA (Mg²⁺ block) recurrent excitation, GABA_A inhibition');
  console.log('  stimulus to E during 200–300 ms; rates (Hz) before / during / after (400–1000 ms)');
  for (const g of [gNMDA, 0]) {
    const { res, duration } = await simulate(g, seed);
    const Es = res.monitors['E.spike'] as SpikeMonitorData, Is = res.monitors['I.spike'] as SpikeMonitorData;
    const row = (m: SpikeMonitorData) => [rateIn(m, 0, 200), rateIn(m, 200, 300), rateIn(m, 400, duration)].map((r) => r.toFixed(1).padStart(6)).join(' ');
    console.log(`  gNMDA = ${String(g).padEnd(5)}  E ${row(Es)}   I ${row(Is)}   (run ${res.timings.run.toFixed(2)} s)`);
    if (g === gNMDA) {
      const svg = rasterSVG([
        { label: 'E', times: Es.times, indices: Es.indices, num: Es.num },
        { label: 'I', times: Is.times, indices: Is.indices, num: Is.num },
      ], { title: `NMDA persistent activity (gNMDA = ${g}), stimulus 200–300 ms`, xlim: [0, duration], rateBinMs: 5 });
      writeSVG(out, svg);
    }
  }
  console.log(`  raster ${out}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
