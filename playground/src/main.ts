/** The playground: simulation loop (sim.ts), raster (raster.ts), controls and readout (controls.ts). */
import { DEFAULTS, CobaParams } from './model';
import { Sim } from './sim';
import { Raster } from './raster';
import { wireControls, updateReadout } from './controls';
import { wireSeedTab } from './seed-tab';

// ?n=40000&I=25&we=0.6&wi=6.7&seed=1&fanin=0&backend=js&pace=1000&start=1&stop=1000 presets the page (links, benchmarks)
const q = new URLSearchParams(location.search);
const num = (k: string, d: number) => (q.has(k) && Number.isFinite(Number(q.get(k))) ? Number(q.get(k)) : d);
const params: CobaParams = {
  n: num('n', DEFAULTS.n), I: num('I', DEFAULTS.I), we: num('we', DEFAULTS.we), wi: num('wi', DEFAULTS.wi),
  seed: num('seed', DEFAULTS.seed), fixedFanIn: q.get('fanin') !== '0',
};

const raster = new Raster(document.getElementById('raster') as HTMLCanvasElement, document.getElementById('rate') as HTMLCanvasElement);
const sim = new Sim(params);
if (q.has('backend')) sim.backend = q.get('backend')!;
if (q.has('stop')) sim.stopAt = num('stop', 0);
if (q.has('pace')) sim.pace = num('pace', 1000);
let lastText = 0;
sim.onReset = () => { const { nE, nI } = sim.sizes; raster.reset(nE, nI); };
sim.onSlice = (s) => raster.add(s.E, s.I, s.t1);
sim.onState = () => {
  // the text at most 5 times a second; the raster every slice
  const now = performance.now();
  if (now - lastText > 200 || !sim.running) { lastText = now; updateReadout(sim, raster); }
};
sim.onReset();
wireControls(sim);
updateReadout(sim, raster);

/** For tests and scripts: the live simulation and a snapshot of what the page shows. */
(window as unknown as { __bw: unknown }).__bw = {
  sim,
  state: () => ({
    t: sim.t, running: sim.running, busy: sim.busy, backend: sim.backend, backendUsed: sim.backendUsed,
    totalSpikes: sim.totalSpikes, segments: sim.segments.map((s) => ({ ...s })), speeds: sim.speeds(),
    params: { ...sim.params }, error: sim.error, buildMs: sim.buildMs,
  }),
};
// two tabs by URL hash; the live network pauses while the benchmarks tab has the CPU
wireSeedTab();
const showTab = () => {
  const seed = location.hash === '#seed';
  document.getElementById('tab-live')!.hidden = seed;
  document.getElementById('tab-seed')!.hidden = !seed;
  document.getElementById('nav-live')!.classList.toggle('on', !seed);
  document.getElementById('nav-seed')!.classList.toggle('on', seed);
  if (seed) sim.pause();
};
window.addEventListener('hashchange', showTab);
showTab();

// drawing follows the animation frames, independent of how many slices ran in between
const frame = () => { raster.render(); requestAnimationFrame(frame); };
requestAnimationFrame(frame);
if (q.get('start') === '1') sim.start();
