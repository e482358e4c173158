/**
 * The host's side of the compute worker: sends typed requests, routes progress and results by id,
 * and cancels by terminating the worker (a fresh one starts on the next request). vscode-free, so it
 * is tested in plain Node.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { GapVsHorizonSpec, SweepResult } from '../core';
import { isComputeResponse, type ComputeRequest } from '../shared/protocol';

export class CancelledError extends Error {
  constructor() {
    super('the computation was cancelled');
    this.name = 'CancelledError';
  }
}

interface Pending {
  resolve: (result: SweepResult) => void;
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

  gapVsHorizon(
    spec: GapVsHorizonSpec,
    options: { onProgress?: (done: number, total: number) => void; isCancelled?: () => boolean; onCancelRequested?: (cancel: () => void) => void } = {},
  ): Promise<SweepResult> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise<SweepResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
      options.onCancelRequested?.(() => this.cancelAll());
      const request: ComputeRequest = { id, type: 'gap-vs-H', spec };
      worker.postMessage(request);
    });
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
        else p.reject(new Error(message.message));
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
