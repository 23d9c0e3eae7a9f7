/**
 * npm run bench: the js backend against the best hand-written JavaScript for COBA and the 1M LIF step, and
 * event-driven dense delivery against the seed's full W·fired (an algorithm comparison), each in the same
 * process. Prints a markdown table to paste into bench/RESULTS.md. Brian2's C++ and every backend:
 * bench/backends.ts; the 1M LIF step against C: bench/lif-ceiling.ts.
 */
import { benchCOBA } from './coba';
import { benchLIF1M } from './lif1m';
import { benchDense } from './dense';

(async () => {
  const rows = [await benchCOBA(), await benchLIF1M(), await benchDense()];
  console.log('\n| benchmark | brainweave | reference | reference s | ratio |\n|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.brainweave.toFixed(4)} s | ${r.reference} | ${r.referenceSeconds.toFixed(4)} s | ${r.ratio.toFixed(2)} |`);
})();
