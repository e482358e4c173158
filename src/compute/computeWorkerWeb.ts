/**
 * The compute worker as a Web Worker, for the web build: the same handlers as computeWorker.ts, its
 * sweep pool Web Workers too (as many as navigator.hardwareConcurrency), started from the blob: URL
 * the host handed over (webPlatform.ts).
 */
import { setLpDefaults } from '../core/highs';
import { nestedSweepWorkers, scopePort, scopeStartup, webWorker, type WebWorkerLike } from '../workers/webWorker';
import { serveComputeWorker } from './computeHandlers';

const scope = globalThis as unknown as Parameters<typeof scopePort>[0] & { readonly IL_WORKER_STARTUP?: unknown; readonly Worker?: new (url: string) => WebWorkerLike };
const startup = scopeStartup(scope);
// HiGHS is loaded from the host's blob: URL, when a sweep of an LP learner first needs it.
const wasm = startup.highsWasmUrl;
if (wasm) setLpDefaults({ locateFile: (file) => (file.endsWith('.wasm') ? wasm : file) });

serveComputeWorker(scopePort(scope), { sweepWorker: webWorker(nestedSweepWorkers(startup, scope)), cores: startup.hardwareConcurrency });
