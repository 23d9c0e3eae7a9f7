import { CompileError } from '../core/errors';
import { Stmt } from '../compiler/ir';
import { StepPlan } from '../compiler/plan';
import { opNames } from '../compiler/op-registry';
import { walkStmts as walk } from '../compiler/walk';
import { BackendCapabilities } from './backend';

/**
 * Refuses, before emitting, a plan a backend cannot run: an operator it has no kernel for, a hand-written
 * scatter where it cannot scatter, a draw from the sequential random stream where it has none. The error
 * names the model's class, network name, method and line, and what to use instead.
 */
export function checkKernels(plan: StepPlan, backend: string, kernels: Record<string, unknown>, caps: BackendCapabilities): void {
  const all = [plan.step, ...plan.helpers.map((f) => f.body), ...plan.opaque.map((f) => f.body)];
  for (const ss of all) {
    walk(ss, (s) => {
      const ops = s.k === 'op' ? [s] : s.k === 'eventGroup' ? s.ops : [];
      for (const o of ops) {
        if (!kernels[o.name]) throw new CompileError(`${o.where ?? 'model code'}, line ${o.line} of the method: the ${backend} backend has no kernel for ${o.name}()`);
      }
      if (!caps.scatter && (s.k === 'for' || s.k === 'range') && s.info?.cls === 'scatter' && !hasInnerScatter(s.body)) {
        throw new CompileError(`${s.where ?? 'model code'}, line ${s.line} of the method: this loop adds into an array at indices read from data (a scatter), which the ${backend} backend cannot run; ` +
          `deliver through a library operator instead (${opNames().join(', ')})`);
      }
    });
  }
  if (!caps.sequentialRng && plan.usesRng) {
    throw new CompileError(`the ${backend} backend has no sequential random stream; this.rng cannot be used in update() there`);
  }
}

function hasInnerScatter(ss: Stmt[]): boolean {
  let found = false;
  walk(ss, (s) => { if ((s.k === 'for' || s.k === 'range') && s.info?.cls === 'scatter') found = true; });
  return found;
}
