import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dagger, labelWithExpert } from '../../src/core/dagger';
import { chain } from '../../src/core/envs';
import { imitationGap } from '../../src/core/evaluation';
import { sampleTrajectories } from '../../src/core/sampling';
import { uniformPolicy } from '../../src/core/policy';
import { behavioralCloning } from '../../src/core/bc';

test('labelWithExpert keeps the visited states and writes the expert action at each (h, s)', () => {
  const { mdp, expert } = chain({ nS: 5, nA: 3, H: 6, slip: 0.3 });
  const visited = sampleTrajectories(mdp, uniformPolicy(5, 3, 6), 30, 1);
  const labelled = labelWithExpert(visited, expert, 2);
  assert.deepEqual(labelled.states, visited.states);
  for (let i = 0; i < 30; i++) {
    for (let h = 0; h < 6; h++) {
      const s = visited.states[i * 6 + h];
      const a = expert.kind === 'deterministic' ? expert.action[expert.stationary ? s : h * 5 + s] : -2;
      assert.equal(labelled.actions[i * 6 + h], a);
    }
  }
});

test('with a deterministic chain one expert trajectory covers every reachable (h, s): gap 0 in every round', () => {
  const { mdp, expert } = chain({ nS: 6, nA: 2, H: 10 });
  const result = dagger(mdp, expert, { initialTrajectories: 1, rounds: 3, rolloutsPerRound: 2, seed: 4 });
  assert.deepEqual(
    result.rounds.map((r) => [r.round, r.trajectories, r.gap]),
    [
      [0, 1, 0],
      [1, 3, 0],
      [2, 5, 0],
      [3, 7, 0],
    ],
  );
  assert.equal(imitationGap(mdp, expert, result.policy), 0);
});

test('on a chain where mistakes are recoverable, DAgger rounds shrink the gap', () => {
  const { mdp, expert } = chain({ nS: 8, nA: 2, H: 20, slip: 0.2 });
  let first = 0;
  let last = 0;
  const seeds = 20;
  for (let seed = 0; seed < seeds; seed++) {
    const r = dagger(mdp, expert, { initialTrajectories: 2, rounds: 8, rolloutsPerRound: 4, seed }).rounds;
    first += r[0].gap / seeds;
    last += r[r.length - 1].gap / seeds;
  }
  assert.ok(first > 0, 'two expert trajectories should leave some (h, s) unseen');
  assert.ok(last < first / 2, `mean gap went from ${first} to ${last}`);
});

test('DAgger from a given dataset with uneven rounds: round 0 is BC on that data, then each round adds its rollouts', () => {
  const { mdp, expert } = chain({ nS: 6, nA: 2, H: 8, slip: 0.3 });
  const initial = sampleTrajectories(mdp, expert, 3, 'given');
  const result = dagger(mdp, expert, { initialTrajectories: 3, initialDataset: initial, rounds: 0, rolloutsPerRound: 0, rolloutSchedule: [2, 1], seed: 's' });
  assert.deepEqual(result.rounds.map((r) => r.trajectories), [3, 5, 6]);
  assert.equal(result.rounds[0].gap, imitationGap(mdp, expert, behavioralCloning(initial)));
  assert.deepEqual(result.dataset.states.subarray(0, 3 * 8), initial.states, 'the given data comes first, unchanged');
  const quiet = dagger(mdp, expert, { initialTrajectories: 3, initialDataset: initial, rounds: 0, rolloutsPerRound: 0, rolloutSchedule: [2, 1], seed: 's', evaluateRounds: false });
  assert.ok(quiet.rounds.every((r) => Number.isNaN(r.gap)));
  assert.deepEqual(quiet.policy, result.policy, 'evaluation does not change what is learned');
  assert.throws(() => dagger(mdp, expert, { initialTrajectories: 0, rounds: 0, rolloutsPerRound: 0, rolloutSchedule: [1.5], seed: 's' }), /rolloutSchedule\[0\] must be a non-negative integer/);
});
