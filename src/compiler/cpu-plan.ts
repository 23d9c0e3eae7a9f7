import { StepPlan } from './plan';
import { useSpikeLists } from './spike-lists';
import { rotateStep } from './rotate';
import { scalarize } from './scalarize';

/**
 * The plan rewrites CPU backends (js, wasm) apply, in order, each exact (the conformance suite checks the
 * backends bit for bit against interp): spike index lists (spike-lists.ts), loop rotation (rotate.ts),
 * scalar replacement (scalarize.ts). A GPU backend takes the plan as built: appends are serial, and rotation
 * only pays where passes over memory cost more than kernel launches.
 * Options, set per backend by measurement (bench/plan-rewrites.ts, bench/RESULTS.md): `rotate` (the wasm
 * backend's fused SIMD loops ran slower rotated, so it leaves it off), `ints` (scalar replacement of int32
 * and uint8 arrays too; wasm's SIMD loops have no vector form of the wrapping it needs).
 */
export interface CpuPlanOptions { rotate?: boolean; ints?: boolean }

export function cpuPlan(plan: StepPlan, opts: CpuPlanOptions = {}): StepPlan {
  const lists = useSpikeLists(plan);
  return scalarize(opts.rotate ? rotateStep(lists) : lists, { ints: opts.ints });
}
