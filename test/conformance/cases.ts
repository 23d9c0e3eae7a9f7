/**
 * The conformance cases: neurons, every delivery op, delays, plasticity, monitors, inputs and the random
 * stream. Small networks (they run on every backend, float32 and float64), each long enough to spike.
 */
import { Network, NeuGroup, Variable, Precision, InputSpec, MonitorSpec } from '../../src';
import { FixedProb, All2All } from '../../connectors';
import * as Z from '../../models';
import { Case, meanOf, monitorValues, spikeCount, varianceOf } from './harness';

const PRECISIONS: Precision[] = ['float32', 'float64'];
const drive = (base: number, amp: number) => (t: number) => base + amp * Math.sin(t / 7);

/** One neuron model of the zoo: a group of 20 under a time-varying input, spikes and V monitored. */
function neuron(name: string, make: () => NeuGroup, dt: number, input: number, duration = 40): Case[] {
  return PRECISIONS.map((precision) => ({
    name: `neuron ${name} (${precision})`,
    make: () => new Network({ G: make() }, { precision, seed: 5 }),
    duration, opts: {
      dt, inputs: [['G.input', drive(input, input * 0.3)]] as InputSpec[],
      monitors: ['G.spike', { target: 'G.V', indices: [0, 3, 19], every: 3 }] as MonitorSpec[],
    },
  }));
}

/** A driven LIF population projecting onto another through `syn`. */
function projection(name: string, syn: (E: NeuGroup, P: NeuGroup) => object, opts: { dt?: number; duration?: number } = {}): Case[] {
  return PRECISIONS.map((precision) => ({
    name: `${name} (${precision})`,
    make: () => {
      const E = new Z.LIF(60, { I: 22, V0: -55, V0sd: 5 }), P = new Z.LIF(40, { I: 12, V0: -58, V0sd: 2 });
      return new Network({ E, P, S: syn(E, P) as any }, { precision, seed: 9 });
    },
    duration: opts.duration ?? 60, opts: { dt: opts.dt ?? 0.1, monitors: ['E.spike', 'P.spike', { target: 'P.V', every: 5 }] as MonitorSpec[] },
  }));
}

class Probe extends NeuGroup {
  x = new Variable(this.num);
  y = new Variable(this.num, { init: 1 });
  draws = new Variable(this.num);
  update(t: number, dt: number) {
    for (let i = 0; i < this.num; i++) {
      this.draws[i] = this.rng.normal() + this.rng.uniform(-1, 1) + this.rng.exponential(2) + this.rng.poisson(3) + this.rng.randint(7);
      this.y[i] = this.y[i] * 0.5 + this.x[i] * dt + t * 1e-3;
    }
  }
}

/**
 * Booleans as a model writes them: comparisons held in locals and compared with true and false, a boolean
 * property, `!` and `&&` in values. The compiler read `true`, `false` and boolean properties as the numbers
 * 1 and 0, and a comparison's boolean is never strictly equal to a number: js and wasm found `both === true`
 * false where interp found it true (now the literal stays a boolean: compiler/ir.ts, `bool` on a num).
 */
class Booleans extends NeuGroup {
  enabled = true;
  x = new Variable(this.num, { init: (i) => i });
  y = new Variable(this.num);
  update(t: number, dt: number) {
    const late = t > 0.45;
    for (let i = 0; i < this.num; i++) {
      const big = this.x[i] > 2.5;
      const both = big && late;
      if (both === true) this.y[i] += 1;
      if (late !== false && !big) this.y[i] += 10;
      if (this.enabled === late) this.y[i] += 100;
      const notLate = !late;
      this.y[i] += (notLate === true ? 1000 : 0) + (big === false ? 10000 : 0);
      this.x[i] += dt;
    }
  }
}

export const NEURON_CASES: Case[] = [
  ...neuron('LIF', () => new Z.LIF(20, { V0: -60, V0sd: 5 }), 0.1, 25),
  ...neuron('ExpIF', () => new Z.ExpIF(20), 0.05, 12),
  ...neuron('AdEx', () => new Z.AdEx(20), 0.05, 12),
  ...neuron('QuaIF', () => new Z.QuaIF(20), 0.05, 12),
  ...neuron('AdQuaIF', () => new Z.AdQuaIF(20), 0.05, 35),
  ...neuron('GIF', () => new Z.GIF(20), 0.05, 3),
  ...neuron('Izhikevich', () => new Z.Izhikevich(20), 0.05, 10),
  ...neuron('HH', () => new Z.HH(20), 0.01, 10, 20),
  ...neuron('TraubHH', () => new Z.TraubHH(20), 0.01, 200, 20),
  ...neuron('WangBuzsaki', () => new Z.WangBuzsaki(20), 0.01, 2, 20),
  ...neuron('MorrisLecar', () => new Z.MorrisLecar(20), 0.05, 90),
  ...neuron('HindmarshRose', () => new Z.HindmarshRose(20), 0.05, 3),
  ...neuron('FitzHughNagumo', () => new Z.FitzHughNagumo(20), 0.05, 0.5),
];

export const SYNAPSE_CASES: Case[] = [
  ...projection('pre2postEventSum: ExpCOBA', (E, P) => new Z.ExpCOBA(E, P, new FixedProb(0.2), { weight: 0.6 })),
  ...projection('pre2postEventSum: ExpCUBA', (E, P) => new Z.ExpCUBA(E, P, new FixedProb(0.2), { weight: 1.5 })),
  ...projection('pre2postEventSum: DualExpCOBA', (E, P) => new Z.DualExpCOBA(E, P, new FixedProb(0.2))),
  ...projection('pre2postEventSum: AlphaCUBA', (E, P) => new Z.AlphaCUBA(E, P, new FixedProb(0.2))),
  ...projection('pre2postSum: AMPA', (E, P) => new Z.AMPA(E, P, new FixedProb(0.3))),
  ...projection('pre2postSum: GABAa', (E, P) => new Z.GABAa(E, P, new FixedProb(0.3))),
  ...projection('pre2postSum: NMDA', (E, P) => new Z.NMDA(E, P, new FixedProb(0.3))),
  ...projection('pre2postSum: STP', (E, P) => new Z.STP(E, P, new FixedProb(0.3), { ...Z.STP.STD, weight: 2 })),
  ...projection('gapJunctionSum: GapJunction', (E, P) => new Z.GapJunction(E, P, new FixedProb(0.3), { gc: 0.05 })),
  ...projection('ringEventSum: DeltaCurrent, per-synapse weights and delays', (E, P) => new Z.DeltaCurrent(E, P, new All2All(), {
    weight: Float64Array.from({ length: 60 * 40 }, (_, k) => 0.5 + (k % 5) * 0.3),
    delay: Float64Array.from({ length: 60 * 40 }, (_, k) => ((k * 7) % 31) / 10),
  })),
  ...projection('ringEventSum: DeltaSynapse, homogeneous delay', (E, P) => new Z.DeltaSynapse(E, P, new FixedProb(0.3), { weight: 0.8, delay: 2.5 })),
  ...projection('plasticity: PairSTDP', (E, P) => new Z.PairSTDP(E, P, new FixedProb(0.3), { weight: 0.3 })),
  ...projection('plasticity: TripletSTDP', (E, P) => new Z.TripletSTDP(E, P, new FixedProb(0.3), { weight: 0.3 })),
];

export const RUNTIME_CASES: Case[] = [
  ...PRECISIONS.map((precision): Case => ({
    name: `booleans compared with true, false and a boolean property (${precision})`,
    make: () => new Network({ B: new Booleans(6) }, { precision, seed: 1 }),
    duration: 1, opts: { dt: 0.1, monitors: [{ target: 'B.y', every: 1 }] as MonitorSpec[] },
  })),
  ...PRECISIONS.map((precision): Case => ({
    // equal sizes: the two neuron loops fuse into one, which computes both spike arrays (each gets its own list)
    name: `two groups of one size, fused, both spike-monitored (${precision})`,
    make: () => {
      const L = new Z.LIF(30, { I: 20, V0: -60, V0sd: 5 }), A = new Z.AdEx(30, { I: 12, R: 2, a: 0.5, b: 2, tRef: 1 });
      return new Network({ L, A, LA: new Z.ExpCOBA(L, A, new FixedProb(0.3), { weight: 0.3 }) }, { precision, seed: 1 });
    },
    duration: 60, opts: { dt: 0.05, monitors: ['L.spike', 'A.spike'] as MonitorSpec[] },
  })),
  ...PRECISIONS.map((precision): Case => ({
    name: `inputs: const, array, function (number and array), every op (${precision})`,
    make: () => new Network({ A: new Probe(6) }, { precision, seed: 1 }),
    duration: 3, opts: {
      dt: 0.1,
      inputs: [['A.x', 1.5], ['A.x', [1, 2, 3, 4, 5, 6], '*'], ['A.x', (t: number) => t, '-'], ['A.y', (t: number) => [t, 1, 2, 3, 4, -t], '+'], ['A.x', 3, '/'], ['A.y', (t: number) => (t > 1 ? [0, 1, 2, 3, 4, 5] : 0.5), '=']] as InputSpec[],
      monitors: [{ target: 'A.x', every: 2 }, { target: 'A.y', indices: [5, 0] }, 'A.draws'] as MonitorSpec[],
    },
    // x and y do not draw; the draws (normal + uniform(-1, 1) + exponential(2) + poisson(3) + randint(7):
    // mean 8, variance 12.3, independent over 6 elements × 30 steps) through their mean and variance
    random: {
      deterministic: ['A.x', 'A.y'],
      stats: (o) => { const d = monitorValues(o, 'A.draws'); return { 'mean of A.draws': meanOf(d), 'variance of A.draws': varianceOf(d) }; },
    },
  })),
  ...PRECISIONS.map((precision): Case => ({
    name: `random stream: Poisson input into COBA, split run (${precision})`,
    make: () => {
      const Pn = new Z.PoissonGroup(50, { rate: 40 }), E = new Z.LIF(30, { I: 15 });
      return new Network({ Pn, E, S: new Z.ExpCOBA(Pn, E, new All2All(), { weight: 0.3 }) }, { precision, seed: 2 });
    },
    duration: 50, split: 23.7, opts: { dt: 0.1, monitors: ['Pn.spike', 'E.spike'] as MonitorSpec[] },
    // the input's spike count (binomial, ≈ 100 ± 10), the driven population's, and the conductance it ends
    // with. E's 30 neurons are identical and get the same input: their count is 240 in most runs and moves
    // in steps of 30 (210 … 270 over 40 runs), so one step is always allowed
    random: {
      stats: (o) => ({ 'Pn spikes': spikeCount(o, 'Pn.spike'), 'E spikes': spikeCount(o, 'E.spike'), 'mean of S.g at the end': meanOf(o.state['S.g']) }),
      granularity: { 'E spikes': 30 },
    },
  })),
  ...PRECISIONS.map((precision): Case => ({
    name: `random stream: OU noise current (sdeint) (${precision})`,
    make: () => {
      const O = new Z.OUProcess(10, { mean: 5, sigma: 3, tau: 5 }), E = new Z.LIF(10, { I: 15 });
      return new Network({ O, E, S: new Z.OUCurrent(O, E, new FixedProb(0.5)) }, { precision, seed: 4 });
    },
    duration: 30, opts: { dt: 0.1, monitors: ['E.spike', { target: 'O.x', every: 4 }] as MonitorSpec[] },
    // the OU paths' mean over the run (stationary: 5), their innovations between samples 0.4 ms apart,
    // x(t + 0.4) − 5 − (x(t) − 5)·e^(−0.4/5): independent, mean 0, variance 9·(1 − e^(−0.16)) = 1.33, 740 of
    // them, so the noise's amplitude is measured within a few % (the paths' plain variance, from 10 paths
    // over 6 τ, only within ±30%); the driven population's spike count and its synaptic input at the end
    random: {
      stats: (o) => {
        const x = monitorValues(o, 'O.x'), w = 10, a = Math.exp(-0.4 / 5), r: number[] = [];
        for (let k = w; k < x.length; k++) r.push(x[k] - 5 - (x[k - w] - 5) * a);
        return {
          'mean of O.x': meanOf(x), 'mean of O.x innovations': meanOf(r), 'variance of O.x innovations': varianceOf(r),
          'E spikes': spikeCount(o, 'E.spike'), 'mean of E.input at the end': meanOf(o.state['E.input']),
        };
      },
      granularity: { 'E spikes': 1 },
    },
  })),
];
