import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runNotebookFiles } from '../../src/cli/runNotebooks';
import { parseNotebook, serializeNotebook } from '../../src/notebook/notebookFormat';
import { runNotebook } from '../../src/notebook/runNotebook';
import { newNotebookTemplate, notebookForIlmdp } from '../../src/notebook/templates';

const examples = join(__dirname, '../../examples');
const dir = mkdtempSync(join(tmpdir(), 'il-examples-'));
const workerScript = join(dir, 'kernelWorker.js');
before(async () => {
  await build({ entryPoints: [join(__dirname, '../../src/notebook/kernel/kernelWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  // Notebooks 7 and 9 solve LPs: the kernel bundle finds HiGHS's WebAssembly beside itself, as in dist/.
  copyFileSync(require.resolve('highs/runtime'), join(dir, 'highs.wasm'));
});

const notebooks = readdirSync(examples).filter((f) => f.endsWith('.ilnb')).sort();

test('there are nine example notebooks', () => assert.equal(notebooks.length, 9));

for (const name of notebooks) {
  test(`${name} runs top to bottom, and re-running it leaves the file byte-identical`, async () => {
    const saved = readFileSync(join(examples, name), 'utf8');
    const { notebook, reports, ok } = await runNotebook(parseNotebook(saved), { workerScript, cwd: examples });
    assert.ok(ok, JSON.stringify(reports.filter((r) => r.outcome !== 'ok')));
    assert.ok(reports.length > 0);
    assert.equal(serializeNotebook(notebook), saved);
  });
}

test('the New Notebook template and the Open-in-Notebook notebook run without error', async () => {
  for (const content of [newNotebookTemplate(), notebookForIlmdp('./reset-cliff.ilmdp'), notebookForIlmdp('./external-dataset.ilmdp')]) {
    const { ok, reports } = await runNotebook(content, { workerScript, cwd: examples });
    assert.ok(ok, JSON.stringify(reports.filter((r) => r.outcome !== 'ok')));
  }
});

test('`il-notebooks run` names the failing cell and line and exits 1; --check catches stale outputs; --out and --timeout', async () => {
  const file = join(dir, 'failing.ilnb');
  writeFileSync(file, serializeNotebook({ cells: [{ kind: 'code', language: 'javascript', source: 'const x = 1\nx.y.z', outputs: [] }] }));
  let out = '';
  assert.equal(await runNotebookFiles([file], { workerScript, noWrite: true }, (t) => (out += t)), 1);
  assert.match(out, /TypeError: Cannot read properties of undefined/);
  assert.match(out, /FAILED at cell 1, line 2, column \d+: TypeError/);

  const fine = join(dir, 'fine.ilnb');
  writeFileSync(fine, serializeNotebook({ cells: [{ kind: 'code', language: 'javascript', source: '6 * 7', outputs: [] }] }));
  assert.equal(await runNotebookFiles([fine], { workerScript, check: true }, () => {}), 1, 'no outputs saved yet');
  const elsewhere = join(dir, 'elsewhere.ilnb');
  assert.equal(await runNotebookFiles([fine], { workerScript, out: elsewhere }, () => {}), 0);
  assert.doesNotMatch(readFileSync(fine, 'utf8'), /"42"/, '--out leaves the notebook alone');
  assert.match(readFileSync(elsewhere, 'utf8'), /"42"/);
  assert.equal(await runNotebookFiles([fine], { workerScript }, () => {}), 0);
  assert.match(readFileSync(fine, 'utf8'), /"42"/);
  assert.equal(await runNotebookFiles([fine], { workerScript, check: true }, () => {}), 0);

  const slow = join(dir, 'slow.ilnb');
  writeFileSync(slow, serializeNotebook({ cells: [{ kind: 'code', language: 'javascript', source: 'while (true) {}', outputs: [] }] }));
  out = '';
  assert.equal(await runNotebookFiles([slow], { workerScript, timeoutSeconds: 0.3, noWrite: true }, (t) => (out += t)), 1);
  assert.match(out, /cell 1 ran longer than 0\.3 s and was stopped/);
});

test('--report writes one self-contained HTML page: the markdown, the code, and every view with the renderer inlined', async () => {
  const renderer = join(dir, 'renderer.js');
  await build({ entryPoints: [join(__dirname, '../../webview/notebookRenderer/main.ts')], outfile: renderer, bundle: true, platform: 'browser', format: 'esm', logLevel: 'error' });
  const copy = join(dir, '04.ilnb');
  writeFileSync(copy, readFileSync(join(examples, '04-reset-cliff-compounding-errors.ilnb')));
  const report = join(dir, 'report.html');
  assert.equal(await runNotebookFiles([copy], { workerScript, rendererScript: renderer, report, noWrite: true }, () => {}), 0);
  const html = readFileSync(report, 'utf8');
  assert.match(html, /<h1>4\. The Reset Cliff and compounding errors<\/h1>/);
  assert.match(html, /application\/vnd\.il-notebooks\.plot\+json/);
  assert.match(html, /il\.gapVsHorizon/);
  assert.doesNotMatch(html, /(src|href)\s*=\s*["']?(https?:)?\/\//, 'nothing is fetched from the network');
  assert.doesNotMatch(html, /<link\b/);
});
