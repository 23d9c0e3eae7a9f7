import { SpikeMonitorData } from '../src';

/** Mean over neurons (with ≥ 3 spikes) of the coefficient of variation of their inter-spike intervals. */
export function isiCV(m: SpikeMonitorData): number {
  const last = new Float64Array(m.num).fill(NaN);
  const n = new Float64Array(m.num), s = new Float64Array(m.num), s2 = new Float64Array(m.num);
  for (let e = 0; e < m.count; e++) {
    const i = m.indices[e], t = m.times[e];
    if (!Number.isNaN(last[i])) { const d = t - last[i]; n[i]++; s[i] += d; s2[i] += d * d; }
    last[i] = t;
  }
  let sum = 0, cnt = 0;
  for (let i = 0; i < m.num; i++) {
    if (n[i] < 2) continue;
    const mean = s[i] / n[i], v = s2[i] / n[i] - mean * mean;
    sum += Math.sqrt(Math.max(0, v)) / mean; cnt++;
  }
  return cnt ? sum / cnt : NaN;
}
