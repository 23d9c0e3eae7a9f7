import { Expr, LValue, Stmt } from './ir';

/**
 * Renaming locals in IR: `m` maps old names to new ones (declarations and uses alike; names not in `m`
 * stay). Fusion gives each update's top-level locals and loop variables names of their own; the gpu emitter
 * gives an inlined helper's parameters and locals names of their own. Array bindings are shared, not copied.
 */
export function renameStmt(s: Stmt, m: Map<string, string>): Stmt {
  const r = (n: string) => m.get(n) ?? n;
  const ss = (xs: Stmt[]) => xs.map((x) => renameStmt(x, m));
  const e = (x: Expr) => renameExpr(x, m);
  switch (s.k) {
    case 'let': return { ...s, names: s.names.map(r), init: s.init ? e(s.init) : null };
    case 'expr': return { ...s, e: e(s.e) };
    case 'if': return { ...s, test: e(s.test), then: ss(s.then), else: s.else ? ss(s.else) : null };
    case 'for': return { ...s, init: s.init ? renameStmt(s.init, m) : null, test: s.test ? e(s.test) : null, update: s.update ? e(s.update) : null, body: ss(s.body) };
    case 'range': return { ...s, v: r(s.v), start: e(s.start), end: e(s.end), body: ss(s.body) };
    case 'while': return { ...s, test: e(s.test), body: ss(s.body) };
    case 'block': return { ...s, body: ss(s.body) };
    case 'return': return { ...s, value: s.value ? e(s.value) : null };
    case 'op': return { ...s, args: s.args.map((a) => (a.k === 'expr' ? { k: 'expr', e: e(a.e) } : a)) };
    case 'spikeList': return { ...s, index: r(s.index) };
    default: return s;
  }
}

export function renameExpr(x: Expr, m: Map<string, string>): Expr {
  const e = (y: Expr) => renameExpr(y, m);
  const lv = (l: LValue): LValue => (l.k === 'local' ? { k: 'local', name: m.get(l.name) ?? l.name } : { ...l, i: e(l.i) });
  switch (x.k) {
    case 'num': return x;
    case 'local': return { k: 'local', name: m.get(x.name) ?? x.name };
    case 'index': return { ...x, i: e(x.i) };
    case 'localIndex': return { ...x, name: m.get(x.name) ?? x.name, i: e(x.i) };
    case 'bin': case 'logic': return { ...x, a: e(x.a), b: e(x.b) } as Expr;
    case 'un': return { ...x, a: e(x.a) };
    case 'cond': return { ...x, test: e(x.test), a: e(x.a), b: e(x.b) };
    case 'math': case 'call': case 'rng': return { ...x, args: x.args.map(e) } as Expr;
    case 'tuple': return { ...x, items: x.items.map(e) };
    case 'assign': return { ...x, target: lv(x.target), value: e(x.value) };
    case 'update': return { ...x, target: lv(x.target) };
  }
}
