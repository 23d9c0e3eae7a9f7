import { ArrayBinding, AttributeDep, FunctionIR, RecordStmt, Stmt } from './ir';
import { Lowerer } from './lower';
import { scheduleStep } from './fuse';
import { classifyLoops } from './classify';
import { EffectAnalysis } from './effects';
import { InputPlan, MonitorPlan } from './probes';

/**
 * The typed step plan: everything a backend needs to run one step of the whole network, analysed once.
 *  - bindings: every array the step touches, with dtype and role (state, connectivity, data);
 *  - step: the statements of one step, scheduled and fused across objects (compiler/fuse.ts), with the
 *    run's inputs, spike and value recording and the finiteness check as statements, and every loop
 *    classified with its largest trip count (compiler/classify.ts);
 *  - helpers: functions the step calls (methods of models, integrator steps).
 * Input values, input functions of t and monitor buffers are not part of the plan: they travel with each
 * run, so one plan serves every run whatever its inputs.
 */
export interface StepPlan {
  bindings: ArrayBinding[];
  helpers: FunctionIR[];
  /** Updates that stay functions (they return early); the step calls them. */
  opaque: FunctionIR[];
  step: Stmt[];
  usesRng: boolean;
  inputs: InputPlan[];
  monitors: MonitorPlan[];
  /** Float state checked for NaN/±Inf, in check-index order (the index a NONFINITE status reports). */
  checked: ArrayBinding[];
  checkEvery: number;
  /** Object attributes the plan was specialised on: if one changes, the plan is stale. */
  deps: AttributeDep[];
  /** Statements run once per run() call before the step loop (constants of dt; compiler/rotate.ts). */
  prelude?: Stmt[];
  /** Set by loop rotation (compiler/rotate.ts): the backend runs `flush` before it leaves run(). */
  rotation?: { flush: Stmt[] };
  /** Set by compiler/input-loops.ts: bindings the backend fills from the run's input `slot` at each call. */
  inputBuffers?: InputBuffer[];
}

/** A binding the backend fills with a run's input value at each call (compiler/input-loops.ts). */
export interface InputBuffer { slot: number; binding: ArrayBinding; kind: 'const' | 'array' }

export interface PlanOptions { checkEvery: number; fuse: boolean }

/** Lowers the objects' update methods and builds the step plan with the given probes. */
export function buildPlan(objects: { name: string; obj: object }[], inputs: InputPlan[], monitors: MonitorPlan[], opts: PlanOptions): StepPlan {
  const names = new Map<object, string>(objects.map(({ name, obj }) => [obj, name]));
  const L = new Lowerer(names);
  const ir = L.program(objects);
  const inputStmts: Stmt[] = inputs.map((p, slot) => ({
    k: 'input', slot, target: L.bind(p.array, p.path, true), op: p.op,
    source: p.kind === 'const' ? 'const' : p.kind === 'array' ? 'array' : 'sampled',
  }));
  const records: RecordStmt[] = [];
  const values: Stmt[] = [];
  monitors.forEach((m, mon) => {
    const arr = L.bind(m.array, m.key, false, 'state');
    if (m.kind === 'spike') records.push({ k: 'record', mon, arr });
    else values.push({ k: 'recordValue', mon, arr, every: m.every, width: m.width, indexed: m.indices !== null });
  });
  const step = [...inputStmts, ...scheduleStep(ir, opts.fuse, records), ...values];
  const bindings = [...L.arrays.values()];
  const checked = bindings.filter((b) => b.writable && b.isFloat);
  if (opts.checkEvery > 0 && checked.length) step.push({ k: 'check', every: opts.checkEvery, arrays: checked });

  const fns = new Map<string, FunctionIR>([...ir.helpers, ...ir.updates].map((f) => [f.id, f]));
  const fx = new EffectAnalysis(fns);
  classifyLoops(step, fx);
  for (const f of ir.helpers) classifyLoops(f.body, fx);
  const opaque = ir.updates.filter((f) => f.hasReturn);
  for (const f of opaque) classifyLoops(f.body, fx);
  return { bindings, helpers: ir.helpers, opaque, step, usesRng: ir.usesRng, inputs, monitors, checked, checkEvery: opts.checkEvery, deps: ir.deps };
}

/** True if an attribute the plan was specialised on has changed since (the plan must be rebuilt). */
export function planIsStale(plan: Pick<StepPlan, 'deps'>): boolean {
  return plan.deps.some((d) => !Object.is((d.obj as Record<string, unknown>)[d.prop], d.value));
}
