/**
 * The panels of a gridworld draw on its map: the visitation panel for the expert, BC and their
 * difference (d_h(s) from the core's visitation, computed here apart from the panel), and the BC
 * table panel BC's policy (π^BC counted here from the dataset).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computePanel } from '../../src/compute/panelCompute';
import { behavioralCloning } from '../../src/core/bc';
import { visitation } from '../../src/core/evaluation';
import { loadIlmdp } from '../../src/ilmdp/load';
import type { BcTableView, HeatmapView } from '../../src/shared/viewModels';

const file = join(__dirname, '../../examples/gridworld.ilmdp');
const source = { file, text: readFileSync(file, 'utf8') };
const lab = loadIlmdp(file);

test('the visitation panel of a gridworld carries the map for the expert, BC and the difference', async () => {
  const dE = visitation(lab.mdp, lab.expert!).dS!;
  const dBC = visitation(lab.mdp, behavioralCloning(lab.datasets.small, { horizon: lab.mdp.H })).dS!;
  for (const [policy, values] of [['expert', dE], ['bc', dBC], ['difference', dE.map((x, i) => x - dBC[i])]] as const) {
    const view = (await computePanel(source, { kind: 'heatmap', policy, dataset: 'small', stateAction: false, scale: 'linear' })).view as HeatmapView;
    assert.equal(view.grid?.cells, 'S...#.##.#....G#...#', policy);
    assert.equal(view.quantity, policy === 'difference' ? 'difference' : 'state');
    values.forEach((v, i) => assert.ok(Math.abs(view.values[i] - v) < 1e-12, `${policy} value ${i}`));
  }
});

test("the BC table panel of a gridworld draws BC's policy on the map", async () => {
  const view = (await computePanel(source, { kind: 'bc-table', dataset: 'small', mode: 'per-step' })).view as BcTableView;
  const o = view.grid!.overlay!;
  assert.equal(o.expert, 'BC');
  // Every one of the 10 trajectories goes right from S at h = 1 (the expert's action there), so π^BC_1(right | S) = 1.
  const d = lab.datasets.small;
  const rightAtStart = Array.from({ length: d.N }, (_, i) => d.actions[i * d.H]).filter((a) => a === 1).length;
  assert.equal(rightAtStart, d.N);
  assert.deepEqual(o.policy.slice(0, 4), [0, 1, 0, 0]);
});
