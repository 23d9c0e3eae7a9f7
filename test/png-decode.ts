/**
 * Minimal PNG decoder for tests: 8-bit RGB or RGBA, non-interlaced (what resvg writes), shared by
 * every test that reads a PNG (chunks, zlib inflate, row filters).
 */
import { inflateSync } from 'zlib';

export interface Image { width: number; height: number; px(x: number, y: number): [number, number, number, number] }

/** Minimal PNG decoder: 8-bit RGB or RGBA, non-interlaced (what resvg writes). */
export function decodePNG(buf: Uint8Array): Image {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  sig.forEach((b, i) => { if (buf[i] !== b) throw new Error(`not a PNG: byte ${i} is ${buf[i]}`); });
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 8, width = 0, height = 0, depth = 0, ctype = 0, interlace = 0;
  const idat: Uint8Array[] = [];
  for (;;) {
    const len = dv.getUint32(off);
    const type = String.fromCharCode(...buf.subarray(off + 4, off + 8));
    const data = buf.subarray(off + 8, off + 8 + len);
    if (type === 'IHDR') {
      width = dv.getUint32(off + 8); height = dv.getUint32(off + 12);
      depth = data[8]; ctype = data[9]; interlace = data[12];
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    off += 12 + len;
  }
  if (depth !== 8 || interlace !== 0 || (ctype !== 2 && ctype !== 6)) throw new Error(`PNG: depth ${depth}, colour type ${ctype}, interlace ${interlace} not supported`);
  const bpp = ctype === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  if (raw.length !== height * (stride + 1)) throw new Error(`PNG: ${raw.length} bytes of pixel data for ${width}×${height}`);
  const out = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= bpp ? out[y * stride + i - bpp] : 0;
      const b = y > 0 ? out[(y - 1) * stride + i] : 0;
      const c = i >= bpp && y > 0 ? out[(y - 1) * stride + i - bpp] : 0;
      let v: number;
      if (f === 0) v = x;
      else if (f === 1) v = x + a;
      else if (f === 2) v = x + b;
      else if (f === 3) v = x + ((a + b) >> 1);
      else if (f === 4) {
        const p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      } else throw new Error(`bad filter ${f}`);
      out[y * stride + i] = v & 0xff;
    }
  }
  return {
    width, height,
    px: (x, y) => {
      const o = Math.floor(y) * stride + Math.floor(x) * bpp;
      return [out[o], out[o + 1], out[o + 2], bpp === 4 ? out[o + 3] : 255];
    },
  };
}
