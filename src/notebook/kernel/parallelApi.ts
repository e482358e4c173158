/**
 * `il.parallel` over any pool of workers (parallelSweeps.ts gives the Node kernel's, worker threads; the
 * web kernel passes Web Workers): the queue, the cancellation and the API, apart from how workers start.
 */
import * as core from '../../core';
import { SweepPool } from '../../parallel/sweepPool';
import type { WorkerFactory } from '../../workers/port';

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

export interface PoolRuntime {
  /** Checks that the workers can start at all before a pool is made (the Node kernel: the bundle exists). */
  readonly check?: () => void;
  /** Binds a progress callback to the cell that asked (the Node kernel's AsyncResource.bind); identity by default. */
  readonly bind?: (f: (done: number, total: number) => void) => (done: number, total: number) => void;
}

/** `defaultWorkers`: the workers a sweep gets when it does not say. */
export function createParallelSweepsOn(signal: { readonly aborted: boolean }, workers: WorkerFactory, defaultWorkers: number, runtime: PoolRuntime = {}): { readonly api: ParallelSweeps; cancel(): void } {
  let pool: SweepPool | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  // Bumped by cancel(): sweeps queued behind the cancelled one belong to the interrupted cell too.
  let epoch = 0;

  const poolOf = (size: number): SweepPool => {
    if (pool && pool.size === size) return pool;
    runtime.check?.();
    void pool?.dispose();
    pool = new SweepPool(workers, size);
    return pool;
  };

  const workersOf = (options: ParallelOptions): number => {
    const n = options.workers ?? defaultWorkers;
    if (!Number.isInteger(n) || n < 1) throw new core.CoreError(`il.parallel: workers must be a whole number ≥ 1, got ${String(options.workers)}`, 'invalid-argument');
    return n;
  };

  /** Sweeps run one at a time, in the order they were asked for (a pool runs one sweep at a time). */
  const run = (plan: core.SweepPlan, options: ParallelOptions = {}): Promise<core.SweepResult> => {
    const size = workersOf(options);
    const asked = epoch;
    // The pool's workers were started by an earlier cell, and their messages come in its context:
    // bound here, a progress callback's console.log belongs to the cell that asked for this sweep.
    const onProgress = options.onProgress && (runtime.bind ? runtime.bind(options.onProgress) : options.onProgress);
    const result = queue.then(() => {
      if (asked !== epoch || signal.aborted) throw new core.CoreError('the sweep was cancelled', 'cancelled');
      return poolOf(size).run(plan, { signal, onProgress });
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
      defaultWorkers,
    },
  };
}
