/**
 * Mode selection of the gpu backend: forced modes run on what they name or fail naming the mode and what
 * is missing; auto reports what it rejected; the browser entry never reaches Node-only code.
 */
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createNodeGPUContext, GPUModeUnavailable, isSoftwareName, GPUContext, kernelMode } from '../src/node/gpu';
import { gpuModeUnavailable, gpuTest } from './gpu-helpers';

async function runsOn(ctx: GPUContext): Promise<{ mode: string; values: number[] }> {
  const k = ctx.gpu.createKernel(function (this: any, a: number[]) { return a[this.thread.x] * 3 + 1; }, { output: [64] });
  let r = k(Float32Array.from({ length: 64 }, (_, i) => i));
  if (r && typeof r.then === 'function') r = await r;
  return { mode: kernelMode(k), values: Array.from(r as ArrayLike<number>) };
}
const expected = Array.from({ length: 64 }, (_, i) => i * 3 + 1);

test('an unknown mode is an error listing the modes', async () => {
  await expect(createNodeGPUContext({ mode: 'cuda' as any })).rejects.toThrow(/unknown mode "cuda".*webgpu.*webasm.*cpu/);
});

test('software adapters are recognised by name', () => {
  expect(isSoftwareName('google', 'swiftshader', 'SwiftShader driver 5.0.0')).toBe(true);
  expect(isSoftwareName('Mesa', 'llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
  expect(isSoftwareName('Microsoft Basic Render Driver')).toBe(true);
  expect(isSoftwareName('nvidia', 'ampere', 'NVIDIA GeForce RTX 3080')).toBe(false);
  expect(isSoftwareName('', undefined)).toBe(false);
});

describe.each(['cpu', 'webasm', 'webgpu', 'headlessgl'] as const)('forced mode', (mode) => {
  const why = gpuModeUnavailable(mode);
  if (why === null) {
    test(`${mode}: runs a kernel on ${mode} itself and computes it right`, async () => {
      const ctx = await createNodeGPUContext({ mode });
      try {
        expect(ctx.mode).toBe(mode);
        expect(ctx.describe()).toMatch(new RegExp(`^${mode}`));
        const r = await runsOn(ctx);
        expect(r.mode).toBe(mode);
        expect(r.values).toEqual(expected);
        if (mode === 'webgpu') {
          expect(ctx.async).toBe(true);
          expect(ctx.device).not.toBeNull();
          expect(typeof ctx.device!.software).toBe('boolean');
          if (/swiftshader/i.test(process.env.VK_ICD_FILENAMES ?? '')) {
            expect(ctx.device!.architecture).toBe('swiftshader');
            expect(ctx.device!.software).toBe(true);
            expect(ctx.describe()).toMatch(/software/);
          }
        }
      } finally { ctx.destroy(); }
    });
  } else {
    test(`${mode}: unavailable here (${why}), so forcing it fails naming the mode and what is missing`, async () => {
      const err = await createNodeGPUContext({ mode }).catch((e) => e);
      expect(err).toBeInstanceOf(GPUModeUnavailable);
      expect(err.mode).toBe(mode);
      expect(err.message).toMatch(new RegExp(`mode "${mode}" is unavailable: .+`));
      // the first missing piece is named: webgpu's loader runs before gpu.js is needed
      if (/gpu\.js/.test(why)) expect(err.message).toMatch(mode === 'webgpu' ? /"webgpu"|"gpu\.js"/ : /"gpu\.js"/);
      else if (mode === 'headlessgl') expect(err.message).toMatch(/"gl"/);
    });
  }
});

const cpu = gpuTest('cpu');   // cpu is unavailable only when gpu.js itself is missing
if (gpuModeUnavailable('cpu') !== null) {
  test(`without gpu.js, auto fails naming the package (${gpuModeUnavailable('cpu')})`, async () => {
    await expect(createNodeGPUContext({ mode: 'auto' })).rejects.toThrow(/mode "auto" is unavailable: the npm package "gpu\.js"/);
  });
}
cpu.fn(cpu.title('auto picks hardware only unless allowed, and says what it rejected'), async () => {
  const ctx = await createNodeGPUContext({ mode: 'auto' });
  try {
    expect(ctx.requested).toBe('auto');
    expect(ctx.device?.software ?? false).toBe(false);
    expect(ctx.rejected.map((r) => r.mode)).not.toContain(ctx.mode);
    if (gpuModeUnavailable('webgpu') === null && ctx.mode !== 'webgpu') {
      expect(ctx.rejected.find((r) => r.mode === 'webgpu')?.reason).toMatch(/software/);
    }
    if (gpuModeUnavailable('headlessgl') !== null) expect(ctx.rejected.map((r) => r.mode)).toContain('headlessgl');
    expect((await runsOn(ctx)).values).toEqual(expected);
  } finally { ctx.destroy(); }
});

const w = gpuTest('webgpu');
w.fn(w.title('auto with allowSoftware takes the (software) WebGPU adapter'), async () => {
  const ctx = await createNodeGPUContext({ mode: 'auto', allowSoftware: true });
  try { expect(ctx.mode).toBe('webgpu'); } finally { ctx.destroy(); }
});

w.fn(w.title('no Vulkan driver: forcing webgpu names the adapter and the VK_ICD_FILENAMES fix'), () => {
  // A fresh process whose Vulkan loader sees no driver (a nonexistent ICD file).
  const script = `require('./src/node/gpu').createNodeGPUContext({ mode: 'webgpu' })
    .then(() => { console.log('CREATED'); process.exit(0); }, (e) => { console.log(e.name + ': ' + e.message); process.exit(0); });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script],
    { cwd: join(__dirname, '..'), encoding: 'utf8', timeout: 60000, env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' } });
  expect(r.stdout).toMatch(/GPUModeUnavailable: gpu backend: mode "webgpu" is unavailable: requestAdapter\(\) gave no adapter.*VK_ICD_FILENAMES/);
});

test('the browser entry (index.ts) never reaches src/node/gpu-webgpu, the webgpu package or node: modules', () => {
  const root = join(__dirname, '../src/backends/gpu');
  const seen = new Set<string>(); const bad: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return; seen.add(file);
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)) {
      const spec = m[1];
      if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.ts$/, '') + '.ts'));
      else if (spec === 'webgpu' || spec.startsWith('node:') || ['fs', 'path', 'module', 'child_process'].includes(spec)) bad.push(`${file}: ${spec}`);
    }
  };
  visit(join(root, 'index.ts'));
  expect([...seen].map((f) => f.slice(root.length + 1)).sort()).toEqual(['context.ts', 'index.ts', 'philox.ts']);
  expect(bad).toEqual([]);
  // and the Node entry does reach it (the scan would see it)
  seen.clear(); visit(join(__dirname, '../src/node/gpu.ts'));
  expect([...seen].some((f) => f.endsWith('gpu-webgpu.ts'))).toBe(true);
});
