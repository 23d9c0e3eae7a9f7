/**
 * The command line of an example run as a program (`npx tsx examples/coba.ts --seed 7 --backend wasm`): one
 * small parser shared by every example. `npx brainweave run examples/coba.ts` does not come here: the CLI
 * parses its own flags (src/node/cli/args.ts) and calls the example's default export with ScriptOptions.
 *
 *   const a = exampleArgs({ seed: 42, out: 'out/coba-raster.svg' });   // a.seed: number, a.out: string
 *   const res = await net.run(1000, { backend: a.backend, ... });       // a.backend: undefined = the run's default
 *
 * Each flag takes a value (`--seed 7` or `--seed=7`); a number default makes the flag a number. Every example
 * also takes `--backend js|wasm|interp|gpu|auto`. Unknown flags, missing values and bad numbers are errors.
 */
import { basename } from 'path';
// writeSVG's folder creation, the terminal progress printer, and Node's WebGPU for --backend gpu
import '../src/node';
import { BrainweaveError } from '../src';

/** What `--backend` accepts (auto: the fastest available; leaving the flag out is the run's default, auto). */
export const BACKENDS = ['js', 'wasm', 'interp', 'gpu', 'auto'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** A wrong command line; runMain prints its message and exits with code 2. */
export class ArgsError extends Error {
  constructor(message: string) { super(message); this.name = 'ArgsError'; }
}

export type ExampleArgs<D> = { -readonly [K in keyof D]: D[K] extends number ? number : string } & { backend?: BackendName };

/**
 * Parses `argv` (default: this process's arguments) against `defaults`, the example's flags with their
 * default values, plus `--backend`. Throws ArgsError naming the flag.
 */
export function exampleArgs<D extends Record<string, string | number>>(defaults: D, argv: readonly string[] = process.argv.slice(2)): ExampleArgs<D> {
  if ('backend' in defaults) throw new Error("exampleArgs: 'backend' is every example's flag; leave it out of the defaults");
  const out: Record<string, string | number | undefined> = { ...defaults, backend: undefined };
  const known = () => [...Object.keys(defaults), 'backend'].map((k) => `--${k}`).join(', ');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--([A-Za-z][\w-]*)(?:=([\s\S]*))?$/.exec(arg);
    if (!m) throw new ArgsError(`unexpected argument '${arg}' (flags start with --; options: ${known()})`);
    const name = m[1];
    if (!(name in out)) throw new ArgsError(`unknown option '--${name}' (options: ${known()})`);
    let value = m[2];
    if (value === undefined) {
      const next = argv[i + 1];
      // '--seed --out x' is a missing value, not the seed '--out'; '-5' is a value
      if (next === undefined || next.startsWith('--')) throw new ArgsError(`--${name}: missing value`);
      value = next;
      i++;
    }
    if (name === 'backend') {
      if (!(BACKENDS as readonly string[]).includes(value)) throw new ArgsError(`--backend: expected one of ${BACKENDS.join(', ')}, got '${value}'`);
      out.backend = value;
    } else if (typeof defaults[name] === 'number') {
      const x = Number(value);
      if (value.trim() === '' || !Number.isFinite(x)) throw new ArgsError(`--${name}: expected a number, got '${value}'`);
      out[name] = x;
    } else {
      out[name] = value;
    }
  }
  return out as ExampleArgs<D>;
}

/** One line for an error a user can act on (a bad flag, a backend that cannot run the network); else the stack. */
export function describeError(e: unknown, program = basename(process.argv[1] ?? 'example')): string {
  if (e instanceof ArgsError) return `${program}: ${e.message}`;
  if (e instanceof BrainweaveError) return `${program}: ${e.name}: ${e.message}`;
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

/**
 * Runs an example's main() as a program: a bad command line exits 2 with its reason, any other failure 1.
 * Call it as `if (require.main === module) runMain(main);` so the CLI can import the example's network.
 */
export function runMain(main: () => Promise<void>): void {
  main().catch((e) => {
    console.error(describeError(e));
    process.exitCode = e instanceof ArgsError ? 2 : 1;
  });
}
