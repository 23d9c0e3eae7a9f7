/**
 * Physical units for equation strings (Brian2 style), built on mathjs's unit system.
 *
 * A `Unit` is a dimension vector (exponents of kg, m, s, A, K, cd, mol, rad, bit — mathjs's order) and a
 * scale to SI. Numbers in generated code are expressed in each quantity's declared unit, so:
 * - adding, subtracting or comparing needs the same dimension AND the same scale (`mV + V` is refused,
 *   with a message naming the factor, instead of silently mixing scales);
 * - multiplying/dividing multiplies/divides scales; `dX/dt` must have X's unit per ms (time is in ms):
 *   `nS * mV / pF` is accepted for `dV/dt : mV` because it equals mV/ms exactly;
 * - a unit name inside an expression (`-65*mV`) is the number 1 in that unit; there, only prefixed symbols
 *   (`mV`, `ms`, `nS`, `cm`, `Mohm`, `Hz`) and long names (`volt`, `mvolt`, `second`) count as units, and names
 *   declared in the equations or given as parameters take precedence.
 *
 * Accepted names: anything mathjs knows (`mV`, `ms`, `nS`, `pF`, `pA`, `uS`, `Hz`, `ohm`, `mV/ms`, `volt`,
 * `second`, ...), `1` for dimensionless, and Brian2's long forms with short prefixes (`mvolt`, `nsiemens`,
 * `pfarad`, `msecond`, `namp`, `umetre`, `hertz`).
 */
import { math, M } from './mathjs';
import { BrainweaveError } from '../core/errors';

const NDIM = 9;
const BASE = ['kg', 'm', 's', 'A', 'K', 'cd', 'mol', 'rad', 'bit'];

export class Unit {
  constructor(readonly dims: readonly number[], readonly scale: number, readonly label?: string) {}

  get dimensionless(): boolean { return this.dims.every((d) => d === 0); }
  sameDimension(o: Unit): boolean { return this.dims.every((d, k) => Math.abs(d - o.dims[k]) < 1e-12); }
  /** Same dimension and same scale (relative 1e-9). */
  equals(o: Unit): boolean { return this.sameDimension(o) && Math.abs(this.scale - o.scale) <= 1e-9 * Math.max(Math.abs(this.scale), Math.abs(o.scale)); }
  mul(o: Unit): Unit { return new Unit(this.dims.map((d, k) => d + o.dims[k]), this.scale * o.scale); }
  div(o: Unit): Unit { return new Unit(this.dims.map((d, k) => d - o.dims[k]), this.scale / o.scale); }
  pow(p: number): Unit { return new Unit(this.dims.map((d) => d * p), Math.pow(this.scale, p)); }
  withLabel(label: string): Unit { return new Unit(this.dims, this.scale, label); }
  toString(): string { return this.label ?? formatUnit(this); }
}

export const DIMENSIONLESS = new Unit(new Array(NDIM).fill(0), 1, '1');

const LONG: Record<string, string> = {
  volt: 'V', second: 's', amp: 'A', ampere: 'A', siemens: 'S', farad: 'F', ohm: 'ohm', metre: 'm', meter: 'm',
  hertz: 'Hz', mole: 'mol', gram: 'g', kilogram: 'kg', coulomb: 'C', joule: 'J', watt: 'W', kelvin: 'K',
};
const PREFIX: Record<string, string> = { y: 'y', z: 'z', a: 'a', f: 'f', p: 'p', n: 'n', u: 'u', m: 'm', c: 'c', d: 'd', k: 'k', M: 'M', G: 'G' };

/** mathjs name for one unit word (Brian2 long forms mapped to short symbols). */
function mapWord(w: string): string {
  if (LONG[w]) return LONG[w];
  const m = /^(y|z|a|f|p|n|u|m|c|d|k|M|G)(volt|second|amp|ampere|siemens|farad|ohm|metre|meter|hertz|mole|gram|coulomb|joule|watt)$/.exec(w);
  if (m) return PREFIX[m[1]] + LONG[m[2]];
  return w;
}

const cache = new Map<string, Unit>();

/** Parses a unit expression ('mV', 'mV/ms', 'nS', '1', '1/ms', 'volt'). Throws BrainweaveError. */
export function parseUnit(text: string, where = 'unit'): Unit {
  const s = text.trim();
  const hit = cache.get(s);
  if (hit) return hit;
  let u: Unit;
  try {
    u = unitTree(math.parse(s.replace(/\*\*/g, '^'))).withLabel(s);
  } catch {
    throw new BrainweaveError(`${where}: unknown unit '${s}' (use names like mV, ms, nS, pF, pA, Hz, mV/ms, or 1 for dimensionless)`);
  }
  cache.set(s, u);
  return u;
}

/** Unit of a parsed unit expression: words, numbers (only 1), *, /, ^ with a numeric exponent, parentheses. */
function unitTree(n: any): Unit {
  switch (n.type) {
    case 'ParenthesisNode': return unitTree(n.content);
    case 'ConstantNode':
      if (n.value === 1) return DIMENSIONLESS;
      throw new Error('number');
    case 'SymbolNode': {
      const mu = math.unit(1, mapWord(n.name)) as any;
      const dims = mu.dimensions as number[], value = mu.value as number;
      if (!Array.isArray(dims) || typeof value !== 'number' || !Number.isFinite(value)) throw new Error('not a unit');
      return new Unit(dims.slice(), value);
    }
    case 'OperatorNode':
      if (n.fn === 'multiply') return unitTree(n.args[0]).mul(unitTree(n.args[1]));
      if (n.fn === 'divide') return unitTree(n.args[0]).div(unitTree(n.args[1]));
      if (n.fn === 'pow') {
        const p = numericConstant(n.args[1]);
        return unitTree(n.args[0]).pow(p);
      }
      throw new Error('operator');
    default:
      throw new Error('syntax');
  }
}

/**
 * The value of a tree made only of numbers, parentheses and + - * / ^ (an exponent such as `-0.5` or
 * `(-1/2)`). Unit strings come from data, so they are never handed to mathjs's evaluate(), which would
 * also run functions such as createUnit or import on the shared mathjs instance.
 */
export function numericConstant(n: any): number {
  switch (n.type) {
    case 'ConstantNode':
      if (typeof n.value === 'number') return n.value;
      throw new Error('not a number');
    case 'ParenthesisNode': return numericConstant(n.content);
    case 'OperatorNode': {
      const a = n.args.map(numericConstant);
      switch (n.fn) {
        case 'unaryMinus': return -a[0];
        case 'unaryPlus': return a[0];
        case 'add': return a[0] + a[1];
        case 'subtract': return a[0] - a[1];
        case 'multiply': return a[0] * a[1];
        case 'divide': return a[0] / a[1];
        case 'pow': return Math.pow(a[0], a[1]);
        default: throw new Error(`operator ${n.fn}`);
      }
    }
    default: throw new Error(`not a number: ${n.type}`);
  }
}

/** Is `name` a unit symbol usable inside an expression (e.g. `mV` in `-65*mV`)? */
export function unitSymbol(name: string): Unit | null {
  // only prefixed SI symbols (mV, ms, nS, cm, Mohm...) and long names (volt, mvolt, second): a forgotten
  // parameter `a` or `h` must read as an unknown name, not as mathjs's 'are' or 'hour'
  const short = /^(y|z|a|f|p|n|u|m|c|d|k|M|G)?(V|s|A|S|F|ohm|Hz|m|mol|g|C|J|W|K|L)$/.test(name) && name.length >= 2;
  if (!short && mapWord(name) === name) return null;
  try { return parseUnit(name); } catch { return null; }
}

/** The unit of time in equations and of t and dt. */
/** Milliseconds, built directly (not parsed) so that importing this module does not load mathjs. */
export const MS = new Unit([0, 0, 1, 0, 0, 0, 0, 0, 0], 1e-3, 'ms');

const NAMED = ['V', 's', 'A', 'S', 'F', 'ohm', 'mol', 'm', 'g', 'C', 'W', 'J'];
const PREFIXES = ['m', '', 'u', 'n', 'p', 'f', 'k', 'M', 'G'];
let candidates: [string, Unit][] | null = null;

/** A readable name for a derived unit: a prefixed common unit (or one per ms / times ms), else SI base units. */
export function formatUnit(u: Unit): string {
  if (u.dimensionless && Math.abs(u.scale - 1) < 1e-12) return '1';
  if (!candidates) {
    candidates = [['1/ms', parseUnit('1/ms')], ['Hz', parseUnit('Hz')], ['ms^-0.5', parseUnit('ms^-0.5')]];
    for (const form of ['X', 'X/ms', 'X*ms', 'X*ms^-0.5']) {
      for (const b of NAMED) for (const p of PREFIXES) {
        const name = form.replace('X', p + b);
        try { candidates.push([name, parseUnit(name)]); } catch { /* not a mathjs unit */ }
      }
    }
  }
  for (const [name, c] of candidates) if (c.equals(u)) return name;
  const parts = u.dims.map((d, k) => (d === 0 ? '' : d === 1 ? BASE[k] : `${BASE[k]}^${+d.toFixed(6)}`)).filter(Boolean);
  const sc = Math.abs(u.scale - 1) < 1e-9 ? '' : `${+u.scale.toPrecision(6)} `;
  return (sc + (parts.join(' ') || '1')).trim();
}
