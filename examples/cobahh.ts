/**
 * COBAHH: Brette et al. (2007) benchmark 3 (as the Brian2 and BrainPy "COBAHH" examples).
 * 3200 excitatory + 800 inhibitory Traub–Miles Hodgkin–Huxley neurons (models/neurons/traub-hh.ts),
 * FixedProb(0.02), exponential conductance synapses: we = 6 nS, τe = 5 ms, Ee = 0 mV; wi = 67 nS,
 * τi = 10 ms, Ei = -80 mV. Initial state as Brian2's script: V ~ El - 5 + 5·N(0,1) mV,
 * ge ~ (4 + 1.5·N(0,1))·10 nS, gi ~ (20 + 12·N(0,1))·10 nS (given as inputs in the first step).
 * Exponential Euler at dt = 0.1 ms. Prints rates and writes a raster plot.
 *
 *   npx tsx examples/cobahh.ts [--duration 500] [--seed 42] [--out out/cobahh-raster.svg]
 */
import { Network, RNG, SpikeMonitorData } from '../src';
import { FixedProb } from '../connectors';
import { TraubHH, ExpCOBA } from '../models';
import { rasterSVG } from '../src/plots';
import { writeSVG } from '../src/node';
import { isiCV } from './stats';

function option(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

async function main() {
  const seed = Number(option('seed', '42'));
  const duration = Number(option('duration', '500'));
  const out = option('out', 'out/cobahh-raster.svg');
  const dt = 0.1, nE = 3200, nI = 800;

  const neuron = { V0: -65, V0sd: 5 };          // El - 5 mV ± 5 mV
  const E = new TraubHH(nE, neuron), I = new TraubHH(nI, neuron);
  const conn = new FixedProb(0.02);
  const exc = { weight: 6, tau: 5, E: 0 }, inh = { weight: 67, tau: 10, E: -80 };
  const net = new Network({
    E, I,
    EE: new ExpCOBA(E, E, conn, exc), EI: new ExpCOBA(E, I, conn, exc),
    IE: new ExpCOBA(I, E, conn, inh), II: new ExpCOBA(I, I, conn, inh),
  }, { seed });

  // initial conductances (nS), added once in the first step; a separate stream keeps the network's own
  const r = new RNG(seed + 1);
  const ge0 = (n: number) => Float64Array.from({ length: n }, () => (4 + 1.5 * r.normal()) * 10);
  const gi0 = (n: number) => Float64Array.from({ length: n }, () => (20 + 12 * r.normal()) * 10);
  const [geE, geI, giE, giI] = [ge0(nE), ge0(nI), gi0(nE), gi0(nI)];
  const once = (a: Float64Array) => (t: number) => (t < dt / 2 ? a : 0);

  const res = await net.run(duration, {
    dt, monitors: ['E.spike', 'I.spike'], progress: true,
    inputs: [['EE.g', once(geE)], ['EI.g', once(geI)], ['IE.g', once(giE)], ['II.g', once(giI)]],
  });
  const Es = res.monitors['E.spike'] as SpikeMonitorData, Is = res.monitors['I.spike'] as SpikeMonitorData;
  const rate = (m: SpikeMonitorData) => m.count / m.num / (duration / 1000);
  console.log(`COBAHH ${nE + nI} Traub–Miles HH neurons, ${duration} ms at dt = ${dt} ms (seed ${seed})`);
  console.log(`  rate   E ${rate(Es).toFixed(2)} Hz   I ${rate(Is).toFixed(2)} Hz`);
  console.log(`  CV ISI E ${isiCV(Es).toFixed(2)}   I ${isiCV(Is).toFixed(2)}`);
  console.log(`  time   compile ${res.timings.compile.toFixed(3)} s   run ${res.timings.run.toFixed(3)} s`);
  const svg = rasterSVG([
    { label: 'E', times: Es.times, indices: Es.indices, num: Es.num },
    { label: 'I', times: Is.times, indices: Is.indices, num: Is.num },
  ], { title: `COBAHH, ${nE + nI} Traub–Miles neurons (brainweave)`, xlim: [0, duration], rateBinMs: 5 });
  writeSVG(out, svg);
  console.log(`  raster ${out}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
