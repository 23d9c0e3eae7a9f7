/**
 * Current-input helpers: each returns a function of t (ms) for a run's `inputs`, e.g.
 *   net.run(500, { inputs: [['E.input', rampInput(0, 10, 500)]] })
 * The runner calls it once per step with the step's start time and adds the value (number or one value
 * per neuron) to the target. All times in ms, frequencies in Hz.
 */
import { BrainweaveError } from '../../src';

export type CurrentValue = number | ArrayLike<number>;
export type CurrentFn = (t: number) => CurrentValue;

function zeroLike(v: CurrentValue): CurrentValue {
  return typeof v === 'number' ? 0 : new Float64Array(v.length);
}

/**
 * Piecewise-constant input: `values[k]` during the k-th section of length `durations[k]`, 0 after the last
 * (BrainPy's section_input). E.g. sectionInput([0, 5, 0], [50, 100, 50]) is a 100 ms step from t = 50.
 */
export function sectionInput(values: CurrentValue[], durations: number[]): CurrentFn {
  if (values.length !== durations.length) throw new BrainweaveError(`sectionInput: ${values.length} values but ${durations.length} durations`);
  const ends: number[] = [];
  let acc = 0;
  for (const d of durations) {
    if (!(Number.isFinite(d) && d >= 0)) throw new BrainweaveError(`sectionInput: durations must be >= 0, got ${d}`);
    acc += d; ends.push(acc);
  }
  const zero = values.length ? zeroLike(values[values.length - 1]) : 0;
  return (t: number) => {
    for (let k = 0; k < ends.length; k++) if (t < ends[k] - 1e-9) return values[k];
    return zero;
  };
}

/** A constant value during [tStart, tEnd), 0 elsewhere. */
export function constantInput(value: CurrentValue, tStart = 0, tEnd = Infinity): CurrentFn {
  const zero = zeroLike(value);
  return (t: number) => (t >= tStart - 1e-9 && t < tEnd - 1e-9 ? value : zero);
}

/** Linear ramp from cStart (at tStart) to cEnd (at tEnd); 0 outside [tStart, tEnd). */
export function rampInput(cStart: number, cEnd: number, tEnd: number, tStart = 0): CurrentFn {
  if (!(tEnd > tStart)) throw new BrainweaveError(`rampInput: tEnd (${tEnd}) must be after tStart (${tStart})`);
  return (t: number) => (t >= tStart - 1e-9 && t < tEnd - 1e-9 ? cStart + (cEnd - cStart) * (t - tStart) / (tEnd - tStart) : 0);
}

/** bias + amplitude · sin(2π f (t - tStart) / 1000) during [tStart, tEnd), 0 elsewhere. */
export function sinusoidalInput(amplitude: number, frequency: number, opts: { tStart?: number; tEnd?: number; bias?: number } = {}): CurrentFn {
  const { tStart = 0, tEnd = Infinity, bias = 0 } = opts;
  const w = 2 * Math.PI * frequency / 1000;
  return (t: number) => (t >= tStart - 1e-9 && t < tEnd - 1e-9 ? bias + amplitude * Math.sin(w * (t - tStart)) : 0);
}

/** Square wave: `amplitude` for the first `duty` fraction of each period (frequency in Hz), else 0. */
export function squareInput(amplitude: number, frequency: number, opts: { tStart?: number; tEnd?: number; duty?: number; bias?: number } = {}): CurrentFn {
  const { tStart = 0, tEnd = Infinity, duty = 0.5, bias = 0 } = opts;
  const period = 1000 / frequency;
  return (t: number) => {
    if (!(t >= tStart - 1e-9 && t < tEnd - 1e-9)) return 0;
    const phase = ((t - tStart) % period) / period;
    return bias + (phase < duty - 1e-12 ? amplitude : 0);
  };
}
