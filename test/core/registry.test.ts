import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreError } from '../../src/core/errors';
import {
  ENVIRONMENT_KINDS,
  ENVIRONMENTS,
  isEnvironmentSpec,
  isResetCliffExpert,
  makeEnvironment,
  resetCliff,
  specAt,
  withDefaults,
  type EnvironmentEntry,
  type EnvironmentSpec,
} from '../../src/core/envs';
import { deterministicPolicy } from '../../src/core/policy';

const GOOD: readonly EnvironmentSpec[] = [
  { kind: 'reset-cliff', nS: 11, nA: 2, H: 4 },
  { kind: 'reset-cliff', nS: 11, nA: 2, H: 4, rho: 'lower-bound', N: 9 },
  { kind: 'reset-cliff-recovery', nS: 3, nA: 4, H: 1, rho: 'uniform' },
  { kind: 'chain', nS: 5, nA: 2, H: 8, slip: 0.1 },
  { kind: 'gridworld', map: 'S.#\n..G', H: 6 },
  { kind: 'gridworld', map: ['S.#', '..G'], H: 6, slip: 0 },
  { kind: 'garnet', nS: 6, nA: 3, H: 2, branching: 2, seed: 'x' },
  { kind: 'garnet', nS: 6, nA: 3, H: 2, branching: 2, seed: 4 },
];

test('the registry guard accepts well-formed specs of every kind', () => {
  for (const spec of GOOD) assert.ok(isEnvironmentSpec(spec), JSON.stringify(spec));
  assert.deepEqual(new Set(GOOD.map((s) => s.kind)), new Set(ENVIRONMENT_KINDS));
});

test('the registry guard rejects wrong types, missing required parameters and unknown kinds', () => {
  const bad: unknown[] = [
    null,
    'reset-cliff',
    [{ kind: 'chain', nS: 5, nA: 2, H: 8 }],
    { nS: 5, nA: 2, H: 8 },
    { kind: 'cliff', nS: 5, nA: 2, H: 8 },
    { kind: 'toString', nS: 5, nA: 2, H: 8 },
    { kind: 'reset-cliff', nS: 11, nA: 2 },
    { kind: 'reset-cliff', nS: '11', nA: 2, H: 4 },
    { kind: 'reset-cliff', nS: 11, nA: 2, H: 4.5 },
    { kind: 'reset-cliff', nS: 1, nA: 2, H: 4 },
    { kind: 'reset-cliff', nS: 11, nA: 2, H: 4, rho: 'skewed' },
    { kind: 'reset-cliff', nS: 11, nA: 2, H: 4, rho: [0.5, 0.5] },
    { kind: 'reset-cliff-recovery', nS: 11, nA: 2, H: 4, N: 0 },
    { kind: 'chain', nS: 5, nA: 2, H: 8, slip: 1.5 },
    { kind: 'chain', nS: 5, nA: 2, H: 8, slip: '0.1' },
    { kind: 'gridworld', H: 6 },
    { kind: 'gridworld', map: 7, H: 6 },
    { kind: 'gridworld', map: ['S.', 3], H: 6 },
    { kind: 'garnet', nS: 6, nA: 3, H: 2, branching: 2 },
    { kind: 'garnet', nS: 6, nA: 3, H: 2, branching: 0, seed: 1 },
    { kind: 'garnet', nS: 6, nA: 3, H: 2, branching: 2, seed: { s: 1 } },
  ];
  for (const x of bad) assert.equal(isEnvironmentSpec(x), false, JSON.stringify(x));
});

test("a parameter's default is the constructor's own: the constructor given nothing builds what it builds given the default", () => {
  let checked = 0;
  for (const spec of GOOD) {
    const entry = ENVIRONMENTS[spec.kind] as EnvironmentEntry;
    const defaulted = entry.parameters.filter((p) => p.default !== undefined).map((p): string => p.field);
    const bare = Object.fromEntries(Object.entries(spec).filter(([k]) => !defaulted.includes(k))) as EnvironmentSpec;
    if (defaulted.length === 0 || (bare.kind === 'reset-cliff' && bare.N !== undefined)) continue;
    const [x, y] = [entry.make(bare).mdp, entry.make(withDefaults(bare)).mdp];
    assert.deepEqual([x.rho, x.reward, x.transitions], [y.rho, y.reward, y.transitions], JSON.stringify(bare));
    checked++;
  }
  assert.equal(checked, 5);
  assert.deepEqual(withDefaults({ kind: 'chain', nS: 5, nA: 2, H: 3 }), { kind: 'chain', nS: 5, nA: 2, H: 3, slip: 0 });
});

test('makeEnvironment dispatches through the registry and says what it built: the spec and its own expert', () => {
  for (const spec of GOOD) {
    const env = makeEnvironment(spec);
    assert.deepEqual(env.generator!.spec, withDefaults(spec));
    assert.equal(env.generator!.expert, env.expert);
    assert.equal(env.mdp.H, spec.H);
  }
  assert.throws(() => makeEnvironment({ kind: 'hasOwnProperty' } as never), CoreError);
});

test('only the lower-bound ρ makes the instance depend on N', () => {
  assert.deepEqual(specAt({ kind: 'reset-cliff', nS: 5, nA: 2, H: 1, rho: 'lower-bound', N: 3 }, 7, 40), { kind: 'reset-cliff', nS: 5, nA: 2, H: 7, rho: 'lower-bound', N: 40 });
  assert.deepEqual(specAt({ kind: 'reset-cliff-recovery', nS: 5, nA: 2, H: 1, rho: 'uniform' }, 7, 40), { kind: 'reset-cliff-recovery', nS: 5, nA: 2, H: 7, rho: 'uniform' });
  assert.deepEqual(specAt({ kind: 'garnet', nS: 5, nA: 2, H: 1, branching: 2, seed: 1 }, 3, 40), { kind: 'garnet', nS: 5, nA: 2, H: 3, branching: 2, seed: 1 });
});

test('the Reset Cliff closed forms hold for the expert that plays action 0 on every good state, whatever it does in the last state', () => {
  const expert = resetCliff({ nS: 4, nA: 3, H: 2 }).expert;
  assert.ok(isResetCliffExpert(expert));
  assert.ok(isResetCliffExpert(deterministicPolicy(4, 3, 2, [0, 0, 0, 2, 0, 0, 0, 1])), 'per-step, other actions in the last state');
  assert.equal(isResetCliffExpert(deterministicPolicy(4, 3, 2, [0, 0, 0, 0, 0, 1, 0, 0])), false, 'a mistake at step 2');
  assert.ok(ENVIRONMENTS['reset-cliff'].closedForm && ENVIRONMENTS['reset-cliff-recovery'].closedForm);
  assert.equal(ENVIRONMENTS.chain.closedForm, undefined);
});
