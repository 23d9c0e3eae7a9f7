/** The "seed benchmarks" tab: buttons that time the seed's networks on the chosen backend and list the results. */
import { rasterSVG } from 'brainweave';
import { timeLIF, runDense } from './seed-nets';
import { backendChoices } from './sim';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function wireSeedTab(): void {
  const sel = $<HTMLSelectElement>('s-backend');
  for (const b of backendChoices()) { const o = new Option(b.name, b.name); o.disabled = !b.ok; if (b.why) o.title = b.why; sel.add(o); }
  const out = $<HTMLTableSectionElement>('s-results');
  const busy = (on: boolean) => { for (const id of ['s-lif', 's-dense']) $<HTMLButtonElement>(id).disabled = on; };
  const row = (cells: string[]) => { const tr = out.insertRow(); for (const c of cells) tr.insertCell().textContent = c; };
  const guard = async (f: () => Promise<void>) => {
    busy(true); $('s-error').textContent = '';
    await new Promise((r) => setTimeout(r, 20)); // let the disabled buttons paint before the page is busy
    try { await f(); } catch (e) { $('s-error').textContent = (e as Error).message; } finally { busy(false); }
  };
  $('s-lif').onclick = () => guard(async () => {
    const n = Number($<HTMLSelectElement>('s-lif-n').value);
    const r = await timeLIF(n, sel.value);
    row([`LIF ${n.toLocaleString('en-US')} neurons, one step`, r.backend, `${r.msPerStep.toFixed(2)} ms per step`, `${r.rate.toFixed(1)} Hz`]);
  });
  $('s-dense').onclick = () => guard(async () => {
    const n = Number($<HTMLSelectElement>('s-dense-n').value);
    const r = await runDense(n, 1, sel.value);
    row([`dense LIF ${n} neurons, 1 s`, r.backend, `${r.runS.toFixed(3)} s run (compile ${(r.compileS * 1000).toFixed(0)} ms)`, `${r.rate.toFixed(2)} Hz`]);
    // the library's own SVG raster, as in examples/dense-network.ts
    $('s-plot').innerHTML = rasterSVG([{ label: 'N', times: r.spikes.times, indices: r.spikes.indices, num: n }],
      { title: `seed JAX LIF network, dense W, ${n} neurons`, xlim: [0, 1000], rateBinMs: 5, width: 800, height: 360 });
  });
}
