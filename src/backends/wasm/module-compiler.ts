/**
 * How the wasm backend turns its bytes into a WebAssembly.Module: `new WebAssembly.Module` unless a host
 * registers something better. brainweave/node registers an eager optimised compile (src/node/wasm-compile.ts):
 * V8 otherwise compiles each function on its first call with its baseline compiler (Liftoff) and optimises it
 * only once it is hot, and wasm has no on-stack replacement, so the first call of run() (the first chunk of
 * the first run) ran all its steps in baseline code, about 3.6× slower (bench/RESULTS.md, ninth session).
 */
export type WasmModuleCompiler = (bytes: Uint8Array<ArrayBuffer>) => WebAssembly.Module;

const plain: WasmModuleCompiler = (bytes) => new WebAssembly.Module(bytes);
let compiler = plain;

/** Registers how modules are compiled (null: `new WebAssembly.Module`). */
export function setWasmModuleCompiler(c: WasmModuleCompiler | null): void { compiler = c ?? plain; }
export function compileWasmModule(bytes: Uint8Array<ArrayBuffer>): WebAssembly.Module { return compiler(bytes); }
