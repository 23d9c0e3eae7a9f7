import { RNG } from '../src/core/rng';
import { Connector, CSRData, csrFromPairs, checkBool, checkCount, checkOptions, checkProb, fmt } from './base';

export interface SmallWorldOptions {
  /** Rewire each directed edge independently (default false: an undirected graph, stored in both directions). */
  directed?: boolean;
  /** Allow a rewired edge to land on its own source (a self loop). Default false. */
  includeSelf?: boolean;
}

/**
 * Watts–Strogatz small world on a ring of n = preNum = postNum neurons (flat index order).
 * 1. Ring lattice: each node is joined to its ⌊k/2⌋ nearest neighbours on each side (k odd acts as k − 1).
 *    An undirected edge u–v is stored as the two synapses u→v and v→u.
 * 2. Rewiring, as in networkx / BrainPy: for j = 1..⌊k/2⌋, for u = 0..n−1, the lattice edge u–(u+j mod n) is,
 *    with probability p, replaced by u–w with w uniform among the nodes not currently adjacent to u (and ≠ u
 *    unless includeSelf); skipped when u is already adjacent to every candidate.
 *    `directed: true`: the edges u→(u+j) and (u+j)→u are rewired independently, each keeping its source and
 *    getting a new target not yet among the source's targets.
 * k ≥ n − 1 gives the complete graph (no self edges unless includeSelf).
 */
export class SmallWorld extends Connector {
  readonly name: string;
  readonly k: number;
  readonly p: number;
  readonly directed: boolean;
  readonly includeSelf: boolean;
  constructor(k: number, p: number, opts: SmallWorldOptions = {}) {
    super();
    checkOptions('SmallWorld', opts, ['directed', 'includeSelf']);
    this.k = checkCount('SmallWorld', 'k', k, 0);
    this.p = checkProb('SmallWorld', 'p', p);
    this.directed = checkBool('SmallWorld', 'directed', opts.directed ?? false);
    this.includeSelf = checkBool('SmallWorld', 'includeSelf', opts.includeSelf ?? false);
    const o = [this.directed ? 'directed=true' : '', this.includeSelf ? 'includeSelf=true' : ''].filter(Boolean);
    this.name = `SmallWorld(k=${k}, p=${fmt(p)}${o.length ? ', ' + o.join(', ') : ''})`;
  }

  protected connect(preNum: number, postNum: number, rng: RNG): CSRData {
    if (preNum !== postNum) this.fail(`needs one group of neurons (preNum === postNum), got ${preNum} and ${postNum}`);
    const n = preNum, k = this.k;
    if (k > n) this.fail(`k = ${k} exceeds the number of neurons (${n})`);
    const self = this.includeSelf;
    if (k >= n - 1) {
      const pre: number[] = [], post: number[] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j || self) { pre.push(i); post.push(j); }
      return csrFromPairs(n, pre, post);
    }
    const half = k >> 1;
    // out-adjacency sets (for undirected graphs kept symmetric)
    const out: Array<Set<number>> = [];
    for (let u = 0; u < n; u++) out.push(new Set());
    for (let u = 0; u < n; u++) {
      for (let j = 1; j <= half; j++) {
        const v = (u + j) % n;
        out[u].add(v); out[v].add(u);
      }
    }
    const cap = self ? n : n - 1; // number of possible targets of a node
    const pickNew = (u: number): number => {
      for (;;) {
        const w = Math.floor(rng.random() * n);
        if ((w !== u || self) && !out[u].has(w)) return w;
      }
    };
    for (let j = 1; j <= half; j++) {
      for (let u = 0; u < n; u++) {
        const v = (u + j) % n;
        if (!this.directed) {
          if (rng.random() < this.p) {
            if (out[u].size >= cap) continue;
            const w = pickNew(u);
            out[u].delete(v); out[v].delete(u);
            out[u].add(w); out[w].add(u);
          }
        } else {
          for (const [s, t] of [[u, v], [v, u]]) {
            if (rng.random() < this.p) {
              if (out[s].size >= cap || !out[s].has(t)) continue;
              const w = pickNew(s);
              out[s].delete(t); out[s].add(w);
            }
          }
        }
      }
    }
    const indptr = new Int32Array(n + 1);
    for (let u = 0; u < n; u++) indptr[u + 1] = indptr[u] + out[u].size;
    const indices = new Int32Array(indptr[n]);
    for (let u = 0; u < n; u++) {
      let c = indptr[u];
      for (const v of out[u]) indices[c++] = v;
      indices.subarray(indptr[u], c).sort();
    }
    return { indptr, indices };
  }
}
