/**
 * The Port of Node's worker_threads: a host starts workers with `nodeWorker(script, options)`, and a
 * worker serves on `parentPortOf()`.
 */
import { parentPort, Worker, type WorkerOptions } from 'node:worker_threads';
import type { Port, WorkerExit, WorkerFactory, WorkerHandle } from './port';

function listenOn(target: { on(event: 'message', l: (m: unknown) => void): unknown; off(event: 'message', l: (m: unknown) => void): unknown }) {
  return (listener: (message: unknown) => void) => {
    target.on('message', listener);
    return () => void target.off('message', listener);
  };
}

/** A factory of worker threads running `script` (a bundled .js file) with these options. */
export function nodeWorker(script: string, options: WorkerOptions = {}): WorkerFactory {
  return () => {
    const worker = new Worker(script, options);
    let ended = false;
    let terminated = false;
    const exitListeners: ((exit: WorkerExit) => void)[] = [];
    const end = (exit: WorkerExit) => {
      if (ended || terminated) return;
      ended = true;
      for (const l of exitListeners) l(exit);
    };
    // 'error' comes before 'exit' for an uncaught exception; the first one says why.
    worker.on('error', (error: Error & { code?: string }) =>
      end(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { reason: 'out-of-memory', message: error.message } : { reason: 'error', message: error.message }),
    );
    worker.on('exit', (code) => end({ reason: 'exit', message: `the worker exited with code ${code}`, code }));
    const handle: WorkerHandle = {
      post: (message, transfer) => worker.postMessage(message, transfer as ArrayBuffer[] | undefined),
      listen: listenOn(worker),
      onExit: (listener) => void exitListeners.push(listener),
      terminate: async () => {
        terminated = true;
        await worker.terminate();
      },
    };
    return handle;
  };
}

/** The worker thread's side: its parent port. Throws outside a worker thread. */
export function parentPortOf(name: string): Port {
  const port = parentPort;
  if (!port) throw new Error(`${name} must run in a worker thread`);
  return {
    post: (message, transfer) => port.postMessage(message, transfer as ArrayBuffer[] | undefined),
    listen: listenOn(port),
  };
}
