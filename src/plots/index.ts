/** Plotting: dependency-free SVG figures (spike rasters, traces, histograms, bar charts). Browser-safe except `writeSVG`. */
export { rasterSVG, panelFractions, type RasterPanel, type RasterOptions } from './raster';
export { barChartSVG, type BarChartOptions } from './bars';
export { lineplotSVG, tracesSVG, type LineSeries, type LinePlotOptions, type TracesOptions } from './lines';
export {
  histogramSVG, isiHistogramSVG, rateHistogramSVG, populationRateSVG,
  type HistogramSeries, type HistogramPlotOptions, type SpikePanel, type SpikeHistogramOptions,
} from './histograms';
export { legendSVG, type LegendItem } from './legend';
export { escapeXml, fmtNum, niceTicks, niceStep, decadeTicks, fmtPow10, tickFormatter } from './svg';
export { linearScale, log10Scale, type Scale } from './axes';
