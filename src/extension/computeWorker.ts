/**
 * The worker thread that runs the IL core for the extension host, so the host never blocks on a
 * sweep. Requests run one at a time; the host cancels by terminating the worker.
 */
import { parentPort } from 'node:worker_threads';
import { CoreError, gapVsHorizon } from '../core';
import { isComputeRequest, type ComputeResponse } from '../shared/protocol';

const port = parentPort;
if (!port) throw new Error('computeWorker must run in a worker thread');

function send(message: ComputeResponse): void {
  port!.postMessage(message);
}

port.on('message', (message: unknown) => {
  if (!isComputeRequest(message)) {
    const id = typeof (message as { id?: unknown })?.id === 'number' ? (message as { id: number }).id : 0;
    send({ id, type: 'error', message: 'malformed request to the compute worker', code: 'protocol' });
    return;
  }
  try {
    let lastReport = 0;
    const result = gapVsHorizon(message.spec, {
      onProgress: (done, total) => {
        const now = Date.now();
        if (now - lastReport > 100 || done === total) {
          lastReport = now;
          send({ id: message.id, type: 'progress', done, total });
        }
      },
    });
    send({ id: message.id, type: 'result', result });
  } catch (error) {
    const code = error instanceof CoreError ? error.code : 'internal';
    send({ id: message.id, type: 'error', message: error instanceof Error ? error.message : String(error), code });
  }
});
