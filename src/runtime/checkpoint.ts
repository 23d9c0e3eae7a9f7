import { BrainweaveError } from '../core/errors';
import { NetworkBase } from '../core/network';
import { TwoEndConn } from '../core/dynsys';
import { Variable } from '../core/variable';
import { encodeNpz, decodeNpz } from '../io/npz';
import { NpyArray } from '../io/npy';

/**
 * Checkpoint format, version 1: an NPZ archive (numpy.load opens it) with
 *  - one member per Variable, named by its path ('E.V', 'EE.w', 'EE.ring', ...), dtype as stored
 *    (<f4 or <f8 for float state, |u1 for bool, <i4 for int32);
 *  - a member 'meta': UTF-8 JSON as bytes (`json.loads(bytes(z['meta']))` in Python) with
 *    { format: 'brainweave-checkpoint', version: 1, precision, seed, t, stepsDone, epoch: { dt, t, k },
 *      rng: the stream's 6-number state, fingerprint: { members, variables, connectivity } }.
 * The fingerprint (member names and classes, Variable paths, dtypes and sizes, an FNV-1a hash of each
 * projection's CSR) lets load() refuse a file from another network, saying what differs.
 */
export const CHECKPOINT_FORMAT = 'brainweave-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface TimeState { t: number; stepsDone: number; epoch: { dt: number; t: number; k: number } }

interface Fingerprint {
  members: string[];                               // "E:LIF"
  variables: string[];                             // "E.V:float32[3200]"
  connectivity: Record<string, string>;           // projection → hash of its CSR
}
interface Meta extends TimeState {
  format: string; version: number; precision: string; seed: number; rng: number[]; fingerprint: Fingerprint;
}

export function fingerprint(net: NetworkBase): Fingerprint {
  const members = net.objects.map(({ name, obj }) => `${name}:${obj.constructor.name}`);
  const variables = net.variablePaths().map((p) => {
    const a = net.variable(p)!.value;
    return `${p}:${a.constructor.name.replace('Array', '').toLowerCase()}[${a.length}]`;
  });
  const connectivity: Record<string, string> = {};
  for (const { name, obj } of net.objects) {
    if (obj instanceof TwoEndConn && obj.conn.realised) {
      const csr = obj.conn.connectivity.get('pre2post') as { indptr: Int32Array; indices: Int32Array };
      connectivity[name] = `${csr.indices.length}:${fnv1a(csr.indptr, fnv1a(csr.indices)).toString(16)}`;
    }
  }
  return { members, variables, connectivity };
}

/** The complete state of a built network as NPZ bytes. */
export function encodeCheckpoint(net: NetworkBase, time: TimeState): Uint8Array {
  const meta: Meta = {
    format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, precision: net.precision, seed: net.seedValue!,
    ...time, rng: net.stream.getState(), fingerprint: fingerprint(net),
  };
  const entries: Record<string, NpyArray> = { meta: new TextEncoder().encode(JSON.stringify(meta)) };
  for (const p of net.variablePaths()) entries[p] = net.variable(p)!.value as NpyArray;
  return encodeNpz(entries);
}

/** Restores a checkpoint into a built network; returns the time state to take over. */
export async function decodeCheckpoint(net: NetworkBase, bytes: Uint8Array): Promise<TimeState> {
  let z: Awaited<ReturnType<typeof decodeNpz>>;
  try { z = await decodeNpz(bytes); } catch (e) { throw new BrainweaveError(`load: not a brainweave checkpoint (${(e as Error).message})`); }
  if (!z.meta) throw new BrainweaveError("load: not a brainweave checkpoint (no 'meta' member)");
  let meta: Meta;
  try { meta = JSON.parse(new TextDecoder().decode(z.meta.data as Uint8Array)); } catch { throw new BrainweaveError('load: the checkpoint meta is not JSON'); }
  if (meta.format !== CHECKPOINT_FORMAT) throw new BrainweaveError(`load: not a brainweave checkpoint (format '${meta.format}')`);
  if (meta.version !== CHECKPOINT_VERSION) throw new BrainweaveError(`load: checkpoint version ${meta.version}; this brainweave reads version ${CHECKPOINT_VERSION}`);
  const diff = differences(meta, net);
  if (diff.length) throw new BrainweaveError(`load: the checkpoint is from a different network:\n  ${diff.join('\n  ')}`);
  for (const p of net.variablePaths()) {
    const v = net.variable(p) as Variable, d = z[p];
    if (!d) throw new BrainweaveError(`load: the checkpoint has no values for ${p}`);
    if (d.data.constructor !== v.value.constructor) throw new BrainweaveError(`load: ${p} is ${d.descr} in the checkpoint, ${v.value.constructor.name} here`);
    v.value.set(d.data as ArrayLike<number> & NpyArray as never);
  }
  net.stream.setState(meta.rng);
  return { t: meta.t, stepsDone: meta.stepsDone, epoch: meta.epoch };
}

function differences(meta: Meta, net: NetworkBase): string[] {
  const out: string[] = [];
  if (meta.precision !== net.precision) out.push(`precision: ${meta.precision} there, ${net.precision} here`);
  if (meta.seed !== net.seedValue) out.push(`seed: ${meta.seed} there, ${net.seedValue} here`);
  const here = fingerprint(net), there = meta.fingerprint;
  const listDiff = (what: string, a: string[], b: string[]) => {
    const onlyThere = a.filter((x) => !b.includes(x)), onlyHere = b.filter((x) => !a.includes(x));
    if (onlyThere.length || onlyHere.length) out.push(`${what}: only in the checkpoint ${onlyThere.join(', ') || '(none)'}; only here ${onlyHere.join(', ') || '(none)'}`);
  };
  listDiff('members', there.members, here.members);
  listDiff('variables', there.variables, here.variables);
  for (const k of new Set([...Object.keys(there.connectivity), ...Object.keys(here.connectivity)])) {
    if (there.connectivity[k] !== here.connectivity[k]) out.push(`connectivity of ${k}: ${there.connectivity[k] ?? 'none'} there, ${here.connectivity[k] ?? 'none'} here (synapse count:hash)`);
  }
  return out;
}

/** FNV-1a over the bytes of an Int32Array (32-bit). */
function fnv1a(a: Int32Array, h = 0x811c9dc5): number {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193) >>> 0;
  return h >>> 0;
}

/** Where save(path)/load(path) read and write files; the Node entry installs fs. */
export interface FileIO { write(path: string, bytes: Uint8Array): Promise<void>; read(path: string): Promise<Uint8Array> }
let fileIO: FileIO | null = null;
export function setFileIO(io: FileIO): void { fileIO = io; }
export function getFileIO(): FileIO {
  if (!fileIO) throw new BrainweaveError("save/load to a path needs file access: import 'brainweave/node' (Node), or use net.checkpoint() / net.restore(bytes)");
  return fileIO;
}
