/** Shared benchmark helpers: medians of alternating runs, so a noisy shared machine hurts both sides alike. */
export function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
export function fmt(s: number): string { return s < 0.01 ? `${(s * 1e3).toFixed(2)} ms` : `${s.toFixed(3)} s`; }
export function now(): number { return performance.now() / 1000; }
/** Parses `--name value` and `--flag` from argv. */
export function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}
