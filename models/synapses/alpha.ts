import { Variable } from '../../src';
import { DelayedConn } from './delayed';

/**
 * Alpha synapse (Rall 1967), one (g, h) pair per post neuron:
 *   dg/dt = -g / tau + h,   dh/dt = -h / tau,   h += w at each arriving spike,
 * so one spike gives g(t) = w t exp(-t/tau): it peaks at t = tau with value w tau / e.
 * Integrated exactly (g(t+dt) = (g + h dt) e^{-dt/tau}, h(t+dt) = h e^{-dt/tau}).
 * Weights and delays may be per synapse; see DelayedConn. Output: AlphaCOBA / AlphaCUBA.
 */
abstract class AlphaBase extends DelayedConn {
  tau = 2;
  g = new Variable(this.post.num);
  h = new Variable(this.post.num);
  protected integrate(dt: number) {
    const e = Math.exp(-dt / this.tau);
    this.schedule(dt);
    for (let j = 0; j < this.post.num; j++) {
      this.g[j] = (this.g[j] + this.h[j] * dt) * e;
      this.h[j] = this.h[j] * e + this.take(j);
    }
    this.advance();
  }
}

/** Conductance-based output: post.input += g (E - V). */
export class AlphaCOBA extends AlphaBase {
  E = 0;
  update(t: number, dt: number) {
    this.integrate(dt);
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.g[j] * (this.E - this.post.V[j]);
  }
}

/** Current-based output: post.input += g. */
export class AlphaCUBA extends AlphaBase {
  update(t: number, dt: number) {
    this.integrate(dt);
    for (let j = 0; j < this.post.num; j++) this.post.input[j] += this.g[j];
  }
}
