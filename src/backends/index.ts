/** The built-in backends, registered on import. */
import { registerBackend } from './registry';
import { jsBackend } from './js/emit';
import { interpBackend } from './interp';
import { wasmBackend } from './wasm';
import { gpuBackend } from './gpu/backend';

registerBackend(jsBackend);
registerBackend(interpBackend);
registerBackend(wasmBackend);
// never chosen by 'auto' (autoRank null): slower than js without a hardware GPU; Node's WebGPU comes from src/node/gpu
registerBackend(gpuBackend);

export { registerBackend, getBackend, backendNames, autoCandidates } from './registry';
export type { Backend, BackendCapabilities, BackendOptions, Executable, CompileRequest, RunIO, InputData, MonitorStore } from './backend';
export { STATUS, BackendUnsupported } from './backend';
export { jsBackend, interpBackend, wasmBackend };
