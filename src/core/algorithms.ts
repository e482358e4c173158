/**
 * Imitation learners by name, so a sweep (and its worker threads, which receive plain data) can run any
 * of them on the same MDP, expert and seeds. Every learner gets the same budget: the N expert
 * trajectories of the sweep point's dataset (DAgger spends part of them as expert queries instead,
 * see `daggerSchedule`). docs/algorithms.md describes each one.
 */
import { gailTabular, mimicMd, tvAil } from './adversarial';
import { ALGORITHM_LABELS as LABEL, ALGORITHM_NAMES, isAlgorithmName, type AlgorithmName } from './algorithmNames';
import { behavioralCloning } from './bc';
import { dagger } from './dagger';
import { tvAilOgd } from './firstOrderAil';
import { firstTrajectories, type Dataset } from './dataset';
import { CoreError } from './errors';
import { initLp } from './highs';
import type { BcMode } from './bc';
import type { MDP } from './mdp';
import type { Policy } from './policy';
import { mceIrl } from './mceIrl';

/** What a learner may use besides the data: the BC variant its counting uses, and cancellation. */
export interface LearnerControl {
  readonly mode?: BcMode;
  readonly signal?: { readonly aborted: boolean };
}

/**
 * A learner: the MDP (known transitions, which the adversarial methods use), the expert (queried by
 * interactive methods only), N expert trajectories, a seed for any randomness of its own.
 */
export type ImitationLearner = (mdp: MDP, expert: Policy, data: Dataset, seed: string, control: LearnerControl) => Policy;

export { ALGORITHM_NAMES, isAlgorithmName, type AlgorithmName } from './algorithmNames';

export interface ImitationAlgorithm {
  /** Display name, e.g. in a plot's legend. */
  readonly label: string;
  readonly learn: ImitationLearner;
  /** Queries the expert beyond the dataset (so the expert must be available, not only its data). */
  readonly interactive: boolean;
  /** Solves linear programs, so it needs `await initLp()` once in the process or worker (./highs.ts). */
  readonly needsLp: boolean;
  /** Fits BC, per step or pooled as the sweep's `mode` says (BC itself, DAgger's rounds); the others ignore the mode. */
  readonly fitsBc: boolean;
}

/**
 * DAgger's use of a budget of N expert-labelled trajectories: the first ⌈N/2⌉ of the dataset as its
 * initial BC data, the other ⌊N/2⌋ as learner rollouts labelled by the expert, over K = min(4, ⌊N/2⌋)
 * rounds as equal as possible (earlier rounds take the remainder). Half and half keeps the first policy
 * as good as BC on N/2 (so rollouts are not wasted on a random policy) while leaving enough queries for
 * the learner's own states; four rounds let the later rounds label the states the earlier fixes lead to.
 * N = 1 is plain BC.
 */
export function daggerSchedule(N: number): { readonly initial: number; readonly rollouts: readonly number[] } {
  if (!Number.isInteger(N) || N < 1) throw new CoreError(`DAgger's budget N must be a positive integer, got ${N}`, 'argument');
  const initial = Math.ceil(N / 2);
  const rest = N - initial;
  const rounds = Math.min(4, rest);
  const rollouts = Array.from({ length: rounds }, (_, k) => Math.floor(rest / rounds) + (k < rest % rounds ? 1 : 0));
  return { initial, rollouts };
}

const bc: ImitationLearner = (_mdp, _expert, data, _seed, control) => behavioralCloning(data, { mode: control.mode ?? 'per-step' });

const daggerLearner: ImitationLearner = (mdp, expert, data, seed, control) => {
  const { initial, rollouts } = daggerSchedule(data.N);
  return dagger(mdp, expert, {
    initialTrajectories: initial,
    initialDataset: firstTrajectories(data, initial),
    rounds: rollouts.length,
    rolloutsPerRound: 0,
    rolloutSchedule: rollouts,
    seed,
    mode: control.mode ?? 'per-step',
    evaluateRounds: false,
    ...(control.signal ? { signal: control.signal } : {}),
  }).policy;
};

/**
 * MCE-IRL as a sweep learner: the core's defaults (one-hot (s, a) features, no penalty) but at most 300
 * ascent steps. Sampled data is rarely an achievable occupancy, so the dual is then unbounded and the
 * step budget is what stops it; on the lower-bound Reset Cliff (|S| = 6, N = 100, 20 seeds) the gap's
 * paired change between 100 and 3000 steps was within about one standard error of 0 (docs/algorithms.md).
 */
const MCE_IRL_SWEEP_ITERATIONS = 300;

const signalOf = (control: LearnerControl) => (control.signal ? { signal: control.signal } : {});

export const IMITATION_ALGORITHMS: Readonly<Record<AlgorithmName, ImitationAlgorithm>> = {
  bc: { label: LABEL.bc, interactive: false, needsLp: false, fitsBc: true, learn: bc },
  dagger: { label: LABEL.dagger, interactive: true, needsLp: false, fitsBc: true, learn: daggerLearner },
  'tv-ail': { label: LABEL['tv-ail'], interactive: false, needsLp: true, fitsBc: false, learn: (mdp, _expert, data, _seed, control) => tvAil(mdp, data, signalOf(control)) },
  gail: { label: LABEL.gail, interactive: false, needsLp: false, fitsBc: false, learn: (mdp, _expert, data, _seed, control) => gailTabular(mdp, data, signalOf(control)) },
  'mimic-md': { label: LABEL['mimic-md'], interactive: false, needsLp: true, fitsBc: false, learn: (mdp, _expert, data, _seed, control) => mimicMd(mdp, data, signalOf(control)) },
  'tv-ail-ogd': { label: LABEL['tv-ail-ogd'], interactive: false, needsLp: false, fitsBc: false, learn: (mdp, _expert, data, _seed, control) => tvAilOgd(mdp, data, signalOf(control)) },
  'mce-irl': {
    label: LABEL['mce-irl'],
    interactive: false,
    needsLp: false,
    fitsBc: false,
    learn: (mdp, _expert, data, _seed, control) => mceIrl(mdp, data, { maxIterations: MCE_IRL_SWEEP_ITERATIONS, ...signalOf(control) }),
  },
};

/**
 * Loads, once in this process or worker, what the named learners need beyond the core's own code: HiGHS
 * for the LP learners. Entry points that run sweeps await it before running them synchronously.
 */
export function prepareLearners(names: Iterable<AlgorithmName>): Promise<void> {
  for (const name of names) if (IMITATION_ALGORITHMS[name].needsLp) return initLp();
  return Promise.resolve();
}

/** The learner of a name; a CoreError saying what exists when the name is unknown. */
export function learnerOf(name: string): ImitationLearner {
  if (!isAlgorithmName(name)) throw new CoreError(`unknown imitation algorithm "${name}"; use one of ${ALGORITHM_NAMES.join(', ')}`, 'argument');
  return IMITATION_ALGORITHMS[name].learn;
}
