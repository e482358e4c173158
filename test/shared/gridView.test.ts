import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gridworld } from '../../src/core/envs';
import { parseGridMap } from '../../src/core/envs/gridMap';
import { visitation } from '../../src/core/evaluation';
import { sampleTrajectories } from '../../src/core/sampling';
import { heatmapView } from '../../src/shared/buildViews';
import { buildGridDatasetOverlay, buildGridView, MAX_OVERLAY_NUMBERS, sampledSteps } from '../../src/shared/gridView';
import { isEditorToHostMessage } from '../../src/shared/mdpEditorProtocol';

test('the grid view of a corridor: cells, states, the optimal expert walking right, and V_h(s) counted by hand', () => {
  const map = '#####\n#S.G#\n#####';
  const env = gridworld({ map, H: 3 });
  const view = buildGridView(parseGridMap(map), true, { name: 'expert', mdp: env.mdp, policy: env.expert });
  assert.equal(view.cells, '######S.G######');
  assert.deepEqual(view.stateOf.slice(5, 10), [-1, 0, 1, 2, -1]);
  const o = view.overlay!;
  assert.deepEqual(o.steps, [1, 2, 3]);
  // Right (index 1) from S at step 1 and from the middle at step 2.
  assert.deepEqual(o.policy.slice(0, 4), [0, 1, 0, 0]);
  assert.deepEqual(o.policy.slice((1 * 3 + 1) * 4, (1 * 3 + 1) * 4 + 4), [0, 1, 0, 0]);
  // S → middle → goal: the goal is reached at step 3, its reward paid once; at the goal every remaining step pays.
  const V = (h: number, s: number) => o.value[(h - 1) * 3 + s];
  assert.equal(V(1, 0), 1);
  assert.equal(V(2, 1), 1);
  assert.equal(V(1, 2), 3);
  assert.equal(V(3, 2), 1);
  assert.equal(V(3, 0), 0, 'from S at the last step the goal is out of reach');
  assert.equal(o.valueMax, 3);
});

test('a large map keeps an even sample of steps within the budget, always with 1 and H', () => {
  assert.deepEqual(sampledSteps(5, 10), [1, 2, 3, 4, 5]);
  assert.deepEqual(sampledSteps(100, 5), [1, 26, 51, 75, 100]);
  assert.deepEqual(sampledSteps(100, 1), [1]);
  const map = Array.from({ length: 40 }, (_, r) => (r === 0 ? 'S' : '.').padEnd(40, '.').replace(/.$/, r === 39 ? 'G' : '.')).join('\n');
  const env = gridworld({ map, H: 200 });
  const view = buildGridView(parseGridMap(map), true, { name: 'expert', mdp: env.mdp, policy: env.expert });
  const o = view.overlay!;
  assert.ok(o.steps.length < 200 && o.steps[0] === 1 && o.steps[o.steps.length - 1] === 200);
  assert.ok(o.policy.length + o.value.length <= MAX_OVERLAY_NUMBERS);
  assert.equal(o.value.length, o.steps.length * env.mdp.nS);
});

test('paint and resize requests from the webview are checked', () => {
  assert.ok(isEditorToHostMessage({ type: 'paint-map', cells: [{ row: 0, col: 1, kind: 'cliff' }] }));
  assert.ok(!isEditorToHostMessage({ type: 'paint-map', cells: [] }));
  assert.ok(!isEditorToHostMessage({ type: 'paint-map', cells: [{ row: 0, col: 1, kind: 'lava' }] }));
  assert.ok(!isEditorToHostMessage({ type: 'paint-map', cells: [{ row: -1, col: 1, kind: 'wall' }] }));
  assert.ok(isEditorToHostMessage({ type: 'resize-map', rows: 3, cols: 4 }));
  assert.ok(!isEditorToHostMessage({ type: 'resize-map', rows: 3.5, cols: 4 }));
});

test('a dataset on the grid: n_h(s) per cell and step, and BC against the expert: 0 where seen, ¾ where BC plays uniformly', () => {
  const map = '#####\n#S.G#\n#...#';
  const env = gridworld({ map, H: 4 });
  const N = 25;
  const data = sampleTrajectories(env.mdp, env.expert, N, 'grid');
  const overlay = buildGridDatasetOverlay(data, { name: 'expert', policy: env.expert });
  const nS = env.mdp.nS;
  assert.deepEqual(overlay.steps, [1, 2, 3, 4]);
  // Counted independently from the trajectories.
  for (const h of [1, 2, 3, 4]) {
    for (let s = 0; s < nS; s++) {
      let n = 0;
      for (let i = 0; i < N; i++) if (data.states[i * 4 + h - 1] === s) n++;
      assert.equal(overlay.counts[(h - 1) * nS + s], n);
    }
  }
  // The deterministic expert is copied where the data has the state; elsewhere BC is uniform over 4 actions:
  // TV(uniform, one action) = ½(¾ + 3·¼) = ¾.
  for (let k = 0; k < overlay.counts.length; k++) assert.equal(overlay.disagreement![k], overlay.counts[k] > 0 ? 0 : 0.75);
  assert.equal(overlay.counts[0], N, 'every trajectory starts at S');
});

test('a gridworld visitation heatmap carries its map: one cell per state, the cliff cells pointing to the cliff state', () => {
  const map = '...\nSCG';
  const env = gridworld({ map, H: 5 });
  assert.ok(env.grid, 'a gridworld environment knows its map');
  const view = heatmapView(env.mdp, env.expert, { grid: env.grid });
  assert.deepEqual(view.grid, { rows: 2, cols: 3, cells: '...SCG', stateOf: [0, 1, 2, 3, -1, 4], cliffState: 5 });
  // The values drawn on the map are d_h(s) itself, computed independently of the view.
  const d = visitation(env.mdp, env.expert).dS!;
  assert.deepEqual(view.values, Array.from(d));
  // A state-action heatmap, or a map of another size, has no map.
  assert.equal(heatmapView(env.mdp, env.expert, { grid: env.grid, stateAction: true }).grid, undefined);
  assert.equal(heatmapView(env.mdp, env.expert, { grid: parseGridMap('S.G') }).grid, undefined);
});
