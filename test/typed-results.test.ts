/**
 * Monitor results are typed from the monitor list (checked by `npm run typecheck`, which compiles this file:
 * each @ts-expect-error must meet an error) and guarded at run time (an unknown key throws, never undefined).
 */
import { Network, SpikeMonitorData, ValueMonitorData, MonitorData } from '../src';
import { LIF } from '../models/neurons/lif';
import { cobaNetwork } from '../examples/networks';

test('spike monitors give spike data and value monitors traces, without casts', async () => {
  const E = new LIF(10, { I: 30 }), I = new LIF(5);
  const net = new Network({ E, I });
  const r = await net.run(20, { monitors: ['E.spike', { target: 'E.V', indices: [0, 3] }] });
  const s: SpikeMonitorData = r.monitors['E.spike'];
  const v: ValueMonitorData = r.monitors['E.V'];
  expect(s.kind).toBe('spike');
  expect(s.count).toBeGreaterThan(0);
  expect(v.kind).toBe('value');
  expect(v.width).toBe(2);
  // @ts-expect-error: a spike monitor has no trace data
  void r.monitors['E.spike'].data;
  // @ts-expect-error: 'I.spike' was not recorded in this run
  expect(() => r.monitors['I.spike']).toThrow(/no monitor 'I\.spike' in this result \(recorded: E\.spike, E\.V\)/);
});

test('a misspelt monitor is a type error and a run-time error', async () => {
  const net = new Network({ E: new LIF(3) });
  // @ts-expect-error: LIF has no Variable 'Vm'
  await expect(net.run(1, { monitors: ['E.Vm'] })).rejects.toThrow(/unknown variable 'E\.Vm'/);
  // @ts-expect-error: no member 'X'
  await expect(net.run(1, { monitors: [{ target: 'X.V' }] })).rejects.toThrow(/unknown variable 'X\.V'/);
});

test('networks typed only as Network, and keys known only at run time, fall back to MonitorData', async () => {
  const keys: string[] = ['E.spike'];
  const r = await cobaNetwork({ nExc: 40, nInh: 10, seed: 1 }).run(5, { monitors: keys });
  const m: MonitorData = r.monitors['E.spike'];
  expect(m.kind).toBe('spike');
});
