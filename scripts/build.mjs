#!/usr/bin/env node
/**
 * Builds the published package into dist/ (run by `npm run build`, `prepare` and `prepack`):
 *
 *   dist/cjs/  CommonJS + .d.ts (tsconfig.build.json): the implementation Node runs, for require() and import
 *   dist/mjs/  ES module wrappers for Node's `import`: named re-exports of dist/cjs (+ .d.mts), so a program
 *              that mixes import and require, or the CLI loading a user's script, shares one copy of the
 *              library's classes and registries (Node's "ES module wrapper" answer to the dual-package hazard,
 *              nodejs.org/api/packages.html#dual-package-hazard)
 *   dist/esm/  real ES modules (tsconfig.build.esm.json) for bundlers, through the "browser" condition; the
 *              main entry, connectors and models only (brainweave/node is Node-only)
 *
 * No bundler and no minifier: tsc emits file by file at ES2022, so identifiers and update() bodies stay as
 * written (the compiler reads them with Function.prototype.toString and knows operators by name).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);

/** Subpath → source entry (without extension), shared with package.json's "exports" (checked below). */
export const ENTRIES = {
  '.': 'src/index',
  './connectors': 'connectors/index',
  './models': 'models/index',
  './node': 'src/node/index',
};
const NODE_ONLY = new Set(['./node']);

function tsc(project) {
  const bin = require.resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [bin, '-p', join(root, project)], { stdio: 'inherit', cwd: root });
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
}

/**
 * ES modules need full specifiers: './core/variable' → './core/variable.js', './ops' → './ops/index.js'.
 * Only relative specifiers in import/export positions are touched, and only when the target file exists.
 */
function addJsExtensions(dir) {
  const spec = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*?)\2/g;
  let files = 0;
  for (const file of walk(dir).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(file, 'utf8');
    const fixed = text.replace(spec, (m, lead, q, s) => {
      if (/\.(m?js|json)$/.test(s)) return m;
      const base = resolve(dirname(file), s);
      if (existsSync(`${base}.js`)) return `${lead}${q}${s}.js${q}`;
      if (existsSync(join(base, 'index.js'))) return `${lead}${q}${s}/index.js${q}`;
      throw new Error(`build: ${relative(root, file)} imports '${s}', which is neither ${s}.js nor ${s}/index.js in ${relative(root, dir)}`);
    });
    if (fixed !== text) { writeFileSync(file, fixed); files++; }
  }
  return files;
}

/**
 * A CommonJS declaration file may not import the types of an ES module package under moduleResolution node16
 * (TS1541) unless it says so: `import type ... from 'mathjs'` gets `with { 'resolution-mode': 'import' }`
 * (TypeScript >= 5.3, any moduleResolution). Only packages whose package.json says "type": "module".
 */
function markEsmTypeImports(dir) {
  let n = 0;
  const esm = new Map();
  const isEsm = (name) => {
    if (!esm.has(name)) {
      let type = null;
      try { type = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).type; } catch { /* not resolvable: leave it */ }
      esm.set(name, type === 'module');
    }
    return esm.get(name);
  };
  for (const file of walk(dir).filter((f) => f.endsWith('.d.ts'))) {
    const text = readFileSync(file, 'utf8');
    const fixed = text.replace(/^(import type [^;]+ from (['"])((?:@[\w.-]+\/)?[\w.-]+)\2)(;)$/gm, (m, head, q, name) => (isEsm(name) ? (n++, `${head} with { 'resolution-mode': 'import' };`) : m));
    if (fixed !== text) writeFileSync(file, fixed);
  }
  return n;
}

/** dist/mjs/<name>.mjs: `export const { a, b } = cjs` for every runtime export of the CommonJS entry. */
function writeWrapper(sub, entry) {
  const name = sub === '.' ? 'index' : sub.slice(2);
  const cjs = join(dist, 'cjs', `${entry}.js`);
  const names = Object.keys(require(cjs)).filter((k) => k !== '__esModule' && k !== 'default').sort();
  for (const k of names) if (!/^[A-Za-z_$][\w$]*$/.test(k)) throw new Error(`build: export '${k}' of ${entry} is not an identifier`);
  const rel = relative(join(dist, 'mjs'), cjs).split('\\').join('/');
  writeFileSync(join(dist, 'mjs', `${name}.mjs`),
    `// ES module face of ${rel} (one implementation for import and require; see scripts/build.mjs)\n` +
    `import cjs from '${rel}';\nexport const {\n  ${names.join(',\n  ')},\n} = cjs;\n`);
  writeFileSync(join(dist, 'mjs', `${name}.d.mts`), `export * from '${rel.replace(/\.js$/, '.js')}';\n`);
  return names.length;
}

const t0 = Date.now();
rmSync(dist, { recursive: true, force: true });
tsc('tsconfig.build.json');
tsc('tsconfig.build.esm.json');
const fixed = addJsExtensions(join(dist, 'esm'));
const marked = markEsmTypeImports(join(dist, 'cjs'));
writeFileSync(join(dist, 'esm', 'package.json'), JSON.stringify({ type: 'module' }, null, 2) + '\n');
writeFileSync(join(dist, 'cjs', 'package.json'), JSON.stringify({ type: 'commonjs' }, null, 2) + '\n');
mkdirSync(join(dist, 'mjs'), { recursive: true });
const counts = Object.entries(ENTRIES).map(([sub, entry]) => `${sub} ${writeWrapper(sub, entry)}`);

// package.json's "exports" must point at what was just built
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const sub of Object.keys(ENTRIES)) {
  const e = pkg.exports?.[sub];
  if (!e) throw new Error(`build: package.json exports has no '${sub}'`);
  const targets = JSON.stringify(e).match(/"\.\/dist\/[^"]+"/g) ?? [];
  for (const t of targets) if (!existsSync(join(root, JSON.parse(t)))) throw new Error(`build: exports['${sub}'] names ${t}, which the build did not make`);
  if (!NODE_ONLY.has(sub) && !JSON.stringify(e).includes('./dist/esm/')) throw new Error(`build: exports['${sub}'] has no ./dist/esm/ (browser) target`);
}
console.log(`build: dist/cjs, dist/esm (${fixed} files with .js specifiers), dist/mjs (exports: ${counts.join(', ')}); ${marked} ES module type imports marked in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
