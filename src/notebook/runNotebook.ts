/**
 * Runs a notebook top to bottom outside VS Code (the CLI, CI, the examples' tests), collecting outputs
 * exactly as the controller shows them: streamed text, one output per display(), the last value, and
 * errors as VS Code's error item. vscode-free.
 */
import type { OutputItemData } from '../shared/kernelProtocol';
import { KernelClient, kernelProcess, type CellOutcome, type KernelOptions } from './kernelClient';
import type { NotebookCell, NotebookContent, NotebookOutput } from './notebookFormat';

export const STDOUT_MIME = 'application/vnd.code.notebook.stdout';
export const STDERR_MIME = 'application/vnd.code.notebook.stderr';
export const ERROR_MIME = 'application/vnd.code.notebook.error';

/** The error of an error output item (VS Code's JSON form); unreadable data becomes its own message. */
export function readErrorOutput(data: string): { name: string; message: string; stack: string } {
  try {
    const e = JSON.parse(data) as { name?: string; message?: string; stack?: string };
    const name = e.name ?? 'Error';
    const message = e.message ?? '';
    return { name, message, stack: e.stack || `${name}: ${message}` };
  } catch {
    return { name: 'Error', message: data, stack: data };
  }
}

export interface CellReport {
  readonly index: number;
  readonly outcome: CellOutcome['status'] | 'timeout';
  readonly outputs: readonly NotebookOutput[];
}

export interface RunOptions extends KernelOptions {
  readonly workerScript: string;
  /** Stop at the first failing cell (default true, like "Run All"). */
  readonly stopOnError?: boolean;
  /** A cell running longer than this is interrupted and reported as timed out. */
  readonly cellTimeoutMs?: number;
  readonly onCell?: (report: CellReport, cell: NotebookCell) => void;
}

function outcomeOutputs(outcome: CellOutcome): NotebookOutput[] {
  switch (outcome.status) {
    case 'ok':
      return outcome.result.length > 0 ? [{ items: outcome.result }] : [];
    case 'error':
      return [{ items: [{ mime: ERROR_MIME, data: JSON.stringify(outcome.error) }] }];
    case 'interrupted':
      return [{ items: [{ mime: STDERR_MIME, data: 'Interrupted.\n' }] }];
    case 'kernel-died':
      return [{ items: [{ mime: ERROR_MIME, data: JSON.stringify({ name: 'KernelDied', message: outcome.reason, stack: '' }) }] }];
  }
}

/** Returns the notebook with fresh outputs, and a report per code cell run. */
export async function runNotebook(notebook: NotebookContent, options: RunOptions): Promise<{ notebook: NotebookContent; reports: CellReport[]; ok: boolean }> {
  const kernel = new KernelClient(kernelProcess(options.workerScript, options), options);
  const reports: CellReport[] = [];
  const cells: NotebookCell[] = [];
  let failed = false;
  try {
    for (const [index, cell] of notebook.cells.entries()) {
      if (cell.kind !== 'code' || (failed && (options.stopOnError ?? true))) {
        cells.push(cell.kind === 'code' ? { ...cell, outputs: [] } : cell);
        continue;
      }
      const outputs: NotebookOutput[] = [];
      let timedOut = false;
      const timer = options.cellTimeoutMs
        ? setTimeout(() => {
            timedOut = true;
            kernel.interrupt();
          }, options.cellTimeoutMs)
        : undefined;
      const outcome = await kernel.run(cell.source, cell.language === 'typescript' ? 'typescript' : 'javascript', `cell ${index + 1}`, {
        onStream: (stream, text) => outputs.push({ items: [{ mime: stream === 'stdout' ? STDOUT_MIME : STDERR_MIME, data: text }] }),
        onDisplay: (items: readonly OutputItemData[]) => outputs.push({ items }),
      });
      clearTimeout(timer);
      if (timedOut && outcome.status === 'interrupted') {
        const message = `cell ${index + 1} ran longer than ${(options.cellTimeoutMs! / 1000).toFixed(1)} s and was stopped`;
        outputs.push({ items: [{ mime: ERROR_MIME, data: JSON.stringify({ name: 'Timeout', message, stack: `Timeout: ${message}` }) }] });
      } else outputs.push(...outcomeOutputs(outcome));
      const report: CellReport = { index, outcome: timedOut && outcome.status === 'interrupted' ? 'timeout' : outcome.status, outputs };
      reports.push(report);
      cells.push({ ...cell, outputs });
      options.onCell?.(report, cell);
      if (outcome.status !== 'ok') failed = true;
    }
  } finally {
    kernel.dispose();
  }
  return { notebook: { ...notebook, cells }, reports, ok: !failed };
}
