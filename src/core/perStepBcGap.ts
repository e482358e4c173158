/**
 * The imitation gap of per-step BC under a deterministic expert, from the states a dataset visits and
 * nothing else. Every sample at a seen (h, s) carries the expert's action, so BC's MLE there is the
 * expert's action and 1/|A| on every unseen (h, s) (docs/theory.md §2): V(π^BC) depends only on which
 * (h, s) the dataset saw. A sweep's thousands of datasets then need no actions, rewards, counts or
 * policy object — only the visited states, drawn from the same stream as sampleTrajectories — and the
 * backward induction (backwardSeenOrUniform in kernels/backward.ts) takes the expert's row on seen
 * states and the uniform mixture elsewhere, in the same order of operations as evaluateBackward on the
 * BC policy, so the gap is the same bit for bit.
 *
 * Cost per dataset: O(N·H) to sample, O(H · nnz) to evaluate; memory O(N·H + |S|), reused across seeds.
 */
import type { AlgorithmName } from './algorithmNames';
import type { BcMode } from './bc';
import { resetExpectation, rewardOffset, transitionsAt, type MDP } from './mdp';
import type { DeterministicPolicy, Policy } from './policy';
import { markResetOnlyVisits, markResetOnlyVisitsPair, sampleVisitedStates } from './sampling';
import { backwardSeenOrUniform, int32Offsets } from './kernels';

/** Whether PerStepBcGap computes this learner's gaps: per-step BC of a deterministic expert. */
export function perStepBcGapApplies(expert: Policy, algorithm: AlgorithmName, mode: BcMode): expert is DeterministicPolicy {
  return algorithm === 'bc' && mode === 'per-step' && expert.kind === 'deterministic';
}

export class PerStepBcGap {
  private readonly states: Int32Array;
  /**
   * stamp[s] === mark: s was seen at the step being evaluated; a new mark per step needs no clearing.
   * When the expert only resets (see expertRowsAllReset), stamp holds every step: stamp[h·|S| + s].
   */
  private readonly stamp: Int32Array;
  private mark = 0;
  private readonly valuesA: Float64Array;
  private readonly valuesB: Float64Array;
  /** Every row the expert plays resets (Reset Cliff): the visits are i.i.d. reset draws, marked per (h, s). */
  private readonly resetOnly: boolean;
  /** learnerValuePair's result, reused. */
  private readonly pair = new Float64Array(2);

  constructor(
    private readonly mdp: MDP,
    private readonly expert: DeterministicPolicy,
    private readonly N: number,
  ) {
    this.resetOnly = mdp.nS * mdp.H <= MAX_STEP_STAMPS && expertRowsAllReset(mdp, expert);
    this.states = new Int32Array(this.resetOnly ? 0 : N * mdp.H);
    // Reset-only: two tables of every step's stamps, one per seed of a pair.
    this.stamp = new Int32Array(this.resetOnly ? 2 * mdp.nS * mdp.H : mdp.nS);
    const values = new Float64Array(2 * mdp.nS);
    this.valuesA = values.subarray(0, mdp.nS);
    this.valuesB = values.subarray(mdp.nS);
  }

  /** Whether learnerValuePair draws two datasets at once (faster than two learnerValue calls). */
  get drawsInPairs(): boolean {
    return this.resetOnly;
  }

  /** V(π^BC) for the dataset of N expert trajectories drawn with `seed`. */
  learnerValue(seed: number | string): number {
    if (this.resetOnly) {
      markResetOnlyVisits(this.mdp, this.N, seed, this.stamp, this.nextMark());
      return this.valueFromStamps(0);
    }
    sampleVisitedStates(this.mdp, this.expert, this.N, seed, this.states);
    return this.valueFromStamps(-1);
  }

  /**
   * learnerValue of two seeds, [V(π^BC_A), V(π^BC_B)], in a reused array (read it before the next
   * call). The same values as two learnerValue calls.
   */
  learnerValuePair(seedA: number | string, seedB: number | string): Float64Array {
    const out = this.pair;
    if (!this.resetOnly) {
      out[0] = this.learnerValue(seedA);
      out[1] = this.learnerValue(seedB);
      return out;
    }
    const size = this.mdp.nS * this.mdp.H;
    markResetOnlyVisitsPair(this.mdp, this.N, seedA, seedB, this.stamp, size, this.nextMark());
    out[0] = this.valueFromStamps(0);
    out[1] = this.valueFromStamps(size);
    return out;
  }

  /**
   * The backward induction of per-step BC from the seen (h, s): reset-only instances read the marks of
   * the table at `table` (every step, marked while drawing); others (table −1) stamp each step's states
   * from the sampled ones as they go.
   */
  private valueFromStamps(table: number): number {
    const { mdp, expert, N, stamp } = this;
    const { nS, nA, H } = mdp;
    const states = this.states;
    // V_{h+1} and V_h, swapped each step; views made once (a sweep evaluates thousands of datasets).
    let Vnext = this.valuesA;
    let Vcur = this.valuesB;
    const uniform = 1 / nA;
    const aStride = expert.stationary ? 0 : nS;
    const stationary = mdp.transitions.length === 1;
    const stationaryReward = mdp.reward.length === nS * nA;
    let t = mdp.transitions[0];
    let rs = int32Offsets(t.rowStart);
    for (let h = H - 1; h >= 0; h--) {
      let mark = this.mark;
      if (table < 0) {
        mark = this.nextMark();
        for (let i = h * N, end = i + N; i < end; i++) stamp[states[i]] = mark;
      }
      const last = h === H - 1;
      if (!stationary) {
        t = transitionsAt(mdp, h);
        rs = int32Offsets(t.rowStart);
      }
      const resetMass = last || !t.reset ? null : t.reset.mass;
      const resetValue = resetMass ? resetExpectation(t, Vnext) : 0;
      const rOff = stationaryReward ? 0 : rewardOffset(mdp, h);
      const stampOffset = table < 0 ? 0 : table + h * nS;
      backwardSeenOrUniform(nS, nA, rs, t.next, t.prob, mdp.reward, rOff, expert.action, h * aStride, stamp, stampOffset, mark, uniform, Vnext, Vcur, resetMass, resetValue, last, table >= 0);
      const swap = Vnext;
      Vnext = Vcur;
      Vcur = swap;
    }
    let value = 0;
    const rho = mdp.rho;
    for (let s = 0; s < nS; s++) if (rho[s] !== 0) value += rho[s] * Vnext[s];
    return value;
  }

  /** A mark no stamp holds yet (all stamps are cleared when the marks run out). */
  private nextMark(): number {
    if (this.mark === 0x7fffffff) {
      this.stamp.fill(0);
      this.mark = 0;
    }
    return ++this.mark;
  }
}

/** Above this many (h, s) pairs a reset-only instance keeps per-step stamps instead (memory). */
const MAX_STEP_STAMPS = 1 << 22;

/**
 * Whether every state a rollout can reach resets under the expert: the kernel is stationary with a
 * reset part, and for every s with ρ(s) > 0 or a positive reset weight (alias draws never return a
 * zero-weight state) the expert's row at every step that has a successor is all reset (no sparse
 * entries, reset mass exactly 1). Then every state after the first is a reset draw. O(|S|·H) once per
 * instance, against O(N·H) draws per dataset.
 */
function expertRowsAllReset(mdp: MDP, expert: DeterministicPolicy): boolean {
  const t = mdp.transitions.length === 1 ? mdp.transitions[0] : null;
  if (!t?.reset) return false;
  const { nS, nA, H } = mdp;
  const steps = expert.stationary ? Math.min(1, H - 1) : H - 1;
  for (let s = 0; s < nS; s++) {
    if (!(mdp.rho[s] > 0) && !(t.reset.to[s] > 0)) continue;
    for (let h = 0; h < steps; h++) {
      const row = s * nA + expert.action[(expert.stationary ? 0 : h * nS) + s];
      if (t.rowStart[row] !== t.rowStart[row + 1] || t.reset.mass[row] !== 1) return false;
    }
  }
  return true;
}
