export { wasmBackend, emitWasm, wasmSimdAvailable } from './emit';
export type { WasmOptions, WasmExecutable } from './emit';
