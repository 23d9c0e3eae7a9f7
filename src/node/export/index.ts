/**
 * Export a brainweave network for other engines (Node only: writes files). See docs/beyond-one-machine.md.
 *   await exportNetwork(net, { to: 'sonata', dir: 'out/coba-sonata' });   then: python3 out/coba-sonata/run.py
 */
import { Network } from '../../runtime/network';
import { BrainweaveError } from '../../core/errors';
import { ExportOptions } from './model';
import { toPyNN, ExportSummary } from './pynn';
import { toSONATA } from './sonata';

export { toPyNN, toSONATA };
export type { ExportSummary };
export { describeNetwork } from './model';
export type { ExportOptions, NetworkSpec, PopulationSpec, ProjectionSpec, CellType, Receptor } from './model';
export { loadRunSpikes, loadSonataSpikes } from './spikes';
export type { RunInfo } from './spikes';
export { runExported } from './run';
export type { EngineRunOptions } from './run';
export { loadH5wasm } from './h5';

export async function exportNetwork(net: Network, o: { to: 'sonata' | 'pynn'; dir: string } & ExportOptions): Promise<ExportSummary> {
  const { to, dir, ...opts } = o;
  if (to === 'sonata') return toSONATA(net, dir, opts);
  if (to === 'pynn') return toPyNN(net, dir, opts);
  throw new BrainweaveError(`exportNetwork: 'to' must be 'sonata' or 'pynn', got '${String(to)}'`);
}
