/**
 * Display maths for the heatmap and the small charts: mapping values to colour positions, axis ticks,
 * and the step/column ranges a downsampled cell stands for. No DOM, so Node tests can import it.
 */

export type ScaleMode = 'linear' | 'log';

/** Below this fraction of the maximum, a log scale stops resolving values (they share the lowest colour). */
export const LOG_DYNAMIC_RANGE = 1e-6;

/** Where positive values start on a log ramp: zero keeps the background colour, distinct from "tiny". */
export const LOG_ZERO_GAP = 0.08;

export interface SequentialDomain {
  readonly max: number;
  /** Smallest positive value shown distinctly on a log scale. */
  readonly logFloor: number;
}

/** Domain for a non-negative quantity such as d_h(s): [0, max], and the log floor from the data. */
export function sequentialDomain(values: ArrayLike<number>, max?: number): SequentialDomain {
  let hi = max ?? 0;
  let minPos = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (max === undefined && v > hi) hi = v;
    if (v > 0 && v < minPos) minPos = v;
  }
  if (!(hi > 0)) return { max: 1, logFloor: LOG_DYNAMIC_RANGE };
  const floor = Number.isFinite(minPos) ? Math.max(minPos, hi * LOG_DYNAMIC_RANGE) : hi * LOG_DYNAMIC_RANGE;
  return { max: hi, logFloor: Math.min(floor, hi) };
}

/** Position in [0, 1] on a sequential ramp; non-positive and non-finite values map to 0. */
export function sequentialT(v: number, domain: SequentialDomain, mode: ScaleMode): number {
  if (!(v > 0)) return 0;
  if (mode === 'linear') return Math.min(1, v / domain.max);
  const lo = Math.log10(domain.logFloor);
  const hi = Math.log10(domain.max);
  if (hi <= lo) return 1;
  const u = (Math.log10(Math.max(v, domain.logFloor)) - lo) / (hi - lo);
  return LOG_ZERO_GAP + (1 - LOG_ZERO_GAP) * Math.min(1, u);
}

/** Position in [−1, 1] on a diverging ramp, symmetric around zero; log mode is a signed log of |v|. */
export function divergingT(v: number, domain: SequentialDomain, mode: ScaleMode): number {
  if (!Number.isFinite(v) || v === 0) return 0;
  return Math.sign(v) * sequentialT(Math.abs(v), domain, mode);
}

/** Index into an n-entry lookup table for a position in [0, 1]. */
export function lutIndex(t: number, n: number): number {
  return Math.max(0, Math.min(n - 1, Math.round(t * (n - 1))));
}

/** "Nice" linear ticks (1, 2, 5 × 10^k steps) covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max < min) [min, max] = [max, min];
  if (max === min) return [min];
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  const first = Math.ceil(min / step - 1e-9);
  for (let k = first; k * step <= max + step * 1e-9; k++) ticks.push(+(k * step).toPrecision(12));
  return ticks;
}

/** Powers of ten within [lo, hi] (at least the two ends' decades), for a log legend. */
export function logTicks(lo: number, hi: number, maxCount = 6): number[] {
  if (!(lo > 0) || !(hi >= lo)) return [];
  const a = Math.ceil(Math.log10(lo) - 1e-9);
  const b = Math.floor(Math.log10(hi) + 1e-9);
  const every = Math.max(1, Math.ceil((b - a + 1) / maxCount));
  const ticks: number[] = [];
  for (let k = a; k <= b; k += every) ticks.push(10 ** k);
  return ticks;
}

/** Short tick label: integers as is, small or large numbers in exponent form, others to 3 digits. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) {
    const [m, e] = v.toExponential(1).split('e');
    return `${m.replace(/\.0$/, '')}e${Number(e)}`;
  }
  return String(+v.toPrecision(3));
}

/** The exact value for a tooltip: six significant digits, no trailing zeros lost to rounding noise. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  return v.toPrecision(6);
}

/** 0-based indices [first, last] a column covers when colBin states are summed into it. */
export function columnRange(col: number, colBin: number, width: number): [number, number] {
  const bin = Math.max(1, colBin);
  const first = col * bin;
  return [first, Math.max(first, Math.min(width, first + bin) - 1)];
}

/** 1-based steps [first, last] a row covers. */
export function rowRange(row: number, stepStart: readonly number[], rowBin: number, H: number): [number, number] {
  const first = stepStart[row] ?? row * Math.max(1, rowBin) + 1;
  return [first, Math.max(first, Math.min(H > 0 ? H : Infinity, first + Math.max(1, rowBin) - 1))];
}

export function rangeLabel([a, b]: readonly [number, number]): string {
  return a === b ? String(a) : `${a}–${b}`;
}

/** Show every k-th label so that labels are at least minGap pixels apart. */
export function labelStride(pixelsPerItem: number, minGap: number): number {
  if (!(pixelsPerItem > 0)) return 1;
  const raw = Math.ceil(minGap / pixelsPerItem);
  if (raw <= 1) return 1;
  // Round up to 1, 2, 5 × 10^k so labels land on round indices.
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
}

/** The cell under a point of the plot area, or null outside it. */
export function cellAt(x: number, y: number, plotWidth: number, plotHeight: number, cols: number, rows: number): { row: number; col: number } | null {
  if (x < 0 || y < 0 || x >= plotWidth || y >= plotHeight || cols <= 0 || rows <= 0) return null;
  return { col: Math.min(cols - 1, Math.floor((x / plotWidth) * cols)), row: Math.min(rows - 1, Math.floor((y / plotHeight) * rows)) };
}
