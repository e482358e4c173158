/**
 * The host's side of one notebook's kernel, a Node process of its own (kernel/kernelWorker.ts). Runs
 * cells one after another, streams their output, and keeps the host safe from them: whatever ends the
 * kernel's process (an exit, a signal, an abort, its memory limit) ends the cell as "kernel died" with
 * the cause, and the next cell starts a fresh kernel. An interrupt is the call's cancel message plus
 * SIGINT (which breaks synchronous code with the state kept); a cell still running after the grace
 * period is stopped by killing the process, and the outcome says the state was lost. vscode-free, so it
 * is tested in plain Node.
 */
import { isLateOutput, kernelProtocol, KERNEL_LATE_OUTPUT, KERNEL_OVER_MEMORY, type KernelDatasetFiles, type LateOutput, type OutputItemData, type RestoreResult, type SnapshotResult, type VariablesResult } from '../shared/kernelProtocol';
import type { View } from '../shared/viewModels';
import { RpcClient } from '../workers/client';
import { CancelledError, WorkerDiedError } from '../workers/errors';
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
  /**
   * The kernel's process ended (an exit, a signal, out of memory); a fresh one will serve the next
   * cell. `cause` is short ("SIGTERM", "exit code 3", "out of memory"); `reason` starts with
   * "kernel died (cause)" and says what that means for the state.
   */
  | { readonly status: 'kernel-died'; readonly reason: string; readonly cause?: string };

export interface KernelOptions {
  /** Folder that `load()` resolves against. */
  readonly cwd: string;
  /** Where `load()` may read an .ilmdp's dataset files from; default: only inside `cwd` (notebookFolderOnly). */
  readonly datasetFiles?: KernelDatasetFiles;
  /** The kernel process's V8 heap limit (--max-old-space-size). */
  readonly memoryLimitMb?: number;
  /** Growth of the kernel process's resident memory beyond what it held once started that ends it (default: memoryLimitMb). */
  readonly residentLimitMb?: number;
  /** How long an interrupted cell may take to stop by itself before the kernel is terminated (an interrupt may give its own). */
  readonly interruptGraceMs?: number;
  /** `il.parallel`'s threads when a cell does not say (default: one per core). */
  readonly sweepWorkers?: number;
  /** Output a cell's code wrote after the cell had ended (lateOutputLines words it); unheard when absent. */
  readonly onLateOutput?: (late: LateOutput) => void;
}

interface Running {
  readonly interrupt: AbortController;
  readonly finish: (outcome: CellOutcome) => void;
  interruptTimer?: NodeJS.Timeout;
}

export const DEFAULT_MEMORY_LIMIT_MB = 4096;
/** A line of the kernel's stderr longer than this is no LateOutput of its (those are bounded): dropped unread. */
const MAX_STDERR_LINE_CHARS = 1024 * 1024;

/**
 * Reads the kernel's stderr for its late-output lines (KERNEL_LATE_OUTPUT); other text there (V8's
 * fatal messages) is the exit's business, not this reader's.
 */
export function lateOutputReader(onLate: (late: LateOutput) => void): (stream: 'stdout' | 'stderr', text: string) => void {
  let partial = '';
  return (stream, text) => {
    if (stream !== 'stderr') return;
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    if (partial.length > MAX_STDERR_LINE_CHARS) partial = '';
    for (const line of lines) {
      if (!line.startsWith(KERNEL_LATE_OUTPUT)) continue;
      try {
        const late: unknown = JSON.parse(line.slice(KERNEL_LATE_OUTPUT.length));
        if (isLateOutput(late)) onLate(late);
      } catch {
        // Not a line the kernel wrote whole (a cell wrote to fd 2 itself): nothing to report.
      }
    }
  };
}

/**
 * A late output as lines for a person: each line labelled with the notebook and the cell, e.g.
 * "kernel of 04.ilnb, after cell 3 ended: late" (the output channel and `il-notebooks run`'s stderr).
 */
export function lateOutputLines(notebook: string, late: LateOutput): string[] {
  const label = `kernel of ${notebook}, ${late.cell ? `after ${late.cell} ended` : 'while no cell ran'}${late.stream === 'stderr' ? ' (stderr)' : ''}`;
  const text = late.text.endsWith('\n') ? late.text.slice(0, -1) : late.text;
  return text.split('\n').map((line) => `${label}: ${line}`);
}

/** The narrowest policy, for a kernel whose owner named none: dataset files only from the notebook's folder. */
export function notebookFolderOnly(cwd: string): KernelDatasetFiles {
  return { roots: [cwd], allowOutside: false, rootsLabel: "the notebook's folder", howToAllow: 'move or copy it into that folder' };
}
const DEFAULT_INTERRUPT_GRACE_MS = 500;

export class KernelClient {
  private readonly rpc: RpcClient<typeof kernelProtocol>;
  private running: Running | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  private readonly exitListeners = new Set<() => void>();

  constructor(
    factory: WorkerFactory,
    private readonly options: KernelOptions,
  ) {
    this.rpc = new RpcClient(factory, kernelProtocol, { name: 'kernel', onExit: () => this.exitListeners.forEach((listener) => listener()) });
  }

  /** A kernel process is running (it holds state); false before the first cell and after it ended. */
  get alive(): boolean {
    return this.rpc.alive;
  }

  /** Called whenever the kernel's process ends by itself (an exit, a signal, out of memory), idle or not. */
  onExit(listener: () => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /**
   * The names the cells defined, summarised; undefined when no kernel runs (asking never starts one,
   * so a closed or restarted notebook's view stays empty) or when it ended while answering.
   */
  async variables(): Promise<VariablesResult | undefined> {
    if (!this.rpc.alive || this.disposed) return undefined;
    try {
      return await this.rpc.call('variables', {});
    } catch {
      return undefined;
    }
  }

  /** The view of a name's value (what display() would draw); null when it has none or is gone. */
  async variableView(name: string): Promise<View | null> {
    if (!this.rpc.alive || this.disposed) return null;
    return this.rpc.call('variableView', { name });
  }

  /**
   * The values of `names` as the cache keeps them, or why they cannot be kept; asked after the cells
   * queued so far, so it sees what they left. Undefined when the kernel is gone (nothing to keep).
   */
  snapshot(names: readonly string[], maxChars: number): Promise<SnapshotResult | undefined> {
    const result = this.queue.then(async () => (this.rpc.alive && !this.disposed ? this.rpc.call('snapshot', { names: [...names], maxChars }) : undefined));
    this.queue = result.catch(() => undefined);
    return result.catch(() => undefined);
  }

  /** Defines the names of a cached cell's values, after the cells queued so far (a fresh kernel is started if none runs). */
  restore(text: string): Promise<RestoreResult> {
    const result = this.queue.then(() => (this.disposed ? ({ ok: false, reason: 'the notebook was closed' } as const) : this.rpc.call('restore', { text })));
    this.queue = result.catch(() => undefined);
    return result.catch((error: unknown) => ({ ok: false, reason: `the kernel could not restore them (${error instanceof Error ? error.message : String(error)})` }));
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

  /**
   * Stops the running cell: at once if it awaits, if it is in its synchronous part (SIGINT, not on
   * Windows), or if a sweep checks the interrupt; else by killing the kernel after the grace period
   * (`graceMs`, else the client's option).
   */
  interrupt(graceMs?: number): void {
    const running = this.running;
    if (!running || running.interruptTimer) return;
    running.interrupt.abort();
    this.rpc.interruptWorker();
    running.interruptTimer = setTimeout(() => {
      if (this.running !== running) return;
      void this.kill();
      running.finish({ status: 'interrupted', stateLost: true });
    }, graceMs ?? this.options.interruptGraceMs ?? DEFAULT_INTERRUPT_GRACE_MS);
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
      call.then(
        (result) => running.finish(result.status === 'interrupted' ? { status: 'interrupted', stateLost: false } : result),
        (error: Error) => {
          // Ended by this client (interrupt grace, restart): that finished the cell already.
          if (error instanceof CancelledError) return;
          if (error instanceof WorkerDiedError) running.finish({ status: 'kernel-died', ...this.death(error.exit) });
          else running.finish({ status: 'kernel-died', reason: `kernel died (${error.message}); a fresh kernel will run the next cell` });
        },
      );
    });
  }

  private death(exit: WorkerExit): { reason: string; cause: string } {
    const after = 'its state is lost and a fresh kernel will run the next cell';
    if (exit.detail?.includes(KERNEL_OVER_MEMORY)) {
      const limit = this.options.residentLimitMb ?? this.options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
      const seen = new RegExp(`${KERNEL_OVER_MEMORY} (\\d+) MB`).exec(exit.detail)?.[1];
      return {
        cause: 'out of memory',
        reason: `kernel died (out of memory): the cells' memory grew beyond ${limit} MB (typed arrays and buffers count, as the process's resident memory${seen ? `; it held ${seen} MB when it was stopped` : ''}); ${after}`,
      };
    }
    if (exit.reason === 'out-of-memory') {
      return { cause: 'out of memory', reason: `kernel died (out of memory): its JavaScript heap reached the ${this.options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB} MB limit; ${after}` };
    }
    if (exit.reason === 'error') return { cause: 'crashed', reason: `kernel died (crashed: ${exit.message}); ${after}` };
    if (exit.signal) {
      const what = exit.signal === 'SIGABRT' ? 'the process aborted' : `the process was ended by the signal ${exit.signal}`;
      return { cause: exit.signal, reason: `kernel died (${exit.signal}): ${what}; ${after}` };
    }
    return { cause: `exit code ${exit.code}`, reason: `kernel died (exit code ${exit.code}): the process exited (process.exit() in a cell, or a fatal error); ${after}` };
  }
}
