/** Argument checks shared by the analysis functions; every message starts with the function and the argument. */
import type { SpikeTrains, TimeWindow } from './types';

/** Throws unless `s` is a valid SpikeTrains: positive integer num, equal lengths, finite times, indices in range. */
export function checkSpikes(fn: string, arg: string, s: SpikeTrains): void {
  if (s === null || typeof s !== 'object') throw new TypeError(`${fn}: ${arg} must be spike data { num, times, indices }, got ${s}`);
  if (!(Number.isInteger(s.num) && s.num > 0)) throw new RangeError(`${fn}: ${arg}.num must be a positive integer, got ${s.num}`);
  if (!s.times || !s.indices) throw new TypeError(`${fn}: ${arg} needs times and indices arrays`);
  if (s.times.length !== s.indices.length)
    throw new RangeError(`${fn}: ${arg} has ${s.times.length} times but ${s.indices.length} indices`);
  for (let k = 0; k < s.times.length; k++) {
    const t = s.times[k];
    if (!Number.isFinite(t)) throw new RangeError(`${fn}: ${arg}.times[${k}] is not finite: ${t}`);
    const i = s.indices[k];
    if (!(Number.isInteger(i) && i >= 0 && i < s.num)) throw new RangeError(`${fn}: ${arg}.indices[${k}] = ${i} is outside [0, ${s.num})`);
  }
}

/** Throws unless `w` is [t0, t1] with finite t0 < t1. */
export function checkWindow(fn: string, arg: string, w: TimeWindow | undefined): asserts w is TimeWindow {
  if (!Array.isArray(w) || w.length !== 2) throw new TypeError(`${fn}: ${arg} must be a window [t0, t1] in ms, got ${JSON.stringify(w)}`);
  const [t0, t1] = w;
  if (!(Number.isFinite(t0) && Number.isFinite(t1) && t1 > t0)) throw new RangeError(`${fn}: ${arg} must be finite with t0 < t1, got [${t0}, ${t1}]`);
}

/** Throws unless `v` is a finite number > 0. */
export function checkPositive(fn: string, arg: string, v: unknown): asserts v is number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new RangeError(`${fn}: ${arg} must be a finite number > 0, got ${v}`);
}
