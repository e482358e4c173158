/**
 * The compute worker as a Web Worker, for the web build: the same handlers as computeWorker.ts, its
 * sweep pool Web Workers too (as many as navigator.hardwareConcurrency), started from the blob: URL
 * the host handed over (webPlatform.ts).
 */
import { nestedSweepWorkers, scopePort, scopeStartup, webWorker, type WebWorkerLike } from '../workers/webWorker';
import { useHostHighs } from '../workers/webHighs';
import { serveComputeWorker } from './computeHandlers';

const scope = globalThis as unknown as Parameters<typeof scopePort>[0] & { readonly IL_WORKER_STARTUP?: unknown; readonly IL_HIGHS_WASM?: unknown; readonly Worker?: new (url: string) => WebWorkerLike };
const startup = scopeStartup(scope);
// HiGHS's WebAssembly, from the host, for when a sweep of an LP learner first needs it.
useHostHighs(scope);

serveComputeWorker(scopePort(scope), { sweepWorker: webWorker(nestedSweepWorkers(startup, scope)), cores: startup.hardwareConcurrency });
