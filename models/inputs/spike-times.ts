import { NeuGroup, Variable, Params, BrainweaveError } from '../../src';

/**
 * Spikes at given times: neuron indices[k] spikes at times[k] (ms), as BrainPy's SpikeTimeGroup.
 * A spike at time s is emitted in the step whose start time is nearest to s (s = k·dt exactly → step k).
 * Events are sorted by time at construction; they are played once, from the network's first step.
 */
export class SpikeTimeGroup extends NeuGroup {
  protected sortedIdx: Int32Array;
  protected sortedTimes: Float64Array;
  /** Event times (sorted) and neuron of each event. */
  times = new Variable(() => this.sortedTimes.length, { init: (k) => this.sortedTimes[k] });
  indices = new Variable(() => this.sortedIdx.length, { dtype: 'int32', init: (k) => this.sortedIdx[k] });
  /** Next event to play. */
  next = new Variable(1, { dtype: 'int32' });
  /** Number of events (set at construction). */
  nEvents = 0;
  spike = new Variable(this.num, { dtype: 'bool' });

  constructor(size: number | number[], indices: ArrayLike<number>, times: ArrayLike<number>, params: Params = {}) {
    super(size, params);
    if (indices.length !== times.length) throw new BrainweaveError(`SpikeTimeGroup: ${indices.length} indices but ${times.length} times`);
    const order = Array.from({ length: times.length }, (_, k) => k);
    for (let k = 0; k < times.length; k++) {
      if (!Number.isFinite(times[k])) throw new BrainweaveError(`SpikeTimeGroup: times[${k}] = ${times[k]} is not finite`);
      if (!(Number.isInteger(indices[k]) && indices[k] >= 0 && indices[k] < this.num)) {
        throw new BrainweaveError(`SpikeTimeGroup: indices[${k}] = ${indices[k]} is not a neuron index in [0, ${this.num})`);
      }
    }
    order.sort((a, b) => times[a] - times[b] || indices[a] - indices[b]);
    this.sortedIdx = Int32Array.from(order, (k) => indices[k]);
    this.sortedTimes = Float64Array.from(order, (k) => times[k]);
    this.nEvents = times.length;
  }

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) this.spike[i] = 0;
    while (this.next[0] < this.nEvents && this.times[this.next[0]] < t + 0.5 * dt) {
      this.spike[this.indices[this.next[0]]] = 1;
      this.next[0] += 1;
    }
  }
}
