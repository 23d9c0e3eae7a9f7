/**
 * Brian2's C++ standalone COBA (bench/brian2/coba.py), built once and run as often as a bench wants;
 * shared by bench/brian2.ts and bench/backends.ts.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface Brian2Build { dir: string; binary: string; flags: string[]; synapses: number }
export interface Brian2Sample { wall: number; cpu: number; nE: number; nI: number }

/** Builds (compiles) the standalone project for N neurons in out/brian2-coba-N and returns where it is. */
export function buildBrian2(root: string, py: string, N: number): Brian2Build {
  const dir = path.join(root, 'out', `brian2-coba-${N}`);
  console.log(`building Brian2 C++ standalone COBA N=${N} in ${path.relative(root, dir)} …`);
  const r = spawnSync(py, [path.join(root, 'bench', 'brian2', 'coba.py'), '--N', String(N), '--dir', dir], { encoding: 'utf8', env: { ...process.env, PYTHONWARNINGS: 'ignore' } });
  const line = (r.stdout ?? '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status !== 0 || !line) throw new Error(`Brian2 build failed:\n${r.stdout}\n${r.stderr}`);
  const info = JSON.parse(line);
  return { dir, binary: info.binary, flags: info.compile_flags, synapses: info.synapses };
}

/** Runs the built binary once: Brian2's own CPU time of Network::run, wall time around run(), E/I spike counts. */
export function runBrian2(b: Brian2Build, nE: number): Brian2Sample {
  const r = spawnSync(b.binary, [], { cwd: b.dir, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`Brian2 binary exited with ${r.status}`);
  const res = path.join(b.dir, 'results');
  const cpu = Number(fs.readFileSync(path.join(res, 'last_run_info.txt'), 'utf8').split(/\s+/)[0]);
  const wall = Number(fs.readFileSync(path.join(res, 'wall_run.txt'), 'utf8'));
  const iFile = fs.readdirSync(res).find((f) => f.startsWith('_dynamic_array_spikemonitor_i_'))!;
  const ids = new Int32Array(fs.readFileSync(path.join(res, iFile)).buffer.slice(0));
  let e = 0; for (const i of ids) if (i < nE) e++;
  return { wall, cpu, nE: e, nI: ids.length - e };
}
