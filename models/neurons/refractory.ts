import { BrainweaveError } from '../../src';

/**
 * Refuses a refractory period that the step counter cannot represent: negative, NaN or infinite, or more
 * steps than an int32 holds. Called from a model's beforeRun (not compiled), so the update stays plain.
 */
export function checkRefractoryPeriod(model: { name: string; [k: string]: any }, field: string, dt: number): void {
  const v = model[field];
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
    throw new BrainweaveError(`${model.name}.${field}: the refractory period must be a finite number of ms ≥ 0, got ${String(v)}`);
  }
  if (v / dt + 1e-3 >= 2 ** 31) throw new BrainweaveError(`${model.name}.${field} = ${v} ms is more than 2^31 steps of dt = ${dt} ms`);
}
