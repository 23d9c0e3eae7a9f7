/**
 * A scrolling raster with the population rate under it. Model time maps to columns (MS_PER_COL ms each) of a
 * ring of pixels; each slice writes its columns, and render() (once per animation frame) shows the ring
 * rotated so the newest column is at the right.
 */
import type { SpikeMonitorData } from 'brainweave';

export const MS_PER_COL = 1;
const E_RGBA = 0xffe0903a; // ABGR in a little-endian Uint32: #3a90e0 (E, blue)
const I_RGBA = 0xff3a3ae0; // #e03a3a (I, red)
const BG = 0xff141414;

export class Raster {
  private ctx: CanvasRenderingContext2D;
  private img: ImageData;
  private px: Uint32Array;
  private rctx: CanvasRenderingContext2D;
  /** spikes per column, E and I, for the rate trace */
  private countE: Float64Array;
  private countI: Float64Array;
  /** first column not yet cleared (absolute column index, not modulo) */
  private frontier = 0;
  private nE = 1; private nI = 1;
  private dirty = true;
  readonly W: number; readonly H: number;

  constructor(canvas: HTMLCanvasElement, private rate: HTMLCanvasElement) {
    this.W = canvas.width; this.H = canvas.height;
    this.ctx = canvas.getContext('2d')!;
    this.rctx = rate.getContext('2d')!;
    this.img = this.ctx.createImageData(this.W, this.H);
    this.px = new Uint32Array(this.img.data.buffer);
    this.countE = new Float64Array(this.W);
    this.countI = new Float64Array(this.W);
    this.reset(1, 1);
  }

  reset(nE: number, nI: number): void {
    this.nE = nE; this.nI = nI;
    this.px.fill(BG);
    this.countE.fill(0); this.countI.fill(0);
    this.frontier = 0;
    this.dirty = true;
  }

  /** Writes a slice's spikes (E in rows from the top, I below) and scrolls to t1; render() shows them. */
  add(E: SpikeMonitorData, I: SpikeMonitorData, t1: number): void {
    const end = Math.ceil(t1 / MS_PER_COL);
    // columns entering the window are cleared before they are drawn on (the ring reuses the oldest ones)
    for (let c = this.frontier; c < end; c++) {
      const x = c % this.W;
      for (let y = 0; y < this.H; y++) this.px[y * this.W + x] = BG;
      this.countE[x] = 0; this.countI[x] = 0;
    }
    this.frontier = Math.max(this.frontier, end);
    const n = this.nE + this.nI, rows = this.H / n;
    this.plot(E, 0, rows, E_RGBA, this.countE);
    this.plot(I, this.nE, rows, I_RGBA, this.countI);
    this.dirty = true;
  }

  private plot(m: SpikeMonitorData, offset: number, rows: number, color: number, count: Float64Array): void {
    const { W, px } = this;
    for (let k = 0; k < m.count; k++) {
      const x = Math.floor(m.times[k] / MS_PER_COL) % W;
      const y = Math.floor((offset + m.indices[k]) * rows);
      px[y * W + x] = color;
      count[x]++;
    }
  }

  /** Puts the ring on the canvas rotated so the newest column is the rightmost one; redraws the rate trace. */
  render(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const { W, H } = this, end = this.frontier;
    const head = ((end % W) + W) % W; // ring index of the oldest column shown
    this.ctx.putImageData(this.img, -head, 0, head, 0, W - head, H);
    if (head > 0) this.ctx.putImageData(this.img, W - head, 0, 0, 0, head, H);
    this.drawRate(head, end);
  }

  private drawRate(head: number, end: number): void {
    const c = this.rctx, w = this.rate.width, h = this.rate.height;
    c.fillStyle = '#141414'; c.fillRect(0, 0, w, h);
    const sec = MS_PER_COL / 1000, scale = w / this.W;
    const yMax = 100; // Hz at the top of the trace
    c.fillStyle = '#666'; c.font = '10px sans-serif';
    c.fillText(`${yMax} Hz`, 2, 10);
    const first = Math.max(0, this.W - end); // columns not yet simulated stay empty
    const line = (count: Float64Array, n: number, style: string) => {
      c.strokeStyle = style; c.beginPath();
      for (let k = first; k < this.W; k++) {
        const r = count[(head + k) % this.W] / (n * sec);
        const y = h - (Math.min(r, yMax) / yMax) * h;
        if (k === first) c.moveTo(k * scale, y); else c.lineTo(k * scale, y);
      }
      c.stroke();
    };
    line(this.countE, this.nE, '#3a90e0');
    line(this.countI, this.nI, '#e03a3a');
  }

  /** Mean rates (Hz) over the last `ms` ms of model time before t (whole columns). */
  recentRates(t: number, ms: number): { E: number; I: number } | null {
    const full = Math.floor(t / MS_PER_COL + 1e-9); // columns before this one are complete
    const cols = Math.min(Math.floor(ms / MS_PER_COL), this.W - 1, full);
    if (cols <= 0) return null;
    let e = 0, i = 0;
    for (let k = 1; k <= cols; k++) { const x = (full - k) % this.W; e += this.countE[x]; i += this.countI[x]; }
    const sec = (cols * MS_PER_COL) / 1000;
    return { E: e / (this.nE * sec), I: i / (this.nI * sec) };
  }
}
