import { test } from 'node:test';
import assert from 'node:assert/strict';
import { policyValue, visitation } from '../../src/core/evaluation';
import {
  resetCliff,
  resetCliffExpectedGap,
  resetCliffRho,
  resetCliffUnseenMass,
} from '../../src/core/envs/resetCliff';
import { gapVsHorizon } from '../../src/core/experiments';
import { logLogSlope } from '../../src/core/regression';

// Values listed in docs/theory.md §5 (|S| = 11, uniform ρ on 10 good states, |A| = 2, N = 40).
const LISTED: [number, number, number][] = [
  [1, 0.0074, 1e-4],
  [2, 0.0221, 1e-4],
  [4, 0.0734, 1e-4],
  [8, 0.2615, 1e-4],
  [16, 0.9689, 1e-4],
  [32, 3.62, 1e-3],
  [64, 13.24, 1e-2],
  [128, 45.66, 1e-2],
];

test('the closed form reproduces the values listed in docs/theory.md §5', () => {
  const rho = resetCliffRho(11);
  assert.ok(Math.abs(resetCliffUnseenMass(rho, 40) - 0.9 ** 40) < 1e-15);
  for (const [H, listed, tolerance] of LISTED) {
    const gap = resetCliffExpectedGap(2, rho, 40, H);
    assert.ok(Math.abs(gap - listed) <= tolerance / 2 + 1e-12, `H=${H}: ${gap} vs ${listed}`);
  }
});

test('the closed form reproduces the two small instances of docs/theory.md §5', () => {
  // μ is exact; the listed gaps (5.545470, 2.403490) agree with H − Σ(1 − cμ)^h to about 3e-6, the
  // precision they were printed with (the exact values are 5.5454692… and 2.4034927…).
  assert.ok(Math.abs(resetCliffUnseenMass(resetCliffRho(6), 4) - 0.4096) < 1e-12);
  assert.ok(Math.abs(resetCliffExpectedGap(3, resetCliffRho(6), 4, 8) - 5.54547) < 5e-6);
  assert.ok(Math.abs(resetCliffUnseenMass(resetCliffRho(5), 3) - 0.421875) < 1e-12);
  assert.ok(Math.abs(resetCliffExpectedGap(2, resetCliffRho(5), 3, 5) - 2.40349) < 5e-6);
  // Independent evaluation of the closed form's sum by the geometric-series formula.
  const keep = 1 - (2 / 3) * 0.4096;
  assert.ok(Math.abs(resetCliffExpectedGap(3, resetCliffRho(6), 4, 8) - (8 - (keep * (1 - keep ** 8)) / (1 - keep))) < 1e-12);
});

test('the expert never leaves the good states: V(π^E) = H and d_h = ρ at every step', () => {
  for (const rho of ['uniform', 'lower-bound'] as const) {
    const { mdp, expert } = resetCliff({ nS: 9, nA: 3, H: 13, rho, N: 20 });
    assert.ok(Math.abs(policyValue(mdp, expert) - 13) < 1e-12);
    const { dS } = visitation(mdp, expert);
    for (let h = 0; h < 13; h++) {
      for (let s = 0; s < 9; s++) assert.ok(Math.abs(dS![h * 9 + s] - mdp.rho[s]) < 1e-12);
    }
  }
});

test('the lower-bound ρ puts 1/(N+1) on |S|−2 good states and the rest on the last', () => {
  const rho = resetCliffRho(10, 'lower-bound', 30);
  for (let s = 0; s < 8; s++) assert.equal(rho[s], 1 / 31);
  assert.ok(Math.abs(rho[8] - (1 - 8 / 31)) < 1e-15);
  assert.equal(rho[9], 0);
  assert.throws(() => resetCliffRho(10, 'lower-bound', 5), /N \+ 1 ≥ \|S\| − 2/);
});

test('per-step BC: Monte Carlo mean gap over 400 seeds is within 3 s.e. of the closed form, H = 1 … 64', () => {
  const horizons = [1, 2, 4, 8, 16, 32, 64];
  const result = gapVsHorizon({ env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 }, N: 40, horizons, seeds: 400, baseSeed: 'theory' });
  for (const row of result.rows) {
    const expected = resetCliffExpectedGap(2, resetCliffRho(11), 40, row.x);
    assert.equal(row.seeds, 400);
    assert.ok(row.se > 0, `H=${row.x}: a zero standard error means no dataset missed a state`);
    assert.ok(Math.abs(row.mean - expected) <= 3 * row.se, `H=${row.x}: mean ${row.mean} ± ${row.se} vs ${expected}`);
    assert.ok(Math.abs((row.closedForm ?? NaN) - expected) < 1e-12);
  }
});

test('compounding errors: gap vs H has log-log slope ≈ 2 (theory: 1.76 over H ∈ [1, 16], 1.86 over [4, 16])', () => {
  // gap ≈ cμ·H(H+1)/2 while cμH ≪ 1: the H(H+1) curvature makes the least-squares slope over {1, 2, 4, 8,
  // 16} 1.763 in closed form, and 1.862 over {4, 8, 16}, where H(H+1) ≈ H². The Monte Carlo slopes must
  // match the closed form's (computed here independently) within sampling error.
  const horizons = [1, 2, 4, 8, 16];
  const result = gapVsHorizon({ env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 }, N: 40, horizons, seeds: 1600, slopeRange: [1, 16], baseSeed: 'slope' });
  const closedSlope = (hs: number[]) => {
    const xs = hs.map(Math.log);
    const ys = hs.map((H) => Math.log(resetCliffExpectedGap(2, resetCliffRho(11), 40, H)));
    const mx = xs.reduce((a, b) => a + b) / xs.length;
    const my = ys.reduce((a, b) => a + b) / ys.length;
    return xs.reduce((acc, x, i) => acc + (x - mx) * (ys[i] - my), 0) / xs.reduce((acc, x) => acc + (x - mx) ** 2, 0);
  };
  const theoryAll = closedSlope(horizons);
  const theoryUpper = closedSlope([4, 8, 16]);
  assert.ok(Math.abs(theoryAll - 1.763) < 1e-3, `closed-form slope ${theoryAll}`);
  assert.ok(theoryUpper >= 1.8 && theoryUpper <= 2.2, `closed-form slope over [4, 16] ${theoryUpper}`);
  const measured = result.slope!.slope;
  assert.ok(Math.abs(measured - theoryAll) < 0.1, `slope over [1, 16] ${measured} vs ${theoryAll}`);
  const upper = logLogSlope(result.rows.map((r) => r.x), result.rows.map((r) => r.mean), 4, 16).slope;
  assert.ok(upper >= 1.8 && upper <= 2.2, `slope over [4, 16] ${upper}`);
});
