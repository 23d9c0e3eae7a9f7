import type EventEmitter from 'eventemitter3';

export type ProgressFn = (fraction: number, tNow: number) => void;
/** Prints progress for `progress: true`; src/node installs a terminal-aware one. */
export type ProgressPrinter = (fraction: number, tNow: number, elapsed: number, final: boolean) => void;

/** The text of one progress line (the Node terminal printer uses it too). */
export function progressLine(f: number, tNow: number, elapsed: number): string {
  return `run ${(f * 100).toFixed(0).padStart(3)}%  t = ${tNow.toFixed(1)} ms  ${elapsed.toFixed(2)} s`;
}

// browser-safe default: one console line per 10%
let printer: ProgressPrinter = (() => {
  let lastTenth = -1;
  return (f, tNow, el, final) => {
    const tenth = Math.floor(f * 10);
    if (f === 0) lastTenth = -1;
    if (tenth > lastTenth || final) { lastTenth = tenth; if (!final) console.log(progressLine(f, tNow, el)); }
  };
})();

/** Replaces how `progress: true` prints (the Node entry installs a terminal progress line). */
export function setProgressPrinter(p: ProgressPrinter): void { printer = p; }

const yieldToLoop: () => Promise<void> = typeof setImmediate === 'function'
  ? () => new Promise((r) => setImmediate(r))
  : () => new Promise((r) => setTimeout(r, 0));

/**
 * Reports progress after each chunk: the 'progress' event, the user's callback or the printer; then yields
 * to the event loop so timers, signals and UI run. Null when nobody listens (no yielding either).
 */
export function progressReporter(progress: boolean | ProgressFn | undefined, net: EventEmitter, nSteps: number, stepTime: (s: number) => number) {
  const listeners = net.listenerCount('progress') > 0;
  if (!progress && !listeners) return null;
  const t0 = performance.now();
  return async (s: number, final = false) => {
    const f = nSteps === 0 ? 1 : s / nSteps, tNow = stepTime(s);
    if (!final) net.emit('progress', f, tNow);
    if (typeof progress === 'function') { if (!final) progress(f, tNow); }
    else if (progress === true) printer(f, tNow, (performance.now() - t0) / 1000, final);
    if (!final) await yieldToLoop();
  };
}
