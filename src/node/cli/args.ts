/**
 * Command-line flags of `brainweave` (node:util parseArgs, strict: an unknown flag is an error, not ignored).
 */
import { parseArgs } from 'util';
import { EXIT } from './errors';

/** A wrong command line: exit code 2, with a one-line reason. */
export class UsageError extends Error {
  readonly code = EXIT.usage;
  constructor(message: string) { super(message); this.name = 'UsageError'; }
}

export const HELP = `brainweave: run or export a network defined in a script

Usage
  brainweave run <script> [options]          build, run, summarise; optionally plot and save
  brainweave export <script> --to sonata|pynn <dir> [--seed N] [--dt ms] [--duration ms]
  brainweave --help | --version

The script (.ts, .mts, .cts, .js, .mjs, .cjs; TypeScript needs no build step) exports its network:
  export default net;                                   a Network, or
  export default (o: ScriptOptions) => new Network(...)  a function (may be async) given { seed, dt, duration }
(a named export 'network' works too). A function should pass o.seed to its Network.

run options
  --duration <ms>      simulated time (default 1000)
  --dt <ms>            time step (default 0.1)
  --seed <int>         the network's seed (given to the script's function; default: the script's own)
  --backend <name>     auto (default: the fastest available, wasm where WebAssembly SIMD runs), js, wasm,
                       interp, gpu (gpu.js; float32 networks), or another registered backend
  --monitor <M.var>    also record this Variable's values (repeatable); every bool Variable (spikes)
                       is recorded by default
  --no-spikes          do not record the spike Variables
  --plot <file>        raster of the spike monitors (or traces of the first value monitor); .png or .svg
  --save <path>        path.npz: the network's checkpoint after the run (what net.save writes);
                       any other path: a results folder (manifest.json + arrays, see --format)
  --format <fmt>       results folder encoding: npy (default), json or csv
  --progress <mode>    auto (default: a bar on a terminal, a line per 10% otherwise), bar, lines, none
  -q, --quiet          no progress and no table; errors only

export options
  --to <format>        sonata or pynn (required)
  --duration <ms>      tstop written into the exported run script (default 1000)

Exit codes
  0 done   1 internal error   2 bad command line   3 the script failed to load or to give a network
  4 the simulation failed (build, compile or run)   5 an output could not be written   130 interrupted
`;

export interface RunArgs {
  command: 'run';
  script: string;
  duration: number;
  dt: number;
  seed?: number;
  backend: string;
  monitors: string[];
  spikes: boolean;
  plot?: string;
  save?: string;
  format: 'npy' | 'json' | 'csv';
  progress: 'auto' | 'bar' | 'lines' | 'none';
  quiet: boolean;
}
export interface ExportArgs { command: 'export'; script: string; to: 'sonata' | 'pynn'; dir: string; seed?: number; dt: number; duration: number }
export type Args = RunArgs | ExportArgs | { command: 'help' } | { command: 'version' };

function num(flag: string, v: string | undefined, def: number, check: (x: number) => boolean, what: string): number {
  if (v === undefined) return def;
  const x = Number(v);
  if (v.trim() === '' || !check(x)) throw new UsageError(`--${flag}: expected ${what}, got '${v}'`);
  return x;
}

function oneOf<T extends string>(flag: string, v: string | undefined, allowed: readonly T[], def: T): T {
  if (v === undefined) return def;
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`--${flag}: expected one of ${allowed.join(', ')}, got '${v}'`);
  return v as T;
}

/** Parses argv (without node and the program); throws UsageError naming the flag and value. */
export function parse(argv: string[]): Args {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
        duration: { type: 'string' },
        dt: { type: 'string' },
        seed: { type: 'string' },
        backend: { type: 'string' },
        monitor: { type: 'string', multiple: true },
        'no-spikes': { type: 'boolean' },
        plot: { type: 'string' },
        save: { type: 'string' },
        format: { type: 'string' },
        progress: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        to: { type: 'string' },
      },
    });
  } catch (e) {
    // parseArgs' own messages name the flag ("Unknown option '--x'", "Option '--dt <value>' argument missing")
    throw new UsageError((e as Error).message.split('\n')[0]);
  }
  const { values: v, positionals: pos } = parsed;
  if (v.help) return { command: 'help' };
  if (v.version) return { command: 'version' };
  const [command, script, ...rest] = pos;
  if (command === undefined) throw new UsageError('no command: use `brainweave run <script>` or `brainweave export <script> --to sonata <dir>` (--help)');
  if (command !== 'run' && command !== 'export') throw new UsageError(`unknown command '${command}' (commands: run, export)`);
  if (script === undefined) throw new UsageError(`${command}: no script given (brainweave ${command} <script>)`);
  const duration = num('duration', v.duration, 1000, (x) => Number.isFinite(x) && x >= 0, 'a non-negative number of ms');
  const dt = num('dt', v.dt, 0.1, (x) => Number.isFinite(x) && x > 0, 'a positive number of ms');
  const seed = v.seed === undefined ? undefined : num('seed', v.seed, 0, (x) => Number.isSafeInteger(x) && x >= 0, 'an integer from 0 to 2^53 - 1');

  const only = (flags: string[], cmd: string) => {
    for (const f of flags) if ((v as Record<string, unknown>)[f] !== undefined) throw new UsageError(`--${f} is an option of \`brainweave ${cmd === 'run' ? 'export' : 'run'}\`, not of \`brainweave ${cmd}\``);
  };
  if (command === 'export') {
    only(['backend', 'monitor', 'no-spikes', 'plot', 'save', 'format', 'progress', 'quiet'], 'export');
    if (v.to === undefined) throw new UsageError('export: --to is required (sonata or pynn)');
    const to = oneOf('to', v.to, ['sonata', 'pynn'] as const, 'sonata');
    if (rest.length !== 1) throw new UsageError(`export: expected one output folder after the script, got ${rest.length ? rest.map((r) => `'${r}'`).join(' ') : 'none'}`);
    return { command, script, to, dir: rest[0], seed, dt, duration };
  }
  only(['to'], 'run');
  if (rest.length) throw new UsageError(`run: unexpected argument '${rest[0]}' after the script (flags start with --)`);
  const monitors = v.monitor ?? [];
  for (const m of monitors) if (!/^[^.\s]+\.[^.\s]+$/.test(m)) throw new UsageError(`--monitor: expected Member.variable (e.g. E.V), got '${m}'`);
  if (v.plot !== undefined && !/\.(png|svg)$/i.test(v.plot)) throw new UsageError(`--plot: the file must end in .png or .svg, got '${v.plot}'`);
  if (v.save !== undefined && v.save.trim() === '') throw new UsageError("--save: expected a path, got ''");
  if (v.format !== undefined && (v.save === undefined || /\.npz$/i.test(v.save))) throw new UsageError(`--format ${v.format}: only for --save <folder> (a .npz path is a checkpoint)`);
  return {
    command, script, duration, dt, seed,
    backend: v.backend ?? 'auto',
    monitors,
    spikes: !v['no-spikes'],
    plot: v.plot,
    save: v.save,
    format: oneOf('format', v.format, ['npy', 'json', 'csv'] as const, 'npy'),
    quiet: !!v.quiet,
    progress: v.quiet ? 'none' : oneOf('progress', v.progress, ['auto', 'bar', 'lines', 'none'] as const, 'auto'),
  };
}
