export { wasmBackend, emitWasm, wasmSimdAvailable } from './emit';
export type { WasmOptions } from './emit';
