import { ArrayBinding } from '../../compiler/ir';
import { BackendUnsupported, Executable, RunIO, STATUS } from '../backend';
import { GPUContext, kernelMode, loadGPUjs } from './context';
import { Action, GPUProgram, KernelSpec } from './emit';

/**
 * Runs a GPUProgram through gpu.js. State lives on the device during a call of run(): uploaded at its
 * start, read back into the Variables at its end (so `variable.value` is current after every chunk), with
 * no readback per step except value monitors on their recording steps. Steps run in batches of ≤ 24: spike
 * monitors collect one bit per step on the device and are read back once per batch; a batch also ends at
 * every finiteness-check step (the check reads the state back there) and where a spike buffer could fill.
 */
export { MAX_BATCH } from './batch';
import { MAX_BATCH } from './batch';

const settle = async <T>(v: T | Promise<T>): Promise<T> => (v && typeof (v as Promise<T>).then === 'function' ? await v : v as T);
const isHost = (h: unknown): boolean => ArrayBuffer.isView(h) || Array.isArray(h);
const free = (h: any): void => { if (h && !isHost(h) && typeof h.delete === 'function') h.delete(); };

/** Device → host copies so far (every one a synchronisation with the device), for tests and measurements. */
export const readbacks = { count: 0 };

async function toArray(h: any): Promise<Float32Array> {
  readbacks.count++;
  let v = await settle(h);
  if (v && !isHost(v) && typeof v.toArray === 'function') v = await settle(v.toArray());
  return v instanceof Float32Array ? v : Float32Array.from(v as ArrayLike<number>);
}

export interface GPUExecutable extends Executable {
  /** The program (kernel sources, host code) for inspection. */
  readonly program: GPUProgram;
  /** What the kernels ran on after the first run ('webasm', 'webgpu (google swiftshader, software)', ...). */
  ranOn(): string | null;
}

export function makeExecutable(program: GPUProgram, getContext: () => Promise<GPUContext>, modeName: string): GPUExecutable {
  let ctx: GPUContext | null = null;
  const kernels = new Map<KernelSpec, any>();
  const copies = new Map<number, any>();
  const consts = new Map<string, any>();
  let ran: string | null = null;

  const build = (spec: KernelSpec): any => {
    let k = kernels.get(spec);
    if (k) return k;
    try {
      k = ctx!.gpu.createKernel(spec.final!.source, {
        output: [spec.size], pipeline: true, immutable: true, loopMaxIterations: Math.max(1, spec.loopMax + 1),
      });
    } catch (e) {
      throw new Error(`gpu backend (${ctx!.mode}): kernel for ${spec.what} did not compile: ${(e as Error).message}\n${spec.final!.source}`);
    }
    kernels.set(spec, k);
    return k;
  };

  /** A host array on the device (a copy kernel's output: device arrays are what every kernel takes). */
  const upload = async (a: ArrayLike<number>): Promise<any> => {
    const n = a.length;
    let c = copies.get(n);
    if (!c) {
      c = ctx!.gpu.createKernel('function (a) { return a[this.thread.x]; }', { output: [Math.max(1, n)], pipeline: true, immutable: true });
      copies.set(n, c);
    }
    const f = a instanceof Float32Array ? a : Float32Array.from(a);
    return settle(c(n ? f : new Float32Array(1)));
  };

  const release = () => {
    for (const k of kernels.values()) { try { k.destroy?.(); } catch { /* gone */ } }
    for (const k of copies.values()) { try { k.destroy?.(); } catch { /* gone */ } }
    for (const h of consts.values()) free(h);
    kernels.clear(); copies.clear(); consts.clear();
    ran = null;
  };
  const ready = async () => {
    // the runtime caches executables by backend name: follow the mode set since (setGPUMode) by rebuilding
    const want = await getContext();
    if (ctx === want) return;
    if (ctx) release();
    ctx = want;
    if (ctx.mode === 'webgpu') {
      // one storage binding per array argument plus the output; WebGPU refuses the pipeline beyond the limit
      const lib = ctx.GPUClass?.WebGPUContext ?? loadGPUjs('webgpu').WebGPUContext;
      const max: number = (await lib.acquire()).device.limits.maxStorageBuffersPerShaderStage;
      for (const s of program.kernels) {
        if (s.final!.handles.length + 1 > max) {
          const c = ctx; ctx = null;
          throw new BackendUnsupported(`gpu (${c.mode})`, `${s.what}: the kernel reads ${s.final!.handles.length} device arrays (${s.arrays.map((r) => r.binding?.path ?? r.id).join(', ')}); ` +
            `this WebGPU device binds at most ${max} storage buffers per kernel, output included (split the loop, or use mode webasm/cpu)`);
        }
      }
    }
    for (const s of program.kernels) build(s);
    // connectivity and derived rows (CSC) never change: on the device once
    for (const s of program.kernels) for (const r of s.arrays) {
      if (consts.has(r.id)) continue;
      if (r.data) consts.set(r.id, await upload(r.data));
      else if (r.binding && r.binding.role === 'connectivity') consts.set(r.id, await upload(r.binding.array));
    }
  };

  async function run(s0: number, nSteps: number, tBase: number, k0: number, dt: number, io: RunIO, S: Float64Array): Promise<void> {
    await ready();
    const cur = new Map<string, any>(consts);
    // the state in the layout of a step's end: packs assembled from the Variables they hold
    for (const [h, p] of program.packs) {
      const buf = new Float32Array(p.size);
      for (const { b, off } of p.fields) if (program.finalLoc.get(b.id)?.h === h) buf.set(Float32Array.from(b.array), off);
      cur.set(h, await upload(buf));
    }
    for (const k of program.kernels) for (const h of k.final!.handles) {
      if (cur.has(h) || h.startsWith('rec$') || h.startsWith('in$')) continue;
      const b = k.arrays.find((r) => r.id === h)?.binding;
      if (b) cur.set(h, await upload(b.array));
    }
    for (const { mon, arr } of program.spikeMonitors) cur.set(`rec$${mon}`, await upload(new Float32Array(arr.array.length)));
    // value monitors: a batch's records on the device, a row per record, read back at the batch's end
    const values = collect(program.actions).filter((a): a is Extract<Action, { k: 'value' }> => a.k === 'value');
    const vrows = new Map<number, number>();
    for (const a of values) {
      cur.set(`vbuf$${a.mon}`, await upload(new Float32Array(a.rows * a.width)));
      if (a.indexed) cur.set(`vsel$${a.mon}`, await upload(Float32Array.from(io.monitors.sel[a.mon]!)));
      vrows.set(a.mon, 0);
    }
    const inputs = io.inputs;
    inputs.forEach((d, k) => {
      if (d instanceof Float64Array) cur.set(`in$${k}`, upload(d));
    });
    for (const [k, v] of cur) if (v && typeof v.then === 'function') cur.set(k, await v);
    const E: Record<string, number> = { dt$: dt };
    // step-level state kept on the host: in E during the run, back in its arrays at checks and at the end
    for (const h of program.hostState) E[h.key] = h.b.array[h.i];
    const hostBack = () => { for (const h of program.hostState) (h.b.array as unknown as number[])[h.i] = E[h.key]; };
    const steps0 = io.stepsDone ?? 0;
    const M = io.monitors;

    const call = async (spec: KernelSpec): Promise<any> => {
      const args = [...spec.final!.handles.map((h) => cur.get(h)), ...spec.scalars.map((n) => E[n])];
      return settle(kernels.get(spec)(...args));
    };
    const replace = (id: string, h: any) => { const old = cur.get(id); if (old !== h && !consts.has(id)) free(old); cur.set(id, h); };

    /** A value monitor's recorded rows into the run's monitor data (one readback). */
    const drain = async (a: Extract<Action, { k: 'value' }>) => {
      const rows = vrows.get(a.mon)!;
      if (!rows) return;
      const host = await toArray(cur.get(`vbuf$${a.mon}`));
      (M.data[a.mon] as unknown as { set(x: ArrayLike<number>, o: number): void }).set(host.subarray(0, rows * a.width), M.n[a.mon] * a.width);
      M.n[a.mon] += rows;
      vrows.set(a.mon, 0);
    };
    const exec = async (acts: Action[], s: number): Promise<void> => {
      for (const a of acts) {
        switch (a.k) {
          case 'group': replace(a.out, await call(a.kernel)); break;
          case 'if': await exec(E[a.test] ? a.then : a.else, s); break;
          case 'record': replace(`rec$${a.mon}`, await call(a.kernel)); break;
          case 'input': {
            const d = inputs[a.slot];
            let spec = a.scalar;
            if (typeof d === 'number') E[`in$${a.slot}`] = d;
            else if (d instanceof Float64Array) spec = a.array;
            else if (d.width === 1) E[`in$${a.slot}`] = d.buf[s - s0];
            else {
              const h = await upload(d.buf.subarray((s - s0) * d.width, (s - s0 + 1) * d.width));
              replace(`in$${a.slot}`, h);
              spec = a.array;
            }
            replace(a.out, await call(spec));
            break;
          }
          case 'value': {
            if (s % a.every !== 0) break;
            const r = vrows.get(a.mon)!;
            E[`vrow$${a.mon}`] = r;
            replace(`vbuf$${a.mon}`, await call(a.kernel));
            vrows.set(a.mon, r + 1);
            if (r + 1 === a.rows) await drain(a);
            break;
          }
          case 'check': break;   // at the batch end (batches end on check steps)
        }
      }
    };

    // Variables written on the device, from where a step's end leaves them (one readback per device array)
    const readState = async (bs: ArrayBinding[]) => {
      const got = new Map<string, Float32Array>();
      for (const b of bs) {
        const l = program.finalLoc.get(b.id);
        if (!l) continue;   // never written on the device: the host copy is current
        let h = got.get(l.h);
        if (!h) { h = await toArray(cur.get(l.h)); got.set(l.h, h); }
        const a = b.array as unknown as { [i: number]: number; length: number };
        for (let i = 0; i < a.length; i++) a[i] = h[l.off + i];
      }
    };
    const finish = async () => {
      hostBack();
      await readState(program.state);
      for (const [id, h] of cur) if (!consts.has(id)) free(h);
    };

    const checkEvery = checkStep();
    let s = s0;
    const end = s0 + nSteps;
    while (s < end) {
      let B = Math.min(MAX_BATCH, end - s);
      for (const { mon, arr } of program.spikeMonitors) {
        const width = arr.array.length, cap = M.steps[mon]!.length;
        const fit = Math.floor((cap - M.n[mon]) / width);
        if (fit < 1) { S[0] = s; S[1] = STATUS.GROW; S[2] = mon; await finish(); return; }
        B = Math.min(B, fit);
      }
      if (checkEvery > 0) {
        const next = s + (checkEvery - 1 - (s % checkEvery));   // first step ≥ s with (step + 1) % every === 0
        if (next < s + B) B = next - s + 1;
      }
      for (let b = 0; b < B; b++) {
        const st = s + b;
        E.t$ = tBase + (k0 + st) * dt;
        E.first$ = b === 0 ? 1 : 0;
        // the network's step count for counter-based draws, as 16-bit halves of its two words (exact in float32)
        const n = steps0 + st, lo = n % 4294967296, hi = Math.floor(n / 4294967296);
        E['rs$1h'] = Math.floor(lo / 65536); E['rs$1l'] = lo % 65536; E['rs$3h'] = Math.floor(hi / 65536); E['rs$3l'] = hi % 65536;
        program.host(E);
        await exec(program.actions, st);
      }
      // value records of the batch: one readback per monitor
      for (const a of values) await drain(a);
      // spikes of the batch, step by step, ascending index within a step (the js order)
      for (const { mon, arr } of program.spikeMonitors) {
        const rec = await toArray(cur.get(`rec$${mon}`));
        const nz: number[] = [];
        for (let i = 0; i < arr.array.length; i++) if (rec[i] !== 0) nz.push(i);
        const steps = M.steps[mon]!, idx = M.idx[mon]!;
        let n = M.n[mon];
        for (let b = 0; b < B; b++) {
          const p = 2 ** (B - 1 - b);
          for (const i of nz) if (Math.floor(rec[i] / p) % 2 === 1) { steps[n] = s + b; idx[n] = i; n++; }
        }
        M.n[mon] = n;
      }
      s += B;
      if (checkEvery > 0 && s % checkEvery === 0) {
        hostBack();
        await readState(program.checked);
        for (let c = 0; c < program.checked.length; c++) {
          const a = program.checked[c].array;
          for (let i = 0; i < a.length; i++) {
            const x = a[i];
            if (x - x !== 0) { S[0] = s - 1; S[1] = STATUS.NONFINITE; S[2] = c; S[3] = i; await finish(); return; }
          }
        }
      }
    }
    await finish();
    S[0] = end; S[1] = STATUS.DONE;
    if (ctx && !ran) ran = `${ctx.describe()}${describeKernels()}`;
  }

  function checkStep(): number {
    const c = program.actions.find((a) => a.k === 'check');
    return c && c.k === 'check' ? c.every : 0;
  }

  function describeKernels(): string {
    const modes = new Set([...kernels.values()].map((k) => kernelMode(k)));
    return modes.size === 1 && modes.has(ctx!.mode) ? '' : ` (kernels ran on: ${[...modes].join(', ')})`;
  }

  return {
    run, program,
    source: program.kernels.map((k) => `// ${k.what}\n${k.final!.source}`).join('\n\n') + `\n\n// host, per step\n${program.hostSource}`,
    checked: program.checked.map((b) => b.path),
    ranOn: () => ran,
    dispose() { release(); ctx = null; void modeName; },
  };
}

/** Every action, those inside step-level ifs included. */
function collect(acts: Action[]): Action[] {
  return acts.flatMap((a) => (a.k === 'if' ? [a, ...collect(a.then), ...collect(a.else)] : [a]));
}
