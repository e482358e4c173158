/**
 * `il.parallel`: the kernel's sweeps on a pool of worker threads (one per core by default), awaited so
 * that the cell yields while they run. Every seed is the one the synchronous sweep uses, so each result
 * equals `il.gapVsHorizon(…)` and its siblings bit for bit, whatever the number of workers. The pool stays
 * warm from cell to cell and ends with the kernel: its threads belong to the kernel's process, which a
 * restart or a closed notebook ends.
 */
import { AsyncResource } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as core from '../../core';
import { nodeWorker } from '../../workers/nodeWorker';
import { createParallelSweepsOn, type ParallelSweeps } from './parallelApi';

export type { ParallelOptions, ParallelSweeps } from './parallelApi';

/** `defaultWorkers`: the threads a sweep gets when it does not say (the setting ilNotebooks.sweeps.workers; absent, one per core). */
export function createParallelSweeps(signal: { readonly aborted: boolean }, workerScript: string, defaultWorkers?: number): { readonly api: ParallelSweeps; cancel(): void } {
  return createParallelSweepsOn(signal, nodeWorker(workerScript), defaultWorkers ?? availableParallelism(), {
    check: () => {
      if (!existsSync(workerScript)) {
        throw new core.CoreError(`il.parallel: the sweep worker ${workerScript} is missing; run \`npm run build\`, which writes it beside the kernel`, 'sweep-worker');
      }
    },
    bind: (f) => AsyncResource.bind(f),
  });
}
