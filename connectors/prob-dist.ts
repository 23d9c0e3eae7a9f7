import { BrainweaveError } from '../src/core/errors';
import { RNG } from '../src/core/rng';
import type { Allocator } from '../src/core/arena';
import { Connector, CSRData, IntBuffer, checkBool, checkOptions, checkProb, fmt, unravel } from './base';

export interface ProbDistOptions {
  /** Fraction of pre neurons that make connections at all (each pre kept with this probability). Default 1. */
  preRatio?: number;
  /** Connect a pre to the post at the same coordinates (distance 0). Default true. */
  includeSelf?: boolean;
}

/**
 * Distance-limited random connectivity: pre at integer grid coordinates x (of preShape) connects to each
 * post at coordinates y (of postShape) with Euclidean ‖x − y‖ ≤ `distance`, independently with probability
 * `prob` (BrainPy's ProbDist; coordinates are raw grid indices, not rescaled). Pre and post shapes must
 * have the same number of dimensions. Only the bounding box around each pre is visited, so the cost is
 * O(pre · (2·distance+1)^D).
 */
export class ProbDist extends Connector {
  readonly name: string;
  readonly distance: number;
  readonly prob: number;
  readonly preRatio: number;
  readonly includeSelf: boolean;
  constructor(distance = 1, prob = 1, opts: ProbDistOptions = {}) {
    super();
    checkOptions('ProbDist', opts, ['preRatio', 'includeSelf']);
    if (typeof distance !== 'number' || !(distance >= 0) || !Number.isFinite(distance)) {
      throw new BrainweaveError(`ProbDist: 'distance' must be a finite number >= 0, got ${String(distance)}`);
    }
    this.distance = distance;
    this.prob = checkProb('ProbDist', 'prob', prob);
    this.preRatio = checkProb('ProbDist', 'preRatio', opts.preRatio ?? 1);
    this.includeSelf = checkBool('ProbDist', 'includeSelf', opts.includeSelf ?? true);
    const o = [this.preRatio !== 1 ? `preRatio=${fmt(this.preRatio)}` : '', !this.includeSelf ? 'includeSelf=false' : ''].filter(Boolean);
    this.name = `ProbDist(distance=${fmt(distance)}, prob=${fmt(prob)}${o.length ? ', ' + o.join(', ') : ''})`;
  }

  protected connect(preNum: number, postNum: number, rng: RNG, preShape: number[], postShape: number[], alloc: Allocator): CSRData {
    const D = preShape.length;
    if (postShape.length !== D) {
      this.fail(`pre and post shapes must have the same number of dimensions, got ${JSON.stringify(preShape)} and ${JSON.stringify(postShape)}`);
    }
    const R = Math.floor(this.distance), d2max = this.distance * this.distance;
    const indptr = alloc.array(Int32Array, preNum + 1);
    const buf = new IntBuffer(1024, alloc);
    const x: number[] = [], lo = new Array<number>(D), hi = new Array<number>(D), y = new Array<number>(D);
    const strides = new Array<number>(D);
    for (let k = D - 1, s = 1; k >= 0; k--) { strides[k] = s; s *= postShape[k]; }
    for (let i = 0; i < preNum; i++) {
      if (this.preRatio < 1 && !(rng.random() < this.preRatio)) { indptr[i + 1] = buf.length; continue; }
      unravel(i, preShape, x);
      let empty = false;
      for (let k = 0; k < D; k++) {
        lo[k] = Math.max(0, x[k] - R); hi[k] = Math.min(postShape[k] - 1, x[k] + R);
        if (lo[k] > hi[k]) empty = true;
        y[k] = lo[k];
      }
      if (!empty && postNum > 0) {
        // odometer over the box, last axis fastest → post ids ascending
        for (;;) {
          let d2 = 0, j = 0;
          for (let k = 0; k < D; k++) { const e = y[k] - x[k]; d2 += e * e; j += y[k] * strides[k]; }
          if (d2 <= d2max && (d2 > 0 || this.includeSelf)) {
            if (rng.random() < this.prob) buf.push(j);
          }
          let k = D - 1;
          while (k >= 0 && y[k] === hi[k]) { y[k] = lo[k]; k--; }
          if (k < 0) break;
          y[k]++;
        }
      }
      indptr[i + 1] = buf.length;
    }
    return { indptr, indices: buf.finish() };
  }
}
