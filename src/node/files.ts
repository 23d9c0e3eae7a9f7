import { mkdir, readFile, writeFile } from 'fs/promises';
import { dirname } from 'path';
import { setFileIO } from '../runtime/checkpoint';

/** Gives net.save(path) / net.load(path) the file system. */
export function installFileIO(): void {
  setFileIO({
    async write(path, bytes) { await mkdir(dirname(path), { recursive: true }); await writeFile(path, bytes); },
    async read(path) { return new Uint8Array(await readFile(path)); },
  });
}
