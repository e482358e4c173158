import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { gapVsHorizon } from '../../src/core/experiments';
import { ComputeClient, ComputeProblems } from '../../src/compute/computeClient';
import { CancelledError } from '../../src/workers/errors';
import { nodeWorker } from '../../src/workers/nodeWorker';

// The worker runs as the extension runs it: bundled by esbuild, in a real worker thread, with the sweep
// pool's worker beside it (big sweeps go to the pool).
const dist = mkdtempSync(join(tmpdir(), 'il-worker-'));
const workerScript = join(dist, 'computeWorker.js');
before(async () => {
  for (const [entry, out] of [['compute/computeWorker.ts', 'computeWorker.js'], ['parallel/sweepWorker.ts', 'sweepWorker.js']]) {
    await build({ entryPoints: [join(__dirname, '../../src', entry)], outfile: join(dist, out), bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  }
});
const spec = { env: { kind: 'reset-cliff' as const, nS: 6, nA: 2, H: 1 }, N: 5, horizons: [1, 2, 4], seeds: 30, baseSeed: 'client' };
const file = join(__dirname, '../../examples/reset-cliff.ilmdp');
const text = readFileSync(file, 'utf8');
const expertHeatmap = { kind: 'heatmap', policy: 'expert', stateAction: false, scale: 'linear' } as const;

test('the worker returns the same sweep as the core computes in-process, with progress', async () => {
  const client = new ComputeClient(nodeWorker(workerScript));
  try {
    const progress: number[] = [];
    const result = await client.gapVsHorizon(spec, { onProgress: (done) => progress.push(done) });
    assert.deepEqual(result.rows, gapVsHorizon(spec).rows);
    assert.equal(progress.at(-1), 90);
  } finally {
    client.dispose();
  }
});

test('cancelling one request rejects it at once; the requests of others on the same worker finish, and no worker is replaced', async () => {
  const client = new ComputeClient(nodeWorker(workerScript));
  try {
    const cancel = new AbortController();
    const long = client.gapVsHorizon({ ...spec, horizons: [64, 128], seeds: 100000 }, { signal: cancel.signal, onProgress: () => cancel.abort() });
    const other = client.panel({ file, text }, expertHeatmap);
    await assert.rejects(long, CancelledError);
    assert.equal((await other).view.kind, 'heatmap');
    assert.deepEqual((await client.gapVsHorizon(spec)).rows, gapVsHorizon(spec).rows);
    assert.equal(client.workersStarted, 1, 'the sweep stopped at its next dataset: the worker was kept');
  } finally {
    client.dispose();
  }
});

test('a cancelled computation that does not stop within the grace period costs a fresh worker; the others in flight are sent again', async () => {
  const client = new ComputeClient(nodeWorker(workerScript), { cancelGraceMs: 50 });
  // Generating a 200 000-state Garnet and its optimal expert is one synchronous step with no dataset boundary to stop at.
  const huge = 'mdp:\n  generator: garnet\n  states: 200000\n  actions: 4\n  branching: 4\n  horizon: 100\n  seed: 1\nexperts:\n  expert: { builtin: true }\n';
  try {
    const cancel = new AbortController();
    const stuck = client.panel({ file: join(tmpdir(), 'huge.ilmdp'), text: huge }, expertHeatmap, { signal: cancel.signal });
    const waiting = client.panel({ file, text }, expertHeatmap);
    setTimeout(() => cancel.abort(), 100);
    await assert.rejects(stuck, CancelledError);
    assert.equal((await waiting).view.kind, 'heatmap');
    assert.equal(client.workersStarted, 2);
  } finally {
    client.dispose();
  }
});

test('a malformed request is answered with an error, not a crash', async () => {
  const client = new ComputeClient(nodeWorker(workerScript));
  try {
    await assert.rejects(client.gapVsHorizon({ ...spec, N: 0 }), /malformed request to the compute worker: bad parameters for gap-vs-H/);
    assert.equal((await client.gapVsHorizon(spec)).rows.length, 3);
  } finally {
    client.dispose();
  }
});

test('a panel job comes back as a view, and a file with problems as ComputeProblems with file:line:col', async () => {
  const client = new ComputeClient(nodeWorker(workerScript));
  try {
    const result = await client.panel({ file, text }, expertHeatmap);
    assert.equal(result.view.kind, 'heatmap');
    assert.deepEqual(result.experts, ['expert']);
    const broken = client.panel({ file, text: text.replace('states: 11', 'states: eleven') }, { kind: 'bc-table', mode: 'per-step' });
    await assert.rejects(broken, (e: unknown) => e instanceof ComputeProblems && /reset-cliff\.ilmdp:\d+:\d+: error/.test(e.problems[0]));
  } finally {
    client.dispose();
  }
});

test('the pool size is asked at each request: 1 (no pool), then 2, then 1 again give the in-process sweep, and a size of 0 is refused', async () => {
  let workers = 1;
  const client = new ComputeClient(nodeWorker(workerScript), { sweepWorkers: () => workers });
  // 10⁷ sampled transitions: big enough for the pool when it has two threads or more.
  const big = { env: { kind: 'reset-cliff' as const, nS: 6, nA: 2, H: 1 }, N: 100, horizons: [1000], seeds: 100, baseSeed: 'pool-size' };
  try {
    const expected = gapVsHorizon(big).rows;
    for (const size of [1, 2, 1]) {
      workers = size;
      assert.deepEqual((await client.gapVsHorizon(big)).rows, expected, `${size} worker(s)`);
    }
    workers = 0;
    await assert.rejects(client.gapVsHorizon(spec), /protocol|invalid|malformed/i);
  } finally {
    client.dispose();
  }
});
