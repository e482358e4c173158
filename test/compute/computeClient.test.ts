import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { gapVsHorizon } from '../../src/core/experiments';
import { CancelledError, ComputeClient, ComputeProblems } from '../../src/extension/computeClient';

// The worker runs as the extension runs it: bundled by esbuild, in a real worker thread.
const workerScript = join(mkdtempSync(join(tmpdir(), 'il-worker-')), 'computeWorker.js');
before(async () => {
  await build({
    entryPoints: [join(__dirname, '../../src/extension/computeWorker.ts')],
    outfile: workerScript,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'error',
  });
});
const spec = { env: { kind: 'reset-cliff' as const, nS: 6, nA: 2, H: 1 }, N: 5, horizons: [1, 2, 4], seeds: 30, baseSeed: 'client' };

test('the worker returns the same sweep as the core computes in-process, with progress', async () => {
  const client = new ComputeClient(workerScript);
  try {
    const progress: number[] = [];
    const result = await client.gapVsHorizon(spec, { onProgress: (done) => progress.push(done) });
    assert.deepEqual(result.rows, gapVsHorizon(spec).rows);
    assert.equal(progress.at(-1), 90);
  } finally {
    client.dispose();
  }
});

test('cancelling terminates the worker, rejects with CancelledError, and the next request still works', async () => {
  const client = new ComputeClient(workerScript);
  try {
    let cancel: (() => void) | undefined;
    const long = client.gapVsHorizon(
      { ...spec, horizons: [64, 128], seeds: 100000 },
      { onCancelRequested: (c) => (cancel = c), onProgress: () => cancel?.() },
    );
    await assert.rejects(long, CancelledError);
    const result = await client.gapVsHorizon(spec);
    assert.equal(result.rows.length, 3);
  } finally {
    client.dispose();
  }
});

test('a malformed request is answered with an error, not a crash', async () => {
  const client = new ComputeClient(workerScript);
  try {
    await assert.rejects(client.gapVsHorizon({ ...spec, N: 0 }), /malformed request/);
  } finally {
    client.dispose();
  }
});

test('a panel job comes back as a view, and a file with problems as ComputeProblems with file:line:col', async () => {
  const file = join(__dirname, '../../examples/reset-cliff.ilmdp');
  const text = readFileSync(file, 'utf8');
  const client = new ComputeClient(workerScript);
  try {
    const result = await client.request({ type: 'panel', source: { file, text }, params: { kind: 'heatmap', policy: 'expert', stateAction: false, scale: 'linear' } });
    assert.equal(result.view.kind, 'heatmap');
    assert.deepEqual(result.experts, ['expert']);
    const broken = client.request({ type: 'panel', source: { file, text: text.replace('states: 11', 'states: eleven') }, params: { kind: 'bc-table', mode: 'per-step' } });
    await assert.rejects(broken, (e: unknown) => e instanceof ComputeProblems && /reset-cliff\.ilmdp:\d+:\d+: error/.test(e.problems[0]));
  } finally {
    client.dispose();
  }
});
