/**
 * Model code after a minifier (a bundler's production build): comma sequences, ternary and && statements,
 * sequences in if-tests. With identifier names kept, it compiles and runs exactly as the source does.
 */
import { buildSync } from 'esbuild';
import { join } from 'path';

function minifiedNetworks(opts: { minifyIdentifiers: boolean }) {
  const r = buildSync({
    entryPoints: [join(__dirname, '../examples/networks.ts')], bundle: true, write: false, platform: 'node', format: 'cjs',
    minifyWhitespace: true, minifySyntax: true, minifyIdentifiers: opts.minifyIdentifiers, external: ['mathjs', 'acorn', 'eventemitter3'],
  });
  const m: { exports: any } = { exports: {} };
  new Function('module', 'exports', 'require', r.outputFiles[0].text)(m, m.exports, require);
  return m.exports as typeof import('../examples/networks');
}

test('minified COBA (identifiers kept) compiles on js and gives the source spike trains', async () => {
  const src = require('../examples/networks') as typeof import('../examples/networks');
  const min = minifiedNetworks({ minifyIdentifiers: false });
  const opts = { seed: 5, nExc: 160, nInh: 40, p: 0.1 };
  const a = await src.cobaNetwork(opts).run(100, { backend: 'js', monitors: ['E.spike', 'I.spike'] });
  const b = await min.cobaNetwork(opts).run(100, { backend: 'js', monitors: ['E.spike', 'I.spike'] });
  expect(b.backend).toBe('js');
  const sa = a.monitors['E.spike'] as any, sb = b.monitors['E.spike'] as any;
  expect(sa.count).toBeGreaterThan(20);
  expect(Array.from(sb.steps)).toEqual(Array.from(sa.steps));
  expect(Array.from(sb.indices)).toEqual(Array.from(sa.indices));
});

test('with identifiers minified too, the error says which option keeps operator names', async () => {
  const min = minifiedNetworks({ minifyIdentifiers: true });
  await expect(min.cobaNetwork({ seed: 5, nExc: 40, nInh: 10 }).run(1)).rejects.toThrow(/keep identifier names .*minifyIdentifiers: false/);
});
