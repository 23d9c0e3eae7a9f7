import { StepPlan } from './plan';
import { useSpikeLists } from './spike-lists';
import { rotateStep } from './rotate';
import { scalarize } from './scalarize';

/**
 * The plan rewrites CPU backends (js, wasm) apply, in order, each exact (the conformance suite checks the
 * backends bit for bit against interp): spike index lists (spike-lists.ts), loop rotation (rotate.ts),
 * scalar replacement (scalarize.ts). A GPU backend takes the plan as built: appends are serial, and rotation
 * only pays where passes over memory cost more than kernel launches.
 * Options, off by default because they measured no faster with today's emitters (bench/plan-rewrites.ts,
 * bench/RESULTS.md): `rotate` (the fused loops are longer, wasm's fused SIMD loops ran ~15 % slower, V8 spent
 * the time it saved on compiling a run() with two copies of the step), `ints` (scalar replacement of int32 and
 * uint8 arrays too; wasm's SIMD loops have no vector form of the wrapping it needs). Both stay exact and
 * tested (test/cpu-plan.test.ts), for emitters where they pay.
 */
export interface CpuPlanOptions { rotate?: boolean; ints?: boolean }

export function cpuPlan(plan: StepPlan, opts: CpuPlanOptions = {}): StepPlan {
  const lists = useSpikeLists(plan);
  return scalarize(opts.rotate ? rotateStep(lists) : lists, { ints: opts.ints });
}
