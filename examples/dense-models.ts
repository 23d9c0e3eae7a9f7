/**
 * The model of the seed's JAX LIF network (see dense-network.ts), on the public API and browser-safe, so the
 * example, the benchmark and the playground use the same classes and the same seeded W.
 */
import { NeuGroup, TwoEndConn, Network, Variable, Matrix, denseEventSum, dense2d } from '../src';
import { All2All } from '../connectors';

export class SeedLIF extends NeuGroup {
  tau = 10; Vreset = 0; Vth = 1; R = 1; drive = 0.12;
  V = new Variable(this.num, { init: () => this.rng.uniform(0, 1) });
  Isyn = new Variable(this.num);
  spike = new Variable(this.num, { dtype: 'bool' });
  update(t: number, dt: number) {
    const k = dt / this.tau;
    for (let i = 0; i < this.num; i++) {
      // neurons that fired last step stay at reset; the rest integrate last step's W · fired
      if (!this.spike[i]) this.V[i] += k * (-this.V[i] + this.Vreset + this.R * (this.Isyn[i] + this.drive * this.tau));
      const fired = this.V[i] >= this.Vth;
      this.spike[i] = fired ? 1 : 0;
      if (fired) this.V[i] = this.Vreset;
      this.Isyn[i] = 0;
    }
  }
}

/** I = W · fired, with W stored pre × post (row i: the weights out of neuron i). */
export class DenseProjection extends TwoEndConn {
  W: Matrix<Float32Array> = dense2d(0, 0, new Float32Array(0)) as Matrix<Float32Array>;
  update() { denseEventSum(this.post.Isyn, this.W, this.pre.spike); }
}

/** Seeded random W: Gaussian, zero diagonal, scaled by 1/√N (balanced random network). */
export function denseNetwork(n: number, seed: number, g = 1.5): Network {
  const N = new SeedLIF(n);
  const P = new DenseProjection(N, N, new All2All({ includeSelf: false }));
  const net = new Network({ N, P }, { seed });
  net.build();
  const rng = (N as any).rng;
  const W = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) W[i * n + j] = rng.normal(0, g / Math.sqrt(n));
  P.W = dense2d(n, n, W) as Matrix<Float32Array>;
  return net;
}
