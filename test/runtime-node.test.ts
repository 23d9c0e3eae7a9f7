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
