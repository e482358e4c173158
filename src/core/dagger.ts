/**
 * DAgger (Ross, Gordon & Bagnell 2011; docs/theory.md §6): start from BC on expert data; in each round roll
 * out the current policy, ask the expert to label every visited (h, s), add the labelled pairs to the
 * data and refit BC. The learner thus gets expert labels on the states its own mistakes lead to, which
 * pays off where mistakes are recoverable and not on the Reset Cliff (the lower bound holds for it too).
 */
import { behavioralCloning } from './bc';
import { concatDatasets, type Dataset } from './dataset';
import { CoreError } from './errors';
import { policyValue } from './evaluation';
import type { MDP } from './mdp';
import { actionDistribution, type CountPolicy, type Policy } from './policy';
import { createRng, deriveSeed } from './random';
import { sampleTrajectories } from './sampling';
import type { BcMode } from './bc';

export interface DaggerOptions {
  /** Expert trajectories for the initial BC policy (0 starts from the uniform policy). */
  readonly initialTrajectories: number;
  /** Number of DAgger rounds K after the initial fit. */
  readonly rounds: number;
  /** Learner rollouts per round, each labelled by the expert. */
  readonly rolloutsPerRound: number;
  readonly seed: number | string;
  readonly mode?: BcMode;
  /**
   * Expert data to start from instead of sampling `initialTrajectories` (a sweep hands DAgger part of
   * the dataset BC gets, so both learners see the same expert draws).
   */
  readonly initialDataset?: Dataset;
  /** Rollouts of each round, when they differ from round to round; overrides `rounds` and `rolloutsPerRound`. */
  readonly rolloutSchedule?: readonly number[];
  /** Exact V(π) of every round's policy (default true); a sweep, which evaluates only the last, turns it off. */
  readonly evaluateRounds?: boolean;
  /** Checked between rounds; when set, stops with a CoreError of code 'cancelled'. */
  readonly signal?: { readonly aborted: boolean };
}

export interface DaggerRound {
  /** 0 is the initial BC fit. */
  readonly round: number;
  /** Labelled trajectories in the aggregated dataset. */
  readonly trajectories: number;
  /** V(π^E) − V(π_round), by exact evaluation (NaN when `evaluateRounds` is false). */
  readonly gap: number;
}

export interface DaggerResult {
  readonly policy: CountPolicy;
  readonly dataset: Dataset;
  readonly rounds: readonly DaggerRound[];
}

/**
 * Replaces the actions of `visited` with the expert's: its action for a deterministic expert, a draw
 * from π^E_h(·|s) otherwise. States and their order are kept; rewards are dropped (they belonged to
 * the learner's actions).
 */
export function labelWithExpert(visited: Dataset, expert: Policy, seed: number | string): Dataset {
  const { nS, nA, H, N } = visited;
  if (expert.nS !== nS || expert.nA !== nA) throw new CoreError('the expert and the dataset disagree on |S| or |A|', 'shape-mismatch');
  const actions = new Int32Array(visited.actions.length);
  const rng = createRng(seed);
  const row = new Float64Array(nA);
  for (let i = 0; i < N; i++) {
    for (let h = 0; h < H; h++) {
      const at = i * H + h;
      const s = visited.states[at];
      if (s < 0) {
        actions[at] = -1;
        continue;
      }
      if (expert.kind === 'deterministic') {
        actions[at] = expert.action[expert.stationary ? s : h * nS + s];
        continue;
      }
      actionDistribution(expert, h, s, row);
      let u = rng();
      let a = 0;
      while (a < nA - 1 && u >= row[a]) u -= row[a++];
      actions[at] = a;
    }
  }
  return { nS, nA, H, N, states: visited.states, actions };
}

export function dagger(mdp: MDP, expert: Policy, options: DaggerOptions): DaggerResult {
  const { initialTrajectories, seed, initialDataset } = options;
  const schedule = options.rolloutSchedule ?? Array.from({ length: options.rounds }, () => options.rolloutsPerRound);
  for (const [name, v] of [
    ['initialTrajectories', initialTrajectories],
    ['rounds', options.rounds],
    ['rolloutsPerRound', options.rolloutsPerRound],
    ...schedule.map((n, k) => [`rolloutSchedule[${k}]`, n] as const),
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new CoreError(`${name} must be a non-negative integer, got ${v}`, 'argument');
  }
  const initialCount = initialDataset ? initialDataset.N : initialTrajectories;
  if (initialCount === 0 && (options.rolloutSchedule ? schedule.every((n) => n === 0) : options.rolloutsPerRound === 0)) {
    throw new CoreError('DAgger needs expert trajectories or rollouts: both counts are 0', 'argument');
  }
  if (initialDataset && (initialDataset.nS !== mdp.nS || initialDataset.nA !== mdp.nA || initialDataset.H !== mdp.H)) {
    throw new CoreError(`DAgger's initial dataset (|S| = ${initialDataset.nS}, |A| = ${initialDataset.nA}, H = ${initialDataset.H}) does not match the MDP`, 'shape-mismatch');
  }
  const mode = options.mode ?? 'per-step';
  const evaluate = options.evaluateRounds ?? true;
  const expertValue = evaluate ? policyValue(mdp, expert) : NaN;
  const gapOf = (pi: Policy) => (evaluate ? expertValue - policyValue(mdp, pi) : NaN);
  let data: Dataset =
    initialDataset ??
    (initialTrajectories > 0
      ? sampleTrajectories(mdp, expert, initialTrajectories, deriveSeed(seed, 'dagger', 'expert'))
      : { nS: mdp.nS, nA: mdp.nA, H: mdp.H, N: 0, states: new Int32Array(0), actions: new Int32Array(0) });
  let policy = behavioralCloning(data, { mode, horizon: mdp.H });
  const history: DaggerRound[] = [{ round: 0, trajectories: data.N, gap: gapOf(policy) }];
  for (let k = 1; k <= schedule.length; k++) {
    if (options.signal?.aborted) throw new CoreError('DAgger was cancelled', 'cancelled');
    const rollouts = schedule[k - 1];
    if (rollouts === 0) break;
    const visited = sampleTrajectories(mdp, policy, rollouts, deriveSeed(seed, 'dagger', 'rollout', k));
    const labelled = labelWithExpert(visited, expert, deriveSeed(seed, 'dagger', 'label', k));
    data = data.N === 0 ? labelled : concatDatasets(data, labelled);
    policy = behavioralCloning(data, { mode, horizon: mdp.H });
    history.push({ round: k, trajectories: data.N, gap: gapOf(policy) });
  }
  return { policy, dataset: data, rounds: history };
}
