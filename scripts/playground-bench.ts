/**
 * Speed of the playground in Chromium, per backend and network size: the page as a user sees it (built
 * playground/dist, default slicing, drawing on), read from its own counters.
 *   npx tsx scripts/playground-bench.ts [--sizes 4000,40000] [--backends js,auto] [--seconds 4] [--no-build]
 * Per (backend, N): open ?n=N&backend=B&start=1, wait for the first slice, warm up 1.5 s, then measure over
 * `seconds` of wall time: steps per wall second (drawing and event-loop turns included), steps per second of
 * run() time, simulated ms per wall second. Sizes go up until a size is no longer live (< 1 simulated ms per
 * wall second) or its build + first slice takes over 120 s. Writes out/playground-bench.json.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as os from 'os';
import { buildPlayground, CHROMIUM, CHROMIUM_ARGS, DIST, launchChromium, REPO, serveStatic } from './playground-serve';

const arg = (k: string, d: string) => { const i = process.argv.indexOf(`--${k}`); return i >= 0 ? process.argv[i + 1] : d; };
const SIZES = arg('sizes', '4000,10000,40000,100000,200000,400000,1000000').split(',').map(Number);
const SECONDS = Number(arg('seconds', '4'));

interface Row { backend: string; ran: string; n: number; buildMs: number; firstSliceS: number; stepsPerWallS: number; stepsPerRunS: number; simMsPerWallS: number; rateE: number; live: boolean }

async function main() {
  if (!process.argv.includes('--no-build')) buildPlayground();
  const server = await serveStatic(DIST);
  const browser = await launchChromium();
  const version = browser.version();
  const probe = await browser.newPage();
  await probe.goto(server.url);
  const offered = await probe.$$eval('#backend option', (os) => os.filter((o) => !(o as HTMLOptionElement).disabled).map((o) => (o as HTMLOptionElement).value));
  await probe.close();
  const backends = arg('backends', offered.join(',')).split(',').filter((b) => offered.includes(b));
  const rows: Row[] = [];
  for (const backend of backends) {
    for (const n of SIZES) {
      const page = await browser.newPage();
      const w0 = Date.now();
      try {
        await page.goto(`${server.url}?n=${n}&backend=${backend}&start=1`, { timeout: 120_000 });
        await page.waitForFunction('window.__bw && window.__bw.state().t > 0', undefined, { timeout: 120_000, polling: 100 });
      } catch (e) {
        console.log(`${backend} N=${n}: no first slice within 120 s (${(e as Error).message.split('\n')[0]}); stopping this backend`);
        await page.close();
        break;
      }
      const firstSliceS = (Date.now() - w0) / 1000;
      await page.waitForTimeout(1500);
      type S = { t: number; backendUsed: string; buildMs: number; error: string; segments: { spikesE: number; t0: number; t1: number }[] };
      const get = () => page.evaluate('({ s: window.__bw.state(), w: performance.now(), run: window.__bw.sim.speeds() })') as Promise<{ s: S; w: number; run: { stepsPerComputeSec: number } | null }>;
      const a = await get();
      await page.waitForTimeout(SECONDS * 1000);
      const b = await get();
      await page.close();
      if (b.s.error) { console.log(`${backend} N=${n}: ${b.s.error}`); break; }
      const wall = (b.w - a.w) / 1000, dms = b.s.t - a.s.t;
      const seg = b.s.segments[b.s.segments.length - 1];
      const row: Row = {
        backend, ran: b.s.backendUsed, n, buildMs: b.s.buildMs, firstSliceS,
        stepsPerWallS: dms / 0.1 / wall, stepsPerRunS: b.run?.stepsPerComputeSec ?? NaN, simMsPerWallS: dms / wall,
        rateE: seg.spikesE / (Math.round(n * 0.8) * (seg.t1 - seg.t0) / 1000), live: dms / wall >= 1,
      };
      rows.push(row);
      console.log(`${backend.padEnd(7)} (${row.ran}) N=${String(n).padStart(8)}: ${row.stepsPerWallS.toFixed(0).padStart(7)} steps/s wall, ${row.stepsPerRunS.toFixed(0).padStart(7)} steps/s run(), ${row.simMsPerWallS.toFixed(1).padStart(7)} sim ms/s, build ${row.buildMs.toFixed(0)} ms, first slice after ${firstSliceS.toFixed(1)} s, E ${row.rateE.toFixed(1)} Hz`);
      if (!row.live) break;
    }
  }
  await browser.close();
  await server.close();
  const meta = { date: new Date().toISOString(), chromium: version, executable: CHROMIUM, args: CHROMIUM_ARGS, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, seconds: SECONDS };
  fs.mkdirSync(path.join(REPO, 'out'), { recursive: true });
  fs.writeFileSync(path.join(REPO, 'out', 'playground-bench.json'), JSON.stringify({ meta, rows }, null, 1));
  console.log(JSON.stringify(meta));
}
main().catch((e) => { console.error(e); process.exit(1); });
