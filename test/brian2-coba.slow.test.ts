/**
 * An independent implementation (issue 10): Brian2's COBA and CUBA, written as Brian2 users write them, loaded with
 * brainweave's realised connectivity and initial V, in float64. Same refractory rule (whole steps), same
 * synaptic timing: the spike trains must agree step for step. Needs Debian's python3-brian (CI installs it
 * in the slow stage); skips with the reason when it is missing.
 */
import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { encodeNpy, decodeNpy } from '../src/io/npy';
import { cobaNetwork, cubaNetwork } from '../examples/networks';
import type { SpikeMonitorData } from '../src';

const PY = process.env.BRAINWEAVE_PYTHON ?? '/usr/bin/python3';
const hasBrian2 = spawnSync(PY, ['-c', 'import brian2'], { encoding: 'utf8' }).status === 0;

const cases = [['coba', cobaNetwork], ['cuba', cubaNetwork]] as const;
(hasBrian2 ? test.each(cases) : test.skip.each(cases))(`%s 4000, 1 s, float64: brainweave and Brian2 give the same spikes${hasBrian2 ? '' : ' (skipped: python3-brian is not installed)'}`, async (mode, make) => {
  const net = make({ seed: 42, precision: 'float64' }).build();
  const nE = 3200;
  const V0 = Float64Array.from([...(net.variable('E.V')!.value), ...(net.variable('I.V')!.value)]);
  const ids = (proj: string, preOff: number, postOff: number) => {
    const c = (net.get(proj) as any).conn.connectivity.get('coo') as { pre: Int32Array; post: Int32Array };
    return { pre: Int32Array.from(c.pre, (x) => x + preOff), post: Int32Array.from(c.post, (x) => x + postOff) };
  };
  const cat = (a: Int32Array, b: Int32Array) => { const o = new Int32Array(a.length + b.length); o.set(a); o.set(b, a.length); return o; };
  const EE = ids('EE', 0, 0), EI = ids('EI', 0, nE), IE = ids('IE', nE, 0), II = ids('II', nE, nE);
  const dir = mkdtempSync(join(tmpdir(), 'bw-brian2-'));
  const save = (n: string, a: Float64Array | Int32Array) => writeFileSync(join(dir, `${n}.npy`), encodeNpy(a));
  save('V0', V0);
  save('exc_pre', cat(EE.pre, EI.pre)); save('exc_post', cat(EE.post, EI.post));
  save('inh_pre', cat(IE.pre, II.pre)); save('inh_post', cat(IE.post, II.post));
  execFileSync(PY, [join(__dirname, 'fixtures/brian2_coba.py'), dir, '1000', mode], { stdio: 'inherit' });
  const bi = decodeNpy(new Uint8Array(readFileSync(join(dir, 'brian2_spikes_i.npy')))).data as Int32Array;
  const bs = decodeNpy(new Uint8Array(readFileSync(join(dir, 'brian2_spikes_step.npy')))).data as Int32Array;

  const r = await net.run(1000, { dt: 0.1, monitors: ['E.spike', 'I.spike'] });
  const ours: [number, number][] = [];
  const E = r.monitors['E.spike'] as SpikeMonitorData, I = r.monitors['I.spike'] as SpikeMonitorData;
  for (let e = 0; e < E.count; e++) ours.push([E.steps[e], E.indices[e]]);
  for (let e = 0; e < I.count; e++) ours.push([I.steps[e], I.indices[e] + nE]);
  const theirs: [number, number][] = Array.from(bi, (i, e) => [bs[e], i]);
  const order = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
  ours.sort(order); theirs.sort(order);
  let first = -1;
  for (let k = 0; k < Math.max(ours.length, theirs.length); k++) {
    if (!ours[k] || !theirs[k] || ours[k][0] !== theirs[k][0] || ours[k][1] !== theirs[k][1]) { first = k; break; }
  }
  const where = first < 0 ? 'never' : `at spike ${first}, step ${Math.min(ours[first]?.[0] ?? Infinity, theirs[first]?.[0] ?? Infinity)}`;
  console.log(`${mode}: brainweave ${ours.length} spikes, Brian2 ${theirs.length}; the trains first differ ${where}`);
  expect(ours.length).toBeGreaterThan(10000);
  expect(first).toBe(-1);
}, 300000);
