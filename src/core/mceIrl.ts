/**
 * Maximum causal entropy IRL (Ziebart 2010, chapters 9–10), finite horizon, known transitions: the
 * tabular algorithm of the `imitation` library's `mce_irl`, with rewards on (s, a) features.
 *
 * For a reward r_θ = Φθ the soft-optimal policy comes from soft value iteration,
 *
 *     Q_h(s, a) = r_θ,h(s, a) + Σ_s′ P_h(s′|s, a) V_{h+1}(s′),   V_h(s) = log Σ_a exp Q_h(s, a),   V_{H+1} = 0,
 *     π_θ,h(a|s) = exp(Q_h(s, a) − V_h(s)),
 *
 * and θ maximises the dual g(θ) = θ·μ^E − Σ_s ρ(s) V_1(s), whose gradient is the expert's feature
 * expectations minus the policy's, μ^E − μ^θ with μ = Σ_h Σ_{s,a} d_h(s, a) φ_h(s, a). g is concave
 * (∇²g = −Cov_π(Σ_h φ)), so its stationary point is the maximum: there π_θ matches the expert's
 * feature expectations and has the largest causal entropy among the policies that do.
 *
 * When μ^E lies on the boundary of the achievable set (a deterministic expert: no mass on its other
 * actions) the supremum is approached as ||θ|| → ∞, and when it lies outside it (sampled data on a
 * stochastic MDP rarely is an occupancy measure) g is unbounded above. Adam, the default optimiser,
 * moves each coordinate by about the learning rate per iteration whatever the gradient's scale, so in
 * both cases θ grows linearly (never explodes) and the residual on the boundary decays geometrically;
 * plain gradient ascent with the step 1/H² that ∇²g's bound guarantees would need O(1/ε) iterations.
 */
import { empiricalOccupancy } from './adversarial';
import { checkDataset, type Dataset } from './dataset';
import { CoreError } from './errors';
import { visitation } from './evaluation';
import { resetExpectation, transitionsAt, type MDP } from './mdp';
import type { Policy, StochasticPolicy } from './policy';

/**
 * A user's feature matrix: row-major, `dim` numbers per row, one row per (s, a) at s·|A| + a (a reward
 * shared by every step) or per (h, s, a) at (h·|S| + s)·|A| + a (a reward per step).
 */
export interface FeatureMatrix {
  readonly dim: number;
  readonly values: Float64Array;
}

/**
 * `'one-hot'` (default): one feature per (s, a), r(s, a) = θ_{s,a}, the same at every step.
 * `'per-step-one-hot'`: one per (h, s, a); the feature expectations are then the occupancy itself.
 */
export type MceFeatures = 'one-hot' | 'per-step-one-hot' | FeatureMatrix;

export interface MceIrlOptions {
  readonly features?: MceFeatures;
  /**
   * `'gradient'` (default): gradient ascent with Armijo backtracking, the step doubled after each
   * accepted one and each coordinate's move capped at `maxStep`. `'adam'`: Adam (β₁ = 0.9,
   * β₂ = 0.999, ε = 1e-8, `imitation`'s default optimiser) with a fixed learning rate.
   */
  readonly optimizer?: 'adam' | 'gradient';
  /** The first step of the ascent (default 1/H², see the header), or Adam's learning rate (default 0.1, in reward units). */
  readonly learningRate?: number;
  /** Largest change of one coordinate of θ in one ascent step (default 1, in reward units). */
  readonly maxStep?: number;
  /** Stop when ||μ^E − μ^θ||₂ ≤ tolerance (default 1e-6). */
  readonly tolerance?: number;
  /** Stop after this many updates of θ (default 1000). */
  readonly maxIterations?: number;
  /**
   * λ ≥ 0 of an L2 penalty (λ/2)||θ||² on the dual (default 0). With λ > 0 the dual is strictly concave
   * and bounded, so the optimum is finite even when μ^E is not achievable; at it μ^E − μ^θ = λθ.
   */
  readonly l2?: number;
  /** θ to start from (default 0: the uniform policy's soft values). */
  readonly initialTheta?: Float64Array;
  /** Checked once per iteration; when set, stops with a CoreError of code 'cancelled'. */
  readonly signal?: { readonly aborted: boolean };
}

export interface MceIrlFit {
  /** Marks the result so that `display()` draws its reward. */
  readonly kind: 'mce-irl';
  readonly nS: number;
  readonly nA: number;
  readonly H: number;
  /** The MDP's names, when it has them (so the reward's heatmap labels its columns). */
  readonly stateNames?: readonly string[];
  readonly actionNames?: readonly string[];
  /** The soft-optimal policy of the final reward. */
  readonly policy: StochasticPolicy;
  /** r_θ = Φθ at s·|A| + a, or at (h·|S| + s)·|A| + a when `perStep`. */
  readonly reward: Float64Array;
  readonly perStep: boolean;
  readonly theta: Float64Array;
  /** d^π_h(s, a) of the returned policy at (h·|S| + s)·|A| + a. */
  readonly occupancy: Float64Array;
  /** μ^E (from the data) and μ^θ (from `occupancy`), one number per feature. */
  readonly expertFeatures: Float64Array;
  readonly learnerFeatures: Float64Array;
  /** ||μ^E − μ^θ_k||₂ at θ_0 … θ_iterations (the last is the returned θ's). */
  readonly gradientNorms: Float64Array;
  /** The dual g(θ_k) = θ_k·μ^E − Σ_s ρ(s) V_1(s), same indices (non-decreasing in practice, not by construction for Adam). */
  readonly objectives: Float64Array;
  /** Updates of θ made. */
  readonly iterations: number;
  /** Whether the last gradient norm is within the tolerance (otherwise maxIterations ended it). */
  readonly converged: boolean;
  readonly optimizer: 'adam' | 'gradient';
  readonly learningRate: number;
  readonly tolerance: number;
}

/** Soft value iteration's results for one reward. */
export interface SoftValues {
  readonly policy: StochasticPolicy;
  /** V_h(s) at h·|S| + s. */
  readonly V: Float64Array;
  /** Σ_s ρ(s) V_1(s): the log-partition function log Z(θ). */
  readonly logPartition: number;
}

/**
 * Soft Bellman backups over the known transitions (log-sum-exp with the row's maximum subtracted, so
 * nothing overflows whatever the reward's scale). `reward` holds |S||A| numbers (every step) or H|S||A|.
 */
export function softValueIteration(mdp: MDP, reward: Float64Array): SoftValues {
  const { nS, nA, H } = mdp;
  const SA = nS * nA;
  if (reward.length !== SA && reward.length !== H * SA) {
    throw new CoreError(`soft value iteration needs |S||A| = ${SA} or H|S||A| = ${H * SA} rewards, got ${reward.length}`, 'shape-mismatch');
  }
  const perStep = reward.length !== SA;
  const prob = new Float64Array(H * SA);
  const V = new Float64Array(H * nS);
  const q = new Float64Array(nA);
  for (let h = H - 1; h >= 0; h--) {
    const rOff = perStep ? h * SA : 0;
    const last = h === H - 1;
    const t = transitionsAt(mdp, h);
    const vNext = last ? null : V.subarray((h + 1) * nS, (h + 2) * nS);
    const resetValue = vNext && t.reset ? resetExpectation(t, vNext) : 0;
    for (let s = 0; s < nS; s++) {
      let max = -Infinity;
      for (let a = 0; a < nA; a++) {
        const row = s * nA + a;
        let value = reward[rOff + row];
        if (vNext) {
          for (let k = t.rowStart[row]; k < t.rowStart[row + 1]; k++) value += t.prob[k] * vNext[t.next[k]];
          if (t.reset) value += t.reset.mass[row] * resetValue;
        }
        q[a] = value;
        if (value > max) max = value;
      }
      let total = 0;
      for (let a = 0; a < nA; a++) total += Math.exp(q[a] - max);
      const v = max + Math.log(total);
      V[h * nS + s] = v;
      const base = (h * nS + s) * nA;
      for (let a = 0; a < nA; a++) prob[base + a] = Math.exp(q[a] - v);
    }
  }
  let logPartition = 0;
  for (let s = 0; s < nS; s++) if (mdp.rho[s] !== 0) logPartition += mdp.rho[s] * V[s];
  return { policy: { kind: 'stochastic', nS, nA, H, stationary: false, prob }, V, logPartition };
}

/** How the features map an occupancy to μ and θ to a reward, without forming a one-hot matrix. */
interface FeatureMap {
  readonly dim: number;
  readonly perStep: boolean;
  /** μ_k = Σ_h Σ_{s,a} d_h(s, a) φ_h(s, a)_k, written into `out`. */
  expectations(d: Float64Array, out: Float64Array): void;
  /** r = Φθ, written into `out` (|S||A| or H|S||A|). */
  reward(theta: Float64Array, out: Float64Array): void;
}

function featureMap(mdp: MDP, features: MceFeatures): FeatureMap {
  const { nS, nA, H } = mdp;
  const SA = nS * nA;
  if (features === 'one-hot') {
    return {
      dim: SA,
      perStep: false,
      expectations(d, out) {
        out.fill(0);
        for (let h = 0; h < H; h++) for (let i = 0; i < SA; i++) out[i] += d[h * SA + i];
      },
      reward: (theta, out) => out.set(theta),
    };
  }
  if (features === 'per-step-one-hot') {
    return { dim: H * SA, perStep: true, expectations: (d, out) => out.set(d), reward: (theta, out) => out.set(theta) };
  }
  if (typeof features !== 'object' || features === null || !(features.values instanceof Float64Array)) {
    throw new CoreError(`MCE-IRL's features are 'one-hot', 'per-step-one-hot' or { dim, values: Float64Array }, got ${String(features)}`, 'argument');
  }
  const { dim, values } = features;
  if (!Number.isInteger(dim) || dim < 1) throw new CoreError(`MCE-IRL's feature matrix needs a positive integer dim, got ${dim}`, 'argument');
  if (values.length !== SA * dim && values.length !== H * SA * dim) {
    throw new CoreError(
      `MCE-IRL's feature matrix has ${values.length} numbers; with dim = ${dim} it needs |S||A|·dim = ${SA * dim} (one row per (s, a)) or H|S||A|·dim = ${H * SA * dim} (one per (h, s, a))`,
      'shape-mismatch',
    );
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new CoreError(`MCE-IRL's feature matrix has ${values[i]} at row ${Math.floor(i / dim)}, column ${i % dim}`, 'argument');
  }
  const perStep = values.length !== SA * dim;
  const rows = perStep ? H * SA : SA;
  return {
    dim,
    perStep,
    expectations(d, out) {
      out.fill(0);
      for (let j = 0; j < H * SA; j++) {
        const w = d[j];
        if (w === 0) continue;
        const base = (perStep ? j : j % SA) * dim;
        for (let k = 0; k < dim; k++) out[k] += w * values[base + k];
      }
    },
    reward(theta, out) {
      for (let r = 0; r < rows; r++) {
        let sum = 0;
        for (let k = 0; k < dim; k++) sum += values[r * dim + k] * theta[k];
        out[r] = sum;
      }
    },
  };
}

function expertOccupancy(mdp: MDP, data: Dataset | Float64Array): Float64Array {
  const { nS, nA, H } = mdp;
  if (data instanceof Float64Array) {
    if (data.length !== H * nS * nA) {
      throw new CoreError(`MCE-IRL's expert occupancy needs H|S||A| = ${H * nS * nA} numbers, got ${data.length}`, 'shape-mismatch');
    }
    for (let h = 0; h < H; h++) {
      let sum = 0;
      for (let i = h * nS * nA; i < (h + 1) * nS * nA; i++) {
        if (!(data[i] >= 0) || !Number.isFinite(data[i])) throw new CoreError(`MCE-IRL's expert occupancy has ${data[i]} at index ${i}; occupancies are non-negative`, 'argument');
        sum += data[i];
      }
      if (Math.abs(sum - 1) > 1e-6) throw new CoreError(`MCE-IRL's expert occupancy sums to ${sum} at step ${h + 1}; each step's d_h(s, a) sums to 1`, 'argument');
    }
    return data;
  }
  checkDataset(data);
  if (data.nS !== nS || data.nA !== nA || data.H !== H) {
    throw new CoreError(
      `MCE-IRL: the dataset has |S| = ${data.nS}, |A| = ${data.nA}, H = ${data.H} but the MDP has |S| = ${nS}, |A| = ${nA}, H = ${H}; sample the data from this MDP`,
      'shape-mismatch',
    );
  }
  return empiricalOccupancy(data);
}

function positive(x: number, what: string): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new CoreError(`MCE-IRL's ${what} must be a positive number, got ${x}`, 'argument');
  return x;
}

/**
 * Fits θ by Adam or gradient ascent on the dual until ||μ^E − μ^θ||₂ ≤ tolerance or maxIterations
 * updates. `data` is a dataset (μ^E from its empirical occupancy d̂^E_h(s, a) = n_h(s, a)/n_h) or an
 * expert occupancy d^E_h(s, a) (H|S||A| numbers, each step summing to 1). Each iteration costs one soft
 * value iteration and one forward propagation, O(H·nnz(P)) plus the features' O(H|S||A|·dim).
 */
export function mceIrlFit(mdp: MDP, data: Dataset | Float64Array, options: MceIrlOptions = {}): MceIrlFit {
  const { nS, nA, H } = mdp;
  const target = expertOccupancy(mdp, data);
  const features = featureMap(mdp, options.features ?? 'one-hot');
  const optimizer = options.optimizer ?? 'gradient';
  if (optimizer !== 'adam' && optimizer !== 'gradient') throw new CoreError(`MCE-IRL's optimizer is 'adam' or 'gradient', got ${String(optimizer)}`, 'argument');
  const learningRate = positive(options.learningRate ?? (optimizer === 'adam' ? 0.1 : 1 / (H * H)), 'learning rate');
  const tolerance = options.tolerance ?? 1e-6;
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) throw new CoreError(`MCE-IRL's tolerance must be a non-negative number, got ${tolerance}`, 'argument');
  const maxIterations = options.maxIterations ?? 1000;
  if (!Number.isInteger(maxIterations) || maxIterations < 0) throw new CoreError(`MCE-IRL's maxIterations must be a non-negative integer, got ${maxIterations}`, 'argument');

  const l2 = options.l2 ?? 0;
  if (!(l2 >= 0) || !Number.isFinite(l2)) throw new CoreError(`MCE-IRL's l2 must be a non-negative number, got ${l2}`, 'argument');
  const K = features.dim;
  const theta = new Float64Array(K);
  if (options.initialTheta !== undefined) {
    if (!(options.initialTheta instanceof Float64Array) || options.initialTheta.length !== K) {
      throw new CoreError(`MCE-IRL's initialTheta needs ${K} numbers (one per feature), got ${(options.initialTheta as { length?: number }).length}`, 'shape-mismatch');
    }
    if (!options.initialTheta.every(Number.isFinite)) throw new CoreError("MCE-IRL's initialTheta has a non-finite entry", 'argument');
    theta.set(options.initialTheta);
  }
  const expertFeatures = new Float64Array(K);
  features.expectations(target, expertFeatures);
  const learnerFeatures = new Float64Array(K);
  const gradient = new Float64Array(K);
  const reward = new Float64Array(features.perStep ? H * nS * nA : nS * nA);
  const evaluateAt = (at: Float64Array): SoftValues => {
    features.reward(at, reward);
    return softValueIteration(mdp, reward);
  };
  const maxStep = positive(options.maxStep ?? 1, 'maxStep');
  const m = new Float64Array(optimizer === 'adam' ? K : 0);
  const v = new Float64Array(optimizer === 'adam' ? K : 0);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const epsilon = 1e-8;
  const norms: number[] = [];
  const objectives: number[] = [];
  // The dual and the rounding error of computing it (a difference of terms that can be much larger).
  let roundoff = 0;
  const dual = (soft: SoftValues) => {
    let dot = 0;
    let squares = 0;
    for (let i = 0; i < K; i++) {
      dot += theta[i] * expertFeatures[i];
      squares += theta[i] * theta[i];
    }
    const penalty = (l2 / 2) * squares;
    roundoff = 64 * Number.EPSILON * (Math.abs(dot) + Math.abs(soft.logPartition) + penalty);
    return dot - soft.logPartition - penalty;
  };
  let soft = evaluateAt(theta);
  let objective = dual(soft);
  let occupancy: Float64Array;
  let step = learningRate;
  const trial = new Float64Array(optimizer === 'gradient' ? K : 0);
  let k = 0;
  for (;;) {
    if (options.signal?.aborted) throw new CoreError('MCE-IRL was cancelled', 'cancelled');
    occupancy = visitation(mdp, soft.policy, { stateAction: true, store: false }).dSA!;
    features.expectations(occupancy, learnerFeatures);
    let norm2 = 0;
    let largest = 0;
    for (let i = 0; i < K; i++) {
      gradient[i] = expertFeatures[i] - learnerFeatures[i] - l2 * theta[i];
      norm2 += gradient[i] * gradient[i];
      largest = Math.max(largest, Math.abs(gradient[i]));
    }
    const norm = Math.sqrt(norm2);
    if (!Number.isFinite(norm) || !Number.isFinite(objective)) {
      throw new CoreError(`MCE-IRL diverged at iteration ${k} (a non-finite gradient or value); lower the learning rate (${learningRate})`, 'numeric');
    }
    norms.push(norm);
    objectives.push(objective);
    if (norm <= tolerance || k === maxIterations) break;
    k++;
    if (optimizer === 'adam') {
      // Ascent: Adam's update on the negated loss, with bias correction.
      const c1 = 1 - beta1 ** k;
      const c2 = 1 - beta2 ** k;
      for (let i = 0; i < K; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * gradient[i];
        v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i];
        theta[i] += (learningRate * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + epsilon);
      }
      soft = evaluateAt(theta);
      objective = dual(soft);
      continue;
    }
    // Armijo backtracking: halve the step until the dual rises by a tenth of the linear prediction, then
    // try twice the step. Near the optimum the predicted rise falls below the dual's rounding error and
    // the test says nothing: the step that last passed it is then taken as it is, not doubled.
    trial.set(theta);
    const noise = roundoff;
    for (let halvings = 0; ; halvings++) {
      const scale = Math.min(step, maxStep / largest);
      let predicted = 0;
      for (let i = 0; i < K; i++) {
        theta[i] = trial[i] + scale * gradient[i];
        predicted += scale * gradient[i] * gradient[i];
      }
      const candidate = evaluateAt(theta);
      const candidateObjective = dual(candidate);
      const informative = 0.1 * predicted > noise;
      const rise = candidateObjective - objective;
      if ((informative ? rise >= 0.1 * predicted : rise >= -noise) || halvings === 60) {
        soft = candidate;
        objective = candidateObjective;
        step = informative ? 2 * scale : scale;
        break;
      }
      step = scale / 2;
    }
  }
  const gradientNorms = Float64Array.from(norms);
  return {
    kind: 'mce-irl',
    nS,
    nA,
    H,
    ...(mdp.stateNames ? { stateNames: mdp.stateNames } : {}),
    ...(mdp.actionNames ? { actionNames: mdp.actionNames } : {}),
    policy: soft.policy,
    reward,
    perStep: features.perStep,
    theta,
    occupancy,
    expertFeatures,
    learnerFeatures,
    gradientNorms,
    objectives: Float64Array.from(objectives),
    iterations: k,
    converged: gradientNorms[k] <= tolerance,
    optimizer,
    learningRate,
    tolerance,
  };
}

/** The sweep signature: the soft-optimal policy of the learned reward. */
export function mceIrl(mdp: MDP, data: Dataset, options: MceIrlOptions = {}): Policy {
  return mceIrlFit(mdp, data, options).policy;
}
