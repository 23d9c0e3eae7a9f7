/** Shared by the gpu backend tests and bench: COBA on js and on a gpu mode, compared spike for spike. */
import { Network, SpikeMonitorData } from '../src';
import { cobaNetwork } from '../examples/networks';
import { setGPUMode } from '../src/node/gpu';
import type { ConcreteMode } from '../src/backends/gpu/context';

export interface CobaRun { rateE: number; rateI: number; trains: Map<number, number[]>[]; steps: number; net: Network; ms: number }

/** Spike trains per step: [E, I] maps step → ascending indices. */
export async function runCoba(backend: 'js' | ConcreteMode, seed: number, ms: number): Promise<CobaRun> {
  const net = cobaNetwork({ seed });
  if (backend !== 'js') setGPUMode(backend);
  const t0 = performance.now();
  const r = await net.run(ms, { dt: 0.1, backend: backend === 'js' ? 'js' : 'gpu', monitors: ['E.spike', 'I.spike'] });
  const wall = performance.now() - t0;
  const E = r.monitors['E.spike'] as SpikeMonitorData, I = r.monitors['I.spike'] as SpikeMonitorData;
  const trains = [E, I].map((m) => {
    const t = new Map<number, number[]>();
    for (let k = 0; k < m.count; k++) { const s = m.steps[k]; if (!t.has(s)) t.set(s, []); t.get(s)!.push(m.indices[k]); }
    return t;
  });
  return { rateE: E.count / 3200 / (ms / 1000), rateI: I.count / 800 / (ms / 1000), trains, steps: r.steps, net, ms: wall };
}

/** The first step at which the two runs' spikes differ (-1: identical throughout). */
export function firstDifference(a: CobaRun, b: CobaRun): number {
  for (let s = 0; s < a.steps; s++) {
    for (let g = 0; g < 2; g++) {
      const x = a.trains[g].get(s) ?? [], y = b.trains[g].get(s) ?? [];
      if (x.length !== y.length || x.some((v, k) => v !== y[k])) return s;
    }
  }
  return -1;
}
