/**
 * `il.parallel`: the kernel's sweeps on a pool of worker threads (one per core by default), awaited so
 * that the cell yields while they run. Every seed is the one the synchronous sweep uses, so each result
 * equals `il.gapVsHorizon(…)` and its siblings bit for bit, whatever the number of workers. The pool stays
 * warm from cell to cell and ends with the kernel: its threads belong to the kernel's process, which a
 * restart or a closed notebook ends.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as core from '../../core';
import { SweepPool } from '../../parallel/sweepPool';
import { nodeWorker } from '../../workers/nodeWorker';

export interface ParallelOptions {
  /** Worker threads (default: one per core). The result does not depend on it. */
  readonly workers?: number;
  /** Called as slices of seeds finish, with the number of datasets done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * `il.parallel`: the sweeps of `il` on worker threads, awaited. Each gives exactly what its synchronous
 * namesake gives for the same spec, whatever `workers` is.
 */
export interface ParallelSweeps {
  /** Gap vs H on worker threads: `await il.parallel.gapVsHorizon(spec, { workers? })` equals `il.gapVsHorizon(spec)`. */
  gapVsHorizon(spec: core.GapVsHorizonSpec, options?: ParallelOptions): Promise<core.SweepResult>;
  /** Gap vs N on worker threads; equals `il.gapVsSamples(spec)`. */
  gapVsSamples(spec: core.GapVsSamplesSpec, options?: ParallelOptions): Promise<core.SweepResult>;
  /** Gap vs H for your own MDP and expert on worker threads; equals `il.gapVsHorizonOn(env, spec)`. */
  gapVsHorizonOn(env: core.Environment, spec: core.SweepOptions & { readonly N: number; readonly horizons: readonly number[] }, options?: ParallelOptions): Promise<core.SweepResult>;
  /** Gap vs N for your own MDP and expert on worker threads; equals `il.gapVsSamplesOn(env, spec)`. */
  gapVsSamplesOn(env: core.Environment, spec: core.SweepOptions & { readonly sampleSizes: readonly number[] }, options?: ParallelOptions): Promise<core.SweepResult>;
  /** Any plan (`il.planGapVsHorizon(…)`, …) on worker threads; equals `il.runSweepPlan(plan)`. */
  runSweepPlan(plan: core.SweepPlan, options?: ParallelOptions): Promise<core.SweepResult>;
  /** The number of worker threads used when `workers` is not given: the setting ilNotebooks.sweeps.workers, one per core by default. */
  readonly defaultWorkers: number;
}

/** `defaultWorkers`: the threads a sweep gets when it does not say (the setting ilNotebooks.sweeps.workers; absent, one per core). */
export function createParallelSweeps(signal: { readonly aborted: boolean }, workerScript: string, defaultWorkers?: number): { readonly api: ParallelSweeps; cancel(): void } {
  let pool: SweepPool | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  // Bumped by cancel(): sweeps queued behind the cancelled one belong to the interrupted cell too.
  let epoch = 0;

  const poolOf = (workers: number): SweepPool => {
    if (pool && pool.size === workers) return pool;
    if (!existsSync(workerScript)) {
      throw new core.CoreError(`il.parallel: the sweep worker ${workerScript} is missing; run \`npm run build\`, which writes it beside the kernel`, 'sweep-worker');
    }
    void pool?.dispose();
    pool = new SweepPool(nodeWorker(workerScript), workers);
    return pool;
  };

  const workersOf = (options: ParallelOptions): number => {
    const workers = options.workers ?? defaultWorkers ?? availableParallelism();
    if (!Number.isInteger(workers) || workers < 1) throw new core.CoreError(`il.parallel: workers must be a whole number ≥ 1, got ${String(options.workers)}`, 'invalid-argument');
    return workers;
  };

  /** Sweeps run one at a time, in the order they were asked for (a pool runs one sweep at a time). */
  const run = (plan: core.SweepPlan, options: ParallelOptions = {}): Promise<core.SweepResult> => {
    const workers = workersOf(options);
    const asked = epoch;
    const result = queue.then(() => {
      if (asked !== epoch || signal.aborted) throw new core.CoreError('the sweep was cancelled', 'cancelled');
      return poolOf(workers).run(plan, { signal, onProgress: options.onProgress });
    });
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    /** Stops the running sweep and every queued one (the cell was interrupted). */
    cancel(): void {
      epoch++;
      pool?.cancel();
    },
    api: {
      gapVsHorizon: (spec, options) => run(core.planGapVsHorizon(spec), options),
      gapVsSamples: (spec, options) => run(core.planGapVsSamples(spec), options),
      gapVsHorizonOn: (env, spec, options) => run(core.planGapVsHorizonOn(env, spec), options),
      gapVsSamplesOn: (env, spec, options) => run(core.planGapVsSamplesOn(env, spec), options),
      runSweepPlan: (plan, options) => run(plan, options),
      get defaultWorkers(): number {
        return defaultWorkers ?? availableParallelism();
      },
    },
  };
}
