import {
  Connector, EdgeSet, FixedProb, One2One, All2All, GridFour, GridEight, GridN, FixedPreNum, FixedPostNum,
  FixedTotalNum, GaussianProb, ProbDist, SmallWorld, ScaleFreeBA, ScaleFreeBADual, PowerLaw, IJConn, MatConn,
  CSRConn, constant, uniform, normal, fromFunction, initWeights,
} from '../connectors';
import { RNG } from '../src/core/rng';
import { BrainweaveError } from '../src/core/errors';
import { STRUCTURE_NAMES, StructureName, Ragged, Dense2D, COO } from '../src/core/structures';

const i32 = (a: ArrayLike<number>) => Array.from(a);

/** Every structure, built by brute force from the dense matrix m (pre × post, 0/1). */
function expectedFromMat(m: Uint8Array, pre: number, post: number) {
  const preIds: number[] = [], postIds: number[] = [], indptr = [0];
  for (let i = 0; i < pre; i++) {
    for (let j = 0; j < post; j++) if (m[i * post + j]) { preIds.push(i); postIds.push(j); }
    indptr.push(preIds.length);
  }
  const nSyn = preIds.length;
  const synOf = new Map<number, number>();
  preIds.forEach((i, s) => synOf.set(i * post + postIds[s], s));
  const cIndptr = [0], cPre: number[] = [], cSyn: number[] = [];
  for (let j = 0; j < post; j++) {
    for (let i = 0; i < pre; i++) if (m[i * post + j]) { cPre.push(i); cSyn.push(synOf.get(i * post + j)!); }
    cIndptr.push(cPre.length);
  }
  const preSlice: number[] = [], postSlice: number[] = [];
  for (let i = 0; i < pre; i++) preSlice.push(indptr[i], indptr[i + 1]);
  for (let j = 0; j < post; j++) postSlice.push(cIndptr[j], cIndptr[j + 1]);
  return {
    nSyn,
    conn_mat: { rows: pre, cols: post, data: Array.from(m) },
    pre_ids: preIds, post_ids: postIds,
    pre2post: { indptr, indices: postIds }, csr: { indptr, indices: postIds },
    post2pre: { indptr: cIndptr, indices: cPre },
    pre2syn: { indptr, indices: Array.from({ length: nSyn }, (_, s) => s) },
    post2syn: { indptr: cIndptr, indices: cSyn },
    pre_slice: { rows: pre, cols: 2, data: preSlice },
    post_slice: { rows: post, cols: 2, data: postSlice },
    csc: { indptr: cIndptr, indices: cPre, synIds: cSyn },
    coo: { pre: preIds, post: postIds },
  } as Record<string, unknown> & { nSyn: number };
}

function plain(s: unknown): unknown {
  if (ArrayBuffer.isView(s)) return i32(s as Int32Array);
  const o = s as Record<string, unknown>;
  switch (o.kind) {
    case 'ragged': { const r = o as unknown as Ragged; return r.synIds ? { indptr: i32(r.indptr), indices: i32(r.indices), synIds: i32(r.synIds) } : { indptr: i32(r.indptr), indices: i32(r.indices) }; }
    case 'dense2d': { const d = o as unknown as Dense2D; return { rows: d.rows, cols: d.cols, data: i32(d.data) }; }
    case 'coo': { const c = o as unknown as COO; return { pre: i32(c.pre), post: i32(c.post) }; }
  }
  throw new Error('unknown structure');
}

/** All structures of `conn` must equal the brute-force construction from its conn_mat. */
function checkAgainstMat(conn: EdgeSet) {
  const m = (conn.get('conn_mat') as Dense2D).data as Uint8Array;
  const exp = expectedFromMat(m, conn.preNum, conn.postNum);
  expect(conn.nSyn).toBe(exp.nSyn);
  for (const name of STRUCTURE_NAMES) expect([name, plain(conn.get(name))]).toEqual([name, exp[name]]);
}

function allPlain(conn: EdgeSet, order: readonly StructureName[]) {
  const out: Record<string, unknown> = {};
  for (const n of order) out[n] = plain(conn.get(n));
  return out;
}

/** Small-size realisations of every connector (single edges only). */
const CASES: Array<[string, Connector, number, number, number[]?, number[]?]> = [
  ['FixedProb', new FixedProb(0.3), 13, 17],
  ['FixedProb noSelf', new FixedProb(0.5, { includeSelf: false }), 12, 12],
  ['FixedProb p=1', new FixedProb(1), 4, 6],
  ['FixedProb p=0', new FixedProb(0), 4, 6],
  ['One2One', new One2One(), 9, 9],
  ['All2All', new All2All(), 5, 7],
  ['All2All noSelf', new All2All({ includeSelf: false }), 6, 6],
  ['GridFour', new GridFour(), 20, 20, [4, 5], [4, 5]],
  ['GridFour periodic', new GridFour({ periodic: true }), 20, 20, [4, 5], [4, 5]],
  ['GridEight', new GridEight({ includeSelf: true }), 20, 20, [4, 5], [4, 5]],
  ['GridN(2) periodic', new GridN(2, { periodic: true }), 30, 30, [5, 6], [5, 6]],
  ['FixedPreNum', new FixedPreNum(4), 11, 9],
  ['FixedPreNum noSelf', new FixedPreNum(5, { includeSelf: false }), 10, 10],
  ['FixedPostNum', new FixedPostNum(3), 8, 14],
  ['FixedTotalNum', new FixedTotalNum(40), 9, 10],
  ['FixedTotalNum dense', new FixedTotalNum(80), 9, 10],
  ['GaussianProb', new GaussianProb(1.5), 24, 24, [4, 6], [4, 6]],
  ['GaussianProb periodic', new GaussianProb(1.5, { periodic: true, includeSelf: false }), 24, 24, [4, 6], [4, 6]],
  ['ProbDist', new ProbDist(2, 0.7), 25, 21, [5, 5], [7, 3]],
  ['SmallWorld', new SmallWorld(4, 0.3), 20, 20],
  ['SmallWorld directed', new SmallWorld(4, 0.3, { directed: true }), 20, 20],
  ['ScaleFreeBA', new ScaleFreeBA(2), 30, 30],
  ['ScaleFreeBADual', new ScaleFreeBADual(1, 3, 0.5), 30, 30],
  ['PowerLaw', new PowerLaw(3, 0.5), 30, 30],
  ['IJConn', new IJConn([3, 0, 2, 0, 3], [1, 4, 0, 2, 0]), 4, 5],
  ['MatConn', new MatConn([[0, 1, 0], [1, 1, 0], [0, 0, 0], [0, 0, 1]]), 4, 3],
  ['CSRConn', new CSRConn([0, 2, 2, 5], [3, 1, 4, 0, 2]), 3, 5],
];

describe('structures match a brute-force construction from conn_mat', () => {
  test.each(CASES)('%s', (...row) => { // rest args: jest would pass `done` into a missing 5th/6th parameter
    const [, c, pre, post, ps, qs] = row;
    checkAgainstMat(c.build(pre, post, new RNG(7), ps, qs));
  });

  test('structures do not depend on the order they are requested in (BrainPy #695)', () => {
    for (const [, c, pre, post, ps, qs] of CASES) {
      const a = allPlain(c.build(pre, post, new RNG(3), ps, qs), STRUCTURE_NAMES);
      const b = allPlain(c.build(pre, post, new RNG(3), ps, qs), [...STRUCTURE_NAMES].reverse());
      expect(b).toEqual(a);
    }
  });

  test('a structure is derived once and cached; shared layouts share arrays', () => {
    const e = new FixedProb(0.2).build(30, 40, new RNG(1));
    expect(e.has('post2pre')).toBe(false);
    const a = e.get('post2pre');
    expect(e.get('post2pre')).toBe(a);
    expect(e.get('csr')).toBe(e.get('pre2post'));
    expect(e.get('post_ids')).toBe((e.get('csr') as Ragged).indices);
    expect((e.get('post2syn') as Ragged).indices).toBe((e.get('csc') as Ragged).synIds);
  });

  test('unknown structure name names the connector and lists valid names', () => {
    const e = new FixedProb(0.2).build(3, 4, new RNG(1));
    expect(() => e.get('pre2pre' as StructureName)).toThrow(BrainweaveError);
    expect(() => e.get('pre2pre' as StructureName)).toThrow(/FixedProb\(p=0\.2\).*'pre2pre'.*post_slice/);
  });

  test('conn_mat refuses sizes too large for a dense matrix', () => {
    const e = new FixedProb(0).build(100000, 100000, new RNG(1));
    expect(() => e.get('conn_mat')).toThrow(/too large/);
  });
});

describe('seeding', () => {
  const random: Array<[string, Connector, number, number]> = [
    ['FixedProb', new FixedProb(0.1), 60, 50], ['FixedProb multi', new FixedProb(0.1, { allowMultiple: true }), 60, 50],
    ['FixedPreNum', new FixedPreNum(5), 60, 50], ['FixedPostNum', new FixedPostNum(5), 60, 50],
    ['FixedTotalNum', new FixedTotalNum(300), 60, 50], ['GaussianProb', new GaussianProb(2), 49, 49],
    ['ProbDist', new ProbDist(3, 0.5), 60, 50], ['SmallWorld', new SmallWorld(6, 0.2), 60, 60],
    ['ScaleFreeBA', new ScaleFreeBA(3), 60, 60], ['ScaleFreeBADual', new ScaleFreeBADual(2, 4, 0.3), 60, 60],
    ['PowerLaw', new PowerLaw(3, 0.4), 60, 60],
  ];
  test.each(random)('%s: same seed → identical arrays, different seed → different', (_l, c, pre, post) => {
    const a = c.build(pre, post, new RNG(11)), b = c.build(pre, post, new RNG(11)), d = c.build(pre, post, new RNG(12));
    expect(i32(b.indptr)).toEqual(i32(a.indptr));
    expect(i32(b.indices)).toEqual(i32(a.indices));
    expect(i32(d.indices).join() + i32(d.indptr).join()).not.toEqual(i32(a.indices).join() + i32(a.indptr).join());
  });

  test('one spec, several projections: each build is its own realisation for its sizes', () => {
    const spec = new FixedProb(0.02);
    const rng = new RNG(5);
    const sizes: Array<[number, number]> = [[400, 100], [400, 400], [100, 400], [100, 100]];
    const built = sizes.map(([p, q]) => spec.build(p, q, rng));
    built.forEach((e, k) => { expect(e.preNum).toBe(sizes[k][0]); expect(e.postNum).toBe(sizes[k][1]); });
    expect(i32(built[1].indices.subarray(0, 50))).not.toEqual(i32(spec.build(400, 400, new RNG(5)).indices.subarray(0, 50)));
    // the spec itself holds no realisation
    expect(Object.keys(spec).sort()).toEqual(['allowMultiple', 'includeSelf', 'name', 'p']);
  });
});

describe('FixedProb', () => {
  test('realised count is consistent with Binomial(pre·post, p) (|z| < 5) and columns are uniform', () => {
    for (const [n, p, seed] of [[2000, 0.05, 1], [3000, 0.002, 2], [500, 0.9, 3]] as const) {
      const e = new FixedProb(p).build(n, n + 7, new RNG(seed));
      const N = n * (n + 7);
      const z = (e.nSyn - N * p) / Math.sqrt(N * p * (1 - p));
      expect(Math.abs(z)).toBeLessThan(5);
      // column totals: first half vs second half of the post range
      let lo = 0;
      for (const j of e.indices) if (j < (n + 7) / 2) lo++;
      const zc = (lo - e.nSyn / 2) / Math.sqrt(e.nSyn / 4);
      expect(Math.abs(zc)).toBeLessThan(5);
    }
  });
  test('per-row counts have the binomial variance', () => {
    const pre = 4000, post = 500, p = 0.1;
    const e = new FixedProb(p).build(pre, post, new RNG(9));
    let s = 0, s2 = 0;
    for (let i = 0; i < pre; i++) { const k = e.indptr[i + 1] - e.indptr[i]; s += k; s2 += k * k; }
    const mean = s / pre, varr = s2 / pre - mean * mean;
    expect(Math.abs(varr / (post * p * (1 - p)) - 1)).toBeLessThan(0.1);
  });
  test('includeSelf=false removes exactly the diagonal when sizes are equal, nothing otherwise', () => {
    const e = new FixedProb(1, { includeSelf: false }).build(30, 30, new RNG(1));
    expect(e.nSyn).toBe(30 * 29);
    const pre = e.get('pre_ids') as Int32Array;
    for (let s = 0; s < e.nSyn; s++) expect(e.indices[s]).not.toBe(pre[s]);
    expect(new FixedProb(1, { includeSelf: false }).build(30, 31, new RNG(1)).nSyn).toBe(30 * 31);
    const z = new FixedProb(0.3, { includeSelf: false }).build(1000, 1000, new RNG(2));
    const zz = (z.nSyn - 999000 * 0.3) / Math.sqrt(999000 * 0.21);
    expect(Math.abs(zz)).toBeLessThan(5);
  });
  test('allowMultiple: binomial counts, draws with replacement (parallel synapses appear), rows sorted', () => {
    const pre = 300, post = 20, p = 0.5;
    const e = new FixedProb(p, { allowMultiple: true }).build(pre, post, new RNG(4));
    const z = (e.nSyn - pre * post * p) / Math.sqrt(pre * post * p * (1 - p));
    expect(Math.abs(z)).toBeLessThan(5);
    let dups = 0;
    for (let i = 0; i < pre; i++) for (let k = e.indptr[i] + 1; k < e.indptr[i + 1]; k++) {
      expect(e.indices[k]).toBeGreaterThanOrEqual(e.indices[k - 1]);
      if (e.indices[k] === e.indices[k - 1]) dups++;
    }
    expect(dups).toBeGreaterThan(100);
    // structures stay consistent with the CSR even with parallel synapses
    const csc = e.get('csc') as Ragged;
    const pre_ids = e.get('pre_ids') as Int32Array;
    for (let j = 0; j < post; j++) for (let k = csc.indptr[j]; k < csc.indptr[j + 1]; k++) {
      const s = csc.synIds![k];
      expect(e.indices[s]).toBe(j); expect(pre_ids[s]).toBe(csc.indices[k]);
    }
    const noSelf = new FixedProb(0.9, { allowMultiple: true, includeSelf: false }).build(40, 40, new RNG(2));
    const pi = noSelf.get('pre_ids') as Int32Array;
    for (let s = 0; s < noSelf.nSyn; s++) expect(noSelf.indices[s]).not.toBe(pi[s]);
  });
  // its speed is measured by bench/connectors.ts (benchmarks are scripts, not timed tests)
  test('a large build stores one Int32 per synapse', () => {
    const e = new FixedProb(0.001).build(20000, 50000, new RNG(1));
    expect(Math.abs(e.nSyn - 1e6)).toBeLessThan(5000);
    expect(e.indices.buffer.byteLength).toBeLessThan(e.nSyn * 4 * 1.1 + 4096);
  });
});

describe('fixed-number connectors', () => {
  test('FixedPreNum: every post receives exactly n distinct pres', () => {
    for (const [pre, post, n, self] of [[50, 80, 7, true], [40, 40, 39, false], [1000, 300, 80, true]] as const) {
      const e = new FixedPreNum(n, { includeSelf: self }).build(pre, post, new RNG(3));
      expect(e.nSyn).toBe(post * n);
      const c = e.get('post2pre') as Ragged;
      for (let j = 0; j < post; j++) {
        expect(c.indptr[j + 1] - c.indptr[j]).toBe(n);
        const row = i32(c.indices.subarray(c.indptr[j], c.indptr[j + 1]));
        expect(new Set(row).size).toBe(n);
        if (!self) expect(row).not.toContain(j);
      }
    }
  });
  test('FixedPreNum picks pres uniformly', () => {
    const e = new FixedPreNum(10).build(100, 2000, new RNG(8));
    const outDeg = new Array(100).fill(0);
    for (let i = 0; i < 100; i++) outDeg[i] = e.indptr[i + 1] - e.indptr[i];
    const mean = 200, sd = Math.sqrt(2000 * 0.1 * 0.9);
    let chi = 0;
    for (const d of outDeg) chi += ((d - mean) / sd) ** 2;
    expect(chi).toBeLessThan(100 + 5 * Math.sqrt(200)); // χ²(≈100)
    expect(chi).toBeGreaterThan(100 - 5 * Math.sqrt(200));
  });
  test('FixedPreNum allowMultiple keeps exactly n synapses per post, with repeats', () => {
    const e = new FixedPreNum(30, { allowMultiple: true }).build(10, 50, new RNG(1));
    const c = e.get('post2pre') as Ragged;
    let rep = 0;
    for (let j = 0; j < 50; j++) {
      expect(c.indptr[j + 1] - c.indptr[j]).toBe(30);
      rep += 30 - new Set(i32(c.indices.subarray(c.indptr[j], c.indptr[j + 1]))).size;
    }
    expect(rep).toBeGreaterThan(0);
  });
  test('all three subset samplers (sorted rejection, Fisher–Yates, Floyd) give n distinct uniform partners', () => {
    // sparse path: k² < M/4
    const sp = new FixedPostNum(5).build(4000, 10000, new RNG(1));
    let low = 0;
    for (let i = 0; i < 4000; i++) {
      const row = i32(sp.indices.subarray(sp.indptr[i], sp.indptr[i + 1]));
      expect(new Set(row).size).toBe(5);
      for (const j of row) if (j < 5000) low++;
    }
    expect(Math.abs(low - 10000) / Math.sqrt(5000)).toBeLessThan(5);
    // Floyd path: huge M, moderate k
    const fl = new FixedPostNum(2000).build(2, 9_000_000, new RNG(2));
    for (let i = 0; i < 2; i++) {
      const row = i32(fl.indices.subarray(fl.indptr[i], fl.indptr[i + 1]));
      expect(new Set(row).size).toBe(2000);
      const lowF = row.filter((j) => j < 4_500_000).length;
      expect(Math.abs(lowF - 1000) / Math.sqrt(500)).toBeLessThan(5);
    }
  });
  test('FixedPostNum: every pre sends exactly n distinct posts', () => {
    const e = new FixedPostNum(6, { includeSelf: false }).build(30, 30, new RNG(2));
    for (let i = 0; i < 30; i++) {
      const row = i32(e.indices.subarray(e.indptr[i], e.indptr[i + 1]));
      expect(row.length).toBe(6);
      expect(new Set(row).size).toBe(6);
      expect(row).not.toContain(i);
    }
  });
  test('FixedTotalNum: exact total, distinct pairs, dense and sparse paths, allowMultiple', () => {
    for (const n of [0, 1, 37, 180, 199, 200]) {
      const e = new FixedTotalNum(n).build(10, 20, new RNG(n));
      expect(e.nSyn).toBe(n);
      const keys = new Set<number>();
      const pi = e.get('pre_ids') as Int32Array;
      for (let s = 0; s < n; s++) keys.add(pi[s] * 20 + e.indices[s]);
      expect(keys.size).toBe(n);
    }
    const m = new FixedTotalNum(500, { allowMultiple: true }).build(5, 5, new RNG(1));
    expect(m.nSyn).toBe(500);
  });
  test('FixedTotalNum is uniform over pairs', () => {
    const counts = new Array(12).fill(0);
    for (let seed = 0; seed < 600; seed++) {
      const e = new FixedTotalNum(3).build(3, 4, new RNG(seed));
      const pi = e.get('pre_ids') as Int32Array;
      for (let s = 0; s < 3; s++) counts[pi[s] * 4 + e.indices[s]]++;
    }
    for (const c of counts) expect(Math.abs(c - 150)).toBeLessThan(5 * Math.sqrt(150 * 0.75));
  });
});

describe('grid connectors', () => {
  const nb = (e: EdgeSet, i: number) => i32(e.indices.subarray(e.indptr[i], e.indptr[i + 1]));
  const shape = [4, 5];
  test('GridFour at borders, with and without periodic', () => {
    const e = new GridFour().build(20, 20, new RNG(0), shape, shape);
    expect(nb(e, 0)).toEqual([1, 5]);
    expect(nb(e, 4)).toEqual([3, 9]);
    expect(nb(e, 7)).toEqual([2, 6, 8, 12]);
    expect(nb(e, 19)).toEqual([14, 18]);
    const p = new GridFour({ periodic: true }).build(20, 20, new RNG(0), shape, shape);
    expect(nb(p, 0)).toEqual([1, 4, 5, 15]);
    expect(nb(p, 19)).toEqual([4, 14, 15, 18]);
    expect(p.nSyn).toBe(80);
    expect(e.nSyn).toBe(2 * (4 * 4 + 3 * 5)); // each undirected grid edge twice
  });
  test('GridEight / GridN match the Moore neighbourhood by brute force', () => {
    for (const [c, N] of [[new GridEight(), 1], [new GridN(2), 2], [new GridN(2, { periodic: true, includeSelf: true }), 2], [new GridEight({ periodic: true }), 1]] as const) {
      const e = c.build(20, 20, new RNG(0), shape, shape);
      for (let i = 0; i < 20; i++) {
        const r = Math.floor(i / 5), cc = i % 5;
        const want = new Set<number>();
        for (let dr = -N; dr <= N; dr++) for (let dc = -N; dc <= N; dc++) {
          let rr = r + dr, c2 = cc + dc;
          if (c.periodic) { rr = (rr + 4 * 10) % 4; c2 = (c2 + 5 * 10) % 5; } else if (rr < 0 || rr >= 4 || c2 < 0 || c2 >= 5) continue;
          const j = rr * 5 + c2;
          if (j === i && !c.includeSelf) continue;
          want.add(j);
        }
        expect(nb(e, i)).toEqual([...want].sort((a, b) => a - b));
      }
    }
    const big = new GridEight().build(100, 100, new RNG(0), [10, 10], [10, 10]);
    expect(nb(big, 0).length).toBe(3);
    expect(nb(big, 5).length).toBe(5);
    expect(nb(big, 55).length).toBe(8);
    expect(new GridN(3).build(100, 100, new RNG(0), [10, 10], [10, 10]).indptr[56] - new GridN(3).build(100, 100, new RNG(0), [10, 10], [10, 10]).indptr[55]).toBe(48);
  });
  test('grid connectors need equal 2-D shapes', () => {
    expect(() => new GridFour().build(20, 20, new RNG(0), [4, 5], [5, 4])).toThrow(/GridFour.*same shape/);
    expect(() => new GridEight().build(20, 20, new RNG(0))).toThrow(/GridEight.*2-D/);
  });
});

describe('distance-dependent connectors', () => {
  test('GaussianProb realises exp(-d²/2σ²), with periodic wrap', () => {
    const L = 30, sigma = 1;
    const hits = { d1: 0, n1: 0, wrap: 0, nwrap: 0 };
    for (let seed = 0; seed < 4; seed++) {
      const e = new GaussianProb(sigma, { periodic: true }).build(L * L, L * L, new RNG(seed), [L, L], [L, L]);
      const m = (e.get('conn_mat') as Dense2D).data;
      for (let i = 0; i < L * L; i++) {
        expect(m[i * L * L + i]).toBe(1);
        const r = Math.floor(i / L), c = i % L;
        const right = r * L + ((c + 1) % L);
        if (c === L - 1) { hits.wrap += m[i * L * L + right]; hits.nwrap++; } else { hits.d1 += m[i * L * L + right]; hits.n1++; }
      }
    }
    const p = Math.exp(-0.5);
    expect(Math.abs(hits.d1 / hits.n1 - p)).toBeLessThan(5 * Math.sqrt(p * (1 - p) / hits.n1));
    expect(Math.abs(hits.wrap / hits.nwrap - p)).toBeLessThan(5 * Math.sqrt(p * (1 - p) / hits.nwrap));
    // without periodic, the far corners are (almost surely) never connected across the border
    const np = new GaussianProb(1).build(100, 100, new RNG(1), [10, 10], [10, 10]);
    expect(i32(np.indices.subarray(np.indptr[0], np.indptr[1]))).not.toContain(9);
    expect(new GaussianProb(0.1, { includeSelf: false }).build(25, 25, new RNG(1), [5, 5], [5, 5]).nSyn).toBe(0);
    expect(new GaussianProb(0.1).build(25, 25, new RNG(1), [5, 5], [5, 5]).nSyn).toBe(25);
    expect(new GaussianProb(1).prob(0, 1, [3, 3])).toBeCloseTo(Math.exp(-0.5));
  });
  test('ProbDist with prob=1 connects exactly the pairs within the distance', () => {
    const ps = [6, 7], qs = [5, 9];
    const e = new ProbDist(2.5, 1, { includeSelf: false }).build(42, 45, new RNG(0), ps, qs);
    const m = (e.get('conn_mat') as Dense2D).data;
    for (let i = 0; i < 42; i++) for (let j = 0; j < 45; j++) {
      const d2 = (Math.floor(i / 7) - Math.floor(j / 9)) ** 2 + (i % 7 - (j % 9)) ** 2;
      expect(m[i * 45 + j]).toBe(d2 <= 6.25 && d2 > 0 ? 1 : 0);
    }
    const oneD = new ProbDist(1, 1).build(5, 5, new RNG(0));
    expect(i32(oneD.indices)).toEqual([0, 1, 0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4]);
    const half = new ProbDist(3, 1, { preRatio: 0.5 }).build(400, 400, new RNG(0));
    let active = 0;
    for (let i = 0; i < 400; i++) if (half.indptr[i + 1] > half.indptr[i]) active++;
    expect(Math.abs(active - 200)).toBeLessThan(50);
  });
});

/** Average local clustering coefficient of an undirected graph given as symmetric CSR. */
function clustering(e: EdgeSet): number[] {
  const n = e.preNum, out: number[] = [];
  const adj = Array.from({ length: n }, (_, i) => new Set(i32(e.indices.subarray(e.indptr[i], e.indptr[i + 1]))));
  for (let i = 0; i < n; i++) {
    const nb = [...adj[i]].filter((j) => j !== i), k = nb.length;
    let t = 0;
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) if (adj[nb[a]].has(nb[b])) t++;
    out.push(k < 2 ? 0 : (2 * t) / (k * (k - 1)));
  }
  return out;
}
function isSymmetric(e: EdgeSet): boolean {
  const a = plain(e.get('pre2post')), b = plain(e.get('post2pre')) as { indptr: number[]; indices: number[] };
  return JSON.stringify(a) === JSON.stringify(b);
}

describe('graph models', () => {
  test('SmallWorld at p=0 is the ring lattice: degree k, clustering 3(k-2)/(4(k-1))', () => {
    for (const k of [4, 6, 10]) {
      const e = new SmallWorld(k, 0).build(200, 200, new RNG(1));
      expect(e.nSyn).toBe(200 * k);
      for (let i = 0; i < 200; i++) expect(e.indptr[i + 1] - e.indptr[i]).toBe(k);
      const want = (3 * (k - 2)) / (4 * (k - 1));
      for (const c of clustering(e)) expect(c).toBeCloseTo(want, 12);
    }
    expect(i32(new SmallWorld(3, 0).build(6, 6, new RNG(0)).indices.subarray(0, 2))).toEqual([1, 5]); // odd k acts as k-1
  });
  test('SmallWorld rewiring keeps the edge count and symmetry, lowers clustering, no self loops', () => {
    const e = new SmallWorld(10, 0.2).build(1000, 1000, new RNG(2));
    expect(e.nSyn).toBe(10000);
    expect(isSymmetric(e)).toBe(true);
    const pi = e.get('pre_ids') as Int32Array;
    for (let s = 0; s < e.nSyn; s++) expect(e.indices[s]).not.toBe(pi[s]);
    const c = clustering(e).reduce((a, b) => a + b) / 1000;
    const c0 = (3 * 8) / (4 * 9);
    expect(c).toBeGreaterThan(c0 * 0.8 ** 3 * 0.85); // ≈ C0(1-p)^3
    expect(c).toBeLessThan(c0 * 0.8 ** 3 * 1.15);
    const full = new SmallWorld(10, 1).build(1000, 1000, new RNG(2));
    expect(clustering(full).reduce((a, b) => a + b) / 1000).toBeLessThan(0.05);
    const d = new SmallWorld(4, 0.5, { directed: true }).build(100, 100, new RNG(1));
    expect(d.nSyn).toBe(400);
    expect(isSymmetric(d)).toBe(false);
  });
  test('ScaleFreeBA: undirected, 2m(n-m) synapses, min degree m, tail exponent ≈ 3', () => {
    const n = 30000, m = 3;
    const e = new ScaleFreeBA(m).build(n, n, new RNG(5));
    expect(e.nSyn).toBe(2 * m * (n - m));
    expect(isSymmetric(e)).toBe(true);
    const deg: number[] = [];
    for (let i = 0; i < n; i++) deg.push(e.indptr[i + 1] - e.indptr[i]);
    expect(Math.min(...deg.slice(m))).toBe(m);
    // discrete power-law MLE (Clauset et al.) above kmin
    const kmin = 12;
    const tail = deg.filter((d) => d >= kmin);
    const alpha = 1 + tail.length / tail.reduce((s, d) => s + Math.log(d / (kmin - 0.5)), 0);
    expect(alpha).toBeGreaterThan(2.5);
    expect(alpha).toBeLessThan(3.5);
    const dir = new ScaleFreeBA(m, { directed: true }).build(100, 100, new RNG(5));
    expect(dir.nSyn).toBe(m * (100 - m));
    const pi = dir.get('pre_ids') as Int32Array;
    for (let s = 0; s < dir.nSyn; s++) expect(dir.indices[s]).toBeLessThan(pi[s]); // new → old
  });
  test('ScaleFreeBADual mixes m1 and m2 edges per new node', () => {
    const n = 2000;
    const e = new ScaleFreeBADual(1, 5, 0.5, { directed: true }).build(n, n, new RNG(1));
    const outs = new Set<number>();
    for (let i = 6; i < n; i++) outs.add(e.indptr[i + 1] - e.indptr[i]);
    expect([...outs].sort()).toEqual([1, 5]);
    for (let i = 1; i <= 5; i++) expect(i32(e.indices.subarray(e.indptr[i], e.indptr[i + 1]))).toEqual([0]); // seed star
    expect(Math.abs(e.nSyn - 5 - (n - 6) * 3)).toBeLessThan(5 * 2 * Math.sqrt(n));
    const u = new ScaleFreeBADual(2, 2, 0.3).build(500, 500, new RNG(1));
    expect(u.nSyn).toBe(2 * (2 + 2 * (500 - 3)));
    expect(isSymmetric(u)).toBe(true);
  });
  test('PowerLaw: symmetric, no self loops, triad formation raises clustering', () => {
    const n = 3000;
    const a = new PowerLaw(3, 0).build(n, n, new RNG(1)), b = new PowerLaw(3, 0.9).build(n, n, new RNG(1));
    for (const e of [a, b]) {
      expect(isSymmetric(e)).toBe(true);
      const pi = e.get('pre_ids') as Int32Array;
      for (let s = 0; s < e.nSyn; s++) expect(e.indices[s]).not.toBe(pi[s]);
      expect(e.nSyn).toBeLessThanOrEqual(2 * 3 * (n - 3));
      expect(e.nSyn).toBeGreaterThan(2 * 3 * (n - 3) * 0.95);
    }
    const ca = clustering(a).reduce((x, y) => x + y) / n, cb = clustering(b).reduce((x, y) => x + y) / n;
    expect(cb).toBeGreaterThan(ca * 3);
  });
});

describe('data connectors', () => {
  test('IJConn keeps parallel synapses and reports the input → canonical permutation', () => {
    const c = new IJConn([2, 0, 2, 1], [1, 3, 1, 0]);
    const e = c.build(3, 4, new RNG(0));
    expect(i32(e.get('pre_ids') as Int32Array)).toEqual([0, 1, 2, 2]);
    expect(i32(e.get('post_ids') as Int32Array)).toEqual([3, 0, 1, 1]);
    expect(i32(c.inputOrder())).toEqual([2, 0, 3, 1]);
  });
  test('MatConn accepts rows or {rows, cols, data}; CSRConn sorts a copy', () => {
    const a = new MatConn([[true, false], [false, true], [true, true]]).build(3, 2, new RNG(0));
    const b = new MatConn({ rows: 3, cols: 2, data: [1, 0, 0, 1, 1, 1] }).build(3, 2, new RNG(0));
    expect(plain(a.get('csr'))).toEqual({ indptr: [0, 1, 2, 4], indices: [0, 1, 0, 1] });
    expect(plain(b.get('csr'))).toEqual(plain(a.get('csr')));
    const ix = [2, 0, 1];
    const e = new CSRConn([0, 3], ix).build(1, 3, new RNG(0));
    expect(i32(e.indices)).toEqual([0, 1, 2]);
    expect(ix).toEqual([2, 0, 1]);
  });
});

describe('weights', () => {
  const e = new FixedProb(0.3).build(40, 50, new RNG(1));
  test('initialisers produce per-synapse arrays in canonical order', () => {
    expect(Array.from(initWeights(e, constant(0.6)))).toEqual(new Array(e.nSyn).fill(0.6));
    expect(Array.from(initWeights(e, 2))).toEqual(new Array(e.nSyn).fill(2));
    const u = initWeights(e, uniform(-1, 3), new RNG(2));
    expect(u.length).toBe(e.nSyn);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(Math.abs(u.reduce((a, b) => a + b) / u.length - 1)).toBeLessThan(0.1);
    const g = initWeights(e, normal(5, 2), new RNG(3));
    const mean = g.reduce((a, b) => a + b) / g.length;
    const sd = Math.sqrt(g.reduce((a, b) => a + (b - mean) ** 2, 0) / g.length);
    expect(Math.abs(mean - 5)).toBeLessThan(0.15);
    expect(Math.abs(sd - 2)).toBeLessThan(0.15);
    const f = initWeights(e, fromFunction((i, j, s) => i * 1000 + j + s / 1e6));
    const pi = e.get('pre_ids') as Int32Array, po = e.get('post_ids') as Int32Array;
    for (let s = 0; s < e.nSyn; s++) expect(f[s]).toBe(pi[s] * 1000 + po[s] + s / 1e6);
    expect(Array.from(initWeights(e, uniform(0, 1), new RNG(9)))).toEqual(Array.from(initWeights(e, uniform(0, 1), new RNG(9))));
  });
  test('bad initialisers', () => {
    expect(() => uniform(2, 1)).toThrow(/uniform: 'hi'/);
    expect(() => normal(0, -1)).toThrow(/normal: 'sd'/);
    expect(() => constant(NaN)).toThrow(BrainweaveError);
    expect(() => initWeights(e, uniform(0, 1))).toThrow(/needs an rng/);
    expect(() => initWeights(e, fromFunction(() => NaN))).toThrow(/fromFunction returned NaN/);
  });
});

describe('errors name the connector and the field', () => {
  const rng = () => new RNG(0);
  test.each([
    ['p > 1', () => new FixedProb(1.5), /FixedProb: 'p' must be a probability/],
    ['p < 0', () => new FixedProb(-0.1), /FixedProb: 'p'/],
    ['p NaN', () => new FixedProb(NaN), /FixedProb: 'p'/],
    ['unknown option', () => new FixedProb(0.1, { include_self: false } as never), /FixedProb: unknown option 'include_self'/],
    ['bad option type', () => new All2All({ includeSelf: 1 } as never), /All2All: option 'includeSelf' must be a boolean/],
    ['negative count', () => new FixedPreNum(-1), /FixedPreNum: 'n' must be an integer >= 0/],
    ['non-integer count', () => new FixedPostNum(2.5), /FixedPostNum: 'n'/],
    ['total count', () => new FixedTotalNum(1.5), /FixedTotalNum: 'n'/],
    ['too many pres', () => new FixedPreNum(11).build(10, 5, rng()), /FixedPreNum\(n=11\): asks for 11 pre-synaptic neurons per neuron but only 10 exist/],
    ['too many pres without self', () => new FixedPreNum(10, { includeSelf: false }).build(10, 10, rng()), /only 9 exist \(self excluded\)/],
    ['too many posts', () => new FixedPostNum(6).build(10, 5, rng()), /FixedPostNum\(n=6\): asks for 6 post-synaptic/],
    ['too many total', () => new FixedTotalNum(51).build(10, 5, rng()), /FixedTotalNum\(n=51\): asks for 51 synapses but only 10×5 = 50/],
    ['One2One sizes', () => new One2One().build(3, 4, rng()), /One2One: pre and post must have the same size/],
    ['sigma', () => new GaussianProb(0), /GaussianProb: 'sigma' must be a positive/],
    ['GaussianProb shapes', () => new GaussianProb(1).build(6, 6, rng(), [2, 3], [3, 2]), /GaussianProb\(sigma=1\): pre and post must have the same shape/],
    ['distance', () => new ProbDist(-1, 0.5), /ProbDist: 'distance'/],
    ['ProbDist prob', () => new ProbDist(1, 2), /ProbDist: 'prob'/],
    ['ProbDist dims', () => new ProbDist(1, 1).build(6, 6, rng(), [2, 3], [6]), /ProbDist.*same number of dimensions/],
    ['GridN N', () => new GridN(0), /GridN: 'N' must be an integer >= 1/],
    ['SmallWorld k', () => new SmallWorld(30, 0.1).build(20, 20, rng()), /SmallWorld\(k=30, p=0\.1\): k = 30 exceeds/],
    ['SmallWorld p', () => new SmallWorld(4, 1.1), /SmallWorld: 'p'/],
    ['SmallWorld sizes', () => new SmallWorld(4, 0.1).build(20, 21, rng()), /SmallWorld.*preNum === postNum/],
    ['BA m', () => new ScaleFreeBA(10).build(10, 10, rng()), /ScaleFreeBA\(m=10\): m = 10 must be < /],
    ['BA m0', () => new ScaleFreeBA(0), /ScaleFreeBA: 'm' must be an integer >= 1/],
    ['BADual p', () => new ScaleFreeBADual(1, 2, 3), /ScaleFreeBADual: 'p'/],
    ['BADual m2', () => new ScaleFreeBADual(1, 12, 0.5).build(10, 10, rng()), /m2 = 12/],
    ['PowerLaw m', () => new PowerLaw(11, 0.5).build(10, 10, rng()), /PowerLaw\(m=11, p=0\.5\): m = 11/],
    ['IJ lengths', () => new IJConn([0, 1], [0]), /IJConn: 'i' and 'j' must have the same length, got 2 and 1/],
    ['IJ negative', () => new IJConn([0, -1], [0, 0]), /IJConn: 'i'\[1\] must be a non-negative integer/],
    ['IJ range pre', () => new IJConn([0, 5], [0, 0]).build(5, 3, rng()), /IJConn\(2 pairs\): i\[1\] = 5 is out of range for a pre group of 5/],
    ['IJ range post', () => new IJConn([0, 1], [0, 3]).build(5, 3, rng()), /j\[1\] = 3 is out of range for a post group of 3/],
    ['Mat ragged', () => new MatConn([[1, 0], [1]]), /MatConn: 'mat' row 1 has length 1, expected 2/],
    ['Mat shape', () => new MatConn([[1, 0], [0, 1]]).build(2, 3, rng()), /MatConn\(2×2\): matrix shape 2×2 does not match pre×post = 2×3/],
    ['Mat data', () => new MatConn({ rows: 2, cols: 2, data: [1] }), /MatConn: .*data.length/],
    ['CSR indptr length', () => new CSRConn([0, 1], [0]).build(2, 3, rng()), /CSRConn.*indptr has length 2 but the pre group has 2 neurons/],
    ['CSR decreasing', () => new CSRConn([0, 2, 1], [0, 0]).build(2, 3, rng()), /CSRConn.*non-decreasing/],
    ['CSR end', () => new CSRConn([0, 1, 1], [0, 0]).build(2, 3, rng()), /indptr\[2\] = 1 must equal indices.length = 2/],
    ['CSR range', () => new CSRConn([0, 1], [7]).build(1, 3, rng()), /indices\[0\] = 7 is out of range/],
    ['sizes', () => new FixedProb(0.1).build(-1, 3, rng()), /FixedProb\(p=0\.1\): preNum must be a non-negative integer/],
    ['shape mismatch', () => new FixedProb(0.1).build(6, 6, rng(), [2, 2]), /preShape \[2,2\] has 4 elements but the group has 6/],
    ['no rng', () => new FixedProb(0.1).build(6, 6, undefined as never), /needs the network's RNG/],
  ] as Array<[string, () => unknown, RegExp]>)('%s', (_l, f, re) => {
    expect(f).toThrow(BrainweaveError);
    expect(f).toThrow(re);
  });
});
