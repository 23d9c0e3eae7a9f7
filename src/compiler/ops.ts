import { OpArg } from './ir';

/**
 * Signatures of the library operators (src/ops/event.ts). Lowering checks calls against them;
 * each backend supplies one kernel per operator (src/backends/cpu/ops.ts), as TensorFlow.js does.
 */
export interface OpSpec {
  args: { name: string; kinds: ('array' | 'ragged' | 'dense' | 'scalar')[]; writes?: boolean }[];
  check?: (args: OpArg[], fail: (msg: string) => never) => void;
}

const len = (a: OpArg): number => (a.k === 'array' ? a.arr.array.length : a.k === 'ragged' ? a.rows : a.k === 'dense' ? a.rows : -1);

export const OPS: Record<string, OpSpec> = {
  pre2postEventSum: {
    args: [
      { name: 'out', kinds: ['array'], writes: true },
      { name: 'pre2post', kinds: ['ragged'] },
      { name: 'spike', kinds: ['array'] },
      { name: 'weight', kinds: ['scalar', 'array'] },
    ],
    check(a, fail) {
      if (len(a[1]) !== len(a[2])) fail(`pre2post has ${len(a[1])} rows but spike has ${len(a[2])} elements`);
      if (a[3].k === 'array' && a[1].k === 'ragged' && a[3].arr.array.length !== a[1].indices.array.length) {
        fail(`per-synapse weights have ${a[3].arr.array.length} values for ${a[1].indices.array.length} synapses`);
      }
    },
  },
  denseEventSum: {
    args: [
      { name: 'out', kinds: ['array'], writes: true },
      { name: 'W', kinds: ['dense'] },
      { name: 'spike', kinds: ['array'] },
    ],
    check(a, fail) {
      if (a[1].k === 'dense' && a[1].rows !== len(a[2])) fail(`W has ${a[1].rows} rows but spike has ${len(a[2])} elements`);
      if (a[1].k === 'dense' && a[1].cols !== len(a[0])) fail(`W has ${a[1].cols} columns but out has ${len(a[0])} elements`);
    },
  },
  syn2post: {
    args: [
      { name: 'out', kinds: ['array'], writes: true },
      { name: 'syn', kinds: ['array'] },
      { name: 'postIds', kinds: ['array'] },
    ],
    check(a, fail) { if (len(a[1]) !== len(a[2])) fail(`syn has ${len(a[1])} values but postIds has ${len(a[2])}`); },
  },
  pre2syn: {
    args: [
      { name: 'out', kinds: ['array'], writes: true },
      { name: 'pre', kinds: ['array'] },
      { name: 'preIds', kinds: ['array'] },
    ],
    check(a, fail) { if (len(a[0]) !== len(a[2])) fail(`out has ${len(a[0])} values but preIds has ${len(a[2])}`); },
  },
};
