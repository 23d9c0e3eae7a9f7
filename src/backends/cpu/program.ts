import { ProgramIR, FunctionIR, RecordStmt } from '../../compiler/ir';
import { InputPlan } from '../../runner/inputs';
import { MonitorPlan, MonitorBuffers } from '../../monitors/monitors';
import { printStmts, numLit } from './print';
import { RNG } from '../../core/rng';
import { scheduleStep } from '../../compiler/fuse';

/** Status codes the generated loop leaves in S[1]. */
export const STATUS = { DONE: 0, GROW: 1, NONFINITE: 2 } as const;

export interface CompiledRun {
  /** Runs steps [s0, s0 + n) of the current run; writes the status into S. */
  run: (s0: number, n: number, tStart: number, dt: number, M: MonitorBuffers, S: Int32Array) => void;
  source: string;
  /** paths of the Variables checked for NaN/Inf, by check index */
  checked: string[];
  /** attributes baked into the code; if one changes, the code is stale */
  deps: ProgramIR['deps'];
}

/**
 * Generates one JavaScript function for the whole network: the step loop with inputs, every object's
 * update (inlined as a block where it has no early return), monitors and the NaN/Inf check. V8 then sees
 * one hot loop over typed arrays held in locals.
 */
export function generateRun(ir: ProgramIR, inputs: InputPlan[], monitors: MonitorPlan[], checkEvery: number, rng: RNG, fuse = true): CompiledRun {
  // Math as a local: under jest's vm context a global lookup is ~100× slower than a local one.
  const A: Record<string, unknown> = { rng, Math };
  // Everything the loop touches is a local of run(): V8 keeps locals in registers and hoists bounds
  // checks, which it does not do as well for closure variables (measured: ~20% on COBA).
  const D: string[] = ['const Math = A.Math;'];
  for (const b of ir.arrays.values()) { A[b.id] = b.array; D.push(`const ${b.id} = A.${b.id};`); }
  if (ir.usesRng) D.push('const rng = A.rng;');
  inputs.forEach((p, k) => {
    A[`in$${k}$t`] = p.array; D.push(`const in$${k}$t = A.in$${k}$t;`);
    if (p.kind !== 'const') { A[`in$${k}$v`] = p.value; D.push(`const in$${k}$v = A.in$${k}$v;`); }
  });
  D.push(`const chkLen = A.chkLen;`);
  A.chkLen = (k: number, v: ArrayLike<number>, n: number) => {
    if (v.length !== n) throw new Error(`input '${inputs[k].path}': function returned ${v.length} values for ${n} elements`);
  };
  monitors.forEach((p, m) => { A[`mon$${m}$a`] = p.array; D.push(`const mon$${m}$a = A.mon$${m}$a;`); });

  const checked = [...ir.arrays.values()].filter((b) => b.writable && b.isFloat);
  const L: string[] = ['"use strict";'];
  L.push('return function run(s0, nSteps, tStart, dt$, M, S) {');
  L.push(...D.map((d) => '  ' + d));
  for (const f of ir.helpers) emitFunction(f, L);
  for (const f of ir.updates) if (f.hasReturn) emitFunction(f, L);
  const I = '  ';
  monitors.forEach((p, m) => {
    L.push(`${I}let mon$${m}$n = M.n[${m}];`);
    if (p.kind === 'spike') L.push(`${I}const mon$${m}$s = M.steps[${m}], mon$${m}$i = M.idx[${m}], mon$${m}$cap = mon$${m}$s.length;`);
    else {
      L.push(`${I}const mon$${m}$d = M.data[${m}];`);
      if (p.indices) L.push(`${I}const mon$${m}$x = M.sel[${m}];`);
    }
  });
  const save = monitors.map((_, m) => `M.n[${m}] = mon$${m}$n;`).join(' ');
  L.push(`${I}for (let s$ = s0, sEnd$ = s0 + nSteps; s$ < sEnd$; s$++) {`);
  const J = '    ';
  L.push(`${J}const t$ = tStart + s$ * dt$;`);
  monitors.forEach((p, m) => {
    if (p.kind === 'spike') L.push(`${J}if (mon$${m}$n + ${p.width} > mon$${m}$cap) { S[0] = s$; S[1] = ${STATUS.GROW}; S[2] = ${m}; ${save} return; }`);
  });
  inputs.forEach((p, k) => emitInput(p, k, J, L));
  // the whole network's step, scheduled (and fused) across objects: see compiler/fuse.ts
  const records: RecordStmt[] = [];
  monitors.forEach((p, m) => {
    if (p.kind !== 'spike') return;
    const known = [...ir.arrays.values()].find((b) => b.array === p.array);
    records.push({ k: 'record', mon: m, arr: known ?? { id: `mon$${m}$a`, path: p.key, array: p.array, writable: false, isFloat: false } });
  });
  printStmts(scheduleStep(ir, fuse, records), J, L);
  monitors.forEach((p, m) => { if (p.kind === 'value') emitMonitor(p, m, J, L); });
  if (checkEvery > 0 && checked.length) {
    L.push(`${J}if ((s$ + 1) % ${checkEvery} === 0) {`);
    checked.forEach((b, c) => {
      L.push(`${J}  for (let i = 0; i < ${b.array.length}; i++) { const x = ${b.id}[i]; if (x - x !== 0) { S[0] = s$; S[1] = ${STATUS.NONFINITE}; S[2] = ${c}; S[3] = i; ${save} return; } }`);
    });
    L.push(`${J}}`);
  }
  L.push(`${I}}`);
  L.push(`${I}S[0] = s0 + nSteps; S[1] = ${STATUS.DONE}; ${save}`);
  L.push('};');
  const source = L.join('\n');
  let factory: (A: Record<string, unknown>) => CompiledRun['run'];
  try {
    factory = new Function('A', source) as typeof factory;
  } catch (e) {
    throw new Error(`internal error: generated code does not parse (${(e as Error).message}); please report it with this source:\n${source}`);
  }
  return { run: factory(A), source, checked: checked.map((b) => b.path), deps: ir.deps };
}

function emitFunction(f: FunctionIR, L: string[]): void {
  L.push(`  function ${f.id}(${f.params.join(', ')}) { // ${f.owner}.${f.method}`);
  printStmts(f.body, '    ', L);
  L.push('  }');
}

function emitInput(p: InputPlan, k: number, J: string, L: string[]): void {
  const n = p.array.length, tgt = `in$${k}$t`;
  const apply = (v: string) => (p.op === '=' ? `${tgt}[i] = ${v};` : `${tgt}[i] ${p.op}= ${v};`);
  if (p.kind === 'const') L.push(`${J}for (let i = 0; i < ${n}; i++) ${apply(numLit(p.value as number))}`);
  else if (p.kind === 'array') L.push(`${J}for (let i = 0; i < ${n}; i++) ${apply(`in$${k}$v[i]`)}`);
  else {
    L.push(`${J}{ const v = in$${k}$v(t$);`);
    L.push(`${J}  if (typeof v === 'number') { for (let i = 0; i < ${n}; i++) ${apply('v')} }`);
    L.push(`${J}  else { chkLen(${k}, v, ${n}); for (let i = 0; i < ${n}; i++) ${apply('v[i]')} } }`);
  }
}

function emitMonitor(p: MonitorPlan, m: number, J: string, L: string[]): void {
  const a = `mon$${m}$a`;
  const cond = p.every === 1 ? '' : `if (s$ % ${p.every} === 0) `;
  const src = p.indices ? `${a}[mon$${m}$x[j]]` : `${a}[j]`;
  L.push(`${J}${cond}{ const b = mon$${m}$n * ${p.width}; for (let j = 0; j < ${p.width}; j++) mon$${m}$d[b + j] = ${src}; mon$${m}$n++; }`);
}
