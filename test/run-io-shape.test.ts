/**
 * The runtime hands each call of an executable's run() an `io` object; optimised generated code checks its
 * hidden class. The step count read back from the Float64Array S used to make stepsDone a heap number after the
 * first chunk, which changed that class and deoptimised the js backend's run() (src/runtime/network.ts, stepOf).
 * Checked in a child process, where V8's natives syntax can compare hidden classes.
 */
import { execFileSync } from 'child_process';
import { join } from 'path';

test('every run() call of two networks gets io of one hidden class; stepsDone stays a small integer', () => {
  const out = execFileSync(process.execPath,
    ['--allow-natives-syntax', '--require', 'tsx/cjs', join(__dirname, 'fixtures/run-io-child.ts')],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const r = JSON.parse(out.trim().split('\n').pop()!);
  expect(r.calls).toBeGreaterThanOrEqual(2 * 3 * 8); // 50 steps in chunks of 7: 8 calls per run
  expect(r.smi).toEqual([true, true, true, true, true, true]);
  expect(r.oneMap).toBe(true);
});
