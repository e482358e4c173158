/**
 * The editor's "Export as HTML Report" and "Export as JSON Results" without VS Code: the notebook as the
 * editor holds it (outputs and unsaved edits, no re-run) and what the editor knows of each code cell's
 * last run, turned into the very files `il-notebooks run --report` / `--json-results` write. The host
 * (src/notebook/exportCommands.ts) only gathers these and writes the bytes. vscode-free.
 */
import type { NotebookContent } from '../notebookFormat';
import { notebookReport } from './htmlReport';
import { notebookResults, resultsText, statusInEditor, statusNotes, type CellStatus, type EditorCellState } from './jsonResults';

/** `states[i]` is what the editor knows of cell i (markdown cells' entries are ignored). */
export function editorStatuses(notebook: NotebookContent, states: readonly EditorCellState[]): Map<number, CellStatus> {
  const statuses = new Map<number, CellStatus>();
  notebook.cells.forEach((cell, i) => {
    if (cell.kind === 'code') statuses.set(i, statusInEditor(cell, states[i] ?? {}));
  });
  return statuses;
}

export function exportHtmlReport(notebook: NotebookContent, name: string, rendererScript: string, states: readonly EditorCellState[]): string {
  return notebookReport(notebook, name, rendererScript, statusNotes(editorStatuses(notebook, states)));
}

export function exportJsonResults(notebook: NotebookContent, name: string, states: readonly EditorCellState[]): string {
  return resultsText(notebookResults(notebook, name, editorStatuses(notebook, states)));
}

/** Where the save dialog starts: beside the notebook, `name.html` or `name.results.json`. */
export function exportFileName(notebookName: string, kind: 'html' | 'json'): string {
  const stem = notebookName.replace(/\.ilnb$/i, '');
  return kind === 'html' ? `${stem}.html` : `${stem}.results.json`;
}
