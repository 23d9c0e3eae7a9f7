/**
 * Node-only: provide `navigator.gpu` from the `webgpu` npm package (Dawn's dawn.node), which gpu.js's webgpu
 * backend reads as a global. Imported only by ./node.ts, never by the browser entry (./index.ts).
 *
 * `webgpu@0.6.2` is needed: the 0.2.9 that gpu.js pins is built against glibc 2.38 and does not load on
 * Debian 12. 0.6.2 is an ES module; Node ≥ 20.19 loads it with require(), and `createRequire` bypasses
 * jest's module registry (which cannot load ES modules) so the same code runs under jest and tsx.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where Debian's `chromium` package puts SwiftShader's Vulkan ICD (a software Vulkan driver). */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export interface NodeWebGPU {
  gpu: { requestAdapter(o?: object): Promise<any> };
  version: string;
}

let installed: NodeWebGPU | null = null;

/**
 * Load `webgpu` and install `navigator.gpu` and the WebGPU globals (GPUBufferUsage, GPUMapMode, …).
 * Throws an Error naming the package and the reason when it cannot be loaded. Idempotent.
 * `dawnFlags` go to Dawn's `create()` (e.g. 'backend=vulkan'); only the first call's flags count.
 */
export function installNodeWebGPU(dawnFlags: string[] = []): NodeWebGPU {
  if (installed) return installed;
  const req = createRequire(__filename);
  let mod: { create(flags: string[]): any; globals: Record<string, unknown> };
  let version = '?';
  try {
    const pkg = req.resolve('webgpu/package.json');
    version = req(pkg).version;
    try {
      mod = req('webgpu');
    } catch (esm) {
      // Under jest, require() of an ES module fails ("Cannot use import statement outside a module"): load
      // the addon the package's index.js wraps, dist/<platform>-<arch>/dawn.node, directly.
      const arch = process.platform === 'darwin' ? 'universal' : process.arch;
      const addon = join(dirname(pkg), 'dist', `${process.platform}-${arch}`, 'dawn.node');
      const m = { exports: {} as any };
      process.dlopen(m, addon);
      mod = m.exports;
    }
  } catch (e) {
    const why = (e as Error).message.split('\n')[0];
    throw new Error(`webgpu mode: the npm package "webgpu" (0.6.2, Dawn for Node) could not be loaded: ${why}. ` +
      'Install it with .ci/install-gpu.sh or `npm install webgpu@0.6.2`.');
  }
  const g = globalThis as any;
  for (const [k, v] of Object.entries(mod.globals)) if (!(k in g)) g[k] = v;
  const gpu = withAdapterLimits(mod.create(dawnFlags));
  // Node 20 has no `navigator`; Node ≥ 21 has one whose `gpu` is undefined and read-only-ish: define the property.
  if (typeof g.navigator === 'undefined') g.navigator = {};
  Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, enumerable: true });
  installed = { gpu, version };
  return installed;
}

/** A hint for error messages when no Vulkan adapter answers. */
export function vulkanHint(): string {
  const icd = process.env.VK_ICD_FILENAMES;
  if (icd) return `VK_ICD_FILENAMES=${icd} gave no usable adapter`;
  return existsSync(SWIFTSHADER_ICD)
    ? `no Vulkan driver Dawn accepts; for software rendering set VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`
    : 'no Vulkan driver Dawn accepts; install `chromium libvulkan1` (Debian) and set ' +
      `VK_ICD_FILENAMES=${SWIFTSHADER_ICD} for SwiftShader (software)`;
}

/**
 * gpu.js asks for a device with the spec's default limits except buffer sizes, so a kernel may bind at most
 * 8 storage buffers (7 arrays and its output); a loop over a model with many Variables needs more. Ask for
 * what the adapter offers (SwiftShader: 12): requestDevice of every adapter gets the adapter's
 * maxStorageBuffersPerShaderStage unless the caller sets it.
 */
function withAdapterLimits(gpu: any): any {
  const request = gpu.requestAdapter.bind(gpu);
  const wrapped = {
    requestAdapter: async (o?: object) => {
      const a = await request(o);
      if (!a) return a;
      const requestDevice = a.requestDevice.bind(a);
      return new Proxy(a, {
        get(t, k) {
          if (k !== 'requestDevice') { const v = t[k]; return typeof v === 'function' ? v.bind(t) : v; }
          return (d: any = {}) => requestDevice({
            ...d, requiredLimits: { maxStorageBuffersPerShaderStage: t.limits.maxStorageBuffersPerShaderStage, ...(d.requiredLimits ?? {}) },
          });
        },
      });
    },
  };
  return new Proxy(gpu, { get: (t, k) => (k === 'requestAdapter' ? wrapped.requestAdapter : typeof t[k] === 'function' ? t[k].bind(t) : t[k]) });
}
