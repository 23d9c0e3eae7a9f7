/**
 * A gpu.js instance for a requested mode, with a report of what was chosen and whether it is real hardware.
 *
 * gpu.js (2.24.1) is an optional dependency: it is loaded on first use, and every failure names the mode
 * and what is missing. This file is browser-safe: WebGPU in Node needs `navigator.gpu` from the `webgpu`
 * package, which ./node.ts installs before calling here (the browser has its own `navigator.gpu`).
 */

export type GPUMode = 'auto' | 'webgpu' | 'webgl2' | 'webgl' | 'headlessgl' | 'webasm' | 'cpu';
export type ConcreteMode = Exclude<GPUMode, 'auto'>;
export const GPU_MODES: readonly ConcreteMode[] = ['webgpu', 'webgl2', 'webgl', 'headlessgl', 'webasm', 'cpu'];

/** What answered: for webgpu the adapter, for GL modes the renderer string. */
export interface DeviceReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** SwiftShader, llvmpipe/lavapipe, WARP or a fallback adapter: the "GPU" is the CPU. null when unknown. */
  software: boolean | null;
}

export interface GPUContext {
  requested: GPUMode;
  mode: ConcreteMode;
  /** Kernel calls return Promises (webgpu always; gpu.js's contract for the others is synchronous). */
  async: boolean;
  gpu: any;                 // gpu.js GPU instance (typed loosely: gpu.js may be absent at type-check time)
  GPUClass: any;            // the gpu.js GPU class
  device: DeviceReport | null;
  /** Why each mode tried before the chosen one was rejected (auto), or empty. */
  rejected: { mode: ConcreteMode; reason: string }[];
  /** One line for logs: "webgpu (google swiftshader, software)". */
  describe(): string;
  destroy(): void;
}

export class GPUModeUnavailable extends Error {
  constructor(readonly mode: ConcreteMode | 'auto', readonly missing: string) {
    super(`gpu backend: mode "${mode}" is unavailable: ${missing}`);
    this.name = 'GPUModeUnavailable';
  }
}

export interface GPUContextOptions {
  mode?: GPUMode;
  /** auto only: accept a software adapter/renderer for webgpu and GL (default false: fall through to webasm). */
  allowSoftware?: boolean;
  /** the gpu.js module, where neither require() nor the browser global can provide it (bundles) */
  gpujs?: any;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|warp|basic render/i;

export function isSoftwareName(...names: (string | undefined)[]): boolean {
  return names.some((n) => !!n && SOFTWARE.test(n));
}

let gpujs: any = null;
/**
 * gpu.js: the module passed in (`import GPU from 'gpu.js'` in a bundle), else the global that its browser
 * build (dist/gpu-browser.js, a script tag) defines — the GPU class carrying every export — else require().
 * Throws naming the mode that needed it.
 */
export function loadGPUjs(mode: GPUMode = 'auto', given?: any): any {
  if (given) return given.GPU ? given : { ...given, GPU: given };
  if (gpujs) return gpujs;
  const g = (globalThis as any).GPU;
  if (g && g.prototype && typeof g.prototype.createKernel === 'function') return (gpujs = g);
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    gpujs = require('gpu.js');
  } catch (e) {
    throw new GPUModeUnavailable(mode === 'auto' ? 'auto' : mode,
      `the npm package "gpu.js" (2.24.1) is not installed (${(e as Error).message.split('\n')[0]}); run .ci/install-gpu.sh or npm install`);
  }
  return gpujs;
}

async function webgpuReport(lib: any): Promise<DeviceReport> {
  const nav = (globalThis as any).navigator;
  if (!nav || !nav.gpu) {
    throw new GPUModeUnavailable('webgpu', typeof process !== 'undefined' && process.versions?.node
      ? 'navigator.gpu is missing: in Node create the context with createNodeGPUContext from src/node/gpu.ts (loads the "webgpu" package)'
      : 'navigator.gpu is missing: this browser has no WebGPU');
  }
  // gpu.js keeps one shared adapter/device; report on that one, not a second adapter we request ourselves.
  let ctx: { adapter: any };
  try {
    ctx = await lib.WebGPUContext.acquire();
  } catch (e) {
    throw new GPUModeUnavailable('webgpu', `requestAdapter() gave no adapter (${(e as Error).message.split('.')[0]})`);
  }
  const a = ctx.adapter;
  // adapter.info (current spec) or requestAdapterInfo() (Chrome ≤ 130).
  const info = a.info ?? (typeof a.requestAdapterInfo === 'function' ? await a.requestAdapterInfo() : {});
  const r = {
    vendor: String(info.vendor ?? ''), architecture: String(info.architecture ?? ''),
    device: String(info.device ?? ''), description: String(info.description ?? ''),
  };
  const fallback = a.isFallbackAdapter ?? info.isFallbackAdapter;
  const software = fallback === true || isSoftwareName(r.vendor, r.architecture, r.device, r.description)
    ? true : (r.vendor || r.architecture || r.description ? false : null);
  return { ...r, software };
}

/** Renderer of a GL context through WEBGL_debug_renderer_info (browsers may hide it: software = null). */
function glReport(gl: any): DeviceReport {
  const ext = gl && gl.getExtension && gl.getExtension('WEBGL_debug_renderer_info');
  const vendor = String(ext ? gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) : gl?.getParameter?.(gl.VENDOR) ?? '');
  const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl?.getParameter?.(gl.RENDERER) ?? '');
  return { vendor, architecture: '', device: renderer, description: renderer,
    software: isSoftwareName(vendor, renderer) ? true : ext ? false : null };
}

function glContextFor(mode: 'webgl2' | 'webgl' | 'headlessgl'): any {
  if (mode === 'headlessgl') {
    try { return require('gl')(1, 1); } catch { return null; }
  }
  if (typeof document === 'undefined') return null;
  return document.createElement('canvas').getContext(mode === 'webgl2' ? 'webgl2' : 'webgl');
}

const KERNEL_CLASS: Record<string, ConcreteMode> = {
  WebGPUKernel: 'webgpu', WebGL2Kernel: 'webgl2', WebGLKernel: 'webgl', HeadlessGLKernel: 'headlessgl',
  WebAssemblyKernel: 'webasm', CPUKernel: 'cpu',
};

/**
 * The mode a gpu.js kernel (the callable createKernel returns) actually runs on: gpu.js degrades some
 * kernels to cpu with only a console warning (kernel maps on webasm), and its GL kernels all call their
 * mode 'gpu', so the class name is what tells webgl2, webgl and headlessgl apart.
 */
export function kernelMode(kernel: any): ConcreteMode | string {
  const K = kernel?.kernel?.constructor ?? kernel?.constructor;
  return (K && KERNEL_CLASS[K.name]) ?? K?.mode ?? 'unknown';
}

function supportedSync(lib: any, mode: ConcreteMode): string | null {
  const G = lib.GPU;
  switch (mode) {
    case 'cpu': return null;
    case 'webasm': return G.isWebAssemblySupported ? null : 'WebAssembly is not available in this runtime';
    case 'headlessgl': {
      if (G.isHeadlessGLSupported) return null;
      if (typeof process === 'undefined' || !process.versions?.node) return 'headless-gl exists only in Node';
      let stub = false;
      try { stub = /stub/.test(require('gl/package.json').version); } catch { /* not installed */ }
      return stub
        ? 'the native package "gl" (headless-gl) is replaced by a stub (package.json overrides, src/backends/gpu/no-gl)'
        : 'the native package "gl" (headless-gl) is not installed or did not build (needs a prebuilt binary from github.com, or X11/GL headers and a C++ toolchain)';
    }
    case 'webgl2': return G.isWebGL2Supported ? null : 'no WebGL2 context (browser only; in Node use headlessgl)';
    case 'webgl': return G.isWebGLSupported ? null : 'no WebGL context (browser only; in Node use headlessgl)';
    case 'webgpu': return G.isWebGPUSupported ? null : 'navigator.gpu is missing';
  }
}

async function tryMode(lib: any, mode: ConcreteMode, requested: GPUMode): Promise<GPUContext> {
  const why = supportedSync(lib, mode);
  if (why) throw new GPUModeUnavailable(mode, why);
  let device: DeviceReport | null = null;
  if (mode === 'webgpu') device = await webgpuReport(lib);
  else if (mode === 'headlessgl' || mode === 'webgl2' || mode === 'webgl') {
    const gl = glContextFor(mode);
    device = gl ? glReport(gl) : null;
  }
  let gpu: any;
  try {
    gpu = new lib.GPU({ mode });
  } catch (e) {
    throw new GPUModeUnavailable(mode, `gpu.js refused it: ${(e as Error).message}`);
  }
  const chosen = gpu.Kernel ? KERNEL_CLASS[gpu.Kernel.name] ?? gpu.Kernel.mode : mode;
  if (chosen !== mode) throw new GPUModeUnavailable(mode, `gpu.js chose "${chosen}" instead`);
  return {
    requested, mode, async: mode === 'webgpu', gpu, GPUClass: lib.GPU, device, rejected: [],
    describe() {
      if (!device) return mode;
      const name = [device.vendor, device.architecture || device.description].filter(Boolean).join(' ');
      return `${mode} (${name || 'unknown device'}${device.software ? ', software' : device.software === false ? ', hardware' : ''})`;
    },
    destroy() { try { gpu.destroy(); } catch { /* already gone */ } },
  };
}

/**
 * Create a gpu.js instance. A concrete mode is forced (GPUModeUnavailable if it cannot run); 'auto' tries
 * webgpu → headlessgl → webgl2 → webgl, skipping devices known to be software (unless allowSoftware; a
 * renderer the browser hides counts as not known), then webasm, then cpu. On a CPU-only machine webasm beats
 * the emulated GPU (see README: COBA step 1.1 ms on webasm vs 9.9 ms on SwiftShader WebGPU).
 */
export async function createGPUContext(opts: GPUContextOptions = {}): Promise<GPUContext> {
  const requested = opts.mode ?? 'auto';
  if (requested !== 'auto' && !GPU_MODES.includes(requested)) {
    throw new Error(`gpu backend: unknown mode "${requested}" (one of auto, ${GPU_MODES.join(', ')})`);
  }
  const lib = loadGPUjs(requested, opts.gpujs);
  if (requested !== 'auto') return tryMode(lib, requested, requested);
  const rejected: { mode: ConcreteMode; reason: string }[] = [];
  for (const mode of ['webgpu', 'headlessgl', 'webgl2', 'webgl', 'webasm', 'cpu'] as ConcreteMode[]) {
    try {
      const ctx = await tryMode(lib, mode, 'auto');
      if (ctx.device?.software && !opts.allowSoftware) {
        ctx.destroy();
        rejected.push({ mode, reason: `software device (${ctx.describe()}); pass allowSoftware to use it` });
        continue;
      }
      ctx.rejected = rejected;
      return ctx;
    } catch (e) {
      rejected.push({ mode, reason: e instanceof GPUModeUnavailable ? e.missing : (e as Error).message });
    }
  }
  throw new GPUModeUnavailable('auto', rejected.map((r) => `${r.mode}: ${r.reason}`).join('; '));
}
