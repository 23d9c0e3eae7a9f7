import { Allocator, Arena, TypedArray, heapAllocator } from '../src/core/arena';
import { RNG } from '../src/core/rng';
import { All2All, FixedPostNum, FixedPreNum, FixedProb, FixedTotalNum, GaussianProb, GridEight, One2One, ProbDist, ScaleFreeBA, SmallWorld } from '../connectors';
import type { Connector } from '../connectors/base';
import { IntBuffer } from '../connectors/csr';
import { cobaNetwork } from '../examples/networks';
import { BrainweaveError, SpikeMonitorData } from '../src';

const arena = () => Arena.create()!;

test('Node makes a growable shared arena; arrays are 16-byte aligned, zero-filled, and never overlap', () => {
  const a = arena();
  expect(a.growable).toBe(true);
  const xs = [a.array(Float64Array, 3), a.array(Uint8Array, 5), a.array(Int32Array, 7), a.array(Float32Array, 1)];
  for (const x of xs) {
    expect(x.byteOffset % 16).toBe(0);
    expect(Array.from(x).every((v) => v === 0)).toBe(true);
    expect(a.holds(x)).toBe(true);
    x.fill(9);
  }
  // each array's bytes are its own: the fills did not spill into neighbours
  for (const x of xs) expect(Array.from(x).every((v) => v === 9)).toBe(true);
  const ends = xs.map((x) => [x.byteOffset, x.byteOffset + x.byteLength]).sort((p, q) => p[0] - q[0]);
  for (let i = 1; i < ends.length; i++) expect(ends[i][0]).toBeGreaterThanOrEqual(ends[i - 1][1]);
  expect(xs[0].byteOffset).toBeGreaterThan(0); // address 0 stays unused
});

test('arrays made before the memory grows keep their values and stay views of it (the point of a shared memory)', () => {
  const a = arena();
  const first = a.array(Int32Array, 1000);
  for (let i = 0; i < first.length; i++) first[i] = i * 7;
  const cap0 = a.capacity;
  const big = a.array(Float64Array, 1 << 20); // 8 MiB: grows a 64 KiB memory
  expect(a.capacity).toBeGreaterThan(cap0);
  big[big.length - 1] = 1.5;
  expect(first.length).toBe(1000);
  for (let i = 0; i < first.length; i++) expect(first[i]).toBe(i * 7);
  // the same bytes, seen through the grown memory
  expect(new Int32Array(a.memory.buffer, first.byteOffset, 3)[2]).toBe(14);
  expect(a.holds(first) && a.holds(big)).toBe(true);
  expect(a.holds(new Int32Array(4))).toBe(false);
  expect(a.holds(arena().array(Int32Array, 4))).toBe(false);
});

test('resize of the newest array moves the top (same address); of an older one, copies; reused space reads as zero', () => {
  const a = arena();
  const old = a.array(Int32Array, 4);
  let x = a.array(Int32Array, 8);
  x.set([1, 2, 3, 4, 5, 6, 7, 8]);
  const at = x.byteOffset;
  x = a.resize(x, 100_000); // grows in place, past the first page
  expect(x.byteOffset).toBe(at);
  expect(Array.from(x.subarray(0, 9))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 0]);
  x.fill(5);
  x = a.resize(x, 3); // shrinks in place: the top comes back
  expect(x.byteOffset).toBe(at);
  expect(a.used).toBe(at + 16);
  const y = a.array(Int32Array, 50); // reuses bytes that held 5s
  expect(y.byteOffset).toBe(at + 16);
  expect(Array.from(y).every((v) => v === 0)).toBe(true);
  x = a.resize(x, 2);
  expect(x.byteOffset).not.toBe(at); // no longer the newest: a copy
  expect(Array.from(x)).toEqual([5, 5]);
  old[0] = 3;
  const o2 = a.resize(old, 6);
  expect(Array.from(o2)).toEqual([3, 0, 0, 0, 0, 0]);
  expect(a.adopt(o2)).toBe(o2);
  const heap = Int32Array.from([4, 5]);
  const adopted = a.adopt(heap);
  expect(adopted).not.toBe(heap);
  expect(a.holds(adopted) && Array.from(adopted).join()).toBe('4,5');
});

test('a fixed arena throws RangeError past its end; past 4 GiB is refused up front', () => {
  const f = Arena.fixed(65536);
  expect(f.growable).toBe(false);
  f.array(Uint8Array, 60000);
  expect(() => f.array(Uint8Array, 6000)).toThrow(RangeError);
  expect(() => Arena.fixed(2 ** 32 + 1)).toThrow(/over the 4 GiB/);
});

test('a full growable arena puts further arrays on the heap and counts them; bad caps are refused', () => {
  const a = Arena.create(2)!; // 128 KiB
  const x = a.array(Uint8Array, 100_000);
  expect(a.holds(x)).toBe(true);
  const y = a.array(Uint8Array, 100_000);
  expect(a.holds(y)).toBe(false);
  expect(y.length).toBe(100_000);
  expect(a.spilled).toBe(1);
  expect(a.free).toBe(2 * 65536 - a.used);
  // resizing the newest array past the cap spills it too, values kept
  x[99_999] = 7;
  const z = a.resize(x, 200_000);
  expect(a.holds(z)).toBe(false);
  expect(z[99_999]).toBe(7);
  expect(a.spilled).toBe(2);
  expect(() => Arena.create(0)).toThrow(/maxPages must be an integer from 1 to 65536, got 0/);
  expect(() => Arena.create(65537)).toThrow(RangeError);
});

test('the heap allocator: resize keeps values, gives a large spare tail back as a copy and keeps a small one as a view', () => {
  const a = Int32Array.from({ length: 1000 }, (_, i) => i);
  const grown = heapAllocator.resize(a, 2000);
  expect(grown.length).toBe(2000);
  expect(grown[999]).toBe(999);
  expect(grown[1000]).toBe(0);
  const small = heapAllocator.resize(a, 990);
  expect(small.buffer).toBe(a.buffer);
  const compact = heapAllocator.resize(a, 100);
  expect(compact.buffer).not.toBe(a.buffer);
  expect(compact.buffer.byteLength).toBe(400);
});

test('IntBuffer on an arena fills, grows and finishes without moving: the result is where the buffer started', () => {
  const a = arena();
  const b = new IntBuffer(16, a);
  const at = b.data.byteOffset;
  for (let i = 0; i < 100_000; i++) b.push(i ^ 5);
  const out = b.finish();
  expect(out.byteOffset).toBe(at);
  expect(out.length).toBe(100_000);
  for (let i = 0; i < out.length; i += 997) expect(out[i]).toBe(i ^ 5);
  expect(a.used).toBe(at + 400_000);
});

/** The arena, counting the arrays build() had to copy in (a connector that built on the heap). */
function counting(a: Arena) {
  const c = { copies: 0, alloc: { array: a.array.bind(a), resize: a.resize.bind(a), adopt: <T extends TypedArray>(x: T): T => { if (!a.holds(x)) c.copies++; return a.adopt(x); } } as Allocator };
  return c;
}

test('connectors give the same edges on an arena as on the heap; their arrays live in the arena, built there without a copy', () => {
  const grid = { pre: [15, 20], post: [15, 20] };
  const direct: [Connector, number[]?][] = [
    [new FixedProb(0.05)], [new FixedProb(0.2, { allowMultiple: true, includeSelf: false })], [new FixedProb(1, { includeSelf: false })],
    [new All2All({ includeSelf: false })], [new One2One()], [new FixedPreNum(7)], [new FixedPostNum(7)], [new FixedTotalNum(2000)],
    [new GridEight(), grid.pre], [new GaussianProb(1.5), grid.pre], [new ProbDist(2, 0.5), grid.pre],
  ];
  const copied: [Connector, number[]?][] = [[new SmallWorld(4, 0.2)], [new ScaleFreeBA(3)]];
  for (const [list, copies] of [[direct, 0], [copied, 2]] as const) {
    for (const [c, shape] of list) {
      const a = arena(), counter = counting(a);
      const onArena = c.build(300, 300, new RNG(4), shape, shape, counter.alloc);
      const onHeap = c.build(300, 300, new RNG(4), shape, shape);
      expect([c.name, counter.copies]).toEqual([c.name, copies]);
      expect(Array.from(onArena.indptr)).toEqual(Array.from(onHeap.indptr));
      expect(Array.from(onArena.indices)).toEqual(Array.from(onHeap.indices));
      expect(onArena.nSyn).toBeGreaterThan(0);
      expect(a.holds(onArena.indptr) && a.holds(onArena.indices)).toBe(true);
      // derived structures too, with the same contents
      for (const name of ['pre_ids', 'csc'] as const) {
        const x = onArena.get(name), y = onHeap.get(name);
        const arr = ArrayBuffer.isView(x) ? x : (x as { indices: Int32Array }).indices;
        expect(a.holds(arr)).toBe(true);
        expect(Array.from(arr)).toEqual(Array.from(ArrayBuffer.isView(y) ? y : (y as { indices: Int32Array }).indices));
      }
      expect(onArena.byteSize()).toBe(onHeap.byteSize());
    }
  }
});

test('a network allocates its Variables and connectivity in its arena, unless built with arena: false; both run the same', async () => {
  const o = { seed: 3, nExc: 320, nInh: 80, p: 0.05 };
  const on = cobaNetwork(o).build(), off = cobaNetwork({ ...o, arena: false }).build();
  expect(off.arena).toBeNull();
  const arena = on.arena!;
  for (const p of on.variablePaths()) expect(arena.holds(on.variable(p)!.value)).toBe(true);
  for (const p of off.variablePaths()) expect(off.variable(p)!.value.buffer.byteLength).toBe(off.variable(p)!.value.byteLength);
  const r1 = await on.run(50, { backend: 'js', monitors: ['E.spike'] }), r2 = await off.run(50, { backend: 'js', monitors: ['E.spike'] });
  const s1 = r1.monitors['E.spike'] as SpikeMonitorData, s2 = r2.monitors['E.spike'] as SpikeMonitorData;
  expect(s1.count).toBeGreaterThan(0);
  expect(Array.from(s1.indices)).toEqual(Array.from(s2.indices));
  expect(() => cobaNetwork({ ...o, arena: 1 as unknown as boolean })).toThrow(BrainweaveError);
  expect(() => cobaNetwork({ ...o, arena: 1 as unknown as boolean })).toThrow(/arena must be true or false, got 1/);
});

test('the wasm backend runs on the arena itself: no copy of the connectivity, and the module imports the network memory', async () => {
  const net = cobaNetwork({ seed: 5, nExc: 800, nInh: 200, p: 0.5 }).build();
  const arena = net.arena!;
  const before = arena.used;
  let syn = 0;
  for (const name of ['EE', 'EI', 'IE', 'II']) syn += (net.get(name) as unknown as { pre2post: { indices: Int32Array } }).pre2post.indices.byteLength;
  await net.run(5, { backend: 'wasm', monitors: ['E.spike'] });
  // what the wasm executable added: its buffers (about 1 MiB), not another copy of the synapses
  expect(arena.used - before).toBeLessThan(syn / 2);
  expect(syn).toBeGreaterThan(4 * 400_000);
});
