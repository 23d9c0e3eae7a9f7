import { CompileError } from '../core/errors';
import { Variable } from '../core/variable';
import { RNG } from '../core/rng';
import { isDense2D, isRagged, Dense2D, Ragged, structureOrigin } from '../core/structures';
import { isTypedArray } from '../core/dtype';
import { ArrayBinding, AttributeDep, BindingDType, BindingRole, Expr, FunctionIR, LValue, OpArg, ProgramIR, Stmt } from './ir';
import { parseFunction, sourceLine, ParsedFunction } from './source';
import { locate } from './source-location';
import { opSpec } from './op-registry';

/** Math functions and constants generated code may use (pure, same result in every mode). */
const MATH_FNS = new Set(['abs', 'exp', 'log', 'sqrt', 'pow', 'min', 'max', 'floor', 'ceil', 'round', 'trunc', 'sign',
  'sin', 'cos', 'tan', 'asin', 'acos', 'atan', 'atan2', 'sinh', 'cosh', 'tanh', 'log1p', 'expm1', 'log2', 'log10',
  'cbrt', 'hypot', 'fround']);
const MATH_CONSTS: Record<string, number> = { PI: Math.PI, E: Math.E, LN2: Math.LN2, LN10: Math.LN10, SQRT2: Math.SQRT2, SQRT1_2: Math.SQRT1_2, LOG2E: Math.LOG2E, LOG10E: Math.LOG10E };
const RNG_FNS = new Set(['random', 'normal', 'uniform', 'exponential', 'randint', 'poisson']);
const BIN_OPS = new Set(['+', '-', '*', '/', '%', '**', '<', '>', '<=', '>=', '==', '!=', '===', '!==', '&', '|', '^', '<<', '>>', '>>>']);
const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '**=', '&=', '|=', '^=', '<<=', '>>=', '>>>=']);

/** A value during lowering: scalar expressions plus the non-scalar things `this.*` chains can name. */
type Val =
  | { k: 'expr'; e: Expr }
  | { k: 'obj'; obj: any; path: string }
  | { k: 'array'; arr: ArrayBinding }
  | { k: 'ragged'; r: Ragged; path: string }
  | { k: 'dense'; d: Dense2D; path: string }
  | { k: 'raggedRow'; r: Ragged; path: string; i: Expr }
  | { k: 'denseRow'; d: Dense2D; path: string; i: Expr }
  | { k: 'func'; owner: any; fn: Function; name: string }
  | { k: 'rng' };

interface Scope { vars: Map<string, 'let' | 'const'>; parent: Scope | null }

/**
 * Translates the update() methods of a network's objects (and the helpers they call) into IR.
 * Every `this.x` is resolved against the live object: Variables become writable arrays, typed arrays
 * and connectivity become read-only arrays, numbers become constants.
 */
export class Lowerer {
  readonly arrays = new Map<string, ArrayBinding>();
  private readonly byArray = new Map<unknown, ArrayBinding>();
  private readonly helpers = new Map<string, FunctionIR>();
  private readonly helperKeys = new Map<any, Map<Function, string>>();
  private readonly inProgress = new Set<string>();
  private usesRng = false;
  private tmp = 0;

  constructor(private readonly names: Map<object, string>) {}

  program(objects: { name: string; obj: any }[]): ProgramIR {
    const updates = objects.map(({ name, obj }) => {
      const fn = obj.update;
      if (typeof fn !== 'function') throw new CompileError(`${name} (${obj.constructor.name}): has no update() method`);
      return this.translate(obj, fn, 'update', `u$${ident(name)}`);
    });
    return { updates, helpers: [...this.helpers.values()], arrays: this.arrays, usesRng: this.usesRng, deps: this.deps };
  }

  /** Attributes read while translating; see ProgramIR.deps. */
  readonly deps: AttributeDep[] = [];

  // ---------------------------------------------------------------- functions

  private translate(owner: any, fn: Function, method: string, id: string): FunctionIR {
    const ownerName = this.nameOf(owner);
    const where = `${owner.constructor.name} '${ownerName}', method ${method}()`;
    const parsed = parseFunction(fn, where);
    const cx = new FnContext(this, owner, ownerName, method, parsed, where);
    const scope: Scope = { vars: new Map(parsed.params.map((p) => [p, 'let'])), parent: null };
    const body = cx.block(parsed.body.body, scope);
    tagWhere(body, where);
    return { id, owner: ownerName, cls: owner.constructor.name, method, params: parsed.params, defaults: parsed.defaults, body, hasReturn: cx.hasReturn };
  }

  /** Id of a helper function (a method or compilable function of `owner`), translating it once. */
  helperId(owner: any, fn: Function, name: string, where: string): string {
    let m = this.helperKeys.get(owner);
    if (!m) { m = new Map(); this.helperKeys.set(owner, m); }
    const known = m.get(fn);
    if (known) {
      if (this.inProgress.has(known)) throw new CompileError(`${where}: recursive call of ${name}() cannot be compiled`);
      return known;
    }
    const id = `f$${ident(this.nameOf(owner))}$${ident(name)}`;
    m.set(fn, id);
    this.inProgress.add(id);
    const ir = this.translate(owner, fn, name, id);
    this.inProgress.delete(id);
    this.helpers.set(id, ir);
    return id;
  }

  nameOf(obj: any): string {
    const n = this.names.get(obj);
    if (n === undefined) throw new CompileError(`${obj?.constructor?.name ?? 'object'} '${obj?.name}' is used by a model but is not part of the network; add it to the Network`);
    return n;
  }

  /** The translated helper (available once helperId returned). */
  helper(id: string): FunctionIR | undefined { return this.helpers.get(id); }
  markRng(): void { this.usesRng = true; }
  fresh(base: string): string { return `${base}$${this.tmp++}`; }

  /** One binding per distinct typed array, so an array read by several models is one argument. */
  bind(array: ArrayLike<number>, path: string, writable: boolean, role: BindingRole = writable ? 'state' : 'data'): ArrayBinding {
    const known = this.byArray.get(array);
    if (known) { if (writable) { known.writable = true; known.role = 'state'; } return known; }
    let id = `${ident(path).replace(/_/g, '$')}`;
    id = id.includes('$') ? id : `a$${id}`;
    while (this.arrays.has(id)) id += '_';
    const isFloat = array instanceof Float32Array || array instanceof Float64Array;
    const b: ArrayBinding = { id, path, array, writable, isFloat, dtype: dtypeOf(array, path), role };
    this.arrays.set(id, b);
    this.byArray.set(array, b);
    return b;
  }
}

function ident(s: string): string { return s.replace(/[^A-Za-z0-9_$]/g, '_'); }

function dtypeOf(a: ArrayLike<number>, path: string): BindingDType {
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Int32Array) return 'i32';
  if (a instanceof Uint8Array) return 'u8';
  if (a instanceof Uint32Array) return 'u32';
  if (a instanceof Int8Array) return 'i8';
  if (a instanceof Int16Array) return 'i16';
  if (a instanceof Uint16Array) return 'u16';
  throw new CompileError(`${path}: arrays of type ${(a as object).constructor?.name} cannot be used in compiled code (use a Float32/Float64/Int32/Uint8 array)`);
}

/** Marks every statement of a translated function with where it came from, for later messages. */
function tagWhere(ss: Stmt[], where: string): void {
  for (const s of ss) {
    if ('line' in s) s.where = where;
    if (s.k === 'if') { tagWhere(s.then, where); if (s.else) tagWhere(s.else, where); }
    else if (s.k === 'for') { if (s.init) tagWhere([s.init], where); tagWhere(s.body, where); }
    else if (s.k === 'range' || s.k === 'while' || s.k === 'block') tagWhere(s.body, where);
  }
}

/** Longest row of a ragged structure: the largest trip count of a loop over one of its rows. */
export function maxRowLength(indptr: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i + 1 < indptr.length; i++) m = Math.max(m, indptr[i + 1] - indptr[i]);
  return m;
}

/** Lowering of one function body. */
class FnContext {
  hasReturn = false;
  private line = 0;
  constructor(
    private readonly L: Lowerer, private readonly owner: any, private readonly ownerName: string,
    private readonly method: string, private readonly parsed: ParsedFunction, private readonly where: string,
  ) {}

  private fail(node: any, what: string): never {
    const line = node?.loc?.start?.line ?? this.line;
    // the user's own file, line and column where the engine and a source map can tell (tsx, node)
    const at = typeof node?.start === 'number' ? locate(this.parsed.fn, node.start - this.parsed.prefix) : null;
    const text = at?.text || sourceLine(this.parsed.source, line);
    const place = at ? `${at.file}:${at.line}:${at.column}` : `line ${line} of the method`;
    throw new CompileError(`${this.where}, ${place}: ${what}\n    ${text}`, at ?? undefined);
  }

  // ---------------------------------------------------------------- statements

  block(nodes: any[], scope: Scope): Stmt[] {
    const out: Stmt[] = [];
    for (const n of nodes) this.stmt(n, scope, out);
    return out;
  }

  private stmt(n: any, scope: Scope, out: Stmt[]): void {
    this.line = n.loc?.start?.line ?? this.line;
    const line = this.line;
    switch (n.type) {
      case 'EmptyStatement': return;
      case 'BlockStatement': out.push({ k: 'block', body: this.block(n.body, child(scope)) }); return;
      case 'VariableDeclaration': this.declare(n, scope, out); return;
      case 'ExpressionStatement': {
        // what minifiers make of statements: `a, b;` `c ? d : e;` `c && d;` are statements in disguise
        const x = n.expression;
        if (x.type === 'SequenceExpression') { for (const e of x.expressions) this.stmt({ type: 'ExpressionStatement', expression: e, loc: e.loc ?? n.loc }, scope, out); return; }
        if (x.type === 'ConditionalExpression') {
          this.stmt({ type: 'IfStatement', test: x.test, loc: n.loc, consequent: asStmt(x.consequent, n), alternate: asStmt(x.alternate, n) }, scope, out);
          return;
        }
        if (x.type === 'LogicalExpression' && (x.operator === '&&' || x.operator === '||')) {
          const test = x.operator === '&&' ? x.left : { type: 'UnaryExpression', operator: '!', argument: x.left, loc: x.left.loc };
          this.stmt({ type: 'IfStatement', test, loc: n.loc, consequent: asStmt(x.right, n), alternate: null }, scope, out);
          return;
        }
        const op = this.opCall(n.expression, scope);
        if (op) { out.push(op); return; }
        out.push({ k: 'expr', e: this.expr(n.expression, scope), line });
        return;
      }
      case 'IfStatement':
        if (n.test.type === 'SequenceExpression') {
          const es = n.test.expressions;
          for (const e of es.slice(0, -1)) this.stmt({ type: 'ExpressionStatement', expression: e, loc: e.loc ?? n.loc }, scope, out);
          this.stmt({ ...n, test: es[es.length - 1] }, scope, out);
          return;
        }
        out.push({ k: 'if', test: this.expr(n.test, scope), then: this.body(n.consequent, scope), else: n.alternate ? this.body(n.alternate, scope) : null, line });
        return;
      case 'ForStatement': {
        const s = child(scope);
        let init: Stmt | null = null;
        if (n.init) {
          const tmp: Stmt[] = [];
          if (n.init.type === 'VariableDeclaration') this.declare(n.init, s, tmp);
          else tmp.push({ k: 'expr', e: this.expr(n.init, s), line });
          if (tmp.length !== 1) this.fail(n.init, 'a for-loop header may declare one group of variables');
          init = tmp[0];
        }
        out.push({ k: 'for', init, test: n.test ? this.expr(n.test, s) : null, update: n.update ? this.expr(n.update, s) : null, body: this.body(n.body, s), line });
        return;
      }
      case 'ForOfStatement': this.forOf(n, scope, out); return;
      case 'WhileStatement': out.push({ k: 'while', test: this.expr(n.test, scope), body: this.body(n.body, scope), line }); return;
      case 'BreakStatement': if (n.label) this.fail(n, 'labelled break is not supported'); out.push({ k: 'break' }); return;
      case 'ContinueStatement': if (n.label) this.fail(n, 'labelled continue is not supported'); out.push({ k: 'continue' }); return;
      case 'ReturnStatement':
        if (n.argument?.type === 'SequenceExpression') {
          const es = n.argument.expressions;
          for (const e of es.slice(0, -1)) this.stmt({ type: 'ExpressionStatement', expression: e, loc: e.loc ?? n.loc }, scope, out);
          this.stmt({ ...n, argument: es[es.length - 1] }, scope, out);
          return;
        }
        this.hasReturn = true;
        out.push({ k: 'return', value: n.argument ? this.expr(n.argument, scope) : null, line });
        return;
      default:
        this.fail(n, `statement '${n.type}' is not supported in compiled model code`);
    }
  }

  private body(n: any, scope: Scope): Stmt[] {
    const s = child(scope);
    return n.type === 'BlockStatement' ? this.block(n.body, s) : this.block([n], s);
  }

  private declare(n: any, scope: Scope, out: Stmt[]): void {
    const kind: 'let' | 'const' = n.kind === 'const' ? 'const' : 'let';
    for (const d of n.declarations) {
      const line = d.loc?.start?.line ?? this.line;
      if (d.id.type === 'Identifier') {
        const init = d.init ? this.expr(d.init, scope) : null;
        scope.vars.set(d.id.name, kind);
        out.push({ k: 'let', kind, names: [d.id.name], init, destructure: false, line });
      } else if (d.id.type === 'ArrayPattern') {
        const names = d.id.elements.map((e: any) => {
          if (!e || e.type !== 'Identifier') this.fail(d, 'array destructuring supports plain names only');
          return e.name as string;
        });
        if (!d.init) this.fail(d, 'destructuring needs an initial value');
        const v = this.value(d.init, scope);
        if (v.k === 'denseRow' || v.k === 'raggedRow') {
          // `const [start, end] = this.pre_slice[i]`: one element read per name
          names.forEach((name: string, j: number) => {
            out.push({ k: 'let', kind, names: [name], init: this.rowElement(v, { k: 'num', v: j }), destructure: false, line });
            scope.vars.set(name, kind);
          });
        } else if (v.k === 'expr') {
          names.forEach((name: string) => scope.vars.set(name, kind));
          out.push({ k: 'let', kind, names, init: v.e, destructure: true, line });
        } else this.fail(d, `cannot destructure ${describe(v)}`);
      } else this.fail(d, `declaration pattern '${d.id.type}' is not supported`);
    }
  }

  private forOf(n: any, scope: Scope, out: Stmt[]): void {
    const line = this.line;
    const decl = n.left;
    if (decl.type !== 'VariableDeclaration' || decl.declarations.length !== 1 || decl.declarations[0].id.type !== 'Identifier') {
      this.fail(n, 'for-of needs one declared name: for (const j of this.pre2post[i])');
    }
    const name = decl.declarations[0].id.name;
    const v = this.value(n.right, scope);
    const k = this.L.fresh('k');
    const kExpr: Expr = { k: 'local', name: k };
    let start: Expr, end: Expr, elem: Expr;
    if (v.k === 'raggedRow') {
      const { indptr, indices } = this.raggedArrays(v.r, v.path);
      start = { k: 'index', arr: indptr, i: v.i };
      end = { k: 'index', arr: indptr, i: { k: 'bin', op: '+', a: v.i, b: { k: 'num', v: 1 } } };
      elem = { k: 'index', arr: indices, i: kExpr };
    } else if (v.k === 'denseRow') {
      const data = this.L.bind(v.d.data, `${v.path}.data`, false, 'connectivity');
      start = { k: 'num', v: 0 }; end = { k: 'num', v: v.d.cols };
      elem = { k: 'index', arr: data, i: { k: 'bin', op: '+', a: { k: 'bin', op: '*', a: v.i, b: { k: 'num', v: v.d.cols } }, b: kExpr } };
    } else if (v.k === 'array') {
      start = { k: 'num', v: 0 }; end = { k: 'num', v: v.arr.array.length };
      elem = { k: 'index', arr: v.arr, i: kExpr };
    } else this.fail(n.right, `cannot iterate over ${describe(v)}; iterate over a row such as this.pre2post[i]`);
    const s = child(scope);
    s.vars.set(name, 'const');
    const body: Stmt[] = [{ k: 'let', kind: 'const', names: [name], init: elem, destructure: false, line }];
    body.push(...this.body(n.body, s));
    out.push({ k: 'range', v: k, start, end, body, line });
  }

  /** A library operator call as a statement (pre2postEventSum(...) etc.), or null if not one. */
  private opCall(n: any, scope: Scope): Stmt | null {
    if (n.type !== 'CallExpression') return null;
    const name = opName(n.callee);
    if (!name) return null;
    const spec = opSpec(name)!;
    if (n.arguments.length !== spec.args.length) this.fail(n, `${name}() takes ${spec.args.length} arguments (${spec.args.map((a) => a.name).join(', ')}), got ${n.arguments.length}`);
    const args: OpArg[] = n.arguments.map((a: any, j: number) => {
      const want = spec.args[j];
      const v = this.value(a, scope);
      if (v.k === 'array') {
        if (!want.kinds.includes('array')) this.fail(a, `${name}(): argument '${want.name}' must be ${want.kinds.join(' or ')}, got the array ${v.arr.path}`);
        if (want.role === 'out' && !v.arr.writable) this.fail(a, `${name}(): argument '${want.name}' is written, but ${v.arr.path} is read-only (make it a Variable)`);
        return { k: 'array', arr: v.arr };
      }
      if (v.k === 'ragged') {
        if (!want.kinds.includes('ragged')) this.fail(a, `${name}(): argument '${want.name}' must be ${want.kinds.join(' or ')}, got connectivity ${v.path}`);
        const { indptr, indices } = this.raggedArrays(v.r, v.path);
        return { k: 'ragged', indptr, indices, rows: v.r.indptr.length - 1, maxRow: maxRowLength(v.r.indptr), origin: structureOrigin(v.r) };
      }
      if (v.k === 'dense') {
        if (!want.kinds.includes('dense')) this.fail(a, `${name}(): argument '${want.name}' must be ${want.kinds.join(' or ')}, got matrix ${v.path}`);
        return { k: 'dense', data: this.L.bind(v.d.data, `${v.path}.data`, false, 'connectivity'), rows: v.d.rows, cols: v.d.cols };
      }
      if (v.k === 'expr') {
        if (!want.kinds.includes('scalar')) this.fail(a, `${name}(): argument '${want.name}' must be ${want.kinds.join(' or ')}, got a number`);
        return { k: 'expr', e: v.e };
      }
      return this.fail(a, `${name}(): argument '${want.name}' cannot be ${describe(v)}`);
    });
    spec.check?.(args, (msg: string) => this.fail(n, `${name}(): ${msg}`));
    return { k: 'op', name, args, line: this.line };
  }

  // ---------------------------------------------------------------- expressions

  expr(n: any, scope: Scope): Expr {
    const v = this.value(n, scope);
    if (v.k === 'expr') return v.e;
    if (v.k === 'raggedRow') this.fail(n, `${v.path}[...] is a row of indices; iterate over it (for (const j of ...)) or index it`);
    return this.fail(n, `${describe(v)} cannot be used as a number here`);
  }

  private value(n: any, scope: Scope): Val {
    switch (n.type) {
      case 'Literal':
        if (typeof n.value === 'number') return num(n.value);
        if (typeof n.value === 'boolean') return bool(n.value);
        return this.fail(n, `literal ${n.raw} is not a number`);
      case 'Identifier': return this.identifier(n, scope);
      case 'ThisExpression': return { k: 'obj', obj: this.owner, path: this.ownerName };
      case 'MemberExpression': return this.member(n, scope);
      case 'BinaryExpression': {
        if (!BIN_OPS.has(n.operator)) this.fail(n, `operator '${n.operator}' is not supported`);
        return ex({ k: 'bin', op: n.operator, a: this.expr(n.left, scope), b: this.expr(n.right, scope) });
      }
      case 'LogicalExpression': return ex({ k: 'logic', op: n.operator, a: this.expr(n.left, scope), b: this.expr(n.right, scope) });
      case 'UnaryExpression':
        if (!['-', '+', '!', '~'].includes(n.operator)) this.fail(n, `operator '${n.operator}' is not supported`);
        return ex({ k: 'un', op: n.operator, a: this.expr(n.argument, scope) });
      case 'ConditionalExpression':
        return ex({ k: 'cond', test: this.expr(n.test, scope), a: this.expr(n.consequent, scope), b: this.expr(n.alternate, scope) });
      case 'ParenthesizedExpression': return this.value(n.expression, scope);
      case 'ArrayExpression':
        return ex({ k: 'tuple', items: n.elements.map((e: any) => { if (!e || e.type === 'SpreadElement') this.fail(n, 'array literals take plain values'); return this.expr(e, scope); }) });
      case 'AssignmentExpression': return ex(this.assign(n, scope));
      case 'UpdateExpression': return ex({ k: 'update', target: this.lvalue(n.argument, scope), op: n.operator, prefix: n.prefix });
      case 'CallExpression':
        // esbuild (tsx) wraps named functions as __name(fn, "name"): see through it to what the user wrote
        if (n.callee.type === 'Identifier' && n.callee.name === '__name' && n.arguments.length === 2) return this.value(n.arguments[0], scope);
        return this.call(n, scope);
      case 'SequenceExpression': return this.fail(n, 'comma expressions are not supported');
      default: return this.fail(n, `'${n.type}' is not supported in compiled model code`);
    }
  }

  private identifier(n: any, scope: Scope): Val {
    const name: string = n.name;
    for (let s: Scope | null = scope; s; s = s.parent) if (s.vars.has(name)) return ex({ k: 'local', name });
    if (name === 'Infinity') return num(Infinity);
    if (name === 'NaN') return num(NaN);
    if (name === 'Math') return { k: 'obj', obj: Math, path: 'Math' };
    return this.fail(n, `unknown name '${name}': compiled code sees only its parameters, its locals and this.* (closures and module variables are not visible; make it a field of the model)`);
  }

  private member(n: any, scope: Scope): Val {
    if (n.computed) {
      const base = this.value(n.object, scope);
      const i = this.expr(n.property, scope);
      switch (base.k) {
        case 'array': return ex({ k: 'index', arr: base.arr, i });
        case 'ragged': return { k: 'raggedRow', r: base.r, path: base.path, i };
        case 'dense': return { k: 'denseRow', d: base.d, path: base.path, i };
        case 'raggedRow': case 'denseRow': return ex(this.rowElement(base, i));
        case 'expr':
          if (base.e.k === 'local') return ex({ k: 'localIndex', name: base.e.name, i });
          break;
      }
      return this.fail(n, `cannot index ${describe(base)}`);
    }
    const prop: string = n.property.name;
    const base = this.value(n.object, scope);
    switch (base.k) {
      case 'obj': return this.attribute(n, base.obj, base.path, prop);
      case 'array':
        if (prop === 'length') return num(base.arr.array.length);
        break;
      case 'ragged':
        if (prop === 'indptr' || prop === 'indices' || prop === 'synIds') {
          const a = (base.r as any)[prop];
          if (!a) this.fail(n, `${base.path} has no ${prop}`);
          return { k: 'array', arr: this.L.bind(a, `${base.path}.${prop}`, false, 'connectivity') };
        }
        if (prop === 'length') return num(base.r.indptr.length - 1);
        break;
      case 'dense':
        if (prop === 'data') return { k: 'array', arr: this.L.bind(base.d.data, `${base.path}.data`, false, 'connectivity') };
        if (prop === 'rows' || prop === 'length') return num(base.d.rows);
        if (prop === 'cols') return num(base.d.cols);
        break;
      case 'raggedRow':
        if (prop === 'length') {
          const { indptr } = this.raggedArrays(base.r, base.path);
          return ex({ k: 'bin', op: '-', a: { k: 'index', arr: indptr, i: { k: 'bin', op: '+', a: base.i, b: num1() } }, b: { k: 'index', arr: indptr, i: base.i } });
        }
        break;
      case 'denseRow':
        if (prop === 'length') return num(base.d.cols);
        break;
      case 'rng':
        return this.fail(n, `this.rng.${prop} must be called: this.rng.normal(), random(), uniform(a, b), exponential(), randint(n), poisson(l)`);
    }
    return this.fail(n, `'.${prop}' of ${describe(base)} is not supported`);
  }

  /** Resolves `obj.prop` against the live object. */
  private attribute(n: any, obj: any, path: string, prop: string): Val {
    if (obj === Math) {
      if (prop in MATH_CONSTS) return num(MATH_CONSTS[prop]);
      return this.fail(n, `Math.${prop} is not available in compiled code`);
    }
    const full = `${path}.${prop}`;
    if (prop === 'rng') { this.L.markRng(); return { k: 'rng' }; }
    let v: any;
    try { v = obj[prop]; } catch (e) { return this.fail(n, `reading ${full} failed: ${(e as Error).message}`); }
    if (v === undefined) {
      return this.fail(n, `${obj?.constructor?.name ?? 'object'} '${path}' has no attribute '${prop}'`);
    }
    this.L.deps.push({ obj, prop, value: v });
    // a backend may move a Variable's storage (Variable.replaceStorage): code bound to the old array is stale
    if (v instanceof Variable) this.L.deps.push({ obj: v, prop: 'value', value: v.value });
    if (v instanceof Variable) return { k: 'array', arr: this.L.bind(v.value, `${this.L.nameOf(obj)}.${prop}`, true) };
    if (typeof v === 'number') return num(v);
    if (typeof v === 'boolean') return bool(v);
    if (isTypedArray(v)) return { k: 'array', arr: this.L.bind(v, full, false, structureOrigin(v) ? 'connectivity' : 'data') };
    if (isRagged(v)) return { k: 'ragged', r: v, path: full };
    if (isDense2D(v)) return { k: 'dense', d: v, path: full };
    if (v instanceof RNG) { this.L.markRng(); return { k: 'rng' }; }
    if (typeof v === 'function') return { k: 'func', owner: obj, fn: v, name: prop };
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x === 'number')) return { k: 'array', arr: this.L.bind(Float64Array.from(v), full, false) };
      return this.fail(n, `${full} is a JS array of non-numbers; use a typed array or a Variable`);
    }
    if (v && typeof v === 'object') {
      if (v.constructor?.name === 'StructRef') return this.fail(n, `${full} is an unresolved connectivity request`);
      return { k: 'obj', obj: v, path: full };
    }
    return this.fail(n, `${full} is a ${typeof v}; compiled code can use numbers, booleans, Variables, typed arrays and connectivity`);
  }

  private rowElement(v: Val & { k: 'raggedRow' | 'denseRow' }, j: Expr): Expr {
    if (v.k === 'raggedRow') {
      const { indptr, indices } = this.raggedArrays(v.r, v.path);
      return { k: 'index', arr: indices, i: { k: 'bin', op: '+', a: { k: 'index', arr: indptr, i: v.i }, b: j } };
    }
    const data = this.L.bind(v.d.data, `${v.path}.data`, false, 'connectivity');
    return { k: 'index', arr: data, i: { k: 'bin', op: '+', a: { k: 'bin', op: '*', a: v.i, b: num(v.d.cols).e }, b: j } };
  }

  private raggedArrays(r: Ragged, path: string): { indptr: ArrayBinding; indices: ArrayBinding } {
    return { indptr: this.L.bind(r.indptr, `${path}.indptr`, false, 'connectivity'), indices: this.L.bind(r.indices, `${path}.indices`, false, 'connectivity') };
  }

  private assign(n: any, scope: Scope): Expr {
    if (!ASSIGN_OPS.has(n.operator)) this.fail(n, `assignment operator '${n.operator}' is not supported`);
    const target = this.lvalue(n.left, scope);
    return { k: 'assign', target, op: n.operator, value: this.expr(n.right, scope) };
  }

  private lvalue(n: any, scope: Scope): LValue {
    if (n.type === 'Identifier') {
      for (let s: Scope | null = scope; s; s = s.parent) {
        const kind = s.vars.get(n.name);
        if (kind === 'const') this.fail(n, `cannot assign to const '${n.name}'`);
        if (kind) return { k: 'local', name: n.name };
      }
      return this.fail(n, `cannot assign to '${n.name}': declare it with let first`);
    }
    if (n.type === 'MemberExpression') {
      if (!n.computed) {
        const base = this.value(n.object, scope);
        const what = base.k === 'obj' ? `${base.path}.${n.property.name}` : `.${n.property.name}`;
        return this.fail(n, `cannot assign to ${what}: only Variables can change during a run (declare it as a Variable, or assign to one element: this.x[i] = ...)`);
      }
      const v = this.value(n, scope);
      if (v.k === 'expr' && v.e.k === 'index') {
        if (!v.e.arr.writable) this.fail(n, `cannot write to ${v.e.arr.path}: it is read-only (connectivity or data); make it a Variable to change it`);
        return v.e;
      }
      return this.fail(n, `cannot assign to ${describe(v)}`);
    }
    return this.fail(n, `cannot assign to '${n.type}'`);
  }

  private call(n: any, scope: Scope): Val {
    if (opName(n.callee)) this.fail(n, `${opName(n.callee)}() returns nothing; call it as a statement`);
    const args = () => n.arguments.map((a: any) => {
      if (a.type === 'SpreadElement') this.fail(a, 'spread arguments are not supported');
      return this.expr(a, scope);
    });
    if (n.callee.type === 'MemberExpression' && !n.callee.computed) {
      const base = this.value(n.callee.object, scope);
      const prop = n.callee.property.name;
      if (base.k === 'obj' && base.obj === Math) {
        if (!MATH_FNS.has(prop)) this.fail(n, `Math.${prop}() is not available in compiled code`);
        return ex({ k: 'math', fn: prop, args: args() });
      }
      if (base.k === 'rng') {
        if (!RNG_FNS.has(prop)) this.fail(n, `rng.${prop}() is not available (use ${[...RNG_FNS].join(', ')})`);
        return ex({ k: 'rng', fn: prop, args: args() });
      }
      if (base.k === 'obj') {
        const v = this.attribute(n.callee, base.obj, base.path, prop);
        if (v.k === 'func') {
          const fn = v.fn as any;
          const isMethod = !Object.prototype.hasOwnProperty.call(base.obj, prop);
          if (!isMethod && !fn.bwCompile) {
            this.fail(n, `${base.path}.${prop} is a function stored on the object; only class methods and functions marked bwCompile (from odeint) can be compiled`);
          }
          const id = this.L.helperId(base.obj, fn, prop, this.where);
          const given: Expr[] = args();
          const h = this.L.helper(id);
          if (h) {
            if (given.length > h.params.length) this.fail(n, `${prop}() takes ${h.params.length} arguments, got ${given.length}`);
            for (let j = given.length; j < h.params.length; j++) {
              const d = h.defaults[j];
              if (d === undefined) this.fail(n, `${prop}() needs argument '${h.params[j]}' (it has no default)`);
              given.push({ k: 'num', v: d });
            }
          }
          return ex({ k: 'call', fn: id, args: given });
        }
        return this.fail(n, `${base.path}.${prop} is not a function`);
      }
    }
    const hint = n.callee.type === 'Identifier' ? ` (if this code was minified, keep identifier names so that library operators keep theirs: esbuild minifyIdentifiers: false)` : '';
    return this.fail(n, `this call cannot be compiled: use Math.*, this.method(...), this.rng.*() or a library operator${hint}`);
  }
}

/** The operator name if `callee` names a library operator: op(...), x.op(...) or (0, x.op)(...). */
function opName(callee: any): string | null {
  let c = callee;
  if (c.type === 'SequenceExpression') c = c.expressions[c.expressions.length - 1];
  let name: string | null = null;
  if (c.type === 'Identifier') name = c.name;
  else if (c.type === 'MemberExpression' && !c.computed && c.object.type !== 'ThisExpression' && !(c.object.type === 'Identifier' && c.object.name === 'Math')) name = c.property.name;
  return name && opSpec(name) ? name : null;
}

/** An expression used as a statement (a branch of a minified `c ? a : b;`). */
function asStmt(e: any, at: any): any { return { type: 'ExpressionStatement', expression: e, loc: e.loc ?? at.loc }; }

function child(scope: Scope): Scope { return { vars: new Map(), parent: scope }; }
function num(v: number): { k: 'expr'; e: { k: 'num'; v: number } } { return { k: 'expr', e: { k: 'num', v } }; }
function num1(): Expr { return { k: 'num', v: 1 }; }
function bool(b: boolean): { k: 'expr'; e: Expr } { return { k: 'expr', e: { k: 'num', v: b ? 1 : 0, bool: true } }; }
function ex(e: Expr): Val { return { k: 'expr', e }; }
function describe(v: Val): string {
  switch (v.k) {
    case 'array': return `the array ${v.arr.path}`;
    case 'ragged': return `connectivity ${v.path}`;
    case 'dense': return `matrix ${v.path}`;
    case 'raggedRow': return `a row of ${v.path}`;
    case 'denseRow': return `a row of ${v.path}`;
    case 'obj': return `the object ${v.path}`;
    case 'func': return `the function ${v.name}`;
    case 'rng': return 'the random stream';
    default: return 'an expression';
  }
}
