import { test } from 'node:test';
import assert from 'node:assert/strict';
import { behavioralCloning } from '../../src/core/bc';
import { datasetFromTrajectories } from '../../src/core/dataset';
import { makeEnvironment } from '../../src/core/envs';
import { resetCliffRho } from '../../src/core/envs/resetCliff';
import { resetCliffRecovery, resetCliffRecoveryExpectedGap } from '../../src/core/envs/resetCliffRecovery';
import { policyValue, visitation } from '../../src/core/evaluation';
import { gapVsHorizon, planGapVsHorizon, sweepPointSlice } from '../../src/core/experiments';
import { meanAndStandardError } from '../../src/core/regression';

test('the expert never leaves the good states: d^E_h = ρ and V(π^E) = H exactly', () => {
  for (const H of [1, 5, 40]) {
    const { mdp, expert } = resetCliffRecovery({ nS: 7, nA: 3, H });
    assert.ok(Math.abs(policyValue(mdp, expert) - H) < 1e-12);
    const v = visitation(mdp, expert);
    for (let h = 0; h < H; h++) for (let s = 0; s < 7; s++) assert.ok(Math.abs(v.dS![h * 7 + s] - (s < 6 ? 1 / 6 : 0)) < 1e-12);
  }
  assert.equal(makeEnvironment({ kind: 'reset-cliff-recovery', nS: 4, nA: 2, H: 3 }).mdp.stateNames?.[3], 'recover');
  assert.throws(() => resetCliffRecovery({ nS: 1, nA: 2, H: 3 }), /\|S\| ≥ 2/);
});

test('a mistake is recoverable: the uniform policy earns reward forever, unlike on the Reset Cliff', () => {
  // Two states (g, r), |A| = 2, uniform policy, start in g: P(g at h+1) = P(g at h)/2 + P(r at h)/2 = 1/2
  // for h ≥ 1, and the reward at h is P(g at h)/2, so V = 1/2 + (H − 1)/4 (the Reset Cliff's is 1 − 2^−H).
  const { mdp } = resetCliffRecovery({ nS: 2, nA: 2, H: 6 });
  const uniform = behavioralCloning(datasetFromTrajectories(2, 2, 6, []));
  assert.ok(Math.abs(policyValue(mdp, uniform) - (0.5 + 5 / 4)) < 1e-12);
});

test('the closed form equals brute-force enumeration of every dataset (|S| = 3, ρ = (0.7, 0.3), N = 2, H = 3)', () => {
  const nS = 3;
  const nA = 2;
  const H = 3;
  const N = 2;
  const rho = [0.7, 0.3];
  const { mdp } = resetCliffRecovery({ nS, nA, H, rho });
  let expectedValue = 0;
  for (let code = 0; code < 2 ** (N * H); code++) {
    let p = 1;
    const trajectories: [number, number][][] = Array.from({ length: N }, () => []);
    for (let i = 0; i < N; i++) {
      for (let h = 0; h < H; h++) {
        const s = (code >> (i * H + h)) & 1;
        p *= rho[s];
        trajectories[i].push([s, 0]);
      }
    }
    expectedValue += p * policyValue(mdp, behavioralCloning(datasetFromTrajectories(nS, nA, H, trajectories)));
  }
  assert.ok(Math.abs(H - expectedValue - resetCliffRecoveryExpectedGap(nA, resetCliffRho(nS, rho), N, H)) < 1e-12);
});

test('sweeps of per-step BC follow the closed form within 3.5 s.e.', () => {
  const result = gapVsHorizon({ env: { kind: 'reset-cliff-recovery', nS: 11, nA: 4, H: 1 }, N: 20, horizons: [4, 16, 64], seeds: 300, baseSeed: 'recovery-bc' });
  assert.ok(result.closedFormFormula?.includes('g_{h+1}'));
  for (const row of result.rows) assert.ok(Math.abs(row.mean - row.closedForm!) <= 3.5 * row.se, `H=${row.x}: ${row.mean} ± ${row.se} vs ${row.closedForm}`);
});

test("DAgger's gap is smaller than BC's on the same datasets (paired, by more than 4 s.e. of the difference)", () => {
  const spec = { env: { kind: 'reset-cliff-recovery' as const, nS: 11, nA: 8, H: 1 }, N: 40, horizons: [32], seeds: 300, baseSeed: 'recovery-dagger' };
  const bc = sweepPointSlice(planGapVsHorizon(spec).points[0], 0, 300);
  const dagger = sweepPointSlice(planGapVsHorizon({ ...spec, algorithm: 'dagger' }).points[0], 0, 300);
  const diff = meanAndStandardError(bc.map((g, i) => g - dagger[i]));
  assert.ok(diff.mean > 4 * diff.se, `BC − DAgger = ${diff.mean} ± ${diff.se}`);
  // The predicted sizes (docs/algorithms.md): BC ≈ its closed form, DAgger a fraction of it.
  const closed = resetCliffRecoveryExpectedGap(8, resetCliffRho(11), 40, 32);
  const bcMean = meanAndStandardError(bc);
  assert.ok(Math.abs(bcMean.mean - closed) <= 3.5 * bcMean.se, `BC ${bcMean.mean} ± ${bcMean.se} vs ${closed}`);
});
