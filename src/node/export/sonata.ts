/**
 * SONATA (https://github.com/AllenInstitute/sonata, docs/SONATA_DEVELOPER_GUIDE.md): nodes and edges in
 * HDF5, node and edge types in space-separated CSV, parameters in JSON components, circuit and simulation
 * configs. Written to the spec and to what PyNN 0.10's reader needs where the two differ:
 * - `node_id` is written (optional in the spec, required by PyNN);
 * - each edge's delay is written both as the spec's `<group>/delay` and as `<group>/dynamics_params/delay`
 *   (PyNN reads only the latter, or the edge-types CSV);
 * - `model_template` is `pyNN:<cell type>` (PyNN cannot load `nest:` templates);
 * - no `nsyns` column (PyNN multiplies weights by it).
 * SONATA has no initial state: initial values are per-node `dynamics_params/<var>_init` (v_init, w_init, …);
 * run.py applies them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Network } from '../../runtime/network';
import { describeNetwork, ExportOptions } from './model';
import { loadH5wasm, H5Group } from './h5';
import { manifest, ExportSummary } from './pynn';
import { RUN_PY } from './python';

const MAGIC = 0x0a7a;

export async function toSONATA(net: Network, dir: string, opts: ExportOptions = {}): Promise<ExportSummary> {
  const spec = describeNetwork(net, opts);
  const h5 = await loadH5wasm();
  for (const d of ['network', 'components/point_neuron_models', 'components/synaptic_models']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
  const dataset = (g: H5Group, name: string, data: unknown, dtype: string) => g.create_dataset({ name, data, dtype });

  // nodes: one node population per group, one node group ("0") and one node type each
  const nodes = new h5.File(path.join(dir, 'network/nodes.h5'), 'w');
  header(nodes);
  const nodeRoot = nodes.create_group('nodes');
  const nodeTypes = ['node_type_id pop_name model_type model_template dynamics_params'];
  spec.populations.forEach((p, k) => {
    const typeId = 100 + k;
    const g = nodeRoot.create_group(p.name);
    dataset(g, 'node_id', BigUint64Array.from({ length: p.size }, (_, i) => BigInt(i)), '<Q');
    dataset(g, 'node_type_id', new Uint32Array(p.size).fill(typeId), '<I');
    dataset(g, 'node_group_id', new Uint32Array(p.size), '<I');
    dataset(g, 'node_group_index', Uint32Array.from({ length: p.size }, (_, i) => i), '<I');
    const dyn = g.create_group('0').create_group('dynamics_params');
    for (const [v, a] of Object.entries(p.initial)) dataset(dyn, `${v}_init`, a, '<d');
    nodeTypes.push(`${typeId} ${p.name} point_neuron pyNN:${p.cellType} ${p.name}.json`);
    write(`components/point_neuron_models/${p.name}.json`, JSON.stringify(p.params, null, 1));
  });
  nodes.close();

  // edges: one edge population per projection
  const edges = new h5.File(path.join(dir, 'network/edges.h5'), 'w');
  header(edges);
  const edgeRoot = edges.create_group('edges');
  const edgeTypes = ['edge_type_id pop_name receptor_type dynamics_params'];
  spec.projections.forEach((c, k) => {
    const typeId = 100 + k;
    const g = edgeRoot.create_group(c.name);
    const src = dataset(g, 'source_node_id', BigUint64Array.from(c.source, (x) => BigInt(x)), '<Q');
    const tgt = dataset(g, 'target_node_id', BigUint64Array.from(c.target, (x) => BigInt(x)), '<Q');
    (src as any).create_attribute('node_population', c.pre);
    (tgt as any).create_attribute('node_population', c.post);
    dataset(g, 'edge_type_id', new Uint32Array(c.nSyn).fill(typeId), '<I');
    dataset(g, 'edge_group_id', new Uint32Array(c.nSyn), '<I');
    dataset(g, 'edge_group_index', Uint32Array.from({ length: c.nSyn }, (_, i) => i), '<I');
    const grp = g.create_group('0');
    dataset(grp, 'syn_weight', c.weight, '<d');
    const delay = new Float64Array(c.nSyn).fill(c.delay);
    dataset(grp, 'delay', delay, '<d');
    dataset(grp.create_group('dynamics_params'), 'delay', delay, '<d');
    edgeTypes.push(`${typeId} ${c.name} ${c.receptor} static_synapse.json`);
  });
  edges.close();
  write('components/synaptic_models/static_synapse.json', '{}\n');
  write('network/node_types.csv', nodeTypes.join('\n') + '\n');
  write('network/edge_types.csv', edgeTypes.join('\n') + '\n');

  write('circuit_config.json', JSON.stringify({
    manifest: { $BASE_DIR: '.', $NETWORK_DIR: '$BASE_DIR/network', $COMPONENTS_DIR: '$BASE_DIR/components' },
    target_simulator: 'PyNN',
    components: { point_neuron_models_dir: '$COMPONENTS_DIR/point_neuron_models', synaptic_models_dir: '$COMPONENTS_DIR/synaptic_models' },
    networks: {
      nodes: [{ nodes_file: '$NETWORK_DIR/nodes.h5', node_types_file: '$NETWORK_DIR/node_types.csv' }],
      edges: [{ edges_file: '$NETWORK_DIR/edges.h5', edge_types_file: '$NETWORK_DIR/edge_types.csv' }],
    },
  }, null, 1));
  write('simulation_config.json', JSON.stringify({
    manifest: { $BASE_DIR: '.', $OUTPUT_DIR: '$BASE_DIR/output' },
    target_simulator: 'PyNN', network: './circuit_config.json',
    run: { tstop: spec.tstop, dt: spec.dt },
    output: { output_dir: '$OUTPUT_DIR', spikes_file: 'spikes.h5', spikes_sort_order: 'time' },
  }, null, 1));
  const populations = spec.populations.map((p) => ({ name: p.name, size: p.size, brainweave_model: p.model, cell_type: p.cellType }));
  const projections = spec.projections.map((c) => ({ name: c.name, brainweave_model: c.model, pre: c.pre, post: c.post, receptor: c.receptor, n_syn: c.nSyn, delay: c.delay }));
  write('manifest.json', JSON.stringify(manifest(spec, 'sonata', { circuit_config: 'circuit_config.json', populations, projections }), null, 1));
  write('run.py', RUN_PY);
  return { dir, script: path.join(dir, 'run.py'), spec };
}

function header(f: H5Group): void {
  f.create_attribute('magic', MAGIC, null, '<I');
  f.create_attribute('version', new Uint32Array([0, 1]), [2], '<I');
}
