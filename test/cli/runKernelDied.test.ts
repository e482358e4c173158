import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { runNotebookFiles } from '../../src/cli/runNotebooks';
import { parseNotebook, serializeNotebook } from '../../src/notebook/notebookFormat';

// `il-notebooks run` with the kernel it ships: bundled, in its own process.
const dir = mkdtempSync(join(tmpdir(), 'il-run-died-'));
const workerScript = join(dir, 'kernelWorker.js');
before(async () => {
  await build({ entryPoints: [join(__dirname, '../../src/notebook/kernel/kernelWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
});

test('`run` survives a cell that kills its kernel: exit code 1, "cell 2: kernel died (SIGTERM)", and the outputs written', async () => {
  const file = join(dir, 'suicide.ilnb');
  const cells = ['6 * 7', 'process.kill(process.pid, "SIGTERM")\nawait new Promise(() => {})', '"never"'];
  writeFileSync(file, serializeNotebook({ cells: cells.map((source) => ({ kind: 'code', language: 'javascript', source, outputs: [] })) }));
  let out = '';
  // Were the kernel a thread of this process, the signal would end the test runner here.
  assert.equal(await runNotebookFiles([file], { workerScript }, (t) => (out += t)), 1);
  assert.match(out, /FAILED at cell 2: kernel died \(SIGTERM\)/);
  const written = parseNotebook(readFileSync(file, 'utf8'));
  assert.deepEqual(written.cells[0].kind === 'code' && written.cells[0].outputs, [{ items: [{ mime: 'text/plain', data: '42' }] }]);
  const died = written.cells[1].kind === 'code' ? written.cells[1].outputs.flatMap((o) => o.items) : [];
  assert.ok(died.some((i) => /"name":"KernelDied"/.test(i.data) && /kernel died \(SIGTERM\)/.test(i.data)), JSON.stringify(died));
  assert.deepEqual(written.cells[2].kind === 'code' && written.cells[2].outputs, [], 'Run All stops at the failing cell');
});
