/**
 * The compute worker's handlers (see computeWorker.ts), shared by its Node entry (a worker thread whose
 * pool is worker threads) and its web one (computeWorkerWeb.ts: a Web Worker whose pool is Web Workers).
 */
import { planGapVsHorizon, prepareSweep, runSweepPlan, type SweepControl } from '../core/experiments';
import { POOL_THRESHOLD_TRANSITIONS, sampledTransitions, SweepPool } from '../parallel/sweepPool';
import type { Port, WorkerFactory } from '../workers/port';
import type { Progress } from '../workers/protocol';
import { serve, type CancelSignal } from '../workers/serve';
import { computeProtocol } from './computeProtocol';
import { computePanel, PanelProblems, type SweepRunner } from './panelCompute';

/** Progress at most this often, and at the end: a sweep of 10⁶ datasets would otherwise flood the host. */
const PROGRESS_INTERVAL_MS = 100;

export interface ComputeWorkerRuntime {
  /** The sweep pool's workers (a pool is started at the first sweep big enough for it). */
  readonly sweepWorker: WorkerFactory;
  /** The pool's size when a request does not say: one per core. */
  readonly cores: number;
}

export function serveComputeWorker(port: Port, runtime: ComputeWorkerRuntime): void {
  let pool: SweepPool | undefined;

  /** `workers` comes with each request (the setting, read by the host as it asks): a changed size gets a fresh pool at its next big sweep. */
  function runSweep(signal: CancelSignal, workers = runtime.cores): SweepRunner {
    return async (plan, control) => {
      if (workers < 2 || sampledTransitions(plan) < POOL_THRESHOLD_TRANSITIONS) {
        await prepareSweep(plan);
        return runSweepPlan(plan, control);
      }
      if (pool && pool.size !== workers) {
        // The old pool's threads end once the sweeps other panels asked of it are done.
        void pool.disposeWhenIdle();
        pool = undefined;
      }
      pool ??= new SweepPool(runtime.sweepWorker, workers);
      return pool.run(plan, { ...control, signal });
    };
  }

  function controlOf(signal: CancelSignal, emit: (progress: Progress) => void): SweepControl {
    let lastReport = 0;
    return {
      signal,
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - lastReport > PROGRESS_INTERVAL_MS || done === total) {
          lastReport = now;
          emit({ done, total });
        }
      },
    };
  }

  serve(
    port,
    computeProtocol,
    {
      'gap-vs-H': ({ workers, ...spec }, { signal, emit }) => runSweep(signal, workers)(planGapVsHorizon(spec), controlOf(signal, emit)),
      panel: ({ source, params, workers }, { signal, emit }) => computePanel(source, params, controlOf(signal, emit), runSweep(signal, workers)),
    },
    {
      name: 'compute worker',
      describeError: (error) => (error instanceof PanelProblems ? { code: 'problems', message: error.message, data: error.problems } : undefined),
    },
  );
}
