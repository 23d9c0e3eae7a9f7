/**
 * NPY, numpy's array file format (version 1.0; https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html).
 * Pure bytes in, bytes out: no fs, so it is safe in a browser bundle. Little-endian, C order.
 */

export type NpyArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array | Int8Array | Int16Array | Uint16Array | BigInt64Array;

const DESCR: [string, new (n: number) => NpyArray][] = [
  ['<f4', Float32Array], ['<f8', Float64Array], ['<i4', Int32Array], ['<u4', Uint32Array],
  ['|u1', Uint8Array], ['|i1', Int8Array], ['<i2', Int16Array], ['<u2', Uint16Array], ['<i8', BigInt64Array],
];
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

function descrOf(a: NpyArray): string {
  for (const [d, C] of DESCR) if (a instanceof C) return d;
  throw new TypeError(`npy: unsupported array type ${(a as object).constructor.name}`);
}

/** Encodes `data` as an .npy file with the given shape (default: 1-D). */
export function encodeNpy(data: NpyArray, shape: number[] = [data.length]): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new RangeError(`npy: shape [${shape.join(', ')}] holds ${n} values, the array has ${data.length}`);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descrOf(data)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1; out[7] = 0;
  out[8] = header.length & 0xff; out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}

export interface DecodedNpy { data: NpyArray; shape: number[]; descr: string }

/** Decodes an .npy file (versions 1.0–3.0, little-endian, C order). The data is a copy, aligned. */
export function decodeNpy(bytes: Uint8Array): DecodedNpy {
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) throw new Error('npy: not an .npy file (bad magic)');
  const major = bytes[6];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  let header = '';
  for (let i = 0; i < hlen; i++) header += String.fromCharCode(bytes[start + i]);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) throw new Error(`npy: cannot read header ${header.trim()}`);
  if (fortran === 'True') throw new Error('npy: Fortran-order arrays are not supported');
  const entry = DESCR.find(([d]) => d === descr || (d[0] === '<' && descr === '=' + d.slice(1)));
  if (!entry) throw new Error(`npy: unsupported dtype '${descr}'`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const C = entry[1];
  const off = start + hlen;
  const bpe = (C as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  if (bytes.byteLength - off < n * bpe) throw new Error(`npy: file holds ${bytes.byteLength - off} data bytes, shape needs ${n * bpe}`);
  const data = new C(n);
  new Uint8Array(data.buffer).set(bytes.subarray(off, off + n * bpe));
  return { data, shape, descr: entry[0] };
}
