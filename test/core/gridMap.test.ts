import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridworld } from '../../src/core/envs';
import { countGridStates, parseGridMap } from '../../src/core/envs/gridMap';
import type { MDP } from '../../src/core/mdp';
import { policyValue } from '../../src/core/evaluation';
import { validateMDP } from '../../src/core/validate';

/** P(s' | s, a) read from the MDP's sparse rows. */
function P(mdp: MDP, s: number, a: number): Map<number, number> {
  const t = mdp.transitions[0];
  const row = s * mdp.nA + a;
  const out = new Map<number, number>();
  for (let k = t.rowStart[row]; k < t.rowStart[row + 1]; k++) out.set(t.next[k], (out.get(t.next[k]) ?? 0) + t.prob[k]);
  return out;
}

const close = (a: Map<number, number>, b: Map<number, number>) => {
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort());
  for (const [k, v] of b) assert.ok(Math.abs(a.get(k)! - v) < 1e-12, `P(${k}) = ${a.get(k)}, expected ${v}`);
};

// A small CliffWalking: the start and the goal on the bottom row, the cliff between them.
//   ...      r0c0=0 r0c1=1 r0c2=2
//   SCG      r1c0=3 (start), r1c2=4 (goal), cliff=5
const MAP = '...\nSCG\n';
const [UP, RIGHT, DOWN, LEFT] = [0, 1, 2, 3];

test('a gridworld map as a grid: kinds, the state of each cell, one absorbing cliff state after the cells', () => {
  const grid = parseGridMap(MAP);
  assert.equal(grid.rows, 2);
  assert.equal(grid.cols, 3);
  assert.deepEqual(grid.kinds, ['free', 'free', 'free', 'start', 'cliff', 'goal']);
  assert.deepEqual([...grid.stateOf], [0, 1, 2, 3, -1, 4]);
  assert.equal(grid.cliffState, 5);
  assert.equal(grid.nS, 6);
  assert.equal(countGridStates(MAP), 6);
  // A short row ends in walls; a space is a wall.
  const ragged = parseGridMap('S.G\n. \n');
  assert.deepEqual(ragged.kinds, ['start', 'free', 'goal', 'free', 'wall', 'wall']);
  assert.equal(ragged.cliffState, -1);
  assert.throws(() => parseGridMap('S.X'), /row 1, column 3: unknown character 'X'; use # \. S G C/);
});

test('cliff cells drop into an absorbing state with reward 0; the rest moves as documented (slip shared by the other three moves)', () => {
  const slip = 0.3;
  const { mdp } = gridworld({ map: MAP, H: 6, slip });
  assert.deepEqual(validateMDP(mdp), []);
  assert.equal(mdp.nS, 6);
  assert.equal(mdp.stateNames?.[5], 'cliff');
  const o = slip / 3;
  // From the start: right is the cliff, up is r0c0, down and left leave the map (stay).
  close(P(mdp, 3, RIGHT), new Map([[5, 1 - slip], [0, o], [3, 2 * o]]));
  close(P(mdp, 3, UP), new Map([[0, 1 - slip], [5, o], [3, 2 * o]]));
  // Above the cliff, down falls; up leaves the map.
  close(P(mdp, 1, DOWN), new Map([[5, 1 - slip], [1, o], [2, o], [0, o]]));
  close(P(mdp, 2, DOWN), new Map([[4, 1 - slip], [2, 2 * o], [1, o]]));
  close(P(mdp, 0, LEFT), new Map([[0, 1 - slip + o], [1, o], [3, o]]));
  // The cliff and the goal are absorbing; only the goal pays.
  for (let a = 0; a < 4; a++) {
    close(P(mdp, 5, a), new Map([[5, 1]]));
    close(P(mdp, 4, a), new Map([[4, 1]]));
    assert.equal(mdp.reward[5 * 4 + a], 0);
    assert.equal(mdp.reward[4 * 4 + a], 1);
    assert.equal(mdp.reward[3 * 4 + a], 0);
  }
  assert.deepEqual([...mdp.rho], [0, 0, 0, 1, 0, 0]);
});

test('without slip the expert walks around the cliff: up, right, right, down reaches the goal at step 5', () => {
  const { mdp, expert } = gridworld({ map: MAP, H: 6 });
  // Rewards at steps 5 and 6.
  assert.equal(policyValue(mdp, expert), 2);
  assert.equal(policyValue(gridworld({ map: MAP, H: 4 }).mdp, gridworld({ map: MAP, H: 4 }).expert), 0);
});
