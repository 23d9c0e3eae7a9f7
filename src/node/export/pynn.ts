/**
 * PyNN bundle: manifest.json (populations with PyNN cell types and parameters, projections with receptor
 * and delay, the notes on what was converted), NPY arrays (initial V, edges, weights) and run.py.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Network } from '../../runtime/network';
import { encodeNpy } from '../../io/npy';
import { describeNetwork, ExportOptions, NetworkSpec } from './model';
import { RUN_PY } from './python';

export interface ExportSummary {
  dir: string;
  /** the runnable script */
  script: string;
  spec: NetworkSpec;
}

export function toPyNN(net: Network, dir: string, opts: ExportOptions = {}): ExportSummary {
  const spec = describeNetwork(net, opts);
  fs.mkdirSync(dir, { recursive: true });
  const write = (name: string, bytes: Uint8Array | string) => fs.writeFileSync(path.join(dir, name), bytes);
  const populations = spec.populations.map((p) => {
    const initial: Record<string, string> = {};
    for (const [v, a] of Object.entries(p.initial)) write((initial[v] = `${p.name}.${v}_init.npy`), encodeNpy(a));
    return { name: p.name, size: p.size, brainweave_model: p.model, cell_type: p.cellType, params: p.params, initial };
  });
  const projections = spec.projections.map((c) => {
    write(`${c.name}.source.npy`, encodeNpy(c.source));
    write(`${c.name}.target.npy`, encodeNpy(c.target));
    write(`${c.name}.weight.npy`, encodeNpy(c.weight));
    return {
      name: c.name, brainweave_model: c.model, pre: c.pre, post: c.post, receptor: c.receptor, n_syn: c.nSyn, delay: c.delay,
      source: `${c.name}.source.npy`, target: `${c.name}.target.npy`, weight: `${c.name}.weight.npy`,
      weight_units: c.model === 'ExpCOBA' ? 'uS' : 'nA',
    };
  });
  write('manifest.json', JSON.stringify(manifest(spec, 'pynn', { populations, projections }), null, 1));
  write('run.py', RUN_PY);
  return { dir, script: path.join(dir, 'run.py'), spec };
}

export function manifest(spec: NetworkSpec, format: 'pynn' | 'sonata', rest: object): object {
  const minDelay = Math.min(...spec.projections.map((p) => p.delay), 2 * spec.dt);
  return {
    format, generator: 'brainweave', dt: spec.dt, tstop: spec.tstop, min_delay: minDelay,
    units: { time: 'ms', voltage: 'mV', capacitance: 'nF', conductance: 'uS', current: 'nA' },
    notes: spec.notes, ...rest,
  };
}
