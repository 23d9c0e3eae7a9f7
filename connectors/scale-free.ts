import { RNG } from '../src/core/rng';
import { Connector, CSRData, IntBuffer, csrFromPairs, checkBool, checkCount, checkOptions, checkProb, fmt } from './base';

export interface ScaleFreeOptions {
  /** Keep only new→old synapses (default false: each edge is stored in both directions). */
  directed?: boolean;
}

/** m distinct values drawn uniformly from `pool[0..len)` (preferential attachment when the pool repeats nodes by degree). */
function randomSubset(rng: RNG, pool: Int32Array, len: number, m: number): number[] {
  const set = new Set<number>();
  while (set.size < m) set.add(pool[Math.floor(rng.random() * len)]);
  return [...set];
}

abstract class Growth extends Connector {
  readonly directed: boolean;
  constructor(cls: string, opts: ScaleFreeOptions) {
    super();
    checkOptions(cls, opts, ['directed']);
    this.directed = checkBool(cls, 'directed', opts.directed ?? false);
  }
  protected checkSquare(preNum: number, postNum: number): number {
    if (preNum !== postNum) this.fail(`needs one group of neurons (preNum === postNum), got ${preNum} and ${postNum}`);
    return preNum;
  }
  /** Grow with per-step edge counts `mOf()`; nodes 0..m0−1 start unconnected, node m0 links to 0..m−1. */
  protected grow(n: number, m0: number, firstM: number, nextM: () => number, rng: RNG, star = false): CSRData {
    const pre = new IntBuffer(2 * n * m0 + 2 * m0), post = new IntBuffer(2 * n * m0 + 2 * m0);
    const pool = new Int32Array(Math.max(1, 2 * n * m0 + 2 * m0));
    let len = 0;
    let m = firstM;
    let targets: number[] = [];
    if (star) {
      // seed graph: a star on nodes 0..m0 (centre 0), so the pool always holds > max(m1, m2) distinct nodes
      for (let t = 1; t <= m0 && t < n; t++) {
        pre.push(t); post.push(0);
        if (!this.directed) { pre.push(0); post.push(t); }
        pool[len++] = 0; pool[len++] = t;
      }
      m0 = Math.min(n, m0 + 1);
      if (m0 < n) targets = randomSubset(rng, pool, len, m);
    } else {
      for (let t = 0; t < m; t++) targets.push(t);
    }
    for (let source = m0; source < n; source++) {
      for (const t of targets) {
        pre.push(source); post.push(t);
        if (!this.directed) { pre.push(t); post.push(source); }
        pool[len++] = t;
      }
      for (let c = 0; c < m; c++) pool[len++] = source;
      m = nextM();
      targets = randomSubset(rng, pool, len, m);
    }
    return csrFromPairs(n, pre.finish(), post.finish());
  }
}

/**
 * Barabási–Albert preferential attachment (as networkx / BrainPy): nodes 0..m−1 start unconnected; each new
 * node s = m, m+1, … links to m distinct existing nodes chosen with probability ∝ degree (the first new node
 * links to 0..m−1). Requires preNum === postNum = n and 1 ≤ m < n. Undirected by default (both directions
 * stored: every node has degree ≥ m; nSyn = 2m(n−m)). Degree distribution tail P(k) ∝ k^−3.
 */
export class ScaleFreeBA extends Growth {
  readonly name: string;
  readonly m: number;
  constructor(m: number, opts: ScaleFreeOptions = {}) {
    super('ScaleFreeBA', opts);
    this.m = checkCount('ScaleFreeBA', 'm', m, 1);
    this.name = `ScaleFreeBA(m=${m}${this.directed ? ', directed=true' : ''})`;
  }
  protected connect(preNum: number, postNum: number, rng: RNG): CSRData {
    const n = this.checkSquare(preNum, postNum);
    if (this.m >= n) this.fail(`m = ${this.m} must be < the number of neurons (${n})`);
    return this.grow(n, this.m, this.m, () => this.m, rng);
  }
}

/**
 * Dual Barabási–Albert (Moshiri 2018): like ScaleFreeBA but each new node attaches m1 edges with probability
 * p and m2 edges otherwise, preferentially. As in current networkx, the seed graph is a star on nodes
 * 0..M (M = max(m1, m2), centre 0; M edges); nodes M+1, … are then added one at a time. (BrainPy seeds with
 * M unconnected nodes, which can loop forever when a step with m1 is followed by one with m2 > m1 + 1.)
 * Requires 1 ≤ m1, m2 < n.
 */
export class ScaleFreeBADual extends Growth {
  readonly name: string;
  readonly m1: number; readonly m2: number; readonly p: number;
  constructor(m1: number, m2: number, p: number, opts: ScaleFreeOptions = {}) {
    super('ScaleFreeBADual', opts);
    this.m1 = checkCount('ScaleFreeBADual', 'm1', m1, 1);
    this.m2 = checkCount('ScaleFreeBADual', 'm2', m2, 1);
    this.p = checkProb('ScaleFreeBADual', 'p', p);
    this.name = `ScaleFreeBADual(m1=${m1}, m2=${m2}, p=${fmt(p)}${this.directed ? ', directed=true' : ''})`;
  }
  protected connect(preNum: number, postNum: number, rng: RNG): CSRData {
    const n = this.checkSquare(preNum, postNum);
    if (this.m1 >= n) this.fail(`m1 = ${this.m1} must be < the number of neurons (${n})`);
    if (this.m2 >= n) this.fail(`m2 = ${this.m2} must be < the number of neurons (${n})`);
    const pick = () => (rng.random() < this.p ? this.m1 : this.m2);
    return this.grow(n, Math.max(this.m1, this.m2), pick(), pick, rng, true);
  }
}

/**
 * Holme–Kim growth (power-law degrees with tunable clustering, as in networkx `powerlaw_cluster_graph` /
 * BrainPy PowerLaw): each new node makes one preferential-attachment edge, then m − 1 more, each of which is,
 * with probability p, a triad-closing edge to a random neighbour of the last attached target (when one not yet
 * linked exists), otherwise another preferential-attachment edge. Requires preNum === postNum = n, 1 ≤ m ≤ n.
 * Repeated picks of the same pair give one synapse.
 */
export class PowerLaw extends Connector {
  readonly name: string;
  readonly m: number; readonly p: number; readonly directed: boolean;
  constructor(m: number, p: number, opts: ScaleFreeOptions = {}) {
    super();
    checkOptions('PowerLaw', opts, ['directed']);
    this.m = checkCount('PowerLaw', 'm', m, 1);
    this.p = checkProb('PowerLaw', 'p', p);
    this.directed = checkBool('PowerLaw', 'directed', opts.directed ?? false);
    this.name = `PowerLaw(m=${m}, p=${fmt(p)}${this.directed ? ', directed=true' : ''})`;
  }
  protected connect(preNum: number, postNum: number, rng: RNG): CSRData {
    if (preNum !== postNum) this.fail(`needs one group of neurons (preNum === postNum), got ${preNum} and ${postNum}`);
    const n = preNum, m = this.m;
    if (m > n) this.fail(`m = ${m} must be <= the number of neurons (${n})`);
    const adj: Array<Set<number>> = [];
    for (let i = 0; i < n; i++) adj.push(new Set());
    const pool = new Int32Array(Math.max(1, 2 * n * m + m));
    let len = 0;
    for (let t = 0; t < m; t++) pool[len++] = t;
    const link = (s: number, t: number) => {
      adj[s].add(t);
      if (!this.directed) adj[t].add(s);
      pool[len++] = t;
    };
    for (let source = m; source < n; source++) {
      const possible = randomSubset(rng, pool, len, m).reverse();
      let target = possible.pop()!;
      link(source, target);
      let count = 1;
      while (count < m) {
        if (rng.random() < this.p) {
          const hood: number[] = [];
          for (const nb of adj[target]) if (nb !== source && !adj[source].has(nb)) hood.push(nb);
          if (hood.length) {
            link(source, hood[Math.floor(rng.random() * hood.length)]);
            count++;
            continue;
          }
        }
        target = possible.pop()!;
        link(source, target);
        count++;
      }
      for (let c = 0; c < m; c++) pool[len++] = source;
    }
    const indptr = new Int32Array(n + 1);
    for (let u = 0; u < n; u++) indptr[u + 1] = indptr[u] + adj[u].size;
    const indices = new Int32Array(indptr[n]);
    for (let u = 0; u < n; u++) {
      let c = indptr[u];
      for (const v of adj[u]) indices[c++] = v;
      indices.subarray(indptr[u], c).sort();
    }
    return { indptr, indices };
  }
}
