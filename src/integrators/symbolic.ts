/**
 * Reading derivative methods and doing the symbolic work the integrators need.
 *
 * - `methodInfo(f)` parses `f.toString()` with acorn (method sources are wrapped as `({ <src> })`) and returns
 *   its name, parameter names and body; it rejects arrows and plain functions, because the integral calls
 *   `this.<name>(...)` and so needs a method of the model.
 * - `returnExpressions(f)` turns a derivative body made of `const`/`let` definitions and one final
 *   `return expr;` / `return [e1, e2];` into mathjs expression trees (definitions substituted).
 * - `partial(node, x)` is mathjs's symbolic derivative; `toJs(node)` prints a mathjs tree back as JavaScript
 *   that uses only the method's parameters, `this.<field>`, `Math.*` and numeric literals.
 *
 * Names are mangled on the way into mathjs so that user names never meet mathjs built-ins (`e`, `pi`, `i`…):
 * a parameter or local `V` becomes `bwp_V`, a field `this.tau` becomes `bwt_tau`.
 */
import * as acorn from 'acorn';
import { math, M } from './mathjs';
import { BrainweaveError } from '../core/errors';

type AnyNode = any; // acorn ESTree nodes
export type MathNode = M.MathNode;

export interface MethodInfo {
  name: string;
  params: string[];
  /** The method's source as given by toString(). */
  source: string;
  /** acorn FunctionExpression node of the method (positions relative to `({ ` + source). */
  fn: AnyNode;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function describe(f: unknown): string {
  if (typeof f !== 'function') return String(f);
  const s = f.toString();
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** Parses a model method. `what` names the caller in messages (e.g. "odeint"). */
export function methodInfo(f: unknown, what: string): MethodInfo {
  if (typeof f !== 'function') throw new BrainweaveError(`${what}: expected a method of the model (e.g. this.derivative), got ${describe(f)}`);
  const name = f.name;
  if (name && !IDENT.test(name)) {
    throw new BrainweaveError(`${what}: the derivative's name '${name}' is not a plain identifier; name the method like 'derivative(V, t) { ... }'`);
  }
  if (!name) {
    throw new BrainweaveError(`${what}: the derivative must be a named method of the model class (write 'derivative(V, t) { ... }' in the class body and pass this.derivative); got an unnamed function: ${describe(f)}`);
  }
  const source = f.toString();
  if (/^\s*(async\b|\*|get\s|set\s|static\s)/.test(source) || /\[native code\]/.test(source)) {
    throw new BrainweaveError(`${what}: '${name}' must be a plain method (not async, generator, getter or native): ${describe(f)}`);
  }
  let prog: AnyNode;
  try {
    prog = acorn.parse(`({ ${source} })`, { ecmaVersion: 'latest' });
  } catch {
    const kind = /=>/.test(source.split('{')[0]) ? 'an arrow function' : /^\s*function\b/.test(source) ? 'a function expression' : 'not a method';
    throw new BrainweaveError(`${what}: '${name}' is ${kind}; the derivative must be a method on the model class (prototype) so the integral can call this.${name}(...). Write '${name}(V, t, ...) { return ...; }' in the class body. Got: ${describe(f)}`);
  }
  const obj = prog.body[0]?.expression;
  const prop = obj?.type === 'ObjectExpression' && obj.properties.length === 1 ? obj.properties[0] : null;
  if (!prop || !prop.method || prop.kind !== 'init' || prop.value.async || prop.value.generator) {
    throw new BrainweaveError(`${what}: '${name}' must be a plain method of the model class. Got: ${describe(f)}`);
  }
  const params: string[] = [];
  for (const p of prop.value.params) {
    if (p.type === 'Identifier') params.push(p.name);
    else if (p.type === 'AssignmentPattern' && p.left.type === 'Identifier') params.push(p.left.name);
    else throw new BrainweaveError(`${what}: '${name}': parameters must be plain names (no rest, no destructuring); got ${source.slice(p.start - 3, p.end - 3)}`);
  }
  return { name, params, source, fn: prop.value };
}

/** Splits a derivative's parameters at `t`: states before, arguments after. */
export function splitAtT(info: MethodInfo, what: string): { vars: string[]; args: string[] } {
  const ti = info.params.indexOf('t');
  if (ti < 0) throw new BrainweaveError(`${what}: '${info.name}(${info.params.join(', ')})' has no parameter named 't'; write the state variables first, then t, then any arguments, e.g. ${info.name}(V, t, Iext)`);
  if (ti === 0) throw new BrainweaveError(`${what}: '${info.name}(${info.params.join(', ')})' has no state variable before 't'`);
  return { vars: info.params.slice(0, ti), args: info.params.slice(ti + 1) };
}

// ---------------------------------------------------------------------------------------------------------
// JS AST -> mathjs

const MATH_FUNCS: Record<string, string> = {
  exp: 'exp', log: 'log', sqrt: 'sqrt', cbrt: 'cbrt', sin: 'sin', cos: 'cos', tan: 'tan', asin: 'asin', acos: 'acos',
  atan: 'atan', sinh: 'sinh', cosh: 'cosh', tanh: 'tanh', asinh: 'asinh', acosh: 'acosh', atanh: 'atanh', abs: 'abs',
  expm1: 'expm1', log1p: 'log1p', log10: 'log10', log2: 'log2', sign: 'sign',
};
const MATH_CONSTS: Record<string, number> = { PI: Math.PI, E: Math.E, LN2: Math.LN2, LN10: Math.LN10, SQRT2: Math.SQRT2, SQRT1_2: Math.SQRT1_2, LOG2E: Math.LOG2E, LOG10E: Math.LOG10E };

export const PARAM_PREFIX = 'bwp_';
export const FIELD_PREFIX = 'bwt_';

class Unsupported extends Error {}

function jsToMath(node: AnyNode, env: Map<string, MathNode>, src: string, off: number): MathNode {
  const text = () => src.slice(node.start - off, node.end - off);
  switch (node.type) {
    case 'Literal':
      if (typeof node.value === 'number') return new math.ConstantNode(node.value);
      throw new Unsupported(`literal ${text()}`);
    case 'Identifier': {
      const v = env.get(node.name);
      if (v) return v.cloneDeep(); // never share nodes: mathjs's derivative keys on node identity
      throw new Unsupported(`name '${node.name}' (only parameters, local const definitions, this.<field> and Math.* may appear)`);
    }
    case 'MemberExpression':
      if (!node.computed && node.object.type === 'ThisExpression') return new math.SymbolNode(FIELD_PREFIX + node.property.name);
      if (!node.computed && node.object.type === 'Identifier' && node.object.name === 'Math' && node.property.name in MATH_CONSTS) {
        return new math.ConstantNode(MATH_CONSTS[node.property.name]);
      }
      throw new Unsupported(`'${text()}'`);
    case 'UnaryExpression':
      if (node.operator === '-') return new math.OperatorNode('-', 'unaryMinus', [paren(jsToMath(node.argument, env, src, off))]);
      if (node.operator === '+') return jsToMath(node.argument, env, src, off);
      throw new Unsupported(`operator '${node.operator}'`);
    case 'BinaryExpression': {
      const a = paren(jsToMath(node.left, env, src, off)), b = paren(jsToMath(node.right, env, src, off));
      const ops: Record<string, [string, string]> = { '+': ['+', 'add'], '-': ['-', 'subtract'], '*': ['*', 'multiply'], '/': ['/', 'divide'], '**': ['^', 'pow'] };
      const op = ops[node.operator];
      if (!op) throw new Unsupported(`operator '${node.operator}' in '${text()}'`);
      return new math.OperatorNode(op[0] as any, op[1] as any, [a, b]);
    }
    case 'CallExpression': {
      const c = node.callee;
      if (c.type === 'MemberExpression' && !c.computed && c.object.type === 'Identifier' && c.object.name === 'Math') {
        const fname = c.property.name;
        const args = node.arguments.map((a: AnyNode) => jsToMath(a, env, src, off));
        if (fname === 'pow' && args.length === 2) return new math.OperatorNode('^', 'pow', [paren(args[0]), paren(args[1])]);
        if (MATH_FUNCS[fname] && args.length === 1) return new math.FunctionNode(new math.SymbolNode(MATH_FUNCS[fname]), args);
      }
      throw new Unsupported(`call '${text()}'`);
    }
    case 'ParenthesizedExpression':
      return jsToMath(node.expression, env, src, off);
    default:
      throw new Unsupported(`'${text()}' (${node.type})`);
  }
}

function paren(n: MathNode): MathNode {
  return n.type === 'SymbolNode' || n.type === 'ConstantNode' || n.type === 'ParenthesisNode' || n.type === 'FunctionNode' ? n : new math.ParenthesisNode(n);
}

/**
 * The return expression(s) of a derivative method as mathjs trees, in terms of mangled parameter names
 * (`bwp_<name>`) and fields (`bwt_<name>`). Supports local `const`/`let` definitions (substituted, never
 * reassigned) followed by `return expr;` or `return [e1, ..., en];`.
 */
export function returnExpressions(info: MethodInfo, what: string): MathNode[] {
  const env = new Map<string, MathNode>();
  for (const p of info.params) env.set(p, new math.SymbolNode(PARAM_PREFIX + p));
  const src = info.source, off = 3; // '({ ' prefix
  const body = info.fn.body.body as AnyNode[];
  const fail = (msg: string): never => {
    throw new BrainweaveError(`${what}: cannot read '${info.name}' symbolically: ${msg}. The derivative must be local 'const' definitions followed by 'return expr;' or 'return [e1, e2, ...];' using parameters, this.<field>, Math.* and arithmetic`);
  };
  try {
    for (let k = 0; k < body.length; k++) {
      const st = body[k];
      if (st.type === 'VariableDeclaration' && st.kind !== 'var') {
        for (const d of st.declarations) {
          if (d.id.type !== 'Identifier' || !d.init) fail(`unsupported declaration '${src.slice(d.start - off, d.end - off)}'`);
          env.set(d.id.name, paren(jsToMath(d.init, env, src, off)));
        }
      } else if (st.type === 'ReturnStatement') {
        if (k !== body.length - 1) fail('statements after return');
        if (!st.argument) fail('empty return');
        if (st.argument.type === 'ArrayExpression') return st.argument.elements.map((e: AnyNode) => jsToMath(e, env, src, off));
        return [jsToMath(st.argument, env, src, off)];
      } else if (st.type === 'EmptyStatement') {
        continue;
      } else {
        fail(`unsupported statement '${src.slice(st.start - off, st.end - off).split('\n')[0]}'`);
      }
    }
  } catch (e) {
    if (e instanceof Unsupported) fail(`unsupported ${e.message}`);
    throw e;
  }
  return fail('no return statement');
}

/** ∂node/∂(parameter `name`), simplified. Throws BrainweaveError naming `what` when mathjs cannot. */
export function partial(node: MathNode, name: string, what: string): MathNode {
  try {
    return math.derivative(node, PARAM_PREFIX + name) as MathNode;
  } catch (e) {
    throw new BrainweaveError(`${what}: cannot differentiate '${toJs(node)}' with respect to ${name}: ${(e as Error).message}`);
  }
}

/** True when the tree is the constant 0. */
export function isZero(node: MathNode): boolean {
  let n: any = node;
  while (n.type === 'ParenthesisNode') n = n.content;
  return n.type === 'ConstantNode' && Number(n.value) === 0;
}

// ---------------------------------------------------------------------------------------------------------
// mathjs -> JS

const JS_FUNCS: Record<string, (a: string[]) => string> = {
  sec: (a) => `(1 / Math.cos(${a[0]}))`, csc: (a) => `(1 / Math.sin(${a[0]}))`, cot: (a) => `(1 / Math.tan(${a[0]}))`,
  sech: (a) => `(1 / Math.cosh(${a[0]}))`, csch: (a) => `(1 / Math.sinh(${a[0]}))`, coth: (a) => `(1 / Math.tanh(${a[0]}))`,
  square: (a) => `((${a[0]}) * (${a[0]}))`, cube: (a) => `Math.pow(${a[0]}, 3)`,
  nthRoot: (a) => `Math.pow(${a[0]}, 1 / (${a[1] ?? 2}))`,
  log: (a) => (a.length === 2 ? `(Math.log(${a[0]}) / Math.log(${a[1]}))` : `Math.log(${a[0]})`),
  pow: (a) => `Math.pow(${a[0]}, ${a[1]})`,
  clip: (a) => `Math.min(Math.max(${a[0]}, ${a[1]}), ${a[2]})`,
  sigmoid: (a) => `(1 / (1 + Math.exp(-${a[0]})))`,
};

export interface ToJsOptions {
  /** How a symbol is printed; default: `bwp_X` → `X`, `bwt_X` → `this.X`. Return undefined for an error. */
  symbol?: (name: string) => string | undefined;
}

export function defaultSymbol(name: string): string | undefined {
  if (name.startsWith(PARAM_PREFIX)) return name.slice(PARAM_PREFIX.length);
  if (name.startsWith(FIELD_PREFIX)) return 'this.' + name.slice(FIELD_PREFIX.length);
  return undefined;
}

export function numLiteral(v: number): string {
  if (!Number.isFinite(v)) {
    if (Number.isNaN(v)) return 'NaN';
    return v > 0 ? 'Infinity' : '(-Infinity)';
  }
  const s = String(v);
  return v < 0 || Object.is(v, -0) ? `(${s})` : s;
}

/** Prints a mathjs tree as a JavaScript expression (fully parenthesised where it matters). */
export function toJs(node: MathNode, opts: ToJsOptions = {}): string {
  const sym = opts.symbol ?? defaultSymbol;
  const rec = (n: any): string => {
    switch (n.type) {
      case 'ConstantNode': {
        const v = n.value;
        if (typeof v === 'number') return numLiteral(v);
        if (typeof v === 'boolean') return v ? '1' : '0';
        throw new BrainweaveError(`cannot print constant ${String(v)} as JavaScript`);
      }
      case 'SymbolNode': {
        const s = sym(n.name);
        if (s === undefined) {
          if (n.name === 'pi') return 'Math.PI';
          if (n.name === 'e') return 'Math.E';
          throw new BrainweaveError(`unknown name '${n.name}'`);
        }
        return s;
      }
      case 'ParenthesisNode':
        return `(${rec(n.content)})`;
      case 'OperatorNode': {
        const a = n.args.map(rec);
        switch (n.fn) {
          case 'unaryMinus': return `(-${a[0]})`;
          case 'unaryPlus': return a[0];
          case 'add': return `(${a.join(' + ')})`;
          case 'subtract': return `(${a[0]} - ${a[1]})`;
          case 'multiply': return `(${a.join(' * ')})`;
          case 'divide': return `(${a[0]} / ${a[1]})`;
          case 'pow': return `Math.pow(${a[0]}, ${a[1]})`;
          case 'mod': return `(${a[0]} % ${a[1]})`;
          case 'larger': return `(${a[0]} > ${a[1]})`;
          case 'largerEq': return `(${a[0]} >= ${a[1]})`;
          case 'smaller': return `(${a[0]} < ${a[1]})`;
          case 'smallerEq': return `(${a[0]} <= ${a[1]})`;
          case 'equal': return `(${a[0]} === ${a[1]})`;
          case 'unequal': return `(${a[0]} !== ${a[1]})`;
          case 'and': return `(${a[0]} && ${a[1]})`;
          case 'or': return `(${a[0]} || ${a[1]})`;
          case 'not': return `(!${a[0]})`;
          default: throw new BrainweaveError(`operator '${n.op}' is not supported`);
        }
      }
      case 'ConditionalNode':
        return `(${rec(n.condition)} ? ${rec(n.trueExpr)} : ${rec(n.falseExpr)})`;
      case 'FunctionNode': {
        const fname: string = n.fn.name ?? n.name;
        const a = n.args.map(rec);
        if (JS_FUNCS[fname]) return JS_FUNCS[fname](a);
        if (Object.values(MATH_FUNCS).includes(fname) || ['max', 'min', 'floor', 'ceil', 'round'].includes(fname)) return `Math.${fname}(${a.join(', ')})`;
        throw new BrainweaveError(`function '${fname}' is not supported`);
      }
      default:
        throw new BrainweaveError(`expression node ${n.type} is not supported`);
    }
  };
  return rec(node);
}

/** Picks a name not in `taken` (adds `_` prefixes) and records it. */
export function fresh(base: string, taken: Set<string>): string {
  let n = base;
  while (taken.has(n)) n = '_' + n;
  taken.add(n);
  return n;
}
