import { Expr, LValue, OpArg, Stmt } from './ir';
import { StepPlan } from './plan';

/**
 * A step plan as readable text: bindings with dtype and role, then the step with every loop's class and
 * largest trip count. Deterministic (same network, same text), so tests can hold golden copies of it.
 */
export function printPlan(plan: StepPlan): string {
  const out: string[] = ['bindings:'];
  for (const b of plan.bindings) out.push(`  ${b.id} = ${b.path}: ${b.dtype}[${b.array.length}] ${b.role}${b.writable ? ' rw' : ''}`);
  if (plan.helpers.length || plan.opaque.length) {
    out.push('functions:');
    for (const f of [...plan.helpers, ...plan.opaque]) {
      out.push(`  ${f.id}(${f.params.join(', ')}): ${f.cls} '${f.owner}'.${f.method}`);
      stmts(f.body, '    ', out);
    }
  }
  out.push('step:');
  stmts(plan.step, '  ', out);
  return out.join('\n');
}

function stmts(ss: Stmt[], ind: string, out: string[]): void { for (const s of ss) stmt(s, ind, out); }

function stmt(s: Stmt, ind: string, out: string[]): void {
  const inner = ind + '  ';
  const info = (x: { info?: { cls: string; maxTrip: number } }) => (x.info ? `  [${x.info.cls}, trip ≤ ${x.info.maxTrip < 0 ? '?' : x.info.maxTrip}]` : '');
  switch (s.k) {
    case 'let': out.push(`${ind}${s.kind} ${s.destructure ? `[${s.names.join(', ')}]` : s.names[0]}${s.init ? ` = ${ex(s.init)}` : ''}`); return;
    case 'expr': out.push(`${ind}${ex(s.e)}`); return;
    case 'if':
      out.push(`${ind}if ${ex(s.test)}`); stmts(s.then, inner, out);
      if (s.else) { out.push(`${ind}else`); stmts(s.else, inner, out); }
      return;
    case 'for': {
      const head = [s.init ? headOf(s.init) : '', s.test ? ex(s.test) : '', s.update ? ex(s.update) : ''].join('; ');
      out.push(`${ind}for (${head})${info(s)}`); stmts(s.body, inner, out); return;
    }
    case 'range': out.push(`${ind}for ${s.v} in [${ex(s.start)}, ${ex(s.end)})${info(s)}`); stmts(s.body, inner, out); return;
    case 'while': out.push(`${ind}while ${ex(s.test)}`); stmts(s.body, inner, out); return;
    case 'block': out.push(`${ind}{`); stmts(s.body, inner, out); out.push(`${ind}}`); return;
    case 'break': case 'continue': out.push(`${ind}${s.k}`); return;
    case 'return': out.push(`${ind}return${s.value ? ' ' + ex(s.value) : ''}`); return;
    case 'op': out.push(`${ind}${s.name}(${s.args.map(arg).join(', ')})`); return;
    case 'eventGroup':
      out.push(`${ind}event scan of ${s.list ? `the list ${s.list.arr.id}` : spikeOf(s.ops[0].args[2])}:`);
      for (const o of s.ops) out.push(`${inner}${o.name}(${o.args.map(arg).join(', ')})`);
      for (const r of s.records) out.push(`${inner}record spikes of ${r.arr.id} -> monitor ${r.mon}`);
      return;
    case 'record': out.push(`${ind}record spikes of ${s.list ? `the list ${s.list.arr.id}` : s.arr.id} -> monitor ${s.mon}`); return;
    case 'spikeList': out.push(`${ind}spike list: append ${s.index} to ${s.list.arr.id} if ${s.value ?? `${s.spike.id}[${s.index}]`} ≠ 0`); return;
    case 'input': out.push(`${ind}input ${s.slot}: ${s.target.id} ${s.op}${s.op === '=' ? '' : '='} <${s.source}>`); return;
    case 'recordValue': out.push(`${ind}${s.every > 1 ? `every ${s.every} steps: ` : ''}record ${s.arr.id}${s.indexed ? `[${s.width} indices]` : ''} -> monitor ${s.mon}`); return;
    case 'check': out.push(`${ind}every ${s.every} steps: check finite ${s.arrays.map((a) => a.id).join(', ')}`); return;
  }
}

function headOf(s: Stmt): string { const o: string[] = []; stmt(s, '', o); return o.join(' '); }
function spikeOf(a: OpArg): string { return a.k === 'array' ? a.arr.id : '?'; }

function arg(a: OpArg): string {
  switch (a.k) {
    case 'expr': return ex(a.e);
    case 'array': return a.arr.id;
    case 'ragged': return `rows(${a.indptr.id}, ${a.indices.id}; ${a.rows} rows, ≤ ${a.maxRow})`;
    case 'dense': return `${a.data.id}[${a.rows}×${a.cols}]`;
  }
}

function ex(e: Expr): string {
  switch (e.k) {
    case 'num': return Object.is(e.v, -0) ? '-0' : String(e.v);
    case 'local': return e.name;
    case 'index': return `${e.arr.id}[${ex(e.i)}]`;
    case 'localIndex': return `${e.name}[${ex(e.i)}]`;
    case 'bin': case 'logic': return `(${ex(e.a)} ${e.op} ${ex(e.b)})`;
    case 'un': return `${e.op}${ex(e.a)}`;
    case 'cond': return `(${ex(e.test)} ? ${ex(e.a)} : ${ex(e.b)})`;
    case 'math': return `Math.${e.fn}(${e.args.map(ex).join(', ')})`;
    case 'call': return `${e.fn}(${e.args.map(ex).join(', ')})`;
    case 'rng': return `rng.${e.fn}(${e.args.map(ex).join(', ')})`;
    case 'tuple': return `[${e.items.map(ex).join(', ')}]`;
    case 'assign': return `${lv(e.target)} ${e.op} ${ex(e.value)}`;
    case 'update': return e.prefix ? `${e.op}${lv(e.target)}` : `${lv(e.target)}${e.op}`;
  }
}
function lv(l: LValue): string { return l.k === 'local' ? l.name : `${l.arr.id}[${ex(l.i)}]`; }
