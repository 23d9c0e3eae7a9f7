/**
 * Integration: the seven synapse implementations of examples/efficient-synapses.ts (each asking for different
 * connectivity structures) must simulate the same network, so every structure describes the same edges in the
 * layout the models assume.
 */
import { IMPLEMENTATIONS, tutorialCOBA } from '../examples/efficient-synapses';
import { SpikeMonitorData } from '../src';

test('conn_mat, pre_ids, pre2syn/post2syn, pre2post, post_slice and pre_slice synapses give identical spikes', async () => {
  const counts: string[] = [];
  for (const [label, , Syn] of IMPLEMENTATIONS) {
    const net = tutorialCOBA(Syn, 400, 3, 'float64');
    const res = await net.run(30, { dt: 0.1, monitors: ['E.spike', 'I.spike'] });
    const E = res.monitors['E.spike'] as SpikeMonitorData, I = res.monitors['I.spike'] as SpikeMonitorData;
    counts.push(`${E.count}/${I.count}/${Array.from(E.indices.slice(0, 50)).join(',')}`);
    expect([label, E.count > 0]).toEqual([label, true]);
  }
  expect(new Set(counts).size).toBe(1);
});
