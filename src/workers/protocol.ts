/**
 * A protocol between a host and a worker: its methods, each with guards for what the worker may be
 * sent (params), what it answers (result) and what it reports on the way (events). Both sides check
 * every message with them, so nothing crosses a thread unchecked. The envelope of every message is
 * defined here too, once for every channel.
 */
import { isCount, isPositiveInteger, isRecord } from '../core/guards';

export type Guard<T> = (x: unknown) => x is T;

export interface Method<P, R, E> {
  readonly params: Guard<P>;
  readonly result: Guard<R>;
  /** Reports the worker sends before the result (progress, streamed output); none when absent. */
  readonly event?: Guard<E>;
}

/** A method's guards, typed: `method({ params: isSpec, result: isSweepResult, event: isProgress })`. */
export function method<P, R, E = never>(guards: Method<P, R, E>): Method<P, R, E> {
  return guards;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Protocol = Readonly<Record<string, Method<any, any, any>>>;
export type ParamsOf<M> = M extends Method<infer P, unknown, unknown> ? P : never;
export type ResultOf<M> = M extends Method<unknown, infer R, unknown> ? R : never;
export type EventOf<M> = M extends Method<unknown, unknown, infer E> ? E : never;

/** Progress as most methods report it: `done` of `total` units (datasets, samples). */
export interface Progress {
  readonly done: number;
  readonly total: number;
}

export function isProgress(x: unknown): x is Progress {
  return isRecord(x) && typeof x.done === 'number' && typeof x.total === 'number';
}

// ---- the envelope ----

/** Host → worker. `slot` is the request's entry on the cancel board (see RpcClient), when there is one. */
export type ToWorker =
  | { readonly rpc: 'init'; readonly cancelBoard: SharedArrayBuffer }
  | { readonly rpc: 'call'; readonly id: number; readonly method: string; readonly params: unknown; readonly slot: number }
  | { readonly rpc: 'cancel'; readonly id: number };

/** A worker's error, as sent: `code` says what kind (`cancelled`, `protocol`, `internal`, a CoreError's code). */
export interface ErrorData {
  readonly message: string;
  readonly code: string;
  readonly data?: unknown;
}

/** Worker → host. id 0 answers a message too malformed to carry an id. */
export type FromWorker =
  | { readonly rpc: 'event'; readonly id: number; readonly event: unknown }
  | { readonly rpc: 'result'; readonly id: number; readonly value: unknown }
  | { readonly rpc: 'error'; readonly id: number; readonly error: ErrorData };

export function isToWorker(x: unknown): x is ToWorker {
  if (!isRecord(x)) return false;
  switch (x.rpc) {
    case 'init':
      return typeof SharedArrayBuffer !== 'undefined' && x.cancelBoard instanceof SharedArrayBuffer;
    case 'call':
      return isPositiveInteger(x.id) && typeof x.method === 'string' && Number.isInteger(x.slot) && (x.slot as number) >= -1;
    case 'cancel':
      return isPositiveInteger(x.id);
    default:
      return false;
  }
}

function isErrorData(x: unknown): x is ErrorData {
  return isRecord(x) && typeof x.message === 'string' && typeof x.code === 'string';
}

export function isFromWorker(x: unknown): x is FromWorker {
  if (!isRecord(x) || !isCount(x.id)) return false;
  switch (x.rpc) {
    case 'event':
      return 'event' in x;
    case 'result':
      return 'value' in x;
    case 'error':
      return isErrorData(x.error);
    default:
      return false;
  }
}
