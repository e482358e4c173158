/**
 * Runs a notebook top to bottom outside VS Code (the CLI, CI, the examples' tests), collecting outputs
 * exactly as the controller shows them: streamed text, one output per display(), the last value, and
 * errors as VS Code's error item. A cell it does not run keeps its saved outputs: a cell in a language
 * the kernel does not run (skipped), and the cells after a failure (stale, and the report says so).
 * vscode-free.
 */
import type { OutputItemData } from '../shared/kernelProtocol';
import { keepInCache, planCells, type CellCachePlan } from './cellKeys';
import { KernelClient, type CellOutcome, type KernelOptions } from './kernelClient';
import { kernelProcess } from './kernelProcess';
import type { NotebookCell, NotebookContent, NotebookOutput } from './notebookFormat';
import { cellCap, DEFAULT_MAX_OUTPUT_BYTES_PER_CELL, DEFAULT_MAX_OUTPUT_BYTES_PER_NOTEBOOK, itemsBytes, type OutputCap } from './outputLimits';
import type { ResultsCache } from './resultsCache';

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

/** The languages the kernel runs (the controller's supportedLanguages too). */
export const KERNEL_LANGUAGES: readonly string[] = ['javascript', 'typescript'];

/** Node's timers hold at most 2³¹ − 1 ms; a longer delay fires at once (a false timeout). */
export const MAX_CELL_TIMEOUT_MS = 2 ** 31 - 1;

export interface CellReport {
  readonly index: number;
  /** `skipped`: a language the kernel does not run; `stale`: not run after a failure. Both keep their saved outputs. */
  readonly outcome: CellOutcome['status'] | 'timeout' | 'skipped' | 'stale';
  readonly outputs: readonly NotebookOutput[];
  /** Why a cell was not run, for the console and the HTML report. */
  readonly note?: string;
  /** With a cache: whether the outputs are from running the cell now or from the cache (absent for cells not run). */
  readonly source?: 'ran' | 'cache';
  /** With a cache: why a cell that ran was not kept for next time (it holds a function, it reads the clock…). */
  readonly cacheNote?: string;
}

/** A results cache for a run (resultsCache.ts), and what its keys need. */
export interface RunCache {
  readonly store: ResultsCache;
  /** The kernel's build (kernelBuildVersion of the worker script). */
  readonly build: string;
  /** The notebook's folder, which `load()` paths are relative to. */
  readonly folder: string;
}

export interface RunOptions extends KernelOptions {
  readonly workerScript: string;
  /** Stop at the first failing cell (default true, like "Run All"). */
  readonly stopOnError?: boolean;
  /** A cell running longer than this is interrupted and reported as timed out (0 or absent: no limit; at most MAX_CELL_TIMEOUT_MS). */
  readonly cellTimeoutMs?: number;
  /** Output bytes kept per cell and per notebook (defaults DEFAULT_MAX_OUTPUT_BYTES_PER_CELL / _PER_NOTEBOOK). */
  readonly maxOutputBytesPerCell?: number;
  readonly maxOutputBytesPerNotebook?: number;
  /** How the marker of a cut output names the limits (the CLI's flags, by default). */
  readonly outputLimitHints?: { readonly cell: string; readonly notebook: string };
  readonly onCell?: (report: CellReport, cell: NotebookCell) => void;
  /** Serve unchanged cells from this cache and keep what runs in it; absent: every cell runs. */
  readonly cache?: RunCache;
}

function outcomeOutputs(outcome: CellOutcome, cap: OutputCap): NotebookOutput[] {
  switch (outcome.status) {
    case 'ok':
      return outcome.result.length > 0 && cap.items(outcome.result) ? [{ items: outcome.result }] : [];
    case 'error':
      // A cell can throw an Error of any size (a 100 MB message): capped like its streams.
      return [{ items: [{ mime: ERROR_MIME, data: JSON.stringify(cap.error(outcome.error)) }] }];
    case 'interrupted':
      return [{ items: [{ mime: STDERR_MIME, data: 'Interrupted.\n' }] }];
    case 'kernel-died':
      return [{ items: [{ mime: ERROR_MIME, data: JSON.stringify({ name: 'KernelDied', message: outcome.reason, stack: '' }) }] }];
  }
}

const outputsBytes = (outputs: readonly NotebookOutput[]) => outputs.reduce((sum, o) => sum + itemsBytes(o.items), 0);

/**
 * A cell's time limit: `onTimeout` (an interrupt) once `ms` have passed, unless cleared first; `fired`
 * tells an interrupt it caused from the user's. No limit when `ms` is 0 or absent. The editor's
 * controller arms the same one from its setting.
 */
export function cellTimeout(ms: number | undefined, onTimeout: () => void): { readonly fired: boolean; clear(): void } {
  checkCellTimeout(ms);
  let fired = false;
  const timer = ms
    ? setTimeout(() => {
        fired = true;
        onTimeout();
      }, ms)
    : undefined;
  return {
    get fired() {
      return fired;
    },
    clear: () => clearTimeout(timer),
  };
}

/** The error a timed-out cell ends with; `hint` names what set the limit (the CLI's is its --timeout). */
export function timeoutError(index: number, ms: number, hint?: string): { name: string; message: string; stack: string } {
  const message = `cell ${index + 1} ran longer than ${formatSeconds(ms)} s and was stopped${hint ? ` (${hint})` : ''}`;
  return { name: 'Timeout', message, stack: `Timeout: ${message}` };
}

const formatSeconds = (ms: number) => (ms / 1000).toFixed(1);

/** The note on a cell in a language the kernel does not run (the editor says the same). */
export function skippedLanguage(index: number, language: string): string {
  return `cell ${index + 1} is ${language}; the IL kernel runs JavaScript and TypeScript — skipped`;
}

/** The note on a cell a Run All did not reach because an earlier one failed (the editor says the same). */
export function staleAfterFailure(index: number, failedAt: number): string {
  return `cell ${index + 1} was not run because cell ${failedAt + 1} failed; its saved outputs are kept and may be stale`;
}

export function checkCellTimeout(ms: number | undefined): void {
  if (ms === undefined) return;
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_CELL_TIMEOUT_MS) throw new RangeError(`a cell's time limit must be between 0 (none) and ${MAX_CELL_TIMEOUT_MS} ms; got ${ms}`);
}

/** Returns the notebook with fresh outputs, and a report per code cell. */
export async function runNotebook(notebook: NotebookContent, options: RunOptions): Promise<{ notebook: NotebookContent; reports: CellReport[]; ok: boolean }> {
  checkCellTimeout(options.cellTimeoutMs);
  const perCell = options.maxOutputBytesPerCell ?? DEFAULT_MAX_OUTPUT_BYTES_PER_CELL;
  const perNotebook = options.maxOutputBytesPerNotebook ?? DEFAULT_MAX_OUTPUT_BYTES_PER_NOTEBOOK;
  const hints = options.outputLimitHints ?? { cell: '--max-output', notebook: '--max-output-total' };
  const kernel = new KernelClient(kernelProcess(options.workerScript, options), options);
  const reports: CellReport[] = [];
  // Starts as the saved notebook: a cell not run keeps what it had.
  const cells: NotebookCell[] = [...notebook.cells];
  let failedAt: number | undefined;
  const report = (r: CellReport, cell: NotebookCell) => {
    reports.push(r);
    options.onCell?.(r, cell);
  };
  const cache = options.cache;
  const plans = cache ? await planCells(notebook.cells, { folder: cache.folder, build: cache.build }) : [];
  // Values of cells served from the cache, given to the kernel only when a later cell runs there: a
  // notebook served whole from the cache starts no kernel at all.
  const restores: { index: number; cell: NotebookCell; values: string }[] = [];
  const restorePending = async () => {
    for (const r of restores.splice(0)) {
      const restored = await kernel.restore(r.values);
      // An entry whose values do not read back: running the cell's code rebuilds the state it would have left (its outputs were given already).
      if (!restored.ok) await kernel.run(r.cell.source, r.cell.language === 'typescript' ? 'typescript' : 'javascript', `cell ${r.index + 1}`);
    }
  };
  try {
    for (const [index, cell] of notebook.cells.entries()) {
      if (cell.kind !== 'code') continue;
      if (failedAt !== undefined && (options.stopOnError ?? true)) {
        report({ index, outcome: 'stale', outputs: cell.outputs, note: staleAfterFailure(index, failedAt) }, cell);
        continue;
      }
      if (!KERNEL_LANGUAGES.includes(cell.language)) {
        report({ index, outcome: 'skipped', outputs: cell.outputs, note: skippedLanguage(index, cell.language) }, cell);
        continue;
      }
      const plan: CellCachePlan | undefined = plans[index];
      if (cache && plan?.key && !plan.notRestorable) {
        const hit = await cache.store.get(plan.key);
        if (hit) {
          cells[index] = { ...cell, outputs: hit.outputs };
          restores.push({ index, cell, values: hit.values });
          report({ index, outcome: 'ok', outputs: hit.outputs, source: 'cache' }, cell);
          continue;
        }
      }
      await restorePending();
      const others = cells.reduce((sum, c, i) => (i === index ? sum : sum + outputsBytes(c.outputs)), 0);
      const cap = cellCap(perCell, perNotebook, others, hints);
      const outputs: NotebookOutput[] = [];
      // Consecutive chunks of one stream are merged as they come: a million console.log calls are one string, not a million objects.
      const onStream = (stream: 'stdout' | 'stderr', text: string) => {
        const kept = cap.text(text);
        if (kept === '') return;
        const mime = stream === 'stdout' ? STDOUT_MIME : STDERR_MIME;
        const last = outputs[outputs.length - 1];
        if (last?.items.length === 1 && last.items[0].mime === mime) outputs[outputs.length - 1] = { items: [{ mime, data: last.items[0].data + kept }] };
        else outputs.push({ items: [{ mime, data: kept }] });
      };
      const timeout = cellTimeout(options.cellTimeoutMs, () => kernel.interrupt());
      const outcome = await kernel.run(cell.source, cell.language === 'typescript' ? 'typescript' : 'javascript', `cell ${index + 1}`, {
        onStream,
        onDisplay: (items: readonly OutputItemData[]) => {
          if (cap.items(items)) outputs.push({ items });
        },
      });
      timeout.clear();
      const timedOut = timeout.fired && outcome.status === 'interrupted';
      const ending = timedOut ? [{ items: [{ mime: ERROR_MIME, data: JSON.stringify(timeoutError(index, options.cellTimeoutMs!)) }] }] : outcomeOutputs(outcome, cap);
      const marker = cap.marker();
      if (marker) outputs.push({ items: [{ mime: STDERR_MIME, data: marker }] });
      outputs.push(...ending);
      let cacheNote: string | undefined;
      if (cache && plan && outcome.status === 'ok' && !timedOut) cacheNote = await keepInCache(cache.store, plan, outputs, marker !== undefined, (names, max) => kernel.snapshot(names, max));
      const done: CellReport = { index, outcome: timedOut ? 'timeout' : outcome.status, outputs, ...(cache ? { source: 'ran' as const } : {}), ...(cacheNote ? { cacheNote } : {}) };
      cells[index] = { ...cell, outputs };
      report(done, cell);
      if (outcome.status !== 'ok') failedAt = index;
    }
  } finally {
    kernel.dispose();
  }
  return { notebook: { ...notebook, cells }, reports, ok: failedAt === undefined };
}
