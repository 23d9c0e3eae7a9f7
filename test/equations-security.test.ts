/**
 * defineNeuGroup builds a class with `new Function`; nothing from data (JSON params, units, init, names,
 * equation text) may reach that source except checked identifiers and numbers.
 */
import { defineNeuGroup } from '../src/integrators/equations';
import { BrainweaveError } from '../src';

const eqs = 'dV/dt = (El - V) / tau : mV';
const base = { params: { El: -65, tau: 10 }, units: { El: 'mV', tau: 'ms' } };
const g = globalThis as any;

beforeEach(() => { delete g.__bwInjected; });
afterEach(() => { expect(g.__bwInjected).toBeUndefined(); });

/** Defines the class and makes an instance (where injected constructor code would run). */
function build(spec: any, text = eqs): unknown {
  const C = defineNeuGroup(text, spec) as any;
  return new C(2);
}

test('a params key with code (from JSON) is refused and never runs', () => {
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code: number) => { throw new Error(`process.exit(${code}) was called`); }) as any);
  try {
    const fromJson = JSON.parse('{"El": -65, "tau": 10, "x = 0; process.exit(7); this.y": 1}');
    expect(() => build({ ...base, params: fromJson })).toThrow(BrainweaveError);
    expect(() => build({ ...base, params: fromJson })).toThrow(/params key "x = 0; process\.exit\(7\); this\.y"/);
    expect(exit).not.toHaveBeenCalled();
    const flag = { ...base.params, 'a; globalThis.__bwInjected = 1; this.b': 1 };
    expect(() => build({ ...base, params: flag })).toThrow(/not a name/);
  } finally { exit.mockRestore(); }
});

test.each([
  ['a$b'], ['1a'], ['a b'], ['Vé'], [''], ['__proto__'], ['constructor'], ['toString'], ['hasOwnProperty'],
  ['beforeRun'], ['attachRng'], ['refractory'], ['t_last_spike'], ['spike'], ['num'], ['update'], ['class'], ['xi_1'],
])('params key %p is refused', (k) => {
  const params = JSON.parse(JSON.stringify({ ...base.params, [k]: 1 }));
  expect(() => build({ ...base, params })).toThrow(BrainweaveError);
});

test('units and init keys must be names too', () => {
  expect(() => build({ ...base, units: { ...base.units, 'x]; globalThis.__bwInjected = 1; [': 'mV' } })).toThrow(BrainweaveError);
  expect(() => build({ ...base, init: { 'V": 0}); globalThis.__bwInjected = 1; ({"': 0 } })).toThrow(/init key/);
  expect(() => build({ ...base, units: { El: 5 } })).toThrow(/units\.El/);
});

test('class name, equation text, threshold and reset cannot carry code', () => {
  expect(() => build({ ...base, name: 'X extends Object {}; globalThis.__bwInjected = 1; class Y' })).toThrow(/name must be an identifier/);
  expect(() => build({ ...base, name: 'class' })).toThrow(/name must be an identifier/);
  expect(() => build(base, `${eqs}\nglobalThis.__bwInjected = 1 : 1`)).toThrow(BrainweaveError);
  expect(() => build(base, 'dV/dt = (El - V) / tau + 0 * evaluate("globalThis.__bwInjected = 1") / ms : mV')).toThrow(BrainweaveError);
  expect(() => build(base, 'dV/dt = (El - V) / tau + 0 * globalThis.__bwInjected / ms : mV')).toThrow(BrainweaveError);
  const th = { ...base, params: { ...base.params, Vth: -50 }, units: { ...base.units, Vth: 'mV' } };
  expect(() => build({ ...th, threshold: 'V > Vth; globalThis.__bwInjected = 1' })).toThrow(BrainweaveError);
  expect(() => build({ ...th, threshold: 'V > Vth', reset: 'V = El; this.constructor.constructor("globalThis.__bwInjected = 1")()' })).toThrow(BrainweaveError);
  expect(() => build({ ...th, threshold: 'V > Vth', refractory: '2*ms + 0*f("x")' })).toThrow(BrainweaveError);
});

test('the generated source names only the checked identifiers', () => {
  const C = defineNeuGroup(eqs, base);
  const names = [...C.bw.updateSource.matchAll(/\bthis\.([A-Za-z0-9_$]+)/g)].map((m) => m[1]);
  expect(new Set(names)).toEqual(new Set(['V', 'El', 'tau', 'num']));
  // the parameters are fields set from data, not text in the class source
  expect(C.toString()).not.toMatch(/-65/);
});

test('unit strings from data cannot call mathjs functions (createUnit, evaluate) on the shared instance', () => {
  const { parseUnit } = require('../src/integrators/units');
  const { math } = require('../src/integrators/mathjs');
  expect(() => parseUnit('mV^(createUnit("bwInjectedUnit"))')).toThrow(BrainweaveError);
  expect(() => math.unit(1, 'bwInjectedUnit')).toThrow();
  expect(() => parseUnit('mV^(evaluate("2"))')).toThrow(BrainweaveError);
  expect(() => build({ ...base, units: { El: 'mV', tau: 'ms^(createUnit("bwInjectedUnit2"))' } })).toThrow(BrainweaveError);
  expect(() => math.unit(1, 'bwInjectedUnit2')).toThrow();
  // numeric exponents still work
  expect(parseUnit('ms^-0.5').equals(parseUnit('ms^(-1/2)'))).toBe(true);
  expect(() => build(base, 'dV/dt = (El - V) / tau + 0 * (V / mV)^(createUnit("bwInjectedUnit3")) * mV / ms : mV')).toThrow(BrainweaveError);
  expect(() => math.unit(1, 'bwInjectedUnit3')).toThrow();
});
