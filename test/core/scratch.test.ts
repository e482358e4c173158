import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scratch } from '../../src/core/scratch';

test('scratch is the same array while it is long enough, and grows at least twofold when not', () => {
  const scratch = new Scratch((n) => new Int32Array(n));
  const first = scratch.atLeast(10);
  assert.equal(first.length, 10);
  first[3] = 7;
  const again = scratch.atLeast(4);
  assert.equal(again, first, 'a shorter request reuses the array');
  assert.equal(again[3], 7, 'with what the last caller left in it');
  const grown = scratch.atLeast(11);
  assert.notEqual(grown, first);
  assert.equal(grown.length, 20);
  assert.ok(grown.every((x) => x === 0), 'a new array starts at zero');
  assert.equal(scratch.atLeast(50).length, 50);
});
