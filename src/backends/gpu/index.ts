/** Browser-safe entry of the gpu backend (Node: import ./node instead, which adds navigator.gpu from `webgpu`). */
export * from './context';
export * from './philox';
