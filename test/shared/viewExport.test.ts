import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetFromTrajectories } from '../../src/core/dataset';
import { resetCliff } from '../../src/core/envs/resetCliff';
import { sampleTrajectories } from '../../src/core/sampling';
import { parseDatasetFile } from '../../src/ilmdp/datasetFile';
import { bcTableView, datasetView, heatmapView } from '../../src/shared/buildViews';
import { viewToCsv, viewToJson } from '../../src/shared/viewExport';
import { behavioralCloning } from '../../src/core/bc';

/** A small RFC 4180 reader, independent of the writer under test. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

const { mdp, expert } = resetCliff({ nS: 5, nA: 3, H: 6 });

test('a heatmap exports one CSV row per step with one column per state, holding the values drawn', () => {
  const view = heatmapView(mdp, expert);
  const rows = readCsv(viewToCsv(view));
  assert.deepEqual(rows[0], ['steps', ...view.columnLabels]);
  assert.equal(rows.length, 1 + view.rows);
  rows.slice(1).forEach((r, h) => {
    assert.equal(r[0], String(h + 1));
    assert.deepEqual(r.slice(1).map(Number), view.values.slice(h * view.cols, (h + 1) * view.cols));
  });
});

test('a downsampled heatmap says which steps and columns each cell covers', () => {
  const big = resetCliff({ nS: 400, nA: 2, H: 100 });
  const view = heatmapView(big.mdp, big.expert, { maxCells: 1000 });
  assert.ok(view.rowBin > 1 || view.colBin > 1);
  const rows = readCsv(viewToCsv(view));
  assert.equal(rows.length, 1 + view.rows);
  assert.match(rows[0][1], /^columns 0-\d+$/);
  if (view.rowBin > 1) assert.match(rows[1][0], new RegExp(`^1-${view.rowBin}$`));
});

test('a dataset exports in the dataset-file format and reads back to the same trajectories', () => {
  const d = sampleTrajectories(mdp, expert, 7, 'export');
  const view = datasetView(d, { mdp, expert });
  const back = parseDatasetFile(viewToCsv(view), 'csv', mdp, 'export.csv');
  assert.deepEqual(back.diagnostics, []);
  assert.deepEqual(Array.from(back.dataset!.states), Array.from(d.states));
  assert.deepEqual(Array.from(back.dataset!.actions), Array.from(d.actions));
});

test('a BC table exports counts and probabilities per seen state and step; names with commas or quotes are quoted', () => {
  const named = { ...mdp, stateNames: ['a,b', 'say "hi"', 'c', 'd', 'bad'] };
  const d = datasetFromTrajectories(5, 3, 2, [
    [[0, 0], [1, 0]],
    [[0, 1], [1, 0]],
  ]);
  const view = bcTableView(behavioralCloning(d), { mdp: named });
  const rows = readCsv(viewToCsv(view));
  assert.deepEqual(rows[0], ['step', 'state', 'name', 'n(expert)', 'n(other1)', 'n(other2)', 'pi(expert)', 'pi(other1)', 'pi(other2)']);
  assert.deepEqual(rows[1], ['1', '0', 'a,b', '1', '1', '0', '0.5', '0.5', '0']);
  assert.deepEqual(rows[2], ['2', '1', 'say "hi"', '2', '0', '0', '1', '0', '0']);
  assert.equal(rows.length, 3);
});

test('JSON export is the view model itself', () => {
  const view = heatmapView(mdp, expert);
  assert.deepEqual(JSON.parse(viewToJson(view)), view);
});
