/**
 * The package as users get it: `npm pack` (which builds dist/ through prepack), the tarball installed into an
 * empty folder (dependencies from npm's cache), then
 *   - an ES module, a CommonJS and a TypeScript script each build and run the same small COBA network:
 *     plausible rates, identical across the three;
 *   - the `brainweave` command from the install, on a TypeScript script;
 *   - the main entry bundled for a browser (esbuild, which tsx brings): no Node built-ins, same rates;
 *   - consumer type-checks with moduleResolution node16, nodenext, bundler and node (node10);
 *   - every ```ts block of the READMEs type-checked (nodenext) and run (tsx) against the install.
 * Slow: npm run test:slow.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { extractBlocks } from './readme-blocks';

const ROOT = resolve(__dirname, '..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
let tmp: string, app: string, tarball: string;

function sh(cmd: string, args: string[], cwd: string, timeout = 120000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (r.error) throw r.error;
  return r;
}
function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const node = (file: string) => ok(sh(process.execPath, [file], app), `node ${file}`);
const tsx = (file: string) => ok(sh(process.execPath, [join(app, 'node_modules/tsx/dist/cli.mjs'), file], app), `tsx ${file}`);

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'bw-pkg-'));
  app = join(tmp, 'app');
  mkdirSync(app);
  const packed = ok(sh('npm', ['pack', '--pack-destination', tmp, '--json'], ROOT, 300000), 'npm pack');
  tarball = join(tmp, JSON.parse(packed.slice(packed.indexOf('[')))[0].filename);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'bw-app', private: true }));
  ok(sh('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], app, 300000), 'npm install <tarball>');
}, 600000);
afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

test('the tarball holds the build, the CLI and the docs; no sources, tests, benches or CI', () => {
  const files = ok(sh('tar', ['tzf', tarball], tmp), 'tar').trim().split('\n').map((f) => f.replace(/^package\//, ''));
  const top = new Set(files.map((f) => f.split('/')[0]));
  expect([...top].sort()).toEqual(['README.md', 'bin', 'connectors', 'dist', 'docs', 'models', 'package.json']);
  expect(files.filter((f) => /\.ts$/.test(f) && !/\.d\.ts$/.test(f))).toEqual([]);
  expect(files.filter((f) => /^(connectors|models|docs)\//.test(f) && !f.endsWith('.md'))).toEqual([]);
  for (const f of ['dist/cjs/src/index.js', 'dist/cjs/src/index.d.ts', 'dist/mjs/index.mjs', 'dist/esm/src/index.js', 'dist/mjs/node.d.mts', 'bin/brainweave.cjs']) expect(files).toContain(f);
});

// a small COBA (1000 neurons, p = 0.08 keeps the in-degree of the 4000-neuron network) from the public entries
const NET = (imp: (what: string, from: string) => string) => `
${imp('{ Network }', 'brainweave')}
${imp('{ LIF, ExpCOBA }', 'brainweave/models')}
${imp('{ FixedProb }', 'brainweave/connectors')}
function build() {
  const neuron = { tau: 20, Vth: -50, Vreset: -60, Vrest: -60, tRef: 5, I: 20, V0: -55, V0sd: 5 };
  const E = new LIF(800, neuron), I = new LIF(200, neuron), conn = new FixedProb(0.08);
  const exc = { weight: 0.6, tau: 5, E: 0 }, inh = { weight: 6.7, tau: 10, E: -80 };
  return new Network({ E, I, EE: new ExpCOBA(E, E, conn, exc), EI: new ExpCOBA(E, I, conn, exc),
    IE: new ExpCOBA(I, E, conn, inh), II: new ExpCOBA(I, I, conn, inh) }, { seed: 7 });
}
async function rates() {
  const res = await build().run(500, { dt: 0.1, monitors: ['E.spike', 'I.spike'] });
  const r = (k) => res.monitors[k].count / res.monitors[k].num / 0.5;
  return { E: r('E.spike'), I: r('I.spike'), spikes: res.monitors['E.spike'].count + res.monitors['I.spike'].count };
}
`;
const esm = (what: string, from: string) => `import ${what} from '${from}';`;
const cjs = (what: string, from: string) => `const ${what} = require('${from}');`;

test('ESM, CommonJS and TypeScript scripts run the same network: plausible rates, identical', () => {
  writeFileSync(join(app, 'coba.mjs'), NET(esm) + 'console.log(JSON.stringify(await rates()));\n');
  writeFileSync(join(app, 'coba.cjs'), NET(cjs) + 'rates().then((r) => console.log(JSON.stringify(r)));\n');
  // tsx strips types without checking them; the annotations make it TypeScript that plain Node would reject
  writeFileSync(join(app, 'coba.ts'), NET(esm) + 'const done: (r: object) => void = (r) => console.log(JSON.stringify(r));\nrates().then(done);\n');
  const out = [node('coba.mjs'), node('coba.cjs'), tsx('coba.ts')].map((s) => JSON.parse(s.trim().split('\n').pop()!));
  // COBA's asynchronous irregular state: ≈ 20 Hz in both populations
  expect(out[0].E).toBeGreaterThan(10); expect(out[0].E).toBeLessThan(35);
  expect(out[0].I).toBeGreaterThan(10); expect(out[0].I).toBeLessThan(35);
  expect(out[1]).toEqual(out[0]);
  expect(out[2]).toEqual(out[0]);
}, 120000);

test('the brainweave command from the install runs a TypeScript script and saves its checkpoint', () => {
  writeFileSync(join(app, 'cli-net.ts'), NET(esm) + 'export default (o: { seed?: number }) => build();\n');
  const r = sh(process.execPath, [join(app, 'node_modules/.bin/brainweave'), 'run', 'cli-net.ts', '--duration', '500', '--save', 'out/c.npz', '--progress', 'none'], app);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const mjsOut = JSON.parse(node('coba.mjs').trim());
  const row = (k: string) => r.stdout.split('\n').find((l) => l.trim().startsWith(k))!.trim().split(/\s+/);
  expect(Number(row('E.spike')[3])).toBeCloseTo(mjsOut.E, 2);
  expect(Number(row('I.spike')[3])).toBeCloseTo(mjsOut.I, 2);
  expect(readFileSync(join(app, 'out/c.npz')).subarray(0, 2).toString()).toBe('PK');
  const v = sh(process.execPath, [join(app, 'node_modules/.bin/brainweave'), '--version'], app);
  expect(v.stdout.trim()).toBe(`brainweave ${JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version}`);
  const bad = sh(process.execPath, [join(app, 'node_modules/.bin/brainweave'), 'run', 'cli-net.ts', '--seed', '1.5'], app);
  expect(bad.status).toBe(2);
  expect(bad.stderr).toMatch(/--seed: expected an integer from 0 to 2\^53 - 1, got '1\.5'/);
}, 120000);

test('the main entry bundles for a browser (no Node built-ins) and the bundle gives the same rates', () => {
  writeFileSync(join(app, 'web.mjs'), NET(esm) + 'globalThis.result = rates();\n');
  const esbuild = join(app, 'node_modules/esbuild/bin/esbuild');
  const r = sh(esbuild, ['web.mjs', '--bundle', '--platform=browser', '--format=esm', '--outfile=web.bundle.mjs', '--log-level=warning'], app);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const bundle = readFileSync(join(app, 'web.bundle.mjs'), 'utf8');
  expect(bundle).toContain('dist/esm/src/runtime/network.js'); // esbuild's path comments: the ES module build was used
  expect(bundle).not.toMatch(/dist\/cjs\//);
  expect(bundle).not.toMatch(/require\(["'](node:)?(fs|path|child_process|os|url|vm)["']\)|from ["']node:/);
  writeFileSync(join(app, 'web-run.mjs'), "await import('./web.bundle.mjs'); console.log(JSON.stringify(await globalThis.result));\n");
  expect(JSON.parse(node('web-run.mjs').trim())).toEqual(JSON.parse(node('coba.mjs').trim()));
}, 120000);

const CONSUMER = `
import { Network, Variable, NeuGroup } from 'brainweave';
import { FixedProb } from 'brainweave/connectors';
import { LIF } from 'brainweave/models';
import { writeFigure } from 'brainweave/node';
class Mine extends NeuGroup { V = new Variable(this.num); update() { for (let i = 0; i < this.num; i++) this.V[i] += 1; } }
export const net: Network = new Network({ E: new LIF(10), M: new Mine(2) });
export const conn = new FixedProb(0.1);
export const fig: (path: string, svg: string) => string = writeFigure;
// @ts-expect-error the types are real, not any: FixedProb wants a number
new FixedProb('0.1');
`;

test.each([
  ['node16', 'node16', ['esm.mts', 'cjs.cts']],
  ['nodenext', 'nodenext', ['esm.mts', 'cjs.cts', 'plain.ts']],
  ['bundler', 'esnext', ['plain.ts']],
  ['node10', 'commonjs', ['plain.ts']],
])('consumer types resolve with moduleResolution %s', (resolution, module, files) => {
  const dir = join(app, `types-${resolution}`);
  mkdirSync(dir, { recursive: true });
  for (const f of files as string[]) writeFileSync(join(dir, f), CONSUMER);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      module, moduleResolution: resolution, target: 'es2022', strict: true, noEmit: true, skipLibCheck: false,
      types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')], lib: ['es2022', 'dom'],
    },
    files,
  }));
  const r = sh(process.execPath, [TSC, '-p', dir], dir);
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 120000);

test('every README ts block type-checks (nodenext) and runs against the install', () => {
  const blocks = extractBlocks(ROOT);
  const dir = join(app, 'readme');
  mkdirSync(dir, { recursive: true });
  for (const b of blocks) writeFileSync(join(dir, `${b.name}.mts`), b.code);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', strict: true, noEmit: true, skipLibCheck: true,
      types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')], lib: ['es2022', 'dom'],
    },
    include: ['*.mts'],
  }));
  const tc = sh(process.execPath, [TSC, '-p', dir], dir);
  expect(tc.stdout + tc.stderr).toBe('');
  const ran: string[] = [];
  for (const b of blocks.filter((x) => x.run)) {
    const r = sh(process.execPath, [join(app, 'node_modules/tsx/dist/cli.mjs'), join(dir, `${b.name}.mts`)], app, 300000);
    expect({ block: `${b.file}:${b.line}`, status: r.status, stderr: r.stderr }).toEqual({ block: `${b.file}:${b.line}`, status: 0, stderr: '' });
    ran.push(b.name);
    // a block that exports its network also runs through the command
    if (/^export default/m.test(b.code)) {
      const c = sh(process.execPath, [join(app, 'node_modules/.bin/brainweave'), 'run', join(dir, `${b.name}.mts`), '--duration', '100', '--progress', 'none'], app);
      expect({ block: `${b.file}:${b.line}`, status: c.status, stderr: c.stderr }).toEqual({ block: `${b.file}:${b.line}`, status: 0, stderr: '' });
      expect(c.stdout).toMatch(/E\.spike\s+\d+\s+\d+\s+\d+\.\d\d/);
      ran.push(`${b.name} (brainweave run)`);
    }
  }
  expect(ran.length).toBeGreaterThanOrEqual(6);
  // the export sample wrote its engines' inputs
  expect(readdirSync(join(app, 'out/coba-pynn'))).toContain('run.py');
}, 600000);
