/**
 * The seed's benchmark: one step of 1,000,000 LIF neurons (numpy in place: 7–8 ms on this machine kind;
 * the seed's numpy: 13.7 ms). brainweave's js backend next to the best JavaScript we can write by hand for
 * the same model (models/neurons/lif.ts: refractoriness as a step countdown, the drive added in the same
 * pass, spike flags cleared from the previous step's list), in the same process on copies of the same
 * arrays, alternating, median over --reps of --steps steps each; both must give the same spike count. The
 * wasm backend against hand-written C: bench/lif-ceiling.ts.
 * Run: node --require tsx/cjs bench/lif1m.ts [--n 1000000] [--steps 200] [--reps 5]
 */
import { Network } from '../src';
import { LIF } from '../models/neurons/lif';
import { median, fmt, now, arg } from './util';

interface LifState { V: Float32Array; ref: Int32Array; spike: Uint8Array; tLast: Float32Array; list: Int32Array; nList: number; spikes: number }

/**
 * LIF with defaults (tau 20, Vrest = Vreset −60, Vth −50, tRef 5, I 0) under a constant drive, float32 storage:
 * the model's arithmetic in the model's order, one pass per step, nothing but what the model writes. The
 * drive is read as float64 (measured: 2.04 against 2.20 ms per step reading the Float32Array itself; the
 * js backend keeps a run's array inputs in a Float64Array too).
 */
function bestLIF(st: LifState, drive: Float64Array, t0: number, dt: number, steps: number): void {
  const { V, ref, spike, tLast, list } = st;
  const n = V.length, nRef = Math.trunc(5 / dt + 1e-3);
  let nList = st.nList, spikes = st.spikes;
  for (let s = 0; s < steps; s++) {
    const t = t0 + s * dt;
    for (let k = 0; k < nList; k++) spike[list[k]] = 0;
    nList = 0;
    for (let i = 0; i < n; i++) {
      const r = ref[i];
      if (r > 1) { ref[i] = r - 1; continue; }
      const v = V[i];
      const nv = v + (-60 - v + drive[i] + 0) / 20 * dt;
      if (nv >= -50) { V[i] = -60; ref[i] = nRef; spike[i] = 1; tLast[i] = t; list[nList++] = i; } else { V[i] = nv; ref[i] = 0; }
    }
    spikes += nList;
  }
  st.nList = nList; st.spikes = spikes;
}

export async function benchLIF1M(n = arg('n', 1_000_000), steps = arg('steps', 200), reps = arg('reps', 5)) {
  const dt = 0.1;
  // drive: neuron i gets a current between 5 and 40 mV, so a spread of them fire (as in the seed)
  const drive = Float32Array.from({ length: n }, (_, i) => 5 + (35 * i) / n);
  const N = new LIF(n, { V0: -60 });
  const net = new Network({ N });
  const ours: number[] = [], ref: number[] = [];
  const st: LifState = { V: new Float32Array(n).fill(-60), ref: new Int32Array(n), spike: new Uint8Array(n), tLast: new Float32Array(n).fill(-1e7), list: new Int32Array(n), nList: 0, spikes: 0 };
  const drive64 = Float64Array.from(drive);
  let t = 0;
  for (let r = 0; r < reps; r++) {
    const res = await net.run(steps * dt, { dt, backend: 'js', inputs: [['N.input', drive]] });
    ours.push(res.timings.run / steps);
    const h0 = now();
    bestLIF(st, drive64, t, dt, steps); t += steps * dt;
    ref.push((now() - h0) / steps);
  }
  // the same model on the same drive: the same state, bit for bit (no spike monitor: millions of events)
  const V = N.V.value as Float32Array, rf = N.refractory.value as Int32Array;
  for (let i = 0; i < n; i++) if (!Object.is(V[i], st.V[i]) || rf[i] !== st.ref[i]) throw new Error(`LIF 1M: the js backend and the hand-written loop disagree at neuron ${i}`);
  const spikes = st.spikes;
  const row = { name: `LIF ${n.toLocaleString('en')} neurons, one step, js backend`, reference: 'best hand-written JS (bestLIF)', brainweave: median(ours), referenceSeconds: median(ref), ratio: median(ours) / median(ref) };
  console.log(`${row.name}: ${fmt(row.brainweave)} per step, ${row.reference} ${fmt(row.referenceSeconds)}, ratio ${row.ratio.toFixed(2)} (${spikes} spikes each)`);
  return row;
}

if (require.main === module) benchLIF1M();
