/**
 * What the host asks of a notebook's kernel (a process per notebook): run one cell, hearing its output
 * as it streams. A cell's own failure is an outcome, not an RPC error; the call's cancellation is the
 * interrupt. The RPC layer (src/workers) checks every message against these guards.
 */
import { isRecord } from '../core/guards';
import { method } from '../workers/protocol';

/** One item of a cell output: a MIME type and its data as text (JSON for the +json types). */
export interface OutputItemData {
  readonly mime: string;
  readonly data: string;
}

export interface RunRequest {
  readonly source: string;
  readonly language: 'javascript' | 'typescript';
  /** Name of the cell in stack traces, e.g. "cell 3". */
  readonly label: string;
}

/** What a cell sends while it runs. */
export type KernelEvent =
  | { readonly type: 'stream'; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | { readonly type: 'display'; readonly items: readonly OutputItemData[] };

export interface CellError {
  readonly name: string;
  readonly message: string;
  readonly stack: string;
}

/** How a cell ended in the kernel: its value's output items, its error, or stopped by an interrupt. */
export type CellResult =
  | { readonly status: 'ok'; readonly result: readonly OutputItemData[] }
  | { readonly status: 'error'; readonly error: CellError }
  | { readonly status: 'interrupted' };

/**
 * Where the dataset files of an .ilmdp that `load()` reads may come from: the editor's policy (the
 * notebook's workspace folder and the allowFilesOutsideFolder setting in VS Code; the notebook's folder,
 * the current directory and --allow-outside-files in `il-notebooks run`). The same fields as
 * ilmdp/datasetAccess.ts's DatasetFileAccess, which this folder may not import.
 */
export interface KernelDatasetFiles {
  /** Folders a dataset file must resolve inside (after symlinks). */
  readonly roots: readonly string[];
  /** The user allowed files outside the roots. */
  readonly allowOutside: boolean;
  /** The roots in words, for the refusal ("the workspace folder examples"). */
  readonly rootsLabel: string;
  /** How the user allows a file outside them (a setting, a flag). */
  readonly howToAllow: string;
}

/** The kernel process's settings, given as its one argument (JSON). */
export interface KernelWorkerData {
  /** Directory `load()`, `require()` and `import()` resolve relative paths against (the notebook's folder). */
  readonly cwd: string;
  /** Growth of the kernel's resident memory beyond what it held once started that ends it. */
  readonly residentLimitMb: number;
  readonly datasetFiles: KernelDatasetFiles;
}

function isKernelDatasetFiles(x: unknown): x is KernelDatasetFiles {
  return (
    isRecord(x) &&
    Array.isArray(x.roots) &&
    x.roots.length > 0 &&
    x.roots.every((r) => typeof r === 'string' && r !== '') &&
    typeof x.allowOutside === 'boolean' &&
    typeof x.rootsLabel === 'string' &&
    typeof x.howToAllow === 'string'
  );
}

export function isKernelWorkerData(x: unknown): x is KernelWorkerData {
  return isRecord(x) && typeof x.cwd === 'string' && typeof x.residentLimitMb === 'number' && x.residentLimitMb > 0 && isKernelDatasetFiles(x.datasetFiles);
}

/**
 * Output a cell's code wrote after the cell had ended (a timer's console.log): no cell's output is
 * its place, so the kernel writes it to its process's stderr as one line, this marker and the JSON of a
 * LateOutput, and the host reports it as a labelled kernel message. Not an RPC message: it belongs to
 * no call.
 */
export const KERNEL_LATE_OUTPUT = 'il-kernel: late output:';

export interface LateOutput {
  /** The cell whose code wrote it ("cell 3"); absent when it came from no cell's code. */
  readonly cell?: string;
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

export function isLateOutput(x: unknown): x is LateOutput {
  return isRecord(x) && (x.cell === undefined || typeof x.cell === 'string') && (x.stream === 'stdout' || x.stream === 'stderr') && typeof x.text === 'string';
}

/** The line a kernel writes to stderr before its memory watch ends it, so the host can say why it died. */
export const KERNEL_OVER_MEMORY = 'il-kernel: resident memory over the limit:';

function isItems(value: unknown): value is OutputItemData[] {
  return Array.isArray(value) && value.every((i) => isRecord(i) && typeof i.mime === 'string' && typeof i.data === 'string');
}

function isRunRequest(x: unknown): x is RunRequest {
  return isRecord(x) && typeof x.source === 'string' && (x.language === 'javascript' || x.language === 'typescript') && typeof x.label === 'string';
}

function isKernelEvent(x: unknown): x is KernelEvent {
  if (!isRecord(x)) return false;
  if (x.type === 'stream') return (x.stream === 'stdout' || x.stream === 'stderr') && typeof x.text === 'string';
  return x.type === 'display' && isItems(x.items);
}

function isCellResult(x: unknown): x is CellResult {
  if (!isRecord(x)) return false;
  switch (x.status) {
    case 'ok':
      return isItems(x.result);
    case 'error':
      return isRecord(x.error) && typeof x.error.name === 'string' && typeof x.error.message === 'string' && typeof x.error.stack === 'string';
    case 'interrupted':
      return true;
    default:
      return false;
  }
}

export const kernelProtocol = {
  run: method({ params: isRunRequest, result: isCellResult, event: isKernelEvent }),
};
