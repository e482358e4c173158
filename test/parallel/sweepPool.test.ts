import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { planGapVsHorizon, planGapVsSamplesOn, prepareSweep, runSweepPlan } from '../../src/core/experiments';
import { garnet } from '../../src/core/envs/garnet';
import { mergeShards, runSweepPlanInPool, sliceRange, SweepPool } from '../../src/parallel/sweepPool';
import { nodeWorker } from '../../src/workers/nodeWorker';

const workerScript = join(mkdtempSync(join(tmpdir(), 'il-pool-')), 'sweepWorker.js');
before(async () => {
  await build({ entryPoints: [join(__dirname, '../../src/parallel/sweepWorker.ts')], outfile: workerScript, bundle: true, platform: 'node', format: 'cjs', logLevel: 'error' });
  // The LP learners' workers find HiGHS's WebAssembly beside their bundle, as in dist/.
  copyFileSync(require.resolve('highs/runtime'), join(dirname(workerScript), 'highs.wasm'));
});

const spec = { env: { kind: 'reset-cliff' as const, nS: 11, nA: 2, H: 1 }, N: 20, horizons: [1, 4, 16], seeds: 101, baseSeed: 'pool', slopeRange: [1, 16] as [number, number] };

test('a pool of workers gives the single-threaded result bit for bit', async () => {
  const single = runSweepPlan(planGapVsHorizon(spec));
  const progress: number[] = [];
  const pooled = await runSweepPlanInPool(planGapVsHorizon(spec), { factory: nodeWorker(workerScript), workers: 2, onProgress: (done) => progress.push(done) });
  assert.deepEqual(pooled, single);
  assert.equal(progress.at(-1), 3 * 101);
  // An MDP of its own (stochastic transitions, an optimal expert) travels to the workers intact.
  const env = garnet({ nS: 30, nA: 3, H: 8, branching: 3, seed: 'g' });
  const samples = { sampleSizes: [2, 8], seeds: 40, baseSeed: 'g' };
  assert.deepEqual(await runSweepPlanInPool(planGapVsSamplesOn(env, samples), { factory: nodeWorker(workerScript), workers: 3 }), runSweepPlan(planGapVsSamplesOn(env, samples)));
  // A learner other than BC is named in the points, so the workers run it too.
  const daggerSpec = { ...spec, algorithm: 'dagger' as const, env: { kind: 'reset-cliff-recovery' as const, nS: 8, nA: 3, H: 1 } };
  const daggerPooled = await runSweepPlanInPool(planGapVsHorizon(daggerSpec), { factory: nodeWorker(workerScript), workers: 2 });
  assert.equal(daggerPooled.algorithm, 'dagger');
  assert.deepEqual(daggerPooled, runSweepPlan(planGapVsHorizon(daggerSpec)));
});

test('the LP learners run in the pool: each worker loads HiGHS on its first slice, and the result is the single-threaded one bit for bit', async () => {
  for (const algorithm of ['tv-ail', 'mimic-md'] as const) {
    const lpSpec = { ...spec, algorithm, horizons: [2, 8], seeds: 12, env: { kind: 'reset-cliff' as const, nS: 6, nA: 2, H: 1, rho: 'lower-bound' as const } };
    const plan = planGapVsHorizon(lpSpec);
    await prepareSweep(plan);
    const pooled = await runSweepPlanInPool(planGapVsHorizon(lpSpec), { factory: nodeWorker(workerScript), workers: 2 });
    assert.equal(pooled.algorithm, algorithm);
    assert.deepEqual(pooled, runSweepPlan(plan));
  }
});

test('MCE-IRL runs in the pool (no solver to load) and gives the single-threaded result bit for bit', async () => {
  const mceSpec = { ...spec, algorithm: 'mce-irl' as const, horizons: [2, 6], seeds: 6, env: { kind: 'reset-cliff' as const, nS: 6, nA: 2, H: 1, rho: 'lower-bound' as const } };
  const pooled = await runSweepPlanInPool(planGapVsHorizon(mceSpec), { factory: nodeWorker(workerScript), workers: 2 });
  assert.equal(pooled.algorithm, 'mce-irl');
  assert.deepEqual(pooled, runSweepPlan(planGapVsHorizon(mceSpec)));
});

test('shards cover every seed once, and merged they equal the whole sweep', async () => {
  for (const [seeds, count] of [[101, 3], [5, 4], [2, 5]]) {
    const covered = Array.from({ length: count }, (_, i) => sliceRange(seeds, i, count)).flatMap(([a, b]) => Array.from({ length: b - a }, (_, k) => a + k));
    assert.deepEqual(covered, Array.from({ length: seeds }, (_, i) => i));
  }
  const plan = planGapVsHorizon(spec);
  const shards: Float64Array[][] = [];
  const pool = new SweepPool(nodeWorker(workerScript), 2);
  try {
    // One pool serves several sweeps in turn.
    for (let index = 0; index < 3; index++) shards.push(await pool.gaps(plan, { shard: { index, count: 3 } }));
  } finally {
    await pool.dispose();
  }
  assert.deepEqual(mergeShards(planGapVsHorizon(spec), shards), runSweepPlan(planGapVsHorizon(spec)));
  assert.throws(() => mergeShards(plan, shards.slice(0, 2)), /holds \d+ gaps/);
});

test('a pool stops when the sweep is cancelled', async () => {
  const signal = { aborted: false };
  const running = runSweepPlanInPool(planGapVsHorizon({ ...spec, seeds: 20000 }), { factory: nodeWorker(workerScript), workers: 2, signal, onProgress: () => (signal.aborted = true) });
  await assert.rejects(running, /cancelled/);
});

test('cancel() ends the running sweep without waiting for its slices; the pool then runs the next one in full', async () => {
  const pool = new SweepPool(nodeWorker(workerScript), 2);
  try {
    let after = 0;
    let cancelled = false;
    const running = pool.run(planGapVsHorizon({ ...spec, seeds: 20000 }), {
      onProgress: () => {
        if (cancelled) after++;
        cancelled = true;
        pool.cancel();
      },
    });
    await assert.rejects(running, /cancelled/);
    assert.equal(after, 0, 'no slice reports after the cancel');
    assert.deepEqual(await pool.run(planGapVsHorizon(spec)), runSweepPlan(planGapVsHorizon(spec)));
  } finally {
    await pool.dispose();
  }
});

test('sweeps asked of one pool at once run one after the other, each exactly as alone', async () => {
  const pool = new SweepPool(nodeWorker(workerScript), 2);
  try {
    const other = { ...spec, N: 7, baseSeed: 'second' };
    const [a, b] = await Promise.all([pool.run(planGapVsHorizon(spec)), pool.run(planGapVsHorizon(other))]);
    assert.deepEqual(a, runSweepPlan(planGapVsHorizon(spec)));
    assert.deepEqual(b, runSweepPlan(planGapVsHorizon(other)));
  } finally {
    await pool.dispose();
  }
});

test('a signal that calls back stops the sweep at once; a queued sweep whose signal is already set never starts', async () => {
  const pool = new SweepPool(nodeWorker(workerScript), 2);
  try {
    const listeners: (() => void)[] = [];
    let reports = 0;
    let afterAbort = 0;
    const signal = { aborted: false, onAbort: (l: () => void) => (listeners.push(l), () => undefined) };
    const running = pool.run(planGapVsHorizon({ ...spec, seeds: 20000 }), {
      signal,
      onProgress: () => {
        if (signal.aborted) afterAbort++;
        if (++reports === 1) {
          signal.aborted = true;
          listeners.forEach((l) => l());
        }
      },
    });
    const queued = pool.run(planGapVsHorizon(spec), { signal: { aborted: true } });
    await assert.rejects(running, /cancelled/);
    await assert.rejects(queued, /cancelled/);
    assert.equal(afterAbort, 0);
    assert.deepEqual(await pool.run(planGapVsHorizon(spec)), runSweepPlan(planGapVsHorizon(spec)));
  } finally {
    await pool.dispose();
  }
});

test('the workers check what they are sent: a point with an invalid MDP is refused, not run', async () => {
  const plan = planGapVsHorizon(spec);
  const broken = { ...plan, points: plan.points.map((p) => ({ ...p, env: { ...p.env, mdp: { ...p.env.mdp, rho: new Float64Array(p.env.mdp.nS) } } })) };
  const pool = new SweepPool(nodeWorker(workerScript), 2);
  try {
    await assert.rejects(pool.run(broken), (e: unknown) => e instanceof Error && (e as { code?: string }).code === 'protocol' && /bad parameters for points/.test(e.message));
  } finally {
    await pool.dispose();
  }
});
