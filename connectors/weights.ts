/**
 * Per-synapse weight initialisers. `initWeights(conn, init, rng)` returns a Float64Array(nSyn) aligned with
 * the canonical synapse order (CSR order: sorted by pre, then post), i.e. w[s] belongs to synapse s with
 * pre = pre_ids[s], post = post_ids[s].
 */
import { BrainweaveError, checkFiniteNumber } from '../src/core/errors';
import { RNG } from '../src/core/rng';
import { Connectivity } from '../src/core/structures';

export type WeightInit =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'uniform'; readonly lo: number; readonly hi: number }
  | { readonly kind: 'normal'; readonly mu: number; readonly sd: number }
  | { readonly kind: 'function'; readonly fn: (pre: number, post: number, s: number) => number };

/** Every synapse gets `v`. */
export function constant(v: number): WeightInit {
  return { kind: 'constant', value: checkFiniteNumber('constant', 'v', v) };
}
/** Independent uniform draws in [lo, hi). */
export function uniform(lo: number, hi: number): WeightInit {
  checkFiniteNumber('uniform', 'lo', lo); checkFiniteNumber('uniform', 'hi', hi);
  if (hi < lo) throw new BrainweaveError(`uniform: 'hi' (${hi}) must be >= 'lo' (${lo})`);
  return { kind: 'uniform', lo, hi };
}
/** Independent normal draws with mean `mu` and standard deviation `sd`. */
export function normal(mu: number, sd: number): WeightInit {
  checkFiniteNumber('normal', 'mu', mu); checkFiniteNumber('normal', 'sd', sd);
  if (sd < 0) throw new BrainweaveError(`normal: 'sd' must be >= 0, got ${sd}`);
  return { kind: 'normal', mu, sd };
}
/** w[s] = fn(pre, post, s) for each synapse s in canonical order. */
export function fromFunction(fn: (pre: number, post: number, s: number) => number): WeightInit {
  if (typeof fn !== 'function') throw new BrainweaveError(`fromFunction: 'fn' must be a function (pre, post, s) => number`);
  return { kind: 'function', fn };
}

/**
 * Realise `init` for the synapses of `conn` (a number is shorthand for constant(number)). Draws, in canonical
 * order, from `rng` (only uniform and normal draw).
 */
export function initWeights(conn: Connectivity, init: WeightInit | number, rng?: RNG): Float64Array {
  const n = conn.nSyn;
  const w = new Float64Array(n);
  const spec: WeightInit = typeof init === 'number' ? constant(init) : init;
  if (!spec || typeof spec !== 'object') throw new BrainweaveError(`initWeights: 'init' must be a number or an initialiser (constant/uniform/normal/fromFunction), got ${String(init)}`);
  const needRng = () => {
    if (!rng || typeof rng.random !== 'function') throw new BrainweaveError(`initWeights: a '${spec.kind}' initialiser needs an rng`);
    return rng;
  };
  switch (spec.kind) {
    case 'constant': w.fill(spec.value); break;
    case 'uniform': { const r = needRng(); const span = spec.hi - spec.lo; for (let s = 0; s < n; s++) w[s] = spec.lo + span * r.random(); break; }
    case 'normal': { const r = needRng(); for (let s = 0; s < n; s++) w[s] = r.normal(spec.mu, spec.sd); break; }
    case 'function': {
      const pre = conn.get('pre_ids') as Int32Array, post = conn.get('post_ids') as Int32Array;
      for (let s = 0; s < n; s++) {
        const v = spec.fn(pre[s], post[s], s);
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new BrainweaveError(`initWeights: fromFunction returned ${String(v)} for synapse ${s} (pre ${pre[s]} → post ${post[s]}); weights must be finite numbers`);
        w[s] = v;
      }
      break;
    }
    default: throw new BrainweaveError(`initWeights: unknown initialiser kind '${(spec as { kind: string }).kind}'`);
  }
  return w;
}
