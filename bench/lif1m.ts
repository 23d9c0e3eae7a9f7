/**
 * The seed's benchmark: one step of 1,000,000 LIF neurons (numpy in place: 7–8 ms on this machine kind;
 * the seed's numpy: 13.7 ms). brainweave's LIF model compiled, next to a hand-written JS loop doing the
 * same arithmetic on the same arrays' copies, alternating, median over --reps of --steps steps each.
 * Run: npx tsx bench/lif1m.ts [--n 1000000] [--steps 200] [--reps 5]
 */
import { Network } from '../src';
import { LIF } from '../models/neurons/lif';
import { median, fmt, now, arg } from './util';

/** What a careful person writes by hand: one function, the step loop inside, arrays and sizes in locals. */
function handRun(V: Float32Array, inp: Float32Array, tl: Float32Array, sp: Uint8Array, I: Float32Array, t0: number, dt: number, steps: number): void {
  const n = V.length;
  for (let s = 0; s < steps; s++) {
    const t = t0 + s * dt;
    for (let i = 0; i < n; i++) inp[i] += I[i];
    for (let i = 0; i < n; i++) {
      sp[i] = 0;
      if (t - tl[i] > 5) {
        const v = V[i] + ((-60 - V[i]) + inp[i] + 0) / 20 * dt;
        if (v >= -50) { V[i] = -60; sp[i] = 1; tl[i] = t; } else V[i] = v;
      }
      inp[i] = 0;
    }
  }
}

export async function benchLIF1M(n = arg('n', 1_000_000), steps = arg('steps', 200), reps = arg('reps', 5)) {
  const dt = 0.1;
  // drive: neuron i gets a current between 5 and 40 mV, so a spread of them fire (as in the seed)
  const drive = Float32Array.from({ length: n }, (_, i) => 5 + (35 * i) / n);
  const N = new LIF(n, { V0: -60 });
  const net = new Network({ N });
  const ours: number[] = [], ref: number[] = [];
  const V = new Float32Array(n).fill(-60), inp = new Float32Array(n), tl = new Float32Array(n).fill(-1e7), sp = new Uint8Array(n);
  let tRef = 0;
  for (let r = 0; r < reps; r++) {
    const res = await net.run(steps * dt, { dt, inputs: [['N.input', drive]] });
    ours.push(res.timings.run / steps);
    const h0 = now();
    handRun(V, inp, tl, sp, drive, tRef, dt, steps); tRef += steps * dt;
    ref.push((now() - h0) / steps);
  }
  const row = { name: `LIF ${n.toLocaleString('en')} neurons, one step`, brainweave: median(ours), reference: median(ref), ratio: median(ours) / median(ref) };
  console.log(`${row.name}: ${fmt(row.brainweave)} per step, hand-written JS ${fmt(row.reference)}, ratio ${row.ratio.toFixed(2)}`);
  return row;
}

if (require.main === module) benchLIF1M();
