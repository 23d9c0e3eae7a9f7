import { Expr, LValue, OpArg, Stmt } from '../../compiler/ir';
import { JS_KERNELS, eventGroup, recordEvent, PrintedArg } from './kernels';
import { InputSource } from './io';

/**
 * Prints plan statements as JavaScript. Everything is parenthesised: the output is for V8, not people.
 * Names of temporaries come from one counter per compilation, so identical networks print identical code.
 */
export class JsPrinter {
  private uid = 0;
  /** Statements that store the monitor counters back (before any early return from run()). */
  save = '';
  /** Statements printed as a call of a function of their own (compiler/outline.ts): the call's text. */
  hoisted = new Map<Stmt, string>();
  /** A fresh suffix for loop variables of kernels (ops can nest inside user loops). */
  fresh(): number { return this.uid++; }

  stmts(stmts: Stmt[], ind: string, out: string[]): void {
    for (const s of stmts) this.stmt(s, ind, out);
  }

  private stmt(s: Stmt, ind: string, out: string[]): void {
    const call = this.hoisted.get(s);
    if (call) { out.push(ind + call); return; }
    const inner = ind + '  ';
    switch (s.k) {
      case 'let':
        if (s.destructure) out.push(`${ind}${s.kind} [${s.names.join(', ')}] = ${printExpr(s.init!)};`);
        else out.push(`${ind}${s.kind} ${s.names[0]}${s.init ? ` = ${printExpr(s.init)}` : ''};`);
        return;
      case 'expr': out.push(`${ind}${printExpr(s.e)};`); return;
      case 'if':
        out.push(`${ind}if (${printExpr(s.test)}) {`);
        this.stmts(s.then, inner, out);
        if (s.else) { out.push(`${ind}} else {`); this.stmts(s.else, inner, out); }
        out.push(`${ind}}`);
        return;
      case 'for': {
        const init = s.init ? this.headerInit(s.init) : '';
        out.push(`${ind}for (${init}; ${s.test ? printExpr(s.test) : ''}; ${s.update ? printExpr(s.update) : ''}) {`);
        this.stmts(s.body, inner, out);
        out.push(`${ind}}`);
        return;
      }
      case 'range':
        out.push(`${ind}for (let ${s.v} = ${printExpr(s.start)}, ${s.v}e = ${printExpr(s.end)}; ${s.v} < ${s.v}e; ${s.v}++) {`);
        this.stmts(s.body, inner, out);
        out.push(`${ind}}`);
        return;
      case 'while':
        out.push(`${ind}while (${printExpr(s.test)}) {`);
        this.stmts(s.body, inner, out);
        out.push(`${ind}}`);
        return;
      case 'block': out.push(`${ind}{`); this.stmts(s.body, inner, out); out.push(`${ind}}`); return;
      case 'break': out.push(`${ind}break;`); return;
      case 'continue': out.push(`${ind}continue;`); return;
      case 'return': out.push(`${ind}return${s.value ? ' ' + printExpr(s.value) : ''};`); return;
      case 'op': out.push(...JS_KERNELS[s.name](s.args.map(printArg), s.args, ind, this)); return;
      case 'eventGroup': out.push(...eventGroup(s.ops.map((o) => o.args.map(printArg)), s.records.map((r) => r.mon), ind, this, s.list && { arr: s.list.arr.id, count: s.list.count })); return;
      case 'record':
        if (s.list) out.push(`${ind}for (let q = 0; q < ${s.list.count}; q++) { const i = ${s.list.arr.id}[q]; ${recordEvent(s.mon, 'i')} }`);
        else out.push(`${ind}for (let i = 0; i < ${s.arr.array.length}; i++) if (${s.arr.id}[i] !== 0) { ${recordEvent(s.mon, 'i')} }`);
        return;
      case 'spikeList': out.push(`${ind}if (${s.value ?? `${s.spike.id}[${s.index}]`} !== 0) ${s.list.arr.id}[${s.list.count}++] = ${s.index};`); return;
      case 'input': {
        const n = s.target.array.length, tgt = s.target.id, k = s.slot;
        const apply = (v: string) => (s.op === '=' ? `${tgt}[i] = ${v};` : `${tgt}[i] ${s.op}= ${v};`);
        const src = s.source as InputSource;
        if (src === 'const') out.push(`${ind}for (let i = 0; i < ${n}; i++) ${apply(`in$${k}`)}`);
        else if (src === 'array') out.push(`${ind}for (let i = 0; i < ${n}; i++) ${apply(`in$${k}[i]`)}`);
        else {
          // sampled by the runtime for this chunk: row (s$ - s0) of width 1 (a number) or n (an array)
          out.push(`${ind}if (in$${k}w === 1) { const v = in$${k}[s$ - s0]; for (let i = 0; i < ${n}; i++) ${apply('v')} }`);
          out.push(`${ind}else { const b = (s$ - s0) * ${n}; for (let i = 0; i < ${n}; i++) ${apply(`in$${k}[b + i]`)} }`);
        }
        return;
      }
      case 'recordValue': {
        const m = s.mon, a = s.arr.id;
        const cond = s.every === 1 ? '' : `if (s$ % ${s.every} === 0) `;
        const src = s.indexed ? `${a}[mon$${m}$x[j]]` : `${a}[j]`;
        out.push(`${ind}${cond}{ const b = mon$${m}$n * ${s.width}; for (let j = 0; j < ${s.width}; j++) mon$${m}$d[b + j] = ${src}; mon$${m}$n++; }`);
        return;
      }
      case 'check':
        // rare: the scan lives in its own function so V8 does not weigh it in the hot loop
        if (!s.flush) { out.push(`${ind}if ((s$ + 1) % ${s.every} === 0 && checkAll$(s$, S)) { ${this.save} return; }`); return; }
        out.push(`${ind}if ((s$ + 1) % ${s.every} === 0) {`);
        this.stmts(s.flush, inner, out);
        out.push(`${inner}if (checkAll$(s$, S)) { ${this.save} return; }`, `${ind}}`);
        return;
    }
  }

  private headerInit(s: Stmt): string {
    const lines: string[] = [];
    this.stmt(s, '', lines);
    return lines.join(' ').replace(/;$/, '');
  }
}

export function printExpr(e: Expr): string {
  switch (e.k) {
    case 'num': return e.bool ? String(e.v !== 0) : numLit(e.v);
    case 'local': return e.name;
    case 'index': return `${e.arr.id}[${printExpr(e.i)}]`;
    case 'localIndex': return `${e.name}[${printExpr(e.i)}]`;
    case 'bin': return `(${printExpr(e.a)} ${e.op} ${printExpr(e.b)})`;
    case 'logic': return `(${printExpr(e.a)} ${e.op} ${printExpr(e.b)})`;
    case 'un': return `(${e.op}${printExpr(e.a)})`;
    case 'cond': return `(${printExpr(e.test)} ? ${printExpr(e.a)} : ${printExpr(e.b)})`;
    case 'math': return `Math$${e.fn}(${e.args.map(printExpr).join(', ')})`; // a local of each function (emit.ts)
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

function printArg(a: OpArg): PrintedArg {
  switch (a.k) {
    case 'expr': return { text: printExpr(a.e), isArray: false };
    case 'array': return { text: a.arr.id, isArray: true };
    case 'ragged': return { text: a.indices.id, ptr: a.indptr.id, idx: a.indices.id, rows: a.rows, isArray: true };
    case 'dense': return { text: a.data.id, rows: a.rows, cols: a.cols, isArray: true };
  }
}
