/**
 * Behavioral cloning as maximum likelihood (il-theory.md §2): π^BC_h(a|s) = n_h(s,a)/Σ_a′ n_h(s,a′) on the
 * (h, s) seen in the data, 1/|A| elsewhere. The result is a CountPolicy, which stores exactly those
 * counts, so cloning costs what the data costs.
 */
import { stepCounts, type Dataset } from './dataset';
import { CoreError } from './errors';
import { actionDistribution, type CountPolicy, type Policy } from './policy';

export interface BcOptions {
  /** 'per-step' (non-stationary, the notes' estimator; default) or 'pooled' (stationary: counts over all steps). */
  readonly mode?: 'per-step' | 'pooled';
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
  const c = stepCounts(d, { pooled, ...(options.weights ? { weights: options.weights } : {}) });
  // Rows whose weights sum to 0 carry no information: they stay unseen (uniform), never 0/0.
  const nA = d.nA;
  let kept = 0;
  for (let i = 0; i < c.states.length; i++) if (rowTotal(c.counts, i, nA) > 0) kept++;
  // With no empty row (always so without weights) the step counts are the policy as they are.
  const all = kept === c.states.length;
  const blockStart = all ? c.blockStart : new Uint32Array(c.blockStart.length);
  const states = all ? c.states : new Int32Array(kept);
  const counts = all ? c.counts : new Float64Array(kept * nA);
  if (!all) {
    let n = 0;
    for (let b = 0; b + 1 < c.blockStart.length; b++) {
      for (let i = c.blockStart[b]; i < c.blockStart[b + 1]; i++) {
        if (rowTotal(c.counts, i, nA) <= 0) continue;
        states[n] = c.states[i];
        counts.set(c.counts.subarray(i * nA, (i + 1) * nA), n * nA);
        n++;
      }
      blockStart[b + 1] = n;
    }
  }
  return {
    kind: 'counts',
    nS: d.nS,
    nA,
    H,
    stationary: pooled,
    blockStart,
    states,
    counts,
  };
}

function rowTotal(counts: Float64Array, i: number, nA: number): number {
  let total = 0;
  for (let a = 0; a < nA; a++) total += counts[i * nA + a];
  return total;
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
    const counts = pi.counts.slice(i * pi.nA, (i + 1) * pi.nA);
    const total = counts.reduce((x, y) => x + y, 0);
    rows.push({ state: pi.states[i], counts, probabilities: counts.map((c) => c / total) });
  }
  return { rows, unseen: pi.nS - rows.length };
}

