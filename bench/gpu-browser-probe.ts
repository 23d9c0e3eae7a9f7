/**
 * The browser modes (webgl2, webgl, webgpu) of gpu.js in headless Chromium on SwiftShader: the same checks
 * as bench/gpu-probe.ts, run in a page; results come back as a console line on Chromium's log.
 *
 *   npx tsx bench/gpu-browser-probe.ts            # needs Debian's chromium (.ci/install-gpu.sh)
 */
import { spawn } from 'node:child_process';
import { buildSync } from 'esbuild';
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { philox4x32, philoxKernelSource, toHalves } from '../src/backends/gpu/philox';

// 500 counters through the float32 halves form of Philox; the page checks the kernel against the uint32 JS form.
const n = 500, words = new Uint32Array(4 * n);
for (let i = 0; i < 4 * n; i++) words[i] = Math.imul(i + 1, 0x9e3779b9) >>> 0;
const key = [0xa4093822, 0x299f31d0];
const want: number[] = [];
for (let i = 0; i < n; i++) for (const w of philox4x32(words.subarray(4 * i, 4 * i + 4), key)) want.push(w >>> 16, w & 0xffff);
const PHILOX = JSON.stringify({ src: philoxKernelSource('halves'), ctr: Array.from(toHalves(words)), key: Array.from(toHalves(key)), want });

const PAGE = String.raw`<!doctype html><html><body><pre id="out">running</pre>
<script src="gpu-browser.js"></script>
<script src="brainweave-gpu.js"></script>
<script>
const PHILOX = ${PHILOX};
const lines = []; const push0 = lines.push.bind(lines); lines.push = (l) => { console.log('PROBE-LINE ' + JSON.stringify(l)); return push0(l); };
const res = async (v) => (v && typeof v.then === 'function' ? await v : v);
const toArr = async (v) => { v = await res(v); if (v && typeof v.toArray === 'function') v = await res(v.toArray()); return Array.from(v); };
const close = (a, b, tol = 1e-5) => { if (a.length !== b.length) return 'length ' + a.length + ' != ' + b.length;
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])))) return '[' + i + '] ' + a[i] + ' != ' + b[i]; return null; };
async function check(name, f) {
  let ran = '';
  try { const t0 = performance.now(); const r = await f((k) => { const m = k && (k.executorKind ? k.backend : k.kernel && (MODE[k.kernel.constructor.name] || k.kernel.constructor.name)); if (m) ran = 'ran on ' + m + (k.executorKind ? ' (' + k.executorKind + ')' : ''); });
    lines.push('  ' + name.padEnd(40) + (r ? 'WRONG  ' + r : 'ok     ' + (performance.now() - t0).toFixed(0) + ' ms') + ' ' + ran);
  } catch (e) { lines.push('  ' + name.padEnd(40) + 'error  ' + String(e && e.message || e).split('\n')[0].slice(0, 160)); }
}
function ragged(rows, cols, maxLen) {
  const ptr = [0], idx = [], w = [];
  for (let j = 0; j < rows; j++) { const len = (j * 37) % (maxLen + 1); for (let k = 0; k < len; k++) { idx.push((j * 13 + k * 7) % cols); w.push(1 + ((j + k) % 5)); } ptr.push(idx.length); }
  const spike = Array.from({ length: cols }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const expect = Array.from({ length: rows }, (_, j) => { let s = 0; for (let k = ptr[j]; k < ptr[j + 1]; k++) if (spike[idx[k]]) s += w[k]; return s; });
  return { ptr, idx, w, spike, expect };
}
const CLS = { webgpu: 'WebGPUKernel', webgl2: 'WebGL2Kernel', webgl: 'WebGLKernel' };
const MODE = { WebGPUKernel: 'webgpu', WebGL2Kernel: 'webgl2', WebGLKernel: 'webgl', CPUKernel: 'cpu', WebAssemblyKernel: 'webasm' };
async function probe(mode) {
  let gpu;
  try {
    if (mode === 'webgpu' && !(await GPU.isWebGPUAvailable())) throw new Error('no WebGPU adapter');
    gpu = new GPU({ mode });
    if (gpu.Kernel.name !== CLS[mode]) throw new Error('gpu.js chose ' + gpu.Kernel.name);
  } catch (e) { lines.push('## ' + mode + ': unavailable: ' + e.message); return; }
  let dev = '';
  try {
    if (mode === 'webgpu') { const a = await navigator.gpu.requestAdapter(); const i = a.info || {}; dev = [i.vendor, i.architecture, i.description].join(' / '); }
    else { const gl = document.createElement('canvas').getContext(mode === 'webgl2' ? 'webgl2' : 'webgl'); const x = gl.getExtension('WEBGL_debug_renderer_info'); dev = x ? gl.getParameter(x.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER); }
  } catch (e) { dev = '?'; }
  lines.push('## ' + mode + ' (' + dev + ')');
  const n = 10000, a = Float32Array.from({ length: n }, (_, i) => i * 0.5), b = Float32Array.from({ length: n }, (_, i) => n - i);
  await check('elementwise', async (ran) => { const k = gpu.createKernel(function (a, b) { return a[this.thread.x] * 2 + b[this.thread.x]; }, { output: [n] });
    const r = await toArr(k(a, b)); ran(k); return close(r, Array.from(a, (x, i) => x * 2 + b[i])); });
  const R = ragged(4000, 4000, 160);
  await check('gather (k from 0)', async (ran) => { const k = gpu.createKernel(function (ptr, idx, w, spike) {
      const s = ptr[this.thread.x]; const len = ptr[this.thread.x + 1] - s; let sum = 0;
      for (let k = 0; k < len; k++) { if (spike[idx[s + k]] > 0) sum += w[s + k]; } return sum; }, { output: [4000], loopMaxIterations: 200 });
    const r = await toArr(k(R.ptr, R.idx, R.w, R.spike)); ran(k); return close(r, R.expect); });
  await check('gather (k from ptr[j])', async (ran) => { const k = gpu.createKernel(function (ptr, idx, w, spike) {
      let sum = 0; for (let k = ptr[this.thread.x]; k < ptr[this.thread.x + 1]; k++) { if (spike[idx[k]] > 0) sum += w[k]; } return sum; }, { output: [4000], loopMaxIterations: 200 });
    const r = await toArr(k(R.ptr, R.idx, R.w, R.spike)); ran(k); return close(r, R.expect); });
  await check('loopMaxIterations < row (expect WRONG)', async (ran) => { const k = gpu.createKernel(function (ptr, idx, w, spike) {
      const s = ptr[this.thread.x]; const len = ptr[this.thread.x + 1] - s; let sum = 0;
      for (let k = 0; k < len; k++) { if (spike[idx[s + k]] > 0) sum += w[s + k]; } return sum; }, { output: [4000], loopMaxIterations: 100 });
    const r = await toArr(k(R.ptr, R.idx, R.w, R.spike)); ran(k); return close(r, R.expect); });
  await check('pipeline ping-pong', async (ran) => { const step = gpu.createKernel(function (x) { return x[this.thread.x] * 0.5 + 1; }, { output: [n], pipeline: true, immutable: true });
    let x = a; for (let s = 0; s < 100; s++) { const y = await res(step(x)); if (s > 0 && x.delete) x.delete(); x = y; }
    const got = await toArr(x); ran(step); return close(got, Array.from(a, (v) => { for (let s = 0; s < 100; s++) v = v * 0.5 + 1; return v; })); });
  await check('same texture in and out (expect error)', async (ran) => { const step = gpu.createKernel(function (x) { return x[this.thread.x] + 1; }, { output: [n], pipeline: true });
    let x = await res(step(a)); for (let s = 0; s < 3; s++) x = await res(step(x)); const got = await toArr(x); ran(step); return close(got, Array.from(a, (v) => v + 4)); });
  await check('createPipeline', async (ran) => { const step = gpu.createKernel(function (x, b) { return x[this.thread.x] * 0.5 + b[this.thread.x]; }, { output: [n] });
    const plan = gpu.createPipeline(function (x, b) { for (let s = 0; s < 50; s++) x = step(x, b); return x; });
    const got = await toArr(await plan(a, b)); ran(plan); return close(got, Array.from(a, (v, i) => { for (let s = 0; s < 50; s++) v = v * 0.5 + b[i]; return v; })); });
  await check('kernel map (2 outputs)', async (ran) => { const k = gpu.createKernelMap({ twice: function (v) { return v * 2; } },
      function (a, b) { const t = twice(a[this.thread.x]); return t + b[this.thread.x]; }, { output: [n] });
    const r = await res(k(a, b)); ran(k); return close(await toArr(r.twice), Array.from(a, (x) => x * 2)) || close(await toArr(r.result), Array.from(a, (x, i) => x * 2 + b[i])); });
  await check('integer above 2^24 (expect WRONG)', async (ran) => { const k = gpu.createKernel(function (a) { return a[this.thread.x] + 1; }, { output: [4] });
    const src = [16777216, 16777217, 33554431, 5]; const r = await toArr(k(src)); ran(k); return close(r, src.map((x) => x + 1), 0); });
  await check('Philox4x32-10 halves kernel, bit-exact', async (ran) => {
    const k = gpu.createKernel(PHILOX.src, { output: [PHILOX.ctr.length] });
    const r = await toArr(k(PHILOX.ctr, PHILOX.key)); ran(k); return close(r, PHILOX.want, 0); });
  try { gpu.destroy(); } catch (e) {}
}
// src/backends/gpu/index.ts bundled for the browser (BW): what the context chooses and reports here.
async function contextChecks() {
  for (const mode of ['webgl2', 'webgl', 'webgpu', 'auto']) {
    try {
      const ctx = await BW.createGPUContext({ mode, allowSoftware: mode !== 'auto' });
      const k = ctx.gpu.createKernel(function (a) { return a[this.thread.x] + 1; }, { output: [4] });
      const r = await toArr(k([1, 2, 3, 4]));
      lines.push('context ' + mode.padEnd(7) + ' → ' + ctx.describe() + '; kernel ran on ' + BW.kernelMode(k) + ' → ' + JSON.stringify(r) +
        (ctx.rejected.length ? '; rejected ' + ctx.rejected.map((x) => x.mode + ': ' + x.reason).join(' | ') : ''));
      ctx.destroy();
    } catch (e) { lines.push('context ' + mode.padEnd(7) + ' → ' + e.message); }
  }
}
(async () => { for (const m of ['webgl2', 'webgl', 'webgpu']) await probe(m); await contextChecks(); console.log('PROBE-RESULT ' + JSON.stringify(lines)); })();
</script></body></html>`;

const dir = mkdtempSync(join(tmpdir(), 'gpujs-'));
copyFileSync(join(dirname(require.resolve('gpu.js/package.json')), 'dist', 'gpu-browser.js'), join(dir, 'gpu-browser.js'));
writeFileSync(join(dir, 'probe.html'), PAGE);
// The browser entry, bundled as a browser would get it (esbuild comes with tsx).
const bundle = buildSync({ entryPoints: [join(__dirname, '../src/backends/gpu/index.ts')], bundle: true, platform: 'browser',
  format: 'iife', globalName: 'BW', write: false, logLevel: 'error' }).outputFiles[0].text;
if (/gpu-webgpu|dawn\.node|createRequire/.test(bundle)) throw new Error('the browser bundle reaches Node-only code');
writeFileSync(join(dir, 'brainweave-gpu.js'), bundle);
const flags = ['--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--allow-file-access-from-files', '--enable-logging=stderr', '--v=0',
  `file://${join(dir, 'probe.html')}`];
console.log(`chromium ${flags.join(' ')}`);
// Headless Chromium keeps running after the page is done: wait for the result line on its log, then stop it.
const child = spawn('chromium', flags, { stdio: ['ignore', 'ignore', 'pipe'] });
let log = '';
const timer = setTimeout(() => { console.log('no result within 240 s:\n' + log.slice(-3000)); child.kill(); }, 240000);
child.stderr!.on('data', (d) => {
  log += d;
  for (const l of d.toString().matchAll(/PROBE-LINE ("(?:[^"\\]|\\.)*")/g)) console.log(JSON.parse(l[1]));
  const m = /PROBE-RESULT (\[.*\])/.exec(log);
  if (m) { clearTimeout(timer); child.kill(); }
});
