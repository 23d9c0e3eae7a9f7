import { ArrayBinding, Expr, Stmt } from './ir';
import { InputBuffer, StepPlan } from './plan';
import { EffectAnalysis } from './effects';
import { reschedule } from './fuse';

/**
 * Inputs as element loops, a plan rewrite for CPU backends. A run's input (`inputs: [['N.input', drive]]`)
 * is a statement of its own that the backend runs as a separate pass over the target before the step
 * (`input[i] += drive[i]`). Here each input whose value is a number or an array becomes an ordinary
 * element loop over a buffer binding (`inb$k`, role 'input', refilled by the backend from the run's input
 * `slot` at each call), placed after the step's leading constants and rescheduled, so that it fuses into
 * the neuron loop that reads the target (one pass instead of two, and the target's element lives in a
 * local there: compiler/scalarize.ts). Exact: the same operations on the same elements in the same order
 * per element, and the rescheduling keeps every dependence (compiler/fuse.ts). Inputs sampled from a
 * function of t stay statements. `dtype` 'f32' makes the buffers of inputs to float32 Variables float32
 * (wasm's relaxed mode: the value is rounded once when the backend fills the buffer).
 */
export function inputLoops(plan: StepPlan, dtype: 'f64' | 'f32' = 'f64'): StepPlan {
  const buffers: InputBuffer[] = [];
  // the plan's step: its inputs first (compiler/plan.ts), then the leading constants, then the rest
  let a = 0;
  while (a < plan.step.length && plan.step[a].k === 'input') a++;
  let c = a;
  while (c < plan.step.length && plan.step[c].k === 'let' && (plan.step[c] as Extract<Stmt, { k: 'let' }>).kind === 'const') c++;
  const inputs = plan.step.slice(0, a).map((s) => (s.k === 'input' && s.source !== 'sampled' ? inputLoop(s, buffers, dtype) : s));
  if (!buffers.length) return plan;
  const rest = plan.step.slice(c);
  const check = rest.length && rest[rest.length - 1].k === 'check' ? rest.pop()! : null;
  // the constants go first (they read no arrays, the inputs write no locals: they commute), so that the
  // neuron loops that follow can reach the inputs, which keep their order among themselves
  const fx = new EffectAnalysis(new Map([...plan.helpers, ...plan.opaque].map((f) => [f.id, f])));
  const step = [...plan.step.slice(a, c), ...reschedule([...inputs, ...rest], fx), ...(check ? [check] : [])];
  return { ...plan, step, bindings: [...plan.bindings, ...buffers.map((b) => b.binding)], inputBuffers: buffers };
}

/** `target[i] op= value` for every element, as a loop over the input's buffer binding (added to `buffers`) */
function inputLoop(s: Extract<Stmt, { k: 'input' }>, buffers: InputBuffer[], want: 'f64' | 'f32'): Stmt {
  const n = s.target.array.length, kind = s.source as 'const' | 'array', len = kind === 'const' ? 1 : n;
  // float32 only into float32 state: an input to an integer Variable keeps every int32 exact
  const dtype = want === 'f32' && s.target.dtype === 'f32' ? 'f32' : 'f64';
  const binding: ArrayBinding = {
    id: `inb$${s.slot}`, path: `input ${s.slot} (${s.target.path})`, array: dtype === 'f32' ? new Float32Array(len) : new Float64Array(len),
    writable: false, isFloat: true, dtype, role: 'input',
  };
  buffers.push({ slot: s.slot, binding, kind });
  const v = `lvIn$${s.slot}`;
  const at: Expr = kind === 'const' ? { k: 'num', v: 0 } : { k: 'local', name: v };
  const value: Expr = { k: 'index', arr: binding, i: at };
  return {
    k: 'for', line: 0, info: { cls: 'map', maxTrip: n },
    init: { k: 'let', kind: 'let', names: [v], init: { k: 'num', v: 0 }, destructure: false, line: 0 },
    test: { k: 'bin', op: '<', a: { k: 'local', name: v }, b: { k: 'num', v: n } },
    update: { k: 'update', op: '++', target: { k: 'local', name: v }, prefix: false },
    body: [{ k: 'expr', line: 0, e: { k: 'assign', target: { k: 'index', arr: s.target, i: { k: 'local', name: v } }, op: s.op === '=' ? '=' : `${s.op}=`, value } }],
  };
}
