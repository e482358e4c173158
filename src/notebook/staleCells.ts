/**
 * Stale marks in IL notebooks (docs/notebooks.md, "Dependencies, stale cells and the results cache"):
 * when a cell is edited or runs again, the cells that read what it defines (dependencies.ts, directly
 * or through others) may no longer match it, and are marked "stale" on their status bar; the window's
 * status bar counts them for the notebook in front. "Run Stale Cells" runs them, "Run Cell and
 * Dependents" a cell and everything downstream of it, and with `ilNotebooks.notebook.runDependentsAutomatically`
 * a cell's dependents run by themselves after it. The same status bar says when a cell's outputs came
 * from the results cache, or why a cell that ran was not kept there. Clear Cache empties the cache.
 *
 * A cell's own edit does not make it stale (its outputs are from its older source, as in any notebook);
 * what it changes is its readers.
 */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from './ilnbSerializer';
import type { IlNotebookController } from './controller';
import { analyseCell, dependencyGraph, dependentsOf, type CellSymbols } from './dependencies';
import { KERNEL_LANGUAGES } from './runNotebook';

export const AUTO_RUN_KEY = 'ilNotebooks.notebook.runDependentsAutomatically';
/** Context key: the notebook in front has stale cells (enables the toolbar's Run Stale Cells). */
const HAS_STALE_CONTEXT = 'ilNotebooks.hasStaleCells';
/** How long after a keystroke the graph is worked out again (a cell is parsed on each). */
const EDIT_DEBOUNCE_MS = 200;

const isKernelCell = (cell: vscode.NotebookCell) => cell.kind === vscode.NotebookCellKind.Code && KERNEL_LANGUAGES.includes(cell.document.languageId);

export class StaleCells implements vscode.Disposable {
  /**
   * Per notebook, each changed cell with the cells its change made stale. An edit replaces its cell's
   * set (so what a half-typed line made stale — a syntax error writes unknown globals — is undone when
   * the line is whole); a run of a cell takes it out of every set.
   */
  private readonly causes = new WeakMap<vscode.NotebookDocument, Map<vscode.NotebookCell, Set<vscode.NotebookCell>>>();
  private readonly symbols = new WeakMap<vscode.NotebookCell, { version: number; symbols: CellSymbols }>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly timers = new Map<vscode.NotebookCell, NodeJS.Timeout>();
  private readonly statusItem = vscode.window.createStatusBarItem('ilNotebooks.staleCells', vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly controller: IlNotebookController) {
    this.statusItem.name = 'IL Notebooks: stale cells';
    this.statusItem.command = 'ilNotebooks.runStaleCells';
    const cache = controller.resultsCache;
    this.disposables.push(
      this.changed,
      this.statusItem,
      vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, {
        onDidChangeCellStatusBarItems: this.changed.event,
        provideCellStatusBarItems: (cell) => this.items(cell),
      }),
      vscode.workspace.onDidChangeNotebookDocument((e) => this.onChange(e)),
      vscode.window.onDidChangeActiveNotebookEditor(() => this.refreshCount()),
      this.changed.event(() => this.refreshCount()),
      ...(cache ? [cache.onDidChange(() => this.changed.fire())] : []),
      vscode.commands.registerCommand('ilNotebooks.runStaleCells', (target?: vscode.Uri) => {
        const notebook = target ? vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === target.toString()) : vscode.window.activeNotebookEditor?.notebook;
        if (notebook) return this.controller.runCells(notebook, this.staleCells(notebook));
        return undefined;
      }),
      vscode.commands.registerCommand('ilNotebooks.runCellAndDependents', (target?: vscode.NotebookCell) => {
        const cell = isNotebookCell(target) ? target : activeCell();
        if (!cell) return undefined;
        return this.controller.runCells(cell.notebook, [cell, ...this.dependents(cell)]);
      }),
      vscode.commands.registerCommand('ilNotebooks.clearCache', async () => {
        if (!cache) return;
        const { entries, bytes } = await cache.stats();
        await cache.clear();
        void vscode.window.showInformationMessage(`IL Notebooks: results cache cleared (${entries} entr${entries === 1 ? 'y' : 'ies'}, ${(bytes / 2 ** 20).toFixed(1)} MB).`);
      }),
    );
    this.refreshCount();
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.disposables.forEach((d) => d.dispose());
  }

  /** The notebook's stale cells, in order. */
  staleCells(notebook: vscode.NotebookDocument): vscode.NotebookCell[] {
    return notebook.getCells().filter((c) => this.causeOf(c) !== undefined);
  }

  /** The cell whose change made `cell` stale, if it is. */
  private causeOf(cell: vscode.NotebookCell): vscode.NotebookCell | undefined {
    for (const [cause, cells] of this.causes.get(cell.notebook) ?? []) if (cause.index >= 0 && cells.has(cell)) return cause;
    return undefined;
  }

  private causesOf(notebook: vscode.NotebookDocument): Map<vscode.NotebookCell, Set<vscode.NotebookCell>> {
    let map = this.causes.get(notebook);
    if (!map) this.causes.set(notebook, (map = new Map()));
    return map;
  }

  /** A cell ran: it is no longer stale, and what reads it is. */
  private ran(cell: vscode.NotebookCell): void {
    const map = this.causesOf(cell.notebook);
    for (const cells of map.values()) cells.delete(cell);
    map.set(cell, new Set([...(map.get(cell) ?? []), ...this.dependents(cell)]));
  }

  private symbolsOf(cell: vscode.NotebookCell): CellSymbols {
    const known = this.symbols.get(cell);
    if (known && known.version === cell.document.version) return known.symbols;
    const symbols = analyseCell(cell.document.getText(), cell.document.languageId === 'typescript' ? 'typescript' : 'javascript');
    this.symbols.set(cell, { version: cell.document.version, symbols });
    return symbols;
  }

  /** Every cell downstream of `cell`, in notebook order. */
  private dependents(cell: vscode.NotebookCell): vscode.NotebookCell[] {
    const code = cell.notebook.getCells().filter(isKernelCell);
    const at = code.indexOf(cell);
    if (at < 0) return [];
    return dependentsOf(dependencyGraph(code.map((c) => this.symbolsOf(c))), at).map((k) => code[k]);
  }


  private onChange(e: vscode.NotebookDocumentChangeEvent): void {
    if (e.notebook.notebookType !== NOTEBOOK_TYPE) return;
    let changed = e.contentChanges.length > 0;
    const ranNow: vscode.NotebookCell[] = [];
    for (const change of e.cellChanges) {
      if (change.document && isKernelCell(change.cell)) {
        this.controller.resultsCache?.forget(change.cell);
        this.debounce(change.cell);
      }
      // An execution that ended (a summary with an end time) ran the cell again: its readers follow it.
      if (change.executionSummary?.timing?.endTime !== undefined && isKernelCell(change.cell)) {
        this.ran(change.cell);
        ranNow.push(change.cell);
        changed = true;
      }
    }
    if (changed) this.changed.fire();
    if (ranNow.length > 0 && vscode.workspace.getConfiguration().get<boolean>(AUTO_RUN_KEY) === true) {
      const next = [...new Set(ranNow.flatMap((c) => this.dependents(c)))].filter((c) => this.causeOf(c) !== undefined && !this.controller.isQueued(c));
      next.sort((a, b) => a.index - b.index);
      if (next.length > 0) void this.controller.runCells(e.notebook, next);
    }
  }

  private debounce(cell: vscode.NotebookCell): void {
    clearTimeout(this.timers.get(cell));
    this.timers.set(
      cell,
      setTimeout(() => {
        this.timers.delete(cell);
        if (cell.index < 0) return;
        // What the cell's readers were before this edit is kept only if they still read it: the set is the edit's now.
        this.causesOf(cell.notebook).set(cell, new Set(this.dependents(cell)));
        this.changed.fire();
      }, EDIT_DEBOUNCE_MS),
    );
  }

  private items(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    const out: vscode.NotebookCellStatusBarItem[] = [];
    const cause = this.causeOf(cell);
    if (cause) {
      const item = new vscode.NotebookCellStatusBarItem('$(warning) stale', vscode.NotebookCellStatusBarAlignment.Left);
      item.tooltip = `Stale: cell ${cause.index + 1} changed since this cell ran, and this cell reads what it defines. Run Stale Cells (notebook toolbar) runs every stale cell.`;
      item.accessibilityInformation = { label: `Stale: cell ${cause.index + 1} changed since this cell ran` };
      item.command = { title: 'Run Stale Cells', command: 'ilNotebooks.runStaleCells', arguments: [cell.notebook.uri] };
      out.push(item);
    }
    const state = this.controller.resultsCache?.state(cell);
    if (state?.source === 'cache') {
      const item = new vscode.NotebookCellStatusBarItem('$(database) from cache', vscode.NotebookCellStatusBarAlignment.Left);
      item.tooltip = 'These outputs and the values this cell defines were restored from the results cache: its code, the cells it reads and the files it loads are unchanged since they were computed. IL Notebooks: Clear Cache to compute everything afresh.';
      item.accessibilityInformation = { label: 'Outputs restored from the results cache' };
      out.push(item);
    } else if (state?.source === 'ran' && state.notCached) {
      const item = new vscode.NotebookCellStatusBarItem('$(circle-slash) not cached', vscode.NotebookCellStatusBarAlignment.Left);
      item.tooltip = `This cell always runs: ${state.notCached.replace(/^not cached: /, '')}.`;
      item.accessibilityInformation = { label: `Not cached: ${state.notCached.replace(/^not cached: /, '')}` };
      out.push(item);
    }
    return out;
  }

  private refreshCount(): void {
    const notebook = vscode.window.activeNotebookEditor?.notebook;
    const count = notebook?.notebookType === NOTEBOOK_TYPE ? this.staleCells(notebook).length : 0;
    void vscode.commands.executeCommand('setContext', HAS_STALE_CONTEXT, count > 0);
    if (count === 0) {
      this.statusItem.hide();
      return;
    }
    this.statusItem.text = `$(warning) ${count} stale cell${count === 1 ? '' : 's'}`;
    this.statusItem.tooltip = 'Cells whose inputs changed since they ran: click to run them (Run Stale Cells)';
    this.statusItem.accessibilityInformation = { label: `${count} stale cell${count === 1 ? '' : 's'} in this notebook; activate to run them` };
    this.statusItem.show();
  }
}

function isNotebookCell(x: unknown): x is vscode.NotebookCell {
  return typeof x === 'object' && x !== null && 'notebook' in x && 'document' in x && 'index' in x;
}

function activeCell(): vscode.NotebookCell | undefined {
  const editor = vscode.window.activeNotebookEditor;
  if (!editor) return undefined;
  const index = editor.selection.start;
  return index < editor.notebook.cellCount ? editor.notebook.cellAt(index) : undefined;
}
