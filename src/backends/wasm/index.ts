export { wasmBackend, emitWasm, wasmSimdAvailable } from './emit';
export type { WasmOptions, WasmExecutable } from './emit';
export { setWasmModuleCompiler } from './module-compiler';
export type { WasmModuleCompiler } from './module-compiler';
