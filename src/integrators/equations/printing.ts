/** Substituting subexpressions and printing mathjs trees as JavaScript for generated code. */
import { math, M } from '../mathjs';
import { BrainweaveError } from '../../core/errors';
import { PARAM_PREFIX, toJs } from '../symbolic';
import { Expr } from './expr';
import { Equations } from './parse';
import { Scope, SymbolKind } from './unit-check';

import type { MNode } from './expr';

/** The expression with subexpressions substituted (recursively; cycles are errors). */
export function substituted(ex: Expr, eqs: Equations, stack: string[] = []): MNode {
  return ex.node.transform((n: MNode) => {
    if (n.type === 'SymbolNode') {
      const eq = eqs.byName.get(n.name);
      if (eq && eq.kind === 'sub') {
        if (stack.includes(eq.name)) ex.fail(n, `subexpression '${eq.name}' refers to itself (${[...stack, eq.name].join(' -> ')})`);
        return new math.ParenthesisNode(substituted(eq.expr!, eqs, [...stack, eq.name]));
      }
    }
    return n;
  }) as MNode;
}

/** Renames every symbol (not function names) to bwp_<name>, for mathjs's derivative. */
export function mangle(n: MNode): MNode {
  switch (n.type) {
    case 'SymbolNode': return new math.SymbolNode(PARAM_PREFIX + n.name) as MNode;
    case 'ConstantNode': return new math.ConstantNode(n.value) as MNode;
    case 'ParenthesisNode': return new math.ParenthesisNode(mangle(n.content)) as MNode;
    case 'OperatorNode': return new math.OperatorNode(n.op, n.fn, n.args.map(mangle), n.implicit) as MNode;
    case 'FunctionNode': return new math.FunctionNode(new math.SymbolNode(n.fn.name), n.args.map(mangle)) as MNode;
    case 'ConditionalNode': return new math.ConditionalNode(mangle(n.condition), mangle(n.trueExpr), mangle(n.falseExpr)) as MNode;
    default: throw new BrainweaveError(`unsupported node ${n.type}`);
  }
}

/** Prints a tree as JS; `sym` maps user names (mangled or not) to JS. */
export function printJs(n: MNode, scope: Scope, sym: (name: string, kind: SymbolKind) => string): string {
  return toJs(n, {
    symbol: (raw) => {
      const name = raw.startsWith(PARAM_PREFIX) ? raw.slice(PARAM_PREFIX.length) : raw;
      const s = scope.lookup(name);
      if (!s) return undefined;
      if (s.kind === 'const') return name === 'pi' ? 'Math.PI' : 'Math.E';
      if (s.kind === 'unit') return '1';
      return sym(name, s.kind);
    },
  });
}

