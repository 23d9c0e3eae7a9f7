/**
 * Progress of a run, fed by the network's 'progress' events (fraction, t): a redrawn bar on a terminal,
 * one line per 10% otherwise (CI logs, pipes), written to stderr so stdout keeps only the summary.
 */
export interface ProgressSink { update(fraction: number, tNow: number): void; done(): void }

export function progressSink(mode: 'auto' | 'bar' | 'lines' | 'none', stream: NodeJS.WriteStream = process.stderr): ProgressSink | null {
  if (mode === 'none') return null;
  const bar = mode === 'bar' || (mode === 'auto' && !!stream.isTTY);
  const t0 = performance.now();
  const secs = () => ((performance.now() - t0) / 1000).toFixed(1);
  if (bar) {
    const width = 30;
    let drawn = false;
    return {
      update(f, t) {
        const n = Math.round(Math.min(1, Math.max(0, f)) * width);
        stream.write(`\r[${'#'.repeat(n)}${'.'.repeat(width - n)}] ${(f * 100).toFixed(0).padStart(3)}%  t = ${t.toFixed(1)} ms  ${secs()} s`);
        drawn = true;
      },
      done() { if (drawn) stream.write('\n'); },
    };
  }
  let last = 0; // lines at 10%, 20%, ... 100%
  return {
    update(f, t) {
      const tenth = Math.floor(f * 10 + 1e-9);
      if (tenth <= last) return;
      last = tenth;
      stream.write(`run ${String(tenth * 10).padStart(3)}%  t = ${t.toFixed(1)} ms  ${secs()} s\n`);
    },
    done() {},
  };
}
