/**
 * The Reset Cliff with a recovery action (docs/theory.md §5–6): a non-expert action costs a step instead
 * of ending the episode.
 *
 * States g_1 … g_{|S|−1} (good) and r (recovery, in place of the Reset Cliff's bad state). In a good
 * state the expert action a* = 0 earns 1 and redraws s' ~ ρ, exactly as on the Reset Cliff; any other
 * action earns 0 and leads to r. In r the expert action ("recover") earns 0 and redraws s' ~ ρ; any other
 * action earns 0 and stays in r. Nothing is absorbing, so every mistake is recoverable. The expert never
 * errs, so it never visits r: d^{π^E}_h = ρ on the good states, V(π^E) = H, and r is never in expert data.
 *
 * Why BC still compounds: per-step BC has never seen r, so it plays uniformly there and leaves only with
 * probability 1/|A| per step; each of its mistakes costs 1 + min(remaining steps, Geometric(1/|A|))
 * rewards, about 1 + |A|, where a learner that knows the recovery loses exactly 2. With q = cμ
 * (c = 1 − 1/|A|, μ = Σ_s ρ(s)(1 − ρ(s))^N) the expected gap is that of the averaged two-state chain
 * (per-step coverages are independent, as on the Reset Cliff, so the expectation of the product over
 * steps is the product of expectations):
 *
 *     G → G w.p. 1 − q (reward 1),  G → r w.p. q,  r → G w.p. 1/|A|,  r → r w.p. c   (reward 0 off G)
 *
 * so E[gap] ≈ qH²/2 (slope 2) while H ≪ |A| and cμH ≪ 1, then ≈ q(1 + |A|)H (slope 1, an |A|-fold
 * larger constant). DAgger's rollouts make the learner's mistakes, sit in r for the steps BC would lose,
 * and get the expert's label at each of those (h, r): its gap tends to ≈ 2q′H, q′ = cμ′ with μ′ its own
 * good-state missing mass.
 */
import type { Environment } from './environment';
import type { ResetCliffRecoveryParams } from './spec';
import { cliffEnvironment, resetCliffUnseenMass } from './resetCliff';

export function resetCliffRecovery(params: ResetCliffRecoveryParams): Environment {
  return cliffEnvironment(params, { name: 'recover', expertResets: true, title: 'Reset Cliff with recovery' });
}

/** E[V(π^E) − V(π^BC)] for per-step BC with N trajectories: H minus the reward of the averaged chain above. */
export function resetCliffRecoveryExpectedGap(nA: number, rho: ArrayLike<number>, N: number, H: number): number {
  const c = 1 - 1 / nA;
  const q = c * resetCliffUnseenMass(rho, N);
  let good = 1;
  let value = 0;
  for (let h = 1; h <= H; h++) {
    value += good * (1 - q);
    // From r BC leaves with probability 1/|A|; the rest of the mass stays there.
    good = good * (1 - q) + (1 - good) / nA;
  }
  return H - value;
}

export const RESET_CLIFF_RECOVERY_GAP_FORMULA = 'E[gap] = H − Σ_{h=1..H} g_h(1 − cμ),  g_1 = 1,  g_{h+1} = g_h(1 − cμ) + (1 − g_h)/|A|,  c = 1 − 1/|A|,  μ = Σ_s ρ(s)(1 − ρ(s))^N';
