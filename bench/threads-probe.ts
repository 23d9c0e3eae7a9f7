/**
 * What a second thread can give on this machine (issue 9, threads as an opt-in): one element-wise loop over a
 * SharedArrayBuffer, run by the main thread alone, or split in halves with a worker_threads worker (a spin
 * wait for the worker's half, as a step barrier would). Two loops: a memory-bound one (a leaky update of 4 M
 * float32, 32 MiB: the shape of the 1M-neuron LIF step) and a compute-bound one (eight exp per element, 256 K
 * elements). Interleaved, 5 rounds of 50 repetitions; prints both times and their ratio per round.
 *
 *   node --require tsx/cjs bench/threads-probe.ts
 */
import { Worker } from 'node:worker_threads';

const kinds = {
  memory: { n: 1 << 22, body: 'const v = a[i] * 0.99 + b[i]; a[i] = v > 1 ? 0 : v;' },
  compute: { n: 1 << 18, body: 'let v = a[i]; for (let q = 0; q < 8; q++) v = Math.exp(-v) * 0.5 + b[i]; a[i] = v;' },
};

async function probe(name: string, n: number, body: string): Promise<void> {
  const sab = new SharedArrayBuffer(n * 8 + 64);
  const ctl = new Int32Array(sab, n * 8, 16);
  const loop = `(a, b, lo, hi) => { for (let i = lo; i < hi; i++) { ${body} } }`;
  const worker = new Worker(`
    const { workerData: sab } = require('node:worker_threads');
    const n = ${n}, a = new Float32Array(sab, 0, n), b = new Float32Array(sab, n * 4, n), ctl = new Int32Array(sab, n * 8, 16);
    const half = ${loop};
    let my = 0;
    for (;;) {
      Atomics.wait(ctl, 0, my);
      my = Atomics.load(ctl, 0);
      if (my < 0) break;
      half(a, b, n >> 1, n);
      Atomics.store(ctl, 1, my);
    }`, { eval: true, workerData: sab });
  const a = new Float32Array(sab, 0, n), b = new Float32Array(sab, n * 4, n).fill(0.001);
  const half = new Function(`return ${loop}`)() as (a: Float32Array, b: Float32Array, lo: number, hi: number) => void;
  let gen = 0;
  const two = () => {
    gen++;
    Atomics.store(ctl, 0, gen);
    Atomics.notify(ctl, 0);
    half(a, b, 0, n >> 1);
    while (Atomics.load(ctl, 1) !== gen) { /* spin: the worker's half */ }
  };
  const one = () => half(a, b, 0, n);
  await new Promise((r) => setTimeout(r, 200)); // the worker starts
  const time = (f: () => void) => { const t = performance.now(); for (let k = 0; k < 50; k++) f(); return (performance.now() - t) / 50; };
  for (let r = 0; r < 5; r++) {
    const t1 = time(one), t2 = time(two);
    console.log(`${name}: one thread ${t1.toFixed(2)} ms, two ${t2.toFixed(2)} ms, ratio ${(t2 / t1).toFixed(2)}`);
  }
  Atomics.store(ctl, 0, -1);
  Atomics.notify(ctl, 0);
  await worker.terminate();
}

(async () => {
  for (const [name, k] of Object.entries(kinds)) await probe(name, k.n, k.body);
})().catch((e) => { console.error(e); process.exit(1); });
