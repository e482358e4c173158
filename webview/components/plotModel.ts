/** How each plot series is drawn and what the slope note says; no DOM, no Chart.js. */
import type { PlotPoint, PlotSeries, PlotView } from '../../src/shared/viewModels';
import { short } from './format';
import { formatTick } from './scales';

export type SeriesColour = 'blue' | 'green' | 'red' | 'orange' | 'purple';

export interface SeriesStyle {
  readonly colour: SeriesColour;
  /** Canvas line dash; empty for solid. */
  readonly dash: readonly number[];
  readonly points: boolean;
}

const MEAN_COLOURS: readonly SeriesColour[] = ['blue', 'purple', 'orange', 'green'];
/**
 * Past four means the colours come round again (the palette is the theme's few chart colours), so each
 * round gets its own dash: notebook 7 compares six or seven learners on one plot.
 */
const MEAN_DASHES: readonly (readonly number[])[] = [[], [8, 4], [2, 3]];

/** Style of series i of a view: by its role, and for several means (BC vs DAgger) by its rank among them. */
export function styleOf(view: PlotView, i: number): SeriesStyle {
  const role = view.series[i]?.role ?? 'other';
  const nth = view.series.slice(0, i).filter((s) => s.role === role).length;
  return seriesStyle(role, nth);
}

export function seriesStyle(role: PlotSeries['role'], nth = 0): SeriesStyle {
  switch (role) {
    case 'mean':
      return { colour: MEAN_COLOURS[nth % MEAN_COLOURS.length], dash: MEAN_DASHES[Math.floor(nth / MEAN_COLOURS.length) % MEAN_DASHES.length], points: true };
    case 'closed-form':
      return { colour: 'green', dash: [7, 4], points: false };
    case 'bound':
      return { colour: 'red', dash: [2, 3], points: false };
    case 'instance-bound':
      return { colour: 'orange', dash: [2, 3], points: false };
    default:
      return { colour: 'purple', dash: [], points: true };
  }
}

/** Points a log axis can show (positive coordinates); the rest are counted so a note can say so. */
export function drawablePoints(points: readonly PlotPoint[], logX: boolean, logY: boolean): { kept: PlotPoint[]; dropped: number } {
  const kept = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!logX || p.x > 0) && (!logY || p.y > 0));
  return { kept, dropped: points.length - kept.length };
}

/** The lower end of an error bar; on a log axis a bar reaching zero or below is cut at `floor`. */
export function errorBarEnds(p: PlotPoint, logY: boolean, floor: number): [number, number] | null {
  if (p.se === undefined || !(p.se > 0)) return null;
  const lo = p.y - p.se;
  return [logY && lo <= 0 ? floor : lo, p.y + p.se];
}

/** "slope 1.97 over H ∈ [4, 64]". */
export function slopeText(view: PlotView): string | null {
  if (!view.slope) return null;
  const axis = view.logX && view.logY ? ' (log-log fit)' : '';
  return `slope ${view.slope.value.toFixed(2)} over ${view.xLabel} ∈ [${short(view.slope.from)}, ${short(view.slope.to)}]${axis}`;
}

/** "BC — slope 1.98": a legend entry, with the series' own fit when it has one. */
export function legendLabel(series: PlotSeries): string {
  return series.slope ? `${series.name} — slope ${series.slope.value.toFixed(2)}` : series.name;
}

/**
 * The line above the chart: the view's fit (a single sweep), or each series' fit when several are
 * compared ("log-log slopes over H ∈ [4, 64]: BC 1.98 · DAgger 1.10"; ranges are given per series
 * when they differ).
 */
export function subtitleText(view: PlotView): string | null {
  const single = slopeText(view);
  if (single !== null) return single;
  const fitted = view.series.filter((s) => s.slope);
  if (fitted.length === 0) return null;
  const [first] = fitted;
  const sameRange = fitted.every((s) => s.slope!.from === first.slope!.from && s.slope!.to === first.slope!.to);
  const range = (s: PlotSeries) => `${view.xLabel} ∈ [${short(s.slope!.from)}, ${short(s.slope!.to)}]`;
  const axis = view.logX && view.logY ? ' (log-log fits)' : '';
  if (sameRange) return `slopes over ${range(first)}${axis}: ${fitted.map((s) => `${s.name} ${s.slope!.value.toFixed(2)}`).join(' · ')}`;
  return `slopes${axis}: ${fitted.map((s) => `${s.name} ${s.slope!.value.toFixed(2)} over ${range(s)}`).join(' · ')}`;
}

/** When a series is sampled at a few x values (H = 1, 2, 4, …), those values make the clearest ticks. */
export function dataTicks(view: PlotView, maxCount = 12): number[] | null {
  const xs = new Set<number>();
  for (const s of view.series) for (const p of drawablePoints(s.points, view.logX, view.logY).kept) xs.add(p.x);
  if (xs.size === 0 || xs.size > maxCount) return null;
  return [...xs].sort((a, b) => a - b);
}

/**
 * Label for a tick on a log axis, or '' to leave it unlabelled: over many decades only powers of ten,
 * over a few also 2 and 5 × 10^k, so labels never pile up near the top of each decade.
 */
export function logTickLabel(value: number, min: number, max: number): string {
  if (!(value > 0)) return '';
  const decades = Math.log10(max / min);
  const mantissa = Math.round(value / 10 ** Math.floor(Math.log10(value) + 1e-9));
  const keep = decades > 3 ? mantissa === 1 : mantissa === 1 || mantissa === 2 || mantissa === 5;
  return keep ? formatTick(value) : '';
}

/**
 * Axis limits with room around the data, error bars included, so end markers and bars are not cut
 * by the frame. Log axes pad by a factor, linear ones by a fraction of the span.
 */
export function paddedExtent(values: readonly number[], log: boolean): { min: number; max: number } | null {
  const usable = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (usable.length === 0) return null;
  const lo = Math.min(...usable);
  const hi = Math.max(...usable);
  if (log) {
    const factor = hi > lo ? Math.min(1.5, (hi / lo) ** 0.04) : 2;
    return { min: lo / factor, max: hi * factor };
  }
  const pad = hi > lo ? (hi - lo) * 0.04 : Math.abs(hi) * 0.1 || 1;
  return { min: lo - pad, max: hi + pad };
}

/** On a log axis a bar whose lower end is more than this factor below its point is cut by the frame. */
export const LOG_BAR_REACH = 10;

/**
 * Every x, and every y with its error bar ends, of the points a chart will draw. On a log axis a lower
 * end far below its point (a mean within one s.e. of 0) would stretch the axis over empty decades and
 * flatten every curve; such a bar runs off the bottom of the frame instead.
 */
export function extentValues(view: PlotView): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of view.series) {
    for (const p of drawablePoints(s.points, view.logX, view.logY).kept) {
      xs.push(p.x);
      ys.push(p.y);
      if (p.se !== undefined && p.se > 0) {
        ys.push(p.y + p.se);
        if (!view.logY || p.y - p.se >= p.y / LOG_BAR_REACH) ys.push(p.y - p.se);
      }
    }
  }
  return { xs, ys };
}
