/**
 * TV-AIL by a first-order method, for MDPs too big for the LP of ./adversarial.ts (docs/adversarial.md,
 * "TV-AIL, first-order"). The same objective written as a zero-sum game,
 *
 *   min_d max_{c ∈ [−1,1]^{H·S·A}} Σ_h c_h·(d_h − d̂^E_h)   (the inner max is Σ_h ||d_h − d̂^E_h||_1),
 *
 * played as the notes' authors play it in their tabular AIL code (TAIL, `newail`): the cost player c by
 * projected online gradient ascent, the policy player by an exact best response (backward induction
 * against the reward −c, ./planning.ts), the output the averaged occupancy d̄_K. Every round also
 * certifies itself: the best response to the averaged cost c̄_k gives a lower bound on the optimum, so
 * objective − lower bound is a duality gap that needs no LP to compute, and the run stops when it is
 * below a tolerance.
 *
 * Memory is O(H|S||A|) (a handful of dense tables), work O(H|S||A| + non-zeros of P) per round.
 */
import { checkInputs, empiricalOccupancy, type AdversarialOptions } from './adversarial';
import type { Dataset } from './dataset';
import { CoreError } from './errors';
import { visitation } from './evaluation';
import type { MDP } from './mdp';
import { optimalPolicy } from './planning';
import type { Policy, StochasticPolicy } from './policy';

export interface TvAilOgdOptions extends AdversarialOptions {
  /** Round budget K (default 2000). */
  readonly maxIterations?: number;
  /** Stop as soon as the certified duality gap is at most this (default 1e-3; 0 runs all K rounds). */
  readonly tolerance?: number;
  /**
   * The cost player's step (tvAilOgdRegretBound gives the guarantee of each):
   * - 'adaptive' (default): per coordinate, η_{k,i} = √2 / √(Σ_{j≤k} g_{j,i}²) (diagonal AdaGrad on the
   *   box, each coordinate an interval of diameter 2); its bound is never worse than 'global''s, and
   *   far better when the gradients are sparse, as occupancies are;
   * - 'global': η_k = √(2n / Σ_{j≤k} ||g_j||²), n = H|S||A|, the step TAIL's code uses;
   * - 'fixed': η = √(|S||A| / (2K)), the constant step that minimises the worst-case bound;
   * - a number: a constant step of that size.
   */
  readonly stepSize?: OgdStep;
  /**
   * 'best' (default): the averaged occupancy, or a single round's best response when that is strictly
   * closer to d̂^E; 'average': always the averaged occupancy d̄_K (the gap is then d̄_k's own).
   */
  readonly output?: 'best' | 'average';
}

export type OgdStep = 'adaptive' | 'global' | 'fixed' | number;

export interface TvAilOgdFit {
  /** π_h(a|s) = d̄_h(s, a)/d̄_h(s) (uniform where d̄_h(s) = 0), or the best single round's policy (`output`). */
  readonly policy: StochasticPolicy;
  /** The occupancy of `policy`: d̄_K, or that round's d^{π_k}; at (h·|S| + s)·|A| + a. */
  readonly occupancy: Float64Array;
  /** Σ_h ||occupancy_h − d̂^E_h||_1. */
  readonly objective: number;
  /**
   * The largest lower bound on the TV-AIL optimum seen: max(0, max_k min_d c̄_k·(d − d̂^E)). The LP
   * optimum lies in [lowerBound, objective].
   */
  readonly lowerBound: number;
  /** objective − lowerBound ≥ 0, so objective ≤ LP optimum + gap (certified, no LP solved). */
  readonly gap: number;
  /** Rounds run (≤ maxIterations; fewer when the gap reached the tolerance). */
  readonly iterations: number;
  readonly converged: boolean;
  /**
   * 'average' when the output is the averaged occupancy d̄_K; 'iterate' when one round's best response
   * was strictly closer to d̂^E (then its deterministic policy is returned: when d̂^E is itself an
   * occupancy, e.g. full coverage on deterministic transitions, a round reaches it exactly while the
   * average only approaches it).
   */
  readonly output: 'average' | 'iterate';
  /** Per round k (length `iterations`): Σ_h ||d̄_k − d̂^E||_1 of the averaged occupancy. */
  readonly objectives: Float64Array;
  /** Per round: min_d c̄_k·(d − d̂^E), the averaged cost player's bound (may be negative). */
  readonly lowerBounds: Float64Array;
  /**
   * Per round: the certified gap of what stopping there would return, min(objective of d̄_k, best single
   * round's so far; d̄_k's alone with output 'average') − the best lower bound so far. Not monotone:
   * d̄_k's objective is not.
   */
  readonly gaps: Float64Array;
  /** Per round: tvAilOgdRegretBound(...)/k for the gradients seen, which bounds the gap of d̄_k. */
  readonly regretBounds: Float64Array;
  /** The step used: 'adaptive', 'global' or the constant (the number 'fixed' resolved to). */
  readonly stepSize: 'adaptive' | 'global' | number;
}

/**
 * The regret of projected online gradient ascent on the box C = [−1, 1]^n (n = H|S||A|) against the
 * linear gains c ↦ c·g_k, g_k = d^{π_k} − d̂^E, started at c_1 = 0 (Orabona, "A Modern Introduction to
 * Online Learning": OGD with a constant step, §2; with adaptive steps, §4):
 *
 * - constant step η:  Regret_K ≤ n/(2η) + (η/2) Σ_k ||g_k||²   (||c − c_1||² ≤ n on C);
 * - 'global', η_k = D/√(2 Σ_{j≤k} ||g_j||²) with D = 2√n the diameter of C:  Regret_K ≤ √2·D·√(Σ_k ||g_k||²);
 * - 'adaptive', the same per coordinate (C is a product of intervals of diameter 2 and the projection
 *   acts coordinate by coordinate, so the regret is the sum of n one-dimensional ones):
 *   Regret_K ≤ 2√2 Σ_i √(Σ_k g_{k,i}²), which is ≤ the global bound by Cauchy–Schwarz.
 *
 * Because d^{π_k} is a best response to c_k, (1/K) Σ c_k·g_k ≤ min_d c̄_K·(d − d̂^E), hence
 * ||d̄_K − d̂^E||_1 − min_d c̄_K·(d − d̂^E) ≤ Regret_K / K: the bound divided by K bounds the duality gap.
 * With ||g_k||² ≤ 2H (per step two distributions, ||p − q||² ≤ 2) the constant step η = √(|S||A|/(2K))
 * gives Regret_K/K ≤ H√(2|S||A|/K) and the adaptive ones ≤ 4H√(|S||A|/K).
 *
 * `gradients` is Σ_k ||g_k||² for a constant step or 'global', and Σ_i √(Σ_k g_{k,i}²) for 'adaptive'.
 */
export function tvAilOgdRegretBound(n: number, gradients: number, stepSize: 'adaptive' | 'global' | number): number {
  if (stepSize === 'adaptive') return 2 * Math.SQRT2 * gradients;
  if (stepSize === 'global') return 2 * Math.SQRT2 * Math.sqrt(n) * Math.sqrt(gradients);
  return n / (2 * stepSize) + (stepSize / 2) * gradients;
}

function checkOptions(options: TvAilOgdOptions): { K: number; tolerance: number } {
  const K = options.maxIterations ?? 2000;
  if (!Number.isInteger(K) || K < 1) throw new CoreError(`TV-AIL (first-order) needs a positive integer maxIterations, got ${K}`, 'argument');
  const tolerance = options.tolerance ?? 1e-3;
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new CoreError(`TV-AIL (first-order)'s tolerance must be a finite number ≥ 0, got ${tolerance}`, 'argument');
  const step = options.stepSize ?? 'adaptive';
  if (step !== 'adaptive' && step !== 'global' && step !== 'fixed' && !(typeof step === 'number' && step > 0 && Number.isFinite(step))) {
    throw new CoreError(`TV-AIL (first-order)'s stepSize is 'adaptive', 'global', 'fixed' or a positive number, got ${String(step)}`, 'argument');
  }
  const output = options.output ?? 'best';
  if (output !== 'best' && output !== 'average') throw new CoreError(`TV-AIL (first-order)'s output is 'best' or 'average', got ${String(output)}`, 'argument');
  return { K, tolerance };
}

/**
 * TV-AIL by online gradient ascent on the cost against exact best responses. Round k = 1, 2, …:
 *
 *   π_k = argmax_π of the reward −c_k (backward induction), d_k = d^{π_k}     (policy: best response)
 *   g_k = d_k − d̂^E; d̄_k, c̄_k the running averages of d_i and c_i
 *   lower bound L_k = min_d c̄_k·(d − d̂^E) = −V*(−c̄_k) − c̄_k·d̂^E           (exact, by planning)
 *   c_{k+1} = clip(c_k + η_k g_k, −1, 1)                                    (cost: projected OGD)
 *
 * from c_1 = 0. ||d̄_k − d̂^E||_1 ≤ TV-AIL optimum + Regret_k/k (tvAilOgdRegretBound), and every L_k
 * (and 0) is ≤ the optimum, so the gap printed per round is a certificate. The output is d̄ and the
 * policy π(a|s) = d̄(s, a)/d̄(s) that realises it (occupancies average into occupancies of the same
 * flow), unless a single round's d_k is strictly closer to d̂^E.
 */
export function tvAilOgdFit(mdp: MDP, data: Dataset, options: TvAilOgdOptions = {}): TvAilOgdFit {
  checkInputs(mdp, data, 'TV-AIL (first-order)');
  const { K, tolerance } = checkOptions(options);
  const averageOnly = options.output === 'average';
  const { nS, nA, H } = mdp;
  const n = H * nS * nA;
  const stepOption = options.stepSize ?? 'adaptive';
  // The step as tvAilOgdRegretBound takes it: 'adaptive', 'global' or the constant.
  const step = stepOption === 'fixed' ? Math.sqrt((nS * nA) / (2 * K)) : stepOption;
  const target = empiricalOccupancy(data);

  // The policy player maximises the reward −c: keep −c and −c̄ as the reward tables planning reads.
  const negCost = new Float64Array(n);
  const negMeanCost = new Float64Array(n);
  const responseMdp: MDP = { ...mdp, reward: negCost };
  const boundMdp: MDP = { ...mdp, reward: negMeanCost };
  const average = new Float64Array(n);
  const gradient = new Float64Array(n);
  // 'adaptive': Σ_k g_{k,i}² per coordinate, and Σ_i of its square roots (the regret bound's sum).
  const coordinateSquares = step === 'adaptive' ? new Float64Array(n) : null;
  let rootSum = 0;
  const objectives = new Float64Array(K);
  const lowerBounds = new Float64Array(K);
  const gaps = new Float64Array(K);
  const regretBounds = new Float64Array(K);
  let sumSquares = 0;
  let bestLower = 0;
  let best: { objective: number; occupancy: Float64Array | null; action: Int32Array | null } = { objective: Infinity, occupancy: null, action: null };
  let rounds = 0;
  let converged = false;

  for (let k = 1; k <= K; k++) {
    if (options.signal?.aborted) throw new CoreError('TV-AIL (first-order) was cancelled', 'cancelled');
    const response = optimalPolicy(responseMdp).policy;
    const d = visitation(mdp, response, { stateAction: true, store: false }).dSA!;
    let iterateObjective = 0;
    let squares = 0;
    let crossTarget = 0;
    // d_k is a best response to c_k, so c_k·(d_k − d̂^E) = min_d c_k·(d − d̂^E) is a lower bound too,
    // for free; the last iterate's often beats the average's early on.
    let iterateLower = 0;
    for (let i = 0; i < n; i++) {
      const g = d[i] - target[i];
      gradient[i] = g;
      iterateLower -= negCost[i] * g;
      iterateObjective += Math.abs(g);
      squares += g * g;
      average[i] += (d[i] - average[i]) / k;
      negMeanCost[i] += (negCost[i] - negMeanCost[i]) / k;
      crossTarget -= negMeanCost[i] * target[i];
    }
    sumSquares += squares;
    if (iterateObjective < best.objective) best = { objective: iterateObjective, occupancy: d, action: response.action };

    let averageObjective = 0;
    for (let i = 0; i < n; i++) averageObjective += Math.abs(average[i] - target[i]);
    const lower = -optimalPolicy(boundMdp).value - crossTarget;
    if (lower > bestLower) bestLower = lower;
    if (iterateLower > bestLower) bestLower = iterateLower;
    objectives[k - 1] = averageObjective;
    lowerBounds[k - 1] = lower;
    gaps[k - 1] = Math.max(0, (averageOnly ? averageObjective : Math.min(averageObjective, best.objective)) - bestLower);
    if (coordinateSquares) {
      for (let i = 0; i < n; i++) {
        const g = gradient[i];
        if (g === 0) continue;
        const before = coordinateSquares[i];
        coordinateSquares[i] = before + g * g;
        rootSum += Math.sqrt(coordinateSquares[i]) - Math.sqrt(before);
      }
    }
    regretBounds[k - 1] = tvAilOgdRegretBound(n, coordinateSquares ? rootSum : sumSquares, step) / k;
    rounds = k;
    if (gaps[k - 1] <= tolerance) {
      converged = true;
      break;
    }

    // c_{k+1} = clip(c_k + η g_k, −1, 1), written on −c. A coordinate (or, for 'global', every one)
    // whose gradients have all been 0 has not moved and does not now, so η is never 0/0: with
    // Σ||g||² = 0 every round matched d̂^E exactly and the loop has stopped above.
    const eta = step === 'global' ? Math.sqrt((2 * n) / sumSquares) : step === 'adaptive' ? NaN : step;
    for (let i = 0; i < n; i++) {
      const g = gradient[i];
      if (g === 0) continue;
      // The adaptive step's first move on a coordinate is √2·sign(g), to the box's edge: the TV
      // discriminator's own best response sign(d − d̂^E).
      const v = negCost[i] - (coordinateSquares ? Math.SQRT2 / Math.sqrt(coordinateSquares[i]) : eta) * g;
      negCost[i] = v > 1 ? 1 : v < -1 ? -1 : v;
    }
  }

  const prob = new Float64Array(n);
  const averageObjective = objectives[rounds - 1];
  let occupancy: Float64Array;
  let objective: number;
  let output: 'average' | 'iterate';
  if (!averageOnly && best.objective < averageObjective) {
    for (let hs = 0; hs < H * nS; hs++) prob[hs * nA + best.action![hs]] = 1;
    occupancy = best.occupancy!;
    objective = best.objective;
    output = 'iterate';
  } else {
    for (let hs = 0; hs < H * nS; hs++) {
      const base = hs * nA;
      let mass = 0;
      for (let a = 0; a < nA; a++) mass += average[base + a];
      for (let a = 0; a < nA; a++) prob[base + a] = mass > 0 ? average[base + a] / mass : 1 / nA;
    }
    occupancy = average;
    objective = averageObjective;
    output = 'average';
  }
  return {
    policy: { kind: 'stochastic', nS, nA, H, stationary: false, prob },
    occupancy,
    objective,
    lowerBound: bestLower,
    gap: Math.max(0, objective - bestLower),
    iterations: rounds,
    converged,
    output,
    objectives: objectives.slice(0, rounds),
    lowerBounds: lowerBounds.slice(0, rounds),
    gaps: gaps.slice(0, rounds),
    regretBounds: regretBounds.slice(0, rounds),
    stepSize: step,
  };
}

export function tvAilOgd(mdp: MDP, data: Dataset, options: TvAilOgdOptions = {}): Policy {
  return tvAilOgdFit(mdp, data, options).policy;
}
