import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
});

const notebooks = readdirSync(examples).filter((f) => f.endsWith('.ilnb')).sort();

test('there are six example notebooks', () => assert.equal(notebooks.length, 6));

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

test('`il-notebooks run` prints a failing cell with its line and exits 1; --check catches stale outputs', async () => {
  const file = join(dir, 'failing.ilnb');
  writeFileSync(file, serializeNotebook({ metadata: {}, cells: [{ kind: 'code', language: 'javascript', source: 'const x = 1\nx.y.z', outputs: [] }] }));
  let out = '';
  assert.equal(await runNotebookFiles([file], { workerScript }, (t) => (out += t)), 1);
  assert.match(out, /TypeError: Cannot read properties of undefined/);
  assert.match(out, /cell 1:2:/);

  const fine = join(dir, 'fine.ilnb');
  writeFileSync(fine, serializeNotebook({ metadata: {}, cells: [{ kind: 'code', language: 'javascript', source: '6 * 7', outputs: [] }] }));
  assert.equal(await runNotebookFiles([fine], { workerScript, check: true }, () => {}), 1, 'no outputs saved yet');
  assert.equal(await runNotebookFiles([fine], { workerScript, write: true }, () => {}), 0);
  assert.match(readFileSync(fine, 'utf8'), /"42"/);
  assert.equal(await runNotebookFiles([fine], { workerScript, check: true }, () => {}), 0);
});
