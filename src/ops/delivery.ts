import { Dense2D, Ragged } from '../core/structures';
import { registerOp, argLength } from '../compiler/op-registry';
import { OpArg } from '../compiler/ir';

/**
 * Library operators for synaptic delivery. Models call them inside update(); the compiler recognises them
 * by name (compiler/op-registry.ts) and each backend inlines its own kernel (the js backend: event-driven
 * loops, work ∝ spikes × fan-out). These bodies are the reference semantics, and what the interp backend
 * runs. Every op that adds into an output skips sources whose value is 0 (no spike, no open channel), so
 * event-driven kernels and this reference add exactly the same terms in the same order.
 */
/** An indexable array of numbers (a typed array, or a Variable inside update()). */
export type Arr = { length: number; [i: number]: number };
/** Ragged rows: a structure, or its rows as the interp backend shows them. */
export type RowsOf = Ragged | (Arr[] & { indptr: Int32Array; indices: Int32Array });

/** For each pre neuron i that spiked: out[j] += w (or w[s], per canonical synapse s) for every target j. */
export function pre2postEventSum(out: Arr, pre2post: RowsOf, spike: Arr, w: number | Arr): void {
  const ptr = pre2post.indptr, idx = pre2post.indices;
  const n = ptr.length - 1;
  if (typeof w === 'number') {
    for (let i = 0; i < n; i++) if (spike[i]) for (let k = ptr[i], e = ptr[i + 1]; k < e; k++) out[idx[k]] += w;
  } else {
    for (let i = 0; i < n; i++) if (spike[i]) for (let k = ptr[i], e = ptr[i + 1]; k < e; k++) out[idx[k]] += w[k];
  }
}

/**
 * A per-presynaptic value summed onto targets: out[j] += scale · x[i] for every synapse i → j with x[i] ≠ 0
 * (open fractions of AMPA/NMDA, STP efficacies: zero for most neurons in most steps).
 */
export function pre2postSum(out: Arr, pre2post: RowsOf, x: Arr, scale: number): void {
  const ptr = pre2post.indptr, idx = pre2post.indices;
  for (let i = 0, n = ptr.length - 1; i < n; i++) {
    const xi = x[i];
    if (xi !== 0) { const v = scale * xi; for (let k = ptr[i], e = ptr[i + 1]; k < e; k++) out[idx[k]] += v; }
  }
}

/** Electrical coupling: out[j] += g · (vPre[i] − vPost[j]) for every synapse i → j. */
export function gapJunctionSum(out: Arr, pre2post: RowsOf, vPre: Arr, vPost: Arr, g: number): void {
  const ptr = pre2post.indptr, idx = pre2post.indices;
  for (let i = 0, n = ptr.length - 1; i < n; i++) {
    const vi = vPre[i];
    for (let k = ptr[i], e = ptr[i + 1]; k < e; k++) { const j = idx[k]; out[j] += g * (vi - vPost[j]); }
  }
}

/**
 * Delayed delivery into a ring buffer of L slots × nPost (ring.length = L · nPost): for each pre neuron i
 * that spiked, synapse k (i → j) adds w[k] (or w) into slot (ptr + delaySteps[k]) mod L of row j.
 */
export function ringEventSum(ring: Arr, pre2post: RowsOf, spike: Arr, w: number | Arr, delaySteps: Arr, ptr: number, nPost: number): void {
  const p = pre2post.indptr, idx = pre2post.indices;
  const L = ring.length / nPost;
  for (let i = 0, n = p.length - 1; i < n; i++) {
    if (!spike[i]) continue;
    for (let k = p[i], e = p[i + 1]; k < e; k++) {
      const slot = (ptr + delaySteps[k]) % L;
      ring[slot * nPost + idx[k]] += typeof w === 'number' ? w : w[k];
    }
  }
}

/** Dense delivery: out[j] += W[i, j] for each pre i that spiked (W is pre × post, row-major). */
export function denseEventSum(out: Arr, W: Dense2D | (Arr[] & { data: Arr; cols: number }), spike: Arr): void {
  const data = W.data, cols = (W as Dense2D).cols;
  const n = data.length / cols;
  for (let i = 0; i < n; i++) {
    if (spike[i]) { const base = i * cols; for (let j = 0; j < cols; j++) out[j] += data[base + j]; }
  }
}

/** Sum per-synapse values onto post neurons: out[post_ids[s]] += syn[s]. */
export function syn2post(out: Arr, syn: Arr, postIds: Arr): void {
  for (let s = 0; s < postIds.length; s++) out[postIds[s]] += syn[s];
}

/** Gather pre values onto synapses: out[s] = pre[pre_ids[s]]. */
export function pre2syn(out: Arr, pre: Arr, preIds: Arr): void {
  for (let s = 0; s < preIds.length; s++) out[s] = pre[preIds[s]];
}

// ------------------------------------------------------------------ specs

const len = argLength;
const nnz = (a: OpArg): number => (a.k === 'ragged' ? a.indices.array.length : -1);
const out = (name = 'out') => ({ name, kinds: ['array' as const], role: 'out' as const });
const rows = (name = 'pre2post') => ({ name, kinds: ['ragged' as const], role: 'in' as const });
const arr = (name: string) => ({ name, kinds: ['array' as const], role: 'in' as const });
const scalar = (name: string) => ({ name, kinds: ['scalar' as const], role: 'in' as const });
const scalarOrArr = (name: string) => ({ name, kinds: ['scalar' as const, 'array' as const], role: 'in' as const });

function perPre(a: OpArg[], r: number, x: number, what: string, fail: (m: string) => never) {
  if (len(a[r]) !== len(a[x])) fail(`${a[r].k === 'ragged' ? 'pre2post' : 'rows'} has ${len(a[r])} rows but ${what} has ${len(a[x])} elements`);
}
function perSyn(a: OpArg[], r: number, w: number, what: string, fail: (m: string) => never) {
  if (a[w].k === 'array' && len(a[w]) !== nnz(a[r])) fail(`per-synapse ${what} have ${len(a[w])} values for ${nnz(a[r])} synapses`);
}

registerOp({
  name: 'pre2postEventSum', reference: pre2postEventSum, form: 'scatter',
  summary: 'out[j] += w (or w[s]) for each synapse s = i→j whose pre neuron i spiked',
  args: [out(), rows(), arr('spike'), scalarOrArr('weight')],
  check(a, fail) { perPre(a, 1, 2, 'spike', fail); perSyn(a, 1, 3, 'weights', fail); },
});
registerOp({
  name: 'pre2postSum', reference: pre2postSum, form: 'scatter',
  summary: 'out[j] += scale * x[i] for each synapse i→j with x[i] != 0',
  args: [out(), rows(), arr('x'), scalar('scale')],
  check(a, fail) { perPre(a, 1, 2, 'x', fail); },
});
registerOp({
  name: 'gapJunctionSum', reference: gapJunctionSum, form: 'scatter',
  summary: 'out[j] += g * (vPre[i] - vPost[j]) for each synapse i→j',
  args: [out(), rows(), arr('vPre'), arr('vPost'), scalar('g')],
  check(a, fail) {
    perPre(a, 1, 2, 'vPre', fail);
    if (len(a[0]) !== len(a[3])) fail(`out has ${len(a[0])} elements but vPost has ${len(a[3])}`);
  },
});
registerOp({
  name: 'ringEventSum', reference: ringEventSum, form: 'scatter',
  summary: 'ring[((ptr + delaySteps[s]) % L) * nPost + j] += w[s] for each synapse s = i→j whose pre neuron spiked',
  args: [out('ring'), rows(), arr('spike'), scalarOrArr('weight'), arr('delaySteps'), scalar('ptr'), scalar('nPost')],
  check(a, fail) {
    perPre(a, 1, 2, 'spike', fail); perSyn(a, 1, 3, 'weights', fail); perSyn(a, 1, 4, 'delaySteps', fail);
    const n = a[6];
    if (!(n.k === 'expr' && n.e.k === 'num')) fail('nPost must be a constant (this.post.num)');
    else if (len(a[0]) % n.e.v !== 0) fail(`the ring has ${len(a[0])} values, not a whole number of rows of ${n.e.v}`);
  },
});
registerOp({
  name: 'denseEventSum', reference: denseEventSum, form: 'scatter',
  summary: 'out[j] += W[i, j] for each pre neuron i that spiked',
  args: [out(), { name: 'W', kinds: ['dense'], role: 'in' }, arr('spike')],
  check(a, fail) {
    if (a[1].k === 'dense' && a[1].rows !== len(a[2])) fail(`W has ${a[1].rows} rows but spike has ${len(a[2])} elements`);
    if (a[1].k === 'dense' && a[1].cols !== len(a[0])) fail(`W has ${a[1].cols} columns but out has ${len(a[0])} elements`);
  },
});
registerOp({
  name: 'syn2post', reference: syn2post, form: 'scatter',
  summary: 'out[postIds[s]] += syn[s] for every synapse s',
  args: [out(), arr('syn'), arr('postIds')],
  check(a, fail) { if (len(a[1]) !== len(a[2])) fail(`syn has ${len(a[1])} values but postIds has ${len(a[2])}`); },
});
registerOp({
  name: 'pre2syn', reference: pre2syn, form: 'map',
  summary: 'out[s] = pre[preIds[s]] for every synapse s',
  args: [out(), arr('pre'), arr('preIds')],
  check(a, fail) { if (len(a[0]) !== len(a[2])) fail(`out has ${len(a[0])} values but preIds has ${len(a[2])}`); },
});
