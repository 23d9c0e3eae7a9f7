/**
 * npm run bench: every benchmark, each timed against its reference in the same process.
 * Prints a markdown table to paste into bench/RESULTS.md.
 */
import { benchCOBA } from './coba';
import { benchLIF1M } from './lif1m';
import { benchDense } from './dense';

(async () => {
  const rows = [await benchCOBA(), await benchLIF1M(), await benchDense()];
  console.log('\n| benchmark | brainweave | hand-written JS | ratio |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.name} | ${r.brainweave.toFixed(4)} s | ${r.reference.toFixed(4)} s | ${r.ratio.toFixed(2)} |`);
})();
