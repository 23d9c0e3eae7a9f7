/** The library operators; importing this module registers their specs (compiler/op-registry.ts). */
export { pre2postEventSum, pre2postSum, gapJunctionSum, ringEventSum, denseEventSum, syn2post, pre2syn } from './delivery';
export type { Arr, RowsOf } from './delivery';
