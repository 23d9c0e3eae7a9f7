import { Expr, LValue, OpArg, Stmt } from '../../compiler/ir';
import { CPU_OPS, eventGroup, recordEvent } from './ops';

/** Prints IR as JavaScript. Everything is parenthesised: the output is for V8, not for people. */
export function printExpr(e: Expr): string {
  switch (e.k) {
    case 'num': return numLit(e.v);
    case 'local': return e.name;
    case 'index': return `${e.arr.id}[${printExpr(e.i)}]`;
    case 'localIndex': return `${e.name}[${printExpr(e.i)}]`;
    case 'bin': return `(${printExpr(e.a)} ${e.op} ${printExpr(e.b)})`;
    case 'logic': return `(${printExpr(e.a)} ${e.op} ${printExpr(e.b)})`;
    case 'un': return `(${e.op}${printExpr(e.a)})`;
    case 'cond': return `(${printExpr(e.test)} ? ${printExpr(e.a)} : ${printExpr(e.b)})`;
    case 'math': return `Math.${e.fn}(${e.args.map(printExpr).join(', ')})`;
    case 'call': return `${e.fn}(${e.args.map(printExpr).join(', ')})`;
    case 'rng': return `rng.${e.fn}(${e.args.map(printExpr).join(', ')})`;
    case 'tuple': return `[${e.items.map(printExpr).join(', ')}]`;
    case 'assign': return `${printLValue(e.target)} ${e.op} ${printExpr(e.value)}`;
    case 'update': return e.prefix ? `${e.op}${printLValue(e.target)}` : `${printLValue(e.target)}${e.op}`;
  }
}

function printLValue(l: LValue): string {
  return l.k === 'local' ? l.name : `${l.arr.id}[${printExpr(l.i)}]`;
}

export function numLit(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '(-Infinity)';
  if (Object.is(v, -0)) return '(-0)';
  return v < 0 ? `(${String(v)})` : String(v);
}

export function printStmts(stmts: Stmt[], ind: string, out: string[]): void {
  for (const s of stmts) printStmt(s, ind, out);
}

function printStmt(s: Stmt, ind: string, out: string[]): void {
  const inner = ind + '  ';
  switch (s.k) {
    case 'let':
      if (s.destructure) out.push(`${ind}${s.kind} [${s.names.join(', ')}] = ${printExpr(s.init!)};`);
      else out.push(`${ind}${s.kind} ${s.names[0]}${s.init ? ` = ${printExpr(s.init)}` : ''};`);
      return;
    case 'expr': out.push(`${ind}${printExpr(s.e)};`); return;
    case 'if':
      out.push(`${ind}if (${printExpr(s.test)}) {`);
      printStmts(s.then, inner, out);
      if (s.else) { out.push(`${ind}} else {`); printStmts(s.else, inner, out); }
      out.push(`${ind}}`);
      return;
    case 'for': {
      const init = s.init ? headerInit(s.init) : '';
      out.push(`${ind}for (${init}; ${s.test ? printExpr(s.test) : ''}; ${s.update ? printExpr(s.update) : ''}) {`);
      printStmts(s.body, inner, out);
      out.push(`${ind}}`);
      return;
    }
    case 'range':
      out.push(`${ind}for (let ${s.v} = ${printExpr(s.start)}, ${s.v}e = ${printExpr(s.end)}; ${s.v} < ${s.v}e; ${s.v}++) {`);
      printStmts(s.body, inner, out);
      out.push(`${ind}}`);
      return;
    case 'while':
      out.push(`${ind}while (${printExpr(s.test)}) {`);
      printStmts(s.body, inner, out);
      out.push(`${ind}}`);
      return;
    case 'block': out.push(`${ind}{`); printStmts(s.body, inner, out); out.push(`${ind}}`); return;
    case 'break': out.push(`${ind}break;`); return;
    case 'continue': out.push(`${ind}continue;`); return;
    case 'return': out.push(`${ind}return${s.value ? ' ' + printExpr(s.value) : ''};`); return;
    case 'op': out.push(...CPU_OPS[s.name](s.args.map(printArg), s.args, ind)); return;
    case 'eventGroup': out.push(...eventGroup(s.ops.map((o) => o.args.map(printArg)), s.records.map((r) => r.mon), ind)); return;
    case 'record': {
      const m = s.mon;
      out.push(`${ind}for (let i = 0; i < ${s.arr.array.length}; i++) if (${s.arr.id}[i] !== 0) { ${recordEvent(m, 'i')} }`);
      return;
    }
  }
}

function headerInit(s: Stmt): string {
  const lines: string[] = [];
  printStmt(s, '', lines);
  return lines.join(' ').replace(/;$/, '');
}

/** Operator arguments: arrays and matrices by their identifiers, scalars as expressions. */
export interface PrintedArg { text: string; ptr?: string; idx?: string; rows?: number; cols?: number; isArray: boolean }
function printArg(a: OpArg): PrintedArg {
  switch (a.k) {
    case 'expr': return { text: printExpr(a.e), isArray: false };
    case 'array': return { text: a.arr.id, isArray: true };
    case 'ragged': return { text: a.indices.id, ptr: a.indptr.id, idx: a.indices.id, rows: a.rows, isArray: true };
    case 'dense': return { text: a.data.id, rows: a.rows, cols: a.cols, isArray: true };
  }
}
