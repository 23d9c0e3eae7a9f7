/**
 * Node-only helpers (they use fs): PNG rendering of figures and saving results to disk.
 * Import from here, not from the browser-safe main entry.
 */
import { extname } from 'path';
import { writeSVG } from '../plots/io';
import { writePNG, type PngOptions } from './png';

export { svgToPNG, writePNG, type PngOptions } from './png';
export {
  saveResults, loadResults,
  type ResultsFormat, type SaveOptions, type ResultsInput, type SpikeResult, type ValueResult,
  type LoadedResults, type LoadedSpikes, type LoadedValues,
} from './save-results';
export { writeSVG };

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
