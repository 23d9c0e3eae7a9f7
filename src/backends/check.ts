import { CompileError } from '../core/errors';
import { Stmt } from '../compiler/ir';
import { StepPlan } from '../compiler/plan';
import { opNames } from '../compiler/op-registry';
import { forEachExpr, walkStmts as walk } from '../compiler/walk';
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
    if (!caps.counterRng) throw new CompileError(`the ${backend} backend has no sequential random stream; this.rng cannot be used in update() there`);
    checkCounterRng(plan, backend);
  }
}

const ELEMENTWISE = new Set(['map', 'rowParallel']);
const HINT = 'draw inside an element-wise loop instead, one value per element: for (let i = 0; i < this.num; i++) x[i] = this.rng.normal()';

/**
 * Counter-based draws exist per element of an element-wise loop (map or rowParallel, ignoring the order
 * the sequential stream would impose). A draw anywhere else (at the step level, in a serial, reduction or
 * scatter loop, in a helper called there) has no counter: refused, naming class, method and line.
 */
function checkCounterRng(plan: StepPlan, backend: string): void {
  const helpers = new Map(plan.helpers.map((f) => [f.id, f]));
  const memo = new Map<string, string | null>();
  // the first draw in ss (its function name), directly or through helpers; null if none
  const drawIn = (ss: Stmt[]): string | null => {
    let found: string | null = null;
    forEachExpr(ss, (e) => {
      if (found) return;
      if (e.k === 'rng') found = `this.rng.${e.fn}()`;
      else if (e.k === 'call') { const d = drawOfHelper(e.fn); if (d) found = d; }
    });
    return found;
  };
  const drawOfHelper = (id: string): string | null => {
    if (memo.has(id)) return memo.get(id)!;
    memo.set(id, null);   // recursion: the first visit decides
    const f = helpers.get(id);
    const d = f ? drawIn(f.body) : null;
    const r = d && f ? `${d} (in ${f.cls}.${f.method})` : d;
    memo.set(id, r);
    return r;
  };
  const visit = (ss: Stmt[]): void => {
    for (const s of ss) {
      const at = 'line' in s && typeof s.line === 'number' ? `${(s as { where?: string }).where ?? 'model code'}, line ${s.line} of the method` : 'model code';
      if (s.k === 'for' || s.k === 'range') {
        const cls = s.info?.cls === 'serial' && s.info.withoutRng ? s.info.withoutRng : s.info?.cls;
        if (cls && ELEMENTWISE.has(cls)) continue;
        const d = drawIn(s.body);
        if (d) throw new CompileError(`${at}: ${d} in a loop classified '${cls ?? 'unknown'}' (its iterations are not independent elements): the ${backend} backend draws counter-based random numbers per element of element-wise loops only; ${HINT}`);
        continue;
      }
      if (s.k === 'if') { const d = drawIn([{ k: 'expr', e: s.test, line: s.line }]); if (d) throw stepLevel(at, d); visit(s.then); if (s.else) visit(s.else); continue; }
      if (s.k === 'block') { visit(s.body); continue; }
      if (s.k === 'eventGroup') { visit(s.ops); continue; }
      const d = drawIn([s]);
      if (d) throw stepLevel(at, d);
    }
  };
  const stepLevel = (at: string, d: string) => new CompileError(`${at}: ${d} at the step level, outside an element-wise loop: the ${backend} backend has no sequential random stream and draws counter-based random numbers per element of element-wise loops only; ${HINT}`);
  visit(plan.step);
}

function hasInnerScatter(ss: Stmt[]): boolean {
  let found = false;
  walk(ss, (s) => { if ((s.k === 'for' || s.k === 'range') && s.info?.cls === 'scatter') found = true; });
  return found;
}
