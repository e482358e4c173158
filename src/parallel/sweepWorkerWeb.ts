/** A sweep-pool worker as a Web Worker, for the web build: the same handlers as sweepWorker.ts. */
import { setLpDefaults } from '../core/highs';
import { scopePort, scopeStartup } from '../workers/webWorker';
import { serveSweepWorker } from './sweepHandlers';

const scope = globalThis as unknown as Parameters<typeof scopePort>[0] & { readonly IL_WORKER_STARTUP?: unknown };
// HiGHS comes from the host's blob: URL, loaded by the first slice of an LP learner.
const wasm = scopeStartup(scope).highsWasmUrl;
if (wasm) setLpDefaults({ locateFile: (file) => (file.endsWith('.wasm') ? wasm : file) });
serveSweepWorker(scopePort(scope));
