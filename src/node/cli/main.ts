/**
 * `brainweave run` and `brainweave export`: flags in args.ts, script loading in load.ts. Returns the exit code
 * instead of exiting, so tests and other programs can call it.
 */
import { mkdirSync, writeFileSync } from 'fs';
import { dirname, resolve } from 'path';
import type { RunResult } from '../../runtime/network';
import type { Network } from '../../runtime/network';
import type { MonitorSpec } from '../../compiler/probes';
import type { SpikeMonitorData, ValueMonitorData } from '../../runtime/monitor-buffers';
import { rasterSVG, tracesSVG } from '../../plots';
import { backendNames } from '../../backends';
import { writeFigure } from '../index';
import { saveResults } from '../save-results';
import { exportNetwork } from '../export';
import { parse, HELP, UsageError, type RunArgs, type ExportArgs } from './args';
import { CliError, EXIT, reason } from './errors';
import { loadNetwork } from './load';
import { progressSink } from './progress-bar';

export { HELP, EXIT };

/** Where the command writes: the summary to `out`, progress and errors to `err`. */
export interface CliIO { out: (s: string) => void; err: (s: string) => void }
const stdio: CliIO = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Runs the command line `argv` (without node and the program) and returns its exit code. */
export async function main(argv: string[], io: CliIO = stdio): Promise<number> {
  try {
    const args = parse(argv);
    switch (args.command) {
      case 'help': io.out(HELP); return EXIT.ok;
      case 'version': io.out(`${version()}\n`); return EXIT.ok;
      case 'run': return await run(args, io);
      case 'export': return await exportCmd(args, io);
    }
  } catch (e) {
    if (e instanceof UsageError) { io.err(`brainweave: ${e.message}\n(brainweave --help lists the options)\n`); return EXIT.usage; }
    if (e instanceof CliError) {
      io.err(`brainweave: ${e.message}\n`);
      if (process.env.BRAINWEAVE_DEBUG && e.cause instanceof Error) io.err(`${e.cause.stack}\n`);
      return e.code;
    }
    io.err(`brainweave: internal error: ${reason(e)}\n${e instanceof Error ? e.stack : ''}\n`);
    return EXIT.internal;
  }
}

function version(): string {
  // dist/cjs/src/node/cli → package root is five levels up; src/node/cli (dev) → three
  for (const up of ['../../../../..', '../../..']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const pkg = require(resolve(__dirname, up, 'package.json')) as { name?: string; version?: string };
      if (pkg.name === 'brainweave') return `brainweave ${pkg.version}`;
    } catch { /* next */ }
  }
  return 'brainweave (version unknown)';
}

async function build(args: { script: string; seed?: number; dt: number; duration: number }): Promise<Network> {
  const net = await loadNetwork(args.script, { seed: args.seed, dt: args.dt, duration: args.duration });
  if (args.seed !== undefined && net.seedValue !== undefined && net.seedValue !== args.seed) {
    throw new UsageError(`--seed ${args.seed}: ${args.script}'s network already has seed ${net.seedValue}; pass the options' seed to new Network(..., { seed: o.seed })`);
  }
  return net;
}

/** A failure inside the library (build, compile, run) becomes exit 4 with its first line. */
function simulation<T>(what: string, f: () => T): T {
  try { return f(); } catch (e) { throw new CliError(EXIT.simulation, `${what}: ${reason(e)}`, e); }
}

async function run(a: RunArgs, io: CliIO): Promise<number> {
  const net = await build(a);
  const prebuilt = net.isBuilt;
  const b0 = performance.now();
  simulation('build', () => net.build(a.seed));
  const buildSeconds = (performance.now() - b0) / 1000;
  // after the script: it may register backends of its own
  if (a.backend !== 'auto' && !backendNames().includes(a.backend)) throw new UsageError(`--backend: no backend '${a.backend}' (registered: auto, ${backendNames().join(', ')})`);
  const paths = net.variablePaths();
  const spikeKeys = a.spikes ? paths.filter((p) => net.variable(p)!.dtype === 'bool') : [];
  for (const m of a.monitors) {
    if (!paths.includes(m)) throw new UsageError(`--monitor ${m}: the network has no such Variable (it has: ${paths.join(', ')})`);
  }
  const monitors: MonitorSpec[] = [...spikeKeys, ...a.monitors.filter((m) => !spikeKeys.includes(m))];
  const sink = progressSink(a.progress);
  const onProgress = (f: number, t: number) => sink?.update(f, t);
  if (sink) net.on('progress', onProgress);
  const ac = new AbortController();
  const onInt = () => ac.abort();
  process.once('SIGINT', onInt);
  let res: RunResult;
  try {
    // ~100 chunks for a smooth bar; chunking never changes results
    const chunk = sink ? Math.max(1, Math.ceil(Math.round(a.duration / a.dt) / 100)) : undefined;
    res = await net.run(a.duration, { dt: a.dt, backend: a.backend, monitors, signal: ac.signal, chunk });
  } catch (e) {
    sink?.done();
    throw new CliError(EXIT.simulation, `run failed: ${reason(e)}`, e);
  } finally {
    process.removeListener('SIGINT', onInt);
    if (sink) net.off('progress', onProgress);
  }
  sink?.done();
  res = { ...res, timings: { ...res.timings, build: res.timings.build || buildSeconds } };
  if (!a.quiet) io.out(summary(a, net, res, prebuilt));
  try {
    if (a.plot) io.out(`plot    ${writeFigure(a.plot, figure(a, res), { scale: 1 })}\n`);
    if (a.save) io.out(`saved   ${save(a, net, res)}\n`);
  } catch (e) {
    if (e instanceof CliError || e instanceof UsageError) throw e;
    throw new CliError(EXIT.output, `writing ${a.plot && !a.save ? a.plot : 'outputs'} failed: ${reason(e)}`, e);
  }
  return res.aborted ? EXIT.interrupted : EXIT.ok;
}

function figure(a: RunArgs, res: RunResult): string {
  const spikes = Object.entries(res.monitors).filter(([, m]) => m.kind === 'spike') as [string, SpikeMonitorData][];
  const xlim: [number, number] = [res.ts.length ? res.ts[0] : 0, res.ts.length ? res.ts[0] + res.steps * res.dt : a.duration];
  if (!(xlim[1] > xlim[0])) throw new CliError(EXIT.usage, `--plot ${a.plot}: the run has no time to plot (--duration ${a.duration})`);
  if (spikes.length) {
    return rasterSVG(spikes.map(([k, m]) => ({ label: k.replace(/\.[^.]*$/, ''), times: m.times, indices: m.indices, num: m.num })),
      { title: `${a.script} (brainweave)`, xlim, rateBinMs: Math.max(a.dt, Math.min(5, (xlim[1] - xlim[0]) / 20)) });
  }
  const values = Object.entries(res.monitors).find(([, m]) => m.kind === 'value') as [string, ValueMonitorData] | undefined;
  if (!values) throw new CliError(EXIT.usage, `--plot ${a.plot}: nothing recorded to plot (the network has no bool Variables; add --monitor Member.variable)`);
  return tracesSVG(values[1], { title: `${values[0]}, ${a.script}` });
}

function save(a: RunArgs, net: Network, res: RunResult): string {
  const path = a.save!;
  if (/\.npz$/i.test(path)) {
    // the bytes net.save(path) writes, written here so it works whichever copy of the library built `net`
    mkdirSync(dirname(resolve(path)), { recursive: true });
    writeFileSync(path, net.checkpoint());
    return `${path} (checkpoint at t = ${net.t.toFixed(3)} ms; net.load('${path}') restores it into the same network)`;
  }
  saveResults(res, path, { format: a.format, meta: { script: a.script, duration: a.duration, dt: a.dt, seed: net.seedValue, backend: res.backend } });
  return `${path}/ (${a.format}: ${Object.keys(res.monitors).join(', ')}; loadResults('${path}') reads it)`;
}

/** The table printed after a run: rates per spike monitor, spikes, value monitors, timings, backend. */
export function summary(a: Pick<RunArgs, 'script' | 'dt'>, net: Network, res: RunResult, builtByScript = false): string {
  const ms = res.steps * res.dt;
  const rows: string[][] = [['monitor', 'neurons', 'spikes', 'rate (Hz)']];
  let total = 0, neurons = 0;
  for (const [k, m] of Object.entries(res.monitors)) {
    if (m.kind !== 'spike') continue;
    total += m.count; neurons += m.num;
    rows.push([k, String(m.num), String(m.count), ms > 0 ? (m.count / m.num / (ms / 1000)).toFixed(2) : '-']);
  }
  if (rows.length > 2) rows.push(['all', String(neurons), String(total), ms > 0 ? (total / neurons / (ms / 1000)).toFixed(2) : '-']);
  const w = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
  const fmt = (r: string[]) => '  ' + r.map((c, j) => (j === 0 ? c.padEnd(w[j]) : c.padStart(w[j]))).join('  ') + '\n';
  let s = `${a.script}: ${ms} ms at dt = ${res.dt} ms, seed ${net.seedValue}, backend ${res.backend}${res.aborted ? ' (interrupted)' : ''}\n`;
  if (rows.length > 1) s += rows.map(fmt).join('');
  for (const [k, m] of Object.entries(res.monitors)) if (m.kind === 'value') s += `  ${k}: ${m.ts.length} records × ${m.width} values\n`;
  const t = res.timings;
  s += `  time    build ${builtByScript ? '(in the script)' : `${t.build.toFixed(3)} s`}   compile ${t.compile.toFixed(3)} s   run ${t.run.toFixed(3)} s\n`;
  return s;
}

async function exportCmd(a: ExportArgs, io: CliIO): Promise<number> {
  const net = await build(a);
  simulation('build', () => net.build(a.seed));
  let s;
  try {
    s = await exportNetwork(net, { to: a.to, dir: a.dir, dt: a.dt, tstop: a.duration });
  } catch (e) {
    throw new CliError(EXIT.simulation, `export --to ${a.to}: ${reason(e)}`, e);
  }
  const pops = s.spec.populations.map((p) => `${p.name} (${p.size})`).join(', ');
  io.out(`exported ${a.script} → ${s.dir} (${a.to}): populations ${pops}; ${s.spec.projections.length} projections\n  run it: python3 ${s.script}\n`);
  return EXIT.ok;
}
