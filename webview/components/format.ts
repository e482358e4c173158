/** Text the components print: short numbers, the missing-mass line, trajectory cells. */

/** Three significant digits without trailing zeros (0.5, not 0.500). */
export function short(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(+x.toPrecision(digits));
}

export interface MissingMassLike {
  readonly value: number;
  readonly expected?: number;
  readonly bound: number;
  readonly formula: string;
  readonly N?: number;
}

/** "missing mass 0.123 (expected 0.120, bound 4|S|H/(9N) = 0.5)". */
export function missingMassLine(mm: MissingMassLike): string {
  const parts: string[] = [];
  if (mm.expected !== undefined) parts.push(`expected ${mm.expected.toFixed(3)}`);
  parts.push(`bound ${mm.formula} = ${short(mm.bound)}`);
  if (mm.N !== undefined) parts.push(`N = ${mm.N}`);
  return `missing mass ${mm.value.toFixed(3)} (${parts.join(', ')})`;
}

/** A name when the list has one for this index, else the index itself; −1 (unobserved) is "·". */
export function nameOf(index: number, names: readonly string[]): string {
  if (index < 0) return '·';
  return names[index] ?? String(index);
}

/** One trajectory step as "s/a"; a step with neither observed is a single "·". */
export function stepCell(step: readonly [number, number], stateNames: readonly string[], actionNames: readonly string[]): string {
  const [s, a] = step;
  if (s < 0 && a < 0) return '·';
  return `${nameOf(s, stateNames)}/${nameOf(a, actionNames)}`;
}
