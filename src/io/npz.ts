/**
 * NPZ, numpy's archive of arrays (`numpy.savez` / `numpy.savez_compressed`): a ZIP file whose members are
 * `<name>.npy` files (see npy.ts). ZIP structures follow PKWARE's APPNOTE.TXT (sections 4.3.7 local file
 * header, 4.3.12 central directory header, 4.3.16 end of central directory record).
 *
 * Pure bytes in, bytes out, so it is browser-safe: no fs, no zlib. The writer stores members uncompressed
 * (as `numpy.savez` does) and is synchronous. The reader accepts stored members and deflated ones
 * (`numpy.savez_compressed`), which it inflates with the standard `DecompressionStream('deflate-raw')`
 * (Node ≥ 18, current browsers); that is why it is async.
 *
 * No ZIP64: archives, members and offsets must stay below 4 GiB and 65535 members; both sides refuse
 * larger ones with a message. (numpy writes ZIP64 extra fields even for small members; the reader takes
 * the real sizes from them where the 32-bit fields say 0xFFFFFFFF.)
 */
import { decodeNpy, DecodedNpy, encodeNpy, NpyArray } from './npy';

export type NpzEntry = NpyArray | { data: NpyArray; shape?: number[] };

const SIG_LOCAL = 0x04034b50, SIG_CENTRAL = 0x02014b50, SIG_END = 0x06054b50, SIG_LOCATOR64 = 0x07064b50;
const LIMIT32 = 0xffffffff;
const VERSION = 20; // 2.0: stored and deflated members, no ZIP64
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1; // 1980-01-01, 00:00:00: fixed, so equal arrays give equal files

let crcTable: Uint32Array | null = null;

/** CRC-32 (ISO-HDLC, the ZIP/PNG/gzip one: reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF). */
export function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Encodes arrays as an .npz file: `encodeNpz({ V: float32Array, W: { data, shape: [n, m] } })`.
 * numpy reads it with `np.load(path)['V']`. Member order is the object's key order.
 */
export function encodeNpz(entries: Record<string, NpzEntry>): Uint8Array {
  const enc = new TextEncoder();
  const members: { name: Uint8Array; body: Uint8Array; crc: number; offset: number; utf8: boolean }[] = [];
  let offset = 0;
  for (const key of Object.keys(entries)) {
    const e = entries[key];
    if (!key || key.includes('\0')) throw new RangeError(`npz: member name ${JSON.stringify(key)} must be a non-empty string without NUL`);
    const data = ArrayBuffer.isView(e) ? (e as NpyArray) : e?.data;
    if (!ArrayBuffer.isView(data)) throw new TypeError(`npz: entry '${key}' must be a typed array or { data, shape }, got ${String(e)}`);
    let body: Uint8Array;
    try { body = encodeNpy(data, ArrayBuffer.isView(e) ? undefined : (e as { shape?: number[] }).shape); } catch (err) {
      throw new RangeError(`npz: entry '${key}': ${(err as Error).message}`);
    }
    const name = enc.encode(`${key}.npy`);
    if (name.length > 0xffff) throw new RangeError(`npz: member name of entry '${key.slice(0, 40)}…' is longer than 65535 bytes`);
    if (body.length >= LIMIT32) throw new RangeError(`npz: entry '${key}' is ${body.length} bytes; members of 4 GiB or more need ZIP64, which this writer does not do`);
    members.push({ name, body, crc: crc32(body), offset, utf8: /[^\x20-\x7e]/.test(key) });
    offset += 30 + name.length + body.length;
  }
  if (members.length > 0xffff) throw new RangeError(`npz: ${members.length} entries; more than 65535 need ZIP64, which this writer does not do`);
  const cdSize = members.reduce((s, m) => s + 46 + m.name.length, 0);
  if (offset + cdSize + 22 >= LIMIT32) throw new RangeError(`npz: the archive would be ${offset + cdSize + 22} bytes; 4 GiB or more needs ZIP64, which this writer does not do`);

  const out = new Uint8Array(offset + cdSize + 22);
  const dv = new DataView(out.buffer);
  let p = 0;
  const u16 = (v: number) => { dv.setUint16(p, v, true); p += 2; };
  const u32 = (v: number) => { dv.setUint32(p, v >>> 0, true); p += 4; };
  const common = (m: typeof members[number]) => {
    u16(VERSION); u16(m.utf8 ? 1 << 11 : 0); u16(0); // version needed, flags (bit 11: UTF-8 name), method: stored
    u16(0); u16(DOS_DATE_1980); // time, date
    u32(m.crc); u32(m.body.length); u32(m.body.length); // crc, compressed size, uncompressed size
    u16(m.name.length); u16(0); // name length, extra length
  };
  for (const m of members) {
    u32(SIG_LOCAL); common(m);
    out.set(m.name, p); p += m.name.length;
    out.set(m.body, p); p += m.body.length;
  }
  const cdStart = p;
  for (const m of members) {
    u32(SIG_CENTRAL); u16(VERSION); common(m);
    u16(0); u16(0); u16(0); u32(0); // comment length, disk number, internal attributes, external attributes
    u32(m.offset);
    out.set(m.name, p); p += m.name.length;
  }
  u32(SIG_END); u16(0); u16(0); u16(members.length); u16(members.length); u32(cdSize); u32(cdStart); u16(0);
  return out;
}

/** A member of a ZIP archive as its central directory describes it. */
export interface ZipMember { name: string; method: number; flags: number; crc: number; compressedSize: number; size: number; localOffset: number }

/** Reads the central directory of a ZIP archive (no ZIP64 end record, no multi-disk archives). */
export function zipMembers(bytes: Uint8Array): ZipMember[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let end = -1;
  for (let i = n - 22; i >= Math.max(0, n - 22 - 0xffff); i--) {
    if (dv.getUint32(i, true) === SIG_END && i + 22 + dv.getUint16(i + 20, true) === n) { end = i; break; }
  }
  if (end < 0) throw new Error('npz: not a ZIP archive (no end of central directory record)');
  if (end >= 20 && dv.getUint32(end - 20, true) === SIG_LOCATOR64) {
    throw new Error('npz: the archive uses a ZIP64 end record (4 GiB or more, or more than 65535 members); not supported');
  }
  const count = dv.getUint16(end + 10, true), cdSize = dv.getUint32(end + 12, true), cdOffset = dv.getUint32(end + 16, true);
  if (dv.getUint16(end + 4, true) !== 0 || dv.getUint16(end + 6, true) !== 0 || dv.getUint16(end + 8, true) !== count) {
    throw new Error('npz: multi-disk ZIP archives are not supported');
  }
  if (count === 0xffff || cdOffset === LIMIT32 || cdSize === LIMIT32) throw new Error('npz: the archive needs ZIP64 (4 GiB or more, or more than 65535 members); not supported');
  if (cdOffset + cdSize > end) throw new Error(`npz: central directory [${cdOffset}, ${cdOffset + cdSize}) runs past its end record at ${end}`);
  const dec = new TextDecoder('utf-8', { fatal: false });
  const out: ZipMember[] = [];
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > end || dv.getUint32(p, true) !== SIG_CENTRAL) throw new Error(`npz: central directory entry ${k} at ${p} is damaged`);
    const flags = dv.getUint16(p + 8, true), method = dv.getUint16(p + 10, true), crc = dv.getUint32(p + 16, true);
    let compressedSize = dv.getUint32(p + 20, true), size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true), extraLen = dv.getUint16(p + 30, true), commentLen = dv.getUint16(p + 32, true);
    let localOffset = dv.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > end) throw new Error(`npz: central directory entry ${k} runs past the directory`);
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extended information (header id 1): 8-byte values for those 32-bit fields that are 0xFFFFFFFF
    if (size === LIMIT32 || compressedSize === LIMIT32 || localOffset === LIMIT32) {
      let q = p + 46 + nameLen, found = false;
      const qEnd = q + extraLen;
      while (q + 4 <= qEnd) {
        const id = dv.getUint16(q, true), len = dv.getUint16(q + 2, true);
        if (id === 1) {
          let r = q + 4;
          const big = () => { const v = Number(dv.getBigUint64(r, true)); r += 8; return v; };
          if (size === LIMIT32) size = big();
          if (compressedSize === LIMIT32) compressedSize = big();
          if (localOffset === LIMIT32) localOffset = big();
          found = true;
          break;
        }
        q += 4 + len;
      }
      if (!found) throw new Error(`npz: member '${name}' has 32-bit fields of 0xFFFFFFFF but no ZIP64 information`);
    }
    out.push({ name, method, flags, crc, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The bytes of one member, inflated if needed and checked against its CRC-32. */
export async function zipMemberBytes(bytes: Uint8Array, m: ZipMember): Promise<Uint8Array> {
  return m.method === 8 ? checked(m, await inflateRaw(rawMember(bytes, m), m.name)) : storedMemberBytes(bytes, m);
}

/** The bytes of one stored (uncompressed) member, checked against its CRC-32; synchronous. */
export function storedMemberBytes(bytes: Uint8Array, m: ZipMember): Uint8Array {
  if (m.method !== 0) throw new Error(`npz: member '${m.name}' uses compression method ${m.method}; the synchronous reader takes stored members only (use decodeNpz)`);
  return checked(m, rawMember(bytes, m));
}

function checked(m: ZipMember, body: Uint8Array): Uint8Array {
  if (body.length !== m.size) throw new Error(`npz: member '${m.name}' is ${body.length} bytes, its header says ${m.size}`);
  const c = crc32(body);
  if (c !== m.crc) throw new Error(`npz: member '${m.name}' fails its CRC-32 check (0x${c.toString(16)}, expected 0x${m.crc.toString(16)})`);
  return body;
}

function rawMember(bytes: Uint8Array, m: ZipMember): Uint8Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (m.flags & 1) throw new Error(`npz: member '${m.name}' is encrypted; not supported`);
  const h = m.localOffset;
  if (h + 30 > bytes.length || dv.getUint32(h, true) !== SIG_LOCAL) throw new Error(`npz: member '${m.name}': no local header at ${h}`);
  // the local extra field may differ from the central one (numpy writes ZIP64 extras locally)
  const start = h + 30 + dv.getUint16(h + 26, true) + dv.getUint16(h + 28, true);
  if (start + m.compressedSize > bytes.length) throw new Error(`npz: member '${m.name}' runs past the end of the archive`);
  if (m.method !== 0 && m.method !== 8) throw new Error(`npz: member '${m.name}' uses compression method ${m.method}; only stored (0) and deflate (8) are supported`);
  return bytes.subarray(start, start + m.compressedSize);
}

async function inflateRaw(raw: Uint8Array, name: string): Promise<Uint8Array> {
  const DS = (globalThis as { DecompressionStream?: new (f: string) => TransformStream<Uint8Array, Uint8Array> }).DecompressionStream;
  if (!DS) throw new Error(`npz: member '${name}' is deflated and this platform has no DecompressionStream`);
  const ds = new DS('deflate-raw');
  const writer = ds.writable.getWriter();
  const done = writer.write(raw).then(() => writer.close());
  const reader = ds.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done: end } = await reader.read();
    if (end) break;
    chunks.push(value); total += value.length;
  }
  await done;
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) { out.set(c, p); p += c.length; }
  return out;
}

/**
 * Decodes an .npz file: `{ V: { data, shape, descr }, ... }`, keyed by member name without `.npy`.
 * Members that are not .npy files are refused, as are damaged archives (bounds and CRC are checked).
 */
export async function decodeNpz(bytes: Uint8Array): Promise<Record<string, DecodedNpy>> {
  const out: Record<string, DecodedNpy> = {};
  for (const m of zipMembers(bytes)) {
    if (!m.name.endsWith('.npy')) throw new Error(`npz: member '${m.name}' is not an .npy file`);
    const key = m.name.slice(0, -4);
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new Error(`npz: member '${m.name}' appears twice`);
    const body = await zipMemberBytes(bytes, m);
    let arr: DecodedNpy;
    try { arr = decodeNpy(body); } catch (e) { throw new Error(`npz: member '${m.name}': ${(e as Error).message}`); }
    // defineProperty: a member called '__proto__.npy' becomes a key, not the object's prototype
    Object.defineProperty(out, key, { value: arr, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** decodeNpz for archives of stored members (what encodeNpz and numpy.savez write), synchronously. */
export function decodeNpzSync(bytes: Uint8Array): Record<string, DecodedNpy> {
  const out: Record<string, DecodedNpy> = {};
  for (const m of zipMembers(bytes)) {
    if (!m.name.endsWith('.npy')) throw new Error(`npz: member '${m.name}' is not an .npy file`);
    out[m.name.slice(0, -4)] = decodeNpy(storedMemberBytes(bytes, m));
  }
  return out;
}
