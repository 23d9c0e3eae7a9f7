import { FunctionIR } from '../../compiler/ir';
import { forEachExpr, withCheckFlushes } from '../../compiler/walk';
import { StepPlan } from '../../compiler/plan';
import { RNG } from '../../core/rng';
import { Backend, CompileRequest, Executable, STATUS } from '../backend';
import { outlinableLoops, outlinableOps } from '../../compiler/outline';
import { JsPrinter } from './print';
import { numberLocals } from './number-locals';
import { JS_KERNELS } from './kernels';
import { checkKernels } from '../check';
import { cpuPlan } from '../../compiler/cpu-plan';

/**
 * The js backend: one generated JavaScript function per network and probe set, holding the step loop,
 * inputs, every update (fused across objects), monitors and the finiteness check. V8 then sees one hot
 * loop over typed arrays held in locals.
 */
export const jsBackend: Backend = {
  name: 'js',
  capabilities: { float64: true, scatter: true, sequentialRng: true, async: false },
  autoRank: 10,
  available: () => typeof Function === 'function',
  compile(req: CompileRequest): Executable {
    const plan = req.plan();
    checkKernels(plan, 'js', JS_KERNELS, jsBackend.capabilities);
    return emitJs(req.fuse ? cpuPlan(plan, { rotate: true }) : plan, req.rng);
  },
};

/** `hoist`: element-wise loops and library operators as functions of their own (compiler/outline.ts; on by default). */
export function emitJs(plan: StepPlan, rng: RNG, opts: { hoist?: boolean } = {}): Executable & { source: string } {
  // Math's functions as consts of their own (`Math$fround`), beside the arrays: under jest's vm context a
  // global lookup is ~100× slower than a local one, and calling `Math.fround` on a Math held in a local
  // looked fround up at every use (COBA-4000 float32, whose stores round with it: 0.274 → 0.24–0.25 s).
  const A: Record<string, unknown> = { rng, Math };
  const M = mathFunctions(plan).map((f) => `const Math$${f} = A.Math.${f};`);
  // The factory binds these consts, and run() binds the same names as its own locals: V8 keeps locals in
  // registers and hoists bounds checks in the loops left in run(), which it did not do as well for the
  // closure variables of a many-times-called run() (measured: ~20% on COBA, when run() held every loop).
  const D: string[] = [...M];
  for (const b of plan.bindings) { A[b.id] = b.array; D.push(`const ${b.id} = A.${b.id};`); }
  if (plan.usesRng) D.push('const rng = A.rng;');
  const P = new JsPrinter();

  const L: string[] = ['"use strict";'];
  const I = '  ';
  // Functions other than run() (model helpers, the finiteness check, the outlined loops and operators) live
  // outside it and read the factory's own consts: a function inside run() would capture run()'s locals, and
  // V8 then keeps every captured array in a heap context instead of a register (measured 1.5× slower on
  // COBA). The factory's consts are different: each factory call makes one closure of each function, and
  // TurboFan compiles a function that is the only closure of its code against that closure's context, so the
  // arrays and Math functions are constants of the optimised code. Its loops then check no array's map
  // and reload no array's length or base at each iteration, as they do for arrays held in locals (COBA-4000
  // js, steady state: 0.190 → 0.116 s; bench/RESULTS.md, tenth session).
  L.push(...D);
  for (const f of plan.helpers) emitFunction(f, L, P, '');
  for (const f of plan.opaque) emitFunction(f, L, P, '');
  if (plan.checkEvery > 0 && plan.checked.length) {
    L.push('function checkAll$(s, S) {');
    plan.checked.forEach((b, c) => {
      L.push(`${I}for (let i = 0; i < ${b.array.length}; i++) { const x = ${b.id}[i]; if (x - x !== 0) { S[0] = s; S[1] = ${STATUS.NONFINITE}; S[2] = ${c}; S[3] = i; return true; } }`);
    });
    L.push(`${I}return false;`, '}');
  }
  if (opts.hoist ?? true) {
    const flushes = plan.rotation ? [plan.rotation.flush] : [];
    // number parameters converted once at the top (number-locals.ts says why)
    const nums = numberLocals([plan.step, plan.prelude ?? [], ...flushes]);
    const unbox = (params: string[]) => params.filter((p) => nums.has(p)).map((p) => `${I}${p} = +${p};`);
    for (const h of outlinableLoops(plan.step, flushes)) {
      L.push(`function ${h.name}(${h.params.join(', ')}) {`, ...unbox(h.params));
      P.stmts([h.loop], I, L);
      if (h.result) L.push(`${I}return ${h.result};`);
      L.push('}');
      P.hoisted.set(h.loop, `${h.result ? `${h.result} = ` : ''}${h.name}(${h.params.join(', ')});`);
    }
    for (const h of outlinableOps(plan.step, flushes)) {
      // a spike monitor recorded in the group's walk: its buffers and count come in, the count goes back
      const recs = h.stmt.k === 'eventGroup' ? h.stmt.records : [];
      if (recs.length > 1) continue;
      const mon = recs.map((r) => [`mon$${r.mon}$s`, `mon$${r.mon}$i`, `mon$${r.mon}$n`]).flat();
      const params = [...h.params, ...(recs.length ? ['s$', ...mon] : [])];
      const result = recs.length ? `mon$${recs[0].mon}$n` : null;
      L.push(`function ${h.name}(${params.join(', ')}) {`, ...unbox(params));
      P.stmts([h.stmt], I, L);
      if (result) L.push(`${I}return ${result};`);
      L.push('}');
      P.hoisted.set(h.stmt, `${result ? `${result} = ` : ''}${h.name}(${params.join(', ')});`);
    }
  }
  L.push('return function run(s0, nSteps, tBase, k0, dt$, IO, S) {');
  L.push(...D.map((d) => '  ' + d));
  plan.inputs.forEach((p, k) => {
    if (p.kind === 'func') L.push(`${I}const in$${k} = IO.inputs[${k}].buf, in$${k}w = IO.inputs[${k}].width;`);
    else L.push(`${I}const in$${k} = IO.inputs[${k}];`);
  });
  // inputs turned into element loops (compiler/input-loops.ts) read a buffer binding: this call's value
  for (const b of plan.inputBuffers ?? []) L.push(b.kind === 'array' ? `${I}${b.binding.id}.set(in$${b.slot});` : `${I}${b.binding.id}[0] = in$${b.slot};`);
  plan.monitors.forEach((p, m) => {
    L.push(`${I}let mon$${m}$n = IO.monitors.n[${m}];`);
    if (p.kind === 'spike') L.push(`${I}const mon$${m}$s = IO.monitors.steps[${m}], mon$${m}$i = IO.monitors.idx[${m}], mon$${m}$cap = mon$${m}$s.length;`);
    else {
      L.push(`${I}const mon$${m}$d = IO.monitors.data[${m}];`);
      if (p.indices) L.push(`${I}const mon$${m}$x = IO.monitors.sel[${m}];`);
    }
  });
  const save = plan.monitors.map((_, m) => `IO.monitors.n[${m}] = mon$${m}$n;`).join(' ');
  if (plan.prelude) P.stmts(plan.prelude, I, L);
  // every way out of the step loop but the finiteness check passes one exit below it (a rotated step,
  // compiler/rotate.ts, completes its tail there: one copy of that code, not one per monitor)
  L.push(`${I}let s$ = s0, st$ = ${STATUS.DONE}, sa$ = 0;`);
  L.push(`${I}steps$: for (const sEnd$ = s0 + nSteps; s$ < sEnd$; s$++) {`);
  const J = '    ';
  L.push(`${J}const t$ = tBase + (k0 + s$) * dt$;`);
  plan.monitors.forEach((p, m) => {
    if (p.kind === 'spike') L.push(`${J}if (mon$${m}$n + ${p.width} > mon$${m}$cap) { st$ = ${STATUS.GROW}; sa$ = ${m}; break steps$; }`);
  });
  P.save = save;
  P.stmts(plan.step, J, L);
  L.push(`${I}}`);
  if (plan.rotation) P.stmts(plan.rotation.flush, I, L);
  L.push(`${I}S[0] = s$; S[1] = st$; S[2] = sa$; ${save}`);
  L.push('};');
  const source = L.join('\n');
  let factory: (A: Record<string, unknown>) => Executable['run'];
  try {
    // a name of its own per compilation: V8 shares compiled code and feedback between `new Function`s of
    // one text after the second, and functions with several closures lose the constants above (the third
    // identical network ran 1.7× slower than the first two)
    factory = new Function('A', `${source}\n//# sourceURL=brainweave-js-${++compiled}.js`) as typeof factory;
  } catch (e) {
    throw new Error(`internal error: generated code does not parse (${(e as Error).message}); please report it with this source:\n${source}`);
  }
  return { run: factory(A), source, checked: plan.checked.map((b) => b.path) };
}

/** Compilations so far (each one's generated code gets its own sourceURL: emitJs says why). */
let compiled = 0;

/** The Math functions the plan calls, wherever they stand (a check's flush included). */
function mathFunctions(plan: StepPlan): string[] {
  const fns = new Set<string>();
  const blocks = [plan.step, plan.prelude ?? [], plan.rotation?.flush ?? [], ...[...plan.helpers, ...plan.opaque].map((f) => f.body)];
  for (const b of blocks.flatMap(withCheckFlushes)) forEachExpr(b, (e) => { if (e.k === 'math') fns.add(e.fn); });
  return [...fns].sort();
}

function emitFunction(f: FunctionIR, L: string[], P: JsPrinter, ind: string): void {
  L.push(`${ind}function ${f.id}(${f.params.join(', ')}) { // ${f.owner}.${f.method}`);
  P.stmts(f.body, ind + '  ', L);
  L.push(`${ind}}`);
}
