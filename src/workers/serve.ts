/**
 * The worker's side of an RpcClient: checks every call against the protocol's guards, runs its
 * handler, and answers with the result or an error carrying a code. A malformed message gets a
 * `protocol` error rather than a crash. Handlers are called as calls arrive; a synchronous handler
 * runs to its end first, so a worker that must not interleave two calls needs no queue of its own
 * unless its handlers await.
 */
import { isRecord } from '../core/guards';
import type { Port } from './port';
import { isToWorker, type ErrorData, type EventOf, type FromWorker, type ParamsOf, type Protocol, type ResultOf } from './protocol';

/** A call's cancellation as the worker sees it: read `aborted` between units of work, or listen. */
export interface CancelSignal {
  readonly aborted: boolean;
  /** Runs `listener` when a cancel message arrives (at once if it already has); returns the function that stops listening. */
  onAbort(listener: () => void): () => void;
}

export interface CallContext<E> {
  readonly signal: CancelSignal;
  /** Sends a report (progress, output) to the caller before the result. */
  emit(event: E, transfer?: readonly ArrayBuffer[]): void;
}

/** A result with buffers to move rather than copy: `return withTransfer(value, [bytes.buffer])`. */
export class Reply<R> {
  constructor(
    readonly value: R,
    readonly transfer: readonly ArrayBuffer[],
  ) {}
}

export function withTransfer<R>(value: R, transfer: readonly ArrayBuffer[]): Reply<R> {
  return new Reply(value, transfer);
}

type Answer<R> = R | Reply<R>;

export type Handlers<P extends Protocol> = {
  readonly [M in keyof P]: (params: ParamsOf<P[M]>, context: CallContext<EventOf<P[M]>>) => Answer<ResultOf<P[M]>> | Promise<Answer<ResultOf<P[M]>>>;
};

export interface ServeOptions {
  /** How errors name this worker, e.g. "compute worker". */
  readonly name: string;
  /** Describes a thrown error for the caller; by default its message and its `code` (a CoreError's) or `internal`. */
  readonly describeError?: (error: unknown) => ErrorData | undefined;
}

function defaultError(error: unknown): ErrorData {
  const code = isRecord(error) && typeof error.code === 'string' ? error.code : 'internal';
  return { message: error instanceof Error ? error.message : String(error), code };
}

/** Serves `handlers` on `port` until the returned function is called. */
export function serve<P extends Protocol>(port: Port, protocol: P, handlers: Handlers<P>, options: ServeOptions): () => void {
  let board: Int32Array | undefined;
  const running = new Map<number, { cancelled: boolean; listeners: Set<() => void> }>();
  const send = (message: FromWorker, transfer?: readonly ArrayBuffer[]) => port.post(message, transfer);
  const fail = (id: number, error: ErrorData) => send({ rpc: 'error', id, error });

  const call = async (id: number, method: string, params: unknown, slot: number): Promise<void> => {
    const spec = Object.hasOwn(protocol, method) ? protocol[method] : undefined;
    if (!spec || !spec.params(params)) {
      fail(id, { message: `malformed request to the ${options.name}: ${spec ? `bad parameters for ${method}` : `no method "${method}"`}`, code: 'protocol' });
      return;
    }
    const state = { cancelled: false, listeners: new Set<() => void>() };
    running.set(id, state);
    const signalBoard = board;
    const signal: CancelSignal = {
      get aborted() {
        return state.cancelled || (signalBoard !== undefined && slot >= 0 && Atomics.load(signalBoard, slot) !== 0);
      },
      onAbort(listener) {
        if (state.cancelled) listener();
        else state.listeners.add(listener);
        return () => state.listeners.delete(listener);
      },
    };
    const context: CallContext<unknown> = { signal, emit: (event, transfer) => running.has(id) && send({ rpc: 'event', id, event }, transfer) };
    try {
      const answer = await (handlers[method] as (p: unknown, c: CallContext<unknown>) => unknown)(params, context);
      const reply = answer instanceof Reply ? answer : new Reply(answer, []);
      send({ rpc: 'result', id, value: reply.value }, reply.transfer);
    } catch (error) {
      const described = options.describeError?.(error) ?? defaultError(error);
      // Whatever a cancelled call throws on its way out (a CoreError 'cancelled', an abort), it was cancelled.
      fail(id, signal.aborted ? { message: described.message, code: 'cancelled' } : described);
    } finally {
      running.delete(id);
    }
  };

  return port.listen((message) => {
    if (!isToWorker(message)) {
      const id = isRecord(message) && Number.isInteger(message.id) && (message.id as number) > 0 ? (message.id as number) : 0;
      fail(id, { message: `malformed message to the ${options.name}`, code: 'protocol' });
      return;
    }
    switch (message.rpc) {
      case 'init':
        board = new Int32Array(message.cancelBoard);
        return;
      case 'cancel': {
        const state = running.get(message.id);
        if (!state || state.cancelled) return;
        state.cancelled = true;
        for (const listener of [...state.listeners]) listener();
        return;
      }
      case 'call':
        void call(message.id, message.method, message.params, message.slot);
        return;
    }
  });
}
