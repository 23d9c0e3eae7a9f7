/**
 * Trustworthy state (issue 10): however a run is cut — two runs, or a checkpoint, a new process and a
 * load — continuing gives exactly the uninterrupted run, for every model of the zoo (the conformance
 * cases) and the example networks; a checkpoint from another network is refused with what differs.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import '../src/node';
import { Network } from '../src';
import { decodeNpz } from '../src/io/npz';
import { NEURON_CASES, SYNAPSE_CASES, RUNTIME_CASES } from './conformance/cases';
import { Case } from './conformance/harness';
import { cobaNetwork, cubaNetwork } from '../examples/networks';
import { checkpointNet, stateDigest } from './fixtures/checkpoint-net';

const examples: Case[] = [
  { name: 'example COBA (small)', make: () => cobaNetwork({ nExc: 400, nInh: 100, p: 0.08, seed: 3 }), duration: 60, opts: { dt: 0.1 } },
  { name: 'example CUBA (small)', make: () => cubaNetwork({ nExc: 400, nInh: 100, p: 0.08, seed: 3 }), duration: 60, opts: { dt: 0.1 } },
];
const ALL = [...NEURON_CASES, ...SYNAPSE_CASES, ...RUNTIME_CASES, ...examples];

async function whole(c: Case) {
  const net = c.make();
  const r = await net.run(c.duration, { ...c.opts });
  return { net, r };
}

describe.each(ALL.map((c) => [c.name, c] as const))('%s', (_n, c) => {
  // a cut at an awkward step, not a multiple of anything in the models
  const dt = c.opts?.dt ?? 0.1;
  const cut = Math.round((c.duration * 0.37) / dt) * dt;
  test('run(a) + run(b) is bit-identical to run(a + b)', async () => {
    const ref = await whole(c);
    const net = c.make();
    const r1 = await net.run(cut, { ...c.opts }), r2 = await net.run(Math.round((c.duration - cut) / dt) * dt, { ...c.opts });
    expect(stateDigest(net)).toBe(stateDigest(ref.net));
    for (const k of Object.keys(ref.r.monitors)) {
      const a = ref.r.monitors[k], x = r1.monitors[k], y = r2.monitors[k];
      if (a.kind === 'spike' && x.kind === 'spike' && y.kind === 'spike') expect([...x.times, ...y.times]).toEqual(Array.from(a.times));
    }
  });
  test('checkpoint → fresh network → restore → continue is bit-identical', async () => {
    const ref = await whole(c);
    const first = c.make();
    await first.run(cut, { ...c.opts });
    const bytes = first.checkpoint();
    const second = c.make();
    await second.restore(bytes);
    await second.run(Math.round((c.duration - cut) / dt) * dt, { ...c.opts });
    expect(stateDigest(second)).toBe(stateDigest(ref.net));
  });
});

test('save → new process → load → continue equals the uninterrupted run (Poisson input, STDP, delays)', async () => {
  const ref = checkpointNet();
  await ref.run(100, { dt: 0.1 });
  const net = checkpointNet();
  await net.run(43.7, { dt: 0.1 });
  const path = join(mkdtempSync(join(tmpdir(), 'bw-ckpt-')), 'net.npz');
  await net.save(path);
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, 'fixtures/checkpoint-child.ts'), path, '56.3'], { encoding: 'utf8' });
  expect(out.trim()).toBe(stateDigest(ref));
}, 60000);

test('the file is an NPZ numpy can open: one array per Variable plus JSON meta', async () => {
  const net = checkpointNet('float64');
  await net.run(5);
  const z = await decodeNpz(net.checkpoint());
  expect(Array.from(z['E.V'].data as Float64Array)).toEqual(Array.from(net.variable('E.V')!.value));
  expect(z['E.refractory'].descr).toBe('<i4');
  const meta = JSON.parse(new TextDecoder().decode(z.meta.data as Uint8Array));
  expect(meta).toMatchObject({ format: 'brainweave-checkpoint', version: 1, seed: 77, stepsDone: 50, precision: 'float64' });
  expect(meta.t).toBe(net.t);
});

describe('a checkpoint from another network is refused with what differs', () => {
  let bytes: Uint8Array;
  beforeAll(async () => { const n = checkpointNet(); await n.run(1); bytes = n.checkpoint(); });
  test('another seed (so other connectivity)', async () => {
    const other = checkpointNet();
    (other as any).seed = 78;
    await expect(other.restore(bytes)).rejects.toThrow(/different network:[\s\S]*seed: 77 there, 78 here[\s\S]*connectivity of PE/);
  });
  test('other sizes and members', async () => {
    const { LIF } = require('../models');
    await expect(new Network({ E: new LIF(5) }, { seed: 77 }).restore(bytes)).rejects.toThrow(/members: only in the checkpoint P:PoissonGroup, I:LIF[\s\S]*only here E.V:float32\[5\]/);
  });
  test('other precision', async () => {
    await expect(checkpointNet('float64').restore(bytes)).rejects.toThrow(/precision: float32 there, float64 here/);
  });
  test('not a checkpoint at all', async () => {
    await expect(checkpointNet().restore(new Uint8Array([1, 2, 3]))).rejects.toThrow(/not a brainweave checkpoint/);
  });
});
