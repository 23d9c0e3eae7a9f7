/**
 * The simulation loop: the network runs in short runs (slices) of model time, each sized so its compute takes
 * about SLICE_BUDGET_MS of wall time, with a yield to the event loop after each (input events, drawing at the
 * next animation frame). Runs continue where the last ended, so slicing changes nothing in the result;
 * parameters change between slices.
 */
import { backendNames, getBackend, SpikeMonitorData } from 'brainweave';
import { applyLive, buildCoba, Coba, CobaParams, splitSizes } from './model';

export const DT = 0.1;
/** Wall ms per slice: enough to amortise a run's overhead, short enough to keep the page responsive. */
const SLICE_BUDGET_MS = 25;
const MAX_SLICE_STEPS = 2000;

/** A stretch of model time with one set of parameters and one backend (what the test compares with Node). */
export interface Segment {
  t0: number; t1: number;
  I: number; we: number; wi: number; backend: string;
  spikesE: number; spikesI: number;
}

export interface SliceResult {
  t0: number; t1: number; backend: string;
  E: SpikeMonitorData; I: SpikeMonitorData;
}

/** Backends the page can offer: 'auto' and every registered one; those this browser lacks carry the reason. */
export function backendChoices(): { name: string; ok: boolean; why?: string }[] {
  return ['auto', ...backendNames()].map((name) => {
    try { getBackend(name); return { name, ok: true }; } catch (e) { return { name, ok: false, why: (e as Error).message }; }
  });
}

/** A macrotask boundary without setTimeout's 4 ms clamp: input, timers and frames get their turn. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
    ch.port2.postMessage(null);
  });
}

export class Sim {
  coba!: Coba;
  params: CobaParams;
  backend = 'auto';
  /** the backend that ran the last slice (result.backend) */
  backendUsed = '';
  running = false;
  /** inside net.run */
  busy = false;
  segments: Segment[] = [];
  /** Model ms per wall second to keep to (1000: real time); null: as fast as the backend goes. */
  pace: number | null = null;
  private paceFrom: { wall: number; t: number } | null = null;
  /** Model time (ms) at which the loop pauses by itself (slices are cut to end there); null: runs on. */
  stopAt: number | null = null;
  totalSpikes = 0;
  buildMs = 0;
  error = '';
  /** one sample per slice (wall ms, model ms, steps, spikes, run() ms) for the speeds over the last ~2 s */
  private hist: { wall: number; t: number; steps: number; spikes: number; compute: number }[] = [];
  private sliceSteps = 10;
  private pending: Partial<CobaParams> | null = null;
  private wantReset = false;
  private looping = false;
  onSlice: (s: SliceResult) => void = () => {};
  onReset: () => void = () => {};
  onState: () => void = () => {};

  constructor(p: CobaParams) { this.params = { ...p }; this.rebuild(); }

  get t(): number { return this.coba.net.t; }
  get sizes() { return splitSizes(this.params.n); }

  /** A fresh network from the current parameters, at t = 0 (N and the seed change only this way). */
  rebuild(): void {
    const w0 = performance.now();
    this.coba = buildCoba(this.params);
    this.coba.net.build(); // now, so later live changes are not overwritten by the constructor's parameters
    this.buildMs = performance.now() - w0;
    this.segments = [];
    this.totalSpikes = 0;
    this.hist = [];
    this.sliceSteps = 10;
    this.error = '';
    this.onReset();
    this.onState();
  }

  /** I and the weights apply to the live network at the next slice boundary; N and the seed rebuild it. */
  set(p: Partial<CobaParams>): void {
    this.pending = { ...this.pending, ...p };
    if (!this.busy) this.applyPending();
  }

  /** Takes effect at the next slice; state stays in the network's Variables, so the run continues. */
  setBackend(name: string): void { this.backend = name; this.onState(); }

  private applyPending(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    const rebuild = (p.n !== undefined && p.n !== this.params.n) || (p.seed !== undefined && p.seed !== this.params.seed) ||
      (p.fixedFanIn !== undefined && p.fixedFanIn !== this.params.fixedFanIn);
    Object.assign(this.params, p);
    if (rebuild || this.wantReset) { this.wantReset = false; this.rebuild(); }
    else applyLive(this.coba, this.params);
    this.onState();
  }

  /** Pauses and rebuilds the network at t = 0 with the current parameters. */
  reset(): void {
    this.pause();
    this.wantReset = true;
    this.pending ??= {};
    if (!this.busy) this.applyPending();
  }

  setPace(msPerSec: number | null): void { this.pace = msPerSec; this.paceFrom = null; this.onState(); }

  start(): void {
    if (!this.running) { this.hist = []; this.paceFrom = null; this.error = ''; } // speeds count running time only
    this.running = true;
    this.onState();
    if (!this.looping) void this.loop();
  }

  /** Stops after the slice in progress. */
  pause(): void { this.running = false; this.onState(); }

  private async loop(): Promise<void> {
    this.looping = true;
    try {
      while (this.running) {
        await this.slice();
        await yieldToEventLoop();
        if (this.pace) await this.keepPace(this.pace);
      }
    } finally {
      this.looping = false;
    }
    this.applyPending(); // what changed during the last slice (a reset, say) applies now
  }

  /** Waits until wall time catches up with model time at `pace`; a backlog (a slow machine) is forgiven, not repaid. */
  private async keepPace(pace: number): Promise<void> {
    const now = performance.now();
    this.paceFrom ??= { wall: now, t: this.t };
    const wait = this.paceFrom.wall + ((this.t - this.paceFrom.t) / pace) * 1000 - now;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else if (wait < -250) this.paceFrom = null;
  }

  private async slice(): Promise<void> {
    this.applyPending();
    const net = this.coba.net;
    const t0 = net.t;
    let steps = this.sliceSteps;
    if (this.pace) steps = Math.min(steps, Math.max(1, Math.round((this.pace * 0.016) / DT))); // a frame's worth: smooth scrolling
    if (this.stopAt !== null) steps = Math.min(steps, Math.round((this.stopAt - t0) / DT));
    if (steps < 1) { this.stopAt = null; this.pause(); return; }
    this.busy = true;
    let r;
    try {
      r = await net.run(steps * DT, { dt: DT, backend: this.backend, monitors: ['E.spike', 'I.spike'] as const, chunk: steps });
    } catch (e) {
      this.error = (e as Error).message;
      this.running = false;
      return;
    } finally {
      this.busy = false;
    }
    const E = r.monitors['E.spike'] as SpikeMonitorData, I = r.monitors['I.spike'] as SpikeMonitorData;
    this.backendUsed = r.backend;
    this.account(t0, net.t, E.count, I.count, r.backend);
    this.totalSpikes += E.count + I.count;
    // next slice: as many steps as fit the budget at the speed just seen (run time only, not compile)
    const perStep = (r.timings.run * 1000) / Math.max(1, r.steps);
    this.sliceSteps = Math.max(1, Math.min(MAX_SLICE_STEPS, Math.round(SLICE_BUDGET_MS / Math.max(perStep, 1e-3))));
    const now = performance.now();
    this.hist.push({ wall: now, t: net.t, steps: r.steps, spikes: E.count + I.count, compute: r.timings.run * 1000 });
    while (this.hist.length > 2 && now - this.hist[0].wall > 2000) this.hist.shift();
    this.onSlice({ t0, t1: net.t, backend: r.backend, E, I });
    if (this.stopAt !== null && Math.round((this.stopAt - net.t) / DT) < 1) { this.stopAt = null; this.running = false; }
    this.onState();
  }

  private account(t0: number, t1: number, nE: number, nI: number, backend: string): void {
    const p = this.params;
    let seg = this.segments[this.segments.length - 1];
    if (!seg || seg.t1 !== t0 || seg.I !== p.I || seg.we !== p.we || seg.wi !== p.wi || seg.backend !== backend) {
      seg = { t0, t1: t0, I: p.I, we: p.we, wi: p.wi, backend, spikesE: 0, spikesI: 0 };
      this.segments.push(seg);
    }
    seg.t1 = t1; seg.spikesE += nE; seg.spikesI += nI;
  }

  /** Speeds over the last ~2 s of wall time: model ms per wall s, steps per wall s, steps per compute s, spikes per wall s. */
  speeds() {
    const h = this.hist;
    if (h.length < 2) return null;
    const a = h[0], b = h[h.length - 1];
    const wall = (b.wall - a.wall) / 1000;
    let steps = 0, spikes = 0, compute = 0;
    for (let k = 1; k < h.length; k++) { steps += h[k].steps; spikes += h[k].spikes; compute += h[k].compute; }
    return { simMsPerSec: (b.t - a.t) / wall, stepsPerSec: steps / wall, stepsPerComputeSec: steps / (compute / 1000), spikesPerSec: spikes / wall };
  }
}
