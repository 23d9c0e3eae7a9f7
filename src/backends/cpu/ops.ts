import { OpArg } from '../../compiler/ir';
import type { PrintedArg } from './print';

/**
 * cpu kernels of the library operators: event-driven loops, so delivery costs spikes × fan-out
 * (plus one scan of the spike flags). Each returns source lines. Loop variables get a per-call
 * suffix so operators can be nested in any user loop.
 */
type Kernel = (a: PrintedArg[], raw: OpArg[], ind: string) => string[];
let uid = 0;

export const CPU_OPS: Record<string, Kernel> = {
  // one delivery is an event group of one (see eventGroup below)
  pre2postEventSum(args, _raw, ind) { return eventGroup([args], [], ind); },
  denseEventSum([out, W, spike], _raw, ind) {
    const u = uid++;
    return [
      `${ind}for (let i${u} = 0; i${u} < ${W.rows}; i${u}++) {`,
      `${ind}  if (${spike.text}[i${u}] !== 0) {`,
      `${ind}    for (let j${u} = 0, b${u} = i${u} * ${W.cols}; j${u} < ${W.cols}; j${u}++) ${out.text}[j${u}] += ${W.text}[b${u} + j${u}];`,
      `${ind}  }`,
      `${ind}}`,
    ];
  },
  syn2post([out, syn, postIds], raw, ind) {
    const u = uid++;
    const n = raw[2].k === 'array' ? raw[2].arr.array.length : 0;
    return [`${ind}for (let s${u} = 0; s${u} < ${n}; s${u}++) ${out.text}[${postIds.text}[s${u}]] += ${syn.text}[s${u}];`];
  },
  pre2syn([out, pre, preIds], raw, ind) {
    const u = uid++;
    const n = raw[2].k === 'array' ? raw[2].arr.array.length : 0;
    return [`${ind}for (let s${u} = 0; s${u} < ${n}; s${u}++) ${out.text}[s${u}] = ${pre.text}[${preIds.text}[s${u}]];`];
  },
};

/** Appends (step, index) to spike monitor m's buffers (locals of the generated run()). */
export function recordEvent(m: number, i: string): string {
  return `mon$${m}$s[mon$${m}$n] = s$; mon$${m}$i[mon$${m}$n] = ${i}; mon$${m}$n++;`;
}

/** Several pre2postEventSum calls (and spike monitors) over the same spike array: one scan. */
export function eventGroup(ops: PrintedArg[][], records: number[], ind: string): string[] {
  const u = uid++;
  const [, r0, spike] = ops[0];
  const lines = [`${ind}for (let i${u} = 0; i${u} < ${r0.rows}; i${u}++) {`, `${ind}  if (${spike.text}[i${u}] !== 0) {`];
  ops.forEach(([out, r, , w], q) => {
    const k = `k${u}_${q}`, e = `e${u}_${q}`;
    const wv = w.isArray ? `${w.text}[${k}]` : w.text;
    lines.push(`${ind}    for (let ${k} = ${r.ptr}[i${u}], ${e} = ${r.ptr}[i${u} + 1]; ${k} < ${e}; ${k}++) ${out.text}[${r.idx}[${k}]] += ${wv};`);
  });
  for (const m of records) lines.push(`${ind}    ${recordEvent(m, `i${u}`)}`);
  lines.push(`${ind}  }`, `${ind}}`);
  return lines;
}
