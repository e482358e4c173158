// `il-notebooks run --json-results` and the editor's exports: one builder, so for the same outputs and
// the same cells' fates the editor writes the very bytes the CLI writes (report and results alike).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runNotebookFiles } from '../../src/cli/runNotebooks';
import { fromNotebookData, parseNotebook, serializeNotebook, toNotebookData, type NotebookCell } from '../../src/notebook/notebookFormat';
import { ERROR_MIME, skippedLanguage, staleAfterFailure, STDOUT_MIME } from '../../src/notebook/runNotebook';
import { exportHtmlReport, exportJsonResults } from '../../src/notebook/report/editorExport';
import type { NotebookResults } from '../../src/notebook/report/jsonResults';

const root = join(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'il-results-'));
const workerScript = join(dir, 'kernelWorker.js');
const rendererScript = join(dir, 'renderer.js');
before(async () => {
  await build({ entryPoints: [join(root, 'src/notebook/kernel/kernelWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  writeFileSync(rendererScript, 'export function activate() { return { renderOutputItem() {} } }\n');
});

const code = (source: string, extra: Partial<NotebookCell> = {}): NotebookCell => ({ kind: 'code', language: 'javascript', source, outputs: [], ...extra });

test('--json-results: each cell with its outcome and parsed view models; the editor exports the same bytes from the same outputs', async () => {
  const file = join(dir, 'mixed.ilnb');
  const out = join(dir, 'mixed.out.ilnb');
  const json = join(dir, 'mixed.results.json');
  const html = join(dir, 'mixed.html');
  const cells: NotebookCell[] = [
    { kind: 'markdown', language: 'markdown', source: '# Mixed', outputs: [] },
    code("console.log('hello')\nil.views.heatmap(il.resetCliff({ nS: 3, nA: 2, H: 2 }).mdp, il.resetCliff({ nS: 3, nA: 2, H: 2 }).expert)"),
    code('1', { language: 'python' }),
    code('null.x'),
    code('"later"', { outputs: [{ items: [{ mime: STDOUT_MIME, data: 'from before\n' }] }] }),
  ];
  writeFileSync(file, serializeNotebook({ cells }));
  let log = '';
  const exit = await runNotebookFiles([file], { workerScript, rendererScript, out, report: html, jsonResults: json }, (t) => (log += t));
  assert.equal(exit, 1, log);
  assert.match(log, /mixed\.results\.json: results written/);
  const text = readFileSync(json, 'utf8');
  const results = JSON.parse(text) as NotebookResults;
  assert.equal(results.version, 1);
  assert.equal(results.notebook, 'mixed.ilnb');
  assert.deepEqual(
    results.cells.map((c) => c.outcome),
    [undefined, 'ok', 'never-run', 'error', 'stale'],
  );
  const [stdout, view] = results.cells[1].outputs!;
  assert.deepEqual(stdout.items, [{ mime: STDOUT_MIME, text: 'hello\n' }]);
  const heatmap = view.items.find((i) => i.mime === 'application/vnd.il-notebooks.heatmap+json');
  assert.ok(heatmap && 'json' in heatmap, 'the heatmap is an object, not a string');
  // A Reset Cliff of 3 states over H = 2: the expert's visitation of each step sums to 1.
  const values = (heatmap.json as { values: number[][] | number[] }).values.flat();
  assert.ok(Math.abs(values.reduce((a, b) => a + b, 0) - 2) < 1e-12, `visitation sums to H: ${values.join(', ')}`);
  assert.match(results.cells[2].note ?? '', /cell 3 is python/);
  const thrown = results.cells[3].outputs![0].items[0];
  assert.equal(thrown.mime, ERROR_MIME);
  assert.equal((thrown as { json: { name: string } }).json.name, 'TypeError');
  assert.equal(results.cells[4].note, staleAfterFailure(4, 3));
  assert.deepEqual(results.cells[4].outputs, [{ items: [{ mime: STDOUT_MIME, text: 'from before\n' }] }]);
  assert.deepEqual(results.summary, { ok: 1, error: 1, 'never-run': 1, stale: 1 });

  // The editor after the same Run All: it holds the notebook as the serializer reads the written file,
  // knows cell 2 succeeded and cell 4 failed, and that cell 5 was not reached (the controller's note is
  // the runner's); cell 3, python, it never ran. Its exports are the CLI's files, byte for byte.
  const editor = fromNotebookData(toNotebookData(parseNotebook(readFileSync(out, 'utf8'))));
  const states = [{}, { success: true }, { notRun: skippedLanguage(2, 'python') }, { success: false }, { notRun: staleAfterFailure(4, 3) }];
  assert.equal(exportJsonResults(editor, 'mixed.ilnb', states), text);
  assert.equal(exportHtmlReport(editor, 'mixed.ilnb', readFileSync(rendererScript, 'utf8'), states), readFileSync(html, 'utf8'));
});

test('--json-results takes one notebook, and a path that cannot be written is refused before anything runs (exit 2)', () => {
  const folder = join(dir, 'a-folder');
  mkdirSync(folder, { recursive: true });
  const file = join(dir, 'one.ilnb');
  writeFileSync(file, serializeNotebook({ cells: [code('1')] }));
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'run', ...args], { cwd: root, encoding: 'utf8' });
  const directory = cli(file, '--json-results', folder, '--no-write');
  assert.equal(directory.status, 2);
  assert.match(directory.stdout + directory.stderr, /--json-results: .*a-folder is a directory; give a file name/);
  const two = cli(file, file, '--json-results', join(dir, 'r.json'));
  assert.equal(two.status, 2);
  assert.match(two.stdout + two.stderr, /take one notebook at a time/);
});
