/**
 * A sweep-pool worker: holds the points of the current sweep (sent once per sweep) and computes the
 * per-seed gaps of the slices it is handed, exactly as the single-threaded sweep would. It lives as long
 * as its pool, so its compiled code stays warm from one sweep to the next.
 */
import { parentPort } from 'node:worker_threads';
import { sweepPointSlice, type SweepPoint } from '../core/experiments';
import type { PoolMessage, PoolReply } from './sweepPool';

const port = parentPort;
if (!port) throw new Error('sweepWorker must run in a worker thread');
let points: readonly SweepPoint[] = [];

port.on('message', (message: PoolMessage) => {
  if (message.type === 'points') {
    points = message.points;
    return;
  }
  try {
    const gaps = sweepPointSlice(points[message.point], message.from, message.to);
    const reply: PoolReply = { task: message.id, gaps };
    // Copied, not transferred: detaching any ArrayBuffer makes V8 guard every typed-array access in
    // this thread's optimised code from then on: sweeps ran ≈ 20 % slower per seed with it.
    port.postMessage(reply);
  } catch (error) {
    const reply: PoolReply = { task: message.id, error: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
});
