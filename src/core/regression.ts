/** Least-squares fits used to read compounding errors off a sweep (slope ≈ 2 on log-log axes). */
import { CoreError } from './errors';

export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** Number of points used. */
  readonly n: number;
}

/** Ordinary least squares y ≈ slope·x + intercept; needs at least two distinct x. */
export function fitLine(xs: readonly number[], ys: readonly number[]): LineFit {
  if (xs.length !== ys.length) throw new CoreError('fitLine needs as many x as y values', 'argument');
  const n = xs.length;
  if (n < 2) throw new CoreError(`a line fit needs at least 2 points, got ${n}`, 'argument');
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ys[i] - my);
  }
  if (sxx === 0) throw new CoreError('a line fit needs at least two distinct x values', 'argument');
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, n };
}

/**
 * Slope of log y against log x over the points with from ≤ x ≤ to and y > 0 (a zero gap has no
 * logarithm; it is left out rather than clamped, which would bend the fit).
 */
export function logLogSlope(xs: readonly number[], ys: readonly number[], from = -Infinity, to = Infinity): LineFit & { from: number; to: number } {
  const lx: number[] = [];
  const ly: number[] = [];
  const used: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] >= from && xs[i] <= to && ys[i] > 0 && xs[i] > 0) {
      lx.push(Math.log(xs[i]));
      ly.push(Math.log(ys[i]));
      used.push(xs[i]);
    }
  }
  const fit = fitLine(lx, ly);
  return { ...fit, from: Math.min(...used), to: Math.max(...used) };
}

/** Mean and standard error (sample standard deviation / √n) of a list of numbers. */
export function meanAndStandardError(values: ArrayLike<number>): { mean: number; se: number; n: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, se: NaN, n: 0 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i];
  mean /= n;
  if (n === 1) return { mean, se: NaN, n };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, se: Math.sqrt(ss / (n - 1) / n), n };
}
