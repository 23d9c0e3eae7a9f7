/** Group shapes for grid and distance connectors. */
import { BrainweaveError } from '../src/core/errors';

/** The group shape (default [num]), checked against the group size. */
export function shapeOf(owner: string, field: string, shape: number[] | undefined, num: number): number[] {
  if (shape === undefined || shape === null) return [num];
  if (!Array.isArray(shape) || !shape.every((s) => Number.isInteger(s) && s >= 0)) {
    throw new BrainweaveError(`${owner}: ${field} must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const prod = shape.reduce((a, b) => a * b, 1);
  if (prod !== num) throw new BrainweaveError(`${owner}: ${field} ${JSON.stringify(shape)} has ${prod} elements but the group has ${num}`);
  return shape.slice();
}

/** Row-major (last axis fastest) coordinates of flat index `idx` in `shape`, written into `out`. */
export function unravel(idx: number, shape: number[], out: number[]): void {
  for (let d = shape.length - 1; d >= 0; d--) { const s = shape[d]; out[d] = idx % s; idx = Math.floor(idx / s); }
}
