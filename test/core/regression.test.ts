import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitLine, logLogSlope, meanAndStandardError } from '../../src/core/regression';
import { CoreError } from '../../src/core/errors';

test('fitLine recovers an exact line', () => {
  const fit = fitLine([0, 1, 2, 3], [1, 3, 5, 7]);
  assert.ok(Math.abs(fit.slope - 2) < 1e-12 && Math.abs(fit.intercept - 1) < 1e-12);
});

test('logLogSlope recovers the exponent of a power law and skips non-positive values', () => {
  const xs = [1, 2, 4, 8, 16, 32];
  const ys = xs.map((x) => 3 * x ** 2);
  ys[5] = 0;
  const fit = logLogSlope(xs, ys, 1, 32);
  assert.ok(Math.abs(fit.slope - 2) < 1e-12);
  assert.equal(fit.n, 5);
  assert.equal(fit.to, 16);
});

test('meanAndStandardError uses the sample standard deviation', () => {
  const { mean, se } = meanAndStandardError([2, 4, 4, 4, 5, 5, 7, 9]);
  assert.equal(mean, 5);
  // sample variance = 32/7, se = sqrt(32/7/8)
  assert.ok(Math.abs(se - Math.sqrt(32 / 7 / 8)) < 1e-15);
});

test('degenerate fits are reported as CoreError', () => {
  assert.throws(() => fitLine([1], [1]), CoreError);
  assert.throws(() => fitLine([1, 1], [1, 2]), CoreError);
});
