/** Plotting: dependency-free SVG figures (spike rasters, bar charts). */
export { rasterSVG, panelFractions, type RasterPanel, type RasterOptions } from './raster';
export { barChartSVG, type BarChartOptions } from './bars';
export { escapeXml, fmtNum, niceTicks, niceStep, decadeTicks, fmtPow10, tickFormatter } from './svg';
export { linearScale, log10Scale, type Scale } from './axes';
