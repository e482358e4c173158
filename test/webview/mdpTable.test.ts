import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MdpView } from '../../src/shared/viewModels';
import { denseCells, isDense, lastPage, listedRow, MAX_DENSE_STATES, mdpCaption, rowSum, STATES_PER_PAGE, statesLine, stepOptionLabel } from '../../webview/components/mdpTableModel';

/** A view of n states (of nS), one action, each state stepping to the next. */
function view(n: number, nS = n, names: string[] = []): MdpView {
  return {
    version: 1,
    kind: 'mdp',
    title: 't',
    nS,
    nA: 1,
    H: 4,
    stationaryTransitions: true,
    stationaryRewards: false,
    rho: Array.from({ length: n }, () => 1 / nS),
    stateNames: names,
    otherStateNames: [],
    actionNames: ['go'],
    steps: [{ h: 1, reward: Array.from({ length: n }, () => 0), transitions: Array.from({ length: n }, (_, s) => ({ next: [(s + 1) % nS], prob: [1], omitted: 0, omittedMass: 0 })) }],
    omittedSteps: 0,
    notes: [],
  };
}

test('pages of 50 states: the line says which states are shown and of how many', () => {
  assert.equal(STATES_PER_PAGE, 50);
  const v = view(400);
  assert.equal(statesLine(v, 0), 'showing states 1–50 of 400');
  assert.equal(statesLine(v, 7), 'showing states 351–400 of 400');
  assert.equal(statesLine(v, 99), 'showing states 351–400 of 400', 'past the end clamps to the last page');
  assert.equal(lastPage(v), 7);
  assert.equal(statesLine(view(51), 1), 'showing state 51 of 51');
  assert.equal(lastPage(view(3)), 0, 'a small MDP has one page');
  assert.equal(statesLine(view(120, 10_000), 2), 'showing states 101–120 of 120 (this output holds the first 120 of 10000)');
});

test('small MDPs get a column per next state; larger ones list the entries by name', () => {
  assert.equal(isDense(view(MAX_DENSE_STATES)), true);
  assert.equal(isDense(view(MAX_DENSE_STATES + 1)), false);
  const v = view(3, 3, ['start', 'middle', 'goal']);
  const row = { next: [0, 2], prob: [0.2, 0.8], omitted: 0, omittedMass: 0 };
  assert.deepEqual(denseCells(v, row), ['0.2', '', '0.8']);
  assert.equal(listedRow(v, row), 'start 0.2 · goal 0.8');
  assert.equal(listedRow(v, { next: [], prob: [], omitted: 0, omittedMass: 0 }), 'no next state');
  assert.equal(listedRow(view(20), { next: [4], prob: [0.5], omitted: 10, omittedMass: 0.5 }), 's4 0.5 · + 10 more (mass 0.5)');
  assert.equal(rowSum({ next: [4, 5], prob: [0.25, 0.25], omitted: 10, omittedMass: 0.5 }), 1);
});

test('caption and step labels say what is stationary', () => {
  assert.equal(mdpCaption(view(3)), '|S| = 3, |A| = 1, H = 4; P the same at every step, r per step');
  assert.equal(stepOptionLabel(0), 'every step');
  assert.equal(stepOptionLabel(3), 'h = 3');
});
