/**
 * Analysis of monitor results: firing rates, population rates (binned and smoothed), ISI statistics, Fano
 * factors and histograms. Browser-safe: plain functions over `{ num, times, indices }` and
 * `{ data, ts, width, indices }`, so monitor results, hand-built arrays and loaded files all work.
 */
export type { SpikeTrains, Traces, TimeWindow } from './types';
export {
  spikeCounts, firingRates, meanFiringRate, populationRate, smoothRate, smoothingWindow,
  type PopulationRate, type PopulationRateOptions, type SmoothOptions,
} from './rates';
export {
  spikeTrainsOf, interSpikeIntervals, isiStats, fanoFactor,
  type IsiStats, type IsiOptions, type FanoResult, type FanoOptions,
} from './isi';
export { histogram, traceOf, type Histogram, type HistogramOptions } from './histogram';
