/**
 * The compute worker as a Web Worker, for the web build: the same handlers as computeWorker.ts, its
 * sweep pool Web Workers too (as many as navigator.hardwareConcurrency), started from the blob: URL
 * the host handed over (webPlatform.ts).
 */
import { scopePort, scopeStartup, webWorker, type WebWorkerLike } from '../workers/webWorker';
import { serveComputeWorker } from './computeHandlers';

const scope = globalThis as unknown as Parameters<typeof scopePort>[0] & { readonly IL_WORKER_STARTUP?: unknown; readonly Worker?: new (url: string) => WebWorkerLike };
const startup = scopeStartup(scope);
const sweepUrl = startup.sweepWorkerUrl;
const WorkerClass = scope.Worker;

serveComputeWorker(scopePort(scope), {
  sweepWorker: webWorker(() => {
    if (!sweepUrl || !WorkerClass) throw new Error('the compute worker was started without a sweep worker to pool (webPlatform.ts hands its URL over)');
    return new WorkerClass(sweepUrl);
  }),
  cores: startup.hardwareConcurrency,
});
