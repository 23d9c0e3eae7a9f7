import { OpArg } from '../../compiler/ir';

/** Operator arguments as printed: arrays and matrices by their identifiers, scalars as expressions. */
export interface PrintedArg { text: string; ptr?: string; idx?: string; rows?: number; cols?: number; isArray: boolean }

/**
 * js kernels of the library operators (src/ops/delivery.ts holds their reference semantics): event-driven
 * loops, so delivery costs spikes × fan-out plus one scan of the spike flags. Each returns source lines.
 * Loop variables get a per-call suffix so operators can be nested in any user loop.
 */
type Kernel = (a: PrintedArg[], raw: OpArg[], ind: string, p: { fresh(): number }) => string[];
const len = (a: OpArg): number => (a.k === 'array' ? a.arr.array.length : 0);

export const JS_KERNELS: Record<string, Kernel> = {
  // one delivery is an event group of one (see eventGroup below)
  pre2postEventSum(args, _raw, ind, p) { return eventGroup([args], [], ind, p); },
  pre2postSum([out, r, x, scale], _raw, ind, p) {
    const u = p.fresh();
    return [
      `${ind}for (let i${u} = 0; i${u} < ${r.rows}; i${u}++) {`,
      `${ind}  const x${u} = ${x.text}[i${u}];`,
      `${ind}  if (x${u} !== 0) { const v${u} = ${scale.text} * x${u}; for (let k${u} = ${r.ptr}[i${u}], e${u} = ${r.ptr}[i${u} + 1]; k${u} < e${u}; k${u}++) ${out.text}[${r.idx}[k${u}]] += v${u}; }`,
      `${ind}}`,
    ];
  },
  gapJunctionSum([out, r, vPre, vPost, g], _raw, ind, p) {
    const u = p.fresh();
    return [
      `${ind}for (let i${u} = 0; i${u} < ${r.rows}; i${u}++) {`,
      `${ind}  const vi${u} = ${vPre.text}[i${u}];`,
      `${ind}  for (let k${u} = ${r.ptr}[i${u}], e${u} = ${r.ptr}[i${u} + 1]; k${u} < e${u}; k${u}++) { const j${u} = ${r.idx}[k${u}]; ${out.text}[j${u}] += ${g.text} * (vi${u} - ${vPost.text}[j${u}]); }`,
      `${ind}}`,
    ];
  },
  ringEventSum([ring, r, spike, w, delay, ptr, nPost], raw, ind, p) {
    const u = p.fresh();
    const n = Number(nPost.text), L = len(raw[0]) / n;
    const wv = w.isArray ? `${w.text}[k${u}]` : w.text;
    return [
      `${ind}{ const p${u} = ${ptr.text};`,
      `${ind}for (let i${u} = 0; i${u} < ${r.rows}; i${u}++) {`,
      `${ind}  if (${spike.text}[i${u}] !== 0) for (let k${u} = ${r.ptr}[i${u}], e${u} = ${r.ptr}[i${u} + 1]; k${u} < e${u}; k${u}++) ${ring.text}[((p${u} + ${delay.text}[k${u}]) % ${L}) * ${n} + ${r.idx}[k${u}]] += ${wv};`,
      `${ind}} }`,
    ];
  },
  denseEventSum([out, W, spike], _raw, ind, p) {
    const u = p.fresh();
    return [
      `${ind}for (let i${u} = 0; i${u} < ${W.rows}; i${u}++) {`,
      `${ind}  if (${spike.text}[i${u}] !== 0) {`,
      `${ind}    for (let j${u} = 0, b${u} = i${u} * ${W.cols}; j${u} < ${W.cols}; j${u}++) ${out.text}[j${u}] += ${W.text}[b${u} + j${u}];`,
      `${ind}  }`,
      `${ind}}`,
    ];
  },
  syn2post([out, syn, postIds], raw, ind, p) {
    const u = p.fresh();
    return [`${ind}for (let s${u} = 0; s${u} < ${len(raw[2])}; s${u}++) ${out.text}[${postIds.text}[s${u}]] += ${syn.text}[s${u}];`];
  },
  pre2syn([out, pre, preIds], raw, ind, p) {
    const u = p.fresh();
    return [`${ind}for (let s${u} = 0; s${u} < ${len(raw[2])}; s${u}++) ${out.text}[s${u}] = ${pre.text}[${preIds.text}[s${u}]];`];
  },
};

/** Appends (step, index) to spike monitor m's buffers (locals of the generated run()). */
export function recordEvent(m: number, i: string): string {
  return `mon$${m}$s[mon$${m}$n] = s$; mon$${m}$i[mon$${m}$n] = ${i}; mon$${m}$n++;`;
}

/**
 * Several pre2postEventSum calls (and spike monitors) over the same spike array: one scan of the flags, or
 * one walk of the spike list where the plan built one (compiler/spike-lists.ts).
 */
export function eventGroup(ops: PrintedArg[][], records: number[], ind: string, p: { fresh(): number }, list?: { arr: string; count: string }): string[] {
  const u = p.fresh();
  const [, r0, spike] = ops[0];
  const lines = list
    ? [`${ind}for (let q${u} = 0; q${u} < ${list.count}; q${u}++) {`, `${ind}  const i${u} = ${list.arr}[q${u}]; {`]
    : [`${ind}for (let i${u} = 0; i${u} < ${r0.rows}; i${u}++) {`, `${ind}  if (${spike.text}[i${u}] !== 0) {`];
  ops.forEach(([out, r, , w], q) => {
    const k = `k${u}_${q}`, e = `e${u}_${q}`;
    const wv = w.isArray ? `${w.text}[${k}]` : w.text;
    lines.push(`${ind}    for (let ${k} = ${r.ptr}[i${u}], ${e} = ${r.ptr}[i${u} + 1]; ${k} < ${e}; ${k}++) ${out.text}[${r.idx}[${k}]] += ${wv};`);
  });
  for (const m of records) lines.push(`${ind}    ${recordEvent(m, `i${u}`)}`);
  lines.push(`${ind}  }`, `${ind}}`);
  return lines;
}
