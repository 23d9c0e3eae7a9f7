/**
 * Random expressions, compiled: each model's update() is generated from a seeded grammar of what models write
 * (arithmetic, %, **, integer operators, Math functions, comparisons, &&, ||, !, ?:, booleans compared with
 * true and false, boolean properties, locals of both kinds), run on interp (update() as written) and on the
 * compiled backends, and every Variable compared bit for bit (Object.is: -0 and NaN count). The grammar found
 * that `flag === true` was false in compiled code (test/conformance/cases.ts, Booleans).
 */
import { Network, NeuGroup, Variable, Precision } from '../src';
import { COMPOUND, Gen, rng } from './fuzz-grammar';

/** update() of model `seed`: two locals of each kind, then OUTS Variables each set from an expression */
const OUTS = 6;
function modelSource(seed: number): string {
  const r = rng(seed);
  const gen = (nums: string[], bools: string[]) => new Gen(r, nums, bools);
  const step = ['t', 'dt', 'this.p'], props = ['this.flag', 'this.off'];
  const b1 = gen(step, props).bool(2);                                   // step level: no elements yet
  const u = gen(['x', 'y', 'z', ...step], [...props, 'c']).num(2);
  const w = gen(['x', 'y', 'z', 'u', ...step], [...props, 'c']).num(2);
  const g = gen(['x', 'y', 'z', 'u', 'w', ...step], [...props, 'c']);
  const e = g.bool(2);
  const h = gen(['x', 'y', 'z', 'u', 'w', ...step], [...props, 'c', 'e']);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const outs = Array.from({ length: OUTS }, (_, k) => {
    if (k === OUTS - 1) return `if (${h.bool(3)}) this.o${k}[i] += 1; else this.o${k}[i] -= ${h.num(2)};`;
    return r() < 0.6 ? `this.o${k}[i] = ${h.num(3)};` : `this.o${k}[i] ${pick(COMPOUND)} ${h.num(2)};`;
  });
  const sg = gen(step, [...props, 'c']);
  const s0 = sg.num(3), s1 = sg.bool(2), red = gen(['this.x[i]', 'this.y[i]', 'this.z[i]', ...step], [...props, 'c']).num(2);
  return [
    'update(t, dt) {',
    `  const c = ${b1};`,
    `  this.s[0] = ${s0};`,                                          // step level, constant indices
    `  if (${s1}) this.s[1] += 1; else this.s[1] -= 0.5;`,
    '  let acc = 0;',                                                 // a reduction
    `  for (let i = 0; i < this.num; i++) acc += ${red};`,
    '  this.s[2] = acc;',
    '  for (let i = 0; i < this.num; i++) {',
    '    const x = this.x[i], y = this.y[i], z = this.z[i];',
    `    const u = ${u};`,
    `    let w = ${w}; w += x;`,
    `    const e = ${e};`,
    ...outs.map((o) => `    ${o}`),
    '    this.x[i] += dt * 0.37; this.y[i] -= 0.11; this.z[i] += 1;',
    '  }',
    '}',
  ].join('\n');
}

function makeClass(seed: number): new (n: number) => NeuGroup {
  // outputs of each storage kind: the default float, int32, bool (a Uint8Array)
  const dtypes = ['', '', '', ", { dtype: 'int32' }", ", { dtype: 'bool' }", ", { dtype: 'int32' }"];
  const outs = Array.from({ length: OUTS }, (_, k) => `o${k} = new Variable(this.num${dtypes[k % dtypes.length]});`).join('\n  ');
  const src = `return class Fuzz${seed} extends NeuGroup {
  p = 1.5; flag = true; off = false;
  s = new Variable(3);
  h(a, b) { return a * 0.5 - b; }
  k(a, b) { if (a > b) return a - 1; return this.p * b; }
  x = new Variable(this.num, { init: (i) => i * 0.7 - 2.1 });
  y = new Variable(this.num, { init: (i) => (i % 3) - 1 });
  z = new Variable(this.num, { dtype: 'int32', init: (i) => i - 3 });
  ${outs}
  ${modelSource(seed)}
}`;
  return new Function('NeuGroup', 'Variable', src)(NeuGroup, Variable);
}

async function runOn(seed: number, backend: string, precision: Precision): Promise<Record<string, number[]> | Error> {
  const Cls = makeClass(seed);
  const net = new Network({ F: new Cls(7) }, { precision, seed: 1 }).build();
  try {
    await net.run(0.3, { dt: 0.1, backend, checkEvery: 0 });
  } catch (e) { return e as Error; }
  return Object.fromEntries(net.variablePaths().map((p) => [p, Array.from(net.variable(p)!.value as ArrayLike<number>)]));
}

const MODELS = Number(process.env.FUZZ_MODELS ?? 400);

describe.each(['float64', 'float32'] as Precision[])('random expressions (%s)', (precision) => {
  test.each(['js', 'wasm'])('%s equals interp bit for bit', async (backend) => {
    let compiled = 0;
    for (let seed = 1; seed <= MODELS; seed++) {
      const ref = await runOn(seed, 'interp', precision);
      if (ref instanceof Error) throw new Error(`model ${seed}: interp failed: ${ref.message}\n${modelSource(seed)}`);
      const got = await runOn(seed, backend, precision);
      if (got instanceof Error) {
        // a backend may refuse a construct, with a message naming it; it may not fail otherwise
        if (!/BackendUnsupported|CompileError/.test(got.name)) throw new Error(`model ${seed} on ${backend}: ${got.message}\n${modelSource(seed)}`);
        continue;
      }
      compiled++;
      for (const k of Object.keys(ref)) {
        const i = ref[k].findIndex((v, j) => !Object.is(v, got[k][j]));
        if (i >= 0) throw new Error(`model ${seed} on ${backend} (${precision}): ${k}[${i}] is ${got[k][i]}, interp ${ref[k][i]}\n${modelSource(seed)}`);
      }
    }
    if (process.env.FUZZ_REPORT) console.log(`${backend} ${precision}: ${compiled} of ${MODELS} compiled`);
    expect(compiled).toBeGreaterThanOrEqual(MODELS * 0.9); // refusals stay rare
  }, 120_000);
});

/** ToInt32 where doubles leave int32 (wasm truncated through a saturating i64 conversion: ~Infinity was 0) */
class Wrap extends NeuGroup {
  v = new Variable(this.num, { init: (i) => WRAP_VALUES[i] });
  d = new Variable(this.num, { init: (i) => (i < 3 ? 0 : 1) }); // 1/0, -1/0, 0/0: Variables start finite
  not = new Variable(this.num);
  or = new Variable(this.num);
  shr = new Variable(this.num);
  int = new Variable(this.num, { dtype: 'int32' });
  update() {
    for (let i = 0; i < this.num; i++) {
      const x = this.v[i] / this.d[i];
      this.not[i] = ~x;
      this.or[i] = x | 0;
      this.shr[i] = x >>> 0;
      this.int[i] = x;
    }
  }
}
const WRAP_VALUES = [1, -1, 0, 2 ** 63, 2 ** 64 + 2 ** 33 + 2 ** 12, -(2 ** 70), 1e19, 2 ** 31, -(2 ** 31) - 1, 4294967296.5, -0.7, 2 ** 53 + 2];

test.each(['js', 'wasm'])('ToInt32 of non-finite and huge doubles on %s equals interp', async (backend) => {
  const state = async (b: string) => {
    const net = new Network({ W: new Wrap(WRAP_VALUES.length) }, { precision: 'float64' }).build();
    await net.run(0.1, { dt: 0.1, backend: b, checkEvery: 0 });
    return Object.fromEntries(['W.not', 'W.or', 'W.shr', 'W.int'].map((p) => [p, Array.from(net.variable(p)!.value as ArrayLike<number>)]));
  };
  const ref = await state('interp');
  expect(ref['W.not'].slice(0, 3)).toEqual([-1, -1, -1]); // ~Infinity, ~-Infinity, ~NaN
  expect(await state(backend)).toEqual(ref);
});
