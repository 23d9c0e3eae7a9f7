/**
 * js against wasm on the zoo's neuron models, one model at a time, interleaved in one process: N unconnected
 * neurons under a constant input, ms per step (median). `auto` takes wasm; this shows where that is slower.
 * Both backends compute the same numbers (the conformance suite checks them bit for bit).
 *
 *   node --require tsx/cjs bench/zoo-backends.ts [--N 100000] [--steps 200] [--reps 5] [--float32 1]
 */
import '../src/node';
import { Network, NeuGroup } from '../src';
import * as zoo from '../models';
import { arg, median } from './util';

const N = arg('N', 100_000), steps = arg('steps', 200), reps = arg('reps', 5), dt = 0.05;
const precision = arg('float32', 0) ? 'float32' : 'float64';
const MODELS = ['LIF', 'ExpIF', 'AdEx', 'QuaIF', 'GIF', 'Izhikevich', 'FitzHughNagumo', 'HH', 'MorrisLecar'] as const;
const backends = ['js', 'wasm'];

(async () => {
  console.log(`${N} neurons, ${steps} steps per rep at dt ${dt} ms, ${reps} reps interleaved, ${precision}; node ${process.version}`);
  console.log('| model | js ms/step | wasm ms/step | wasm ÷ js |');
  console.log('|---|---|---|---|');
  for (const name of MODELS) {
    const Model = zoo[name] as unknown as new (n: number) => NeuGroup;
    const nets = backends.map(() => new Network({ N: new Model(N) }, { precision }));
    const input = nets[0].variablePaths().includes('N.input') ? [['N.input', 10] as [string, number]] : [];
    const run = (k: number, ms: number) => nets[k].run(ms, { dt, backend: backends[k], inputs: input });
    for (let k = 0; k < backends.length; k++) await run(k, 5); // compiled and warm
    const ms = backends.map(() => [] as number[]);
    for (let r = 0; r < reps; r++) {
      for (let j = 0; j < backends.length; j++) {
        const k = (j + r) % backends.length;
        ms[k].push(((await run(k, steps * dt)).timings.run / steps) * 1e3);
      }
    }
    const [js, wasm] = ms.map(median);
    console.log(`| ${name} | ${js.toFixed(3)} | ${wasm.toFixed(3)} | ${(wasm / js).toFixed(2)} |`);
    nets.forEach((n) => n.dispose());
  }
})();
