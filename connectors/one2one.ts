import { RNG } from '../src/core/rng';
import type { Allocator } from '../src/core/arena';
import { Connector, CSRData } from './base';

/** i → i for every i. Requires preNum === postNum. nSyn = preNum; synapse s connects s → s. */
export class One2One extends Connector {
  readonly name = 'One2One';
  protected connect(preNum: number, postNum: number, _rng: RNG, _ps: number[], _qs: number[], alloc: Allocator): CSRData {
    if (preNum !== postNum) this.fail(`pre and post must have the same size, got ${preNum} and ${postNum}`);
    const indptr = alloc.array(Int32Array, preNum + 1), indices = alloc.array(Int32Array, preNum);
    for (let i = 0; i < preNum; i++) { indices[i] = i; indptr[i + 1] = i + 1; }
    return { indptr, indices };
  }
}
