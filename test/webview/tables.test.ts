import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BcTableRowView } from '../../src/shared/viewModels';
import { filterRows, nextSort, omittedLine, sortRows, stepLabel, unseenLine } from '../../webview/components/bcTableModel';
import { missingMassLine, nameOf, short, stepCell } from '../../webview/components/format';
import { clampPage, pageCount, pageLabel, pageRange, TRAJECTORIES_PER_PAGE } from '../../webview/components/paging';

test('paging arithmetic: 25 per page, last page partial, empty tables have one page', () => {
  assert.equal(TRAJECTORIES_PER_PAGE, 25);
  assert.equal(pageCount(0, 25), 1);
  assert.equal(pageCount(25, 25), 1);
  assert.equal(pageCount(26, 25), 2);
  assert.deepEqual(pageRange(0, 60, 25), { start: 0, end: 25 });
  assert.deepEqual(pageRange(2, 60, 25), { start: 50, end: 60 });
  assert.deepEqual(pageRange(7, 60, 25), { start: 50, end: 60 });
  assert.deepEqual(pageRange(0, 0, 25), { start: 0, end: 0 });
  assert.equal(clampPage(-3, 60, 25), 0);
  assert.equal(clampPage(Number.NaN, 60, 25), 0);
  assert.equal(pageLabel(1, 60, 25), 'page 2 of 3 · 26–50 of 60');
  assert.equal(pageLabel(0, 0, 25), 'page 1 of 1 · none');
});

const rows: BcTableRowView[] = [
  { state: 0, name: 'start', counts: [3, 1], probabilities: [0.75, 0.25] },
  { state: 1, name: 'cliff', counts: [0, 5], probabilities: [0, 1] },
  { state: 2, name: 'goal', counts: [2, 2], probabilities: [0.5, 0.5] },
  { state: 10, name: 's10', counts: [1, 0], probabilities: [1, 0] },
  { state: 9, name: 's9', counts: [2, 0], probabilities: [1, 0] },
];

test('sorting by a count, a probability, the total or the name; ties keep state order', () => {
  assert.deepEqual(sortRows(rows, { column: 'n:1', direction: 'desc' }).map((r) => r.state), [1, 2, 0, 9, 10]);
  assert.deepEqual(sortRows(rows, { column: 'p:0', direction: 'asc' }).map((r) => r.state), [1, 2, 0, 9, 10]);
  assert.deepEqual(sortRows(rows, { column: 'total', direction: 'desc' }).map((r) => r.state), [1, 0, 2, 9, 10]);
  // Names compare numerically inside: s9 before s10.
  assert.deepEqual(sortRows(rows, { column: 'name', direction: 'asc' }).map((r) => r.name), ['cliff', 'goal', 's9', 's10', 'start']);
  assert.deepEqual(sortRows(rows, { column: 'state', direction: 'desc' }).map((r) => r.state), [10, 9, 2, 1, 0]);
  assert.equal(rows[0].state, 0, 'the input is not reordered');
});

test('header clicks flip the direction; a new numeric column starts descending', () => {
  assert.deepEqual(nextSort({ column: 'state', direction: 'asc' }, 'state'), { column: 'state', direction: 'desc' });
  assert.deepEqual(nextSort({ column: 'state', direction: 'asc' }, 'p:1'), { column: 'p:1', direction: 'desc' });
  assert.deepEqual(nextSort({ column: 'p:1', direction: 'desc' }, 'name'), { column: 'name', direction: 'asc' });
});

test('filtering by state name (case-insensitive) or exact index', () => {
  assert.deepEqual(filterRows(rows, 'CL').map((r) => r.state), [1]);
  assert.deepEqual(filterRows(rows, '  ').length, 5);
  assert.deepEqual(filterRows(rows, '10').map((r) => r.state), [10]);
  assert.deepEqual(filterRows(rows, 's').map((r) => r.state), [0, 10, 9]);
});

test('explanatory lines of the BC table', () => {
  assert.equal(stepLabel(0), 'pooled over all steps (stationary)');
  assert.equal(stepLabel(3), 'step h = 3');
  assert.equal(unseenLine({ h: 1, rows: [], unseen: 4, omitted: 0 }, 4), '4 states unseen: π plays uniformly there, 1/|A| = 0.25 per action');
  assert.equal(unseenLine({ h: 1, rows: [], unseen: 0, omitted: 0 }, 4), 'every state was seen at this step');
  assert.equal(omittedLine({ h: 1, rows: [], unseen: 0, omitted: 0 }), null);
  assert.equal(omittedLine({ h: 1, rows: [], unseen: 0, omitted: 1 }), '1 more seen state not included in this output');
});

test('missing mass line and short numbers', () => {
  assert.equal(missingMassLine({ value: 0.1234, expected: 0.12, bound: 0.5, formula: '4|S|H/(9N)' }), 'missing mass 0.123 (expected 0.120, bound 4|S|H/(9N) = 0.5)');
  assert.equal(missingMassLine({ value: 0.05, bound: 2.2222, formula: '4|S|H/(9N)', N: 100 }), 'missing mass 0.050 (bound 4|S|H/(9N) = 2.22, N = 100)');
  assert.equal(short(0), '0');
  assert.equal(short(1 / 3, 4), '0.3333');
  assert.equal(short(1.5e-7), '1.5e-7');
});

test('trajectory cells use names when given and a dot for unobserved', () => {
  assert.equal(stepCell([0, 1], ['start', 'cliff'], ['left', 'right']), 'start/right');
  assert.equal(stepCell([5, 1], ['start'], []), '5/1');
  assert.equal(stepCell([2, -1], [], []), '2/·');
  assert.equal(stepCell([-1, -1], ['a'], ['b']), '·');
  assert.equal(nameOf(-1, ['x']), '·');
});
