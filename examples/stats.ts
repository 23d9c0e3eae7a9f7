import { isiStats, type SpikeTrains } from '../src/analysis';

/**
 * Mean over neurons (with ≥ 3 spikes) of the coefficient of variation of their inter-spike intervals;
 * kept for the examples' summaries, now `isiStats(m).meanCV` from the library.
 */
export function isiCV(m: SpikeTrains): number {
  return isiStats(m, { minSpikes: 3 }).meanCV;
}
