/** The Node entry's process-level pieces, in a child process: Ctrl-C stops a run cleanly. */
import { spawn } from 'child_process';
import { join } from 'path';

test('SIGINT aborts at a chunk boundary; the state and step count agree', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures/interrupt-child.ts')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => { out += d; if (out.includes('started') && !child.killed) child.kill('SIGINT'); });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}: ${out}`))));
  });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  expect(r.aborted).toBe(true);
  expect(r.steps).toBeGreaterThan(0);
  expect(r.steps).toBeLessThan(1e7);
  expect(r.steps % 1000).toBe(0);
  expect(r.count).toBe(r.steps);
  expect(r.stepsDone).toBe(r.steps);
}, 60000);

test('under tsx a CompileError points into the user file: path, line, column and the original line', () => {
  const { execFileSync } = require('child_process');
  const file = join(__dirname, 'fixtures/compile-error-child.ts');
  const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8' }).trim());
  const lines = require('fs').readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l: string) => l.includes('=> 2 * x')) + 1;
  expect(out.location.file).toBe(file);
  expect(out.location.line).toBe(line);
  // the column is where the source map puts the construct: within the arrow function on that line
  expect(out.location.column).toBeGreaterThanOrEqual(lines[line - 1].indexOf('(x') + 1);
  expect(out.location.column).toBeLessThanOrEqual(lines[line - 1].length);
  expect(out.message).toContain(`Bad 'B', method update(), ${file}:${line}:${out.location.column}: 'ArrowFunctionExpression' is not supported`);
  expect(out.message).toContain('const twice = (x: number) => 2 * x;');
  expect(out.message).not.toContain('__name');
}, 60000);
