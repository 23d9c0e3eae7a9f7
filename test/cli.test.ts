/**
 * The `brainweave` command, run as a child process from the sources (node --import tsx src/node/cli/bin.ts):
 * outputs read back and compared with the same network run here, and the documented exit codes.
 */
import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';
import { cobaNetwork } from '../examples/networks';
import { loadResults } from '../src/node';
import type { SpikeMonitorData, ValueMonitorData } from '../src';
import { progressSink } from '../src/node/cli/progress-bar';
import { decodePNG } from './png-decode';

const ROOT = resolve(__dirname, '..');
const SRC = JSON.stringify(join(ROOT, 'src'));
let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'bw-cli-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/node/cli/bin.ts'), ...args], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, BRAINWEAVE_DEBUG: '' }, timeout: 60000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function script(name: string, text: string): string {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
}

describe('brainweave run', () => {
  test('COBA: summary table, progress lines, PNG raster and checkpoint equal to the same run in this process', async () => {
    const png = join(tmp, 'figs', 'coba.png'), npz = join(tmp, 'coba.npz');
    const r = cli('run', 'examples/coba.ts', '--duration', '100', '--dt', '0.1', '--seed', '3', '--plot', png, '--save', npz);
    expect(r.err).not.toMatch(/brainweave:/);
    expect(r.code).toBe(0);

    // the same network, run here
    const net = cobaNetwork({ seed: 3 });
    const res = await net.run(100, { dt: 0.1, monitors: ['E.spike', 'I.spike'] });
    const E = res.monitors['E.spike'] as SpikeMonitorData, I = res.monitors['I.spike'] as SpikeMonitorData;
    expect(E.count).toBeGreaterThan(0);
    const row = (k: string) => r.out.split('\n').find((l) => l.trim().startsWith(k))?.trim().split(/\s+/);
    expect(row('E.spike')).toEqual(['E.spike', '3200', String(E.count), (E.count / 3200 / 0.1).toFixed(2)]);
    expect(row('I.spike')).toEqual(['I.spike', '800', String(I.count), (I.count / 800 / 0.1).toFixed(2)]);
    expect(r.out).toMatch(/100 ms at dt = 0\.1 ms, seed 3, backend \w+/);
    expect(r.out).toMatch(/build \d+\.\d{3} s\s+compile \d+\.\d{3} s\s+run \d+\.\d{3} s/);
    // not a terminal: one line per 10%
    const lines = r.err.split('\n').filter((l) => /^run\s+\d+%/.test(l));
    expect(lines.map((l) => Number(/(\d+)%/.exec(l)![1]))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);

    // PNG: the raster's size (800 × 600 with the rate panel), mostly white, with dark spike marks
    const img = decodePNG(new Uint8Array(readFileSync(png)));
    expect([img.width, img.height]).toEqual([800, 600]);
    let dark = 0, white = 0;
    for (let y = 0; y < img.height; y += 2) for (let x = 0; x < img.width; x += 2) {
      const [rr, g, b] = img.px(x, y);
      if (rr + g + b < 300) dark++; else if (rr + g + b > 740) white++;
    }
    const n = (img.width / 2) * (img.height / 2);
    expect(white / n).toBeGreaterThan(0.5);
    expect(dark / n).toBeGreaterThan(0.005);

    // checkpoint: restored into a fresh identical network, every Variable and the clock equal the run here
    const back = cobaNetwork({ seed: 3 });
    await back.restore(new Uint8Array(readFileSync(npz)));
    expect(back.t).toBeCloseTo(100, 9);
    expect(back.stepsDone).toBe(1000);
    for (const p of net.variablePaths()) expect(Array.from(back.variable(p)!.value)).toEqual(Array.from(net.variable(p)!.value));
    // and it continues exactly as the run that never stopped
    const [a, b] = await Promise.all([net.run(20, { monitors: ['E.spike'] }), back.run(20, { monitors: ['E.spike'] })]);
    expect(Array.from((b.monitors['E.spike'] as SpikeMonitorData).indices)).toEqual(Array.from((a.monitors['E.spike'] as SpikeMonitorData).indices));
  });

  test('--monitor E.V and --save <folder> --format json: the results read back equal a run here', async () => {
    const s = script('small.ts', `
      import { cobaNetwork } from ${JSON.stringify(join(ROOT, 'examples/networks'))};
      export default (o: { seed?: number }) => cobaNetwork({ nExc: 80, nInh: 20, p: 0.2, seed: o.seed });
    `);
    const dir = join(tmp, 'res');
    const r = cli('run', s, '--duration', '50', '--seed', '5', '--monitor', 'E.V', '--save', dir, '--format', 'json', '--progress', 'none');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/E\.V: 500 records × 80 values/);
    const got = loadResults(dir);
    const res = await cobaNetwork({ nExc: 80, nInh: 20, p: 0.2, seed: 5 }).run(50, { monitors: ['E.spike', 'I.spike', 'E.V'] });
    expect(Object.keys(got.monitors).sort()).toEqual(['E.V', 'E.spike', 'I.spike']);
    const want = res.monitors['E.spike'] as SpikeMonitorData, have = got.monitors['E.spike'];
    expect(have.kind).toBe('spike');
    expect(Array.from(have.kind === 'spike' ? have.times : [])).toEqual(Array.from(want.times));
    const V = got.monitors['E.V'], wantV = res.monitors['E.V'] as ValueMonitorData;
    expect(V.kind === 'value' && Array.from(V.data as Float32Array)).toEqual(Array.from(wantV.data));
    expect((got.meta as { seed: number }).seed).toBe(5);
  });

  test('bad flags: exit 2 and one line naming the flag and the value', () => {
    const cases: [string[], RegExp][] = [
      [['run', 'examples/coba.ts', '--dt', 'abc'], /--dt: expected a positive number of ms, got 'abc'/],
      [['run', 'examples/coba.ts', '--frobnicate'], /Unknown option '--frobnicate'/],
      [['run', 'examples/coba.ts', '--plot', 'out.jpg'], /--plot: the file must end in \.png or \.svg, got 'out\.jpg'/],
      [['run', 'examples/coba.ts', '--duration', '1', '--monitor', 'E.nope'], /--monitor E\.nope: the network has no such Variable \(it has: .*E\.V/],
      [['run', 'examples/coba.ts', '--duration', '1', '--backend', 'gpu9'], /--backend: no backend 'gpu9'/],
      [['export', 'examples/coba.ts', 'out/x'], /export: --to is required/],
      [['run', 'no/such/script.ts'], /script: no such file 'no\/such\/script\.ts'/],
      [['walk'], /unknown command 'walk'/],
    ];
    for (const [args, msg] of cases) {
      const r = cli(...args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err.split('\n')[0]).toMatch(msg);
      expect(r.out).toBe('');
    }
  });

  test('a script that throws: exit 3 with its message; a failing simulation: exit 4 with the error', () => {
    const throws = script('throws.ts', `throw new Error('no parameters file here');\nexport default 1;\n`);
    let r = cli('run', throws);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^brainweave: .*throws\.ts: no parameters file here\n$/);

    const factory = script('factory.ts', `export default () => { throw new RangeError('nExc must be > 0'); };\n`);
    r = cli('run', factory);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/its default export threw: RangeError: nExc must be > 0/);

    const none = script('none.ts', `export const x = 1;\n`);
    r = cli('run', none);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/exports no network: .* \(it exports: x\)/);

    const blowup = script('blowup.ts', `
      import { Network } from ${SRC};
      import { Exploding } from ${JSON.stringify(join(ROOT, 'test/helpers'))};
      export default new Network({ A: new Exploding(4) }, { seed: 1 });
    `);
    r = cli('run', blowup, '--duration', '50', '--progress', 'none');
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/^brainweave: run failed: SimulationError: simulation blew up: A\.V\[2\] = (Infinity|NaN)/);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });

  test('--help and export --to pynn', () => {
    const h = cli('--help');
    expect(h.code).toBe(0);
    expect(h.out).toMatch(/^brainweave: run or export/);
    for (const f of ['--duration', '--dt', '--seed', '--backend', '--monitor', '--plot', '--save', '--to']) expect(h.out).toContain(f);
    const dir = join(tmp, 'pynn');
    const r = cli('export', 'examples/coba.ts', '--to', 'pynn', dir, '--seed', '2');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/populations E \(3200\), I \(800\); 4 projections/);
    expect(existsSync(join(dir, 'run.py'))).toBe(true);
  });
});

describe('progress display', () => {
  const fake = (isTTY: boolean) => { const out: string[] = []; return { out, s: { isTTY, write: (x: string) => { out.push(x); return true; } } as unknown as NodeJS.WriteStream }; };
  test('on a terminal: one redrawn bar line; in a log: a line at each 10%', () => {
    const tty = fake(true), log = fake(false);
    const bar = progressSink('auto', tty.s)!, lines = progressSink('auto', log.s)!;
    for (let k = 1; k <= 50; k++) { bar.update(k / 50, k * 2); lines.update(k / 50, k * 2); }
    bar.done(); lines.done();
    expect(tty.out).toHaveLength(51);
    expect(tty.out[24]).toMatch(/^\r\[#{15}\.{15}\]  50%  t = 50\.0 ms/);
    expect(tty.out[50]).toBe('\n');
    expect(log.out.map((l) => /(\d+)%/.exec(l)![1])).toEqual(['10', '20', '30', '40', '50', '60', '70', '80', '90', '100']);
    expect(progressSink('none', tty.s)).toBeNull();
  });
});
