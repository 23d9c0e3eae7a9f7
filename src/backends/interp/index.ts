import { Variable } from '../../core/variable';
import { InputPlan } from '../../compiler/probes';
import { Backend, CompileRequest, Executable, InputData, RunIO, STATUS } from '../backend';
import { makeViews } from './views';

/**
 * The interp backend (`jit: false`): runs each object's update() as written, with `this` bound to a view
 * whose Variables are their typed arrays. Nothing is translated, so it runs code the compiler refuses
 * (for debugging), and it is the reference the conformance suite compares every backend against: the
 * same arithmetic in the same order as the js backend, so the two agree bit for bit.
 */
export const interpBackend: Backend = {
  name: 'interp',
  capabilities: { float64: true, scatter: true, sequentialRng: true, async: false },
  autoRank: null,
  available: () => true,
  compile(req: CompileRequest): Executable {
    const views = makeViews(req.objects.map((o) => o.obj));
    const order = req.objects.map((o) => [o.obj as { update: Function }, views.get(o.obj)] as const);
    const checked: [string, ArrayLike<number>][] = [];
    if (req.checkEvery > 0) {
      for (const { name, obj } of req.objects) {
        for (const key of Object.keys(obj)) {
          const v = (obj as Record<string, unknown>)[key];
          if (v instanceof Variable && v.dtype === 'float') checked.push([`${name}.${key}`, v.value]);
        }
      }
    }
    const { inputs, monitors, checkEvery } = req;
    return {
      checked: checked.map(([p]) => p),
      run(s0, n, tBase, k0, dt, io: RunIO, S) {
        const M = io.monitors;
        for (let s = s0; s < s0 + n; s++) {
          S[0] = s; // if update() throws, the runtime knows which step was running
          for (let m = 0; m < monitors.length; m++) {
            if (monitors[m].kind === 'spike' && M.n[m] + monitors[m].width > M.steps[m]!.length) { S[0] = s; S[1] = STATUS.GROW; S[2] = m; return; }
          }
          const t = tBase + (k0 + s) * dt;
          inputs.forEach((p, k) => applyInput(p, io.inputs[k], s - s0));
          for (const [obj, view] of order) obj.update.call(view, t, dt);
          monitors.forEach((p, m) => {
            const a = p.array;
            if (p.kind === 'spike') {
              const st = M.steps[m]!, ix = M.idx[m]!;
              for (let i = 0; i < a.length; i++) if (a[i] !== 0) { st[M.n[m]] = s; ix[M.n[m]] = i; M.n[m]++; }
            } else if (s % p.every === 0) {
              const d = M.data[m]!, b = M.n[m] * p.width, x = p.indices;
              for (let j = 0; j < p.width; j++) d[b + j] = x ? a[x[j]] : a[j];
              M.n[m]++;
            }
          });
          if (checkEvery > 0 && (s + 1) % checkEvery === 0) {
            for (let c = 0; c < checked.length; c++) {
              const a = checked[c][1];
              for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) { S[0] = s; S[1] = STATUS.NONFINITE; S[2] = c; S[3] = i; return; }
            }
          }
        }
        S[0] = s0 + n; S[1] = STATUS.DONE;
      },
    };
  },
};

/** One input for one step, with the same arithmetic as the js backend's inlined loop. */
function applyInput(p: InputPlan, d: InputData, row: number): void {
  const a = p.array, n = a.length;
  let v: number | ArrayLike<number>, off = 0;
  if (typeof d === 'number' || d instanceof Float64Array) v = d;
  else if (d.width === 1) v = d.buf[row];
  else { v = d.buf; off = row * n; }
  if (typeof v === 'number') {
    switch (p.op) {
      case '+': for (let i = 0; i < n; i++) a[i] += v; break;
      case '-': for (let i = 0; i < n; i++) a[i] -= v; break;
      case '*': for (let i = 0; i < n; i++) a[i] *= v; break;
      case '/': for (let i = 0; i < n; i++) a[i] /= v; break;
      case '=': for (let i = 0; i < n; i++) a[i] = v; break;
    }
  } else {
    switch (p.op) {
      case '+': for (let i = 0; i < n; i++) a[i] += v[off + i]; break;
      case '-': for (let i = 0; i < n; i++) a[i] -= v[off + i]; break;
      case '*': for (let i = 0; i < n; i++) a[i] *= v[off + i]; break;
      case '/': for (let i = 0; i < n; i++) a[i] /= v[off + i]; break;
      case '=': for (let i = 0; i < n; i++) a[i] = v[off + i]; break;
    }
  }
}
