/**
 * Izhikevich (2003) "Simple model of spiking neurons", the 1000-neuron network of its Fig. 3:
 * 800 excitatory neurons (a = 0.02, b = 0.2, c = -65 + 15r², d = 8 - 6r²) and 200 inhibitory ones
 * (a = 0.02 + 0.08r, b = 0.25 - 0.05r, c = -65, d = 2), r ~ U(0, 1) per neuron; all-to-all coupling with
 * S = 0.5·U(0,1) from excitatory and -U(0,1) from inhibitory neurons (DeltaCurrent: I_j += S_ij for
 * each neuron i that fired); thalamic input 5·N(0,1) (exc.) or 2·N(0,1) (inh.) each millisecond.
 * As in the paper's MATLAB code, dt = 1 ms with V advanced in two 0.5 ms half steps.
 * Shows how to write a model with per-neuron parameters and noise in an example.
 *
 *   npx tsx examples/izhikevich-network.ts [--duration 1000] [--seed 1] [--out out/izhikevich-raster.svg]
 *                                          [--backend js|wasm|interp|gpu|auto]
 *   npx brainweave run examples/izhikevich-network.ts --dt 1 --seed 1 --plot out/izhikevich.png   # dt = 1 ms only
 */
import { Network, NeuGroup, Variable, Params, RNG, SpikeMonitorData, BrainweaveError } from '../src';
import { All2All } from '../connectors';
import { DeltaCurrent } from '../models';
import { rasterSVG } from '../src/plots';
import { writeSVG } from '../src/node';
import { exampleArgs, runMain } from './args';
import type { ScriptOptions } from '../src/node';

/** Izhikevich neurons with per-neuron (a, b, c, d) and thalamic noise, as in the paper's script. */
class IzhikevichPopulation extends NeuGroup {
  nExc = 800; noiseExc = 5; noiseInh = 2;
  r = new Variable(this.num, { init: () => this.rng.random() });
  a = new Variable(this.num, { init: (i) => (i < this.nExc ? 0.02 : 0.02 + 0.08 * this.r.value[i]) });
  b = new Variable(this.num, { init: (i) => (i < this.nExc ? 0.2 : 0.25 - 0.05 * this.r.value[i]) });
  c = new Variable(this.num, { init: (i) => (i < this.nExc ? -65 + 15 * this.r.value[i] ** 2 : -65) });
  d = new Variable(this.num, { init: (i) => (i < this.nExc ? 8 - 6 * this.r.value[i] ** 2 : 2) });
  V = new Variable(this.num, { init: -65 });
  u = new Variable(this.num, { init: (i) => this.b.value[i] * -65 });
  input = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });

  constructor(size: number, params: Params = {}) { super(size, params); }

  /** The paper's network is a 1 ms map: noise and synaptic input are per step, so another dt is another model. */
  override beforeRun(dt: number): void {
    if (dt !== 1) throw new BrainweaveError(`${this.name}: the Izhikevich (2003) network is a 1 ms map (V in two 0.5 ms half steps, thalamic noise and synaptic input once per step); run it at dt = 1 ms (brainweave run ... --dt 1), not dt = ${dt} ms`);
  }

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      const I = this.input[i] + (i < this.nExc ? this.noiseExc : this.noiseInh) * this.rng.normal();
      this.spike[i] = 0;
      if (this.V[i] >= 30) {         // the paper resets at the start of the next step
        this.V[i] = this.c[i]; this.u[i] += this.d[i];
      }
      let V = this.V[i];
      V += 0.5 * dt * (0.04 * V * V + 5 * V + 140 - this.u[i] + I);
      V += 0.5 * dt * (0.04 * V * V + 5 * V + 140 - this.u[i] + I);
      this.u[i] += dt * this.a[i] * (this.b[i] * V - this.u[i]);
      if (V >= 30) { V = 30; this.spike[i] = 1; }
      this.V[i] = V;
      this.input[i] = 0;
    }
  }
}

/** The network: P, N neurons of which the first nExc excitatory, and S, all-to-all weights drawn from seed + 1. */
export function izhikevichNetwork(seed = 1, N = 1000, nExc = 800): Network {
  const P = new IzhikevichPopulation(N, { nExc });
  // all-to-all, canonical synapse order s = i·N + j (pre-major)
  const r = new RNG(seed + 1);
  const S = Float64Array.from({ length: N * N }, (_, s) => (Math.floor(s / N) < nExc ? 0.5 * r.random() : -r.random()));
  return new Network({ P, S: new DeltaCurrent(P, P, new All2All(), { weight: S }) }, { seed, precision: 'float64' });
}

/** The network, for `brainweave run examples/izhikevich-network.ts --dt 1` (seed 1 unless --seed). */
export default (o: Partial<ScriptOptions> = {}) => izhikevichNetwork(o.seed ?? 1);

async function main() {
  const { seed, duration, out, backend } = exampleArgs({ seed: 1, duration: 1000, out: 'out/izhikevich-raster.svg' });
  const N = 1000, nExc = 800;
  const net = izhikevichNetwork(seed, N, nExc);
  const res = await net.run(duration, { dt: 1, backend, monitors: ['P.spike'] });

  const sp = res.monitors['P.spike'] as SpikeMonitorData;
  let nE = 0;
  for (let e = 0; e < sp.count; e++) if (sp.indices[e] < nExc) nE++;
  const rateE = nE / nExc / (duration / 1000), rateI = (sp.count - nE) / (N - nExc) / (duration / 1000);
  // population rhythm: dominant frequency of the excitatory population rate (1 ms bins)
  const bins = new Float64Array(Math.round(duration));
  for (let e = 0; e < sp.count; e++) if (sp.indices[e] < nExc) bins[sp.steps[e]]++;
  let best = 0, bestF = 0;
  for (let f = 2; f <= 80; f++) {
    let re = 0, im = 0;
    for (let k = 0; k < bins.length; k++) { re += bins[k] * Math.cos(2 * Math.PI * f * k / 1000); im += bins[k] * Math.sin(2 * Math.PI * f * k / 1000); }
    const p = re * re + im * im;
    if (p > best) { best = p; bestF = f; }
  }
  console.log(`Izhikevich (2003) network: ${nExc} excitatory + ${N - nExc} inhibitory, ${duration} ms at dt = 1 ms (seed ${seed})`);
  console.log(`  rate   E ${rateE.toFixed(2)} Hz   I ${rateI.toFixed(2)} Hz   dominant rhythm ≈ ${bestF} Hz`);
  console.log(`  time   compile ${res.timings.compile.toFixed(3)} s   run ${res.timings.run.toFixed(3)} s   backend ${res.backend}`);
  const ix = sp.indices, isE = (e: number) => ix[e] < nExc;
  const pick = (f: (e: number) => boolean, off: number) => {
    const t: number[] = [], i: number[] = [];
    for (let e = 0; e < sp.count; e++) if (f(e)) { t.push(sp.times[e]); i.push(ix[e] - off); }
    return { times: Float64Array.from(t), indices: Int32Array.from(i) };
  };
  const svg = rasterSVG([
    { label: 'E', ...pick(isE, 0), num: nExc },
    { label: 'I', ...pick((e) => !isE(e), nExc), num: N - nExc },
  ], { title: 'Izhikevich 2003, 1000 neurons (brainweave)', xlim: [0, duration], rateBinMs: 5 });
  writeSVG(out, svg);
  console.log(`  raster ${out}`);
}

// only when run as a program, not when the CLI imports the network
if (require.main === module) runMain(main);
