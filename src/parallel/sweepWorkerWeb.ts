/** A sweep-pool worker as a Web Worker, for the web build: the same handlers as sweepWorker.ts. */
import { scopePort } from '../workers/webWorker';
import { serveSweepWorker } from './sweepHandlers';

serveSweepWorker(scopePort(globalThis as unknown as Parameters<typeof scopePort>[0]));
