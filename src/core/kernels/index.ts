/**
 * The core's hot loops, in one folder, for the core's own modules (not exported from src/core/index.ts).
 *
 * Several of these loops are bound by a "same bits" contract: two loops that compute one quantity by
 * different routes must give bit-identical results, not merely close ones, because callers choose
 * between them for speed and a result must not depend on that choice. The tests compare them with
 * assert.equal, not a tolerance. Changing one loop of a pair means changing its partner the same way.
 * (Below, "kernel" is the MDP's transition kernel P_h; the functions are "loops".)
 *
 * Exact evaluation (backward.ts, forward.ts; dispatch.ts chooses the loop for each step):
 *
 * 1. backwardDeterministicFour ≡ backwardDeterministic, and backwardStochasticFour ≡ backwardStochastic
 *    without a Q table, on kernels whose rows all have four entries. The Four loops unroll the row sum
 *    p_0·V(n_0) + … + p_3·V(n_3) in CSR order, then add the reset term and the reward as the loop does.
 *    Why: which loop runs depends on the MDP's layout and on the step (the last and Q steps take the
 *    general loop), and V must not; rule 4 also relies on it, since backwardSeenOrUniform only has the
 *    general form. (The loop's sum starts from 0 and the unrolled one from the first product: the two
 *    differ only in the sign of an all-zero sum, which r + sum then hides unless r is −0 too.)
 * 2. forwardDeterministicFour ≡ forwardDeterministic, and forwardStochasticFour ≡ forwardStochastic
 *    without a d(s, a) table: the four scatters of a row in CSR order, so every d_{h+1}(s') receives the
 *    same additions in the same order. Why: as 1, d_h must not depend on the loop (and asking for
 *    d(s, a) must not change d(s)).
 * 3. backwardStochastic on a one-hot row ≡ backwardDeterministic on its action: zero-probability
 *    actions add nothing to V (skipped, or only written to Q) and 0 + 1·q is q. Why: a learned policy
 *    that plays the expert's action with probability 1 (BC on a deterministic expert's data) has
 *    exactly the expert's value there, so a gap that should be 0 is 0, not 1e-16.
 * 4. backwardSeenOrUniform (perStepBcGap.ts) ≡ evaluateBackward on the per-step BC policy of the same
 *    dataset (expandCountBlock: probability n/n = 1 on the expert's action at a seen (h, s), 1/|A| on
 *    every action elsewhere), whichever of backwardStochastic or backwardStochasticFour that takes: a
 *    seen state adds 0 + q, an unseen one (1/|A|)·q over the actions in order (none skipped, 1/|A| > 0),
 *    and the reset-only shortcut r + E[V] is the row walk's r + (0 + 1·E[V]). Why: the sweeps compute
 *    gaps through PerStepBcGap and the tests hold them to behavioralCloning + policyValue bit for bit.
 *
 * Sampling (alea.ts, draws.ts; sampling.ts chooses the path):
 *
 * 5. The alea step (aleaMix, aleaCarry; aleaNext, fillDraws and every loop that keeps the state in
 *    locals) ≡ seedrandom.alea's stream, and aleaState / aleaStatePair ≡ seedrandom's seeding. Why: a
 *    seed names one dataset on every machine, one that can be rebuilt from seedrandom itself
 *    (test/core/referenceRollout.test.ts does, for the deterministic sampler).
 * 6. stepDeterministicPacked ≡ stepDeterministic: the same draws (one per trajectory at each step with
 *    a successor, none at the last; fillDraws takes them ahead, the same order because a deterministic
 *    policy draws no actions), and the same comparisons (the packed running sums are added in CSR order
 *    as drawNext adds them; a u past every sum takes the row's last entry, drawNext's fallback). Why:
 *    packing is a speed choice made from N, H and |S|, and a per-step policy can leave the packed path
 *    mid-rollout; a seed must give the same dataset either way.
 * 7. stepsStates (sampleVisitedStates) ≡ the states of stepDeterministic (sampleTrajectories): the same
 *    initial draws and transition draws in the same order, stored step-major. Why: PerStepBcGap draws
 *    only the states and must see the dataset sampleTrajectories gives the seed.
 * 8. markDraws (markResetOnlyVisits) ≡ stepsStates when every row the expert plays only resets:
 *    drawNext makes such a row sampleAlias(resetTable, u), and the guide lookup is sampleAlias's own
 *    first step. markDrawsPair ≡ two markDraws calls: two streams interleaved, each in its own order.
 *    Why: PerStepBcGap's reset-only path (the Reset Cliff sweeps) must give the general path's gaps.
 * 9. stepDrawingActions (stochastic and count policies) has no partner loop, but fixes the order that
 *    sampling.ts documents: per trajectory, the action's draw, then the transition's.
 */
export { aleaCarry, aleaMix, fillDraws } from './alea';
export { backwardDeterministic, backwardDeterministicFour, backwardSeenOrUniform, backwardStochastic, backwardStochasticFour } from './backward';
export { StepLoops, type StepLoop } from './dispatch';
export { markDraws, markDrawsPair, packPolicyStep, PACKED_WIDTH, stepDeterministic, stepDeterministicPacked, stepDrawingActions, stepsStates } from './draws';
export { forwardDeterministic, forwardDeterministicFour, forwardStochastic, forwardStochasticFour } from './forward';
export { int32Offsets } from './rowOffsets';
