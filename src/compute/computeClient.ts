/**
 * The host's side of a compute worker: sends typed requests, routes progress and results by id, and
 * cancels by terminating the worker (a fresh one starts on the next request). Each panel owns a client,
 * so a newer request cancels only that panel's older one. vscode-free, so it is tested in plain Node.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { GapVsHorizonSpec, SweepResult } from '../core';
import { isComputeResponse, type ComputeJob, type ComputeRequest, type ComputeResultOf } from '../shared/protocol';

export class CancelledError extends Error {
  constructor() {
    super('the computation was cancelled');
    this.name = 'CancelledError';
  }
}

/** The worker refused the input; `problems` say where (file:line:col) and what to do. */
export class ComputeProblems extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
    this.name = 'ComputeProblems';
  }
}

export interface RequestOptions {
  readonly onProgress?: (done: number, total: number) => void;
  /** Called with a function that cancels this request (e.g. hooked to a progress notification's token). */
  readonly onCancelRequested?: (cancel: () => void) => void;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (done: number, total: number) => void;
}

export class ComputeClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly workerScript: string,
    private readonly workerOptions: WorkerOptions = {},
  ) {}

  request<J extends ComputeJob>(job: J, options: RequestOptions = {}): Promise<ComputeResultOf<J>> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<ComputeResultOf<J>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: unknown) => void, reject, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
      options.onCancelRequested?.(() => {
        if (this.pending.has(id)) this.cancelAll();
      });
      const request: ComputeRequest = { ...job, id };
      worker.postMessage(request);
    });
  }

  gapVsHorizon(spec: GapVsHorizonSpec, options: RequestOptions = {}): Promise<SweepResult> {
    return this.request({ type: 'gap-vs-H', spec }, options);
  }

  /** True while a request is waiting for its answer. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Stops whatever is running: every pending request rejects with CancelledError. */
  cancelAll(): void {
    const worker = this.worker;
    this.worker = undefined;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new CancelledError());
    void worker?.terminate();
  }

  dispose(): void {
    this.cancelAll();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerScript, this.workerOptions);
    worker.on('message', (message: unknown) => {
      if (!isComputeResponse(message)) return;
      const p = this.pending.get(message.id);
      if (!p) return;
      if (message.type === 'progress') p.onProgress?.(message.done, message.total);
      else {
        this.pending.delete(message.id);
        if (message.type === 'result') p.resolve(message.result);
        else if (message.code === 'cancelled') p.reject(new CancelledError());
        else p.reject(message.problems ? new ComputeProblems(message.message, message.problems) : new Error(message.message));
      }
    });
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const p of pending) p.reject(error);
    });
    this.worker = worker;
    return worker;
  }
}
