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
  pre2postEventSum([out, r, spike, w], _raw, ind) {
    const u = uid++;
    const wv = w.isArray ? `${w.text}[k${u}]` : w.text;
    return [
      `${ind}for (let i${u} = 0; i${u} < ${r.rows}; i${u}++) {`,
      `${ind}  if (${spike.text}[i${u}] !== 0) {`,
      `${ind}    for (let k${u} = ${r.ptr}[i${u}], e${u} = ${r.ptr}[i${u} + 1]; k${u} < e${u}; k${u}++) ${out.text}[${r.idx}[k${u}]] += ${wv};`,
      `${ind}  }`,
      `${ind}}`,
    ];
  },
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
