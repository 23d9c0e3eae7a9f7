/**
 * Same process, same machine: COBA-4000 (1 s, dt 0.1 ms) and the 1M-neuron LIF step as built by two
 * checkouts of brainweave, alternating, medians. For "no speed lost" claims across a refactor.
 * Run: npx tsx bench/compare-trees.ts <old checkout> <new checkout> [--reps 7] [--backend js]
 * (--backend goes to run() of both; a checkout from before backends existed ignores it.)
 * (make the checkouts with `git worktree add /tmp/old <commit>`; each needs node_modules, e.g. a symlink.)
 */
import { resolve } from 'path';
import { median, fmt, arg } from './util';

async function main() {
  const [a, b] = process.argv.slice(2).filter((x, i, all) => !x.startsWith('--') && !/^\d+$/.test(x) && all[i - 1] !== '--backend');
  if (!a || !b) throw new Error('usage: npx tsx bench/compare-trees.ts <old checkout> <new checkout> [--reps 7]');
  const reps = arg('reps', 7);
  const bi = process.argv.indexOf('--backend'), backend = bi >= 0 ? process.argv[bi + 1] : undefined;
  const trees = [a, b].map((root) => ({
    root,
    nets: require(resolve(root, 'examples/networks')),
    lif: require(resolve(root, 'models/neurons/lif')),
    src: require(resolve(root, 'src')),
  }));
  const coba: number[][] = [[], []], lif: number[][] = [[], []], counts: string[] = ['', ''];
  for (let r = 0; r < reps; r++) {
    for (let k = 0; k < 2; k++) {
      const t = trees[(r + k) % 2 === 0 ? 0 : 1], which = t === trees[0] ? 0 : 1;
      const res = await t.nets.cobaNetwork({ seed: 42 }).run(1000, { dt: 0.1, backend, monitors: ['E.spike', 'I.spike'] });
      coba[which].push(res.timings.run);
      counts[which] = `${res.monitors['E.spike'].count}/${res.monitors['I.spike'].count}`;
      const G = new t.lif.LIF(1_000_000, { I: 20, V0: -55, V0sd: 5 });
      const net = new t.src.Network({ G }, { seed: 1 });
      await net.run(0.1, { backend });
      const l = await net.run(10, { dt: 0.1, backend });
      lif[which].push(l.timings.run / 100);
    }
  }
  for (const k of [0, 1]) console.log(`${trees[k].root}: COBA loop ${fmt(median(coba[k]))} (spikes E/I ${counts[k]}), 1M LIF step ${fmt(median(lif[k]))}`);
  console.log(`new ÷ old: COBA ${(median(coba[1]) / median(coba[0])).toFixed(3)}, 1M LIF ${(median(lif[1]) / median(lif[0])).toFixed(3)} (reps ${reps}, alternating)`);
}

main();
