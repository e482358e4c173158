/**
 * The host's side of a worker: typed calls with ids, their events and results routed back, buffers
 * transferred, cooperative cancellation, and a fresh worker started when the last one ended (a
 * respawn). The worker side is serve() (serve.ts); both check every message with the protocol's guards.
 *
 * Cancellation has two channels, because a worker busy in a synchronous loop reads no messages: a
 * cancel message (for a worker that awaits), and a cancel board, one Int32 per pending call in a
 * SharedArrayBuffer the worker reads as `signal.aborted` between units of work. Where shared memory
 * is unavailable (a browser page that is not cross-origin isolated) only the message goes. A worker
 * that ignores both is stopped by terminate() or restart(), which the owner decides on.
 */
import { CancelledError, RemoteError, WorkerDiedError } from './errors';
import type { WorkerExit, WorkerFactory, WorkerHandle } from './port';
import { isFromWorker, type EventOf, type FromWorker, type ParamsOf, type Protocol, type ResultOf, type ToWorker } from './protocol';

/** What a call can be cancelled with: an AbortSignal, or anything shaped like one. */
export interface CancelSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface CallOptions<E> {
  readonly onEvent?: (event: E) => void;
  /** Asks the worker to stop this call; the promise still settles with what the worker answers (a CancelledError when it stopped). */
  readonly signal?: CancelSignalLike;
  /** Buffers of `params` to move to the worker instead of copying them (they are unusable here after). */
  readonly transfer?: readonly ArrayBuffer[];
}

export interface ClientOptions {
  /** How messages and errors name the worker, e.g. "compute worker". */
  readonly name: string;
  /** Called when a fresh worker starts (the first one, and after each respawn or restart). */
  readonly onSpawn?: () => void;
  /** Called when a worker ends by itself; pending calls reject with WorkerDiedError. */
  readonly onExit?: (exit: WorkerExit) => void;
  /** Turns an error answer into the error the caller sees (default: RemoteError; `cancelled` always becomes CancelledError). */
  readonly decodeError?: (error: RemoteError) => Error;
}

interface Pending {
  readonly method: string;
  readonly params: unknown;
  readonly transfer: readonly ArrayBuffer[];
  readonly onEvent: ((event: unknown) => void) | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly unsubscribe: () => void;
  /** The worker the call was sent to, and its cancel-board entry there (−1: none). */
  worker: WorkerHandle | undefined;
  slot: number;
  cancelled: boolean;
}

/** Cancel-board entries per worker: calls beyond this many at once are cancelled by message only. */
const BOARD_SLOTS = 64;

export class RpcClient<P extends Protocol> {
  private worker: WorkerHandle | undefined;
  private stopListening: (() => void) | undefined;
  private board: Int32Array | undefined;
  private freeSlots: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** How many workers have been started so far. */
  spawns = 0;

  constructor(
    private readonly factory: WorkerFactory,
    private readonly protocol: P,
    private readonly options: ClientOptions,
  ) {}

  /** Calls `method` in the worker (started if none runs). */
  call<M extends keyof P & string>(method: M, params: ParamsOf<P[M]>, options: CallOptions<EventOf<P[M]>> = {}): Promise<ResultOf<P[M]>> {
    const id = this.nextId++;
    return new Promise<ResultOf<P[M]>>((resolve, reject) => {
      const signal = options.signal;
      const onAbort = () => this.cancel(id);
      signal?.addEventListener('abort', onAbort);
      const pending: Pending = {
        method,
        params,
        transfer: options.transfer ?? [],
        onEvent: options.onEvent as ((event: unknown) => void) | undefined,
        resolve: resolve as (value: unknown) => void,
        reject,
        unsubscribe: () => signal?.removeEventListener('abort', onAbort),
        worker: undefined,
        slot: -1,
        cancelled: false,
      };
      this.pending.set(id, pending);
      this.send(id, pending);
      if (signal?.aborted) this.cancel(id);
    });
  }

  /** True while a worker is running (started and not ended or terminated); a call starts one when not. */
  get alive(): boolean {
    return this.worker !== undefined;
  }

  /** True while a call waits for its answer. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Ends the worker now: every pending call rejects with `error` (a CancelledError by default); the next call starts a fresh worker. */
  async terminate(error: Error = new CancelledError(`the ${this.options.name} request`)): Promise<void> {
    const worker = this.dropWorker();
    for (const [id, p] of [...this.pending]) this.settle(id, p, () => p.reject(error));
    await worker?.terminate();
  }

  /**
   * Replaces the worker with a fresh one and sends it the pending calls again, except the cancelled
   * ones (they reject with CancelledError) and those whose buffers were transferred (they cannot be
   * sent twice; they reject with CancelledError too). For a worker stuck in a cancelled computation.
   */
  async restart(): Promise<void> {
    const worker = this.dropWorker();
    const again: [number, Pending][] = [];
    for (const [id, p] of [...this.pending]) {
      if (p.cancelled || p.transfer.length > 0) this.settle(id, p, () => p.reject(new CancelledError(`the ${this.options.name} request`)));
      else again.push([id, p]);
    }
    const stopped = worker?.terminate();
    for (const [id, p] of again) this.send(id, p);
    await stopped;
  }

  /** Asks the current worker to break out of synchronous code (see WorkerHandle.interrupt); false when it cannot be asked. */
  interruptWorker(): boolean {
    return this.worker?.interrupt?.() ?? false;
  }

  dispose(): void {
    void this.terminate();
  }

  private cancel(id: number): void {
    const p = this.pending.get(id);
    if (!p || p.cancelled) return;
    p.cancelled = true;
    if (!p.worker || p.worker !== this.worker) return;
    if (this.board && p.slot >= 0) Atomics.store(this.board, p.slot, 1);
    p.worker.post({ rpc: 'cancel', id } satisfies ToWorker);
  }

  private send(id: number, p: Pending): void {
    const worker = this.ensureWorker();
    p.worker = worker;
    p.slot = this.freeSlots.pop() ?? -1;
    if (this.board && p.slot >= 0) Atomics.store(this.board, p.slot, p.cancelled ? 1 : 0);
    worker.post({ rpc: 'call', id, method: p.method, params: p.params, slot: p.slot } satisfies ToWorker, p.transfer);
  }

  private ensureWorker(): WorkerHandle {
    if (this.worker) return this.worker;
    const worker = this.factory();
    this.worker = worker;
    this.spawns++;
    this.board = undefined;
    this.freeSlots = [];
    if (worker.sharesMemory !== false && typeof SharedArrayBuffer !== 'undefined') {
      const shared = new SharedArrayBuffer(4 * BOARD_SLOTS);
      this.board = new Int32Array(shared);
      this.freeSlots = Array.from({ length: BOARD_SLOTS }, (_, i) => BOARD_SLOTS - 1 - i);
      worker.post({ rpc: 'init', cancelBoard: shared } satisfies ToWorker);
    }
    this.stopListening = worker.listen((message) => this.receive(worker, message));
    worker.onExit((exit) => {
      if (this.worker !== worker) return;
      this.dropWorker();
      this.options.onExit?.(exit);
      for (const [id, p] of [...this.pending]) if (p.worker === worker) this.settle(id, p, () => p.reject(new WorkerDiedError(exit, this.options.name)));
    });
    this.options.onSpawn?.();
    return worker;
  }

  private dropWorker(): WorkerHandle | undefined {
    const worker = this.worker;
    this.worker = undefined;
    this.stopListening?.();
    this.stopListening = undefined;
    this.board = undefined;
    this.freeSlots = [];
    return worker;
  }

  private receive(worker: WorkerHandle, message: unknown): void {
    if (worker !== this.worker || !isFromWorker(message)) return;
    const p = this.pending.get(message.id);
    if (!p || p.worker !== worker) return;
    const spec = this.protocol[p.method];
    const malformed = (what: string) => {
      // The worker may still be computing: ask it to stop, and keep its board entry until it is replaced.
      this.cancel(message.id);
      this.settle(message.id, p, () => p.reject(new RemoteError(`the ${this.options.name} sent a malformed ${what} for ${p.method}`, 'protocol')), false);
    };
    switch (message.rpc) {
      case 'event':
        if (!spec.event?.(message.event)) malformed('report');
        else p.onEvent?.(message.event);
        return;
      case 'result':
        if (!spec.result(message.value)) malformed('result');
        else this.settle(message.id, p, () => p.resolve(message.value));
        return;
      case 'error':
        this.settle(message.id, p, () => p.reject(this.errorOf(message)));
        return;
    }
  }

  private errorOf(message: Extract<FromWorker, { rpc: 'error' }>): Error {
    const { message: text, code, data } = message.error;
    if (code === 'cancelled') return new CancelledError(`the ${this.options.name} request`);
    const remote = new RemoteError(text, code, data);
    return this.options.decodeError?.(remote) ?? remote;
  }

  /** Ends a call once: forgets it, frees its board entry, and resolves or rejects it. */
  private settle(id: number, p: Pending, how: () => void, freeSlot = true): void {
    if (this.pending.get(id) !== p) return;
    this.pending.delete(id);
    p.unsubscribe();
    if (freeSlot && p.slot >= 0 && p.worker === this.worker) this.freeSlots.push(p.slot);
    how();
  }
}
