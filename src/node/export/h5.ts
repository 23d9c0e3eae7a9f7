/**
 * Loading h5wasm (ESM-only) from brainweave's CommonJS build.
 *
 * TypeScript's CommonJS output rewrites `import('x')` into `require('x')`, and Node 20 cannot `require` an ES
 * module, so the import is built with `new Function`, which TypeScript leaves alone: a real dynamic import.
 * That works under Node and tsx. Under jest it works only when jest runs with `--experimental-vm-modules`
 * (jest compiles each file in a vm context and routes import() through its own loader, which needs that flag);
 * without it the import throws ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING, and we import through the main
 * context's default ES loader instead (`vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER`, Node ≥ 20.12): the
 * module then lives in Node's own realm, which h5wasm tolerates (it tells typed arrays apart by constructor
 * name and copies foreign ones).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import { pathToFileURL } from 'url';
import { BrainweaveError } from '../../core/errors';

/** The part of h5wasm's API the exporter uses (h5wasm ships its own .d.ts, but only for ESM resolution). */
export interface H5Dataset { readonly value: any; readonly shape: number[] | null; readonly dtype: unknown; readonly attrs: Record<string, { value: any }> }
export interface H5Group {
  keys(): string[];
  get(name: string): H5Group | H5Dataset | null;
  create_group(name: string): H5Group;
  create_dataset(opts: { name: string; data: unknown; shape?: number[]; dtype?: string }): H5Dataset;
  create_attribute(name: string, data: unknown, shape?: number[] | null, dtype?: string | null): void;
  readonly attrs: Record<string, { value: any }>;
}
export interface H5File extends H5Group { close(): void; flush(): void }
export interface H5wasm {
  ready: Promise<unknown>;
  File: new (filename: string, mode: 'r' | 'w' | 'a') => H5File;
  Dataset: new (...a: any[]) => H5Dataset;
  Group: new (...a: any[]) => H5Group;
}

let loaded: Promise<H5wasm> | null = null;

/** h5wasm's Node build, loaded once. */
export function loadH5wasm(): Promise<H5wasm> {
  loaded ??= load().catch((e) => { loaded = null; throw e; });
  return loaded;
}

async function load(): Promise<H5wasm> {
  const url = pathToFileURL(entryFile()).href;
  let mod: H5wasm;
  try {
    mod = await (new Function('u', 'return import(u)') as (u: string) => Promise<H5wasm>)(url);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const vmHook = err.code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING' || /experimental-vm-modules/.test(err.message ?? '');
    const mainLoader = (vm as any).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
    if (!vmHook || mainLoader === undefined) throw e;
    const imp = vm.runInThisContext('(u) => import(u)', { importModuleDynamically: mainLoader }) as (u: string) => Promise<H5wasm>;
    mod = await imp(url);
  }
  await mod.ready;
  return mod;
}

/** Absolute path of h5wasm's Node entry: its package.json `exports['./node'].import`, found from here or the cwd. */
function entryFile(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const pkg = path.join(dir, 'node_modules', 'h5wasm', 'package.json');
      if (fs.existsSync(pkg)) {
        const exp = JSON.parse(fs.readFileSync(pkg, 'utf8')).exports?.['./node'];
        const rel = typeof exp === 'string' ? exp : exp?.import ?? exp?.default;
        if (typeof rel === 'string') return path.join(path.dirname(pkg), rel);
      }
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new BrainweaveError(`export: the npm package 'h5wasm' is not installed (needed to write and read SONATA HDF5 files): npm install h5wasm`);
}
