/**
 * The host's side of one notebook's kernel. Runs cells one after another, streams their output, and
 * keeps the host safe from them: a cell that ignores an interrupt is stopped by terminating the worker
 * (a fresh kernel starts, state is lost and the outcome says so), and a kernel that outgrows its memory
 * limits (the worker's V8 heap limit, and a watch on the process's resident memory for typed arrays,
 * which live outside that heap) is stopped the same way. vscode-free, so it is tested in plain Node.
 */
import { kernelProtocol, type KernelWorkerData, type OutputItemData } from '../shared/kernelProtocol';
import { RpcClient } from '../workers/client';
import { CancelledError, WorkerDiedError } from '../workers/errors';
import { nodeWorker } from '../workers/nodeWorker';
import type { WorkerExit, WorkerFactory } from '../workers/port';

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
  readonly interrupt: AbortController;
  readonly finish: (outcome: CellOutcome) => void;
  interruptTimer?: NodeJS.Timeout;
}

const DEFAULT_MEMORY_LIMIT_MB = 4096;
const WATCH_INTERVAL_MS = 200;

/** A notebook kernel as a worker thread of this process, with its heap limit. */
export function kernelWorker(script: string, options: Pick<KernelOptions, 'cwd' | 'memoryLimitMb'>): WorkerFactory {
  const workerData: KernelWorkerData = { cwd: options.cwd };
  return nodeWorker(script, { workerData, resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB }, stdout: false, stderr: false });
}

export class KernelClient {
  private readonly rpc: RpcClient<typeof kernelProtocol>;
  private running: Running | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private watch: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    factory: WorkerFactory,
    private readonly options: KernelOptions,
  ) {
    this.rpc = new RpcClient(factory, kernelProtocol, { name: 'kernel' });
  }

  /** Number of kernels started so far (a restart or a kill starts a new one on the next run). */
  get generation(): number {
    return this.rpc.spawns;
  }

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
    if (!running || running.interruptTimer) return;
    running.interrupt.abort();
    running.interruptTimer = setTimeout(() => {
      if (this.running !== running) return;
      void this.kill();
      running.finish({ status: 'interrupted', stateLost: true });
    }, this.options.interruptGraceMs ?? 500);
  }

  /** Clears all state: the next cell runs in a fresh kernel. A running cell ends as interrupted. */
  async restart(): Promise<void> {
    const running = this.running;
    const killed = this.kill();
    running?.finish({ status: 'interrupted', stateLost: true });
    await killed;
  }

  dispose(): void {
    this.disposed = true;
    void this.restart();
  }

  private kill(): Promise<void> {
    this.stopWatch();
    return this.rpc.terminate();
  }

  private runNow(source: string, language: 'javascript' | 'typescript', label: string, callbacks: CellCallbacks): Promise<CellOutcome> {
    if (this.disposed) return Promise.resolve({ status: 'kernel-died', reason: 'the notebook was closed' });
    return new Promise<CellOutcome>((resolve) => {
      const running: Running = {
        interrupt: new AbortController(),
        finish: (outcome) => {
          if (this.running !== running) return;
          this.running = undefined;
          this.stopWatch();
          if (running.interruptTimer) clearTimeout(running.interruptTimer);
          resolve(outcome);
        },
      };
      this.running = running;
      const call = this.rpc.call(
        'run',
        { source, language, label },
        {
          signal: running.interrupt.signal,
          onEvent: (event) => {
            if (this.running !== running) return;
            if (event.type === 'stream') callbacks.onStream?.(event.stream, event.text);
            else callbacks.onDisplay?.(event.items);
          },
        },
      );
      this.startWatch(running);
      call.then(
        (result) => running.finish(result.status === 'interrupted' ? { status: 'interrupted', stateLost: false } : result),
        (error: Error) => {
          // Ended by this client (interrupt grace, memory watch, restart): that finished the cell already.
          if (error instanceof CancelledError) return;
          running.finish({ status: 'kernel-died', reason: error instanceof WorkerDiedError ? this.deathReason(error.exit) : `the kernel failed (${error.message}); a fresh kernel will run the next cell` });
        },
      );
    });
  }

  private deathReason(exit: WorkerExit): string {
    if (exit.reason === 'out-of-memory') {
      return `the kernel ran out of memory (limit ${this.options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB} MB) and was stopped; its state is lost and a fresh kernel will run the next cell`;
    }
    if (exit.reason === 'error') return `the kernel crashed (${exit.message}); its state is lost and a fresh kernel will run the next cell`;
    return `the kernel exited (code ${exit.code}); its state is lost and a fresh kernel will run the next cell`;
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
