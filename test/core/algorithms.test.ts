import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALGORITHM_NAMES, daggerSchedule, IMITATION_ALGORITHMS, learnerOf, prepareLearners } from '../../src/core/algorithms';
import { behavioralCloning } from '../../src/core/bc';
import { chain } from '../../src/core/envs';
import { CoreError } from '../../src/core/errors';
import { policyValue } from '../../src/core/evaluation';
import { gapVsHorizon, gapVsHorizonOn, gapVsSamples } from '../../src/core/experiments';
import { deriveSeed } from '../../src/core/random';
import { sampleTrajectories } from '../../src/core/sampling';
import { formatSweepTable } from '../../src/shared/viewText';
import { makeEnvironment } from '../../src/core/envs';

/**
 * MCE-IRL's policy is soft-optimal, never exactly the expert: with one-hot (s, a) features and a
 * stationary reward its gap is r·(μ^E − μ^θ) ≤ ||r||₂ × its stopping tolerance (1e-6) on the gradient's norm.
 */
function softGapBound(reward: Float64Array): number {
  return 1e-6 * Math.sqrt(reward.reduce((t, r) => t + r * r, 0));
}

// TV-AIL and MIMIC-MD solve LPs: HiGHS is loaded once for this file's process.
before(() => prepareLearners(ALGORITHM_NAMES));

test("DAgger's schedule spends exactly N expert-labelled trajectories: ⌈N/2⌉ from the data, ⌊N/2⌋ in at most 4 rounds", () => {
  for (let N = 1; N <= 50; N++) {
    const { initial, rollouts } = daggerSchedule(N);
    assert.equal(initial + rollouts.reduce((a, b) => a + b, 0), N);
    assert.equal(initial, Math.ceil(N / 2));
    assert.ok(rollouts.length <= 4 && rollouts.every((n) => n >= 1));
    if (rollouts.length > 0) assert.ok(Math.max(...rollouts) - Math.min(...rollouts) <= 1, 'rounds as equal as possible');
  }
  assert.deepEqual(daggerSchedule(1), { initial: 1, rollouts: [] });
  assert.deepEqual(daggerSchedule(11), { initial: 6, rollouts: [2, 1, 1, 1] });
  assert.throws(() => daggerSchedule(0), CoreError);
});

test("'bc' (the default) is per-step BC on the point's dataset: the sweep equals a loop written out by hand", () => {
  const spec = { env: { kind: 'chain' as const, nS: 5, nA: 2, H: 1, slip: 0.2 }, N: 3, horizons: [2, 6], seeds: 15, baseSeed: 'by-hand' };
  const byDefault = gapVsHorizon(spec);
  const named = gapVsHorizon({ ...spec, algorithm: 'bc' });
  assert.deepEqual(named, byDefault);
  assert.equal(byDefault.algorithm, 'bc');
  byDefault.rows.forEach((row) => {
    const env = makeEnvironment({ ...spec.env, H: row.x });
    const expertValue = policyValue(env.mdp, env.expert);
    let mean = 0;
    for (let i = 0; i < spec.seeds; i++) {
      const data = sampleTrajectories(env.mdp, env.expert, spec.N, deriveSeed('by-hand', 'gap-vs-H', row.x, i));
      mean += (expertValue - policyValue(env.mdp, behavioralCloning(data))) / spec.seeds;
    }
    assert.ok(Math.abs(row.mean - mean) < 1e-12, `H=${row.x}: ${row.mean} vs ${mean}`);
  });
});

test('with N = 1 DAgger has no queries left and is BC, seed for seed', () => {
  const spec = { env: { kind: 'reset-cliff-recovery' as const, nS: 6, nA: 3, H: 1 }, N: 1, horizons: [3, 7], seeds: 20, baseSeed: 'one' };
  assert.deepEqual(
    gapVsHorizon({ ...spec, algorithm: 'dagger' }).rows.map((r) => r.mean),
    gapVsHorizon(spec).rows.map((r) => r.mean),
  );
});

test('with full coverage every available learner reaches gap 0 (deterministic chain: one trajectory covers every (h, s))', () => {
  const env = chain({ nS: 6, nA: 3, H: 10 });
  for (const name of ALGORITHM_NAMES) {
    const learn = IMITATION_ALGORITHMS[name].learn;
    if (!learn) continue;
    for (const N of [1, 2, 9]) {
      const data = sampleTrajectories(env.mdp, env.expert, N, `full-${N}`);
      const gap = policyValue(env.mdp, env.expert) - policyValue(env.mdp, learn(env.mdp, env.expert, data, `s-${N}`, {}));
      if (name === 'mce-irl') assert.ok(gap >= 0 && gap <= softGapBound(env.mdp.reward), `${name}, N=${N}: ${gap}`);
      else assert.equal(gap, 0, `${name}, N=${N}`);
    }
  }
});

test('a DAgger sweep records its algorithm and claims neither a closed form nor BC’s instance bound', () => {
  const result = gapVsSamples({ env: { kind: 'reset-cliff', nS: 6, nA: 2, H: 4 }, H: 4, sampleSizes: [2, 6], seeds: 10, algorithm: 'dagger' });
  assert.equal(result.algorithm, 'dagger');
  assert.equal(result.closedFormFormula, undefined);
  assert.ok(result.rows.every((r) => r.closedForm === undefined && r.instanceBound === undefined && r.bound > 0));
  assert.match(result.description, /, DAgger \(per-step BC fits\), /);
  // A learner that fits no BC is not described as one (its sweep has a BC mode all the same).
  const gail = gapVsSamples({ env: { kind: 'reset-cliff', nS: 6, nA: 2, H: 4 }, H: 4, sampleSizes: [2], seeds: 2, algorithm: 'gail' });
  assert.match(gail.description, /, GAIL \(tabular\), H=4, /);
  assert.doesNotMatch(gail.description, /BC/);
  const table = formatSweepTable(result);
  assert.doesNotMatch(table, /closed form/);
  assert.match(formatSweepTable(gapVsSamples({ env: { kind: 'reset-cliff', nS: 6, nA: 2, H: 4 }, H: 4, sampleSizes: [2], seeds: 3 })), /closed form/);
});

test('every named learner runs in a sweep, and with full coverage (one start state, deterministic chain) each reaches gap 0', () => {
  const env = chain({ nS: 4, nA: 2, H: 6 });
  for (const name of ALGORITHM_NAMES) {
    const result = gapVsHorizonOn(env, { N: 2, horizons: [3, 6], seeds: 3, algorithm: name });
    assert.equal(result.algorithm, name);
    const within = name === 'mce-irl' ? softGapBound(env.mdp.reward) : 1e-9;
    for (const row of result.rows) assert.ok(Math.abs(row.mean) < within, `${name} at H = ${row.x}: ${row.mean}`);
  }
  assert.throws(() => learnerOf('ppo'), /unknown imitation algorithm "ppo"; use one of bc, dagger, tv-ail, gail, mimic-md, tv-ail-ogd, mce-irl/);
});

test('on the Reset Cliff the distribution matchers (TV-AIL, MIMIC-MD, MCE-IRL) stay well below BC, which compounds', () => {
  const env = makeEnvironment({ kind: 'reset-cliff', nS: 6, nA: 2, H: 8 });
  const common = { N: 4, horizons: [8], seeds: 40, baseSeed: 'compare' } as const;
  const bcRow = gapVsHorizonOn(env, { ...common, algorithm: 'bc' }).rows[0];
  for (const name of ['tv-ail', 'mimic-md', 'mce-irl'] as const) {
    const row = gapVsHorizonOn(env, { ...common, algorithm: name }).rows[0];
    assert.ok(row.mean + 3 * row.se < bcRow.mean - 3 * bcRow.se, `${name}: ${row.mean} ± ${row.se} vs BC ${bcRow.mean} ± ${bcRow.se}`);
  }
});
