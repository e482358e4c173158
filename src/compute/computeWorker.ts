/**
 * The worker thread that runs the IL core for the extension host, so the host never blocks. Requests
 * run one at a time; the host cancels by terminating the worker, which also ends the sweep pool's
 * threads that this worker started. Big sweeps go to that pool (kept warm between requests).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { CoreError, gapVsHorizon, runSweepPlan, type SweepControl } from '../core';
import { POOL_THRESHOLD_TRANSITIONS, sampledTransitions, SweepPool } from '../parallel/sweepPool';
import { computePanel, PanelProblems, type SweepRunner } from '../panels/panelCompute';
import { isComputeRequest, type ComputeRequest, type ComputeResponse } from '../shared/protocol';

const port = parentPort;
if (!port) throw new Error('computeWorker must run in a worker thread');

function send(message: ComputeResponse): void {
  port!.postMessage(message);
}

let pool: SweepPool | undefined;

const runSweep: SweepRunner = async (plan, control) => {
  if (availableParallelism() < 2 || sampledTransitions(plan) < POOL_THRESHOLD_TRANSITIONS) return runSweepPlan(plan, control);
  // The sweep worker bundle sits beside this one in dist/.
  pool ??= new SweepPool(join(__dirname, 'sweepWorker.js'));
  return pool.run(plan, control);
};

function run(message: ComputeRequest, control: SweepControl): Promise<unknown> {
  if (message.type === 'panel') return computePanel(message.source, message.params, control, runSweep);
  return Promise.resolve(gapVsHorizon(message.spec, control));
}

// One request at a time, in order: a sweep in the pool awaits, and the next request must not overtake it.
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: unknown) => {
  if (!isComputeRequest(message)) {
    const id = typeof (message as { id?: unknown })?.id === 'number' ? (message as { id: number }).id : 0;
    send({ id, type: 'error', message: 'malformed request to the compute worker', code: 'protocol' });
    return;
  }
  queue = queue.then(async () => {
    let lastReport = 0;
    const control: SweepControl = {
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - lastReport > 100 || done === total) {
          lastReport = now;
          send({ id: message.id, type: 'progress', done, total });
        }
      },
    };
    try {
      const result = (await run(message, control)) as Extract<ComputeResponse, { type: 'result' }>['result'];
      send({ id: message.id, type: 'result', result });
    } catch (error) {
      if (error instanceof PanelProblems) {
        send({ id: message.id, type: 'error', message: error.message, code: 'problems', problems: error.problems });
        return;
      }
      const code = error instanceof CoreError ? error.code : 'internal';
      send({ id: message.id, type: 'error', message: error instanceof Error ? error.message : String(error), code });
    }
  });
});
