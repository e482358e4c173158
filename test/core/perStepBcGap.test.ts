import { test } from 'node:test';
import assert from 'node:assert/strict';
import { behavioralCloning } from '../../src/core/bc';
import { garnet } from '../../src/core/envs/garnet';
import { gridworld } from '../../src/core/envs/gridworld';
import { resetCliff } from '../../src/core/envs/resetCliff';
import { policyValue } from '../../src/core/evaluation';
import { planGapVsHorizon, sweepPointSlice } from '../../src/core/experiments';
import { PerStepBcGap, perStepBcGapApplies } from '../../src/core/perStepBcGap';
import { deterministicPolicy } from '../../src/core/policy';
import { markResetOnlyVisits, sampleTrajectories, sampleVisitedStates } from '../../src/core/sampling';
import { randomMdp } from './helpers/randomMdp';

const environments = () => {
  const { mdp: perStep } = randomMdp({ nS: 6, nA: 3, H: 7, seed: 5, perStep: true, withReset: true });
  return [
    { name: 'Reset Cliff', ...resetCliff({ nS: 11, nA: 2, H: 12 }) },
    { name: 'Reset Cliff, 3 actions, lower-bound ρ', ...resetCliff({ nS: 6, nA: 3, H: 8, rho: 'lower-bound', N: 20 }) },
    { name: 'Garnet (per-step optimal expert)', ...garnet({ nS: 30, nA: 4, H: 10, branching: 3, seed: 'g' }) },
    { name: 'slippery gridworld', ...gridworld({ map: ['S..#', '.#..', '...G'], H: 9, slip: 0.2 }) },
    // A policy that sometimes steps off the cliff: its rows are not all reset, so the general sampler runs.
    { name: 'Reset Cliff, a learner that falls', mdp: resetCliff({ nS: 7, nA: 2, H: 9 }).mdp, expert: deterministicPolicy(7, 2, 9, Int32Array.from({ length: 7 }, (_, s) => (s === 3 ? 1 : 0))) },
    { name: 'random per-step kernels with resets', mdp: perStep, expert: deterministicPolicy(6, 3, 7, Int32Array.from({ length: 42 }, (_, i) => (5 * i) % 3)) },
  ];
};

test('the gap from visited states alone equals behavioralCloning + policyValue on the dataset, bit for bit', () => {
  for (const { name, mdp, expert } of environments()) {
    assert.ok(perStepBcGapApplies(expert, 'bc', 'per-step'), name);
    if (expert.kind !== 'deterministic') continue;
    for (const N of [1, 3, 25]) {
      const fast: PerStepBcGap = new PerStepBcGap(mdp, expert, N);
      for (let i = 0; i < 15; i++) {
        const seed = `${name}/${N}/${i}`;
        const reference = policyValue(mdp, behavioralCloning(sampleTrajectories(mdp, expert, N, seed)));
        // One instance across seeds: its reused stamps and buffers must not leak from one dataset to the next.
        assert.equal(fast.learnerValue(seed), reference, `${name}, N = ${N}, seed ${i}`);
      }
    }
  }
});

test('it applies to per-step BC of a deterministic expert only', () => {
  const { expert } = resetCliff({ nS: 5, nA: 2, H: 3 });
  assert.equal(perStepBcGapApplies(expert, 'bc', 'per-step'), true);
  assert.equal(perStepBcGapApplies(expert, 'bc', 'pooled'), false);
  assert.equal(perStepBcGapApplies(expert, 'dagger', 'per-step'), false);
  const stochastic = { kind: 'stochastic', nS: 5, nA: 2, H: 3, stationary: true, prob: new Float64Array(10).fill(0.5) } as const;
  assert.equal(perStepBcGapApplies(stochastic, 'bc', 'per-step'), false);
});

test('a sweep point takes the same gaps through it as through datasets', () => {
  const plan = planGapVsHorizon({ env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 }, N: 40, horizons: [8], seeds: 30, baseSeed: 'same' });
  const point = plan.points[0];
  const gaps = sweepPointSlice(point, 0, 30);
  const pooledLike = sweepPointSlice({ ...point, mode: 'pooled' }, 0, 30);
  for (let i = 0; i < 30; i++) {
    const data = sampleTrajectories(point.env.mdp, point.env.expert, 40, `same/gap-vs-H/8/${i}`);
    const expected = policyValue(point.env.mdp, point.env.expert) - policyValue(point.env.mdp, behavioralCloning(data));
    assert.equal(gaps[i], expected, `seed ${i}`);
    // Pooled BC still goes through datasets; on the Reset Cliff (stationary expert) it is never worse.
    assert.ok(pooledLike[i] <= gaps[i] + 1e-12, `pooled ≤ per-step at seed ${i}`);
  }
});

test('reset-only rollouts (every Reset Cliff expert step) mark the (h, s) sampleVisitedStates visits', () => {
  for (const { mdp, expert } of [resetCliff({ nS: 11, nA: 2, H: 16 }), resetCliff({ nS: 6, nA: 3, H: 10, rho: 'lower-bound', N: 20 })]) {
    if (expert.kind !== 'deterministic') throw new Error('deterministic expert expected');
    const seen = new Int32Array(mdp.nS * mdp.H);
    let mark = 0;
    for (const N of [1, 40]) {
      for (let i = 0; i < 10; i++) {
        markResetOnlyVisits(mdp, N, `r/${i}`, seen, ++mark);
        const states = sampleVisitedStates(mdp, expert, N, `r/${i}`, new Int32Array(N * mdp.H));
        for (let h = 0; h < mdp.H; h++) {
          const visited = new Set(states.subarray(h * N, (h + 1) * N));
          for (let s = 0; s < mdp.nS; s++) assert.equal(seen[h * mdp.nS + s] === mark, visited.has(s), `N = ${N}, seed ${i}, h = ${h}, s = ${s}`);
        }
      }
    }
  }
  const { mdp } = garnet({ nS: 5, nA: 2, H: 3, branching: 2, seed: 'no reset' });
  assert.throws(() => markResetOnlyVisits(mdp, 2, 's', new Int32Array(15), 1), /reset part/);
});

test('two seeds drawn together give each seed its own value, as drawn alone and as through datasets', () => {
  for (const { mdp, expert } of [resetCliff({ nS: 11, nA: 2, H: 12 }), resetCliff({ nS: 6, nA: 3, H: 8, rho: 'lower-bound', N: 20 }), garnet({ nS: 12, nA: 3, H: 6, branching: 3, seed: 'pair' })]) {
    if (expert.kind !== 'deterministic') throw new Error('deterministic expert expected');
    for (const N of [1, 7]) {
      const paired: PerStepBcGap = new PerStepBcGap(mdp, expert, N);
      const alone: PerStepBcGap = new PerStepBcGap(mdp, expert, N);
      for (let i = 0; i < 12; i++) {
        const [a, b] = [`p/${N}/${i}`, `q/${N}/${i}`];
        const both: number[] = Array.from(paired.learnerValuePair(a, b));
        assert.deepEqual(both, [alone.learnerValue(a), alone.learnerValue(b)], `N = ${N}, pair ${i}`);
        const reference = policyValue(mdp, behavioralCloning(sampleTrajectories(mdp, expert, N, b)));
        assert.equal(both[1], reference, `the second seed of pair ${i}, through its dataset`);
      }
    }
  }
});
