import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { DatasetStore } from '../../src/editor/datasetStore';
import { EditorWorkerClient } from '../../src/editor/editorWorkerClient';
import { editorWorkerProtocol } from '../../src/editor/editorWorkerProtocol';
import { CancelledError, RemoteError } from '../../src/workers/errors';
import { nodeWorker } from '../../src/workers/nodeWorker';

// The worker runs as the extension runs it: bundled by esbuild, in a real worker thread.
const workerScript = join(mkdtempSync(join(tmpdir(), 'il-editor-worker-')), 'editorWorker.js');
before(async () => {
  await build({ entryPoints: [join(__dirname, '../../src/editor/editorWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
});
const examples = join(__dirname, '../../examples');
const threeStates = readFileSync(join(examples, 'three-states.ilmdp'), 'utf8');
const external = readFileSync(join(examples, 'external-dataset.ilmdp'), 'utf8');
const csv = readFileSync(join(examples, 'external-dataset.csv'));

test('the worker computes the statistics the store computes in-process, and serves pages of them', async () => {
  const client = new EditorWorkerClient(nodeWorker(workerScript));
  try {
    const progress: number[] = [];
    const result = await client.analyse(3, threeStates, [], (done) => progress.push(done));
    assert.deepEqual(result, new DatasetStore().analyse(3, threeStates, []));
    assert.equal(progress.at(-1), 2);
    const page = await client.page(3, 'by-hand', 1, 5);
    assert.deepEqual([page.start, page.count], [1, 1]);
    // The second inline trajectory: start·go, start·go, middle·go, then unobserved.
    assert.deepEqual(page.states, [0, 0, 1, -1, -1, -1]);
    await assert.rejects(client.page(2, 'by-hand', 0, 1), (e: unknown) => e instanceof RemoteError && e.code === 'stale');
  } finally {
    client.dispose();
  }
});

test('a newer document version cancels the analysis of an older one', async () => {
  const client = new EditorWorkerClient(nodeWorker(workerScript));
  try {
    // 5·10^5 trajectories of the stochastic expert: long enough to still run when version 2 arrives.
    const heavy = threeStates.replace('from: walker\n    trajectories: 20', 'from: hesitant\n    trajectories: 500000');
    const older = client.analyse(1, heavy, []);
    const newer = client.analyse(2, threeStates, []);
    await assert.rejects(older, CancelledError);
    const result = await newer;
    assert.equal(result.version, 2);
    assert.equal(result.datasets.find((d) => d.name === 'demo')!.stats!.N, 20);
    assert.equal((await client.page(2, 'demo', 0, 1)).count, 1);
  } finally {
    client.dispose();
  }
});

test('a dataset file is read and sent once per content, and again for a fresh worker', async () => {
  const client = new EditorWorkerClient(nodeWorker(workerScript));
  let reads = 0;
  const file = { path: 'external-dataset.csv', stamp: 'm1', read: async () => (reads++, new Uint8Array(csv)) };
  try {
    assert.equal((await client.analyse(1, external, [file])).datasets[0].stats!.N, 3);
    assert.equal((await client.analyse(2, external, [file])).datasets[0].stats!.N, 3);
    assert.equal(reads, 1);
    client.cancel();
    assert.equal((await client.analyse(3, external, [file])).datasets[0].stats!.N, 3);
    assert.equal(reads, 2);
    const missing = await client.analyse(4, external, [{ path: 'external-dataset.csv', missing: true }]);
    assert.match(missing.datasets[0].error!, /not found/);
  } finally {
    client.dispose();
  }
});

test('file checks for the Problems panel: every bad row located in its own file, files of different documents kept apart', async () => {
  const client = new EditorWorkerClient(nodeWorker(workerScript));
  const good = new Uint8Array(csv);
  const bad = new TextEncoder().encode('episode,step,state,action\n0,0,c0,right\n0,9,c1,right\n0,1,c1,jump\n');
  try {
    const [a, b] = await Promise.all([
      client.check(external, [{ path: 'external-dataset.csv', key: 'file:///a/external-dataset.csv', stamp: '1', read: async () => good }]),
      client.check(external, [{ path: 'external-dataset.csv', key: 'file:///b/external-dataset.csv', stamp: '1', read: async () => bad }]),
    ]);
    assert.deepEqual(a[0].diagnostics, []);
    assert.deepEqual(
      b[0].diagnostics.map((d) => [d.start.line, d.message]),
      [
        [3, 'external-dataset.csv row 3: step 9 must be an integer in 0…7'],
        [4, 'external-dataset.csv row 4: unknown action "jump"'],
      ],
    );
    const missing = await client.check(external, [{ path: 'external-dataset.csv', key: 'file:///c/x.csv', missing: true }]);
    assert.match(missing[0].error!, /not found beside this file/);
  } finally {
    client.dispose();
  }
});

test('requests to the worker are checked before use', () => {
  const { analyse, page, export: exportFile } = editorWorkerProtocol;
  assert.equal(page.params({ version: 2, dataset: 'd', start: 0, count: 5 }), true);
  assert.equal(analyse.params({ version: 2, text: '', files: [{ path: 'a.csv', stamp: 's', bytes: new Uint8Array(1) }] }), true);
  assert.equal(page.params({ version: -1, dataset: 'd', start: 0, count: 5 }), false);
  assert.equal(page.params({ version: 1, dataset: 'd', start: 0.5, count: 5 }), false);
  assert.equal(analyse.params({ version: 2, text: '', files: [{ path: 'a.csv', stamp: 's', bytes: 'not bytes' }] }), false);
  assert.equal(exportFile.params({ version: 1, dataset: 'd', format: 'xml' }), false);
  assert.equal(Object.hasOwn(editorWorkerProtocol, 'run'), false);
});
