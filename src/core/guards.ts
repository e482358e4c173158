/**
 * Type guards for plain data that crosses a boundary: worker messages, webview messages, parsed files.
 * The core checks its own untyped inputs with them, and every protocol in src/shared, src/workers,
 * src/compute and src/editor reuses them, so a check means the same thing on every channel.
 */

/** A plain object (not null, not an array): the shape of every message and spec. */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** 1, 2, 3, … */
export function isPositiveInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1;
}

/** 0, 1, 2, … */
export function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

export function isStringArray(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((s) => typeof s === 'string');
}
