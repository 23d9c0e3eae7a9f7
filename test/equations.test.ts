import * as acorn from 'acorn';
import { Variable } from '../src/core/variable';
import { NeuGroup } from '../src/core/dynsys';
import { checkUnits, defineNeuGroup, EquationError, parseEquations, parseUnit, formatUnit, Unit } from '../src/integrators';

/** Catches the EquationError thrown by fn. */
function eqError(fn: () => unknown): EquationError {
  try { fn(); } catch (e) {
    expect(e).toBeInstanceOf(EquationError);
    return e as EquationError;
  }
  throw new Error('expected an EquationError');
}

/** Builds an instance with Variables allocated and a view (Variables replaced by arrays), as interpreted mode does. */
function instantiate(Cls: any, n: number, params: Record<string, number> = {}) {
  const g = new Cls(n);
  const view: any = Object.create(g);
  for (const k of Object.keys(g)) {
    if (g[k] instanceof Variable) { g[k].allocate(k, 'float64'); view[k] = g[k].value; }
  }
  Object.assign(view, params);
  return view;
}

describe('units', () => {
  test('parse and compare', () => {
    expect(parseUnit('mV').scale).toBeCloseTo(1e-3, 15);
    expect(parseUnit('1').dimensionless).toBe(true);
    expect(parseUnit('nS*mV/pF').equals(parseUnit('mV/ms'))).toBe(true);
    expect(parseUnit('mvolt').equals(parseUnit('mV'))).toBe(true);
    expect(parseUnit('1/ms').equals(parseUnit('kHz'))).toBe(true);
    expect(parseUnit('mV').equals(parseUnit('V'))).toBe(false);
    expect(parseUnit('mV').sameDimension(parseUnit('V'))).toBe(true);
    const u = parseUnit('pA').div(parseUnit('pF'));
    expect(formatUnit(new Unit(u.dims, u.scale))).toBe('mV/ms');
    expect(() => parseUnit('parsec^q', 'units.x')).toThrow(/units.x: unknown unit 'parsec\^q'/);
  });
});

describe('parseEquations', () => {
  const text = [
    '# leaky integrate-and-fire with a conductance',
    'dV/dt = (El - V + I_syn) / tau : mV (unless refractory)',
    'dg/dt = -g / tau_g : 1   # dimensionless',
    'I_syn = g * (E - V) : mV',
    'I : mV',
  ].join('\n');

  test('structure', () => {
    const eqs = parseEquations(text);
    expect(eqs.stateVars).toEqual(['V', 'g']);
    expect(eqs.subexpressions).toEqual(['I_syn']);
    expect(eqs.perNeuron).toEqual(['I']);
    const V = eqs.byName.get('V')!;
    expect(V.kind).toBe('diff');
    expect(V.unitText).toBe('mV');
    expect(V.flags).toEqual(['unless refractory']);
    expect(V.expr!.text).toBe('(El - V + I_syn) / tau');
    expect(V.line).toBe(2);
    expect(eqs.byName.get('g')!.unit.dimensionless).toBe(true);
    expect(eqs.byName.get('I_syn')!.expr!.node.toString()).toBe('g * (E - V)');
  });

  test('units check passes with consistent parameter units', () => {
    const eqs = parseEquations(text);
    const u = checkUnits(eqs, { El: 'mV', E: 'mV', tau: 'ms', tau_g: 'ms' });
    expect(u.get('V')!.equals(parseUnit('mV/ms'))).toBe(true);
    // conductance-based: nS * mV / pF is mV/ms exactly
    expect(() => checkUnits(parseEquations('dV/dt = g * (E - V) / C : mV\ng : nS'), { E: 'mV', C: 'pF' })).not.toThrow();
    // unit constants inside expressions
    expect(() => checkUnits(parseEquations('dV/dt = (-65*mV - V) / (10*ms) + 0 * mV/ms : mV'))).not.toThrow();
  });

  test('mV + ms names the term and its position', () => {
    const src = 'dV/dt = (El - V + tau) / tau : mV';
    const e = eqError(() => checkUnits(parseEquations(src), { El: 'mV', tau: 'ms' }));
    expect(e.message).toMatch(/units do not match in 'El - V \+ tau': cannot add 'El - V' \(mV\) and 'tau' \(ms\)/);
    expect(e.offset).toBe(src.indexOf('El'));
    expect(e.text).toBe('El - V + tau');
    expect(e.line).toBe(1);
    expect(e.column).toBe(10);
    expect(e.message).toMatch(/line 1, column 10/);
  });

  test('positions on later lines', () => {
    const src = 'dV/dt = -V / tau : mV\ndw/dt = (a * V - w + t) / tau : mV';
    const e = eqError(() => checkUnits(parseEquations(src), { a: '1', tau: 'ms' }));
    expect(e.line).toBe(2);
    expect(e.text).toBe('a * V - w + t');
    expect(e.offset).toBe(src.indexOf('a * V'));
    expect(e.column).toBe(10);
    expect(e.message).toMatch(/cannot add 'a \* V - w' \(mV\) and 't' \(ms\)/);
  });

  test('the derivative must have the variable unit per ms', () => {
    const e = eqError(() => checkUnits(parseEquations('dV/dt = El - V : mV'), { El: 'mV' }));
    expect(e.message).toMatch(/dV\/dt = 'El - V' has unit mV, expected mV\/ms/);
    const s = eqError(() => checkUnits(parseEquations('dV/dt = (El - V) / tau : mV'), { El: 'mV', tau: 'second' }));
    expect(s.message).toMatch(/same dimension, but 0.001 times mV\/ms/);
    const m = eqError(() => checkUnits(parseEquations('dV/dt = (El - V) / tau : mV'), { El: 'V', tau: 'ms' }));
    expect(m.message).toMatch(/same dimension, different scale: V vs mV/);
    expect(m.text).toBe('El - V');
  });

  test('functions need dimensionless arguments; powers', () => {
    const e = eqError(() => checkUnits(parseEquations('dV/dt = exp(V) / tau : mV'), { tau: 'ms' }));
    expect(e.message).toMatch(/argument of exp\(\) must be dimensionless, 'V' is mV/);
    expect(e.column).toBe(13);
    expect(() => checkUnits(parseEquations('dV/dt = exp(V / (2*mV)) * mV / tau - V^2 / (mV * tau) : mV'), { tau: 'ms' })).not.toThrow();
    const p = eqError(() => checkUnits(parseEquations('dV/dt = V^V : mV')));
    expect(p.message).toMatch(/exponent 'V' must be dimensionless/);
  });

  test('syntax errors point at the character', () => {
    const e = eqError(() => parseEquations('dV/dt = (El - * V) / tau : mV'));
    expect(e.message).toMatch(/cannot parse '\(El - \* V\) \/ tau'/);
    expect(e.offset).toBe(14);
    expect(e.text).toBe('*');
    const f = eqError(() => parseEquations('dV/dt = -V/tau : mV\nV + 3 = 2 : mV'));
    expect(f.line).toBe(2); expect(f.column).toBe(1);
    expect(f.message).toMatch(/expected 'dX\/dt = expression : unit', 'X = expression : unit' or 'X : unit'/);
    const g = eqError(() => parseEquations('dV/dt = -V/tau'));
    expect(g.message).toMatch(/missing ': unit'/);
    expect(g.offset).toBe(14);
    const uu = eqError(() => parseEquations('dV/dt = -V/tau : mVolts'));
    expect(uu.message).toMatch(/unknown unit 'mVolts'/);
    expect(uu.offset).toBe(17);
    const k = eqError(() => parseEquations('dV/dt = -V/tau : mV (unless tired)'));
    expect(k.message).toMatch(/unknown flag 'unless tired'/);
    expect(k.text).toBe('unless tired');
    const d = eqError(() => parseEquations('dV/dt = -V : mV\nV : mV'));
    expect(d.message).toMatch(/'V' is defined twice \(first on line 1\)/);
    const r = eqError(() => parseEquations('dt/dt = 1 : 1'));
    expect(r.message).toMatch(/'t' is a reserved name/);
    const u = eqError(() => checkUnits(parseEquations('dV/dt = -V / tau + foo : mV'), { tau: 'ms' }));
    expect(u.message).toMatch(/unknown name 'foo'/);
    expect(u.text).toBe('foo'); expect(u.offset).toBe(19);
    expect(() => parseEquations('I : mV')).toThrow(/no differential equation/);
    // a forgotten parameter named like a mathjs unit ('h' = hour) is an unknown name, not a unit
    const h = eqError(() => checkUnits(parseEquations('dV/dt = -V / tau + h * mV / ms : mV'), { tau: 'ms' }));
    expect(h.message).toMatch(/unknown name 'h'/);
  });
});

describe('defineNeuGroup', () => {
  const lifEqs = 'dV/dt = (El - V + R * I) / tau : mV (unless refractory)\nI : nA';
  const lifSpec = {
    params: { El: -65, tau: 10, R: 10, Vth: -50, Vr: -70, I: 2 },
    units: { El: 'mV', tau: 'ms', R: 'Mohm', Vth: 'mV', Vr: 'mV' },
    threshold: 'V > Vth', reset: 'V = Vr',
  };

  test('returns a NeuGroup subclass with Variables and a generated update()', () => {
    const LIF = defineNeuGroup(lifEqs, { ...lifSpec, refractory: 2, init: { V: -65 }, name: 'LIF' });
    const g: any = new LIF(5);
    expect(g).toBeInstanceOf(NeuGroup);
    expect(LIF.name).toBe('LIF');
    for (const k of ['V', 'I', 'spike', 't_last_spike']) expect(g[k]).toBeInstanceOf(Variable);
    expect(g.tau).toBe(10);
    expect(g.spike.dtype).toBe('bool');
    // the update source is a plain method; only this.X[i], this.num, this.<param>, locals, Math.*
    const src = LIF.prototype.update.toString();
    expect(src).toBe(LIF.bw.updateSource);
    const prog: any = acorn.parse(`({ ${src} })`, { ecmaVersion: 'latest' });
    expect(prog.body[0].expression.properties[0].method).toBe(true);
    expect(src).toMatch(/this\.V\[i\]/);
    expect(src).toMatch(/for \(let i = 0; i < this\.num; i\+\+\)/);
    expect(src).not.toMatch(/spec|initOf|closure/);
  });

  test.each(['euler', 'rk2', 'rk4', 'exp_euler'])('sub-threshold trajectory matches the exact solution (%s)', (method) => {
    const LIF = defineNeuGroup(lifEqs, { ...lifSpec, threshold: undefined, reset: undefined, method, init: { V: -65, I: (i: number) => i * 0.5 } });
    const m = instantiate(LIF, 4, {});
    const dt = 0.1, steps = 100;
    for (let k = 0; k < steps; k++) m.update(k * dt, dt);
    for (let i = 0; i < 4; i++) {
      const I = i * 0.5, Vinf = -65 + 10 * I;
      const exact = Vinf + (-65 - Vinf) * Math.exp(-steps * dt / 10);
      const tol = method === 'euler' ? 0.05 : method === 'rk2' ? 1e-3 : 1e-6;
      expect(Math.abs(m.V[i] - exact)).toBeLessThan(tol);
    }
  });

  test('threshold, reset and refractory give the analytic firing rate', () => {
    const LIF = defineNeuGroup(lifEqs, { ...lifSpec, refractory: '2*ms', method: 'exp_euler', init: { V: -70 } });
    const m = instantiate(LIF, 1, {});
    const dt = 0.01, T = 500;
    let spikes = 0;
    const times: number[] = [];
    for (let k = 0; k < T / dt; k++) {
      m.update(k * dt, dt);
      if (m.spike[0]) { spikes++; times.push(k * dt); }
    }
    const Vinf = -65 + 10 * 2;
    const isi = 10 * Math.log((Vinf + 70) / (Vinf + 50)) + 2;
    expect(spikes).toBeGreaterThan(5);
    const meanIsi = (times[times.length - 1] - times[0]) / (times.length - 1);
    expect(Math.abs(meanIsi - isi)).toBeLessThan(2 * dt);
    expect(m.t_last_spike[0]).toBeCloseTo(times[times.length - 1], 6); // the step's t, as Brian2's lastspike
  });

  test('per-instance parameters are plain fields read as this.<param>', () => {
    const LIF = defineNeuGroup(lifEqs, { ...lifSpec, method: 'rk4', init: { V: -65 } });
    const a = instantiate(LIF, 1, {}), b = instantiate(LIF, 1, { tau: 20 });
    a.update(0, 0.1); b.update(0, 0.1);
    expect(b.V[0] - -65).toBeCloseTo((a.V[0] - -65) / 2, 3);
  });

  test('reset with += on several variables (adaptive neuron)', () => {
    const AdEx = defineNeuGroup(`
      dV/dt = (El - V - w * R) / tau : mV
      dw/dt = (a * (V - El) - w) / tau_w : nA
    `, {
      params: { El: -50, tau: 10, tau_w: 100, a: 0.01, b: 0.5, R: 10, Vth: -55, Vr: -65 },
      units: { El: 'mV', tau: 'ms', tau_w: 'ms', a: 'uS', b: 'nA', R: 'Mohm', Vth: 'mV', Vr: 'mV' },
      threshold: 'V > Vth', reset: 'V = Vr\nw += b', method: 'rk2', init: { V: -54.99 },
    });
    const m = instantiate(AdEx, 1);
    m.update(0, 0.1);
    expect(m.spike[0]).toBe(1);
    expect(m.V[0]).toBe(-65);
    expect(m.w[0]).toBeCloseTo(0.5, 3);
  });

  test('Hodgkin–Huxley with subexpressions, ** powers and per-area units fires at the textbook rate', () => {
    const hhEqs = `
      dV/dt = (I - INa - IK - IL) / C : mV
      INa = gNa * m**3 * h * (V - ENa) : uA/cm**2
      IK = gK * n**4 * (V - EK) : uA/cm**2
      IL = gL * (V - EL) : uA/cm**2
      dm/dt = alpha_m * (1 - m) - beta_m * m : 1
      dh/dt = alpha_h * (1 - h) - beta_h * h : 1
      dn/dt = alpha_n * (1 - n) - beta_n * n : 1
      alpha_m = 0.1/mV * (V + 40*mV) / (1 - exp(-(V + 40*mV) / (10*mV))) / ms : 1/ms
      beta_m = 4 * exp(-(V + 65*mV) / (18*mV)) / ms : 1/ms
      alpha_h = 0.07 * exp(-(V + 65*mV) / (20*mV)) / ms : 1/ms
      beta_h = 1 / (1 + exp(-(V + 35*mV) / (10*mV))) / ms : 1/ms
      alpha_n = 0.01/mV * (V + 55*mV) / (1 - exp(-(V + 55*mV) / (10*mV))) / ms : 1/ms
      beta_n = 0.125 * exp(-(V + 65*mV) / (80*mV)) / ms : 1/ms
      I : uA/cm**2
    `;
    const counts: Record<string, number> = {};
    for (const method of ['exp_euler', 'rk4']) {
      const HH = defineNeuGroup(hhEqs, {
        params: { C: 1, gNa: 120, gK: 36, gL: 0.3, ENa: 50, EK: -77, EL: -54.387, I: 10 },
        units: { C: 'uF/cm^2', gNa: 'mS/cm^2', gK: 'mS/cm^2', gL: 'mS/cm^2', ENa: 'mV', EK: 'mV', EL: 'mV' },
        threshold: 'V > 0*mV', refractory: '2*ms', method, init: { V: -65, m: 0.05, h: 0.6, n: 0.32 },
      });
      const m = instantiate(HH, 1);
      const dt = 0.02;
      let n = 0;
      for (let k = 0; k < 200 / dt; k++) { m.update(k * dt, dt); n += m.spike[0]; }
      counts[method] = n;
    }
    // ~68 Hz at 10 uA/cm^2
    expect(counts.rk4).toBeGreaterThanOrEqual(12);
    expect(counts.rk4).toBeLessThanOrEqual(15);
    expect(Math.abs(counts.exp_euler - counts.rk4)).toBeLessThanOrEqual(1);
    // a wrong conductance unit is caught
    expect(() => defineNeuGroup(hhEqs, {
      params: { C: 1, gNa: 120, gK: 36, gL: 0.3, ENa: 50, EK: -77, EL: -54.387 },
      units: { C: 'uF/cm^2', gNa: 'mS', gK: 'mS/cm^2', gL: 'mS/cm^2', ENa: 'mV', EK: 'mV', EL: 'mV' },
    })).toThrow(/line 3, .*INa = 'gNa \* m\*\*3 \* h \* \(V - ENa\)' has unit uA, expected uA\/cm\*\*2/);
  });

  test('noise xi: Euler–Maruyama OU statistics; Milstein for multiplicative noise; errors', () => {
    const { RNG } = require('../src/core/rng');
    const eqs = 'dV/dt = (mu - V) / tau + sigma * sqrt(2 / tau) * xi : mV\ndx/dt = -x / tau + s * x * xi_2 / sqrt(tau) : 1';
    const spec = { params: { mu: -60, tau: 10, sigma: 2, s: 0.3 }, units: { mu: 'mV', tau: 'ms', sigma: 'mV' }, init: { V: -60, x: 1 } };
    const OU = defineNeuGroup(eqs, { ...spec, method: 'euler' });
    expect(OU.bw.updateSource).toMatch(/this\.rng\.normal\(\)/);
    const N = 1000;
    const g: any = new OU(N);
    g.attachRng(new RNG(5));
    const view: any = Object.create(g);
    for (const k of Object.keys(g)) if (g[k] instanceof Variable) { g[k].allocate(k, 'float64'); view[k] = g[k].value; }
    const dt = 0.1;
    for (let k = 0; k < 200; k++) view.update(k * dt, dt);
    let s1 = 0, s2 = 0;
    for (let i = 0; i < N; i++) { s1 += view.V[i]; s2 += view.V[i] ** 2; }
    const mean = s1 / N, variance = s2 / N - mean * mean;
    // stationary OU: mean mu, variance sigma^2 (EM: sigma^2 (2 dt/tau) / (1 - (1 - dt/tau)^2))
    const a = 1 - dt / 10, vEM = 4 * (2 * dt / 10) / (1 - a * a) * (1 - a ** 400);
    expect(Math.abs(mean + 60)).toBeLessThan(4 * Math.sqrt(vEM / N));
    expect(Math.abs(variance - vEM)).toBeLessThan(5 * vEM * Math.sqrt(2 / N));
    const Mil = defineNeuGroup(eqs, { ...spec, method: 'milstein' });
    expect(Mil.bw.updateSource).toMatch(/0\.5 \* .*\(dW_xi_2 \* dW_xi_2 - dt\)/);
    expect(Mil.bw.updateSource).not.toMatch(/dW_xi \* dW_xi -/); // additive noise on V: no correction
    expect(() => defineNeuGroup(eqs, { ...spec, method: 'rk4' })).toThrow(/contain noise \(xi, xi_2\); method 'rk4' is deterministic/);
    expect(() => defineNeuGroup('dV/dt = -V / tau + xi * xi * mV : mV', { params: { tau: 10 }, units: { tau: 'ms' } })).toThrow(/must be linear in xi/);
    const u = eqError(() => defineNeuGroup('dV/dt = -V / tau + sigma * xi : mV', { params: { tau: 10, sigma: 1 }, units: { tau: 'ms', sigma: 'mV' } }));
    expect(u.message).toMatch(/cannot add '-V \/ tau' \(mV\/ms\) and 'sigma \* xi' \(mV\*ms\^-0.5\)/);
    expect(() => defineNeuGroup('dV/dt = -V / tau : mV', { params: { tau: 10 }, units: { tau: 'ms' }, threshold: 'V > xi * mV * ms**0.5' })).toThrow(/noise 'xi' may only appear in differential equations/);
    expect(eqError(() => parseEquations('dxi/dt = 1/ms : 1')).message).toMatch(/'xi' is a reserved name/);
  });

  test('errors: unknown method, threshold and reset', () => {
    expect(() => defineNeuGroup(lifEqs, { ...lifSpec, method: 'rk5' })).toThrow(/unknown method 'rk5'; valid methods: euler, midpoint/);
    const t1 = eqError(() => defineNeuGroup(lifEqs, { ...lifSpec, threshold: 'V > 5*ms' }));
    expect(t1.message).toMatch(/^threshold, line 1, column 1 .*cannot compare 'V' \(mV\) and '5\*ms' \(ms\)/);
    const t2 = eqError(() => defineNeuGroup(lifEqs, { ...lifSpec, threshold: 'V + Vth' }));
    expect(t2.message).toMatch(/must be a condition/);
    const t3 = eqError(() => defineNeuGroup(lifEqs, { ...lifSpec, threshold: 'V >> Vth' }));
    expect(t3.message).toMatch(/^threshold/);
    const r1 = eqError(() => defineNeuGroup(lifEqs, { ...lifSpec, reset: 'V = Vr; U = 3' }));
    expect(r1.message).toMatch(/'U' is not a variable of the equations/);
    expect(r1.offset).toBe(8);
    const r2 = eqError(() => defineNeuGroup(lifEqs, { ...lifSpec, reset: 'V = tau' }));
    expect(r2.message).toMatch(/'tau' is ms, but V is mV/);
    expect(r2.text).toBe('tau');
    const r3 = eqError(() => defineNeuGroup(lifEqs, { ...lifSpec, refractory: '2*mV' }));
    expect(r3.message).toMatch(/refractory '2\*mV' must be a time/);
    expect(() => defineNeuGroup(lifEqs, { ...lifSpec, units: { ...lifSpec.units, Q: 'mV' } })).toThrow(/units.Q is given but params.Q has no value/);
    const u = eqError(() => defineNeuGroup(lifEqs, { ...lifSpec, units: { ...lifSpec.units, tau: 's' } }));
    expect(u.message).toMatch(/dV\/dt = .* has unit/);
  });
});

describe('defineNeuGroup inside a Network (compiled and interpreted agree)', () => {
  const { Network } = require('../src') as typeof import('../src');
  const adexSpec = {
    params: { El: -70, VT: -50, DeltaT: 2, tau: 20, tau_w: 100, a: 0.002, b: 0.06, R: 500, Vth: -40, Vr: -58 },
    units: { El: 'mV', VT: 'mV', DeltaT: 'mV', tau: 'ms', tau_w: 'ms', a: 'uS', b: 'nA', R: 'Mohm', Vth: 'mV', Vr: 'mV' },
    threshold: 'V > Vth', reset: 'V = Vr; w += b', refractory: 2, method: 'exp_euler',
    init: { V: -70, I: (i: number) => 0.05 + 0.02 * i }, name: 'AdEx',
  };
  const AdEx = defineNeuGroup(`
    dV/dt = (El - V + DeltaT * exp((V - VT) / DeltaT) - R * w + R * I) / tau : mV (unless refractory)
    dw/dt = (a * (V - El) - w) / tau_w : nA
    I : nA
  `, adexSpec);

  test('noisy LIF (xi): the same random numbers in compiled and interpreted runs', async () => {
    const Noisy = defineNeuGroup('dV/dt = (El - V) / tau + sigma * sqrt(2 / tau) * xi : mV', {
      params: { El: -60, tau: 10, sigma: 5, Vth: -55, Vr: -65 }, units: { El: 'mV', tau: 'ms', sigma: 'mV', Vth: 'mV', Vr: 'mV' },
      threshold: 'V > Vth', reset: 'V = Vr', refractory: 1, init: { V: -60 },
    });
    const res: { V: Float64Array; count: number }[] = [];
    for (const jit of [true, false]) {
      const N: any = new Noisy(20);
      const net = new Network({ N }, { precision: 'float64', seed: 123 });
      const r = await net.run(200, { dt: 0.1, jit, monitors: ['N.spike'] });
      res.push({ V: Float64Array.from(N.V.value), count: (r.monitors['N.spike'] as any).count });
    }
    expect(res[0].count).toBeGreaterThan(10);
    expect(res[0].count).toBe(res[1].count);
    for (let i = 0; i < 20; i++) expect(res[0].V[i]).toBeCloseTo(res[1].V[i], 9);
  });

  test.each(['euler', 'rk4', 'exp_euler'])('AdEx spikes and states match between jit true and false (%s)', async (method) => {
    const Cls = method === 'exp_euler' ? AdEx : defineNeuGroup(AdEx.bw.equations.text, { ...adexSpec, method });
    const out: { V: Float64Array; w: Float64Array; n: number[] }[] = [];
    for (const jit of [true, false]) {
      const N: any = new Cls(5, { tau: 25 });
      const net = new Network({ N }, { precision: 'float64', seed: 1 });
      const r = await net.run(300, { dt: 0.05, jit, monitors: ['N.spike'] });
      const sp: any = r.monitors['N.spike'];
      expect(N.tau).toBe(25);
      out.push({ V: Float64Array.from(N.V.value), w: Float64Array.from(N.w.value), n: [sp.count] });
    }
    expect(out[0].n[0]).toBeGreaterThan(5);
    expect(out[0].n).toEqual(out[1].n);
    for (let i = 0; i < 5; i++) {
      expect(out[0].V[i]).toBeCloseTo(out[1].V[i], 8);
      expect(out[0].w[i]).toBeCloseTo(out[1].w[i], 10);
    }
  });
});

test('the built-in ms unit equals the parsed one (it is built by hand so importing does not load mathjs)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { MS, parseUnit } = require('../src/integrators/units');
  expect(MS.equals(parseUnit('ms'))).toBe(true);
});
