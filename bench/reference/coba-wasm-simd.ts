/**
 * COBA written by hand in WebAssembly with SIMD, built with src/backends/wasm/binary.ts: the proof that the
 * builder is enough for a network step, and the code shape a plan → wasm emitter should reach.
 *
 * One exported function `run(s0, s1)` holds the whole step loop (one JS → wasm call per run, not per step):
 *  - neuron pass per group, 4 (f32x4) or 2 (f64x2) neurons per iteration, branch-free: conductance decay,
 *    synaptic current g·(E − V) from the undecayed conductances, Euler step, refractory countdown (int32 lanes,
 *    as models/neurons/lif.ts counts steps) and threshold as lane masks merged with v128.bitselect; the rare lanes that spike are found with bitmask/ctz and appended to
 *    the spike monitor, which doubles as the step's spike list;
 *  - delivery after all groups, scalar, driven by that list; CSR row pointers and targets are stored as byte
 *    addresses, so the inner loop is load address, load g, add, store;
 *  - `run` returns early when a monitor might overflow; JS drains it and calls again (the rare path).
 *
 * Storage `float64` → f64x2 with exactly the arithmetic of bench/reference/coba-best.ts and brainweave
 * (identical spike trains). Storage `float32` → f32x4 in single precision: faster, and like any f32
 * arithmetic it rounds differently from brainweave's double-between-stores, so spike trains diverge after a
 * while; rates agree (checked in test/wasm-coba.test.ts).
 */
import { ModuleBuilder, Code, FuncBuilder } from '../../src/backends/wasm/binary';
import { CobaState, CobaResult, SpikeLog, refractorySteps } from './coba-best';

const MONITOR_CAP = 1 << 15; // spike events per group held in wasm memory before JS drains them (at least 2 steps' worth)

export interface WasmCoba {
  bytes: Uint8Array<ArrayBuffer>;
  /**
   * Runs nSteps from t = 0 (once per instance); loop time only, as brainweave's `timings.run`. `chunk` steps
   * per call into wasm (default: all). V8 starts wasm in its baseline compiler (Liftoff) and uses optimised
   * code from a later call on; chunks of 100 steps measured the same as one call here (bench/wasm-variants.ts).
   */
  run(nSteps: number, chunk?: number): CobaResult;
}

/** Variants of the code shape, for measuring what pays (bench/wasm-variants.ts); the defaults are the fastest found. */
export interface WasmCobaOptions {
  /** constants as v128 locals set once, instead of v128.const at each use */
  constLocals?: boolean;
  /**
   * f32x4: keep the model's `(…) / tau * dt` instead of `(…) * (dt/tau)`. The product is clearly faster
   * (bench/wasm-variants.ts) and changes V by less than V's own rounding (the step is ~1e-4 of V), so spike
   * trains stayed the same in the runs checked.
   */
  divide?: boolean;
  /**
   * float32 storage with f64x2 arithmetic, rounding where brainweave's Float32 stores round: spike for spike
   * equal to brainweave's float32 run, at 2 lanes per vector.
   */
  exact?: boolean;
  /** copies of the neuron-pass body per loop iteration */
  unroll?: number;
  /** measuring aid: skip spike delivery (wrong results) */
  noDelivery?: boolean;
}

export function buildWasmCOBA(st: CobaState, dt: number, opts: WasmCobaOptions = {}): WasmCoba {
  // storage: f32 or f64 arrays; arithmetic: f32x4, or f64x2 (float64 storage, or float32 with opts.exact)
  const f64 = !st.f32, wide = f64 || !!opts.exact;
  const es = f64 ? 8 : 4, T = wide ? 'f64x2' : 'f32x4', S = f64 ? 'f64' : 'f32';
  const stride = wide ? 2 * es : 16; // bytes of storage per vector iteration
  const unroll = opts.unroll ?? 1;
  const pad = (n: number) => Math.ceil(n / (4 * unroll)) * 4 * unroll; // whole iterations; extra lanes never spike into the list

  // ---- memory layout (byte offsets, 16-aligned)
  let top = 0;
  const alloc = (bytes: number) => { const at = top; top += Math.ceil(bytes / 16) * 16; return at; };
  const group = (n: number, cap = Math.max(MONITOR_CAP, 2 * pad(n))) =>
    ({ n, cap, V: alloc(pad(n) * es), R: alloc(pad(n) * 4), GE: alloc(pad(n) * es), GI: alloc(pad(n) * es), MS: alloc(cap * 4), MI: alloc(cap * 4) });
  const gE = group(st.nE), gI = group(st.nI);
  // CSR in byte addresses: ptr[i] = address of row i's first target; targets = address of the target's g
  const csr = (r: { indptr: Int32Array; indices: Int32Array }, gBase: number) => {
    const P = alloc(r.indptr.length * 4), X = alloc(r.indices.length * 4);
    return { P, X, fill: (m: DataView) => {
      for (let i = 0; i < r.indptr.length; i++) m.setInt32(P + 4 * i, X + 4 * r.indptr[i], true);
      for (let k = 0; k < r.indices.length; k++) m.setInt32(X + 4 * k, gBase + es * r.indices[k], true);
    } };
  };
  const ee = csr(st.EE, gE.GE), ei = csr(st.EI, gI.GE), ie = csr(st.IE, gE.GI), ii = csr(st.II, gI.GI);
  const pages = Math.ceil(top / 65536) + 1;

  // ---- module
  const m = new ModuleBuilder();
  m.memory({ min: pages, max: pages }, 'mem');
  const cntE = m.global('i32', true, { type: 'i32', value: 0 }, 'cntE');
  const cntI = m.global('i32', true, { type: 'i32', value: 0 }, 'cntI');
  const { tau, Vth, Vr, El, tRef, I, we, wi, Ee, Ei, taue, taui } = st.p;
  const nRef = refractorySteps(tRef, dt);

  m.func({ params: ['i32', 'i32'], results: ['i32'], export: 'run' }, (c: Code, f: FuncBuilder) => {
    const s = 0, s1 = 1;
    const cE = f.local('i32'), cI = f.local('i32'), c0 = f.local('i32'), p = f.local('i32'), mask = f.local('i32'), j = f.local('i32');
    const q = f.local('i32'), qe = f.local('i32'), a = f.local('i32'), k = f.local('i32');
    const pr = f.local('i32'), r = f.local('v128'), ok32 = f.local('v128');
    const v = f.local('v128'), ge = f.local('v128'), gi = f.local('v128'), ok = f.local('v128'), vn = f.local('v128'), spk = f.local('v128');
    const constLocal = new Map<number, number>();
    const vconst = (x: number) => {
      if (opts.constLocals) {
        if (!constLocal.has(x)) constLocal.set(x, f.local('v128'));
        return c.local_get(constLocal.get(x)!);
      }
      return wide ? c.f64x2_const(x) : c.f32x4_const(x);
    };
    // vector load/store of one iteration's neurons; f32 storage with f64x2 arithmetic converts 2 lanes
    const narrow = wide && !f64;
    const ld = (base: number): Code => {
      c.local_get(p);
      return narrow ? c.mem('v128.load64_zero', base).op('f64x2.promote_low_f32x4') : c.mem('v128.load', base);
    };
    const st_ = (base: number) => { // expects address, value on the stack
      if (narrow) c.op('f32x4.demote_f64x2_zero').memLane('v128.store64_lane', 0, base); else c.mem('v128.store', base);
    };
    // the refractory countdowns of this iteration's lanes: int32, 2 (wide) or 4 per vector; address p·4/es
    const ldR = (base: number): Code => { c.local_get(pr); return wide ? c.mem('v128.load64_zero', base) : c.mem('v128.load', base); };
    const stR = (base: number) => { if (wide) c.memLane('v128.store64_lane', 0, base); else c.mem('v128.store', base); };
    // the model's float32 `input` is stored after each projection's term: round there too
    const roundF32 = () => { if (narrow) c.op('f32x4.demote_f64x2_zero').op('f64x2.promote_low_f32x4'); };

    const neuronPass = (g: typeof gE, cnt: number) => {
      c.i32_const(0).local_set(p)
        .block().loop();
      c.local_get(p).i32_const(pad(g.n) * es).op('i32.ge_u').br_if(1);
      for (let o = 0; o < unroll * stride; o += stride) { // o: byte offset of this copy of the body
        ld(g.V + o).local_set(v); ld(g.GE + o).local_set(ge); ld(g.GI + o).local_set(gi);
        // decay for every neuron: g - g·dt/τ
        c.local_get(p).local_get(ge).local_get(ge); vconst(dt / taue); c.op(`${T}.mul`).op(`${T}.sub`); st_(g.GE + o);
        c.local_get(p).local_get(gi).local_get(gi); vconst(dt / taui); c.op(`${T}.mul`).op(`${T}.sub`); st_(g.GI + o);
        // integrates unless held: refractory <= 1 (as int32 lanes, widened to 64-bit lane masks for f64x2)
        c.local_get(p); if (es === 8) c.i32_const(1).op('i32.shr_u'); c.local_set(pr);
        const oR = (o / es) * 4;
        ldR(g.R + oR).local_tee(r).i32x4_const(1).op('i32x4.le_s').local_tee(ok32);
        if (wide) c.op('i64x2.extend_low_i32x4_s');
        c.local_set(ok);
        // held lanes count down, the others restart at 0 (a spike sets nRef below)
        c.local_get(pr).i32x4_const(0).local_get(r).i32x4_const(1).op('i32x4.sub').local_get(ok32).op('v128.bitselect').local_tee(r); stR(g.R + oR);
        // V + ((El - V) + ge(Ee - V) + gi(Ei - V) + I) / tau * dt, in the order the model writes it
        c.local_get(v);
        vconst(El); c.local_get(v).op(`${T}.sub`);
        c.local_get(ge); vconst(Ee); c.local_get(v).op(`${T}.sub`).op(`${T}.mul`); roundF32();
        c.local_get(gi); vconst(Ei); c.local_get(v).op(`${T}.sub`).op(`${T}.mul`).op(`${T}.add`); roundF32();
        c.op(`${T}.add`); vconst(I); c.op(`${T}.add`);
        if (!wide && !opts.divide) { vconst(dt / tau); c.op(`${T}.mul`); } else { vconst(tau); c.op(`${T}.div`); vconst(dt); c.op(`${T}.mul`); }
        c.op(`${T}.add`).local_set(vn);
        // spike = ok & V >= Vth; V = spike ? Vr : ok ? vn : v
        c.local_get(vn); vconst(Vth); c.op(`${T}.ge`).local_get(ok).op('v128.and').local_set(spk);
        c.local_get(p); vconst(Vr); c.local_get(vn).local_get(v).local_get(ok).op('v128.bitselect').local_get(spk).op('v128.bitselect'); st_(g.V + o);
        // rare: some lane spiked
        c.local_get(spk).op('v128.any_true').if_();
        c.local_get(pr).i32x4_const(nRef).local_get(r).local_get(spk);
        if (wide) c.i32x4_const(0).shuffle([0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 16, 17, 18, 19]); // 64-bit lane masks → the low two int32 lanes
        c.op('v128.bitselect'); stR(g.R + oR);
        c.local_get(spk).op(wide ? 'i64x2.bitmask' : 'i32x4.bitmask').local_set(mask);
        c.block().loop()
          .local_get(mask).op('i32.eqz').br_if(1)
          .local_get(p).i32_const(Math.log2(es)).op('i32.shr_u').i32_const(o / es).op('i32.add').local_get(mask).op('i32.ctz').op('i32.add').local_tee(j)
          .i32_const(g.n).op('i32.lt_u').if_() // padding lanes never enter the list
          .local_get(cnt).i32_const(2).op('i32.shl').local_tee(a).local_get(j).mem('i32.store', g.MI)
          .local_get(a).local_get(s).mem('i32.store', g.MS)
          .local_get(cnt).i32_const(1).op('i32.add').local_set(cnt)
          .end()
          .local_get(mask).local_get(mask).i32_const(1).op('i32.sub').op('i32.and').local_set(mask)
          .br(0).end().end();
        c.end(); // if any spike
      }
      c.local_get(p).i32_const(unroll * stride).op('i32.add').local_set(p).br(0)
        .end().end();
    };

    // for each spike k in [from, cnt): for each projection row: g[target] += w
    const deliver = (g: typeof gE, from: number, cnt: number, rows: { P: number }[], w: number) => {
      c.local_get(from).local_set(k)
        .block().loop()
        .local_get(k).local_get(cnt).op('i32.ge_u').br_if(1)
        .local_get(k).i32_const(2).op('i32.shl').mem('i32.load', g.MI).i32_const(2).op('i32.shl').local_set(j);
      for (const r of rows) {
        c.local_get(j).mem('i32.load', r.P).local_set(q)
          .local_get(j).mem('i32.load', r.P + 4).local_set(qe)
          .block().loop()
          .local_get(q).local_get(qe).op('i32.ge_u').br_if(1)
          .local_get(q).mem('i32.load').local_tee(a)
          .local_get(a).mem(`${S}.load`);
        if (narrow) c.op('f64.promote_f32').f64_const(w).op('f64.add').op('f32.demote_f64');
        else if (f64) c.f64_const(w).op('f64.add');
        else c.f32_const(w).op('f32.add');
        c.mem(`${S}.store`)
          .local_get(q).i32_const(4).op('i32.add').local_set(q)
          .br(0).end().end();
      }
      c.local_get(k).i32_const(1).op('i32.add').local_set(k)
        .br(0).end().end();
    };

    c.global_get(cntE).local_set(cE).global_get(cntI).local_set(cI);
    const setConsts = c.bytes.length; // constant locals are initialised here, once they are all known
    c.block().loop();
    c.local_get(s).local_get(s1).op('i32.ge_s').br_if(1);
    // a step can add at most n events per group: stop while there is room, JS drains and calls again
    c.local_get(cE).i32_const(gE.cap - gE.n).op('i32.gt_u').local_get(cI).i32_const(gI.cap - gI.n).op('i32.gt_u').op('i32.or').br_if(1);
    const e0 = c0, i0 = f.local('i32');
    c.local_get(cE).local_set(e0).local_get(cI).local_set(i0);
    neuronPass(gE, cE);
    neuronPass(gI, cI);
    if (!opts.noDelivery) { deliver(gE, e0, cE, [ee, ei], we); deliver(gI, i0, cI, [ie, ii], wi); }
    c.local_get(s).i32_const(1).op('i32.add').local_set(s).br(0);
    c.end().end();
    c.local_get(cE).global_set(cntE).local_get(cI).global_set(cntI).local_get(s);
    const init = new Code();
    for (const [x, l] of constLocal) (wide ? init.f64x2_const(x) : init.f32x4_const(x)).local_set(l);
    c.bytes.splice(setConsts, 0, ...init.bytes);
  });

  const bytes = m.toBytes();
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  const ex = inst.exports as any;
  const buf = (ex.mem as WebAssembly.Memory).buffer;
  const F = f64 ? Float64Array : Float32Array;
  const put = (at: number, src: ArrayLike<number>, n: number, fillPad: number) => {
    const a = new F(buf, at, pad(n)); a.set(src as any); a.fill(fillPad, n);
  };
  for (const [g, V, R] of [[gE, st.VE, st.rE], [gI, st.VI, st.rI]] as const) {
    put(g.V, V, g.n, Vr); new Int32Array(buf, g.R, pad(g.n)).set(R); put(g.GE, new F(g.n), g.n, 0); put(g.GI, new F(g.n), g.n, 0);
  }
  const view = new DataView(buf);
  for (const r of [ee, ei, ie, ii]) r.fill(view);

  return {
    bytes,
    run(nSteps: number, chunk = nSteps): CobaResult {
      const mE = new SpikeLog(), mI = new SpikeLog();
      const drain = (log: SpikeLog, g: typeof gE, cnt: WebAssembly.Global) => {
        const n = cnt.value as number;
        if (log.count + n > log.steps.length) log.grow(log.count + n);
        log.steps.set(new Int32Array(buf, g.MS, n), log.count); log.indices.set(new Int32Array(buf, g.MI, n), log.count);
        log.count += n; cnt.value = 0;
      };
      const t0 = performance.now();
      for (let s = 0; s < nSteps;) {
        s = ex.run(s, Math.min(nSteps, s + chunk));
        drain(mE, gE, ex.cntE); drain(mI, gI, ex.cntI);
      }
      const seconds = (performance.now() - t0) / 1000;
      return { nE: mE.count, nI: mI.count, seconds, spikesE: mE, spikesI: mI };
    },
  };
}
