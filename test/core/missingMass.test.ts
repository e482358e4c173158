import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingMassBound, missingMassTightBound } from '../../src/core/bounds';
import { coverage, datasetFromTrajectories, expectedMissingMass, missingMass } from '../../src/core/dataset';
import { garnet } from '../../src/core/envs';
import { visitation } from '../../src/core/evaluation';
import { sampleTrajectories } from '../../src/core/sampling';

test('E[M(D)] over 400 datasets is within 3 s.e. of Σ_h Σ_s d_h(s)(1 − d_h(s))^N and below |S|H/(eN) ≤ 4|S|H/(9N)', () => {
  const { mdp, expert } = garnet({ nS: 25, nA: 3, H: 8, branching: 3, seed: 'mm' });
  const N = 10;
  // The expectation computed here from the stored visitation table, independently of expectedMissingMass.
  const { dS } = visitation(mdp, expert);
  let expected = 0;
  for (const p of dS!) expected += p * (1 - p) ** N;
  assert.ok(Math.abs(expectedMissingMass(mdp, expert, N) - expected) < 1e-12);
  const seeds = 400;
  const values = new Float64Array(seeds);
  for (let i = 0; i < seeds; i++) values[i] = missingMass(mdp, expert, sampleTrajectories(mdp, expert, N, `mm-${i}`)).total;
  const mean = values.reduce((a, b) => a + b) / seeds;
  const se = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (seeds - 1) / seeds);
  assert.ok(Math.abs(mean - expected) <= 3 * se, `${mean} ± ${se} vs ${expected}`);
  const { nS, H } = mdp;
  assert.ok(expected <= (nS * H) / (Math.E * N));
  assert.ok((nS * H) / (Math.E * N) <= missingMassBound(nS, H, N).value);
  assert.equal(missingMassBound(nS, H, N).value, (4 * nS * H) / (9 * N));
});

test('max_p p(1 − p)^N matches the values listed in docs/theory.md §3', () => {
  const listed: [number, number][] = [
    [1, 0.25],
    [2, 0.148148],
    [5, 0.0669796],
    [10, 0.0350494],
    [100, 0.00366051],
  ];
  for (const [N, value] of listed) {
    const tight = missingMassTightBound(1, 1, N).value;
    assert.ok(Math.abs(tight - value) < 5e-7 * Math.max(1, value * 10), `N=${N}: ${tight} vs ${value}`);
    assert.ok(tight <= 1 / (Math.E * N) && tight <= 4 / (9 * N));
  }
});

test('missing mass of an explicit dataset is the expert mass of the unseen (h, s)', () => {
  const { mdp, expert } = garnet({ nS: 4, nA: 2, H: 2, branching: 2, seed: 1 });
  const { dS } = visitation(mdp, expert);
  const data = datasetFromTrajectories(4, 2, 2, [
    [
      [0, 0],
      [1, 1],
    ],
    [
      [0, 1],
      [3, 0],
    ],
  ]);
  // Step 1 saw {0}; step 2 saw {1, 3}.
  const expected = dS![1] + dS![2] + dS![3] + dS![4] + dS![6];
  const m = missingMass(mdp, expert, data);
  assert.ok(Math.abs(m.total - expected) < 1e-15);
  assert.deepEqual(Array.from(coverage(data)), [1, 2]);
});
