import { Variable } from '../../src';
import { DelayedConn } from './delayed';

/**
 * Dual-exponential synapse, one (g, h) pair per post neuron (spikes superpose linearly):
 *   dg/dt = -g / tauDecay + h,   dh/dt = -h / tauRise,   h += w at each arriving spike.
 * One spike of weight w gives g(t) = w τd τr / (τd - τr) · (exp(-t/τd) - exp(-t/τr)), peaking at
 *   t* = ln(τd/τr) · τd τr / (τd - τr).
 * Integrated exactly (the linear propagator over dt), so g at step k after the spike equals g(k·dt).
 * Weights and delays may be per synapse; see DelayedConn. Output: DualExpCOBA / DualExpCUBA.
 */
abstract class DualExpBase extends DelayedConn {
  tauDecay = 10; tauRise = 1;
  g = new Variable(this.post.num);
  h = new Variable(this.post.num);
  protected integrate(dt: number) {
    const ed = Math.exp(-dt / this.tauDecay), er = Math.exp(-dt / this.tauRise);
    const c = this.tauDecay * this.tauRise / (this.tauDecay - this.tauRise) * (ed - er);
    this.schedule(dt);
    for (let j = 0; j < this.post.num; j++) {
      this.g[j] = this.g[j] * ed + this.h[j] * c;
      this.h[j] = this.h[j] * er + this.take(j);
    }
    this.advance();
  }
}

/** Conductance-based output: post.input += g (E - V). */
export class DualExpCOBA extends DualExpBase {
  E = 0;
  update(t: number, dt: number) {
    this.integrate(dt);
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.g[j] * (this.E - this.post.V[j]);
  }
}

/** Current-based output: post.input += g. */
export class DualExpCUBA extends DualExpBase {
  update(t: number, dt: number) {
    this.integrate(dt);
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.g[j];
  }
}
