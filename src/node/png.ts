/**
 * SVG → PNG through resvg (https://github.com/yisibl/resvg-js, prebuilt binaries, no system libraries). Node only.
 * Any figure of `brainweave`'s plots can be rendered; text uses the system's fonts (or `fontFiles`).
 */
import { mkdirSync, writeFileSync } from 'fs';
import { dirname } from 'path';
import type { ResvgRenderOptions } from '@resvg/resvg-js';

/** Options of {@link svgToPNG}. */
export interface PngOptions {
  /** Output width in px (height follows the aspect ratio). Overrides `scale`. */
  width?: number;
  /** Zoom factor over the SVG's own size; default 1 (use 2 for sharp figures on high-DPI screens and slides). */
  scale?: number;
  /** Background colour; default the figure's own (our SVGs paint white). */
  background?: string;
  /** Font files to use in addition to (or, with `loadSystemFonts: false`, instead of) the system fonts. */
  fontFiles?: string[];
  /** Scan the system's fonts (default true; false is faster but draws no text unless `fontFiles` are given). */
  loadSystemFonts?: boolean;
}

type ResvgModule = typeof import('@resvg/resvg-js');
let resvg: ResvgModule | null = null;

/** Loads resvg on first use, so importing this module costs nothing where PNGs are never made. */
function load(): ResvgModule {
  if (resvg) return resvg;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    resvg = require('@resvg/resvg-js') as ResvgModule;
  } catch (e) {
    throw new Error(`svgToPNG: cannot load @resvg/resvg-js (npm install @resvg/resvg-js): ${(e as Error).message}`);
  }
  return resvg;
}

/**
 * Renders SVG text to PNG bytes.
 * @param svg a standalone SVG document (e.g. from `rasterSVG`)
 */
export function svgToPNG(svg: string, opts: PngOptions = {}): Uint8Array {
  if (typeof svg !== 'string' || !svg.includes('<svg')) throw new TypeError('svgToPNG: svg must be SVG text (a string containing <svg)');
  if (opts.width !== undefined && !(Number.isInteger(opts.width) && opts.width > 0)) throw new RangeError(`svgToPNG: opts.width must be a positive integer, got ${opts.width}`);
  if (opts.scale !== undefined && !(Number.isFinite(opts.scale) && opts.scale > 0)) throw new RangeError(`svgToPNG: opts.scale must be a finite number > 0, got ${opts.scale}`);
  const { Resvg } = load();
  const options: ResvgRenderOptions = {
    fitTo: opts.width !== undefined ? { mode: 'width', value: opts.width } : { mode: 'zoom', value: opts.scale ?? 1 },
    font: { loadSystemFonts: opts.loadSystemFonts ?? true, fontFiles: opts.fontFiles },
    logLevel: 'off',
  };
  if (opts.background) options.background = opts.background;
  const png = new Resvg(svg, options).render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/**
 * Renders SVG text to a PNG file, creating the parent folder if needed.
 * @returns the path written
 */
export function writePNG(path: string, svg: string, opts: PngOptions = {}): string {
  const png = svgToPNG(svg, opts);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
  return path;
}
