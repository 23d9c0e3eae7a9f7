import { BrainweaveError } from '../core/errors';
import { Backend } from './backend';

/** Backends by name (as TensorFlow.js registers its backends); src/backends/index.ts registers the built-in ones. */
const BACKENDS = new Map<string, Backend>();

export function registerBackend(b: Backend): void {
  if (!/^[a-z][a-z0-9-]*$/.test(b.name)) throw new BrainweaveError(`registerBackend: name '${b.name}' must be lower-case letters, digits and '-'`);
  BACKENDS.set(b.name, b);
}

export function backendNames(): string[] { return [...BACKENDS.keys()]; }

/** Available backends that 'auto' may take, fastest first. */
export function autoCandidates(): Backend[] {
  return [...BACKENDS.values()].filter((b) => b.autoRank !== null && b.available()).sort((a, b) => a.autoRank! - b.autoRank!);
}

/** The backend called `name`; 'auto' is the fastest available one. */
export function getBackend(name: string): Backend {
  if (name === 'auto') {
    const best = [...BACKENDS.values()].filter((b) => b.autoRank !== null && b.available()).sort((a, b) => a.autoRank! - b.autoRank!)[0];
    if (!best) throw new BrainweaveError(`backend 'auto': no backend is available here (registered: ${backendNames().join(', ')})`);
    return best;
  }
  const b = BACKENDS.get(name);
  if (!b) throw new BrainweaveError(`unknown backend '${name}' (known: auto, ${backendNames().join(', ')})`);
  if (!b.available()) throw new BrainweaveError(`backend '${name}' is not available in this environment`);
  return b;
}
