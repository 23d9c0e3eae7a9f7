import { Network, NeuGroup, Variable, StepPlan } from '../src';
import { cobaNetwork } from '../examples/networks';

/** Final state of the listed Variables after `ms` of run, fused, unfused and interpreted. */
async function threeWays(make: () => Network, vars: string[], ms = 1) {
  const out: number[][][] = [];
  for (const o of [{ fuse: true }, { fuse: false }, { jit: false }]) {
    const net = make();
    await net.run(ms, { dt: 0.1, seed: 3, ...o });
    out.push(vars.map((v) => Array.from(net.variable(v)!.value)));
  }
  return out;
}

/** Loops over neurons or spikes at the top level of one step (each is one pass over memory). */
const stepLoops = (plan: StepPlan) => plan.step.filter((s) => ['for', 'range', 'op', 'eventGroup', 'record'].includes(s.k)).length;

test('COBA: the four spike scans fuse into two and the four output loops into two', () => {
  const net = cobaNetwork({ seed: 1 });
  const fused = net.stepPlan({ fuse: true }), plain = net.stepPlan({ fuse: false });
  // neuron loops 2 + scans 4 + outputs 4 = 10 unfused; 2 + 2 + 2 = 6 fused
  expect(stepLoops(plain)).toBe(10);
  expect(stepLoops(fused)).toBe(6);
  // spike monitors: two more scans unfused, recorded inside the event scans when fused
  const monitors = ['E.spike', 'I.spike'];
  expect(stepLoops(net.stepPlan({ fuse: false, monitors }))).toBe(12);
  expect(stepLoops(net.stepPlan({ fuse: true, monitors }))).toBe(6);
});

class Neighbours extends NeuGroup {
  x = new Variable(this.num, { init: (i) => i });
  y = new Variable(this.num);
  z = new Variable(this.num);
  sum = new Variable(1);
  update() {
    for (let j = 0; j < this.num; j++) this.x[j] = this.x[j] * 0.5 + 1;
    // reads a neighbour of what the loop above wrote: fusing would read x[j + 1] before it is updated
    for (let j = 0; j < this.num - 1; j++) this.y[j] = this.x[j + 1];
    for (let j = 0; j < this.num; j++) this.z[j] = this.x[j] * 2; // same index: may fuse with the first loop
    let acc = 0;
    for (let j = 0; j < this.num; j++) acc += this.z[j];
    for (let j = 0; j < this.num; j++) this.z[j] = acc; // uses the finished accumulator
    this.sum[0] = acc;
  }
}

class Draws extends NeuGroup {
  a = new Variable(this.num);
  b = new Variable(this.num);
  update() {
    for (let i = 0; i < this.num; i++) this.a[i] = this.rng.normal();
    for (let i = 0; i < this.num; i++) this.b[i] = this.rng.random();
  }
}

test('fusion never changes results: neighbour reads, accumulators and random draws', async () => {
  const [fused, plain, interp] = await threeWays(() => new Network({ N: new Neighbours(6), D: new Draws(5) }, { precision: 'float64' }),
    ['N.x', 'N.y', 'N.z', 'N.sum', 'D.a', 'D.b'], 0.3);
  expect(fused).toEqual(interp);
  expect(plain).toEqual(interp);
  // and the neighbour loop really read updated values: after one step x = i/2 + 1, y[j] = x[j+1]
  const one = new Network({ N: new Neighbours(4) }, { precision: 'float64' });
  await one.run(0.1);
  expect(Array.from(one.variable('N.y')!.value)).toEqual([1.5, 2, 2.5, 0]);
});
