/**
 * The wasm backend's opt-in threads (src/backends/wasm/threads.ts): element-wise loops split across worker
 * threads sharing the network's memory. Every element runs the same code whichever thread runs it and spike
 * lists are joined in index order, so a threaded run must equal the one-thread run bit for bit; the workers
 * must really run chunks (their claim counters), and a worker that never serves must cost nothing but time.
 * The conformance suite runs every case as `wasm/threads` too (test/conformance/harness.ts).
 */
import { Worker } from 'node:worker_threads';
import { Network, RunOptions, BrainweaveError } from '../src';
import { installWasmThreads } from '../src/node/wasm-threads';
import { setWasmThreadHost, WORKER_MAIN } from '../src/backends/wasm/threads';
import type { WasmExecutable } from '../src/backends/wasm/emit';
import { cobaNetwork } from '../examples/networks';
import { LIF } from '../models/neurons/lif';

afterEach(() => installWasmThreads());

const exeOf = (net: Network): WasmExecutable => {
  const cache = (net as unknown as { cache: Map<string, { exe: WasmExecutable }> }).cache;
  return [...cache.values()].at(-1)!.exe;
};

/**
 * Runs b threaded in pieces of `ms` until its workers have run `claims` chunks each (how many they get depends
 * on what else the machine runs: a late worker's chunk is taken back), then a on one thread for the same time
 * in one piece, and compares everything bit for bit.
 */
async function same(make: () => Network, opts: RunOptions, threaded: RunOptions['wasm'], ms = 20, claims = 50) {
  const a = make(), b = make();
  const monitors: Record<string, { steps: number[]; indices: number[] }> = {};
  let pieces = 0;
  for (; pieces < 200; pieces++) {
    const rb = await b.run(ms, { ...opts, backend: 'wasm', wasm: { ...opts.wasm, ...threaded } });
    for (const [k, m] of Object.entries(rb.monitors) as [string, { steps: ArrayLike<number>; indices: ArrayLike<number> }][]) {
      const into = (monitors[k] ??= { steps: [], indices: [] });
      into.steps.push(...Array.from(m.steps, (s) => s + Math.round((pieces * ms) / (opts.dt ?? 0.1))));
      into.indices.push(...Array.from(m.indices));
    }
    if (exeOf(b).threads!.claimed().every((c) => c >= claims)) break;
  }
  const ra = await a.run((pieces + 1) * ms, { ...opts, backend: 'wasm' });
  for (const [k, m] of Object.entries(ra.monitors) as [string, { steps: ArrayLike<number>; indices: ArrayLike<number> }][]) {
    expect(monitors[k].indices).toEqual(Array.from(m.indices));
    expect(monitors[k].steps).toEqual(Array.from(m.steps));
  }
  for (const p of a.variablePaths()) expect(Array.from(b.variable(p)!.value)).toEqual(Array.from(a.variable(p)!.value));
  return { a, b, exe: exeOf(b) };
}

const coba = (precision: 'float32' | 'float64') => () => cobaNetwork({ precision });
const spikes: RunOptions = { dt: 0.1, monitors: ['E.spike', 'I.spike'] };

test.each([
  ['float64', 2, false], ['float64', 3, false], ['float32', 2, true], ['float32', 3, true],
] as const)('COBA %s on %i threads (relaxed: %s) runs chunks on the workers and equals one thread bit for bit', async (precision, threads, relaxed) => {
  const { b, exe } = await same(coba(precision), { ...spikes, wasm: { relaxed } }, { threads, threadMinTrip: 64 });
  expect(exe.threads!.workers).toBe(threads - 1);
  expect(exe.threads!.loops).toBe(6); // both neuron loops, both conductance loops, both first-step flag clears
  expect(exe.threads!.errors).toEqual([]);
  for (const c of exe.threads!.claimed()) expect(c).toBeGreaterThanOrEqual(50);
  expect((await b.run(1, { ...spikes, backend: 'wasm', wasm: { relaxed, threads, threadMinTrip: 64 } })).backend).toBe('wasm');
  b.dispose();
});

test('a LIF of odd size (1001: chunks of unequal length, scalar remainders), float64 and relaxed: equal to one thread', async () => {
  const drive = Float32Array.from({ length: 1001 }, (_, i) => 5 + (35 * i) / 1001);
  for (const relaxed of [false, true]) {
    const make = () => new Network({ N: new LIF(1001, { V0: -60 }) }, { precision: relaxed ? 'float32' : 'float64' });
    const { b, exe } = await same(make, { dt: 0.1, inputs: [['N.input', drive]], monitors: ['N.spike'], wasm: { relaxed } }, { threads: 2, threadMinTrip: 1 });
    expect(exe.threads!.claimed()[0]).toBeGreaterThanOrEqual(50);
    b.dispose();
  }
});

test('a worker that never serves: the main thread takes every chunk back, same result', async () => {
  setWasmThreadHost({ start: (_d, onError) => { onError(new Error('test: this worker never starts')); return { stop: () => undefined }; } });
  const { b, exe } = await same(coba('float64'), spikes, { threads: 2, threadMinTrip: 64 }, 20, 0);
  expect(exe.threads!.claimed()).toEqual([0]);
  expect(exe.threads!.errors).toEqual(['test: this worker never starts']);
  b.dispose();
});

test('dispose() stops the workers: each leaves serve() and exits by itself', async () => {
  const exits: Promise<number>[] = [];
  // a host like brainweave/node's whose stop() leaves the worker alone, so it must end on the stop request
  setWasmThreadHost({
    start(data, onError) {
      const w = new Worker(`const data = require('node:worker_threads').workerData;\n${WORKER_MAIN}`, { eval: true, workerData: data });
      w.on('error', onError);
      exits.push(new Promise((r) => w.on('exit', r)));
      return { stop: () => undefined };
    },
  });
  const net = coba('float64')();
  await net.run(5, { ...spikes, backend: 'wasm', wasm: { threads: 3, threadMinTrip: 64 } });
  expect(exits).toHaveLength(2);
  net.dispose();
  expect(await Promise.all(exits)).toEqual([0, 0]);
});

test('bad thread options and missing prerequisites are named', async () => {
  const net = coba('float64')();
  const run = (wasm: RunOptions['wasm']) => net.run(1, { dt: 0.1, backend: 'wasm', wasm });
  await expect(run({ threads: 0 })).rejects.toThrow(/RunOptions\.wasm\.threads must be an integer from 1 to 64, got 0/);
  await expect(run({ threads: 2.5 })).rejects.toThrow(/RunOptions\.wasm\.threads .* got 2\.5/);
  await expect(run({ threads: 2, threadMinTrip: 0 })).rejects.toThrow(/RunOptions\.wasm\.threadMinTrip must be a positive integer/);
  await expect(run({ threads: 2, threadMinTrip: 0 })).rejects.toBeInstanceOf(BrainweaveError);
  setWasmThreadHost(null);
  await expect(run({ threads: 2 })).rejects.toThrow(/no worker host; in Node, import 'brainweave\/node'/);
  installWasmThreads();
  const noArena = cobaNetwork({ precision: 'float64', arena: false });
  await expect(noArena.run(1, { dt: 0.1, backend: 'wasm', wasm: { threads: 2 } })).rejects.toThrow(/NetworkOptions\.arena false/);
  // one thread is the plain backend: no workers
  await net.run(1, { dt: 0.1, backend: 'wasm', wasm: { threads: 1 } });
  expect(exeOf(net).threads).toBeUndefined();
});
