/**
 * Connector build benchmark: `npx tsx bench/connectors.ts` (add `--quick` for smaller sizes).
 * 1. FixedProb 100k × 100k, p = 0.001 (≈10M synapses): build time, bytes per synapse (arrayBuffers / RSS deltas).
 * 2. Naive reference in the same process: a per-pair Bernoulli loop pushing into JS Arrays (what a direct
 *    port of "for i, for j: if rand < p" does), timed on 10k × 10k and scaled ×100 to the 100k size, next to
 *    FixedProb on the same 10k × 10k.
 * 3. Derived structures for the 10M-synapse edge set (post2pre / csc / pre_ids).
 * 4. FixedPreNum(80) on 1M → 1M neurons (80M synapses): build time and RSS.
 */
import { FixedProb, FixedPreNum } from '../connectors';
import { RNG } from '../src/core/rng';

const quick = process.argv.includes('--quick');
const MB = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mem = () => { gc(); return process.memoryUsage(); };
const sec = (t0: number) => (performance.now() - t0) / 1000;

function naivePairs(pre: number, post: number, p: number, rng: RNG): { pre: number[]; post: number[] } {
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < pre; i++) for (let j = 0; j < post; j++) if (rng.random() < p) { a.push(i); b.push(j); }
  return { pre: a, post: b };
}

const lines: string[] = [];
const log = (s: string) => { console.log(s); lines.push(s); };

// 1. the big FixedProb
{
  const N = quick ? 30_000 : 100_000, p = 0.001;
  const m0 = mem();
  const times: number[] = [];
  let e = new FixedProb(p).build(10, 10, new RNG(0));
  for (let r = 0; r < 3; r++) {
    e = null as never; gc();
    const t0 = performance.now();
    e = new FixedProb(p).build(N, N, new RNG(r + 1));
    times.push(sec(t0));
  }
  const m1 = mem();
  const out = e.indices.buffer.byteLength + e.indptr.byteLength;
  log(`FixedProb(${p}) ${N}×${N}: nSyn=${e.nSyn}, build ${times.map((t) => t.toFixed(3)).join(' / ')} s (3 seeds), ` +
    `outputs ${(out / e.nSyn).toFixed(2)} B/syn, arrayBuffers Δ ${((m1.arrayBuffers - m0.arrayBuffers) / e.nSyn).toFixed(2)} B/syn, ` +
    `heapUsed Δ ${((m1.heapUsed - m0.heapUsed) / e.nSyn).toFixed(3)} B/syn, RSS Δ ${((m1.rss - m0.rss) / e.nSyn).toFixed(2)} B/syn, RSS ${(m1.rss / MB).toFixed(0)} MB, ` +
    `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (baseline before ${(m0.rss / MB).toFixed(0)} MB)`);

  // 3. derived structures
  for (const name of ['pre_ids', 'post2pre', 'post2syn', 'post_slice'] as const) {
    const t0 = performance.now();
    e.get(name);
    log(`  derive ${name}: ${sec(t0).toFixed(3)} s`);
  }
  log(`  EdgeSet with CSR + pre_ids + CSC: ${(e.byteSize() / e.nSyn).toFixed(2)} B/syn, RSS ${(mem().rss / MB).toFixed(0)} MB`);
}

// 2. naive reference vs FixedProb on the same 10k × 10k
{
  const n = quick ? 3000 : 10_000, p = 0.001, scale = Math.round((100_000 / n) ** 2);
  gc();
  const m0 = mem();
  let t0 = performance.now();
  const ref = naivePairs(n, n, p, new RNG(1));
  const tRef = sec(t0);
  const m1 = mem();
  const nRef = ref.pre.length;
  t0 = performance.now();
  const e = new FixedProb(p).build(n, n, new RNG(1));
  const tFp = sec(t0);
  log(`Same ${n}×${n}, p=${p}: naive per-pair loop + Array.push ${tRef.toFixed(3)} s (${nRef} syn, ` +
    `heap Δ ${((m1.heapUsed - m0.heapUsed) / Math.max(1, nRef)).toFixed(1)} B/syn); FixedProb ${tFp.toFixed(4)} s (${e.nSyn} syn); ` +
    `speed-up ×${(tRef / tFp).toFixed(0)}`);
  log(`  naive scaled to 100k×100k (×${scale}): ≈ ${(tRef * scale).toFixed(0)} s`);
  void ref;
}

// 4. 1M neurons, 80 inputs each
if (!quick) {
  const N = 1_000_000;
  const m0 = mem();
  const t0 = performance.now();
  let e: ReturnType<FixedPreNum['build']> | null = new FixedPreNum(80).build(N, N, new RNG(1));
  const t = sec(t0);
  const m1 = mem();
  log(`FixedPreNum(80) ${N}→${N}: nSyn=${e.nSyn}, build ${t.toFixed(2)} s, outputs ${((e.indices.byteLength + e.indptr.byteLength) / MB).toFixed(0)} MB, ` +
    `RSS ${(m1.rss / MB).toFixed(0)} MB (Δ ${((m1.rss - m0.rss) / MB).toFixed(0)} MB), peak RSS so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, heapUsed ${(m1.heapUsed / MB).toFixed(0)} MB`);
  const t1 = performance.now();
  e.get('post2pre');
  log(`  + post2pre/csc derived in ${sec(t1).toFixed(2)} s, RSS ${(mem().rss / MB).toFixed(0)} MB`);
  e = null;
}
log(`node ${process.version}, ${process.platform}/${process.arch}${(globalThis as { gc?: unknown }).gc ? ', --expose-gc' : ''}`);
