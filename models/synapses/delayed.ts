import { TwoEndConn, NeuGroup, Variable, Params, BrainweaveError, ringEventSum } from '../../src';

type ConnSpec = ConstructorParameters<typeof TwoEndConn>[2];

/** Splits array-valued `weight` / `delay` out of a params object (they become per-synapse Variables). */
export function perSynapseParams(params: Params): { scalar: Params; weights: ArrayLike<number> | null; delays: ArrayLike<number> | null } {
  const scalar: Params = {};
  let weights: ArrayLike<number> | null = null, delays: ArrayLike<number> | null = null;
  for (const k of Object.keys(params)) {
    const v = params[k];
    if (k === 'weight' && typeof v === 'object') weights = v as ArrayLike<number>;
    else if (k === 'delay' && typeof v === 'object') delays = v as ArrayLike<number>;
    else scalar[k] = v;
  }
  return { scalar, weights, delays };
}

/** a[s], with a clear message when a per-synapse array does not have nSyn values. */
function at(a: ArrayLike<number>, s: number, nSyn: number, owner: string, what: string): number {
  if (a.length !== nSyn) throw new BrainweaveError(`${owner}: '${what}' has ${a.length} values but the projection has ${nSyn} synapses`);
  return a[s];
}

function maxOf(a: ArrayLike<number>, owner: string): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (!(Number.isFinite(a[i]) && a[i] >= 0)) throw new BrainweaveError(`${owner}: delays must be finite and >= 0, got ${a[i]} at synapse ${i}`);
    if (a[i] > m) m = a[i];
  }
  return m;
}

/**
 * Spike transmission with per-synapse weights and transmission delays, through a ring buffer on the
 * post side (as NEST does): at a pre spike, synapse s (pre i → post j, delay d_s) adds w_s into slot
 * (ptr + round(d_s / dt)) mod L of row j; each step the slot at `ptr` is taken (and cleared) and `ptr`
 * advances. A spike emitted in step n is therefore taken in step n + round(delay / dt) (delay 0 → the
 * same step).
 *
 * - `weight`: a number (all synapses) or an array of nSyn values in canonical (CSR) synapse order.
 * - `delay` (ms): a number (homogeneous delay of the projection) or an array of nSyn values (heterogeneous).
 * - `minDt` (ms, default 0.1 = the default dt): the ring has L = round(maxDelay / minDt) + 1 slots of
 *   post.num values, enough for any run with dt ≥ minDt. A run with a smaller dt is refused with an
 *   error (beforeRun), so set `minDt` to the smallest dt you will run with.
 * - `ring` holds L × post.num values; `ringPtr` (int32) is the pointer.
 *
 * Subclasses call `this.schedule(dt)` once per step, then `this.take(j)` for each post j, then `this.advance()`.
 */
export abstract class DelayedConn extends TwoEndConn {
  weight = 1;
  delay = 0;
  minDt = 0.1;
  /** Largest per-synapse delay (ms), set from an array `delay`; the ring is sized from max(delay, maxDelay). */
  maxDelay = 0;
  protected weightArray: ArrayLike<number> | null;
  protected delayArray: ArrayLike<number> | null;

  pre2post = this.conn.require('pre2post');
  /** Per-synapse weights and delays (ms), canonical synapse order. */
  w = new Variable(() => this.conn.nSyn, { init: (s) => (this.weightArray ? at(this.weightArray, s, this.nSyn, this.name, 'weight') : this.weight) });
  delays = new Variable(() => this.conn.nSyn, { init: (s) => (this.delayArray ? at(this.delayArray, s, this.nSyn, this.name, 'delay') : this.delay) });
  /** Per-synapse delay in steps of this run's dt (set before each run from `delays`). */
  delaySteps = new Variable(() => this.conn.nSyn, { dtype: 'int32' });
  ring = new Variable(() => this.ringLength() * this.post.num);
  ringPtr = new Variable(1, { dtype: 'int32' });

  constructor(pre: NeuGroup, post: NeuGroup, conn: ConnSpec, params: Params = {}) {
    const { scalar, weights, delays } = perSynapseParams(params);
    super(pre, post, conn, scalar);
    this.weightArray = weights;
    this.delayArray = delays;
    if (delays) this.maxDelay = maxOf(delays, this.constructor.name);
  }

  /**
   * The ring holds delays of up to (L - 1)·minDt only for dt ≥ minDt: refuse smaller steps. Then converts
   * the delays to whole steps of this run's dt, once per run rather than once per delivered spike.
   */
  override beforeRun(dt: number): void {
    if (dt < this.minDt * (1 - 1e-9) && Math.max(this.delay, this.maxDelay) > 0) {
      throw new BrainweaveError(`${this.constructor.name} '${this.name}': dt = ${dt} ms is below minDt = ${this.minDt} ms, which sized the delay ring buffer; pass { minDt: ${dt} } to the projection`);
    }
    const L = this.ringLength(), d = this.delays.value, steps = this.delaySteps.value;
    for (let k = 0; k < d.length; k++) steps[k] = Math.min(Math.round(d[k] / dt), L - 1);
  }

  /** L: slots in the ring (max delay in steps of minDt, + 1). */
  ringLength(): number {
    return Math.round(Math.max(this.delay, this.maxDelay) / this.minDt) + 1;
  }

  /** Puts this step's presynaptic spikes into the ring at their arrival slots. */
  schedule(dt: number) {
    ringEventSum(this.ring, this.pre2post, this.pre.spike, this.w, this.delaySteps, this.ringPtr[0], this.post.num);
  }

  /** What arrives at post neuron j in this step (and clears it). */
  take(j: number): number {
    const idx = this.ringPtr[0] * this.post.num + j;
    const v = this.ring[idx];
    this.ring[idx] = 0;
    return v;
  }

  /** Moves the ring pointer to the next step. */
  advance() {
    const L = Math.round(Math.max(this.delay, this.maxDelay) / this.minDt) + 1;
    this.ringPtr[0] = (this.ringPtr[0] + 1) % L;
  }
}
