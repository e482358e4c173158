import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gridworld, makeEnvironment } from '../../src/core/envs';
import { loadIlmdp } from '../../src/ilmdp/load';
import { toOutputItems } from '../../src/notebook/kernel/display';
import { MIME, type HeatmapView } from '../../src/shared/viewModels';

const heatmapOf = (value: unknown): HeatmapView => {
  const items = toOutputItems(value);
  const rich = items.find((i) => i.mime === MIME.heatmap);
  assert.ok(rich, `a heatmap item among ${items.map((i) => i.mime).join(', ')}`);
  return JSON.parse(rich.data) as HeatmapView;
};

test('display() of a gridworld draws its visitation on the map, whichever way the gridworld was made; the text fallback shows the map', () => {
  const map = 'S..\n.#G';
  const expected = { rows: 2, cols: 3, cells: 'S...#G', stateOf: [0, 1, 2, 3, -1, 4], cliffState: -1 };
  assert.deepEqual(heatmapOf(gridworld({ map, H: 4 })).grid, expected);
  assert.deepEqual(heatmapOf(makeEnvironment({ kind: 'gridworld', map, H: 4 })).grid, expected);
  const loaded = loadIlmdp(join(__dirname, '../../examples/gridworld.ilmdp'));
  const view = heatmapOf(loaded);
  assert.equal(view.grid?.cells, 'S...#.##.#....G#...#');
  const text = toOutputItems(loaded).find((i) => i.mime === 'text/plain')!.data;
  assert.match(text, /map \(# wall[^\n]*\n {2}S\.\.\.#\n {2}\.##\.#\n {2}\.\.\.\.G\n {2}#\.\.\.#/);
  // Not a gridworld: no map.
  assert.equal(heatmapOf(makeEnvironment({ kind: 'chain', nS: 4, nA: 2, H: 3 })).grid, undefined);
});
