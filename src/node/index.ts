/**
 * brainweave/node: the Node-only entry (files, terminal, PNG). Importing it installs the terminal progress
 * printer for `progress: true`. The main entry ('brainweave') stays free of fs/process so it bundles for
 * a browser.
 */
import { extname } from 'path';
import { installTerminalProgress } from './progress';
import { writeSVG } from './write-svg';
import { writePNG, type PngOptions } from './png';
import { installFileIO } from './files';

// Node's WebGPU (the webgpu package) for backend 'gpu', installed only when a gpu mode asks for it
import './gpu';
// worker_threads for the wasm backend's opt-in threads (RunOptions.wasm.threads)
import './wasm-threads';
// the wasm backend's modules compiled eagerly by V8's optimising compiler
import './wasm-compile';

installTerminalProgress();
installFileIO();

export { installTerminalProgress, installFileIO, writeSVG };
export { installWasmThreads } from './wasm-threads';
export { installEagerWasmCompile } from './wasm-compile';
export { abortOnInterrupt } from './interrupt';
export { svgToPNG, writePNG, type PngOptions } from './png';
export {
  saveResults, loadResults,
  type ResultsFormat, type SaveOptions, type ResultsInput, type SpikeResult, type ValueResult,
  type LoadedResults, type LoadedSpikes, type LoadedValues,
} from './save-results';
export { saveResultsHDF5, loadResultsHDF5 } from './results-hdf5';

/**
 * Writes a figure as SVG or PNG, chosen by the file extension (.svg or .png), creating folders as needed.
 * @returns the path written
 */
export function writeFigure(path: string, svg: string, opts: PngOptions = {}): string {
  const ext = extname(path).toLowerCase();
  if (ext === '.svg') return writeSVG(path, svg);
  if (ext === '.png') return writePNG(path, svg, opts);
  throw new RangeError(`writeFigure: path must end in .svg or .png, got '${path}'`);
}

// export to other engines (SONATA, PyNN) and reading their spikes back: docs/beyond-one-machine.md
export * from './export';
// what a script run by `brainweave run <script>` exports
export type { ScriptOptions, NetworkScript } from './cli/load';
export type { H5wasm, H5Dataset, H5File, H5Group } from './export/h5';
