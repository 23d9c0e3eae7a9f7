import { BrainweaveError } from '../core/errors';
import { InputPlan } from '../compiler/probes';
import { InputData } from '../backends/backend';

/**
 * Input functions of t are called here, by the runtime, once per step ahead of each chunk, never from
 * inside generated code: the hot loop stays free of calls into user code, and a function that throws or
 * returns garbage is caught with its name and t before any state of that step changes.
 */
export class InputSampler {
  private bufs: (Float64Array | null)[];
  constructor(private readonly plans: InputPlan[], private readonly chunk: number) {
    this.bufs = plans.map(() => null);
  }

  /** Largest chunk the sampler allows for these inputs (keeps sampled buffers at ≤ 8 MB each). */
  static maxChunk(plans: InputPlan[]): number {
    let m = Infinity;
    for (const p of plans) if (p.kind === 'func') m = Math.min(m, Math.max(1, Math.floor(1e6 / p.array.length)));
    return m;
  }

  /**
   * The inputs' data for steps [s0, s0 + n) with times t(s). Returns the data and how many steps could be
   * sampled; if a function fails at step s0 + k, `error` says why and only k steps may run.
   */
  sample(s0: number, n: number, t: (s: number) => number): { data: InputData[]; steps: number; error: Error | null } {
    let steps = n, error: Error | null = null;
    const data: InputData[] = this.plans.map((p, k) => {
      if (p.kind === 'const') return p.value as number;
      if (p.kind === 'array') return p.value as Float64Array;
      const f = p.value as (t: number) => unknown;
      const width = p.array.length;
      let vector = false;
      let buf = this.bufs[k];
      if (!buf || buf.length < this.chunk * width) buf = this.bufs[k] = new Float64Array(Math.max(1, this.chunk) * width);
      // a function may return a number (broadcast) or an array (one value per element); the first number
      // fills column 0 only, and the block switches to full rows as soon as an array appears
      for (let j = 0; j < Math.min(n, steps); j++) {
        const tj = t(s0 + j);
        let v: unknown;
        try { v = f(tj); } catch (e) {
          error = new BrainweaveError(`input '${p.path}': the function threw at t = ${tj} ms: ${(e as Error)?.message ?? String(e)}`);
          (error as Error & { cause?: unknown }).cause = e;
          steps = j; break;
        }
        const bad = checkValue(p, v, tj);
        if (bad) { error = bad; steps = j; break; }
        if (typeof v === 'number') {
          if (vector) buf.fill(v, j * width, (j + 1) * width);
          else buf[j] = v;
        } else {
          if (!vector) { // spread the numbers sampled so far into full rows
            for (let r = j - 1; r >= 0; r--) buf.fill(buf[r], r * width, (r + 1) * width);
            vector = true;
          }
          const a = v as ArrayLike<number>;
          for (let i = 0; i < width; i++) buf[j * width + i] = a[i];
        }
      }
      return { buf, width: vector ? width : 1 };
    });
    return { data, steps, error };
  }
}

function checkValue(p: InputPlan, v: unknown, t: number): Error | null {
  const where = `input '${p.path}' at t = ${t} ms`;
  if (typeof v === 'number') return Number.isFinite(v) ? null : new BrainweaveError(`${where}: the function returned ${v}; inputs must be finite numbers`);
  if (v && typeof v === 'object' && typeof (v as ArrayLike<number>).length === 'number') {
    const a = v as ArrayLike<number>;
    if (a.length !== p.array.length) return new BrainweaveError(`${where}: the function returned ${a.length} values for ${p.array.length} elements`);
    for (let i = 0; i < a.length; i++) {
      if (typeof a[i] !== 'number' || !Number.isFinite(a[i])) return new BrainweaveError(`${where}: the function returned ${String(a[i])} at index ${i}; inputs must be finite numbers`);
    }
    return null;
  }
  const shown = typeof v === 'string' ? `the string ${JSON.stringify(v)}` : String(v);
  return new BrainweaveError(`${where}: the function returned ${shown}; it must return a number or an array of ${p.array.length} numbers`);
}
