import * as acorn from 'acorn';
import { CompileError } from '../core/errors';

/** A parsed model function: its AST, parameter names and the source text (for line-accurate messages). */
export interface ParsedFunction {
  params: string[];
  /** literal numeric defaults of the parameters (undefined where none), filled in for omitted arguments */
  defaults: (number | undefined)[];
  body: any;          // acorn BlockStatement
  source: string;
  /** characters put before `source` to parse it (acorn positions minus this are offsets in source) */
  prefix: number;
  fn: Function;
}

/**
 * Parses a method or function from its `toString()` text. Methods print as `name(a, b) { ... }`, which
 * is only valid inside a class or object literal, so we wrap them; `function` sources parse as is.
 */
export function parseFunction(fn: Function, where: string): ParsedFunction {
  const source = Function.prototype.toString.call(fn);
  if (/\[native code\]/.test(source)) throw new CompileError(`${where}: cannot translate a native or bound function`);
  const candidates = [`(${source})`, `({${source}})`];
  let lastErr: unknown = null;
  for (const text of candidates) {
    try {
      const ast: any = acorn.parse(text, { ecmaVersion: 'latest', locations: true });
      let node = ast.body[0]?.expression;
      if (node?.type === 'ObjectExpression') node = node.properties[0]?.value;
      if (!node || !/Function/.test(node.type)) continue;
      if (node.async || node.generator) throw new CompileError(`${where}: async and generator functions cannot be compiled`);
      if (node.body.type !== 'BlockStatement') {
        // arrow with expression body: treat as `{ return expr; }`
        node = { ...node, body: { type: 'BlockStatement', body: [{ type: 'ReturnStatement', argument: node.body, loc: node.body.loc }], loc: node.loc } };
      }
      const defaults: (number | undefined)[] = [];
      const params = node.params.map((p: any) => {
        if (p.type === 'Identifier') { defaults.push(undefined); return p.name; }
        if (p.type === 'AssignmentPattern' && p.left.type === 'Identifier') {
          defaults.push(literalNumber(p.right, `${where}: default of parameter '${p.left.name}'`));
          return p.left.name;
        }
        throw new CompileError(`${where}: parameter of kind ${p.type} is not supported (use plain names)`);
      });
      return { params, defaults, body: node.body, source, prefix: text.indexOf(source), fn };
    } catch (e) {
      if (e instanceof CompileError) throw e;
      lastErr = e;
    }
  }
  throw new CompileError(`${where}: could not parse the function source (${(lastErr as Error)?.message ?? 'not a function'})`);
}

function literalNumber(n: any, what: string): number {
  if (n.type === 'Literal' && typeof n.value === 'number') return n.value;
  if (n.type === 'UnaryExpression' && n.operator === '-' && n.argument.type === 'Literal' && typeof n.argument.value === 'number') return -n.argument.value;
  throw new CompileError(`${what} must be a number literal to be compiled`);
}

/** The text of line `line` (1-based) of a function source, trimmed. */
export function sourceLine(source: string, line: number): string {
  return (source.split('\n')[line - 1] ?? '').trim();
}
