/**
 * brainweave/node compiles the wasm backend's modules eagerly with V8's optimising compiler (src/node/wasm-compile.ts)
 * and leaves V8's flags as they were for every other module. Checked in a child process, where V8's natives
 * syntax says which tier holds a function before its first call.
 */
import { execFileSync } from 'child_process';
import { join } from 'path';

const child = (extra: string[] = []) => JSON.parse(execFileSync(process.execPath,
  ['--allow-natives-syntax', ...extra, '--require', 'tsx/cjs', join(__dirname, 'fixtures/wasm-compile-child.ts')],
  { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }).trim().split('\n').pop()!);

test('the wasm backend\'s modules are optimised before their first call; other modules compile as V8 would', () => {
  const r = child();
  expect(r.before).toBe('uncompiled');   // without the hook: compiled lazily, on the first call
  expect(r.installed).toBe(true);
  expect(r.hooked).toBe('turbofan');
  expect(r.plainAfter).toBe('uncompiled'); // the flags are back
});

test('a user\'s own V8 wasm flags win: nothing is installed', () => {
  expect(child(['--no-liftoff']).installed).toBe(false);
  expect(child(['--wasm_lazy_compilation']).installed).toBe(false);
});
