import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cellAt,
  columnRange,
  divergingT,
  formatTick,
  formatValue,
  labelStride,
  LOG_ZERO_GAP,
  logTicks,
  lutIndex,
  niceTicks,
  rangeLabel,
  rowRange,
  sequentialDomain,
  sequentialT,
} from '../../webview/components/scales';

test('linear sequential scale maps 0 to 0 and the maximum to 1, monotonically', () => {
  const domain = sequentialDomain([0, 0.1, 0.25, 0.5]);
  assert.equal(domain.max, 0.5);
  assert.equal(sequentialT(0, domain, 'linear'), 0);
  assert.equal(sequentialT(0.5, domain, 'linear'), 1);
  assert.equal(sequentialT(0.25, domain, 'linear'), 0.5);
  let last = -1;
  for (let v = 0; v <= 0.5; v += 0.01) {
    const t = sequentialT(v, domain, 'linear');
    assert.ok(t >= last);
    last = t;
  }
});

test('log scale keeps zero at the background and tiny positives just above it', () => {
  const domain = sequentialDomain([0, 1e-4, 0.01, 1]);
  assert.equal(domain.logFloor, 1e-4);
  assert.equal(sequentialT(0, domain, 'log'), 0);
  assert.equal(sequentialT(-1, domain, 'log'), 0);
  assert.equal(sequentialT(Number.NaN, domain, 'log'), 0);
  assert.equal(sequentialT(1e-4, domain, 'log'), LOG_ZERO_GAP);
  assert.equal(sequentialT(1, domain, 'log'), 1);
  assert.ok(Math.abs(sequentialT(0.01, domain, 'log') - (LOG_ZERO_GAP + (1 - LOG_ZERO_GAP) / 2)) < 1e-12);
  // Below the floor: clamped, never negative.
  assert.equal(sequentialT(1e-9, domain, 'log'), LOG_ZERO_GAP);
  let last = 0;
  for (const v of [1e-4, 3e-4, 1e-3, 0.02, 0.3, 1]) {
    const t = sequentialT(v, domain, 'log');
    assert.ok(t > last, `t(${v}) = ${t} should exceed ${last}`);
    last = t;
  }
});

test('the log floor ignores values below a millionth of the maximum, and all-zero data still has a domain', () => {
  assert.equal(sequentialDomain([1e-12, 1]).logFloor, 1e-6);
  const empty = sequentialDomain([0, 0, 0]);
  assert.equal(empty.max, 1);
  assert.equal(sequentialT(0, empty, 'log'), 0);
  const single = sequentialDomain([0, 0.3, 0]);
  assert.equal(sequentialT(0.3, single, 'log'), 1);
});

test('diverging scale is symmetric around zero', () => {
  const domain = sequentialDomain([0.2, 0.1], 0.2);
  assert.equal(divergingT(0, domain, 'linear'), 0);
  assert.equal(divergingT(0.2, domain, 'linear'), 1);
  assert.equal(divergingT(-0.2, domain, 'linear'), -1);
  assert.equal(divergingT(-0.1, domain, 'log'), -divergingT(0.1, domain, 'log'));
});

test('lookup indices cover the table ends and clamp outside [0, 1]', () => {
  assert.equal(lutIndex(0, 256), 0);
  assert.equal(lutIndex(1, 256), 255);
  assert.equal(lutIndex(-0.5, 256), 0);
  assert.equal(lutIndex(2, 256), 255);
  assert.equal(lutIndex(0.5, 3), 1);
});

test('nice ticks use 1, 2, 5 steps and stay inside the range', () => {
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0, 0.37, 4), [0, 0.1, 0.2, 0.3]);
  assert.deepEqual(niceTicks(0, 11, 3), [0, 5, 10]);
  assert.deepEqual(niceTicks(2, 2), [2]);
  assert.deepEqual(niceTicks(Number.NaN, 1), []);
});

test('log ticks are the powers of ten in range, thinned when there are many', () => {
  assert.deepEqual(logTicks(1e-3, 1), [1e-3, 1e-2, 1e-1, 1]);
  assert.deepEqual(logTicks(2e-3, 0.5), [1e-2, 1e-1]);
  assert.equal(logTicks(1e-12, 1, 6).length <= 7, true);
  assert.deepEqual(logTicks(0, 1), []);
});

test('tick and value formatting', () => {
  assert.equal(formatTick(0), '0');
  assert.equal(formatTick(0.5), '0.5');
  assert.equal(formatTick(0.12345), '0.123');
  assert.equal(formatTick(1e-4), '1e-4');
  assert.equal(formatTick(2.5e-6), '2.5e-6');
  assert.equal(formatTick(250000), '2.5e5');
  assert.equal(formatValue(0), '0');
  assert.equal(formatValue(0.123456789), '0.123457');
  assert.equal(formatValue(1 / 3), '0.333333');
});

test('binned columns and rows report the indices they cover', () => {
  assert.deepEqual(columnRange(0, 4, 10), [0, 3]);
  assert.deepEqual(columnRange(2, 4, 10), [8, 9]);
  assert.deepEqual(columnRange(5, 1, 10), [5, 5]);
  assert.deepEqual(rowRange(1, [1, 5, 9], 4, 10), [5, 8]);
  assert.deepEqual(rowRange(2, [1, 5, 9], 4, 10), [9, 10]);
  assert.equal(rangeLabel([3, 3]), '3');
  assert.equal(rangeLabel([3, 6]), '3–6');
});

test('label stride rounds up to 1, 2, 5 multiples so labels do not collide', () => {
  assert.equal(labelStride(20, 12), 1);
  assert.equal(labelStride(0.4, 40), 100);
  assert.equal(labelStride(3, 14), 5);
  assert.equal(labelStride(0, 10), 1);
});

test('the cell under the pointer', () => {
  assert.deepEqual(cellAt(0, 0, 100, 50, 2000, 500), { row: 0, col: 0 });
  assert.deepEqual(cellAt(99.99, 49.99, 100, 50, 2000, 500), { row: 499, col: 1999 });
  assert.deepEqual(cellAt(50, 25, 100, 50, 4, 2), { row: 1, col: 2 });
  assert.equal(cellAt(-1, 0, 100, 50, 4, 2), null);
  assert.equal(cellAt(100, 0, 100, 50, 4, 2), null);
});
