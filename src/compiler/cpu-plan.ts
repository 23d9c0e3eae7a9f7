import { StepPlan } from './plan';
import { useSpikeLists } from './spike-lists';
import { rotateStep } from './rotate';
import { scalarize } from './scalarize';

/**
 * The plan rewrites CPU backends (js, wasm) apply, in order, each exact (the conformance suite checks the
 * backends bit for bit against interp): spike index lists (spike-lists.ts), loop rotation (rotate.ts), scalar replacement
 * (scalarize.ts).
 * A GPU backend takes the plan as built: appends are serial, and rotation only pays where passes over
 * memory cost more than kernel launches.
 */
export function cpuPlan(plan: StepPlan, opts: { ints?: boolean } = {}): StepPlan {
  return scalarize(rotateStep(useSpikeLists(plan)), opts);
}
