/**
 * What the host asks of a notebook's kernel (a process per notebook): run one cell, hearing its output
 * as it streams; list the names the cells defined (the Variables view); build the view of one of them
 * (its "Open in Panel"). A cell's own failure is an outcome, not an RPC error; the call's cancellation
 * is the interrupt. The RPC layer (src/workers) checks every message against these guards.
 */
import { isRecord } from '../core/guards';
import { method } from '../workers/protocol';
import { isView, type View } from './viewModels';

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
  /**
   * The web kernel has no file system: the texts of the .ilmdp files the cell loads, read by the host
   * (vscode.workspace.fs), by absolute path. The Node kernel reads its own and gets none.
   */
  readonly files?: Readonly<Record<string, string>>;
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
  /** `il.parallel`'s threads when a cell gives no `workers` (absent: one per core); the setting ilNotebooks.sweeps.workers. */
  readonly sweepWorkers?: number;
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
  return (
    isRecord(x) &&
    typeof x.cwd === 'string' &&
    typeof x.residentLimitMb === 'number' &&
    x.residentLimitMb > 0 &&
    (x.sweepWorkers === undefined || (Number.isInteger(x.sweepWorkers) && (x.sweepWorkers as number) >= 1)) &&
    isKernelDatasetFiles(x.datasetFiles)
  );
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
  return isRecord(x) && typeof x.source === 'string' && (x.language === 'javascript' || x.language === 'typescript') && typeof x.label === 'string' && (x.files === undefined || (isRecord(x.files) && Object.values(x.files).every((t) => typeof t === 'string')));
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

/** What a top-level name holds, as the Variables view groups it. */
export const VARIABLE_KINDS = [
  'mdp',
  'policy',
  'dataset',
  'environment',
  'experiment',
  'sweep',
  'view',
  'number',
  'string',
  'boolean',
  'bigint',
  'symbol',
  'null',
  'undefined',
  'array',
  'typed-array',
  'map',
  'set',
  'promise',
  'function',
  'class',
  'object',
] as const;
export type VariableKind = (typeof VARIABLE_KINDS)[number];

/** One top-level name of a kernel, summarised (never its value: a dataset can be 10⁸ numbers). */
export interface VariableSummary {
  readonly name: string;
  readonly kind: VariableKind;
  /** The type as a reader names it: "MDP", "Float64Array", "Map", a class's name. */
  readonly type: string;
  /** One line on what it is: "|S| = 3, |A| = 2, H = 6", "gap-vs-H, 7 rows, learner BC", "[3][4]". */
  readonly detail: string;
  /** The value has a rich view (display() draws it, Open in Panel shows it). */
  readonly hasView: boolean;
}

export interface VariablesResult {
  readonly variables: readonly VariableSummary[];
  /** Names left out beyond the listing's cap. */
  readonly omitted: number;
}

/** Names a kernel lists at most (a cell may define thousands through globalThis). */
export const MAX_LISTED_VARIABLES = 500;

function isVariableSummary(x: unknown): x is VariableSummary {
  return (
    isRecord(x) &&
    typeof x.name === 'string' &&
    (VARIABLE_KINDS as readonly unknown[]).includes(x.kind) &&
    typeof x.type === 'string' &&
    typeof x.detail === 'string' &&
    typeof x.hasView === 'boolean'
  );
}

export function isVariablesResult(x: unknown): x is VariablesResult {
  return isRecord(x) && Array.isArray(x.variables) && x.variables.length <= MAX_LISTED_VARIABLES && x.variables.every(isVariableSummary) && Number.isInteger(x.omitted) && (x.omitted as number) >= 0;
}

const isNoParams = (x: unknown): x is Record<string, never> => isRecord(x) && Object.keys(x).length === 0;
const isNameParams = (x: unknown): x is { readonly name: string } => isRecord(x) && typeof x.name === 'string' && x.name.length > 0;
/** The view of a name, or null when the name is gone or its value has none. */
const isViewOrNull = (x: unknown): x is View | null => x === null || isView(x);

/**
 * The results cache's two questions (src/notebook/resultsCache.ts): the values of the names a cell
 * defined, as text (`snapshot`; `reason` when they cannot be kept: a function, an instance of a class),
 * and defining names from such text (`restore`, for a cell served from the cache).
 */
export interface SnapshotRequest {
  readonly names: readonly string[];
  /** Longest text the cache would keep: beyond it the kernel stops encoding and says so. */
  readonly maxChars: number;
}
export type SnapshotResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };
export type RestoreResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const isSnapshotRequest = (x: unknown): x is SnapshotRequest => isRecord(x) && Array.isArray(x.names) && x.names.every((n) => typeof n === 'string') && typeof x.maxChars === 'number' && x.maxChars > 0;
const isSnapshotResult = (x: unknown): x is SnapshotResult => isRecord(x) && ((x.ok === true && typeof x.text === 'string') || (x.ok === false && typeof x.reason === 'string'));
const isRestoreRequest = (x: unknown): x is { readonly text: string } => isRecord(x) && typeof x.text === 'string';
const isRestoreResult = (x: unknown): x is RestoreResult => isRecord(x) && (x.ok === true || (x.ok === false && typeof x.reason === 'string'));

export const kernelProtocol = {
  run: method({ params: isRunRequest, result: isCellResult, event: isKernelEvent }),
  variables: method({ params: isNoParams, result: isVariablesResult }),
  variableView: method({ params: isNameParams, result: isViewOrNull }),
  snapshot: method({ params: isSnapshotRequest, result: isSnapshotResult }),
  restore: method({ params: isRestoreRequest, result: isRestoreResult }),
};
