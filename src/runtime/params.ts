import { DynamicalSystem } from '../core/dynsys';

/**
 * Non-Variable attributes (numbers, booleans) are constants of a run: compiled backends bake them into
 * code, and the interp backend reads them live. A callback that changes one mid-run would therefore act
 * differently per backend, so every backend refuses it the same way: the runtime compares a snapshot at
 * each chunk boundary.
 */
export type ParamSnapshot = { where: string; obj: Record<string, unknown>; key: string; value: unknown }[];

export function snapshotParams(objects: { name: string; obj: DynamicalSystem }[]): ParamSnapshot {
  const out: ParamSnapshot = [];
  for (const { name, obj } of objects) {
    const o = obj as unknown as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      const v = o[key];
      if (typeof v === 'number' || typeof v === 'boolean') out.push({ where: `${obj.constructor.name} '${name}'`, obj: o, key, value: v });
    }
  }
  return out;
}

/** "LIF 'E'.I" for the first attribute that changed since the snapshot, else null. */
export function changedParam(snap: ParamSnapshot): string | null {
  for (const p of snap) if (!Object.is(p.obj[p.key], p.value)) return `${p.where}.${p.key}`;
  return null;
}
