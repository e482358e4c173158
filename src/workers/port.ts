/**
 * The little that the RPC layer needs from a channel to another thread or process, so one client and
 * one server run over Node's worker_threads, a browser's Web Worker and a child process alike (see
 * nodeWorker.ts, webWorker.ts, childProcess.ts). No Node or DOM types here.
 */

/** One end of a message channel. */
export interface Port {
  /** Sends a structured-cloneable message; `transfer` lists buffers to move rather than copy (a channel may copy them anyway). */
  post(message: unknown, transfer?: readonly ArrayBuffer[]): void;
  /** Calls `listener` with every message that arrives; returns the function that stops it. */
  listen(listener: (message: unknown) => void): () => void;
}

/** How a worker ended without being asked to. */
export interface WorkerExit {
  readonly reason: 'error' | 'out-of-memory' | 'exit';
  /** What happened, for a user: the uncaught error's message, or the exit code. */
  readonly message: string;
  readonly code?: number;
  /** The signal that ended a process (SIGTERM, SIGABRT, SIGKILL…). */
  readonly signal?: string;
  /** The end of what a process wrote to stderr before it ended (V8's fatal error, an abort's message). */
  readonly detail?: string;
}

/** A worker the host started: its port, how to end it, and word of its end. */
export interface WorkerHandle extends Port {
  /**
   * Whether a SharedArrayBuffer posted here is shared, not copied: true for threads of one process
   * (and a cross-origin isolated page's workers), false for a child process. Default true.
   */
  readonly sharesMemory?: boolean;
  /** Called at most once, when the worker ends by itself (never after terminate()). */
  onExit(listener: (exit: WorkerExit) => void): void;
  /**
   * Asks a worker busy in synchronous code to break out of it (SIGINT to a child process, which a
   * script run with `breakOnSigint` turns into an error). False where that cannot be delivered: a
   * thread, or a process on Windows.
   */
  interrupt?(): boolean;
  terminate(): Promise<void>;
}

/** Starts a fresh worker; a client calls it again after a worker ended (a respawn). */
export type WorkerFactory = () => WorkerHandle;
