/**
 * Eager optimised compilation of the wasm backend's modules under Node (backends/wasm/module-compiler.ts).
 *
 * Node 20's V8 compiles a wasm function lazily, on its first call, with its baseline compiler (Liftoff), and
 * optimises it (TurboFan) in the background once it is hot; a running call never switches. run() holds the
 * whole step loop, so the first call of a fresh network (its first chunk, 1000 steps of COBA-4000) ran in
 * baseline code: 13.4 ms against 3.8 ms optimised (bench/RESULTS.md, ninth session). V8 has no per-module
 * switch, so the compile turns its two flags off around `new WebAssembly.Module` (eager, optimising: a few
 * ms more compile time, counted in timings.compile) and back on after. The flags are only read when a module
 * is compiled. Nothing is touched where the user set either flag (node --no-liftoff …), or outside Node
 * 20–24. Restoring means turning both back on: their defaults on Node 20, where test/wasm-compile.test.ts
 * checks it (a Node whose lazy compilation were off by default fails that test's first assertion); on 21–24
 * the same defaults are assumed, not measured here.
 */
import { setFlagsFromString } from 'node:v8';
import { setWasmModuleCompiler } from '../backends/wasm/module-compiler';

const FLAGS = ['liftoff', 'wasm-lazy-compilation'];

/** whether the process was started with either flag, in either spelling (- or _; NODE_OPTIONS cannot hold them) */
function userSetFlags(): boolean {
  const args = process.execArgv.map((a) => a.replace(/_/g, '-'));
  return args.some((a) => FLAGS.some((f) => a === `--${f}` || a === `--no-${f}` || a.startsWith(`--${f}=`)));
}

export function installEagerWasmCompile(): boolean {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20 || major > 24 || userSetFlags()) return false;
  setWasmModuleCompiler((bytes) => {
    for (const f of FLAGS) setFlagsFromString(`--no-${f}`);
    try { return new WebAssembly.Module(bytes); } finally { for (const f of FLAGS) setFlagsFromString(`--${f}`); }
  });
  return true;
}

installEagerWasmCompile();
