/**
 * The grammar of random model code for the differential tests (test/differential-*.test.ts): expressions
 * of the kinds models write, from a seeded generator, so a failing case can be rebuilt from its seed.
 */

/** mulberry32: a small seeded generator, so a failing model can be rebuilt from its seed */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LITS = ['0', '1', '(-1)', '2', '0.5', '3', '(-0.25)', '7', '1e-3', '2.5'];
const MATH1 = ['abs', 'floor', 'ceil', 'round', 'trunc', 'sqrt', 'exp', 'log', 'sin', 'cos', 'tanh', 'sign', 'fround', 'atan'];
const MATH2 = ['min', 'max', 'pow', 'atan2'];
const ARITH = ['+', '-', '*', '/', '%'];
const INT = ['|', '&', '^', '<<', '>>', '>>>'];
export const COMPOUND = ['+=', '-=', '*=', '/=', '%=', '|=', '&=', '^=', '<<=', '>>=', '>>>=', '**='];
const CMP = ['<', '>', '<=', '>=', '===', '!==', '==', '!='];

export class Gen {
  constructor(private r: () => number, private nums: string[], private bools: string[]) {}
  private pick<T>(xs: T[]): T { return xs[Math.floor(this.r() * xs.length)]; }
  num(d: number): string {
    const r = this.r();
    if (d <= 0 || r < 0.25) {
      const q = this.r();
      // the random stream: draws must come in the same order, and only where JavaScript evaluates them
      if (q < 0.04) return this.pick(['this.rng.uniform()', 'this.rng.normal()', 'this.rng.uniform(-1, 2)']);
      return q < 0.5 ? this.pick(this.nums) : this.pick(LITS);
    }
    if (r < 0.29) return `this.${this.pick(['h', 'k'])}(${this.num(d - 1)}, ${this.num(d - 1)})`; // helpers
    if (r < 0.5) return `(${this.num(d - 1)} ${this.pick(ARITH)} ${this.num(d - 1)})`;
    if (r < 0.6) return `Math.${this.pick(MATH1)}(${this.num(d - 1)})`;
    if (r < 0.67) return `Math.${this.pick(MATH2)}(${this.num(d - 1)}, ${this.num(d - 1)})`;
    if (r < 0.77) return `(${this.bool(d - 1)} ? ${this.num(d - 1)} : ${this.num(d - 1)})`;
    if (r < 0.85) return `(${this.num(d - 1)} ${this.pick(INT)} ${this.pick(['1', '3', '7', '0', ...this.nums.filter((n) => n === 'z')])})`;
    if (r < 0.9) return `(- ${this.num(d - 1)})`;
    if (r < 0.95) return `(${this.num(d - 1)} ** ${this.pick(['2', '0.5', '3', '(-1)'])})`;
    return `(~${this.num(d - 1)})`;
  }
  bool(d: number): string {
    const r = this.r();
    if (d <= 0 || r < 0.3) return this.r() < 0.4 ? this.pick(this.bools) : `(${this.num(Math.max(0, d - 1))} ${this.pick(CMP)} ${this.num(Math.max(0, d - 1))})`;
    if (r < 0.5) return `(${this.bool(d - 1)} ${this.pick(['&&', '||'])} ${this.bool(d - 1)})`;
    if (r < 0.6) return `(!${this.bool(d - 1)})`;
    if (r < 0.8) return `(${this.bool(d - 1)} ${this.pick(['===', '!=='])} ${this.pick(['true', 'false'])})`;
    return `(${this.bool(d - 1)} ${this.pick(['===', '!=='])} ${this.bool(d - 1)})`;
  }
}

