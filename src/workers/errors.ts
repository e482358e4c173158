/**
 * The errors a call to a worker can end with, whichever worker it is: cancelled by the caller, refused
 * or failed in the worker (with the worker's error code), or lost with a worker that died.
 */
import type { WorkerExit } from './port';

/** The caller cancelled the request (or replaced the worker that ran it). */
export class CancelledError extends Error {
  constructor(what = 'the computation') {
    super(`${what} was cancelled`);
    this.name = 'CancelledError';
  }
}

/**
 * The worker answered with an error. `code` is the worker's (a CoreError's code, `protocol` for a
 * malformed message, `internal` for a bug); `data` carries details such as file:line:col problems.
 */
export class RemoteError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly data?: unknown,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

/** The worker ended (an uncaught error, out of memory, an exit) while the request was pending. */
export class WorkerDiedError extends Error {
  constructor(
    readonly exit: WorkerExit,
    name: string,
  ) {
    super(`the ${name} stopped: ${exit.message}`);
    this.name = 'WorkerDiedError';
  }
}
