/**
 * Steps per batch of the gpu backend's run loop: spike monitors collect one bit per step in a float32
 * (exact up to 24 bits) and value monitors one row per record on the device; both are read back once per
 * batch (src/backends/gpu/exec.ts).
 */
export const MAX_BATCH = 24;
