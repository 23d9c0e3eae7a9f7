import { encodeNpy, decodeNpy } from '../src/io/npy';

describe('npy', () => {
  it('writes the v1.0 layout: magic, 64-byte aligned header ending in a newline, raw little-endian data', () => {
    const a = Float32Array.from([1.5, -2, 3.25]);
    const b = encodeNpy(a);
    expect(Array.from(b.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const hlen = b[8] | (b[9] << 8);
    expect((10 + hlen) % 64).toBe(0);
    const header = String.fromCharCode(...b.subarray(10, 10 + hlen));
    expect(header.endsWith('\n')).toBe(true);
    expect(header).toContain("'descr': '<f4'");
    expect(header).toContain("'shape': (3,)");
    const view = new DataView(b.buffer, b.byteOffset + 10 + hlen);
    expect(view.getFloat32(4, true)).toBe(-2);
  });

  it('round-trips every supported dtype and shape', () => {
    const cases: [any, number[]][] = [
      [Float64Array.from([Math.PI, -0, 1e-300, 7]), [2, 2]],
      [Int32Array.from([1, -2, 2147483647]), [3]],
      [Uint8Array.from([0, 1, 255, 3, 4, 5]), [2, 3]],
      [new Float32Array(0), [0]],
      [BigInt64Array.from([1n, -5n]), [2]],
    ];
    for (const [a, shape] of cases) {
      const d = decodeNpy(encodeNpy(a, shape));
      expect(d.shape).toEqual(shape);
      expect(d.data.constructor).toBe(a.constructor);
      expect(Array.from(d.data as any)).toEqual(Array.from(a));
    }
  });

  it('refuses a shape that does not match and files that are not npy', () => {
    expect(() => encodeNpy(new Float32Array(3), [2, 2])).toThrow(/holds 4 values, the array has 3/);
    expect(() => decodeNpy(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/bad magic/);
    const b = encodeNpy(new Float64Array(4));
    expect(() => decodeNpy(b.subarray(0, b.length - 8))).toThrow(/data bytes/);
  });
});
