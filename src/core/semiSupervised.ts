/**
 * Semi-supervised imitation (docs/theory.md §6): a small expert dataset D_E and a larger supplementary
 * dataset D_S of mixed quality, whose trajectories are not labelled expert or not. Three learners:
 * BC on D_E alone, BC on the union D_E ∪ D_S, and importance-weighted BC, where a tabular
 * discriminator between D_E and D_S re-weights the D_S samples towards the expert's distribution.
 *
 * The union helps when D_S is mostly expert (more coverage, the same actions) and hurts when it is not
 * (wrong actions outvote or replace the expert's); the weights keep the first and undo the second.
 */
import { behavioralCloning, type BcOptions } from './bc';
import { checkDataset, concatDatasets, type Dataset } from './dataset';
import { CoreError } from './errors';
import type { MDP } from './mdp';
import type { CountPolicy, Policy } from './policy';
import { deriveSeed } from './random';
import { sampleTrajectories } from './sampling';

export interface MixedDataset {
  readonly data: Dataset;
  /** 1 for the trajectories drawn from the expert (the learners never read this; tests and views do). */
  readonly fromExpert: Uint8Array;
}

/**
 * D_S of N trajectories: round(α·N) from the expert, the rest from `other`, the expert's first. Each
 * part has its own stream derived from the seed, so changing α never changes the other part's draws.
 */
export function sampleMixedDataset(mdp: MDP, expert: Policy, other: Policy, N: number, alpha: number, seed: number | string): MixedDataset {
  if (!(alpha >= 0 && alpha <= 1)) throw new CoreError(`the expert fraction α must lie in [0, 1], got ${alpha}`, 'argument');
  if (!Number.isInteger(N) || N < 0) throw new CoreError(`the supplementary dataset size must be a non-negative integer, got ${N}`, 'argument');
  const nExpert = Math.round(alpha * N);
  const fromE = sampleTrajectories(mdp, expert, nExpert, deriveSeed(seed, 'mixed', 'expert'));
  const fromOther = sampleTrajectories(mdp, other, N - nExpert, deriveSeed(seed, 'mixed', 'other'));
  const fromExpert = new Uint8Array(N);
  fromExpert.fill(1, 0, nExpert);
  const data = concatDatasets(fromE, fromOther);
  return { data: { ...data, rewards: concat(fromE.rewards!, fromOther.rewards!) }, fromExpert };
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export interface DiscriminatorWeights {
  /** w at i·H + h for every sample of D_S (0 where the step is unobserved). */
  readonly weights: Float64Array;
  /**
   * γ̂: of the D_S samples at the (h, s) that D_E visits, the fraction whose (h, s, a) D_E also has
   * (0 when D_S never meets D_E). It is the weight where D_E has no data (see discriminatorWeights).
   */
  readonly agreement: number;
}

/**
 * Importance weights w(h, s, a) ≈ d^E_h(s, a) / d^S_h(s, a) for the samples of D_S, from a tabular
 * discriminator: the count ratio
 *
 *     w(h, s, a) = (n_E(h, s, a) / N_E) / (n_S(h, s, a) / N_S)      where D_E visits (h, s),
 *     w(h, s, a) = γ̂                                               where it does not.
 *
 * The smoothing is the second line. A count ratio is 0/n at every (h, s) that D_E never reached, which
 * would discard all of D_S there, expert or not, and make the weights useless exactly where D_E lacks
 * coverage. Additive pseudo-counts would instead give every unseen cell the same positive weight, so
 * the wrong actions of a bad D_S would be copied there as readily as the good ones of an expert D_S.
 * The discriminator backs off to what it can measure: how often D_S agrees with D_E where both have
 * data. A D_S that never agrees (γ̂ = 0) is ignored where D_E is silent (BC on D_E alone: uniform);
 * one that always does (γ̂ = 1) is taken as it is (BC on the union). Inside a step h and state s the
 * weights of the different actions are all γ̂, so BC there copies D_S's action frequencies.
 */
export function discriminatorWeights(expertData: Dataset, supplementary: Dataset): DiscriminatorWeights {
  checkDataset(expertData);
  checkDataset(supplementary);
  if (expertData.nS !== supplementary.nS || expertData.nA !== supplementary.nA || expertData.H !== supplementary.H) {
    throw new CoreError('the expert and the supplementary datasets disagree on |S|, |A| or H', 'shape-mismatch');
  }
  const { nA, H } = expertData;
  const nE = countCells(expertData);
  const nSup = countCells(supplementary);
  const seenE = new Set<number>();
  for (const key of nE.keys()) seenE.add(Math.floor(key / nA));
  const NE = expertData.N;
  const NS = supplementary.N;
  let atSeen = 0;
  let agreeing = 0;
  forEachSample(supplementary, (_k, key) => {
    if (!seenE.has(Math.floor(key / nA))) return;
    atSeen++;
    if (nE.has(key)) agreeing++;
  });
  const agreement = atSeen > 0 ? agreeing / atSeen : 0;
  const weights = new Float64Array(supplementary.N * H);
  forEachSample(supplementary, (k, key) => {
    weights[k] = seenE.has(Math.floor(key / nA)) ? (nE.get(key) ?? 0) / NE / (nSup.get(key)! / NS) : agreement;
  });
  return { weights, agreement };
}

/** (h·|S| + s)·|A| + a for every observed sample, with its index i·H + h. */
function forEachSample(d: Dataset, visit: (k: number, key: number) => void): void {
  const { nS, nA, H, N } = d;
  for (let i = 0; i < N; i++) {
    for (let h = 0; h < H; h++) {
      const k = i * H + h;
      const s = d.states[k];
      if (s < 0) continue;
      visit(k, (h * nS + s) * nA + d.actions[k]);
    }
  }
}

/** n(h, s, a) over the cells a dataset visits: O(N·H) memory whatever |S| is. */
function countCells(d: Dataset): Map<number, number> {
  const counts = new Map<number, number>();
  forEachSample(d, (_k, key) => counts.set(key, (counts.get(key) ?? 0) + 1));
  return counts;
}

export type SemiSupervisedLearner = 'expert-only' | 'union' | 'weighted';

export interface SemiSupervisedOptions {
  readonly mode?: BcOptions['mode'];
}

/** BC on D_E alone. */
export function bcExpertOnly(expertData: Dataset, options: SemiSupervisedOptions = {}): CountPolicy {
  return behavioralCloning(expertData, { mode: options.mode ?? 'per-step' });
}

/** BC on D_E ∪ D_S, every sample counted once. */
export function bcUnion(expertData: Dataset, supplementary: Dataset, options: SemiSupervisedOptions = {}): CountPolicy {
  return behavioralCloning(concatDatasets(expertData, supplementary), { mode: options.mode ?? 'per-step' });
}

/** BC on D_E ∪ D_S with the D_E samples at weight 1 and the D_S samples at their discriminator weight. */
export function bcWeighted(expertData: Dataset, supplementary: Dataset, options: SemiSupervisedOptions = {}): CountPolicy {
  const { weights: w } = discriminatorWeights(expertData, supplementary);
  const weights = new Float64Array((expertData.N + supplementary.N) * expertData.H);
  weights.fill(1, 0, expertData.N * expertData.H);
  weights.set(w, expertData.N * expertData.H);
  return behavioralCloning(concatDatasets(expertData, supplementary), { mode: options.mode ?? 'per-step', weights });
}

export const SEMI_SUPERVISED_LEARNERS: Readonly<Record<SemiSupervisedLearner, (expertData: Dataset, supplementary: Dataset, options?: SemiSupervisedOptions) => CountPolicy>> = {
  'expert-only': (e, _s, o) => bcExpertOnly(e, o),
  union: bcUnion,
  weighted: bcWeighted,
};
