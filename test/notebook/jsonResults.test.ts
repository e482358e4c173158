// The results file (docs/notebooks.md, "Results as JSON"), built from NotebookContent fixtures: the
// expected objects are written out here, not taken from the builder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NotebookCell, NotebookContent } from '../../src/notebook/notebookFormat';
import { ERROR_MIME, STDOUT_MIME } from '../../src/notebook/runNotebook';
import { editorStatuses, exportFileName, exportJsonResults } from '../../src/notebook/report/editorExport';
import { notebookResults, RESULTS_FORMAT, RESULTS_VERSION, savedOutcome, statusInEditor, statusOfReport } from '../../src/notebook/report/jsonResults';

const PLOT_MIME = 'application/vnd.il-notebooks.plot+json';
const plot = { kind: 'plot', title: 'gap vs H', series: [{ label: 'BC', x: [1, 2, 4], y: [0.1, 0.4, 1.6] }], logX: true };
const error = { name: 'TypeError', message: "Cannot read properties of null (reading 'x')", stack: 'TypeError: …\n    at cell 3:1:6' };

const md = (source: string): NotebookCell => ({ kind: 'markdown', language: 'markdown', source, outputs: [] });
const code = (source: string, outputs: NotebookCell['outputs'] = []): NotebookCell => ({ kind: 'code', language: 'javascript', source, outputs });

const fixture: NotebookContent = {
  cells: [
    md('# Title'),
    code('console.log(1); console.log(2); display(plot)', [
      // Two chunks of one stream, as a run may deliver them: one output in the file, and in the results.
      { items: [{ mime: STDOUT_MIME, data: '1\n' }] },
      { items: [{ mime: STDOUT_MIME, data: '2\n' }] },
      { items: [{ mime: PLOT_MIME, data: JSON.stringify(plot) }, { mime: 'text/plain', data: 'gap vs H (table)' }] },
    ]),
    code('null.x', [{ items: [{ mime: ERROR_MIME, data: JSON.stringify(error) }] }]),
    code('2 + 2'),
    code('broken()', [{ items: [{ mime: PLOT_MIME, data: '{not json' }] }]),
  ],
};

test('the results file: version, every cell in order, +json payloads parsed to objects, streams merged, markdown without outcome', () => {
  const results = notebookResults(fixture, 'fixture.ilnb', new Map());
  assert.equal(results.format, RESULTS_FORMAT);
  assert.equal(results.version, 1);
  assert.equal(RESULTS_VERSION, 1);
  assert.equal(results.notebook, 'fixture.ilnb');
  assert.deepEqual(results.cells[0], { index: 0, kind: 'markdown', language: 'markdown', source: '# Title' });
  assert.deepEqual(results.cells[1], {
    index: 1,
    kind: 'code',
    language: 'javascript',
    source: 'console.log(1); console.log(2); display(plot)',
    outcome: 'ok',
    outputs: [
      { items: [{ mime: STDOUT_MIME, text: '1\n2\n' }] },
      { items: [{ mime: PLOT_MIME, json: plot }, { mime: 'text/plain', text: 'gap vs H (table)' }] },
    ],
  });
  assert.deepEqual(results.cells[2].outputs, [{ items: [{ mime: ERROR_MIME, json: error }] }], 'the error item is JSON too');
  assert.equal(results.cells[2].outcome, 'error');
  assert.equal(results.cells[3].outcome, 'never-run');
  assert.deepEqual(results.cells[3].outputs, []);
  // A payload that does not parse is kept as its text rather than lost or thrown on.
  assert.deepEqual(results.cells[4].outputs, [{ items: [{ mime: PLOT_MIME, text: '{not json' }] }]);
  assert.deepEqual(results.summary, { ok: 2, error: 1, 'never-run': 1, stale: 0 });
  // The file is JSON through and through: a parse gives the same object back.
  assert.deepEqual(JSON.parse(exportJsonResults(fixture, 'fixture.ilnb', [])), results);
});

test('statuses given for cells win over what their saved outputs say, and their notes are kept', () => {
  const results = notebookResults(fixture, 'x.ilnb', new Map([[1, { outcome: 'stale', note: 'cell 2 was not run because cell 1 failed' }]]));
  assert.equal(results.cells[1].outcome, 'stale');
  assert.equal(results.cells[1].note, 'cell 2 was not run because cell 1 failed');
  assert.deepEqual(results.summary, { ok: 1, error: 1, 'never-run': 1, stale: 1 });
});

test("a run's reports map to the four outcomes: every way of failing is an error, skipped is never run", () => {
  const outputs: never[] = [];
  assert.deepEqual(statusOfReport({ index: 0, outcome: 'ok', outputs }), { outcome: 'ok' });
  for (const failed of ['error', 'interrupted', 'kernel-died', 'timeout'] as const) assert.deepEqual(statusOfReport({ index: 0, outcome: failed, outputs }), { outcome: 'error' }, failed);
  assert.deepEqual(statusOfReport({ index: 2, outcome: 'stale', outputs, note: 'n' }), { outcome: 'stale', note: 'n' });
  assert.deepEqual(statusOfReport({ index: 2, outcome: 'skipped', outputs, note: 'python' }), { outcome: 'never-run', note: 'python' });
});

test("the editor's view of a cell: its last run's verdict, stale after an edit or a stopped Run All, else its saved outputs", () => {
  const withOutput = code('1', [{ items: [{ mime: 'text/plain', data: '1' }] }]);
  const empty = code('1');
  const failed = code('x', [{ items: [{ mime: ERROR_MIME, data: JSON.stringify(error) }] }]);
  assert.deepEqual(statusInEditor(withOutput, { success: true }), { outcome: 'ok' });
  assert.deepEqual(statusInEditor(withOutput, { success: false }), { outcome: 'error' });
  assert.deepEqual(statusInEditor(withOutput, { success: true, notRun: 'edited' }), { outcome: 'stale', note: 'edited' });
  assert.deepEqual(statusInEditor(empty, { notRun: 'python' }), { outcome: 'never-run', note: 'python' }, 'no outputs: nothing is stale');
  assert.deepEqual(statusInEditor(withOutput, {}), { outcome: 'ok' }, 'opened with outputs of a run that succeeded');
  assert.deepEqual(statusInEditor(failed, {}), { outcome: 'error' });
  assert.deepEqual(statusInEditor(empty, {}), { outcome: 'never-run' });
  assert.deepEqual(savedOutcome(empty), { outcome: 'never-run' });
  // Markdown cells get no status at all.
  assert.deepEqual([...editorStatuses(fixture, []).keys()], [1, 2, 3, 4]);
});

test('the save dialog starts at name.html or name.results.json beside the notebook', () => {
  assert.equal(exportFileName('04-reset-cliff-compounding-errors.ilnb', 'html'), '04-reset-cliff-compounding-errors.html');
  assert.equal(exportFileName('04-reset-cliff-compounding-errors.ilnb', 'json'), '04-reset-cliff-compounding-errors.results.json');
  assert.equal(exportFileName('Untitled-1', 'json'), 'Untitled-1.results.json');
});
