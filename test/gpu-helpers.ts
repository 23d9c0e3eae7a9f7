/**
 * Which gpu.js modes can run in this process, decided once, synchronously, in a child Node process (jest
 * needs to know at collection time whether to register a test or skip it; asking for a WebGPU adapter is
 * async). The reason for each unavailable mode is the skip message.
 */
import { spawnSync } from 'node:child_process';
import type { ConcreteMode } from '../src/backends/gpu/context';

const PROBE = `
const out = {};
const tryit = (m, f) => { try { const r = f(); out[m] = r === true ? null : r; } catch (e) { out[m] = String(e && e.message || e).split('\\n')[0]; } };
let G = null;
try { G = require('gpu.js').GPU; } catch (e) { for (const m of ['cpu','webasm','webgpu','headlessgl','webgl2','webgl']) out[m] = 'npm package "gpu.js" is not installed'; }
(async () => {
  if (G) {
    tryit('cpu', () => true);
    tryit('webasm', () => G.isWebAssemblySupported || 'WebAssembly missing');
    tryit('headlessgl', () => {
      if (G.isHeadlessGLSupported) return true;
      let stub = false; try { stub = /stub/.test(require('gl/package.json').version); } catch (e) {}
      return stub ? 'native package "gl" (headless-gl) is stubbed by package.json overrides' : 'native package "gl" (headless-gl) missing or not built';
    });
    out.webgl2 = 'browser only'; out.webgl = 'browser only';
    try {
      const { create, globals } = require('webgpu');
      Object.assign(globalThis, globals);
      const a = await create([]).requestAdapter();
      out.webgpu = a ? null : 'no WebGPU adapter (set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json after .ci/install-gpu.sh)';
    } catch (e) { out.webgpu = 'npm package "webgpu" (0.6.2) not loadable: ' + String(e.message).split('\\n')[0]; }
  }
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
})();`;

let cache: Record<string, string | null> | null = null;

/** null when the mode runs here, else why not. */
export function gpuModeUnavailable(mode: ConcreteMode): string | null {
  if (!cache) {
    const r = spawnSync(process.execPath, ['-e', PROBE], { cwd: __dirname, encoding: 'utf8', timeout: 60000 });
    try { cache = JSON.parse(r.stdout); } catch { cache = {}; }
    if (!cache || Object.keys(cache).length === 0) {
      cache = { _: `availability probe failed: ${(r.stderr || r.error?.message || '').split('\n')[0]}` };
    }
  }
  if ('_' in cache!) return cache!._;
  return mode in cache! ? cache![mode] : `mode ${mode} not probed`;
}

/** `test` when the mode is available, else `test.skip` with the reason in the title. */
export function gpuTest(mode: ConcreteMode): { title: (t: string) => string; fn: jest.It } {
  const why = gpuModeUnavailable(mode);
  return why === null
    ? { title: (t) => `${mode}: ${t}`, fn: test }
    : { title: (t) => `${mode}: ${t} [SKIPPED: ${why}]`, fn: test.skip };
}
