import { Stmt } from '../../compiler/ir';
import { FnGen } from './codegen';

/** SIMD form of a `map` loop; false: compile it as scalar code. */
export function simdLoop(_s: Extract<Stmt, { k: 'for' }>, _g: FnGen): boolean {
  return false;
}
