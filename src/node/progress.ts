import { setProgressPrinter, progressLine } from '../runtime/progress';

/** `progress: true` in Node: a live line on a terminal; on a pipe or CI log, one line per 10%. */
export function installTerminalProgress(stream: NodeJS.WriteStream = process.stderr): void {
  let lastTenth = -1;
  setProgressPrinter((f, tNow, el, final) => {
    const line = progressLine(f, tNow, el);
    if (f === 0) lastTenth = -1;
    if (stream.isTTY) { stream.write(`\r${line}${final ? '\n' : ''}`); return; }
    const tenth = Math.floor(f * 10);
    if (!final && tenth > lastTenth) { lastTenth = tenth; stream.write(line + '\n'); }
  });
}
