/** Runs an exported folder's run.py (PyNN + NEURON), optionally under mpirun, and loads its spikes. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { BrainweaveError } from '../../core/errors';
import { loadRunSpikes } from './spikes';

export interface EngineRunOptions {
  tstop: number;
  /** MPI processes (1: no mpirun) */
  np?: number;
  /** output folder (default <dir>/output) */
  out?: string;
  python?: string;
  simulator?: string;
  timeoutMs?: number;
}

export function runExported(dir: string, o: EngineRunOptions) {
  const python = o.python ?? '/usr/bin/python3', np = o.np ?? 1;
  const out = o.out ?? path.join(dir, 'output');
  const script = [path.join(dir, 'run.py'), '--tstop', String(o.tstop), '--out', out, '--simulator', o.simulator ?? 'neuron'];
  // --oversubscribe and yield_when_idle: more processes than free cores is fine for a check (MPI otherwise
  // busy-waits and a shared machine crawls); root is allowed in containers/CI
  const [cmd, args] = np > 1 ? ['mpirun', ['--oversubscribe', ...(process.getuid?.() === 0 ? ['--allow-run-as-root'] : []), '-np', String(np), python, ...script]] : [python, script];
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: o.timeoutMs ?? 600_000, env: { ...process.env, OMPI_MCA_rmaps_base_oversubscribe: '1', OMPI_MCA_mpi_yield_when_idle: '1' } });
  if (r.error) throw new BrainweaveError(`export: could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) throw new BrainweaveError(`export: ${cmd} ${args.join(' ')} exited with ${r.status}:\n${(r.stderr || r.stdout).slice(-3000)}`);
  return loadRunSpikes(out);
}
