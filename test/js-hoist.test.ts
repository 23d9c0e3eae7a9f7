/**
 * The js emitter's hoisted loops (src/compiler/outline.ts): element-wise loops and library operators printed as
 * functions of their own, called from run() with the outer locals they read. What can go wrong: an outer local
 * not passed, the one outer local a loop writes (the spike list's count, passed in and returned), a spike
 * monitor recorded inside an outlined delivery (its count passed in and returned), and loops that must stay
 * inline. Results are checked against interp and against the same plan printed without hoisting.
 */
import { Network, NeuGroup, Variable, registerBackend } from '../src';
import { jsBackend, emitJs } from '../src/backends/js/emit';
import { cpuPlan } from '../src/compiler/cpu-plan';
import { outlinableLoops } from '../src/compiler/outline';
import { numberLocals } from '../src/backends/js/number-locals';
import { cobaNetwork } from '../examples/networks';
import { ArrayBinding, Expr, Stmt } from '../src/compiler/ir';

registerBackend({ ...jsBackend, name: 'js-inline', autoRank: null, compile: (req) => emitJs(cpuPlan(req.plan(), { rotate: true }), req.rng, { hoist: false }) });

/** reads an outer `a` and declares block-local `a`s (under jest's transpiled source they keep one name) */
class Shadow extends NeuGroup {
  v = new Variable(this.num, { init: (i) => i * 0.25 });
  w = new Variable(this.num);
  total = new Variable(1);
  update(t: number, dt: number) {
    const a = dt * 3 + t;
    for (let i = 0; i < this.num; i++) {
      this.v[i] = this.v[i] * 0.5 + a;
      { const a = 7; this.w[i] = this.v[i] + a; }
      if (this.v[i] > 1) { const a = -1; this.w[i] += a; }
    }
    let s = 0; // a reduction: writes an outer local, stays inline
    for (let i = 0; i < this.num; i++) s += this.w[i];
    this.total[0] = s;
  }
}

const source = (net: Network) => {
  const exe = [...(net as unknown as { cache: Map<string, { exe: { source?: string } }> }).cache.values()][0].exe;
  return exe.source ?? '';
};

async function states(make: () => Network, backends: string[], steps = 5) {
  const out: Record<string, Record<string, number[]>> = {};
  const src: Record<string, string> = {};
  for (const backend of backends) {
    const net = make().build();
    const spikes = net.variablePaths().filter((p) => p.endsWith('.spike'));
    const res = await net.run(steps, { dt: 0.1, backend, monitors: spikes });
    out[backend] = Object.fromEntries(net.variablePaths().map((p) => [p, Array.from(net.variable(p)!.value as ArrayLike<number>)]));
    for (const m of spikes) {
      const r = res.monitors[m] as { indices: Int32Array; times: Float64Array };
      out[backend][`${m} monitor`] = [...Array.from(r.indices), ...Array.from(r.times)];
    }
    src[backend] = source(net);
  }
  return { out, src };
}

test('scoping: outer locals become parameters, also one a nested block shadows; the one written is returned', () => {
  // for (let i = 0; i < 4; i++) { x[i] = a; { const a = 1; x[i] += a; } n = n + 1 }: the block's own `a`
  // does not hide the outer one read before it
  const x = { id: 'x', dtype: 'f64' } as unknown as ArrayBinding;
  const loc = (name: string): Expr => ({ k: 'local', name });
  const set = (op: string, value: Expr): Stmt => ({ k: 'expr', line: 1, e: { k: 'assign', op, target: { k: 'index', arr: x, i: loc('i') }, value } });
  const loop = (extra: Stmt[]): Stmt => ({
    k: 'for', line: 1, info: { cls: 'map', maxTrip: 4 },
    init: { k: 'let', kind: 'let', names: ['i'], init: { k: 'num', v: 0 }, destructure: false, line: 1 },
    test: { k: 'bin', op: '<', a: loc('i'), b: { k: 'num', v: 4 } },
    update: { k: 'update', op: '++', prefix: false, target: { k: 'local', name: 'i' } },
    body: [set('=', loc('a')), { k: 'block', body: [{ k: 'let', kind: 'const', names: ['a'], init: { k: 'num', v: 1 }, destructure: false, line: 1 }, set('+=', loc('a'))] }, ...extra],
  });
  const plan = (step: Stmt[]) => step;
  const n1: Stmt = { k: 'expr', line: 1, e: { k: 'assign', op: '=', target: { k: 'local', name: 'n' }, value: { k: 'bin', op: '+', a: loc('n'), b: { k: 'num', v: 1 } } } };
  const m1: Stmt = { k: 'expr', line: 1, e: { k: 'assign', op: '=', target: { k: 'local', name: 'm' }, value: { k: 'num', v: 1 } } };
  const [one] = outlinableLoops(plan([loop([n1])]));
  expect(one.params).toEqual(['a', 'n']);
  expect(one.result).toBe('n');
  expect(outlinableLoops(plan([loop([n1, m1])]))).toEqual([]); // two outer locals written: stays inline
  expect(outlinableLoops(plan([loop([{ k: 'return', value: null, line: 1 }])]))).toEqual([]);
});

test('an outer local is passed to the hoisted loop; the reduction stays inline', async () => {
  const { out, src } = await states(() => new Network({ A: new Shadow(9) }), ['interp', 'js', 'js-inline']);
  expect(out.js).toEqual(out.interp);
  expect(out['js-inline']).toEqual(out.interp);
  const fn = src.js.match(/function (loop\$\d+)\(([^)]*)\)/);
  expect(fn).not.toBeNull();
  expect(fn![2].split(', ')).toContain('a');
  expect(src.js.match(/function loop\$/g)).toHaveLength(1); // the map loop only
  expect(src['js-inline']).not.toMatch(/function loop\$/);
});

test('COBA: neuron loops return their spike-list count, deliveries their monitor count; spikes equal interp and the inline form', async () => {
  const make = () => cobaNetwork({ nExc: 400, nInh: 100, p: 0.06, seed: 3 });
  const { out, src } = await states(make, ['interp', 'js', 'js-inline'], 60);
  expect(out.js['E.spike monitor'].length).toBeGreaterThan(20); // spikes were recorded, by the outlined walks
  expect(out.js).toEqual(out.interp);
  expect(out['js-inline']).toEqual(out.interp);
  expect(src.js).toMatch(/E\$spike\$n = loop\$\d+\(/);
  expect(src.js).toMatch(/return E\$spike\$n;/);
  // both spike groups' deliveries (with their monitors) are functions; run() walks no connectivity itself
  expect(src.js.match(/mon\$\d+\$n = op\$\d+\([^)]*\bs\$, mon\$\d+\$s, mon\$\d+\$i, mon\$\d+\$n\);/g)?.length).toBeGreaterThanOrEqual(2);
  const run = src.js.slice(src.js.indexOf('return function run'));
  expect(run).not.toMatch(/pre2post\$indptr\[/);
  expect(src['js-inline']).not.toMatch(/function op\$/);
  const loops = outlinableLoops(cpuPlan(make().build().stepPlan(), { rotate: true }).step);
  expect(loops.length).toBeGreaterThanOrEqual(4);
  for (const h of loops) expect(h.params).toEqual([...h.params].sort());
});

test('outlined functions read arrays and Math functions from the factory, not from A at each call', async () => {
  const make = () => cobaNetwork({ nExc: 400, nInh: 100, p: 0.06, seed: 3, precision: 'float32' });
  const { out, src } = await states(make, ['interp', 'js'], 30);
  expect(out.js).toEqual(out.interp);
  expect(src.js).not.toMatch(/\bMath\.fround\(/);
  const top = src.js.slice(0, src.js.search(/\nfunction /));
  expect(top).toMatch(/\nconst Math\$fround = A\.Math\.fround;/);
  expect(top).toMatch(/\nconst E\$V = A\.E\$V;/);
  // every function but run() reads the factory's consts: none binds an array or Math function of its own
  const fns = src.js.split(/\n(?=function )/).slice(1).map((f) => f.slice(0, f.indexOf('\n}')));
  expect(fns.filter((f) => /^function (loop|op)\$/.test(f)).length).toBeGreaterThanOrEqual(6);
  for (const f of fns) expect(f).not.toMatch(/= A\./);
});

/** step-level locals of each kind, read inside an element-wise loop (so passed to the outlined function) */
class Kinds extends NeuGroup {
  v = new Variable(this.num);
  update(t: number, dt: number) {
    const on = t > 0.25;            // a boolean: after `on = +on`, `on === true` would be false
    const k = dt * 2 + t;           // a number
    let m = 0; m += k; m++;         // a number through compound assignment and ++
    const pair = [k, 2 * k];        // a tuple
    for (let i = 0; i < this.num; i++) {
      if (on === true) this.v[i] += k + m; else this.v[i] -= pair[1];
    }
  }
}

test('number parameters of outlined loops are converted once at the top; booleans and tuples are passed as they are', async () => {
  const { out, src } = await states(() => new Network({ A: new Kinds(6) }), ['interp', 'js'], 9);
  expect(out.js).toEqual(out.interp);
  const fn = src.js.slice(src.js.search(/function loop\$\d+\(/));
  const body = fn.slice(0, fn.indexOf('\n}'));
  const params = body.match(/^function loop\$\d+\(([^)]*)\)/)![1].split(', ');
  expect(params).toEqual(expect.arrayContaining(['on$A', 'k$A', 'm$A', 'pair$A'])); // locals get their object's name
  for (const p of ['k$A', 'm$A']) expect(body).toContain(`\n  ${p} = +${p};`);
  for (const p of ['on$A', 'pair$A']) expect(body).not.toContain(`${p} = +${p}`);
});

test('numberLocals: arithmetic only, through chains of locals; a declaration without a value, a boolean (a comparison or a literal) anywhere in the chain, a tuple or a helper call keeps a local out', () => {
  const loc = (name: string): Expr => ({ k: 'local', name });
  const num = (v: number): Expr => ({ k: 'num', v });
  const let_ = (name: string, init: Expr | null): Stmt => ({ k: 'let', kind: 'let', names: [name], init, destructure: false, line: 1 });
  const set = (name: string, op: string, value: Expr): Stmt => ({ k: 'expr', line: 1, e: { k: 'assign', op, target: { k: 'local', name }, value } });
  const step: Stmt[] = [
    let_('a', num(1)), set('a', '+=', { k: 'bin', op: '*', a: loc('dt$'), b: num(2) }),
    let_('b', loc('a')),                                               // a number, through a
    let_('c', loc('b')), set('c', '=', { k: 'bin', op: '<', a: loc('a'), b: num(0) }), // later a boolean
    let_('d', loc('c')),                                               // a number only if c were
    let_('e', null), set('e', '=', num(3)),                            // no value at first
    let_('f', { k: 'call', fn: 'helper', args: [] }),
    let_('g', { k: 'math', fn: 'exp', args: [loc('b')] }),
    let_('h', { k: 'cond', test: loc('c'), a: num(1), b: loc('g') }),
    let_('k', { k: 'num', v: 0, bool: true }),                        // `false`
  ];
  const n = numberLocals([step]);
  expect([...n].filter((x) => !x.endsWith('$')).sort()).toEqual(['a', 'b', 'g', 'h']);
  expect(n.has('t$') && n.has('dt$') && n.has('s$')).toBe(true);
});
