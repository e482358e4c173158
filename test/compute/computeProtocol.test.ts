import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGapVsHorizonSpec } from '../../src/compute/computeProtocol';

const good = {
  spec: { env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 }, N: 40, horizons: [1, 2, 4], seeds: 10, slopeRange: [1, 4], baseSeed: 'x' },
};
const isComputeRequest = (x: unknown) => isGapVsHorizonSpec((x as { spec?: unknown } | null)?.spec);

test('a well-formed sweep request is accepted', () => {
  assert.equal(isComputeRequest(good), true);
  assert.equal(isComputeRequest({ ...good, spec: { ...good.spec, env: { kind: 'garnet', nS: 5, nA: 2, H: 3, branching: 2, seed: 1 } } }), true);
  assert.equal(isComputeRequest({ ...good, spec: { ...good.spec, algorithm: 'dagger', env: { kind: 'reset-cliff-recovery', nS: 11, nA: 4, H: 1, rho: 'lower-bound' } } }), true);
  assert.equal(isComputeRequest({ ...good, spec: { ...good.spec, algorithm: 'mimic-md' } }), true);
  assert.equal(isComputeRequest({ ...good, spec: { ...good.spec, algorithm: 'mce-irl' } }), true);
  assert.equal(isComputeRequest({ ...good, spec: { ...good.spec, algorithm: 'ppo' } }), false);
});

test('every malformed field is rejected', () => {
  const spec = good.spec;
  const bad: unknown[] = [
    null,
    'gap-vs-H',
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
