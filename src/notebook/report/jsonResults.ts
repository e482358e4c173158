/**
 * A notebook's results as one machine-readable JSON file (docs/notebooks.md, "Results as JSON"): each
 * cell's kind, language, source, outcome, and its outputs with the JSON payloads (the view models)
 * parsed, not left as strings. Built from a NotebookContent and one status per code cell, so the editor
 * (the outputs it holds, unsaved edits included) and `il-notebooks run --json-results` (a fresh run)
 * write the same file for the same outputs. vscode-free.
 */
import { isJsonMime, normalizeOutputs, type NotebookCell, type NotebookContent, type NotebookOutputItem } from '../notebookFormat';
import { ERROR_MIME, type CellReport } from '../runNotebook';

export const RESULTS_FORMAT = 'il-notebook-results';
/** Bumped when a reader of version 1 would misread a file (a key changes meaning or goes away; new keys do not bump it). */
export const RESULTS_VERSION = 1;

/**
 * `ok`: its outputs are those of a run that succeeded; `error`: its last run failed (an exception, an
 * interrupt, a timeout, a dead kernel); `never-run`: no run produced its outputs (none, or a language
 * the kernel does not run); `stale`: its outputs are from an earlier run that may not match its source.
 */
export type ResultOutcome = 'ok' | 'error' | 'never-run' | 'stale';

export interface CellStatus {
  readonly outcome: ResultOutcome;
  /** Why, when the outcome needs a reason (stale, never run): also shown above the cell in the HTML report. */
  readonly note?: string;
}

export type ResultItem = { readonly mime: string; readonly json: unknown } | { readonly mime: string; readonly text: string };

export interface ResultCell {
  readonly index: number;
  readonly kind: 'markdown' | 'code';
  readonly language: string;
  readonly source: string;
  /** Code cells only. */
  readonly outcome?: ResultOutcome;
  readonly note?: string;
  /** Code cells only; streamed text merged as in the saved file. */
  readonly outputs?: readonly { readonly items: readonly ResultItem[] }[];
}

export interface NotebookResults {
  readonly format: typeof RESULTS_FORMAT;
  readonly version: typeof RESULTS_VERSION;
  /** The notebook's file name. */
  readonly notebook: string;
  /** How many code cells have each outcome. */
  readonly summary: Readonly<Record<ResultOutcome, number>>;
  readonly cells: readonly ResultCell[];
}

/** The error item's data is JSON too ({ name, message, stack }), though its MIME type does not say so. */
const isJsonItem = (mime: string) => isJsonMime(mime) || mime === ERROR_MIME;

function resultItem(item: NotebookOutputItem): ResultItem {
  if (isJsonItem(item.mime)) {
    try {
      return { mime: item.mime, json: JSON.parse(item.data) as unknown };
    } catch {
      // Not JSON after all: the text as it is, rather than nothing.
    }
  }
  return { mime: item.mime, text: item.data };
}

const hasError = (cell: NotebookCell) => cell.outputs.some((o) => o.items.some((i) => i.mime === ERROR_MIME));

/** What a code cell's saved outputs say by themselves: none, an error, or a successful run's. */
export function savedOutcome(cell: NotebookCell): CellStatus {
  if (cell.outputs.length === 0) return { outcome: 'never-run' };
  return { outcome: hasError(cell) ? 'error' : 'ok' };
}

/** A cell of `il-notebooks run`: its report's outcome, in the four words of the results file. */
export function statusOfReport(report: CellReport): CellStatus {
  const note = report.note ? { note: report.note } : {};
  switch (report.outcome) {
    case 'ok':
      return { outcome: 'ok' };
    case 'stale':
      return { outcome: 'stale', ...note };
    case 'skipped':
      return { outcome: 'never-run', ...note };
    default:
      return { outcome: 'error' };
  }
}

/**
 * What the editor knows of a code cell: `success` is its last execution's verdict in this window (absent:
 * not run here, or ended without one); `notRun` says why its outputs are not from running its current
 * source (edited since, not reached by a Run All that stopped, a language the kernel does not run).
 */
export interface EditorCellState {
  readonly success?: boolean;
  readonly notRun?: string;
}

export function statusInEditor(cell: NotebookCell, state: EditorCellState): CellStatus {
  if (state.success === false) return { outcome: 'error' };
  if (state.notRun !== undefined) return { outcome: cell.outputs.length === 0 ? 'never-run' : 'stale', note: state.notRun };
  if (state.success === true) return { outcome: 'ok' };
  // Not run in this window: the outputs the file was opened with.
  return savedOutcome(cell);
}

/** The notes the HTML report shows above cells, from the same statuses. */
export function statusNotes(statuses: ReadonlyMap<number, CellStatus>): Map<number, string> {
  return new Map([...statuses].filter(([, s]) => s.note !== undefined).map(([i, s]) => [i, s.note!]));
}

/** `statuses` holds one entry per code cell (by index); a code cell without one is judged by its saved outputs. */
export function notebookResults(notebook: NotebookContent, name: string, statuses: ReadonlyMap<number, CellStatus>): NotebookResults {
  const summary: Record<ResultOutcome, number> = { ok: 0, error: 0, 'never-run': 0, stale: 0 };
  const cells = notebook.cells.map((cell, index): ResultCell => {
    const base = { index, kind: cell.kind, language: cell.language, source: cell.source };
    if (cell.kind !== 'code') return base;
    const status = statuses.get(index) ?? savedOutcome(cell);
    summary[status.outcome]++;
    return {
      ...base,
      outcome: status.outcome,
      ...(status.note !== undefined ? { note: status.note } : {}),
      outputs: normalizeOutputs(cell.outputs).map((o) => ({ items: o.items.map(resultItem) })),
    };
  });
  return { format: RESULTS_FORMAT, version: RESULTS_VERSION, notebook: name, summary, cells };
}

/** The file's text: indented for people, ending in a newline. */
export function resultsText(results: NotebookResults): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}
