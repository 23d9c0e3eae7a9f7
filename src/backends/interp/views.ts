import { Variable } from '../../core/variable';
import { isDense2D, isRagged, Dense2D, Ragged } from '../../core/structures';

/**
 * Interpreted mode (jit: false): update() runs as written, with `this` bound to a view of the model
 * whose Variables are their typed arrays and whose connectivity rows are indexable subarrays.
 * Same arithmetic in the same order as the compiled loop, so both give identical results.
 */
export function makeViews(objects: any[]): Map<any, any> {
  const views = new Map<any, any>();
  const viewOf = (obj: any): any => {
    let v = views.get(obj);
    if (v) return v;
    v = Object.create(obj);
    views.set(obj, v);
    for (const key of Object.keys(obj)) {
      const x = obj[key];
      if (x instanceof Variable) v[key] = x.value;
      else if (isRagged(x)) v[key] = raggedRows(x);
      else if (isDense2D(x)) v[key] = denseRows(x);
      else if (x && typeof x === 'object' && objects.includes(x)) v[key] = viewOf(x);
    }
    return v;
  };
  for (const o of objects) viewOf(o);
  return views;
}

const rowCache = new WeakMap<object, unknown>();

function raggedRows(r: Ragged): Int32Array[] & Ragged {
  const known = rowCache.get(r);
  if (known) return known as Int32Array[] & Ragged;
  const rows: any = [];
  for (let i = 0; i + 1 < r.indptr.length; i++) rows.push(r.indices.subarray(r.indptr[i], r.indptr[i + 1]));
  Object.assign(rows, { kind: 'ragged', indptr: r.indptr, indices: r.indices, synIds: r.synIds });
  rowCache.set(r, rows);
  return rows;
}

function denseRows(d: Dense2D): any {
  const known = rowCache.get(d);
  if (known) return known;
  const rows: any = [];
  for (let i = 0; i < d.rows; i++) rows.push(d.data.subarray(i * d.cols, (i + 1) * d.cols));
  Object.assign(rows, { kind: 'dense2d', data: d.data, cols: d.cols, rows: d.rows });
  rowCache.set(d, rows);
  return rows;
}
