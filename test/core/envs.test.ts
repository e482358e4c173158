import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chain, garnet, gridworld, makeEnvironment } from '../../src/core/envs';
import { CoreError } from '../../src/core/errors';
import { policyValue } from '../../src/core/evaluation';
import { deterministicPolicy } from '../../src/core/policy';
import { optimalPolicy } from '../../src/core/planning';
import { validateMDP } from '../../src/core/validate';
import { bruteForceValue, randomMdp } from './helpers/randomMdp';

test('optimalPolicy beats or ties every deterministic policy (brute force over all of them)', () => {
  for (let seed = 1; seed <= 5; seed++) {
    const m = randomMdp({ nS: 2, nA: 2, H: 3, seed });
    const { value, policy } = optimalPolicy(m.mdp);
    let best = -Infinity;
    for (let code = 0; code < 2 ** 6; code++) {
      const actions = Array.from({ length: 6 }, (_, i) => (code >> i) & 1);
      best = Math.max(best, bruteForceValue(m, (h, s, a) => (actions[h * 2 + s] === a ? 1 : 0)));
    }
    assert.ok(Math.abs(value - best) < 1e-12, `seed ${seed}: ${value} vs ${best}`);
    assert.ok(Math.abs(policyValue(m.mdp, policy) - value) < 1e-12);
  }
});

test('chain: the expert walks right and collects H − (|S| − 1) rewards', () => {
  const { mdp, expert } = chain({ nS: 5, nA: 2, H: 10 });
  assert.deepEqual(validateMDP(mdp), []);
  assert.equal(policyValue(mdp, expert), 10 - 4);
  const alwaysLeft = deterministicPolicy(5, 2, 10, new Int32Array(5).fill(1));
  assert.equal(policyValue(mdp, alwaysLeft), 0);
});

test('gridworld: on a deterministic corridor the optimal value is H − distance + 1', () => {
  const env = gridworld({ map: ['#####', '#S.G#', '#####'], H: 6 });
  assert.equal(env.mdp.nS, 3);
  assert.deepEqual(validateMDP(env.mdp), []);
  // Two moves reach G at step 3; rewards at steps 3 … 6.
  assert.equal(policyValue(env.mdp, env.expert), 4);
  const slippery = gridworld({ map: 'S.G', H: 6, slip: 0.3 });
  assert.ok(policyValue(slippery.mdp, slippery.expert) < 4);
  assert.throws(() => gridworld({ map: 'S.X', H: 2 }), (e: unknown) => e instanceof CoreError && /row 1, column 3/.test(e.message));
  assert.throws(() => gridworld({ map: '..G', H: 2 }), CoreError);
});

test('garnet: valid, reproducible from its seed, different across seeds', () => {
  const a = garnet({ nS: 100, nA: 4, H: 5, branching: 3, seed: 1 });
  const b = garnet({ nS: 100, nA: 4, H: 5, branching: 3, seed: 1 });
  const c = garnet({ nS: 100, nA: 4, H: 5, branching: 3, seed: 2 });
  assert.deepEqual(validateMDP(a.mdp), []);
  assert.deepEqual(a.mdp.transitions[0].prob, b.mdp.transitions[0].prob);
  assert.deepEqual(a.mdp.transitions[0].next, b.mdp.transitions[0].next);
  assert.notDeepEqual(a.mdp.transitions[0].next, c.mdp.transitions[0].next);
  const t = a.mdp.transitions[0];
  for (let r = 0; r < 400; r++) assert.equal(new Set(t.next.subarray(t.rowStart[r], t.rowStart[r + 1])).size, 3);
});

test('makeEnvironment builds every kind from plain data and rejects unknown kinds', () => {
  assert.equal(makeEnvironment({ kind: 'reset-cliff', nS: 4, nA: 2, H: 3 }).mdp.nS, 4);
  assert.equal(makeEnvironment({ kind: 'chain', nS: 4, nA: 2, H: 3 }).mdp.nS, 4);
  assert.equal(makeEnvironment({ kind: 'gridworld', map: 'SG', H: 3 }).mdp.nS, 2);
  assert.equal(makeEnvironment({ kind: 'garnet', nS: 4, nA: 2, H: 3, branching: 2, seed: 0 }).mdp.nS, 4);
  assert.throws(() => makeEnvironment({ kind: 'nope' } as never), CoreError);
});
