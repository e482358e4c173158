import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resetCliffExpectedGap, resetCliffRho } from '../../src/core/envs/resetCliff';
import { CoreError } from '../../src/core/errors';
import { gapVsHorizon, gapVsHorizonOn, gapVsSamples, gapVsSamplesOn, policyWithHorizon } from '../../src/core/experiments';
import { resetCliff } from '../../src/core/envs/resetCliff';
import { makeEnvironment } from '../../src/core/envs';
import { deterministicPolicy } from '../../src/core/policy';
import { formatSweepTable } from '../../src/shared/viewText';

test('gap vs N on the Reset Cliff follows the closed form within 3 s.e.', () => {
  const result = gapVsSamples({ env: { kind: 'reset-cliff', nS: 8, nA: 2, H: 10 }, H: 10, sampleSizes: [5, 10, 20], seeds: 400 });
  for (const row of result.rows) {
    const expected = resetCliffExpectedGap(2, resetCliffRho(8), row.x, 10);
    assert.ok(Math.abs(row.mean - expected) <= 3 * row.se, `N=${row.x}: ${row.mean} ± ${row.se} vs ${expected}`);
  }
});

test('on the lower-bound instance the gap falls like 1/N (log-log slope near −1)', () => {
  // μ = (|S|−2)/(N+1)·(1 − 1/(N+1))^N + ρ_last(1 − ρ_last)^N ≈ (|S|−2)/(e(N+1)): the closed form's own slope
  // between N = 100 and 1600 is computed here independently of the sweep.
  const nS = 12;
  const H = 4;
  const sizes = [100, 200, 400, 800, 1600];
  const closed = sizes.map((N) => resetCliffExpectedGap(2, resetCliffRho(nS, 'lower-bound', N), N, H));
  const theorySlope = Math.log(closed[4] / closed[0]) / Math.log(16);
  assert.ok(theorySlope < -0.9 && theorySlope > -1.1, `closed-form slope ${theorySlope}`);
  const result = gapVsSamples({ env: { kind: 'reset-cliff', nS, nA: 2, H, rho: 'lower-bound' }, H, sampleSizes: sizes, seeds: 200 });
  result.rows.forEach((row, i) => {
    assert.ok(Math.abs(row.mean - closed[i]) <= 3.5 * row.se, `N=${row.x}: ${row.mean} ± ${row.se} vs ${closed[i]}`);
  });
  assert.ok(result.slope!.slope < -0.7 && result.slope!.slope > -1.3, `fitted slope ${result.slope!.slope}`);
});

test('a sweep is reproducible from its seeds and reports progress and cancellation', () => {
  const spec = { env: { kind: 'reset-cliff', nS: 5, nA: 2, H: 1 } as const, N: 3, horizons: [2, 3], seeds: 10, baseSeed: 'x' };
  const seen: number[] = [];
  const a = gapVsHorizon(spec, { onProgress: (done, total) => seen.push(done / total) });
  const b = gapVsHorizon(spec);
  assert.deepEqual(a.rows, b.rows);
  // Per seed, or per pair of seeds where two datasets are drawn together: 20 seeds in all.
  assert.ok(seen.length >= 10 && seen.length <= 20, `${seen.length} progress reports`);
  assert.ok(seen.every((x, i) => i === 0 || x > seen[i - 1]), 'progress only grows');
  assert.equal(seen.at(-1), 1);
  assert.throws(() => gapVsHorizon(spec, { signal: { aborted: true } }), (e: unknown) => e instanceof CoreError && e.code === 'cancelled');
});

test('pooled BC has no closed form; the table still prints every row', () => {
  const result = gapVsHorizon({ env: { kind: 'reset-cliff', nS: 5, nA: 2, H: 1 }, N: 3, horizons: [1, 2, 4], seeds: 20, mode: 'pooled' });
  assert.equal(result.closedFormFormula, undefined);
  assert.ok(result.rows.every((r) => r.closedForm === undefined));
  const table = formatSweepTable(result);
  assert.equal(table.split('\n').filter((l) => /^\s*[124]\s/.test(l)).length, 3);
});

test('bad sweep parameters are CoreErrors', () => {
  const env = { kind: 'reset-cliff', nS: 5, nA: 2, H: 1 } as const;
  assert.throws(() => gapVsHorizon({ env, N: 0, horizons: [1], seeds: 1 }), CoreError);
  assert.throws(() => gapVsHorizon({ env, N: 3, horizons: [], seeds: 1 }), CoreError);
  assert.throws(() => gapVsHorizon({ env, N: 3, horizons: [1.5], seeds: 1 }), CoreError);
  assert.throws(() => gapVsSamples({ env, H: 2, sampleSizes: [3], seeds: 0 }), CoreError);
});

test('sweeps on a given MDP and expert reproduce the built-in sweep on the same environment, seed for seed', () => {
  const spec = { N: 6, horizons: [1, 3, 5], seeds: 25, baseSeed: 'on' };
  const builtIn = gapVsHorizon({ ...spec, env: { kind: 'reset-cliff', nS: 7, nA: 3, H: 1, N: 6 } });
  const given = gapVsHorizonOn(resetCliff({ nS: 7, nA: 3, H: 1 }), spec);
  assert.deepEqual(given.rows.map((r) => r.mean), builtIn.rows.map((r) => r.mean));
  assert.ok(given.rows.every((r) => r.closedForm === undefined), 'no closed form is claimed for an arbitrary MDP');
  assert.equal(given.slope?.slope, builtIn.slope?.slope);
  const bySamples = gapVsSamplesOn(resetCliff({ nS: 7, nA: 3, H: 4 }), { sampleSizes: [2, 8], seeds: 20, baseSeed: 'n' });
  assert.deepEqual(bySamples.rows.map((r) => r.x), [2, 8]);
  assert.ok(bySamples.rows[0].mean >= bySamples.rows[1].mean, 'more data, smaller gap (on average, here by a wide margin)');
  const perStep = deterministicPolicy(2, 2, 3, [0, 1, 1, 0, 0, 0]);
  assert.equal(policyWithHorizon(perStep, 2).H, 2);
  assert.throws(() => policyWithHorizon(perStep, 4), /needs a stationary expert/);
});

test('a sweep on a generated environment is the built-in sweep on its spec, each point its own instance, unless its expert was replaced', () => {
  const spec = { kind: 'reset-cliff', nS: 6, nA: 2, H: 3, rho: 'lower-bound', N: 10 } as const;
  const options = { seeds: 20, baseSeed: 'gen' };
  const byN = gapVsSamplesOn(makeEnvironment(spec), { ...options, sampleSizes: [4, 40] });
  assert.deepEqual(byN, gapVsSamples({ ...options, env: spec, H: 3, sampleSizes: [4, 40] }));
  assert.ok(byN.rows.every((r) => r.closedForm !== undefined));
  const byH = gapVsHorizonOn(makeEnvironment(spec), { ...options, N: 10, horizons: [1, 5] });
  assert.deepEqual(byH, gapVsHorizon({ ...options, env: spec, N: 10, horizons: [1, 5] }));
  // The chain's expert is optimal for each H: built for each point, so a sweep past the environment's own H works.
  const chainSpec = { kind: 'chain', nS: 4, nA: 2, H: 2, slip: 0.1 } as const;
  assert.deepEqual(gapVsHorizonOn(makeEnvironment(chainSpec), { ...options, N: 3, horizons: [2, 9] }).rows, gapVsHorizon({ ...options, env: chainSpec, N: 3, horizons: [2, 9] }).rows);
  // Another expert on the same MDP is the one swept (carried to each H), and the closed form is not claimed for it.
  const cliff = makeEnvironment({ kind: 'reset-cliff', nS: 4, nA: 2, H: 3 });
  const clumsy = deterministicPolicy(4, 2, 3, [1, 0, 0, 0]);
  const other = gapVsHorizonOn({ ...cliff, expert: clumsy }, { ...options, N: 5, horizons: [2, 6] });
  assert.ok(other.rows.every((r) => r.closedForm === undefined));
  // It falls off the cliff in g1: other gaps than the cliff expert's.
  assert.notDeepEqual(other.rows.map((r) => r.mean), gapVsHorizonOn(cliff, { ...options, N: 5, horizons: [2, 6] }).rows.map((r) => r.mean));
});
