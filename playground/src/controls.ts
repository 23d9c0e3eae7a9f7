/** Wires the form to the simulation and writes the readout. */
import { backendChoices, Sim } from './sim';
import type { CobaParams } from './model';
import type { Raster } from './raster';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function wireControls(sim: Sim): void {
  $('start').onclick = () => sim.start();
  $('pause').onclick = () => sim.pause();
  $('reset').onclick = () => sim.reset();

  // every registered backend is listed, so new ones appear without changes here; those this browser lacks are grayed out
  const sel = $<HTMLSelectElement>('backend');
  for (const b of backendChoices()) {
    const o = new Option(b.name, b.name);
    o.disabled = !b.ok;
    if (b.why) o.title = b.why;
    sel.add(o);
  }
  sel.value = sim.backend;
  sel.onchange = () => sim.setBackend(sel.value);

  const pace = $<HTMLSelectElement>('pace');
  pace.value = sim.pace ? String(sim.pace) : '';
  pace.onchange = () => sim.setPace(pace.value ? Number(pace.value) : null);

  const live: (keyof CobaParams)[] = ['I', 'we', 'wi'];
  for (const k of live) {
    const input = $<HTMLInputElement>(k), out = $<HTMLOutputElement>(`${k}-out`);
    input.value = String(sim.params[k]);
    out.value = input.value;
    input.oninput = () => { out.value = input.value; sim.set({ [k]: Number(input.value) }); };
  }
  const n = $<HTMLSelectElement>('n');
  if (![...n.options].some((o) => o.value === String(sim.params.n))) n.add(new Option(String(sim.params.n)));
  n.value = String(sim.params.n);
  n.onchange = () => sim.set({ n: Number(n.value) });
  const seed = $<HTMLInputElement>('seed');
  seed.value = String(sim.params.seed);
  seed.onchange = () => { const v = Number(seed.value); if (Number.isInteger(v) && v >= 0) sim.set({ seed: v }); };
  const fan = $<HTMLInputElement>('fanin');
  fan.checked = sim.params.fixedFanIn;
  fan.onchange = () => sim.set({ fixedFanIn: fan.checked });
}

const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export function updateReadout(sim: Sim, raster: Raster): void {
  const s = sim.speeds(), r = raster.recentRates(sim.t, 500);
  $('r-backend').textContent = sim.backendUsed ? `${sim.backendUsed}${sim.backend === 'auto' ? ' (auto)' : ''}` : '–';
  $('r-t').textContent = `${fmt(sim.t, 1)} ms`;
  $('r-speed').textContent = s ? fmt(s.simMsPerSec, 1) : '–';
  $('r-steps').textContent = s ? `${fmt(s.stepsPerSec)} (compute only: ${fmt(s.stepsPerComputeSec)})` : '–';
  $('r-spikes').textContent = s ? fmt(s.spikesPerSec) : '–';
  $('r-rates').textContent = r ? `${fmt(r.E, 1)} / ${fmt(r.I, 1)} Hz` : '–';
  const { nE, nI } = sim.sizes;
  $('r-net').textContent = `${fmt(nE)} E + ${fmt(nI)} I, built in ${fmt(sim.buildMs)} ms, dt 0.1 ms, seed ${sim.params.seed}`;
  $('error').textContent = sim.error;
  $('start').toggleAttribute('disabled', sim.running);
  $('pause').toggleAttribute('disabled', !sim.running);
  // counters for tests and scripts (the page's own numbers, read without parsing text)
  const ro = $('readout');
  ro.dataset.spikes = String(sim.totalSpikes);
  ro.dataset.t = String(sim.t);
  ro.dataset.running = String(sim.running);
}
