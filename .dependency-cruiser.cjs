/**
 * The layering of brainweave, checked in CI (`npm run check:layers`). Lower layers never import higher ones:
 *   core (model objects, build, seeding) → compiler → ops → backends → runtime → node (files, terminal)
 * with leaf utilities (io, plots, analysis) importing no layer, integrators at the model level, and every
 * module outside src/node free of Node built-ins, so the main entry bundles for a browser.
 */
const layer = (name, allowed) => ({
  name: `layer-${name}`,
  comment: `${name} may import only ${allowed.join(', ')}`,
  severity: 'error',
  from: { path: `^src/${name}/` },
  to: { path: '^src/', pathNot: [`^src/(${[name, ...allowed].join('|')})/`] },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    layer('core', []),
    layer('integrators', ['core']),
    layer('compiler', ['core']),
    layer('ops', ['core', 'compiler']),
    layer('backends', ['core', 'compiler', 'ops']),
    layer('runtime', ['core', 'compiler', 'ops', 'backends', 'io']),
    layer('io', []),
    layer('plots', ['analysis']),
    layer('analysis', []),
    {
      name: 'browser-safe',
      comment: 'only src/node may use Node built-ins (fs, path, process, ...); the main entry must bundle for a browser',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/node/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'main-entry-not-node',
      severity: 'error',
      from: { path: '^src/index\\.ts$' },
      to: { path: '^src/node/' },
    },
    {
      name: 'models-use-public-api',
      comment: 'models and connectors are written on the public API, as users write theirs',
      severity: 'error',
      from: { path: '^models/' },
      to: { path: '^src/(?!index\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
