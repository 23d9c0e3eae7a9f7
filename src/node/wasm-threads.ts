/**
 * Node's worker host for the wasm backend's threads (RunOptions.wasm.threads; backends/wasm/threads.ts):
 * each worker is a worker_threads Worker evaluating WORKER_MAIN on the module and the network's shared
 * memory. Workers are unref'd (they never keep the process alive) and stop when their executable is
 * disposed. Registered by brainweave/node; the browser entry has no host yet.
 */
import { Worker } from 'node:worker_threads';
import { setWasmThreadHost, WORKER_MAIN } from '../backends/wasm/threads';

export function installWasmThreads(): void {
  setWasmThreadHost({
    start(data, onError) {
      const w = new Worker(`const data = require('node:worker_threads').workerData;\n${WORKER_MAIN}`, { eval: true, workerData: data });
      w.unref();
      w.on('error', onError);
      return { stop: () => { void w.terminate(); } };
    },
  });
}

installWasmThreads();
