/**
 * Behavioral cloning as maximum likelihood (docs/theory.md §2): π^BC_h(a|s) = n_h(s,a)/Σ_a′ n_h(s,a′) on the
 * (h, s) seen in the data, 1/|A| elsewhere. The result is a CountPolicy, which stores exactly those
 * counts, so cloning costs what the data costs.
 */
import { stepCounts, type Dataset } from './dataset';
import { CoreError } from './errors';
import { actionDistribution, countRow, countRowTotal, type CountPolicy, type Policy } from './policy';

/** 'per-step' (non-stationary, the notes' estimator) or 'pooled' (stationary: counts over all steps). */
export type BcMode = 'per-step' | 'pooled';

export interface BcOptions {
  /** Default 'per-step'. */
  readonly mode?: BcMode;
  /** Horizon of the policy (default: the dataset's). */
  readonly horizon?: number;
  /** Optional per-sample weights at i·H + h (importance-weighted cloning). */
  readonly weights?: Float64Array;
}

export function behavioralCloning(d: Dataset, options: BcOptions = {}): CountPolicy {
  const pooled = options.mode === 'pooled';
  if (options.mode !== undefined && options.mode !== 'per-step' && options.mode !== 'pooled') {
    throw new CoreError(`unknown BC mode ${String(options.mode)}; use 'per-step' or 'pooled'`, 'argument');
  }
  const H = options.horizon ?? d.H;
  if (!pooled && H !== d.H) throw new CoreError(`per-step BC needs the dataset's horizon ${d.H}, got ${H}`, 'argument');
  if (options.weights) {
    if (options.weights.length !== d.N * d.H) throw new CoreError('BC weights need one entry per (trajectory, step)', 'argument');
    for (const w of options.weights) if (!(w >= 0) || !Number.isFinite(w)) throw new CoreError(`BC weight ${w} must be finite and ≥ 0`, 'argument');
  }
  // Rows whose weights sum to 0 carry no information: stepCounts leaves them out (uniform), never 0/0.
  const c = stepCounts(d, { pooled, ...(options.weights ? { weights: options.weights } : {}) });
  return {
    kind: 'counts',
    nS: d.nS,
    nA: d.nA,
    H,
    stationary: pooled,
    blockStart: c.blockStart,
    states: c.states,
    entryStart: c.entryStart,
    entryAction: c.entryAction,
    entryCount: c.entryCount,
  };
}

/** Σ over observed (h, s, a) of log π_h(a|s): the objective BC maximises (−Infinity if a seen action has probability 0). */
export function logLikelihood(d: Dataset, pi: Policy): number {
  if (d.nS !== pi.nS || d.nA !== pi.nA) throw new CoreError('the dataset and the policy disagree on |S| or |A|', 'shape-mismatch');
  if (!pi.stationary && pi.H < d.H) throw new CoreError(`the policy covers ${pi.H} steps, the data ${d.H}`, 'shape-mismatch');
  const row = new Float64Array(d.nA);
  let total = 0;
  for (let i = 0; i < d.N; i++) {
    for (let h = 0; h < d.H; h++) {
      const k = i * d.H + h;
      const s = d.states[k];
      if (s < 0) continue;
      const a = d.actions[k];
      if (s >= d.nS || a < 0 || a >= d.nA) throw new CoreError(`trajectory ${i}, step ${h + 1}: (s, a) = (${s}, ${a}) is out of range`, 'dataset');
      total += Math.log(actionDistribution(pi, h, s, row)[a]);
    }
  }
  return total;
}

export interface BcTableRow {
  readonly state: number;
  readonly counts: Float64Array;
  readonly probabilities: Float64Array;
}

/** The seen rows of step h (for display) and how many states are unseen there (played uniformly). */
export function bcTable(pi: CountPolicy, h: number): { rows: BcTableRow[]; unseen: number } {
  const block = pi.stationary ? 0 : h;
  const rows: BcTableRow[] = [];
  for (let i = pi.blockStart[block]; i < pi.blockStart[block + 1]; i++) {
    const counts = countRow(pi, i);
    const total = countRowTotal(pi, i);
    rows.push({ state: pi.states[i], counts, probabilities: counts.map((c) => c / total) });
  }
  return { rows, unseen: pi.nS - rows.length };
}

