import type { Variable } from '../core/variable';
import type { DynamicalSystem } from '../core/dynsys';
import type { MonitorSpec } from '../compiler/probes';
import type { MonitorData, SpikeMonitorData, ValueMonitorData } from './monitor-buffers';
import { BrainweaveError } from '../core/errors';

/**
 * Monitor results typed from the monitor list: with `new Network({ E, I, ... })` the network knows its
 * members' classes, so `'E.spike'` (a `Variable<'bool'>`) gives SpikeMonitorData and `'E.V'` gives
 * ValueMonitorData without casts, and a misspelt key is a type error. Networks typed only as `Network`
 * (e.g. returned by a function) fall back to `Record<string, MonitorData>`.
 */
export type Members = Record<string, DynamicalSystem>;

/** Names of the Variable fields of a model type. */
export type VariableFields<O> = { [K in keyof O & string]: O[K] extends Variable<any> ? K : never }[keyof O & string];
// a member typed only as a base class (NeuGroup) declares no Variables the type system can see: any field
export type FieldsOf<O> = [VariableFields<O>] extends [never] ? string : VariableFields<O>;
/** 'E.V', 'E.spike', ... for a network with members M. */
export type VariablePath<M> = string extends keyof M ? string : { [N in keyof M & string]: `${N}.${FieldsOf<M[N]>}` }[keyof M & string];

/** Monitor data type for key K of a network with members M. */
export type DataOf<M, K extends string> = string extends K ? MonitorData
  : K extends `${infer N}.${infer F}` ? N extends keyof M
    ? F extends keyof M[N] ? (M[N][F] extends Variable<'bool'> ? SpikeMonitorData : M[N][F] extends Variable<any> ? ValueMonitorData : MonitorData) : MonitorData
    : never : never;

/** The key a monitor spec records under. */
export type KeyOf<S> = S extends string ? S : S extends { target: infer T extends string } ? T : never;

/** A monitor spec whose target must name a Variable of the network. */
export type TypedMonitorSpec<M> = VariablePath<M> | { target: VariablePath<M>; indices?: ArrayLike<number>; every?: number };

/**
 * Checks each spec of a monitor list against the network: a literal key must name a Variable ('E.Vm' is a
 * type error); a key typed only as string cannot be checked here and is left to the run-time check.
 */
export type ValidMonitors<M, S> = { [I in keyof S]: S[I] extends string
  ? (string extends S[I] ? S[I] : S[I] extends VariablePath<M> ? S[I] : VariablePath<M>)
  : S[I] extends { target: infer T } ? (string extends T ? S[I] : T extends VariablePath<M> ? S[I] : { target: VariablePath<M>; indices?: ArrayLike<number>; every?: number }) : S[I] };

/** The monitors of a result, by key. */
export type MonitorsOf<M, S extends readonly MonitorSpec[]> = string extends keyof M ? Record<string, MonitorData>
  : number extends S['length'] ? { [K in KeyOf<S[number]>]: DataOf<M, K> } & Record<string, MonitorData>
  : { [K in KeyOf<S[number]>]: DataOf<M, K> };

/**
 * Wraps result monitors so that reading a key that looks like a monitor ('X.y') but was not recorded throws
 * with the keys there are, instead of giving undefined.
 */
export function strictMonitors<T extends Record<string, MonitorData>>(m: T): T {
  return new Proxy(m, {
    get(target, key, recv) {
      if (typeof key === 'string' && key.includes('.') && !(key in target)) {
        throw new BrainweaveError(`no monitor '${key}' in this result (recorded: ${Object.keys(target).join(', ') || 'none'}); add it to the run's monitors`);
      }
      return Reflect.get(target, key, recv);
    },
  });
}
