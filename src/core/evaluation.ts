/**
 * Exact policy evaluation (docs/theory.md §1): backward induction for V_h, Q_h and V(π), forward
 * propagation for the visitation d^π_h(s) and d^π_h(s, a). The two directions are independent
 * computations of V(π) and the tests hold them to 1e-9 of each other.
 *
 * Cost: O(H · nnz) time where nnz counts the transition entries of the rows the policy can take
 * (|S| rows per step for a deterministic policy, |S||A| for a stochastic one), plus O(H|S||A|) to
 * expand count policies; O(|S||A|) memory unless tables are requested.
 */
import { CoreError } from './errors';
import { resetExpectation, rewardOffset, transitionsAt, type MDP } from './mdp';
import { countRowTotal, type CountPolicy, type Policy } from './policy';
import {
  backwardDeterministic,
  backwardDeterministicFour,
  backwardStochastic,
  backwardStochasticFour,
  forwardDeterministic,
  forwardDeterministicFour,
  forwardStochastic,
  forwardStochasticFour,
  int32Offsets,
  StepLoops,
} from './kernels';

/**
 * Per-step access to π_h as a dense row-probability table or a deterministic action table, so that the
 * loops in kernels/ stay monomorphic. Count policies are expanded one step at a time into a scratch
 * buffer: O(|S||A|) memory, never O(H|S||A|).
 */
interface StepPolicy {
  /** Action table and its offset for deterministic policies, otherwise null. */
  actions: Int32Array | null;
  /** π_h(a|s) at offset + s·|A| + a for stochastic and count policies, otherwise null. */
  probs: Float64Array | null;
  offset: number;
}

function checkShapes(mdp: MDP, pi: Policy): void {
  if (pi.nS !== mdp.nS || pi.nA !== mdp.nA) {
    throw new CoreError(
      `policy is for |S| = ${pi.nS}, |A| = ${pi.nA} but the MDP has |S| = ${mdp.nS}, |A| = ${mdp.nA}`,
      'shape-mismatch',
    );
  }
  if (!pi.stationary && pi.H < mdp.H) {
    throw new CoreError(`policy covers ${pi.H} steps but the MDP's horizon is ${mdp.H}`, 'shape-mismatch');
  }
}

/** `reuseScratch` only where no user code runs during the evaluation (visitation's onStep could evaluate again). */
function stepPolicyAccess(pi: Policy, reuseScratch = false): (h: number) => StepPolicy {
  const { nS, nA } = pi;
  switch (pi.kind) {
    case 'deterministic':
      return (h) => ({ actions: pi.action, probs: null, offset: pi.stationary ? 0 : h * nS });
    case 'stochastic':
      return (h) => ({ actions: null, probs: pi.prob, offset: pi.stationary ? 0 : h * nS * nA });
    case 'counts': {
      const scratch = reuseScratch ? countScratch(nS * nA) : new Float64Array(nS * nA);
      let filledBlock = -1;
      return (h) => {
        const block = pi.stationary ? 0 : h;
        if (block !== filledBlock) {
          expandCountBlock(pi, block, scratch);
          filledBlock = block;
        }
        return { actions: null, probs: scratch, offset: 0 };
      };
    }
  }
}

/*
 * Each typed-array allocation costs V8 a backing store, about as much as evaluating a small MDP: a
 * sweep evaluates thousands of BC policies on |S| = 11. Small scratch is therefore reused (it never
 * leaves the evaluation), and V_h and V_{h+1} share one buffer.
 */
const SMALL_SCRATCH = 1 << 16;
let countScratchCache = new Float64Array(0);

function countScratch(n: number): Float64Array {
  if (n > SMALL_SCRATCH) return new Float64Array(n);
  if (countScratchCache.length < n) countScratchCache = new Float64Array(Math.max(n, 2 * countScratchCache.length));
  return countScratchCache.subarray(0, n);
}

/** Writes the dense π(·|·) of one block of a count policy into `out` (|S||A|). */
export function expandCountBlock(pi: CountPolicy, block: number, out: Float64Array): void {
  const nA = pi.nA;
  out.fill(1 / nA);
  const { entryStart, entryAction, entryCount } = pi;
  for (let i = pi.blockStart[block]; i < pi.blockStart[block + 1]; i++) {
    const row = pi.states[i] * nA;
    const total = countRowTotal(pi, i);
    for (let a = 0; a < nA; a++) out[row + a] = 0;
    for (let e = entryStart[i]; e < entryStart[i + 1]; e++) out[row + entryAction[e]] = entryCount[e] / total;
  }
}

export interface ValueOptions {
  /** Keep V_h(s) for every step (H|S| numbers). */
  readonly storeV?: boolean;
  /** Keep Q_h(s, a) for every step (H|S||A| numbers). */
  readonly storeQ?: boolean;
}

export interface ValueResult {
  /** V(π) = Σ_s ρ(s) V_1(s). */
  readonly value: number;
  /** V_h(s) at h·|S| + s, when requested. */
  readonly V?: Float64Array;
  /** Q_h(s, a) at (h·|S| + s)·|A| + a, when requested. */
  readonly Q?: Float64Array;
  /** V_1(s), always kept. */
  readonly V1: Float64Array;
}

/** Backward induction: Q_h = r_h + P_h V_{h+1}, V_h(s) = Σ_a π_h(a|s) Q_h(s, a). */
export function evaluateBackward(mdp: MDP, pi: Policy, options: ValueOptions = {}): ValueResult {
  checkShapes(mdp, pi);
  const { nS, nA, H } = mdp;
  const Vall = options.storeV ? new Float64Array(H * nS) : undefined;
  const Qall = options.storeQ ? new Float64Array(H * nS * nA) : null;
  // Q for a deterministic policy needs every action's row: evaluate it through its one-hot table.
  const access = stepPolicyAccess(Qall && pi.kind === 'deterministic' ? oneHot(pi) : pi, true);
  const both = new Float64Array(2 * nS);
  let Vnext = both.subarray(0, nS);
  let Vcur = both.subarray(nS);
  const loops = new StepLoops();

  for (let h = H - 1; h >= 0; h--) {
    const rOff = rewardOffset(mdp, h);
    const last = h === H - 1;
    const t = transitionsAt(mdp, h);
    const resetMass = last ? null : (t.reset?.mass ?? null);
    const resetValue = resetMass ? resetExpectation(t, Vnext) : 0;
    const step = access(h);
    const rs = int32Offsets(t.rowStart);
    switch (loops.forStep(t, rs, step.actions !== null, last, Qall !== null)) {
      case 'deterministicFour':
        backwardDeterministicFour(nS, nA, t.next, t.prob, mdp.reward, rOff, step.actions!, step.offset, Vnext, Vcur, resetMass, resetValue);
        break;
      case 'stochasticFour':
        backwardStochasticFour(nS, nA, t.next, t.prob, mdp.reward, rOff, step.probs!, step.offset, Vnext, Vcur, resetMass, resetValue);
        break;
      case 'deterministic':
        backwardDeterministic(nS, nA, rs, t.next, t.prob, mdp.reward, rOff, step.actions!, step.offset, Vnext, Vcur, resetMass, resetValue, last);
        break;
      case 'stochastic':
        backwardStochastic(nS, nA, rs, t.next, t.prob, mdp.reward, rOff, step.probs!, step.offset, Vnext, Vcur, resetMass, resetValue, last, Qall, h * nS * nA);
        break;
    }
    if (Vall) Vall.set(Vcur, h * nS);
    const swap = Vnext;
    Vnext = Vcur;
    Vcur = swap;
  }
  // After the loop Vnext holds V_1.
  let value = 0;
  const rho = mdp.rho;
  for (let s = 0; s < nS; s++) if (rho[s] !== 0) value += rho[s] * Vnext[s];
  const result: { value: number; V1: Float64Array; V?: Float64Array; Q?: Float64Array } = { value, V1: Vnext };
  if (Vall) result.V = Vall;
  if (Qall) result.Q = Qall;
  return result;
}

function oneHot(pi: Extract<Policy, { kind: 'deterministic' }>): Policy {
  const { nS, nA, H, stationary } = pi;
  const prob = new Float64Array(pi.action.length * nA);
  for (let i = 0; i < pi.action.length; i++) prob[i * nA + pi.action[i]] = 1;
  return { kind: 'stochastic', nS, nA, H, stationary, prob };
}

/** V(π) by backward induction in O(|S|) memory. */
export function policyValue(mdp: MDP, pi: Policy): number {
  return evaluateBackward(mdp, pi).value;
}

export interface VisitationOptions {
  /** Keep d^π_h(s, a) too (H|S||A| numbers). */
  readonly stateAction?: boolean;
  /** Keep d^π_h(s) for every step (H|S| numbers; default true). */
  readonly store?: boolean;
  /** Called with (h, d_h) as each step's state distribution is ready, e.g. to stream it. */
  readonly onStep?: (h: number, d: Float64Array) => void;
}

export interface VisitationResult {
  /** V(π) = Σ_h Σ_{s,a} d_h(s, a) r_h(s, a). */
  readonly value: number;
  /** d^π_h(s) at h·|S| + s (unless store is false). */
  readonly dS?: Float64Array;
  /** d^π_h(s, a) at (h·|S| + s)·|A| + a, when requested. */
  readonly dSA?: Float64Array;
}

/** Forward propagation: d_1 = ρ, d_{h+1}(s') = Σ_{s,a} d_h(s) π_h(a|s) P_h(s'|s, a). */
export function visitation(mdp: MDP, pi: Policy, options: VisitationOptions = {}): VisitationResult {
  checkShapes(mdp, pi);
  const { nS, nA, H } = mdp;
  const store = options.store ?? true;
  const dS = store ? new Float64Array(H * nS) : undefined;
  const dSA = options.stateAction ? new Float64Array(H * nS * nA) : null;
  const access = stepPolicyAccess(pi);
  let d = Float64Array.from(mdp.rho);
  let dNext = new Float64Array(nS);
  const sums = new Float64Array(2);
  let value = 0;
  const loops = new StepLoops();

  for (let h = 0; h < H; h++) {
    if (dS) dS.set(d, h * nS);
    options.onStep?.(h, d);
    const rOff = rewardOffset(mdp, h);
    const last = h === H - 1;
    const t = transitionsAt(mdp, h);
    const resetMass = last ? null : (t.reset?.mass ?? null);
    const step = access(h);
    const rs = int32Offsets(t.rowStart);
    if (!last) dNext.fill(0);
    switch (loops.forStep(t, rs, step.actions !== null, last, dSA !== null)) {
      case 'deterministicFour':
        forwardDeterministicFour(nS, nA, t.next, t.prob, mdp.reward, rOff, step.actions!, step.offset, d, dNext, resetMass, sums);
        break;
      case 'stochasticFour':
        forwardStochasticFour(nS, nA, t.next, t.prob, mdp.reward, rOff, step.probs!, step.offset, d, dNext, resetMass, sums);
        break;
      case 'deterministic':
        forwardDeterministic(nS, nA, rs, t.next, t.prob, mdp.reward, rOff, step.actions!, step.offset, d, dNext, resetMass, last, dSA, h * nS * nA, sums);
        break;
      case 'stochastic':
        forwardStochastic(nS, nA, rs, t.next, t.prob, mdp.reward, rOff, step.probs!, step.offset, d, dNext, resetMass, last, dSA, h * nS * nA, sums);
        break;
    }
    value += sums[0];
    if (!last) {
      const resetWeight = sums[1];
      if (resetWeight !== 0 && t.reset) {
        const to = t.reset.to;
        for (let s2 = 0; s2 < nS; s2++) dNext[s2] += resetWeight * to[s2];
      }
      const swap = d;
      d = dNext;
      dNext = swap;
    }
  }
  const result: { value: number; dS?: Float64Array; dSA?: Float64Array } = { value };
  if (dS) result.dS = dS;
  if (dSA) result.dSA = dSA;
  return result;
}

/** Imitation gap V(π^E) − V(π) (docs/theory.md §1), both by exact backward induction. */
export function imitationGap(mdp: MDP, expert: Policy, learner: Policy): number {
  return policyValue(mdp, expert) - policyValue(mdp, learner);
}
