/** Writing figures to disk. */
import { mkdirSync, writeFileSync } from 'fs';
import { dirname } from 'path';

/** Write SVG text to `path`, creating the parent folder if needed. Returns the path. */
export function writeSVG(path: string, svg: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, svg, 'utf8');
  return path;
}
