/** Expressions of equation strings: mathjs parse trees with source spans, and EquationError pointing at them. */
import { math, M } from '../mathjs';
import { BrainweaveError } from '../../core/errors';

/** A mathjs expression node with the fields brainweave reads. */
export type MNode = M.MathNode & Record<string, any>;

/** An error in an equation, threshold or reset string, with where it is. */
export class EquationError extends BrainweaveError {
  constructor(message: string, readonly source: string, readonly offset: number, readonly line: number,
    readonly column: number, readonly text: string) {
    super(message);
    this.name = 'EquationError';
  }
}

/** Throws an EquationError pointing at `[offset, offset + length)` of `src` (`label` names the string). */
export function failAt(label: string, src: string, offset: number, length: number, msg: string): never {
  const before = src.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = offset - lineStart + 1;
  let lineEnd = src.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = src.length;
  const text = src.slice(offset, offset + Math.max(0, length));
  const caret = ' '.repeat(column - 1) + '^'.repeat(Math.max(1, Math.min(length, lineEnd - offset)));
  throw new EquationError(`${label}, line ${line}, column ${column} (offset ${offset}): ${msg}\n  ${src.slice(lineStart, lineEnd)}\n  ${caret}`,
    src, offset, line, column, text);
}

/** A parsed expression and where it came from. */
export class Expr {
  /** Source span [start, end) of each node, as offsets into `src`. */
  readonly spans = new Map<MNode, [number, number]>();
  constructor(readonly node: MNode, readonly label: string, readonly src: string, readonly offset: number, readonly text: string) {
    computeSpans(this);
  }
  span(n: MNode): [number, number] { return this.spans.get(n) ?? [this.offset, this.offset + this.text.length]; }
  textOf(n: MNode): string { const [s, e] = this.span(n); return this.src.slice(s, e); }
  fail(n: MNode | null, msg: string): never {
    const [s, e] = n ? this.span(n) : [this.offset, this.offset + this.text.length];
    return failAt(this.label, this.src, s, e - s, msg);
  }
}

const SUPPORTED = new Set(['ConstantNode', 'SymbolNode', 'ParenthesisNode', 'OperatorNode', 'FunctionNode', 'ConditionalNode']);
const WORD_OPS = new Set(['and', 'or', 'not', 'xor', 'mod', 'to', 'in']);

/** Parses `text`, found at `offset` in `src`, with mathjs. Syntax errors point at mathjs's character. */
export function parseExpr(text: string, label: string, src: string, offset: number): Expr {
  const lead = text.length - text.trimStart().length;
  const body = text.trim();
  if (!body) failAt(label, src, offset, Math.max(1, text.length), 'expression expected');
  let node: MNode;
  try {
    node = math.parse(body.replace(/\*\*/g, '^ ')) as MNode; // Python/Brian2 power; same length keeps positions
  } catch (e) {
    const ch = (e as { char?: number }).char;
    const at = offset + lead + (typeof ch === 'number' ? Math.max(0, Math.min(body.length, ch - 1)) : 0);
    const msg = (e as Error).message.replace(/\s*\(char \d+\)/, '');
    return failAt(label, src, at, 1, `cannot parse '${body}': ${msg}`);
  }
  const ex = new Expr(node, label, src, offset + lead, body);
  const check = (n: MNode): void => {
    if (!SUPPORTED.has(n.type)) ex.fail(n, `unsupported syntax '${ex.textOf(n)}' (${n.type})`);
    if (n.type === 'ConstantNode' && typeof n.value !== 'number' && typeof n.value !== 'boolean') ex.fail(n, `unsupported constant '${ex.textOf(n)}'`);
    for (const c of children(n)) check(c);
  };
  check(node);
  return ex;
}

function children(n: MNode): MNode[] {
  switch (n.type) {
    case 'ParenthesisNode': return [n.content];
    case 'OperatorNode': case 'FunctionNode': return n.args;
    case 'ConditionalNode': return [n.condition, n.trueExpr, n.falseExpr];
    default: return [];
  }
}

export function symbolsOf(n: MNode, out: string[] = []): string[] {
  if (n.type === 'SymbolNode') out.push(n.name);
  for (const c of children(n)) symbolsOf(c, out);
  return out;
}

/** Leaves in source order: numbers, names and function names. */
export function leaves(n: MNode, out: MNode[] = []): MNode[] {
  if (n.type === 'ConstantNode' || n.type === 'SymbolNode') out.push(n);
  else if (n.type === 'FunctionNode') { out.push(n); for (const a of n.args) leaves(a, out); }
  else for (const c of children(n)) leaves(c, out);
  return out;
}

/**
 * mathjs nodes carry no positions; recover them by matching the leaves (in source order) with the number and
 * name tokens of the text. A node's span runs from its first to its last leaf (plus a closing ')' of calls
 * and parentheses).
 */
function computeSpans(ex: Expr): void {
  const toks: [number, number][] = [];
  const re = /[A-Za-z_][A-Za-z0-9_]*|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(ex.text))) if (!WORD_OPS.has(m[0])) toks.push([m.index, m.index + m[0].length]);
  const ls = leaves(ex.node);
  if (ls.length !== toks.length) return;
  const base = ex.offset;
  const leafSpan = new Map<MNode, [number, number]>();
  ls.forEach((l, k) => leafSpan.set(l, [base + toks[k][0], base + toks[k][1]]));
  const closeParen = (end: number): number => {
    let k = end - base;
    while (k < ex.text.length && /\s/.test(ex.text[k])) k++;
    return ex.text[k] === ')' ? base + k + 1 : end;
  };
  const rec = (n: MNode): [number, number] => {
    let s = Infinity, e = -Infinity;
    const own = leafSpan.get(n);
    if (own) { s = own[0]; e = own[1]; }
    for (const c of children(n)) { const [cs, ce] = rec(c); s = Math.min(s, cs); e = Math.max(e, ce); }
    if (n.type === 'FunctionNode' || n.type === 'ParenthesisNode') {
      e = closeParen(e);
      if (n.type === 'ParenthesisNode') {
        let k = s - base - 1;
        while (k >= 0 && /\s/.test(ex.text[k])) k--;
        if (ex.text[k] === '(') s = base + k;
      }
    }
    if (n.type === 'OperatorNode' && n.fn === 'unaryMinus' || n.type === 'OperatorNode' && n.fn === 'unaryPlus' || n.type === 'OperatorNode' && n.fn === 'not') {
      let k = s - base - 1;
      while (k >= 0 && /\s/.test(ex.text[k])) k--;
      if (k >= 0 && /[-+!]/.test(ex.text[k])) s = base + k;
      else if (k >= 2 && ex.text.slice(k - 2, k + 1) === 'not') s = base + k - 2;
    }
    const span: [number, number] = [s, e];
    ex.spans.set(n, span);
    return span;
  };
  rec(ex.node);
}

