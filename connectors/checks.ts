/** Argument checks shared by connectors: errors name the connector and the field. */
import { BrainweaveError } from '../src/core/errors';


export function checkProb(owner: string, field: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new BrainweaveError(`${owner}: '${field}' must be a probability in [0, 1], got ${String(p)}`);
  return p;
}
export function checkCount(owner: string, field: string, n: unknown, min = 0): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new BrainweaveError(`${owner}: '${field}' must be an integer >= ${min}, got ${String(n)}`);
  }
  return n;
}
export function checkPositive(owner: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new BrainweaveError(`${owner}: '${field}' must be a positive finite number, got ${String(v)}`);
  return v;
}
export function checkBool(owner: string, field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new BrainweaveError(`${owner}: option '${field}' must be a boolean, got ${String(v)}`);
  return v;
}
/** Reject option keys a connector does not know (catches typos such as `include_self`). */
export function checkOptions(owner: string, opts: object | undefined, known: readonly string[]): void {
  if (opts === undefined) return;
  if (opts === null || typeof opts !== 'object') throw new BrainweaveError(`${owner}: options must be an object, got ${String(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!known.includes(k)) throw new BrainweaveError(`${owner}: unknown option '${k}' (known: ${known.join(', ') || 'none'})`);
  }
}

/** Format a number for connector names. */
export function fmt(v: number): string { return String(+v.toPrecision(6)); }
