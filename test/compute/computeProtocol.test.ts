import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isComputeRequest, isComputeResponse } from '../../src/shared/protocol';

const good = {
  id: 3,
  type: 'gap-vs-H',
  spec: { env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 }, N: 40, horizons: [1, 2, 4], seeds: 10, slopeRange: [1, 4], baseSeed: 'x' },
};

test('a well-formed sweep request is accepted', () => {
  assert.equal(isComputeRequest(good), true);
  assert.equal(isComputeRequest({ ...good, spec: { ...good.spec, env: { kind: 'garnet', nS: 5, nA: 2, H: 3, branching: 2, seed: 1 } } }), true);
  assert.equal(isComputeRequest({ ...good, spec: { ...good.spec, algorithm: 'dagger', env: { kind: 'reset-cliff-recovery', nS: 11, nA: 4, H: 1, rho: 'lower-bound' } } }), true);
  assert.equal(isComputeRequest({ ...good, spec: { ...good.spec, algorithm: 'mimic-md' } }), true);
  assert.equal(isComputeRequest({ ...good, spec: { ...good.spec, algorithm: 'ppo' } }), false);
});

test('every malformed field is rejected', () => {
  const spec = good.spec;
  const bad: unknown[] = [
    null,
    'gap-vs-H',
    { ...good, id: 0 },
    { ...good, id: 1.5 },
    { ...good, type: 'eval' },
    { ...good, spec: null },
    { ...good, spec: { ...spec, N: 0 } },
    { ...good, spec: { ...spec, seeds: -1 } },
    { ...good, spec: { ...spec, horizons: [] } },
    { ...good, spec: { ...spec, horizons: [1, 'x'] } },
    { ...good, spec: { ...spec, mode: 'other' } },
    { ...good, spec: { ...spec, algorithm: 'ppo' } },
    { ...good, spec: { ...spec, algorithm: 3 } },
    { ...good, spec: { ...spec, env: { kind: 'reset-cliff-recovery', nS: 11, nA: 2 } } },
    { ...good, spec: { ...spec, slopeRange: [1] } },
    { ...good, spec: { ...spec, baseSeed: {} } },
    { ...good, spec: { ...spec, env: { kind: 'reset-cliff', nS: 11, nA: 2 } } },
    { ...good, spec: { ...spec, env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1, rho: [0.5] } } },
    { ...good, spec: { ...spec, env: { kind: 'unknown' } } },
    { ...good, spec: { ...spec, env: { kind: 'gridworld', map: 7, H: 2 } } },
  ];
  bad.forEach((message, i) => assert.equal(isComputeRequest(message), false, `case ${i}`));
});

test('responses are checked too', () => {
  assert.equal(isComputeResponse({ id: 2, type: 'progress', done: 1, total: 4 }), true);
  assert.equal(isComputeResponse({ id: 0, type: 'error', message: 'x', code: 'protocol' }), true);
  assert.equal(isComputeResponse({ id: 2, type: 'result', result: {} }), false);
  assert.equal(isComputeResponse({ id: -1, type: 'progress', done: 1, total: 4 }), false);
});
