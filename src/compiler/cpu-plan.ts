import { StepPlan } from './plan';
import { useSpikeLists } from './spike-lists';
import { rotateStep, settleStep } from './rotate';
import { scalarize } from './scalarize';
import { sinkClears } from './sink-clears';
import { inputLoops } from './input-loops';
import { sparseFlags } from './sparse-flags';

/**
 * The plan rewrites CPU backends (js, wasm) apply, in order, each exact (the conformance suite checks the
 * backends bit for bit against interp): a run's inputs as element loops fused into the loops that read them
 * (input-loops.ts), spike index lists (spike-lists.ts), loop rotation (rotate.ts),
 * clears sunk into the next loop over the same elements (sink-clears.ts; a rotated step knows the cleared
 * value instead), an unrotated step settled where a loop alone clears an array (rotate.ts, settleStep),
 * spike flags the neuron loop only sets, the step clearing the previous step's list (sparse-flags.ts; on unless
 * `sparseFlags: false`: COBA-4000 js 0.238 → 0.199 s), scalar replacement (scalarize.ts). A GPU backend takes the plan as built: appends are serial, and rotation
 * only pays where passes over memory cost more than kernel launches.
 * Options, each backend taking what measured faster for it (bench/RESULTS.md): `rotate` (on for js, whose
 * emitter hoists each element-wise loop into a function of its own, compiler/outline.ts; off for wasm, where the fused
 * SIMD loop ran ~15 % slower than two shorter ones; relaxed f32x4 0.083 vs 0.076 s, float32 0.228 vs 0.160 s
 * when re-measured with settled inputs), `ints` (scalar replacement of int32 and uint8 arrays too:
 * on for wasm, where the f32x4 loops then keep counters and spike flags in registers, COBA relaxed 0.100 vs
 * 0.126 s; for the scalar and f64x2 code within the noise, either way round in two runs; neutral on js).
 * `inputs32` (the input buffers hold float32: for wasm's relaxed mode, which computes in float32 anyway;
 * 4 bytes an element less to stream, 1M LIF 0.75 → 0.72–0.74 ms per step).
 * Every combination stays exact and tested (test/cpu-plan.test.ts); `inputs32` rounds each input value once.
 */
export interface CpuPlanOptions { rotate?: boolean; ints?: boolean; inputs32?: boolean; sparseFlags?: boolean }

export function cpuPlan(plan: StepPlan, opts: CpuPlanOptions = {}): StepPlan {
  const lists = useSpikeLists(inputLoops(plan, opts.inputs32 ? 'f32' : 'f64'), { forFlags: opts.sparseFlags !== false });
  const sunk = sinkClears(opts.rotate ? rotateStep(lists) : lists);
  const settled = sunk.rotation ? sunk : settleStep(sunk);
  return scalarize(opts.sparseFlags === false ? settled : sparseFlags(settled), { ints: opts.ints });
}
