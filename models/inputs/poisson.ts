import { NeuGroup, Variable, Params } from '../../src';

/**
 * Independent Poisson spike sources: in each step neuron i spikes with probability rate·dt/1000
 * (rate in Hz, dt in ms), i.e. spike[i] = rng.random() < rate·dt/1000 (BrainPy's PoissonGroup).
 * `rate` is a number, or an array of one rate per neuron. The rates live in the Variable `freqs`, so an
 * input can change them during a run (e.g. inputs: [['P.freqs', t => 10 + 5 * Math.sin(t / 50), '=']]).
 */
export class PoissonGroup extends NeuGroup {
  rate = 10;
  protected rateArray: ArrayLike<number> | null = null;
  /** Current rate of each neuron (Hz); initialised from `rate`. */
  freqs = new Variable(this.num, { init: (i) => (this.rateArray ? this.rateArray[i] : this.rate) });
  spike = new Variable(this.num, { dtype: 'bool' });

  constructor(size: number | number[], params: Params = {}) {
    const p: Params = { ...params };
    let arr: ArrayLike<number> | null = null;
    if (typeof p.rate === 'object') { arr = p.rate as ArrayLike<number>; delete p.rate; }
    super(size, p);
    this.rateArray = arr;
  }

  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) this.spike[i] = this.rng.random() < this.freqs[i] * dt / 1000 ? 1 : 0;
  }
}
