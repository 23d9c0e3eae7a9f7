import { Dense2D, Ragged } from '../core/structures';

/**
 * Library operators for synaptic delivery. Models call them inside update(); the compiler recognises
 * them by name and inlines a backend-specific loop (cpu: event-driven, work ∝ spikes × fan-out).
 * These bodies are the reference semantics and what the interpreted mode (jit: false) runs.
 */
type Arr = { length: number; [i: number]: number };
type RowsOf = Ragged | (Arr[] & { indptr: Int32Array; indices: Int32Array });

/** For each pre neuron i that spiked: out[j] += w (or w[s], per canonical synapse s) for every target j. */
export function pre2postEventSum(out: Arr, pre2post: RowsOf, spike: Arr, w: number | Arr): void {
  const ptr = pre2post.indptr, idx = pre2post.indices;
  const n = ptr.length - 1;
  if (typeof w === 'number') {
    for (let i = 0; i < n; i++) {
      if (spike[i]) for (let k = ptr[i], e = ptr[i + 1]; k < e; k++) out[idx[k]] += w;
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (spike[i]) for (let k = ptr[i], e = ptr[i + 1]; k < e; k++) out[idx[k]] += w[k];
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

export const OP_NAMES = ['pre2postEventSum', 'denseEventSum', 'syn2post', 'pre2syn'] as const;
