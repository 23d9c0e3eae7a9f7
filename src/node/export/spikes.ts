/**
 * The path back: spikes recorded by the engine, as brainweave's spike monitor result, so the same analysis
 * and plots apply. Reads what run.py writes (NPY per population + run.json) or any SONATA spike file.
 *
 * Times are the engine's (NEURON: the step at whose end V crossed threshold); brainweave stamps a spike
 * with the start of the step in which V crossed, i.e. dt earlier. `steps` is round(time / dt) here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BrainweaveError } from '../../core/errors';
import { decodeNpy } from '../../io/npy';
import { SpikeMonitorData } from '../../runtime/monitor-buffers';
import { loadH5wasm, H5Group, H5Dataset } from './h5';

export interface RunInfo { simulator: string; processes: number; dt: number; tstop: number; populations: { name: string; size: number; spikes: number }[] }

/** run.py's output folder → { 'E.spike': SpikeMonitorData, ... } (keys as brainweave's monitors name them). */
export function loadRunSpikes(outDir: string): { info: RunInfo; monitors: Record<string, SpikeMonitorData> } {
  const infoFile = path.join(outDir, 'run.json');
  if (!fs.existsSync(infoFile)) throw new BrainweaveError(`export: ${infoFile} not found; is '${outDir}' the output folder of an exported run.py?`);
  const info = JSON.parse(fs.readFileSync(infoFile, 'utf8')) as RunInfo;
  const monitors: Record<string, SpikeMonitorData> = {};
  for (const p of info.populations) {
    const idx = decodeNpy(fs.readFileSync(path.join(outDir, `${p.name}.spike_indices.npy`))).data;
    const t = decodeNpy(fs.readFileSync(path.join(outDir, `${p.name}.spike_times.npy`))).data;
    monitors[`${p.name}.spike`] = spikeData(p.name, p.size, Int32Array.from(idx as Int32Array), Float64Array.from(t as Float64Array), info.dt);
  }
  return { info, monitors };
}

/**
 * A SONATA spike file (`/spikes/<population>/{node_ids, timestamps}`, timestamps in ms) → spike results.
 * `sizes` gives each population's number of nodes (a spike file does not hold it; default: largest id + 1).
 */
export async function loadSonataSpikes(file: string, opts: { dt: number; sizes?: Record<string, number> }): Promise<Record<string, SpikeMonitorData>> {
  const h5 = await loadH5wasm();
  const f = new h5.File(file, 'r');
  try {
    const root = f.get('spikes') as H5Group | null;
    if (!root || typeof root.keys !== 'function') throw new BrainweaveError(`export: ${file} has no /spikes group; not a SONATA spike file`);
    const out: Record<string, SpikeMonitorData> = {};
    for (const name of root.keys()) {
      const g = root.get(name) as H5Group;
      const ids = g.get('node_ids') as H5Dataset | null, ts = g.get('timestamps') as H5Dataset | null;
      if (!ids || !ts) throw new BrainweaveError(`export: ${file}: /spikes/${name} lacks node_ids or timestamps`);
      const idx = Int32Array.from(ids.value as ArrayLike<number | bigint>, Number);
      const t = Float64Array.from(ts.value as ArrayLike<number>);
      const units = ts.attrs?.units?.value;
      if (units !== undefined && units !== 'ms') throw new BrainweaveError(`export: ${file}: /spikes/${name}/timestamps in '${units}', expected 'ms'`);
      let num = opts.sizes?.[name] ?? 0;
      if (!opts.sizes?.[name]) for (let e = 0; e < idx.length; e++) num = Math.max(num, idx[e] + 1);
      out[`${name}.spike`] = spikeData(name, num, idx, t, opts.dt);
    }
    return out;
  } finally { f.close(); }
}

function spikeData(name: string, num: number, indices: Int32Array, times: Float64Array, dt: number): SpikeMonitorData {
  if (indices.length !== times.length) throw new BrainweaveError(`export: population '${name}': ${indices.length} spike indices but ${times.length} times`);
  const steps = new Int32Array(times.length);
  for (let e = 0; e < times.length; e++) {
    if (indices[e] < 0 || indices[e] >= num) throw new BrainweaveError(`export: population '${name}': spike of neuron ${indices[e]}, outside 0..${num - 1}`);
    steps[e] = Math.round(times[e] / dt);
  }
  return { kind: 'spike', num, count: times.length, steps, indices, times };
}
