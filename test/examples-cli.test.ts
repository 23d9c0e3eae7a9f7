/**
 * The examples as `brainweave run` sees them: each one's default export loaded through the CLI's own loader
 * (loadNetwork, with jest's require in place of tsx + import()), run briefly, checked for its groups and sizes,
 * spikes, and seeding; and the examples' shared command-line helper (examples/args.ts).
 */
import { join, resolve } from 'path';
import { loadNetwork, type ScriptImporter } from '../src/node/cli/load';
import { CliError } from '../src/node/cli/errors';
import { NeuGroup, TwoEndConn, type Network, type SpikeMonitorData } from '../src';
import { exampleArgs, ArgsError, BACKENDS, describeError } from '../examples/args';
import { cobahhNetwork } from '../examples/cobahh';

const ROOT = resolve(__dirname, '..');
// jest has its own module system (ts-jest compiles the examples); the CLI's import() does not run inside it
const requireImporter: ScriptImporter = async (abs) => require(abs) as Record<string, unknown>;

interface Case {
  file: string;
  /** group name → neurons */
  groups: Record<string, number>;
  /** projection name → synapses, where the count is fixed by the connector (All2All, One2One) */
  synapses?: Record<string, number>;
  /** what the script's function is given besides seed (the CLI's defaults: dt 0.1, duration 1000) */
  dt?: number;
  /** the seed the script uses when the CLI gives none */
  defaultSeed: number;
  /** slow to build under jest (millions of per-synapse values): skip the same-seed rebuild */
  heavy?: boolean;
}

const CASES: Case[] = [
  { file: 'coba.ts', groups: { E: 3200, I: 800 }, defaultSeed: 42 },
  { file: 'cuba.ts', groups: { E: 3200, I: 800 }, defaultSeed: 1 },
  { file: 'cobahh.ts', groups: { E: 3200, I: 800 }, defaultSeed: 42 },
  { file: 'izhikevich-network.ts', groups: { P: 1000 }, synapses: { S: 1000 * 1000 }, dt: 1, defaultSeed: 1 },
  { file: 'stdp.ts', groups: { input: 1000, neuron: 1 }, synapses: { S: 1000 }, defaultSeed: 3 },
  { file: 'nmda-network.ts', groups: { bgE: 400, bgI: 100, E: 400, I: 100 }, synapses: { stimE: 400, extE: 400, extI: 100 }, defaultSeed: 5 },
  { file: 'dense-coba.ts', groups: { E: 3200, I: 800 }, synapses: { EE: 3200 * 3199, EI: 3200 * 800, IE: 800 * 3200, II: 800 * 799 }, defaultSeed: 42, heavy: true },
  { file: 'efficient-synapses.ts', groups: { E: 3000, I: 1000 }, defaultSeed: 42 },
];

const MS = 20;

async function load(c: Case, seed?: number): Promise<Network> {
  return loadNetwork(join(ROOT, 'examples', c.file), { seed, dt: c.dt ?? 0.1, duration: MS }, requireImporter);
}

/** What `brainweave run` records by default (every bool Variable) over MS ms; the spikes as one comparable list. */
async function runLikeCli(net: Network, c: Case) {
  net.build();
  const spikes = net.variablePaths().filter((p) => net.variable(p)!.dtype === 'bool');
  const res = await net.run(MS, { dt: c.dt ?? 0.1, monitors: spikes });
  const ms = spikes.map((k) => res.monitors[k] as SpikeMonitorData);
  return {
    keys: spikes,
    count: ms.reduce((a, m) => a + m.count, 0),
    trains: ms.map((m) => [Array.from(m.steps), Array.from(m.indices)]),
  };
}

describe.each(CASES)('examples/$file through the CLI loader', (c) => {
  test('groups and sizes, spikes in the first 20 ms; ScriptOptions.seed: same seed same spikes, another seed other spikes', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => {});
    const err = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const net = await load(c, 7);
      expect(net.seedValue).toBe(7);
      const groups = Object.fromEntries(net.objects.filter((o) => o.obj instanceof NeuGroup).map((o) => [o.name, (o.obj as NeuGroup).num]));
      expect(groups).toEqual(c.groups);
      const a = await runLikeCli(net, c);
      for (const [name, n] of Object.entries(c.synapses ?? {})) expect({ name, nSyn: (net.get(name) as TwoEndConn).nSyn }).toEqual({ name, nSyn: n });
      // every group that has a spike Variable is recorded, and the network spikes within 20 ms
      expect(a.keys.sort()).toEqual(Object.keys(c.groups).filter((g) => net.variable(`${g}.spike`)).map((g) => `${g}.spike`).sort());
      expect(a.count).toBeGreaterThan(0);

      if (!c.heavy) {
        const same = await runLikeCli(await load(c, 7), c);
        expect(same.count).toBe(a.count);
        expect(same.trains).toEqual(a.trains);
      }
      const other = await runLikeCli(await load(c, 8), c);
      expect(other.trains).not.toEqual(a.trains);

      // no seed from the command line: the script's own
      expect((await load(c)).seedValue).toBe(c.defaultSeed);
      // importing the example ran none of its main(): nothing printed, no exit code set
      expect(log).not.toHaveBeenCalled();
      expect(err).not.toHaveBeenCalled();
      expect(process.exitCode ?? 0).toBe(0);
    } finally {
      log.mockRestore(); err.mockRestore();
    }
  });
});

describe('what the CLI loads is the example’s network', () => {
  test('cobahh: the initial conductances are in the Variables, so the run without inputs is the example’s run with them', async () => {
    const viaCli = await load(CASES[2], 11);
    const { net, inputs } = cobahhNetwork({ seed: 11, dt: 0.1 });
    const monitors = ['E.spike', 'I.spike', { target: 'E.V', indices: [0, 1, 2, 3] }];
    const [a, b] = [await viaCli.run(MS, { dt: 0.1, monitors }), await net.run(MS, { dt: 0.1, monitors, inputs })];
    const E = (r: typeof a) => r.monitors['E.spike'] as SpikeMonitorData;
    expect(E(a).count).toBeGreaterThan(0);
    expect(Array.from(E(a).indices)).toEqual(Array.from(E(b).indices));
    expect(Array.from(E(a).steps)).toEqual(Array.from(E(b).steps));
    expect(Array.from((a.monitors['E.V'] as { data: Float32Array }).data)).toEqual(Array.from((b.monitors['E.V'] as { data: Float32Array }).data));
  });

  test('nmda-network: the stimulus is part of the network (200–300 ms), so the CLI run has it', async () => {
    const net = await load(CASES[5], 5);
    const res = await net.run(300, { dt: 0.1, monitors: ['E.spike'] });
    const E = res.monitors['E.spike'] as SpikeMonitorData;
    const rate = (t0: number, t1: number) => { let n = 0; for (let k = 0; k < E.count; k++) if (E.times[k] >= t0 && E.times[k] < t1) n++; return n / E.num / ((t1 - t0) / 1000); };
    expect(rate(200, 300)).toBeGreaterThan(20);
    expect(rate(200, 300)).toBeGreaterThan(10 * rate(0, 200));
  });

  test('izhikevich-network: a dt other than 1 ms is refused with the flag to use', async () => {
    const net = await load(CASES[3], 1);
    await expect(net.run(5, { dt: 0.1 })).rejects.toThrow(/1 ms map .* run it at dt = 1 ms \(brainweave run \.\.\. --dt 1\), not dt = 0\.1 ms/);
  });

  test('a script without a network: the CLI loader’s error, through the same importer', async () => {
    await expect(loadNetwork(join(ROOT, 'examples/stats.ts'), { dt: 0.1, duration: 1 }, requireImporter)).rejects.toThrow(CliError);
    await expect(loadNetwork(join(ROOT, 'examples/stats.ts'), { dt: 0.1, duration: 1 }, requireImporter)).rejects.toThrow(/exports no network: .*\(it exports: isiCV\)/);
  });
});

describe('examples/args.ts', () => {
  test('defaults, their types, --flag value and --flag=value, negative numbers, last one wins', () => {
    const d = { seed: 42, out: 'out/x.svg', mu: 16 };
    expect(exampleArgs(d, [])).toEqual({ seed: 42, out: 'out/x.svg', mu: 16, backend: undefined });
    const a = exampleArgs(d, ['--seed', '7', '--out=o.svg', '--mu', '-2.5', '--seed', '8', '--backend', 'wasm']);
    expect(a).toEqual({ seed: 8, out: 'o.svg', mu: -2.5, backend: 'wasm' });
    expect(typeof a.seed).toBe('number');
    for (const b of BACKENDS) expect(exampleArgs(d, ['--backend', b]).backend).toBe(b);
  });

  test('errors name the flag: missing value, unknown backend, unknown option, not a number', () => {
    const d = { seed: 42, out: 'x' };
    const msg = (argv: string[]) => { try { exampleArgs(d, argv); } catch (e) { expect(e).toBeInstanceOf(ArgsError); return (e as Error).message; } return 'no error'; };
    expect(msg(['--seed'])).toBe('--seed: missing value');
    expect(msg(['--seed', '--out', 'y'])).toBe('--seed: missing value');
    expect(msg(['--backend'])).toBe('--backend: missing value');
    expect(msg(['--backend', 'cuda'])).toBe("--backend: expected one of js, wasm, interp, gpu, auto, got 'cuda'");
    expect(msg(['--sed', '1'])).toBe("unknown option '--sed' (options: --seed, --out, --backend)");
    expect(msg(['7'])).toBe("unexpected argument '7' (flags start with --; options: --seed, --out, --backend)");
    expect(msg(['--seed', 'abc'])).toBe("--seed: expected a number, got 'abc'");
    expect(msg(['--seed='])).toBe("--seed: expected a number, got ''");
    expect(describeError(new ArgsError('--seed: missing value'), 'stdp.ts')).toBe('stdp.ts: --seed: missing value');
  });
});
