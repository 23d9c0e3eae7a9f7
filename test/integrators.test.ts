import * as acorn from 'acorn';
import { RNG } from '../src/core/rng';
import { methodOrder, odeint, ODE_METHODS, sdeint } from '../src/integrators';

/** Least-squares slope of log(err) against log(dt). */
function slope(dts: number[], errs: number[]): number {
  const xs = dts.map(Math.log), ys = errs.map(Math.log);
  const mx = xs.reduce((a, b) => a + b) / xs.length, my = ys.reduce((a, b) => a + b) / ys.length;
  let num = 0, den = 0;
  for (let i = 0; i < xs.length; i++) { num += (xs[i] - mx) * (ys[i] - my); den += (xs[i] - mx) ** 2; }
  return num / den;
}

class Scalar {
  x0 = 0.3;
  /** dx/dt = -x + sin t;  x(t) = (sin t - cos t)/2 + (x0 + 1/2) e^{-t} */
  derivative(x: number, t: number) { return -x + Math.sin(t); }
  exact(t: number) { return (Math.sin(t) - Math.cos(t)) / 2 + (this.x0 + 0.5) * Math.exp(-t); }
}

class Rotation {
  omega = 1.3;
  /** dx/dt = -ω y, dy/dt = ω x: rotation at angular speed ω. */
  derivative(x: number, y: number, t: number) {
    const dx = -this.omega * y;
    const dy = this.omega * x;
    return [dx, dy];
  }
}

const RK = ['euler', 'midpoint', 'rk2', 'heun', 'ralston2', 'rk3', 'ralston3', 'rk4', 'rk4_38rule'];
const T = 2;

function scalarError(method: string, dt: number): number {
  const m = new Scalar();
  const integ = odeint(m.derivative, { method });
  const n = Math.round(T / dt);
  let x = m.x0;
  for (let k = 0; k < n; k++) x = integ.call(m, x, k * dt, dt);
  return Math.abs(x - m.exact(n * dt));
}

function rotationError(method: string, dt: number): number {
  const m = new Rotation();
  const integ = odeint(m.derivative, { method });
  const n = Math.round(T / dt);
  let x = 1, y = 0;
  for (let k = 0; k < n; k++) [x, y] = integ.call(m, x, y, k * dt, dt);
  const th = m.omega * n * dt;
  return Math.hypot(x - Math.cos(th), y - Math.sin(th));
}

describe('odeint: global order of accuracy', () => {
  const dts = [0.1, 0.05, 0.025, 0.0125];
  const fine = [0.05, 0.025, 0.0125, 0.00625];
  test.each(RK)('%s on dx/dt = -x + sin t', (method) => {
    const p = methodOrder(method);
    const s = slope(fine, fine.map((dt) => scalarError(method, dt)));
    expect(Math.abs(s - p)).toBeLessThan(0.15);
  });
  test.each(RK)('%s on the 2-D rotation system (array return)', (method) => {
    const p = methodOrder(method);
    const s = slope(dts, dts.map((dt) => rotationError(method, dt)));
    expect(Math.abs(s - p)).toBeLessThan(0.15);
  });
  test('orders are 1, 2, 2, 3, 4 for euler, midpoint, heun, rk3, rk4', () => {
    expect(['euler', 'midpoint', 'heun', 'rk3', 'rk4'].map(methodOrder)).toEqual([1, 2, 2, 3, 4]);
  });
  test.each(['exp_euler', 'exp_auto'])('%s is first order on a non-autonomous ODE', (method) => {
    const s = slope(dts, dts.map((dt) => scalarError(method, dt)));
    expect(Math.abs(s - 1)).toBeLessThan(0.15);
  });
});

describe('odeint: exponential Euler', () => {
  class Leaky {
    tau = 10; a = -65;
    derivative(V: number, t: number, I: number) { return (this.a - V + I) / this.tau; }
  }
  test('exact for the linear ODE dx/dt = (a - x)/tau at any step', () => {
    const m = new Leaky();
    const integ = odeint(m.derivative, { method: 'exp_euler' });
    for (const dt of [0.01, 0.1, 1, 5, 50]) {
      let V = 0;
      const n = 7;
      for (let k = 0; k < n; k++) V = integ.call(m, V, k * dt, 3, dt);
      const exact = (m.a + 3) + (0 - m.a - 3) * Math.exp(-n * dt / m.tau);
      expect(Math.abs(V - exact)).toBeLessThan(1e-10 * Math.max(1, Math.abs(exact)));
    }
  });
  test('B → 0 reduces to Euler without dividing by zero', () => {
    class Flat { k = 0; derivative(x: number, t: number) { return 2 + this.k * x; } }
    const m = new Flat();
    const integ = odeint(m.derivative, 'exp_euler');
    expect(integ.call(m, 1, 0, 0.5)).toBeCloseTo(2, 14);
    m.k = 1e-12;
    expect(integ.call(m, 1, 0, 0.5)).toBeCloseTo(2, 10);
  });
  test('handles const definitions and arrays (FitzHugh–Nagumo); ∂/∂V is symbolic', () => {
    class FHN {
      a = 0.7; b = 0.8; tau = 12.5;
      derivative(V: number, w: number, t: number, I: number) {
        const dV = V - V * V * V / 3 - w + I;
        const dw = (V + this.a - this.b * w) / this.tau;
        return [dV, dw];
      }
    }
    const m = new FHN();
    const integ = odeint(m.derivative, { method: 'exp_auto' });
    expect(integ.toString()).toContain('Math.pow(V, 2)');
    const [V1, w1] = integ.call(m, 1, 0.2, 0, 0.5, 0.01);
    const [dV, dw] = m.derivative(1, 0.2, 0, 0.5);
    const BV = 1 - 1, Bw = -m.b / m.tau;
    expect(V1).toBeCloseTo(1 + 0.01 * dV * (BV === 0 ? 1 : 1), 12);
    expect(w1).toBeCloseTo(0.2 + Math.expm1(Bw * 0.01) / Bw * dw, 14);
    // a stiff linear decay stays stable where Euler explodes
    class Stiff { derivative(x: number, t: number) { return -1000 * x; } }
    const s = new Stiff();
    expect(Math.abs(odeint(s.derivative, 'exp_euler').call(s, 1, 0, 0.1))).toBeLessThan(1e-40);
    expect(Math.abs(odeint(s.derivative, 'euler').call(s, 1, 0, 0.1))).toBeGreaterThan(10);
  });
  test('unsupported derivative bodies give a clear error', () => {
    class Branchy { derivative(x: number, t: number) { if (x > 0) return -x; return x; } }
    expect(() => odeint(new Branchy().derivative, 'exp_euler')).toThrow(/exp_euler.*cannot read 'derivative' symbolically.*unsupported statement 'if \(x > 0\)/);
    class Calls { g(x: number) { return x; } derivative(x: number, t: number) { return this.g(x); } }
    expect(() => odeint(new Calls().derivative, 'exp_euler')).toThrow(/unsupported call 'this.g\(x\)'/);
    // other methods do not need to read the body
    const c = new Calls();
    expect(odeint(c.derivative, 'rk4').call(c, 1, 0, 0.1)).toBeCloseTo(Math.exp(0.1), 6);
  });
});

describe('odeint: the generated integral', () => {
  class LIF {
    tau = 10;
    derivative(V: number, t: number, Iext: number) { return (-V + Iext) / this.tau; }
    integral = odeint(this.derivative, { method: 'rk4' });
  }
  test('is marked for the compiler and its source is a method the compiler can parse', () => {
    const m = new LIF();
    expect((m.integral as any).bwCompile).toBe(true);
    expect(Object.prototype.hasOwnProperty.call(m, 'integral')).toBe(true);
    const src = m.integral.toString();
    const prog: any = acorn.parse(`({ ${src} })`, { ecmaVersion: 'latest' });
    const prop = prog.body[0].expression.properties[0];
    expect(prop.method).toBe(true);
    expect(prop.value.params.map((p: any) => p.name)).toEqual(['V', 't', 'Iext', 'dt']);
    expect(src).toContain('this.derivative(');
    expect(m.integral.bwIntegral).toMatchObject({ kind: 'ode', method: 'rk4', order: 4, f: 'derivative', vars: ['V'], args: ['Iext'] });
  });
  test('called as this.integral(...) it uses the model as this', () => {
    const m = new LIF();
    const v = m.integral(0, 0, 2, 0.1);
    m.tau = 5;
    expect(m.integral(0, 0, 2, 0.1)).toBeGreaterThan(v);
  });
  test('every method has the (x..., t, args..., dt) signature', () => {
    for (const method of ODE_METHODS) {
      const integ = odeint(new Rotation().derivative, { method });
      expect(integ.bwIntegral.params).toEqual(['x', 'y', 't', 'dt']);
      expect(integ.length).toBe(4);
    }
  });
  test('dt option gives the trailing dt a default', () => {
    const m = new LIF();
    const integ = odeint(m.derivative, { method: 'euler', dt: 0.5 });
    expect(integ.call(m, 0, 0, 2)).toBeCloseTo(0.1, 14);
    expect(integ.call(m, 0, 0, 2, 1)).toBeCloseTo(0.2, 14);
  });
  test('a parameter named dt in f does not clash with the step', () => {
    class P { derivative(x: number, t: number, dt: number) { return dt; } }
    const p = new P();
    const integ = odeint(p.derivative, 'heun');
    expect(integ.bwIntegral.params).toEqual(['x', 't', 'dt', '_dt']);
    expect(integ.call(p, 1, 0, 3, 0.5)).toBeCloseTo(2.5, 14);
  });
});

describe('odeint: errors', () => {
  test('arrow functions and function expressions are rejected', () => {
    expect(() => odeint((x: number, t: number) => -x)).toThrow(/named method of the model class/);
    class F { derivative = (x: number, t: number) => -x; }
    expect(() => odeint(new F().derivative)).toThrow(/'derivative' is an arrow function; the derivative must be a method on the model class/);
    const g = function deriv(x: number, t: number) { return -x; };
    expect(() => odeint(g)).toThrow(/'deriv' is a function expression/);
    expect(() => odeint(Math.sin as any)).toThrow(/plain method/);
    expect(() => odeint(42 as any)).toThrow(/expected a method of the model/);
  });
  test('unknown method lists the valid ones', () => {
    expect(() => odeint(new Scalar().derivative, { method: 'rk45' })).toThrow(/unknown method 'rk45'; valid methods: euler, midpoint, heun.*rk4.*exp_euler, exp_auto/);
  });
  test('missing t, nothing before t, wrong return count', () => {
    class A { derivative(x: number, time: number) { return -x; } }
    expect(() => odeint(new A().derivative)).toThrow(/has no parameter named 't'/);
    class B { derivative(t: number) { return 1; } }
    expect(() => odeint(new B().derivative)).toThrow(/no state variable before 't'/);
    class C { derivative(x: number, y: number, t: number) { return -x; } }
    expect(() => odeint(new C().derivative, 'exp_euler')).toThrow(/2 state variable\(s\) \(x, y\) but returns 1 value/);
  });
});

describe('sdeint', () => {
  test('Euler–Maruyama on an OU process matches the theoretical mean and variance', () => {
    class OU {
      theta = 1; mu = 0.5; sigma = 0.3; rng = new RNG(42);
      f(x: number, t: number) { return this.theta * (this.mu - x); }
      g(x: number, t: number) { return this.sigma; }
    }
    const m = new OU();
    const integ = sdeint(m.f, m.g, { method: 'euler' });
    const N = 10000, h = 0.02, steps = 50, x0 = 2;
    let s1 = 0, s2 = 0;
    for (let p = 0; p < N; p++) {
      let x = x0;
      for (let k = 0; k < steps; k++) x = integ.call(m, x, k * h, h);
      s1 += x; s2 += x * x;
    }
    const mean = s1 / N, variance = s2 / N - mean * mean;
    // exact moments of the EM recursion x' = (1 - θh) x + θμh + σ√h ξ
    const a = 1 - m.theta * h;
    const mTheory = m.mu + (x0 - m.mu) * a ** steps;
    const vTheory = m.sigma ** 2 * h * (1 - a ** (2 * steps)) / (1 - a * a);
    expect(Math.abs(mean - mTheory)).toBeLessThan(4 * Math.sqrt(vTheory / N));
    expect(Math.abs(variance - vTheory)).toBeLessThan(4 * vTheory * Math.sqrt(2 / N));
    // and the continuous OU process within the O(h) bias
    const Tt = steps * h;
    expect(Math.abs(mean - (m.mu + (x0 - m.mu) * Math.exp(-m.theta * Tt)))).toBeLessThan(0.01);
    expect(Math.abs(variance - m.sigma ** 2 / (2 * m.theta) * (1 - Math.exp(-2 * m.theta * Tt)))).toBeLessThan(0.003);
  });

  test('Milstein has strong order 1, Euler–Maruyama 1/2, on geometric Brownian motion', () => {
    // feeds the integral the normals we choose, so the exact solution uses the same Brownian path
    const queue: number[] = [];
    class GBM {
      mu = 0.5; sigma = 0.8;
      rng = { normal: () => queue.shift()! };
      f(x: number, t: number) { return this.mu * x; }
      g(x: number, t: number) { return this.sigma * x; }
    }
    const m = new GBM();
    const em = sdeint(m.f, m.g, { method: 'euler' });
    const mil = sdeint(m.f, m.g, { method: 'milstein' });
    expect(mil.toString()).toContain('0.5 * g1_x * this.sigma');
    const src = new RNG(7);
    const dts = [1 / 8, 1 / 16, 1 / 32, 1 / 64, 1 / 128];
    const M = 1500;
    const errEM: number[] = [], errMil: number[] = [];
    for (const h of dts) {
      const n = Math.round(1 / h);
      let eE = 0, eM = 0;
      for (let p = 0; p < M; p++) {
        const xi = Array.from({ length: n }, () => src.normal());
        const W = xi.reduce((a, b) => a + b, 0) * Math.sqrt(h);
        const exact = Math.exp((m.mu - m.sigma ** 2 / 2) + m.sigma * W);
        let x = 1; queue.push(...xi);
        for (let k = 0; k < n; k++) x = em.call(m, x, k * h, h);
        eE += Math.abs(x - exact);
        x = 1; queue.push(...xi);
        for (let k = 0; k < n; k++) x = mil.call(m, x, k * h, h);
        eM += Math.abs(x - exact);
      }
      errEM.push(eE / M); errMil.push(eM / M);
    }
    const sE = slope(dts, errEM), sM = slope(dts, errMil);
    expect(sE).toBeGreaterThan(0.3); expect(sE).toBeLessThan(0.75);
    expect(sM).toBeGreaterThan(0.8); expect(sM).toBeLessThan(1.25);
    for (let i = 0; i < dts.length; i++) expect(errMil[i]).toBeLessThan(errEM[i]);
  });

  test('additive noise: Milstein is Euler–Maruyama (same numbers from the same seed)', () => {
    class Add { rng = new RNG(3); f(x: number, y: number, t: number) { return [-x, -y]; } g(x: number, y: number, t: number) { return [0.2, 0.1]; } }
    const a = new Add(), b = new Add();
    const em = sdeint(a.f, a.g, 'euler'), mil = sdeint(a.f, a.g, 'milstein');
    expect(mil.toString()).not.toContain('0.5 *');
    for (let k = 0; k < 5; k++) expect(mil.call(b, 1, 2, 0, 0.1)).toEqual(em.call(a, 1, 2, 0, 0.1));
  });

  test('errors', () => {
    class S { f(x: number, t: number) { return -x; } g(x: number, t: number, I: number) { return I; } }
    const s = new S();
    expect(() => sdeint(s.f, s.g)).toThrow(/must take the same parameters/);
    expect(() => sdeint(s.f, s.f, { method: 'heun' })).toThrow(/unknown method 'heun'; valid methods: euler, milstein/);
    expect(() => sdeint(s.f, (x: number, t: number) => 1)).toThrow(/named method/);
  });
});

describe('odeint/sdeint inside a Network (compiled and interpreted agree)', () => {
  // imported lazily so the rest of this file does not depend on the network/compiler
  const { Network, NeuGroup, Variable } = require('../src') as typeof import('../src');

  class FHN extends NeuGroup {
    a = 0.7; b = 0.8; tau = 12.5; Iext = 0.6; sigma = 0.05;
    V = new Variable(this.num, { init: (i: number) => -1 + 0.1 * i });
    w = new Variable(this.num, { init: 1 });
    u = new Variable(this.num, { init: 0 });
    x = new Variable(this.num, { init: 1 });
    derivative(V: number, w: number, t: number, I: number) {
      const dV = V - V * V * V / 3 - w + I;
      const dw = (V + this.a - this.b * w) / this.tau;
      return [dV, dw];
    }
    leak(u: number, t: number) { return (this.Iext - u) / this.tau; }
    drift(x: number, t: number) { return -x / this.tau; }
    noise(x: number, t: number) { return this.sigma * x; }
    integral = odeint(this.derivative, { method: 'rk4' });
    integralExp = odeint(this.leak, { method: 'exp_euler' });
    integralSde = sdeint(this.drift, this.noise, { method: 'milstein' });
    update(t: number, dt: number) {
      for (let i = 0; i < this.num; i++) {
        const [V, w] = this.integral(this.V[i], this.w[i], t, this.Iext, dt);
        this.V[i] = V;
        this.w[i] = w;
        this.u[i] = this.integralExp(this.u[i], t, dt);
        this.x[i] = this.integralSde(this.x[i], t, dt);
      }
    }
  }

  test('same states with jit true and false', async () => {
    const results: Record<string, Float64Array>[] = [];
    for (const jit of [true, false]) {
      const N = new FHN(4);
      const net = new Network({ N }, { precision: 'float64', seed: 11 });
      await net.run(50, { dt: 0.05, jit });
      results.push({ V: Float64Array.from(N.V.value), w: Float64Array.from(N.w.value), u: Float64Array.from(N.u.value), x: Float64Array.from(N.x.value) });
    }
    for (const k of ['V', 'w', 'u', 'x']) {
      for (let i = 0; i < 4; i++) expect(results[0][k][i]).toBeCloseTo(results[1][k][i], 10);
    }
    // u follows the exact solution of du/dt = (Iext - u)/tau (exp_euler is exact here)
    expect(results[0].u[0]).toBeCloseTo(0.6 * (1 - Math.exp(-50 / 12.5)), 10);
    expect(results[0].x[0]).not.toBe(results[0].x[1]); // independent noise per element
  });

  test.each([...ODE_METHODS])('%s: a 2-variable model compiles and matches interpreted mode', async (method) => {
    class Osc extends NeuGroup {
      a = 0.7; b = 0.8; tau = 12.5;
      V = new Variable(this.num, { init: (i: number) => -1 + 0.5 * i });
      w = new Variable(this.num, { init: 0.5 });
      derivative(V: number, w: number, t: number, I: number) {
        const dV = V - V * V * V / 3 - w + I;
        return [dV, (V + this.a - this.b * w) / this.tau];
      }
      integral = odeint(this.derivative, { method });
      update(t: number, dt: number) {
        for (let i = 0; i < this.num; i++) {
          const [V, w] = this.integral(this.V[i], this.w[i], t, 0.5 + 0.1 * Math.sin(t), dt);
          this.V[i] = V;
          this.w[i] = w;
        }
      }
    }
    const out: number[][] = [];
    for (const jit of [true, false]) {
      const N = new Osc(3);
      await new Network({ N }, { precision: 'float64' }).run(10, { dt: 0.05, jit });
      out.push([...N.V.value, ...N.w.value]);
    }
    out[0].forEach((v, k) => expect(v).toBeCloseTo(out[1][k], 10));
  });
});

test('integrals are built once per method and shared by instances', () => {
  class Lin { tau = 5; derivative(x: number, t: number) { return -x / this.tau; } integral = odeint(this.derivative, 'exp_euler'); }
  const a = new Lin(), b = new Lin();
  expect(a.integral).toBe(b.integral);
  b.tau = 10;
  expect(a.integral(1, 0, 1)).toBeCloseTo(Math.exp(-1 / 5), 14);
  expect(b.integral(1, 0, 1)).toBeCloseTo(Math.exp(-1 / 10), 14);
  expect(odeint(a.derivative, 'rk4')).not.toBe(a.integral);
});
