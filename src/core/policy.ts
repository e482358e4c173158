/**
 * Non-stationary tabular policies π_h(a | s) (docs/theory.md §1), in three storage forms:
 * - deterministic: one action per (h, s) (or per s when stationary), Int32;
 * - stochastic: a row of |A| probabilities per (h, s) (or per s);
 * - counts: the behavioral-cloning MLE of §2 stored as counts for the (h, s) seen in the data only,
 *   with the uniform 1/|A| implied everywhere else, so a BC policy for |S| = 10^6, H = 100 costs
 *   O(N·H) memory rather than O(H|S||A|).
 */
import { CoreError } from './errors';

interface PolicyShape {
  readonly nS: number;
  readonly nA: number;
  readonly H: number;
  /** True when the same table serves every step. */
  readonly stationary: boolean;
}

export interface DeterministicPolicy extends PolicyShape {
  readonly kind: 'deterministic';
  /** action at h·|S| + s (or s when stationary) */
  readonly action: Int32Array;
}

export interface StochasticPolicy extends PolicyShape {
  readonly kind: 'stochastic';
  /** π_h(a|s) at (h·|S| + s)·|A| + a (or s·|A| + a when stationary) */
  readonly prob: Float64Array;
}

/**
 * π_h(a|s) = n_h(s, a) / Σ_a′ n_h(s, a′) on the seen (h, s), uniform elsewhere. Per block b (one per
 * step, or a single pooled block when stationary) the seen states are rows blockStart[b] … blockStart[b+1]−1
 * of `states`, sorted ascending. Row i keeps only its nonzero counts, as entries entryStart[i] …
 * entryStart[i+1]−1: the action (`entryAction`, ascending) and its count (`entryCount`, > 0; Float64 so
 * that weighted cloning uses the same form). A deterministic expert's data gives one entry a row, so the
 * policy costs what its data costs, whatever |A| is. `countRow` gives a row's |A| counts.
 */
export interface CountPolicy extends PolicyShape {
  readonly kind: 'counts';
  readonly blockStart: Uint32Array;
  readonly states: Int32Array;
  readonly entryStart: Uint32Array;
  readonly entryAction: Int32Array;
  readonly entryCount: Float64Array;
}

export type Policy = DeterministicPolicy | StochasticPolicy | CountPolicy;

export function deterministicPolicy(
  nS: number,
  nA: number,
  H: number,
  action: Int32Array | readonly number[],
): DeterministicPolicy {
  const table = action instanceof Int32Array ? action : Int32Array.from(action);
  const stationary = table.length === nS;
  if (!stationary && table.length !== H * nS) {
    throw new CoreError(`a deterministic policy needs |S| = ${nS} or H·|S| = ${H * nS} actions, got ${table.length}`, 'policy-shape');
  }
  for (let i = 0; i < table.length; i++) {
    if (!(table[i] >= 0 && table[i] < nA)) {
      throw new CoreError(`action ${table[i]} at index ${i} is outside 0…${nA - 1}`, 'policy-action');
    }
  }
  return { kind: 'deterministic', nS, nA, H, stationary, action: table };
}

export function stochasticPolicy(
  nS: number,
  nA: number,
  H: number,
  prob: Float64Array | readonly number[],
  tolerance = 1e-9,
): StochasticPolicy {
  const table = prob instanceof Float64Array ? prob : Float64Array.from(prob);
  const stationary = table.length === nS * nA;
  if (!stationary && table.length !== H * nS * nA) {
    throw new CoreError(
      `a stochastic policy needs |S||A| = ${nS * nA} or H|S||A| = ${H * nS * nA} probabilities, got ${table.length}`,
      'policy-shape',
    );
  }
  for (let row = 0; row < table.length / nA; row++) {
    let sum = 0;
    for (let a = 0; a < nA; a++) {
      const p = table[row * nA + a];
      if (!(p >= 0)) throw new CoreError(`probability ${p} in policy row ${row} is negative or NaN`, 'policy-probability');
      sum += p;
    }
    if (Math.abs(sum - 1) > tolerance) {
      throw new CoreError(`policy row ${row} sums to ${sum}; each row must sum to 1`, 'policy-row-sum');
    }
  }
  return { kind: 'stochastic', nS, nA, H, stationary, prob: table };
}

export function uniformPolicy(nS: number, nA: number, H: number): StochasticPolicy {
  return { kind: 'stochastic', nS, nA, H, stationary: true, prob: new Float64Array(nS * nA).fill(1 / nA) };
}

/** Index of the (h, s) block of a count policy, or −1 if s was not seen at that step. */
export function countRowIndex(pi: CountPolicy, h: number, s: number): number {
  const b = pi.stationary ? 0 : h;
  let lo = pi.blockStart[b];
  let hi = pi.blockStart[b + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = pi.states[mid];
    if (v === s) return mid;
    if (v < s) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Writes π_h(·|s) into `out` (length |A|) and returns it. O(|A|) (O(log N + |A|) for count policies). */
export function actionDistribution(pi: Policy, h: number, s: number, out = new Float64Array(pi.nA)): Float64Array {
  const { nS, nA } = pi;
  switch (pi.kind) {
    case 'deterministic': {
      out.fill(0);
      out[pi.action[pi.stationary ? s : h * nS + s]] = 1;
      return out;
    }
    case 'stochastic': {
      const base = (pi.stationary ? s : h * nS + s) * nA;
      for (let a = 0; a < nA; a++) out[a] = pi.prob[base + a];
      return out;
    }
    case 'counts': {
      const i = countRowIndex(pi, h, s);
      if (i < 0) return out.fill(1 / nA);
      const total = countRowTotal(pi, i);
      out.fill(0);
      for (let e = pi.entryStart[i]; e < pi.entryStart[i + 1]; e++) out[pi.entryAction[e]] = pi.entryCount[e] / total;
      return out;
    }
  }
}

/**
 * Σ_a n(s, a) over row i of a count policy, added in action order: the sum a dense row of |A| counts
 * gives (its zeros add nothing), so probabilities are the same bits either way.
 */
export function countRowTotal(pi: Pick<CountPolicy, 'entryStart' | 'entryCount'>, i: number): number {
  let total = 0;
  for (let e = pi.entryStart[i]; e < pi.entryStart[i + 1]; e++) total += pi.entryCount[e];
  return total;
}

/** Row i of a count policy as |A| counts, zeros included, written into `out`. */
export function countRow(pi: Pick<CountPolicy, 'nA' | 'entryStart' | 'entryAction' | 'entryCount'>, i: number, out = new Float64Array(pi.nA)): Float64Array {
  out.fill(0);
  for (let e = pi.entryStart[i]; e < pi.entryStart[i + 1]; e++) out[pi.entryAction[e]] = pi.entryCount[e];
  return out;
}

/** Expands any policy to a dense non-stationary stochastic table (H|S||A| numbers: small MDPs only). */
export function toStochastic(pi: Policy): StochasticPolicy {
  const { nS, nA, H } = pi;
  const prob = new Float64Array(H * nS * nA);
  const row = new Float64Array(nA);
  for (let h = 0; h < H; h++) {
    for (let s = 0; s < nS; s++) {
      actionDistribution(pi, h, s, row);
      prob.set(row, (h * nS + s) * nA);
    }
  }
  return { kind: 'stochastic', nS, nA, H, stationary: false, prob };
}

/** True when π_h(·|s) puts all its mass on one action for every (h, s). */
export function isDeterministic(pi: Policy): boolean {
  if (pi.kind === 'deterministic') return true;
  const row = new Float64Array(pi.nA);
  const steps = pi.stationary ? 1 : pi.H;
  for (let h = 0; h < steps; h++) {
    for (let s = 0; s < pi.nS; s++) {
      actionDistribution(pi, h, s, row);
      if (!row.some((p) => p === 1)) return false;
    }
  }
  return true;
}
