import { NeuGroup } from '../../src';

/**
 * Helpers shared by Hodgkin–Huxley-type neurons (HH, TraubHH, WangBuzsaki): the numerically safe
 * x / (exp(x/y) − 1) of their rate functions, and a gate's steady state α / (α + β).
 * Methods of the model, so the compiler translates them with the update.
 */
export abstract class GatedNeuron extends NeuGroup {
  /** x / (exp(x/y) - 1), continuous at x = 0. */
  vtrap(x: number, y: number): number {
    return Math.abs(x / y) < 1e-6 ? y * (1 - x / y / 2) : x / (Math.exp(x / y) - 1);
  }
  /** Steady-state open fraction of a gate with opening rate α and closing rate β. */
  gateInf(alpha: number, beta: number): number { return alpha / (alpha + beta); }
}
