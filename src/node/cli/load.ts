/**
 * Loading a user's script and getting its network. TypeScript runs through tsx (its register APIs: the
 * CommonJS require hook and the ES module loader hook), loaded only when a script is TypeScript.
 */
import { existsSync, statSync } from 'fs';
import { resolve } from 'path';
import { pathToFileURL } from 'url';
import type { Network } from '../../runtime/network';
import { CliError, EXIT, reason } from './errors';

/** What a script's default export function is given. */
export interface ScriptOptions {
  /** --seed, if given: pass it to the Network (`new Network({...}, { seed: o.seed })`). */
  seed?: number;
  /** --dt and --duration of the command, ms. */
  dt: number;
  duration: number;
}

/** What a script exports as `default` (or as `network`). */
export type NetworkScript = Network | ((o: ScriptOptions) => Network | Promise<Network>);

// TypeScript's CommonJS output turns import() into require(), which cannot load ES modules; this stays import()
const dynamicImport = new Function('u', 'return import(u)') as (u: string) => Promise<Record<string, unknown>>;

let tsxReady: Promise<void> | null = null;
function registerTsx(): Promise<void> {
  // already running under tsx (or another TypeScript hook): registering twice would compile twice
  if (require.extensions['.ts']) return Promise.resolve();
  tsxReady ??= (async () => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('tsx/cjs/api') as { register(): unknown }).register();
      const esm = (await dynamicImport('tsx/esm/api')) as { register(): unknown };
      esm.register();
    } catch (e) {
      throw new CliError(EXIT.script, `cannot load tsx to run TypeScript (npm install tsx): ${reason(e)}`, e);
    }
  })();
  return tsxReady;
}

/** Duck-typed: a Network from any copy of the library (e.g. a script that imports another install). */
export function isNetwork(x: unknown): x is Network {
  const n = x as Network | null;
  return !!n && typeof n === 'object' && typeof n.run === 'function' && typeof n.checkpoint === 'function' && typeof n.variablePaths === 'function';
}

/**
 * How a script's module is loaded, given its absolute path. The CLI's own: tsx registered for TypeScript, then
 * import(). Tests running inside a module system of their own (jest) pass theirs.
 */
export type ScriptImporter = (absPath: string) => Promise<Record<string, unknown>>;

const importWithTsx: ScriptImporter = async (abs) => {
  if (/\.[cm]?tsx?$/i.test(abs)) await registerTsx();
  return dynamicImport(pathToFileURL(abs).href);
};

/** Imports `file` and returns what it exports as its network (not yet called). */
export async function importScript(file: string, importer: ScriptImporter = importWithTsx): Promise<unknown> {
  const abs = resolve(file);
  if (!existsSync(abs) || !statSync(abs).isFile()) throw new CliError(EXIT.usage, `script: no such file '${file}'`);
  let mod: Record<string, unknown>;
  try {
    mod = await importer(abs);
  } catch (e) {
    if (e instanceof CliError) throw e; // tsx could not be loaded: already says so
    throw new CliError(EXIT.script, `${file}: ${reason(e)}`, e);
  }
  // a CommonJS module (tsx compiles .ts to CommonJS outside "type": "module") arrives as { default: exports }
  const ns = mod.default && typeof mod.default === 'object' && !isNetwork(mod.default) ? (mod.default as Record<string, unknown>) : mod;
  const x = ns.default ?? ns.network;
  if (x === undefined) {
    const names = Object.keys(ns).filter((k) => k !== '__esModule');
    throw new CliError(EXIT.script, `${file}: exports no network: add \`export default\` a Network or a function returning one (it exports: ${names.length ? names.join(', ') : 'nothing'})`);
  }
  return x;
}

/** The script's network: its export, or what its exported function returns for `o`. */
export async function loadNetwork(file: string, o: ScriptOptions, importer?: ScriptImporter): Promise<Network> {
  const x = await importScript(file, importer);
  let net: unknown = x;
  if (typeof x === 'function' && !isNetwork(x)) {
    try {
      net = await (x as (o: ScriptOptions) => unknown)(o);
    } catch (e) {
      throw new CliError(EXIT.script, `${file}: its default export threw: ${reason(e)}`, e);
    }
  }
  if (!isNetwork(net)) {
    const what = net === null ? 'null' : typeof net === 'object' ? (net as object).constructor?.name ?? 'an object' : typeof net;
    throw new CliError(EXIT.script, `${file}: expected a Network${typeof x === 'function' ? ' from its default export function' : ''}, got ${what}`);
  }
  return net;
}
