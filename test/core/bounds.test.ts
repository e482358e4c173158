import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bcExplicitBound, bcInstanceBound, bcUpperBound, offlineLowerBound } from '../../src/core/bounds';
import { resetCliff, resetCliffExpectedGap, resetCliffUnseenMass } from '../../src/core/envs/resetCliff';
import { CoreError } from '../../src/core/errors';

test('the BC upper bound is min{H, |S|H²/N}, with log N for a stochastic expert', () => {
  assert.equal(bcUpperBound(10, 4, 100, 'deterministic').value, (10 * 16) / 100);
  assert.equal(bcUpperBound(10, 40, 100).value, 40);
  assert.ok(Math.abs(bcUpperBound(10, 4, 10000, 'stochastic').value - (10 * 16 * Math.log(10000)) / 10000) < 1e-12);
  assert.equal(bcUpperBound(10, 4, 100, 'stochastic').value, 4);
  assert.equal(bcUpperBound(10, 4, 100).formula, 'min{H, |S|H²/N}');
  assert.equal(offlineLowerBound(10, 4, 100).value, 1.6);
  assert.throws(() => bcUpperBound(0, 4, 100), CoreError);
  assert.throws(() => bcUpperBound(3, 4, 0.5), CoreError);
});

test('on the Reset Cliff the instance bound is c·μ·H(H+1)/2 and lies above the exact expected gap', () => {
  for (const [nS, nA, H, N] of [
    [11, 2, 16, 40],
    [6, 3, 8, 4],
    [30, 4, 50, 200],
  ]) {
    const { mdp, expert } = resetCliff({ nS, nA, H });
    const mu = resetCliffUnseenMass(mdp.rho, N);
    const c = 1 - 1 / nA;
    const expected = Math.min(H, (c * mu * H * (H + 1)) / 2);
    const bound = bcInstanceBound(mdp, expert, N).value;
    assert.ok(Math.abs(bound - expected) < 1e-9 * Math.max(1, expected), `${bound} vs ${expected}`);
    assert.ok(resetCliffExpectedGap(nA, mdp.rho, N, H) <= bound + 1e-12);
    assert.ok(bound <= bcExplicitBound(nS, nA, H, N).value + 1e-12);
  }
});
