/**
 * Node entry of the gpu backend: installs `navigator.gpu` from the `webgpu` package when webgpu may be
 * chosen, then creates the context. Browser code imports ./index.ts, which never reaches this file.
 */
import { createGPUContext, GPUContext, GPUContextOptions, GPUModeUnavailable } from '../backends/gpu/context';
import { installNodeWebGPU, vulkanHint } from './gpu-webgpu';
import { setGPUContextFactory } from '../backends/gpu/backend';

export * from '../backends/gpu/context';

export async function createNodeGPUContext(opts: GPUContextOptions & { dawnFlags?: string[] } = {}): Promise<GPUContext> {
  const mode = opts.mode ?? 'auto';
  if (mode === 'webgpu' || mode === 'auto') {
    try {
      installNodeWebGPU(opts.dawnFlags);
    } catch (e) {
      if (mode === 'webgpu') throw new GPUModeUnavailable('webgpu', (e as Error).message);
      // auto: webgpu is simply not among the candidates; tryMode reports "navigator.gpu is missing".
    }
  }
  try {
    return await createGPUContext(opts);
  } catch (e) {
    // Name the Vulkan driver situation, which is what is missing on a Node machine without an adapter.
    if (e instanceof GPUModeUnavailable && e.mode === 'webgpu' && /no adapter/.test(e.missing)) {
      throw new GPUModeUnavailable('webgpu', `${e.missing}; ${vulkanHint()}`);
    }
    throw e;
  }
}

/**
 * Makes `backend: 'gpu'` create its contexts through createNodeGPUContext (WebGPU from the `webgpu` package).
 * Done on import of this module; the package is loaded only when a webgpu (or auto) context is created.
 */
export function registerNodeGPU(): void { setGPUContextFactory((o) => createNodeGPUContext(o)); }
registerNodeGPU();

export { setGPUMode, getGPUMode, gpuBackend } from '../backends/gpu/backend';
