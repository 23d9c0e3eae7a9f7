import { Backend, BackendUnsupported, CompileRequest } from '../backend';
import { checkKernels } from '../check';
import { CompileError } from '../../core/errors';
import { createGPUContext, GPUContext, GPUContextOptions, GPUMode, GPU_MODES, loadGPUjs } from './context';
import { buildProgram } from './emit';
import { GPUExecutable, makeExecutable } from './exec';

/**
 * The gpu backend: the step plan as gpu.js kernels (emit.ts), run with state on the device (exec.ts).
 * Float32 only; no scatters (delivery ops become gathers); no sequential random stream: `this.rng.*()`
 * inside element-wise loops draws counter-based numbers (Philox4x32-10, keyed by the network's seed and
 * counted by element, step, kernel and draw: statistically, not bitwise, what js draws). Never picked by
 * 'auto' (autoRank null): on a machine without a GPU it runs on gpu.js's cpu/webasm modes or a software
 * WebGPU adapter and is slower than the js backend (bench/gpu-backend.ts), and no hardware figures exist yet.
 */

let mode: GPUMode = 'auto';
let factory: (opts: GPUContextOptions) => Promise<GPUContext> = createGPUContext;
const contexts = new Map<GPUMode, Promise<GPUContext>>();

/**
 * Which gpu.js mode `backend: 'gpu'` uses for executables compiled from now on ('auto': webgpu or GL on
 * hardware, else webasm, else cpu; see context.ts). Stands in for a RunOptions field until the runtime has one.
 */
export function setGPUMode(m: GPUMode): void {
  if (m !== 'auto' && !GPU_MODES.includes(m)) throw new Error(`gpu backend: unknown mode "${m}" (one of auto, ${GPU_MODES.join(', ')})`);
  mode = m;
}
export function getGPUMode(): GPUMode { return mode; }

/** How contexts are made (src/node/gpu.ts installs one that first provides navigator.gpu in Node). */
export function setGPUContextFactory(f: (opts: GPUContextOptions) => Promise<GPUContext>): void {
  factory = f;
  contexts.clear();
}

/** One gpu.js instance per mode, shared by every executable (gpu.js shares one WebGPU device anyway). */
export function gpuContext(m: GPUMode = mode): Promise<GPUContext> {
  let c = contexts.get(m);
  if (!c) {
    c = factory({ mode: m });
    c.catch(() => contexts.delete(m));
    contexts.set(m, c);
  }
  return c;
}

/** The executable a network last compiled for the gpu backend (to ask what it ran on). */
export let lastGPUExecutable: GPUExecutable | null = null;

const GPU_KERNELS: Record<string, true> = {
  pre2postEventSum: true, pre2postSum: true, gapJunctionSum: true, ringEventSum: true, denseEventSum: true, syn2post: true, pre2syn: true,
};

export const gpuBackend: Backend = {
  name: 'gpu',
  capabilities: { float64: false, scatter: false, sequentialRng: false, counterRng: true, async: true },
  autoRank: null,
  available(): boolean {
    try { loadGPUjs(mode); return true; } catch { return false; }
  },
  compile(req: CompileRequest): GPUExecutable {
    // RunOptions.gpu.mode for this run, else the process-wide setting (setGPUMode)
    const m = (req.options?.gpu?.mode ?? mode) as GPUMode;
    if (req.precision === 'float64') throw new BackendUnsupported(`gpu (${m})`, 'computes in float32 only; this network is float64');
    const plan = req.plan();
    try {
      checkKernels(plan, `gpu (${m})`, GPU_KERNELS, gpuBackend.capabilities);
    } catch (e) {
      if (e instanceof CompileError && !(e instanceof BackendUnsupported)) {
        const u = new BackendUnsupported(`gpu (${m})`, e.message);
        u.message = e.message;
        throw u;
      }
      throw e;
    }
    // a run's own mode is fixed (the option is part of the cache key); otherwise follow setGPUMode at run time
    const fixed = req.options?.gpu?.mode as GPUMode | undefined;
    const exe = makeExecutable(buildProgram(plan, m, req.rng.seed), () => gpuContext(fixed ?? mode), m);
    lastGPUExecutable = exe;
    return exe;
  },
};
