/**
 * The guarantees of docs/theory.md §4, returned with their formulas so views can print what they plot.
 * Every bound is a number of reward units (the gap V(π^E) − V(π) lives in [0, H]).
 */
import { CoreError } from './errors';
import type { MDP } from './mdp';
import type { Policy } from './policy';
import { visitation } from './evaluation';

export interface Bound {
  readonly value: number;
  /** Human-readable formula, e.g. "min{H, |S|H²/N}". */
  readonly formula: string;
  /** What the bound means and under which assumptions it holds. */
  readonly note: string;
}

function checkSizes(nS: number, H: number, N: number): void {
  if (!(Number.isInteger(nS) && nS >= 1)) throw new CoreError(`|S| must be a positive integer, got ${nS}`, 'argument');
  if (!(Number.isInteger(H) && H >= 1)) throw new CoreError(`H must be a positive integer, got ${H}`, 'argument');
  if (!(Number.isInteger(N) && N >= 1)) throw new CoreError(`N must be a positive integer, got ${N}`, 'argument');
}

/**
 * BC's upper bound, up to a universal constant: min{H, |S|H²/N} for a deterministic expert and
 * min{H, |S|H² log N / N} for a stochastic one (Rajaraman et al. 2020). log N is floored at 1 so the
 * stochastic bound never falls below the deterministic one for tiny N.
 */
export function bcUpperBound(nS: number, H: number, N: number, expert: 'deterministic' | 'stochastic' = 'deterministic'): Bound {
  checkSizes(nS, H, N);
  if (expert === 'deterministic') {
    return {
      value: Math.min(H, (nS * H * H) / N),
      formula: 'min{H, |S|H²/N}',
      note: 'BC upper bound for a deterministic expert, up to a universal constant',
    };
  }
  return {
    value: Math.min(H, (nS * H * H * Math.max(1, Math.log(N))) / N),
    formula: 'min{H, |S|H² log N / N}',
    note: 'BC upper bound for a stochastic expert, up to a universal constant',
  };
}

/**
 * The offline lower bound: every offline learner (and every learner that may query the expert on the
 * states it visits) suffers ≳ min{H, |S|H²/N} on some instance. Returned without its constant; the
 * Reset Cliff lower-bound instance (resetCliff with rho 'lower-bound') realises it.
 */
export function offlineLowerBound(nS: number, H: number, N: number): Bound {
  checkSizes(nS, H, N);
  return {
    value: Math.min(H, (nS * H * H) / N),
    formula: 'Ω(min{H, |S|H²/N})',
    note: 'minimax lower bound for offline (and expert-querying) imitation, up to a universal constant',
  };
}

/**
 * The sharper bound with explicit constants (docs/theory.md §4, derived): for a deterministic expert and
 * per-step BC with uniform fill,
 *   E[gap] ≤ min{H, (1 − 1/|A|) Σ_h (H − h + 1) Σ_s d_h(s)(1 − d_h(s))^N},
 * computed from the expert's exact visitation in O(H · nnz) time and O(|S|) memory.
 */
export function bcInstanceBound(mdp: MDP, expert: Policy, N: number): Bound {
  checkSizes(mdp.nS, mdp.H, N);
  const H = mdp.H;
  let sum = 0;
  visitation(mdp, expert, {
    store: false,
    onStep: (h, d) => {
      let missing = 0;
      for (let s = 0; s < d.length; s++) {
        const p = d[s];
        if (p > 0 && p < 1) missing += p * Math.pow(1 - p, N);
      }
      // 0-based h: step h+1 of the notes weighs H − (h+1) + 1 = H − h.
      sum += (H - h) * missing;
    },
  });
  return {
    value: Math.min(H, (1 - 1 / mdp.nA) * sum),
    formula: 'min{H, (1 − 1/|A|) Σ_h (H − h + 1) Σ_s d_h(s)(1 − d_h(s))^N}',
    note: 'per-step BC, deterministic expert, explicit constants (performance-difference lemma)',
  };
}

/** The instance-free form of bcInstanceBound: min{H, (1 − 1/|A|)|S|H(H+1)/(2eN)}. */
export function bcExplicitBound(nS: number, nA: number, H: number, N: number): Bound {
  checkSizes(nS, H, N);
  return {
    value: Math.min(H, ((1 - 1 / nA) * nS * H * (H + 1)) / (2 * Math.E * N)),
    formula: 'min{H, (1 − 1/|A|)|S|H(H+1)/(2eN)}',
    note: 'per-step BC, deterministic expert, explicit constants',
  };
}

/** The notes' bound on E[M(D)] (docs/theory.md §3): p(1 − p)^N ≤ 4/(9N) for every p ∈ [0, 1]. */
export function missingMassBound(nS: number, H: number, N: number): { value: number; formula: string } {
  return { value: (4 * nS * H) / (9 * N), formula: '4|S|H/(9N)' };
}

/** |S|H · max_p p(1 − p)^N = |S|H · N^N/(N+1)^{N+1} ≤ |S|H/(eN), computed in log space. */
export function missingMassTightBound(nS: number, H: number, N: number): { value: number; formula: string } {
  const perState = Math.exp(N * Math.log(N) - (N + 1) * Math.log(N + 1));
  return { value: nS * H * perState, formula: '|S|H·N^N/(N+1)^(N+1) ≤ |S|H/(eN)' };
}
