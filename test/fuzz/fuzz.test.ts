// The fuzz suites inside `npm test`: a few hundred cases each from a fixed seed, so that a failure is
// reproducible and the run is the same every time. `npm run fuzz` runs many more from any seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatStats, runSuite } from './runner';
import { SUITES } from './suites';

for (const suite of SUITES) {
  test(`fuzz: ${suite.name} keeps its invariants (300 cases, seed 16)`, () => {
    const stats = runSuite(suite, { numRuns: 300, seed: 16 });
    assert.equal(stats.failure, undefined, formatStats(stats));
    assert.equal(stats.cases, 300);
  });
}
