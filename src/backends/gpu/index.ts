/** Browser-safe entry of the gpu backend (Node: import src/node/gpu, which adds navigator.gpu from `webgpu`). */
export * from './context';
export * from './philox';
export { gpuBackend, setGPUMode, getGPUMode, setGPUContextFactory, gpuContext } from './backend';
export type { GPUExecutable } from './exec';
