/**
 * The kernel's side of the results cache: the values of a cell's names as text, and names defined from
 * such text. A cell's top-level names are properties of the kernel's global object (cellTransform.ts),
 * so restoring a cell is defining those properties, exactly what running it would have left.
 */
import type { RestoreResult, SnapshotRequest, SnapshotResult } from '../../shared/kernelProtocol';
import { decodeValues, encodeValues } from './valueCodec';

export function kernelValueHandlers(realm: Record<string, unknown>): {
  snapshot(request: SnapshotRequest): SnapshotResult;
  restore(request: { readonly text: string }): RestoreResult;
} {
  return {
    snapshot: ({ names, maxChars }) => {
      const values = new Map<string, { value: unknown } | undefined>();
      for (const name of names) {
        const d = Object.getOwnPropertyDescriptor(realm, name);
        // A name the cell's code left undefined (an `if` that did not run) is kept as absent.
        if (d === undefined) values.set(name, undefined);
        else if (!('value' in d)) return { ok: false, reason: `${name} is a getter on the global object` };
        else values.set(name, { value: d.value });
      }
      return encodeValues(values, maxChars);
    },
    restore: ({ text }) => {
      let values;
      try {
        values = decodeValues(text);
      } catch (error) {
        return { ok: false, reason: `the cached values cannot be read (${error instanceof Error ? error.message : String(error)})` };
      }
      for (const [name, entry] of values) {
        if (entry === undefined) Reflect.deleteProperty(realm, name);
        else realm[name] = entry.value;
      }
      return { ok: true };
    },
  };
}
