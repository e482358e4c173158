/**
 * The host's side of one notebook's kernel. Runs cells one after another, streams their output, and
 * keeps the host safe from them: a cell that ignores an interrupt is stopped by terminating the worker
 * (a fresh kernel starts, state is lost and the outcome says so), and a kernel that outgrows its memory
 * limits (the worker's V8 heap limit, and a watch on the process's resident memory for typed arrays,
 * which live outside that heap) is stopped the same way. vscode-free, so it is tested in plain Node.
 */
import { Worker } from 'node:worker_threads';
import { isKernelResponse, type KernelRequest, type KernelWorkerData, type OutputItemData } from '../shared/kernelProtocol';

export interface CellCallbacks {
  readonly onStream?: (stream: 'stdout' | 'stderr', text: string) => void;
  readonly onDisplay?: (items: readonly OutputItemData[]) => void;
}

export type CellOutcome =
  | { readonly status: 'ok'; readonly result: readonly OutputItemData[] }
  | { readonly status: 'error'; readonly error: { readonly name: string; readonly message: string; readonly stack: string } }
  /** Stopped by the user. `stateLost` when the kernel had to be terminated to stop it. */
  | { readonly status: 'interrupted'; readonly stateLost: boolean }
  /** The kernel died (memory limit, crash); a fresh one will serve the next cell. */
  | { readonly status: 'kernel-died'; readonly reason: string };

export interface KernelOptions {
  /** Folder that `load()` resolves against. */
  readonly cwd: string;
  /** The worker's V8 old-generation heap limit. */
  readonly memoryLimitMb?: number;
  /** Growth of the process's resident memory while a cell runs that stops the kernel (default: memoryLimitMb). */
  readonly residentLimitMb?: number;
  /** How long an interrupted cell may take to stop by itself before the kernel is terminated. */
  readonly interruptGraceMs?: number;
}

interface Running {
  readonly id: number;
  readonly callbacks: CellCallbacks;
  readonly finish: (outcome: CellOutcome) => void;
  interruptTimer?: NodeJS.Timeout;
}

const DEFAULT_MEMORY_LIMIT_MB = 4096;
const WATCH_INTERVAL_MS = 200;

export class KernelClient {
  private worker: Worker | undefined;
  private interruptFlag: Int32Array | undefined;
  private running: Running | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private watch: NodeJS.Timeout | undefined;
  private disposed = false;
  /** Number of kernels started so far (a restart or a kill starts a new one on the next run). */
  generation = 0;

  constructor(
    private readonly workerScript: string,
    private readonly options: KernelOptions,
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Runs a cell after the ones already queued. */
  run(source: string, language: 'javascript' | 'typescript', label: string, callbacks: CellCallbacks = {}): Promise<CellOutcome> {
    const result = this.queue.then(() => this.runNow(source, language, label, callbacks));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Stops the running cell: at once if it awaits or checks the interrupt, else by terminating the kernel after the grace period. */
  interrupt(): void {
    const running = this.running;
    if (!running || !this.worker || running.interruptTimer) return;
    Atomics.store(this.interruptFlag!, 0, 1);
    this.post({ type: 'interrupt', id: running.id });
    running.interruptTimer = setTimeout(() => {
      if (this.running !== running) return;
      this.kill();
      running.finish({ status: 'interrupted', stateLost: true });
    }, this.options.interruptGraceMs ?? 500);
  }

  /** Clears all state: the next cell runs in a fresh kernel. A running cell ends as interrupted. */
  async restart(): Promise<void> {
    const running = this.running;
    await this.kill();
    running?.finish({ status: 'interrupted', stateLost: true });
  }

  dispose(): void {
    this.disposed = true;
    void this.restart();
  }

  private post(message: KernelRequest): void {
    this.worker?.postMessage(message);
  }

  private async kill(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.stopWatch();
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const shared = new SharedArrayBuffer(4);
    this.interruptFlag = new Int32Array(shared);
    const workerData: KernelWorkerData = { cwd: this.options.cwd, interruptFlag: shared };
    const worker = new Worker(this.workerScript, {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB },
      stdout: false,
      stderr: false,
    });
    this.generation++;
    worker.on('message', (message: unknown) => this.onMessage(worker, message));
    worker.on('error', (error: Error & { code?: string }) => {
      if (this.worker !== worker) return;
      const reason =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the kernel ran out of memory (limit ${this.options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB} MB) and was stopped; its state is lost and a fresh kernel will run the next cell`
          : `the kernel crashed (${error.message}); its state is lost and a fresh kernel will run the next cell`;
      this.worker = undefined;
      this.stopWatch();
      this.running?.finish({ status: 'kernel-died', reason });
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.stopWatch();
      this.running?.finish({ status: 'kernel-died', reason: `the kernel exited (code ${code}); its state is lost and a fresh kernel will run the next cell` });
    });
    this.worker = worker;
    return worker;
  }

  private runNow(source: string, language: 'javascript' | 'typescript', label: string, callbacks: CellCallbacks): Promise<CellOutcome> {
    if (this.disposed) return Promise.resolve({ status: 'kernel-died', reason: 'the notebook was closed' });
    const worker = this.ensureWorker();
    Atomics.store(this.interruptFlag!, 0, 0);
    const id = this.nextId++;
    return new Promise<CellOutcome>((resolve) => {
      const running: Running = {
        id,
        callbacks,
        finish: (outcome) => {
          if (this.running !== running) return;
          this.running = undefined;
          this.stopWatch();
          if (running.interruptTimer) clearTimeout(running.interruptTimer);
          resolve(outcome);
        },
      };
      this.running = running;
      this.startWatch(running);
      worker.postMessage({ type: 'run', id, source, language, label } satisfies KernelRequest);
    });
  }

  private onMessage(worker: Worker, message: unknown): void {
    if (worker !== this.worker || !isKernelResponse(message) || message.type === 'ready') return;
    const running = this.running;
    if (!running || message.id !== running.id) return;
    switch (message.type) {
      case 'stream':
        running.callbacks.onStream?.(message.stream, message.text);
        break;
      case 'display':
        running.callbacks.onDisplay?.(message.items);
        break;
      case 'done':
        running.finish({ status: 'ok', result: message.result });
        break;
      case 'error':
        running.finish(message.interrupted ? { status: 'interrupted', stateLost: false } : { status: 'error', error: message.error });
        break;
    }
  }

  private startWatch(running: Running): void {
    const limit = (this.options.residentLimitMb ?? this.options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB) * 1024 * 1024;
    const baseline = process.memoryUsage.rss();
    this.watch = setInterval(() => {
      if (process.memoryUsage.rss() - baseline <= limit) return;
      void this.kill();
      running.finish({
        status: 'kernel-died',
        reason: `the cell used more than ${Math.round(limit / 2 ** 20)} MB of memory and the kernel was stopped; its state is lost and a fresh kernel will run the next cell`,
      });
    }, WATCH_INTERVAL_MS);
    this.watch.unref();
  }

  private stopWatch(): void {
    if (this.watch) clearInterval(this.watch);
    this.watch = undefined;
  }
}
