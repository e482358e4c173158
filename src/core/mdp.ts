/**
 * Finite-horizon tabular MDPs M = (S, A, P, r, ρ, H) (docs/theory.md §1).
 *
 * Steps are 0-based in code (h = 0 … H−1 is step h+1 of the notes). Transitions are stored as CSR
 * over (s, a) rows plus an optional rank-one "reset" part:
 *
 *     P_h(s' | s, a) = Σ_k [next_k = s'] prob_k  +  resetMass(s, a) · resetTo(s')
 *
 * The reset part lets the Reset Cliff (every expert action redraws s' ~ ρ) and a learned model's
 * uniform fill on unseen (s, a) stay O(|S||A|) instead of O(|S|²|A|), so |S| = 10^6 fits in memory.
 */
import { ValidationError } from './errors';
import { validateMDP } from './validate';

export interface ResetPart {
  /** Mass of each (s, a) row that goes to `to`; length |S||A|. */
  readonly mass: Float64Array;
  /** A distribution over next states; length |S|. */
  readonly to: Float64Array;
}

export interface Transitions {
  /** Row r = s·|A| + a owns entries rowStart[r] … rowStart[r+1]−1; length |S||A| + 1. */
  readonly rowStart: Uint32Array;
  readonly next: Int32Array;
  readonly prob: Float64Array;
  readonly reset?: ResetPart;
}

export interface MDP {
  readonly nS: number;
  readonly nA: number;
  readonly H: number;
  readonly stateNames?: readonly string[];
  readonly actionNames?: readonly string[];
  /** Initial distribution ρ; length |S|. */
  readonly rho: Float64Array;
  /** r(s, a) ∈ [0, 1] at index s·|A| + a (length |S||A|), or per step at h·|S||A| + s·|A| + a (length H|S||A|). */
  readonly reward: Float64Array;
  /** One entry (stationary) or H entries (entry h is P_{h+1}, used from step h to h+1; the last is never used). */
  readonly transitions: readonly Transitions[];
}

/** Offset of step h's reward block inside `mdp.reward`. */
export function rewardOffset(mdp: MDP, h: number): number {
  return mdp.reward.length === mdp.nS * mdp.nA ? 0 : h * mdp.nS * mdp.nA;
}

/** The transition kernel used to go from step h to step h + 1. */
export function transitionsAt(mdp: MDP, h: number): Transitions {
  return mdp.transitions.length === 1 ? mdp.transitions[0] : mdp.transitions[h];
}

export function isStationary(mdp: MDP): boolean {
  return mdp.transitions.length === 1 && mdp.reward.length === mdp.nS * mdp.nA;
}

/** Validates and returns the MDP; throws a ValidationError listing every problem. */
export function createMDP(input: MDP): MDP {
  const problems = validateMDP(input);
  if (problems.length > 0) throw new ValidationError(problems, 'MDP');
  return input;
}

/** Returns a copy of the MDP with a different horizon (only for stationary MDPs). */
export function withHorizon(mdp: MDP, H: number): MDP {
  if (!isStationary(mdp)) {
    throw new ValidationError(
      [{ path: ['H'], message: 'only stationary MDPs can change horizon; rebuild the per-step MDP instead', code: 'horizon' }],
      'MDP',
    );
  }
  return createMDP({ ...mdp, H });
}

/**
 * Builds CSR transitions from a list of rows (one per (s, a), in order s·|A| + a). Each row is a list
 * of [next, prob] pairs; entries are kept in the given order, zero probabilities dropped.
 */
export function transitionsFromRows(
  nS: number,
  nA: number,
  rows: readonly (readonly (readonly [number, number])[])[],
  reset?: ResetPart,
): Transitions {
  const rowStart = new Uint32Array(nS * nA + 1);
  let nnz = 0;
  for (let r = 0; r < nS * nA; r++) {
    for (const [, p] of rows[r] ?? []) if (p !== 0) nnz++;
    rowStart[r + 1] = nnz;
  }
  const next = new Int32Array(nnz);
  const prob = new Float64Array(nnz);
  let k = 0;
  for (let r = 0; r < nS * nA; r++) {
    for (const [s2, p] of rows[r] ?? []) {
      if (p === 0) continue;
      next[k] = s2;
      prob[k] = p;
      k++;
    }
  }
  return reset ? { rowStart, next, prob, reset } : { rowStart, next, prob };
}

/** Builds CSR transitions from a dense |S||A| × |S| table (row-major), dropping zeros. */
export function transitionsFromDense(nS: number, nA: number, dense: ArrayLike<number>): Transitions {
  const rows: [number, number][][] = [];
  for (let r = 0; r < nS * nA; r++) {
    const row: [number, number][] = [];
    for (let s2 = 0; s2 < nS; s2++) {
      const p = dense[r * nS + s2];
      if (p !== 0) row.push([s2, p]);
    }
    rows.push(row);
  }
  return transitionsFromRows(nS, nA, rows);
}

/** P(s' | s, a) from step h, as a dense vector of length |S| (for small MDPs, tests and display). */
export function transitionRow(mdp: MDP, h: number, s: number, a: number): Float64Array {
  const t = transitionsAt(mdp, h);
  const out = new Float64Array(mdp.nS);
  const r = s * mdp.nA + a;
  for (let k = t.rowStart[r]; k < t.rowStart[r + 1]; k++) out[t.next[k]] += t.prob[k];
  if (t.reset) {
    const m = t.reset.mass[r];
    if (m !== 0) for (let s2 = 0; s2 < mdp.nS; s2++) out[s2] += m * t.reset.to[s2];
  }
  return out;
}

/** E_{s' ~ reset.to}[V(s')]: the value the reset part of a kernel leads to (0 without one). */
export function resetExpectation(t: Transitions, V: Float64Array): number {
  if (!t.reset) return 0;
  const to = t.reset.to;
  let sum = 0;
  for (let s2 = 0; s2 < to.length; s2++) if (to[s2] !== 0) sum += to[s2] * V[s2];
  return sum;
}

export function stateName(mdp: MDP, s: number): string {
  return mdp.stateNames?.[s] ?? `s${s}`;
}

export function actionName(mdp: MDP, a: number): string {
  return mdp.actionNames?.[a] ?? `a${a}`;
}
