/** The connector base class: a specification that realises an EdgeSet per projection (see edge-set.ts). */
import { BrainweaveError } from '../src/core/errors';
import { RNG } from '../src/core/rng';
import { Allocator, heapAllocator } from '../src/core/arena';
import { ConnectorSpec } from '../src/core/structures';
import { CSRData } from './csr';
import { EdgeSet } from './edge-set';
import { shapeOf } from './shape';

/**
 * Base of every connector. A connector is a *specification*: it holds parameters only, and `build()`
 * realises a fresh edge set for the given sizes from the given random stream (same stream state → same
 * edges). The same object may be passed to several projections.
 */
export abstract class Connector implements ConnectorSpec {
  /** Display name, e.g. `FixedProb(p=0.02)`; used in error messages. */
  abstract readonly name: string;

  /** `alloc`: where the edge set's arrays go (the network's arena, or the heap). */
  build(preNum: number, postNum: number, rng: RNG, preShape?: number[], postShape?: number[], alloc: Allocator = heapAllocator): EdgeSet {
    for (const [f, v] of [['preNum', preNum], ['postNum', postNum]] as const) {
      if (!(Number.isInteger(v) && v >= 0)) throw new BrainweaveError(`${this.name}: ${f} must be a non-negative integer, got ${String(v)}`);
    }
    if (!rng || typeof (rng as RNG).random !== 'function') throw new BrainweaveError(`${this.name}: build() needs the network's RNG`);
    const ps = shapeOf(this.name, 'preShape', preShape, preNum);
    const qs = shapeOf(this.name, 'postShape', postShape, postNum);
    const csr = this.connect(preNum, postNum, rng, ps, qs, alloc);
    // connectors that built their CSR on the heap are copied once (their own arrays are then garbage)
    return new EdgeSet(this.name, preNum, postNum, alloc.adopt(csr.indptr), alloc.adopt(csr.indices), this.validateOutput, alloc);
  }

  /** Whether build() re-checks the CSR invariants (on for data connectors; off for trusted generators). */
  protected get validateOutput(): boolean { return false; }

  /**
   * Produce the canonical CSR. Shapes are defaulted to `[num]` and checked against the sizes. A connector
   * that can build its arrays with `alloc` (e.g. an IntBuffer on it) saves the copy into the network's arena.
   */
  protected abstract connect(preNum: number, postNum: number, rng: RNG, preShape: number[], postShape: number[], alloc: Allocator): CSRData;

  toString(): string { return this.name; }

  // ---- shared parameter checks ----
  protected fail(msg: string): never { throw new BrainweaveError(`${this.name}: ${msg}`); }
}

// The pieces every connector file uses, importable from one place.
export { EdgeSet, MAX_DENSE_ELEMENTS } from './edge-set';
export { IntBuffer, sortRows, csrFromPairs } from './csr';
export type { CSRData } from './csr';
export { checkProb, checkCount, checkPositive, checkBool, checkOptions, fmt } from './checks';
export { SubsetSampler } from './sampling';
export { unravel } from './shape';
