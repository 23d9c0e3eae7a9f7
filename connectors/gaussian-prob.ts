import { RNG } from '../src/core/rng';
import type { Allocator } from '../src/core/arena';
import { Connector, CSRData, IntBuffer, checkBool, checkOptions, checkPositive, fmt, unravel } from './base';

export interface GaussianProbOptions {
  /** Wrap distances around each axis (torus of the group's shape). Default false. */
  periodic?: boolean;
  /** Keep the i→i edge (distance 0, probability 1 before normalisation). Default true. */
  includeSelf?: boolean;
  /**
   * Divide every probability by the largest one over all pairs (BrainPy's default, true). Since pre and
   * post share one grid, that maximum is exp(0) = 1, so the flag is accepted for compatibility and has no
   * effect on the result.
   */
  normalize?: boolean;
}

/**
 * Distance-dependent random connectivity within one grid: pre and post must have the same shape
 * (any number of dimensions). Neuron positions are their integer grid coordinates (row-major flattening,
 * last axis fastest). Each pair (i, j) is connected independently with probability
 *   p(i, j) = exp(−d(i, j)² / (2 σ²)),
 * d = Euclidean distance between coordinates; with `periodic`, each axis difference δ of an axis of length L
 * becomes min(δ, L − δ). With `normalize`, p is divided by its maximum over all pairs (which is 1 whenever
 * distance 0 occurs, i.e. always here). Cost O(pre·post).
 */
export class GaussianProb extends Connector {
  readonly name: string;
  readonly sigma: number;
  readonly periodic: boolean;
  readonly includeSelf: boolean;
  readonly normalize: boolean;
  constructor(sigma: number, opts: GaussianProbOptions = {}) {
    super();
    checkOptions('GaussianProb', opts, ['periodic', 'includeSelf', 'normalize']);
    this.sigma = checkPositive('GaussianProb', 'sigma', sigma);
    this.periodic = checkBool('GaussianProb', 'periodic', opts.periodic ?? false);
    this.includeSelf = checkBool('GaussianProb', 'includeSelf', opts.includeSelf ?? true);
    this.normalize = checkBool('GaussianProb', 'normalize', opts.normalize ?? true);
    const o = [this.periodic ? 'periodic=true' : '', !this.includeSelf ? 'includeSelf=false' : '', !this.normalize ? 'normalize=false' : ''].filter(Boolean);
    this.name = `GaussianProb(sigma=${fmt(sigma)}${o.length ? ', ' + o.join(', ') : ''})`;
  }

  /** The connection probability of pre i → post j on `shape` (before normalisation). Exposed for tests. */
  prob(i: number, j: number, shape: number[]): number {
    const a: number[] = [], b: number[] = [];
    unravel(i, shape, a); unravel(j, shape, b);
    let d2 = 0;
    for (let k = 0; k < shape.length; k++) {
      let d = Math.abs(a[k] - b[k]);
      if (this.periodic) d = Math.min(d, shape[k] - d);
      d2 += d * d;
    }
    return Math.exp(-d2 / (2 * this.sigma * this.sigma));
  }

  protected connect(preNum: number, postNum: number, rng: RNG, preShape: number[], postShape: number[], alloc: Allocator): CSRData {
    if (preShape.length !== postShape.length || preShape.some((s, k) => s !== postShape[k])) {
      this.fail(`pre and post must have the same shape, got ${JSON.stringify(preShape)} and ${JSON.stringify(postShape)}`);
    }
    const shape = preShape, D = shape.length;
    const n = preNum;
    // per-axis squared-distance tables: sq[k][|δ|]
    const sq = shape.map((L) => {
      const t = new Float64Array(L);
      for (let d = 0; d < L; d++) { const e = this.periodic ? Math.min(d, L - d) : d; t[d] = e * e; }
      return t;
    });
    const coords = new Int32Array(n * D);
    const tmp: number[] = [];
    for (let i = 0; i < n; i++) { unravel(i, shape, tmp); for (let k = 0; k < D; k++) coords[i * D + k] = tmp[k]; }
    const inv2s2 = 1 / (2 * this.sigma * this.sigma);
    // `normalize`: the largest p over all pairs is exp(0) = 1 (every neuron has distance 0 to itself, and
    // BrainPy normalises before removing self pairs), so dividing by it changes nothing here.
    const indptr = alloc.array(Int32Array, n + 1);
    const buf = new IntBuffer(1024, alloc);
    for (let i = 0; i < n; i++) {
      const ci = i * D;
      for (let j = 0; j < n; j++) {
        if (j === i && !this.includeSelf) continue;
        let d2 = 0;
        const cj = j * D;
        for (let k = 0; k < D; k++) d2 += sq[k][Math.abs(coords[ci + k] - coords[cj + k])];
        const p = Math.exp(-d2 * inv2s2);
        if (rng.random() < p) buf.push(j);
      }
      indptr[i + 1] = buf.length;
    }
    return { indptr, indices: buf.finish() };
  }
}
