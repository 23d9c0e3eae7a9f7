import type * as M from 'mathjs';

let cached: typeof M | null = null;

/**
 * mathjs, loaded on first use. Loading it takes 0.3–1.4 s on this machine kind, and only equation
 * strings, units and exponential Euler need it, so a plain `import 'brainweave'` must not pay for it.
 */
export const math: typeof M = new Proxy({} as typeof M, {
  get(_target, key) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cached ??= require('mathjs') as typeof M;
    return (cached as any)[key];
  },
});
export type { M };
