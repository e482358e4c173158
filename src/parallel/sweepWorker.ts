/**
 * A sweep-pool worker: holds the points of the current sweep and computes the per-seed gaps of the
 * slices it is handed, exactly as the single-threaded sweep would. It lives as long as its pool, so its
 * compiled code stays warm from one sweep to the next.
 */
import { parentPortOf } from '../workers/nodeWorker';
import { serveSweepWorker } from './sweepHandlers';

serveSweepWorker(parentPortOf('sweepWorker'));
