import { NeuGroup, Variable, Params } from '../../src';

/**
 * Ornstein–Uhlenbeck process, one independent path per element (a noisy current source):
 *   tau dx = (mean - x) dt + sigma √(2 tau) dW,
 * so x is stationary with mean `mean`, standard deviation `sigma` and correlation time `tau`.
 * Integrated exactly in distribution: x ← mean + (x - mean) e^{-dt/tau} + sigma √(1 - e^{-2dt/tau}) ξ.
 * Each step the current value is added to `target` (wire it with the OUCurrent projection, or monitor `x`).
 * Starts from the stationary distribution.
 */
export class OUProcess extends NeuGroup {
  mean = 0; sigma = 1; tau = 10;
  x = new Variable(this.num, { init: () => this.rng.normal(this.mean, this.sigma) });

  constructor(size: number | number[], params: Params = {}) { super(size, params); }

  update(t: number, dt: number) {
    const e = Math.exp(-dt / this.tau);
    const s = this.sigma * Math.sqrt(1 - e * e);
    for (let i = 0; i < this.num; i++) this.x[i] = this.mean + (this.x[i] - this.mean) * e + s * this.rng.normal();
  }
}
