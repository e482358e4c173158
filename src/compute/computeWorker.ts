/**
 * The compute worker: runs the IL core for the extension host (which never blocks on it), for every
 * panel and command at once. Requests run as they come; a synchronous computation keeps the thread
 * until it ends, while big sweeps go to one pool of threads (kept warm between requests) and run there
 * one at a time, so other requests are answered meanwhile. Each request stops on its own cancel signal.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { planGapVsHorizon, prepareSweep, runSweepPlan, type SweepControl } from '../core/experiments';
import { POOL_THRESHOLD_TRANSITIONS, sampledTransitions, SweepPool } from '../parallel/sweepPool';
import { nodeWorker, parentPortOf } from '../workers/nodeWorker';
import type { Progress } from '../workers/protocol';
import { serve, type CancelSignal } from '../workers/serve';
import { computeProtocol } from './computeProtocol';
import { computePanel, PanelProblems, type SweepRunner } from './panelCompute';

/** Progress at most this often, and at the end: a sweep of 10⁶ datasets would otherwise flood the host. */
const PROGRESS_INTERVAL_MS = 100;

let pool: SweepPool | undefined;

/** `workers` comes with each request (the setting, read by the host as it asks): a changed size gets a fresh pool at its next big sweep. */
function runSweep(signal: CancelSignal, workers = availableParallelism()): SweepRunner {
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
    // The sweep worker bundle sits beside this one in dist/.
    pool ??= new SweepPool(nodeWorker(join(__dirname, 'sweepWorker.js')), workers);
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
  parentPortOf('computeWorker'),
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
