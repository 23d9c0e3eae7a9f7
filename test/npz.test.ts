import { spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { deflateRawSync } from 'zlib';
import { crc32, decodeNpz, encodeNpz, zipMembers } from '../src/io/npz';
import { encodeNpy } from '../src/io/npy';

/** Bit-at-a-time CRC-32 (no table): an independent implementation of the same definition. */
function crcBitwise(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}
const ascii = (s: string) => new TextEncoder().encode(s);

test('CRC-32 check values', () => {
  expect(crc32(ascii('123456789'))).toBe(0xcbf43926); // the catalogued check value of CRC-32/ISO-HDLC
  expect(crc32(new Uint8Array(0))).toBe(0);
  expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  const r = new Uint8Array(5000).map((_, i) => (i * 7919 + (i >> 3)) & 0xff);
  expect(crc32(r)).toBe(crcBitwise(r));
});

test('byte layout: local headers, data, central directory, end record (APPNOTE 4.3)', () => {
  const a = new Float64Array([1, 2, 3]), b = new Int32Array([7, 8, 9, 10, 11, 12]);
  const bytes = encodeNpz({ a, bb: { data: b, shape: [2, 3] } });
  const dv = new DataView(bytes.buffer);
  const na = encodeNpy(a), nb = encodeNpy(b, [2, 3]);
  // first local header
  expect(dv.getUint32(0, true)).toBe(0x04034b50);
  expect(dv.getUint16(4, true)).toBe(20);       // version needed 2.0
  expect(dv.getUint16(8, true)).toBe(0);        // stored
  expect(dv.getUint32(14, true)).toBe(crcBitwise(na));
  expect(dv.getUint32(18, true)).toBe(na.length);
  expect(dv.getUint32(22, true)).toBe(na.length);
  expect(dv.getUint16(26, true)).toBe(5);
  expect(new TextDecoder().decode(bytes.subarray(30, 35))).toBe('a.npy');
  expect(bytes.subarray(35, 35 + na.length)).toEqual(na);
  // second local header right after
  const h2 = 35 + na.length;
  expect(dv.getUint32(h2, true)).toBe(0x04034b50);
  expect(new TextDecoder().decode(bytes.subarray(h2 + 30, h2 + 36))).toBe('bb.npy');
  expect(dv.getUint32(h2 + 14, true)).toBe(crcBitwise(nb));
  const cd = h2 + 36 + nb.length;
  // end record: last 22 bytes
  const e = bytes.length - 22;
  expect(dv.getUint32(e, true)).toBe(0x06054b50);
  expect(dv.getUint16(e + 8, true)).toBe(2);
  expect(dv.getUint16(e + 10, true)).toBe(2);
  expect(dv.getUint32(e + 16, true)).toBe(cd);
  expect(dv.getUint32(e + 12, true)).toBe(e - cd);
  // central directory entries point back at the local headers
  expect(dv.getUint32(cd, true)).toBe(0x02014b50);
  expect(dv.getUint32(cd + 16, true)).toBe(crcBitwise(na));
  expect(dv.getUint32(cd + 42, true)).toBe(0);
  const cd2 = cd + 46 + 5;
  expect(dv.getUint32(cd2, true)).toBe(0x02014b50);
  expect(dv.getUint32(cd2 + 42, true)).toBe(h2);
  expect(zipMembers(bytes).map((m) => m.name)).toEqual(['a.npy', 'bb.npy']);
  // deterministic: same arrays, same bytes
  expect(encodeNpz({ a, bb: { data: b, shape: [2, 3] } })).toEqual(bytes);
});

test('round trip of every dtype, shapes, names', async () => {
  const entries = {
    f4: new Float32Array([1.5, -2, NaN, Infinity]), f8: { data: new Float64Array([Math.PI, -0, 1e-300, 5, 6, 7]), shape: [2, 3] },
    i4: new Int32Array([-1, 2 ** 31 - 1]), u1: new Uint8Array([0, 255, 1]), empty: new Float64Array(0),
    'spikes.E': new Int32Array([1, 2]), 'Ünïcode名': new Uint16Array([65535]), __proto__x: new Int8Array([-128]),
  };
  const out = await decodeNpz(encodeNpz(entries));
  expect(Object.keys(out)).toEqual(Object.keys(entries));
  expect(out.f4.data).toEqual(entries.f4); expect(out.f4.shape).toEqual([4]); expect(out.f4.descr).toBe('<f4');
  expect(out.f8.shape).toEqual([2, 3]); expect(Array.from(out.f8.data as ArrayLike<number>)).toEqual(Array.from(entries.f8.data));
  expect(Object.is(out.f8.data[1], -0)).toBe(true);
  expect(out.i4.data).toEqual(entries.i4); expect(out.u1.data).toEqual(entries.u1);
  expect(out.empty.data.length).toBe(0);
  expect(out['Ünïcode名'].data).toEqual(entries['Ünïcode名']);
  const proto = await decodeNpz(encodeNpz(Object.defineProperty({}, '__proto__', { value: new Int32Array([3]), enumerable: true })));
  expect(Object.getPrototypeOf(proto)).toBe(Object.prototype);
  expect(Array.from(Object.getOwnPropertyDescriptor(proto, "__proto__")!.value.data as ArrayLike<number>)).toEqual([3]);
});

/** A minimal independent ZIP writer for the reader's tests (deflate from node's zlib). */
function zip(members: { name: string; body: Uint8Array; deflate: boolean }[]): Uint8Array {
  const parts: Buffer[] = [], central: Buffer[] = [];
  let off = 0;
  for (const m of members) {
    const data = m.deflate ? deflateRawSync(m.body) : Buffer.from(m.body);
    const name = Buffer.from(m.name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0); h.writeUInt16LE(20, 4); h.writeUInt16LE(m.deflate ? 8 : 0, 8);
    h.writeUInt32LE(crcBitwise(m.body), 14); h.writeUInt32LE(data.length, 18); h.writeUInt32LE(m.body.length, 22); h.writeUInt16LE(name.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt16LE(m.deflate ? 8 : 0, 10);
    c.writeUInt32LE(crcBitwise(m.body), 16); c.writeUInt32LE(data.length, 20); c.writeUInt32LE(m.body.length, 24); c.writeUInt16LE(name.length, 28); c.writeUInt32LE(off, 42);
    parts.push(h, name, data); central.push(c, name);
    off += 30 + name.length + data.length;
  }
  const cd = Buffer.concat(central), e = Buffer.alloc(22);
  e.writeUInt32LE(0x06054b50, 0); e.writeUInt16LE(members.length, 8); e.writeUInt16LE(members.length, 10); e.writeUInt32LE(cd.length, 12); e.writeUInt32LE(off, 16);
  return new Uint8Array(Buffer.concat([...parts, cd, e]));
}

test('reads deflated members (savez_compressed) through DecompressionStream', async () => {
  const big = new Float64Array(5000).map((_, i) => Math.sin(i / 50));
  const bytes = zip([{ name: 'w.npy', body: encodeNpy(big), deflate: true }, { name: 'n.npy', body: encodeNpy(new Int32Array([4, 5])), deflate: false }]);
  expect(bytes.length).toBeLessThan(big.byteLength); // really compressed
  const out = await decodeNpz(bytes);
  expect(out.w.data).toEqual(big);
  expect(Array.from(out.n.data as ArrayLike<number>)).toEqual([4, 5]);
});

test('damaged archives are refused with a reason', async () => {
  const good = encodeNpz({ x: new Float64Array([1, 2, 3]) });
  const flipped = good.slice(); flipped[good.length - 22 - 51 - 1] ^= 1; // last data byte
  await expect(decodeNpz(flipped)).rejects.toThrow(/CRC-32/);
  await expect(decodeNpz(good.subarray(0, good.length - 5))).rejects.toThrow(/not a ZIP archive/);
  await expect(decodeNpz(zip([{ name: 'x.txt', body: ascii('hi'), deflate: false }]))).rejects.toThrow(/x\.txt' is not an \.npy/);
  const bad = zip([{ name: 'x.npy', body: encodeNpy(new Int32Array([1])), deflate: false }]);
  new DataView(bad.buffer).setUint16(8, 12, true); // local method 12 (bzip2) – the central one says 0: reader uses central
  new DataView(bad.buffer).setUint16(bad.length - 22 - 46 - 5 + 10, 12, true);
  await expect(decodeNpz(bad)).rejects.toThrow(/compression method 12/);
  expect(() => encodeNpz({ '': new Int32Array(1) })).toThrow(/non-empty/);
  expect(() => encodeNpz({ x: { data: new Int32Array(6), shape: [4, 2] } })).toThrow(/entry 'x'/);
  expect(() => encodeNpz({ x: [1, 2] as any })).toThrow(/typed array/);
});

const python = '/usr/bin/python3';
const hasNumpy = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
(hasNumpy ? test : test.skip)('numpy loads what encodeNpz writes, and decodeNpz reads numpy.savez and savez_compressed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bw-npz-'));
  try {
    const f = join(dir, 'ours.npz');
    writeFileSync(f, encodeNpz({ V: new Float32Array([1.5, -2.25]), W: { data: new Float64Array([1, 2, 3, 4, 5, 6]), shape: [3, 2] }, idx: new Int32Array([9, -9]) }));
    const py = [
      'import numpy as np, json, sys',
      `z = np.load(${JSON.stringify(f)})`,
      'print(json.dumps({k: [str(z[k].dtype), list(z[k].shape), z[k].ravel().tolist()] for k in sorted(z.files)}))',
      `np.savez(${JSON.stringify(join(dir, 'np.npz'))}, a=np.arange(6, dtype=np.float64).reshape(2, 3), b=np.array([1, 2], dtype=np.int32))`,
      `np.savez_compressed(${JSON.stringify(join(dir, 'npc.npz'))}, a=np.linspace(0, 1, 1000), b=np.array([3], dtype=np.uint8))`,
    ].join('\n');
    const r = spawnSync(python, ['-c', py], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ V: ['float32', [2], [1.5, -2.25]], W: ['float64', [3, 2], [1, 2, 3, 4, 5, 6]], idx: ['int32', [2], [9, -9]] });
    const np1 = await decodeNpz(new Uint8Array(readFileSync(join(dir, 'np.npz'))));
    expect(np1.a.shape).toEqual([2, 3]); expect(Array.from(np1.a.data as ArrayLike<number>)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(np1.b.data as ArrayLike<number>)).toEqual([1, 2]);
    const np2 = await decodeNpz(new Uint8Array(readFileSync(join(dir, 'npc.npz'))));
    expect(np2.a.data.length).toBe(1000); expect(np2.a.data[999]).toBe(1); expect(np2.a.data[500]).toBeCloseTo(500 / 999, 15);
    expect(Array.from(np2.b.data as ArrayLike<number>)).toEqual([3]);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
