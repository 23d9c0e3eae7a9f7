/**
 * Song, Miller & Abbott (2000): competitive Hebbian learning through STDP (as Brian2's STDP example).
 * One LIF neuron (τm = 10 ms, Vrest = -74, Vth = -54, Vreset = -60 mV) receives 1000 Poisson inputs at 15 Hz
 * through conductance synapses (τe = 5 ms, Ee = 0 mV) with pair-based STDP (models/synapses/stdp.ts):
 * τ+ = τ- = 20 ms, A- / A+ = 1.05, weights in [0, gmax] starting uniform. The depression-dominated rule
 * makes the synapses compete: weights drift towards the bounds (a U-shaped, eventually bimodal
 * distribution) and the output rate falls. The learning rate is `--speedup` (default 5) × Brian2's so that
 * 20 s of simulated time show the effect; Brian2's example runs 100 s at speedup 1.
 *
 *   npx tsx examples/stdp.ts [--duration 20000] [--speedup 5] [--seed 3] [--backend js|wasm|interp|gpu|auto]
 *   npx brainweave run examples/stdp.ts --seed 3 --duration 20000 --monitor S.w --plot out/stdp.png   # through the CLI
 */
import { Network, RNG, SpikeMonitorData } from '../src';
import { All2All } from '../connectors';
import { LIF, PoissonGroup, PairSTDP } from '../models';
import { exampleArgs, runMain } from './args';
import type { ScriptOptions } from '../src/node';

/**
 * The network: `input` (N Poisson neurons), `neuron` (one LIF) and `S` (the plastic synapses), with the
 * initial weights w0 (uniform in [0, gmax), drawn from seed + 1).
 */
export function stdpNetwork(o: { seed?: number; speedup?: number; N?: number; gmax?: number } = {}) {
  const seed = o.seed ?? 3, speedup = o.speedup ?? 5, N = o.N ?? 1000, gmax = o.gmax ?? 0.01;
  const input = new PoissonGroup(N, { rate: 15 });
  const neuron = new LIF(1, { tau: 10, Vrest: -74, Vth: -54, Vreset: -60, tRef: 0, V0: -74 });
  const r = new RNG(seed + 1);
  const w0 = Float64Array.from({ length: N }, () => r.random() * gmax);
  const Aplus = 0.01 * gmax * speedup;
  const S = new PairSTDP(input, neuron, new All2All(), {
    tau: 5, E: 0, tauPlus: 20, tauMinus: 20, Aplus, Aminus: 1.05 * Aplus, wMax: gmax, weight: w0,
  });
  const net = new Network({ input, neuron, S }, { seed, precision: 'float64' });
  return { net, S, w0, N, gmax };
}

/** The network, for `brainweave run examples/stdp.ts` (speedup 5, seed 3 unless --seed). */
export default (o: Partial<ScriptOptions> = {}) => stdpNetwork({ seed: o.seed }).net;

function histogram(w: ArrayLike<number>, max: number, bins = 10): string {
  const h = new Array(bins).fill(0);
  for (let k = 0; k < w.length; k++) h[Math.min(bins - 1, Math.floor(w[k] / max * bins))]++;
  const top = Math.max(...h);
  return h.map((c, b) => `    ${(b / bins).toFixed(1)}–${((b + 1) / bins).toFixed(1)} ${'#'.repeat(Math.round(40 * c / top)).padEnd(40)} ${c}`).join('\n');
}

async function main() {
  const { seed, duration, speedup, backend } = exampleArgs({ seed: 3, duration: 20000, speedup: 5 });
  const dt = 0.1;
  const { net, S, w0, N, gmax } = stdpNetwork({ seed, speedup });

  console.log(`STDP (Song et al. 2000): ${N} Poisson inputs at 15 Hz → 1 LIF neuron, ${duration / 1000} s at dt = ${dt} ms`);
  console.log(`  initial weights / gmax:\n${histogram(w0, gmax)}`);
  const chunks = 4, chunk = duration / chunks;
  const t0 = performance.now();
  let ran = '';
  for (let c = 0; c < chunks; c++) {
    const res = await net.run(chunk, { dt, backend, monitors: ['neuron.spike'] });
    ran = res.backend;
    const rate = (res.monitors['neuron.spike'] as SpikeMonitorData).count / (chunk / 1000);
    const w = S.w.value;
    let mean = 0;
    for (let k = 0; k < N; k++) mean += w[k] / gmax / N;
    console.log(`  t = ${((c + 1) * chunk / 1000).toFixed(1).padStart(5)} s   output rate ${rate.toFixed(1).padStart(5)} Hz   mean w/gmax ${mean.toFixed(3)}`);
  }
  console.log(`  final weights / gmax:\n${histogram(S.w.value, gmax)}`);
  console.log(`  time ${((performance.now() - t0) / 1000).toFixed(2)} s   backend ${ran}`);
}

// only when run as a program, not when the CLI imports the network
if (require.main === module) runMain(main);
