/** A sweep-pool worker as a Web Worker, for the web build: the same handlers as sweepWorker.ts. */
import { scopePort } from '../workers/webWorker';
import { useHostHighs } from '../workers/webHighs';
import { serveSweepWorker } from './sweepHandlers';

const scope = globalThis as unknown as Parameters<typeof scopePort>[0] & { readonly IL_HIGHS_WASM?: unknown };
// HiGHS's WebAssembly, from the host, for when a sweep of an LP learner first needs it.
useHostHighs(scope);
serveSweepWorker(scopePort(scope));
