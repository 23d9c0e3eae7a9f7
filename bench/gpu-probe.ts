/**
 * What gpu.js can do here, mode by mode: the checks behind the table in src/backends/gpu/README.md.
 *
 *   VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json npx tsx bench/gpu-probe.ts [mode ...]
 *
 * Each check computes something whose answer is known and compares; "ok" means equal (exact integers or
 * float32-close), "WRONG" means it ran and gave a different answer, "error" means gpu.js threw.
 */
import { philox4x32, philoxKernelSource, toHalves } from '../src/backends/gpu/philox';
import { createNodeGPUContext, GPU_MODES, ConcreteMode, GPUContext, kernelMode } from '../src/node/gpu';

type Result = { status: 'ok' | 'WRONG' | 'error' | 'skip'; note: string };
const res = async (v: any) => (v && typeof v.then === 'function' ? await v : v);
const toArr = async (v: any): Promise<number[]> => {
  v = await res(v);
  if (v && typeof v.toArray === 'function') v = await res(v.toArray());
  return Array.from(v as ArrayLike<number>);
};
function close(a: number[], b: number[], tol = 1e-5): string | null {
  if (a.length !== b.length) return `length ${a.length} ≠ ${b.length}`;
  for (let i = 0; i < a.length; i++) if (!(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])))) return `[${i}] ${a[i]} ≠ ${b[i]}`;
  return null;
}
/** Set by a check to say which backend actually ran it (gpu.js degrades some kernels to cpu with a warning). */
let ran = '';
const ranBy = (k: any) => { const m = k?.executorKind ? k.backend : kernelMode(k); if (m) ran = `ran on ${m}${k.executorKind ? ` (${k.executorKind})` : ''}`; };
async function check(name: string, f: () => Promise<string | null>): Promise<Result> {
  ran = '';
  try {
    const t0 = performance.now();
    const bad = await f();
    const ms = (performance.now() - t0).toFixed(0);
    return bad ? { status: 'WRONG', note: `${bad} ${ran}` } : { status: 'ok', note: `${ms} ms ${ran}` };
  } catch (e) {
    return { status: 'error', note: (e as Error).message.split('\n')[0].slice(0, 160) };
  }
}

/** A CSC-like ragged structure: row j has len(j) entries; the gather sums w[k] where spike[idx[k]]. */
function ragged(rows: number, cols: number, maxLen: number) {
  const ptr = [0]; const idx: number[] = []; const w: number[] = [];
  for (let j = 0; j < rows; j++) {
    const len = (j * 37) % (maxLen + 1);
    for (let k = 0; k < len; k++) { idx.push((j * 13 + k * 7) % cols); w.push(1 + ((j + k) % 5)); }
    ptr.push(idx.length);
  }
  const spike = Array.from({ length: cols }, (_, i) => (i % 3 === 0 ? 1 : 0));
  const expect = Array.from({ length: rows }, (_, j) => {
    let s = 0; for (let k = ptr[j]; k < ptr[j + 1]; k++) if (spike[idx[k]]) s += w[k]; return s;
  });
  return { ptr, idx, w, spike, expect };
}

async function probe(ctx: GPUContext): Promise<Record<string, Result>> {
  const gpu = ctx.gpu; const out: Record<string, Result> = {};
  const n = 10000;
  const a = Float32Array.from({ length: n }, (_, i) => i * 0.5), b = Float32Array.from({ length: n }, (_, i) => n - i);

  out.elementwise = await check('elementwise', async () => {
    const k = gpu.createKernel(function (this: any, a: number[], b: number[]) { return a[this.thread.x] * 2 + b[this.thread.x]; }, { output: [n] });
    const r = await toArr(k(a, b)); ranBy(k);
    return close(r, Array.from(a, (x, i) => x * 2 + b[i]));
  });

  const R = ragged(4000, 4000, 160);
  // Gather, loop over the row from 0 with an integer counter (what WebGPU's translator wants).
  out['gather (k from 0)'] = await check('gather0', async () => {
    const k = gpu.createKernel(function (this: any, ptr: number[], idx: number[], w: number[], spike: number[]) {
      const s = ptr[this.thread.x]; const len = ptr[this.thread.x + 1] - s;
      let sum = 0;
      for (let k = 0; k < len; k++) { if (spike[idx[s + k]] > 0) sum += w[s + k]; }
      return sum;
    }, { output: [4000], loopMaxIterations: 200 });
    return close(await toArr(k(R.ptr, R.idx, R.w, R.spike)), R.expect);
  });
  // Gather with the JS-natural loop from ptr[j] to ptr[j+1].
  out['gather (k from ptr[j])'] = await check('gatherPtr', async () => {
    const k = gpu.createKernel(function (this: any, ptr: number[], idx: number[], w: number[], spike: number[]) {
      let sum = 0;
      for (let k = ptr[this.thread.x]; k < ptr[this.thread.x + 1]; k++) { if (spike[idx[k]] > 0) sum += w[k]; }
      return sum;
    }, { output: [4000], loopMaxIterations: 200 });
    return close(await toArr(k(R.ptr, R.idx, R.w, R.spike)), R.expect);
  });
  // Silent truncation: rows up to 160 long with loopMaxIterations 100. "WRONG" here confirms the hazard.
  out['loopMaxIterations < row (expect WRONG)'] = await check('trunc', async () => {
    const k = gpu.createKernel(function (this: any, ptr: number[], idx: number[], w: number[], spike: number[]) {
      const s = ptr[this.thread.x]; const len = ptr[this.thread.x + 1] - s;
      let sum = 0;
      for (let k = 0; k < len; k++) { if (spike[idx[s + k]] > 0) sum += w[s + k]; }
      return sum;
    }, { output: [4000], loopMaxIterations: 100 });
    return close(await toArr(k(R.ptr, R.idx, R.w, R.spike)), R.expect);
  });

  // Ping-pong: 100 steps of x ← 0.5 x + 1 with the state kept on the device, one readback.
  out['pipeline ping-pong'] = await check('pipe', async () => {
    const step = gpu.createKernel(function (this: any, x: number[]) { return x[this.thread.x] * 0.5 + 1; }, { output: [n], pipeline: true, immutable: true });
    let x: any = a;
    for (let s = 0; s < 100; s++) { const y = await res(step(x)); if (s > 0 && x.delete) x.delete(); x = y; }
    const got = await toArr(x); ranBy(step);
    return close(got, Array.from(a, (v) => { for (let s = 0; s < 100; s++) v = v * 0.5 + 1; return v; }));
  });
  // Writing into its own argument: documented to fail without immutable/ping-pong.
  out['same texture in and out (expect error)'] = await check('self', async () => {
    const step = gpu.createKernel(function (this: any, x: number[]) { return x[this.thread.x] + 1; }, { output: [n], pipeline: true });
    let x: any = await res(step(a));
    for (let s = 0; s < 3; s++) x = await res(step(x));
    const got = await toArr(x);
    return close(got, Array.from(a, (v) => v + 4));
  });
  out['createPipeline'] = await check('createPipeline', async () => {
    const step = gpu.createKernel(function (this: any, x: number[], b: number[]) { return x[this.thread.x] * 0.5 + b[this.thread.x]; }, { output: [n] });
    const plan = gpu.createPipeline(function (x: any, b: any) { for (let s = 0; s < 50; s++) x = step(x, b); return x; });
    const got = await toArr(await plan(a, b)); ranBy(plan);
    return close(got, Array.from(a, (v, i) => { for (let s = 0; s < 50; s++) v = v * 0.5 + b[i]; return v; }));
  });
  out['kernel map (2 outputs)'] = await check('map', async () => {
    const k = gpu.createKernelMap({ twice: function (v: number) { return v * 2; } },
      function (this: any, a: number[], b: number[]) { const t = twice(a[this.thread.x]); return t + b[this.thread.x]; }, { output: [n] });
    const r = await res(k(a, b)); ranBy(k);
    const e1 = close(await toArr(r.twice), Array.from(a, (x) => x * 2));
    return e1 ?? close(await toArr(r.result), Array.from(a, (x, i) => x * 2 + b[i]));
  });
  out['bitwise on 16-bit halves'] = await check('bits', async () => {
    const k = gpu.createKernel(function (this: any, a: number[]) { const x = a[this.thread.x]; return (x ^ 43690) + ((x >>> 3) & 255) * 65536; }, { output: [1000] });
    const src = Float32Array.from({ length: 1000 }, (_, i) => (i * 65) % 65536);
    return close(await toArr(k(src)), Array.from(src, (x) => (x ^ 43690) + ((x >>> 3) & 255) * 65536), 0);
  });
  out['integer above 2^24 (expect WRONG)'] = await check('i24', async () => {
    const k = gpu.createKernel(function (this: any, a: number[]) { return a[this.thread.x] + 1; }, { output: [4] });
    const src = [16777216, 16777217, 33554431, 5];
    return close(await toArr(k(src)), src.map((x) => x + 1), 0);
  });
  // Does a value that went through `^` stay an integer (WGSL has i32)? 30000·65536 + b needs 31 bits.
  out['i32 after ^: 30000·2¹⁶ + b exact'] = await check('i32', async () => {
    const k = gpu.createKernel('function (a, b) { const x = (a[this.thread.x] ^ 0) * 65536 + (b[this.thread.x] ^ 0); return x - (a[this.thread.x] ^ 0) * 65536; }', { output: [3] });
    const r = await toArr(k([30000, 30001, 30002], [12345, 1, 65535])); ranBy(k);
    return close(r, [12345, 1, 65535], 0);
  });
  out['Philox4x32-10 halves kernel, bit-exact'] = await check('philox', async () => {
    const n = 500, words = new Uint32Array(4 * n);
    for (let i = 0; i < 4 * n; i++) words[i] = Math.imul(i + 1, 0x9e3779b9) >>> 0;
    const key = [0xa4093822, 0x299f31d0];
    const want: number[] = [];
    for (let i = 0; i < n; i++) for (const w of philox4x32(words.subarray(4 * i, 4 * i + 4), key)) want.push(w >>> 16, w & 0xffff);
    const k = gpu.createKernel(philoxKernelSource('halves'), { output: [8 * n] });
    const r = await toArr(k(toHalves(words), toHalves(key))); ranBy(k);
    return close(r, want, 0);
  });
  return out;
}

declare function twice(v: number): number;

async function main() {
  const modes = (process.argv.slice(2).length ? process.argv.slice(2) : GPU_MODES) as ConcreteMode[];
  for (const mode of modes) {
    let ctx: GPUContext;
    try { ctx = await createNodeGPUContext({ mode }); } catch (e) { console.log(`## ${mode}: unavailable: ${(e as Error).message}`); continue; }
    console.log(`## ${ctx.describe()}`);
    const r = await probe(ctx);
    for (const [k, v] of Object.entries(r)) console.log(`  ${k.padEnd(40)} ${v.status.padEnd(6)} ${v.note}`);
    ctx.destroy();
  }
  process.exit(0);
}
main().catch((e) => { console.error(e); process.exit(1); });
