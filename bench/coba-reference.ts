/**
 * COBA written by hand in plain JavaScript: one function, typed arrays in locals, the same algorithm
 * and arithmetic as models/neurons/lif.ts + models/synapses/exponential.ts. The benchmark times the
 * compiled network against it in the same process; identical spike counts double as a check that
 * the compiler did not change the model.
 */
import { Network, Ragged } from '../src';

export function handWrittenCOBA(net: Network, nSteps: number, dt: number): { nE: number; nI: number } {
  const E = net.get('E') as any, I = net.get('I') as any;
  const f = E.V.value instanceof Float64Array ? Float64Array : Float32Array;
  const VE = f.from(E.V.value), VI = f.from(I.V.value);
  const inE = new f(VE.length), inI = new f(VI.length);
  // refractoriness in whole steps, as models/neurons/lif.ts: held n − 1 steps after a spike, n = trunc(tRef/dt + 1e-3)
  const nRef = Math.trunc(5 / dt + 1e-3);
  const rfE = new Int32Array(VE.length), rfI = new Int32Array(VI.length);
  const spE = new Uint8Array(VE.length), spI = new Uint8Array(VI.length);
  const syn = ['EE', 'EI', 'IE', 'II'].map((n) => {
    const s = net.get(n) as any; const r = s.pre2post as Ragged;
    return { ptr: r.indptr, idx: r.indices, g: new f(s.post.num), w: s.weight as number, E: s.E as number, tau: s.tau as number };
  });
  const [ee, ei, ie, ii] = syn;
  let nE = 0, nI = 0;
  const lif = (V: Float32Array | Float64Array, inp: typeof V, rf: Int32Array, sp: Uint8Array): number => {
    let n = 0;
    for (let i = 0; i < V.length; i++) {
      sp[i] = 0;
      if (rf[i] > 1) rf[i]--;
      else {
        rf[i] = 0;
        const v = V[i] + ((-60 - V[i]) + inp[i] + 20) / 20 * dt;
        if (v >= -50) { V[i] = -60; sp[i] = 1; rf[i] = nRef; n++; } else V[i] = v;
      }
      inp[i] = 0;
    }
    return n;
  };
  const exp = (s: typeof ee, sp: Uint8Array, inp: Float32Array | Float64Array, V: typeof inp) => {
    const { ptr, idx, g, w, E: Erev } = s;
    for (let i = 0; i < sp.length; i++) if (sp[i] !== 0) for (let k = ptr[i], e = ptr[i + 1]; k < e; k++) g[idx[k]] += w;
    const d = dt / s.tau;
    for (let j = 0; j < g.length; j++) { const x = g[j]; inp[j] += x * (Erev - V[j]); g[j] = x - x * d; }
  };
  for (let s = 0; s < nSteps; s++) {
    nE += lif(VE, inE, rfE, spE);
    nI += lif(VI, inI, rfI, spI);
    exp(ee, spE, inE, VE); exp(ei, spE, inI, VI); exp(ie, spI, inE, VE); exp(ii, spI, inI, VI);
  }
  return { nE, nI };
}
