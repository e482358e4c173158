/**
 * The owner's policy for a worker that may be stuck in a synchronous computation, where a cancel
 * message is never read: the caller hears CancelledError as soon as it cancels, and if the worker has
 * not answered after a grace period it is replaced (RpcClient.restart re-sends the other pending calls,
 * so one runaway request costs the others a restart, not their answers). The compute service and the
 * parse service both use it.
 */
import type { CancelSignalLike } from './client';
import { CancelledError } from './errors';

export function restartOnCancel<T>(call: Promise<T>, signal: CancelSignalLike | undefined, restart: () => Promise<void>, graceMs: number, what: string): Promise<T> {
  if (!signal) return call;
  return new Promise((resolve, reject) => {
    let settled = false;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      reject(new CancelledError(what));
      grace = setTimeout(() => {
        if (!settled) void restart();
      }, graceMs);
    };
    const finish = () => {
      settled = true;
      clearTimeout(grace);
      signal.removeEventListener('abort', onAbort);
    };
    call.then(
      (value) => (finish(), resolve(value)),
      (error: Error) => (finish(), reject(error)),
    );
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort);
  });
}
