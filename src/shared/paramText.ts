/**
 * Sweep parameters as people type them ("1, 2, 4, 8" or "1 2 4 8"), shared by the panel's form and the
 * command palette's input boxes so both accept and refuse the same text with the same words.
 */

export type Parsed<T> = { readonly value: T } | { readonly error: string };

/** A whole number in [1, max]. */
export function parseCount(text: string, what: string, max: number): Parsed<number> {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { error: `${what} must be a whole number ≥ 1` };
  const n = Number(t);
  if (n < 1 || n > max) return { error: `${what} must be between 1 and ${max.toLocaleString('en-US')}` };
  return { value: n };
}

/** Increasing whole numbers in [1, max], separated by commas or spaces; at most maxCount of them. */
export function parseIncreasingList(text: string, what: string, max: number, maxCount: number): Parsed<number[]> {
  const parts = text.split(/[\s,]+/).filter((p) => p.length > 0);
  if (parts.length === 0) return { error: `give at least one ${what} value, e.g. 1, 2, 4, 8` };
  if (parts.length > maxCount) return { error: `at most ${maxCount} ${what} values` };
  const values: number[] = [];
  for (const part of parts) {
    const one = parseCount(part, `each ${what} value`, max);
    if ('error' in one) return { error: `"${part}": ${one.error}` };
    if (values.length > 0 && one.value <= values[values.length - 1]) return { error: `${what} values must increase (${values[values.length - 1]} then ${one.value})` };
    values.push(one.value);
  }
  return { value: values };
}

export function formatList(values: readonly number[]): string {
  return values.join(', ');
}
