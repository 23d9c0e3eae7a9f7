/**
 * The seed's dense LIF network (examples/dense-network.ts): brainweave's event-driven dense delivery
 * (only rows of neurons that fired) next to a hand-written JS loop doing the seed's full I = W · fired
 * every step, on the same W and initial state, in the same process. Both must give the same spikes.
 * Run: npx tsx bench/dense.ts [--n 1000] [--reps 3]
 */
import { denseNetwork } from '../examples/dense-network';
import { median, fmt, now, arg } from './util';

function fullMatvecRun(V: Float32Array, W: Float32Array, n: number, steps: number, dt: number): number {
  const spike = new Uint8Array(n), Isyn = new Float32Array(n);
  const k = dt / 10;
  let count = 0;
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < n; i++) {
      if (!spike[i]) V[i] += k * (-V[i] + 0 + 1 * (Isyn[i] + 0.12 * 10));
      const fired = V[i] >= 1;
      spike[i] = fired ? 1 : 0;
      if (fired) { V[i] = 0; count++; }
      Isyn[i] = 0;
    }
    // the seed's I = W·fired as a full product (W stored pre × post: I[j] = Σ_i W[i, j] fired[i])
    for (let i = 0; i < n; i++) { const f = spike[i], b = i * n; for (let j = 0; j < n; j++) Isyn[j] += W[b + j] * f; }
  }
  return count;
}

export async function benchDense(n = arg('n', 1000), reps = arg('reps', 3)) {
  const ours: number[] = [], ref: number[] = [];
  let rate = 0;
  for (let r = 0; r < reps; r++) {
    const net = denseNetwork(n, 1 + r);
    const V0 = Float32Array.from((net.get('N') as any).V.value);
    const W = ((net.get('P') as any).W.data as Float32Array);
    const h0 = now(); const refCount = fullMatvecRun(V0, W, n, 10000, 0.1); ref.push(now() - h0);
    const res = await net.run(1000, { dt: 0.1, monitors: ['N.spike'] });
    const count = (res.monitors['N.spike'] as any).count;
    if (Math.abs(count - refCount) > 0.01 * refCount) throw new Error(`dense network: ${count} spikes vs full product ${refCount}`);
    ours.push(res.timings.run); rate = count / n;
  }
  // not a speed claim: the seed's algorithm (a full W·fired each step) against event-driven delivery
  const row = { name: `dense LIF ${n} neurons, 1 s (${rate.toFixed(0)} Hz): event rows`, reference: "the seed's algorithm, a full W·fired per step (an algorithm comparison, not the best code)", brainweave: median(ours), referenceSeconds: median(ref), ratio: median(ours) / median(ref) };
  console.log(`${row.name}: ${fmt(row.brainweave)} vs ${fmt(row.referenceSeconds)}, ratio ${row.ratio.toFixed(2)}`);
  return row;
}

if (require.main === module) benchDense();
