/**
 * Type errors in IL notebook cells, as squiggles and in the Problems panel.
 *
 * VS Code's TypeScript extension asks tsserver for every cell's diagnostics but drops the semantic ones
 * for notebook cells (its `diagnosticsReceived` ignores them for the `vscode-notebook-cell` scheme: a
 * Jupyter cell's names come from cells it cannot see). An IL notebook's cells are one program for
 * tsserver, with the kernel's globals declared by the TypeScript plugin, so their semantic diagnostics
 * mean something: they are asked for here, through the TypeScript extension's own
 * `typescript.tsserverRequest` command (the same server, no second compiler), and shown in this
 * extension's collection. Requests are asynchronous and debounced; the host never waits on them.
 */
import * as vscode from 'vscode';
import { NOTEBOOK_TYPE } from './ilnbSerializer';
import { cellProblems, type CellProblem } from './tsDiagnostics';

const DEBOUNCE_MS = 400;
/** While tsserver starts, requests answer nothing; they are tried again this often, this many times. */
const RETRY_MS = 1_500;
const RETRIES = 20;
const CHECKED_LANGUAGES = new Set(['javascript', 'typescript']);

const SEVERITY: Record<CellProblem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function toDiagnostic(p: CellProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(new vscode.Range(p.start.line, p.start.character, p.end.line, p.end.character), p.message, SEVERITY[p.severity]);
  d.source = 'ts';
  if (p.code !== undefined) d.code = p.code;
  d.tags = p.tags.map((t) => (t === 'unnecessary' ? vscode.DiagnosticTag.Unnecessary : vscode.DiagnosticTag.Deprecated));
  return d;
}

const isIlNotebook = (n: vscode.NotebookDocument) => n.notebookType === NOTEBOOK_TYPE;

function checkedCells(notebook: vscode.NotebookDocument): vscode.NotebookCell[] {
  return notebook.getCells().filter((c) => {
    if (c.kind !== vscode.NotebookCellKind.Code || !CHECKED_LANGUAGES.has(c.document.languageId)) return false;
    return vscode.workspace.getConfiguration(c.document.languageId, c.document.uri).get<boolean>('validate.enable', true);
  });
}

export class CellDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('il-notebooks-cells');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Bumped by every change of a notebook, so that an answer to an older request is dropped. */
  private readonly generations = new Map<string, number>();

  constructor() {
    this.disposables.push(
      vscode.workspace.onDidOpenNotebookDocument((n) => this.schedule(n)),
      vscode.workspace.onDidChangeNotebookDocument((e) => this.schedule(e.notebook)),
      vscode.workspace.onDidCloseNotebookDocument((n) => this.forget(n)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.scheme !== 'vscode-notebook-cell' || e.contentChanges.length === 0) return;
        const notebook = vscode.workspace.notebookDocuments.find((n) => n.getCells().some((c) => c.document === e.document));
        if (notebook) this.schedule(notebook);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('javascript.validate.enable') || e.affectsConfiguration('typescript.validate.enable')) {
          for (const n of vscode.workspace.notebookDocuments) this.schedule(n);
        }
      }),
    );
    for (const n of vscode.workspace.notebookDocuments) this.schedule(n);
  }

  /** A cell's change can make errors appear or go in the others (they share names), so the whole notebook is checked. */
  private schedule(notebook: vscode.NotebookDocument, delay = DEBOUNCE_MS, retriesLeft = RETRIES): void {
    if (!isIlNotebook(notebook)) return;
    const key = notebook.uri.toString();
    clearTimeout(this.timers.get(key));
    const generation = (this.generations.get(key) ?? 0) + 1;
    this.generations.set(key, generation);
    this.timers.set(
      key,
      setTimeout(() => void this.check(notebook, generation, retriesLeft), delay),
    );
  }

  private async check(notebook: vscode.NotebookDocument, generation: number, retriesLeft: number): Promise<void> {
    const key = notebook.uri.toString();
    this.timers.delete(key);
    const cells = checkedCells(notebook);
    const answers = await Promise.all(
      cells.map(async (cell) => {
        try {
          return cellProblems(await vscode.commands.executeCommand('typescript.tsserverRequest', 'semanticDiagnosticsSync', { file: cell.document.uri }));
        } catch {
          return undefined; // the TypeScript extension is not active yet, or its server restarts
        }
      }),
    );
    if (notebook.isClosed || this.generations.get(key) !== generation) return;
    const checked = new Set(cells.map((c) => c.document.uri.toString()));
    for (const cell of notebook.getCells()) if (!checked.has(cell.document.uri.toString())) this.collection.delete(cell.document.uri);
    cells.forEach((cell, i) => {
      const problems = answers[i];
      if (problems) this.collection.set(cell.document.uri, problems.map(toDiagnostic));
    });
    if (answers.some((a) => a === undefined) && retriesLeft > 0) this.schedule(notebook, RETRY_MS, retriesLeft - 1);
  }

  private forget(notebook: vscode.NotebookDocument): void {
    const key = notebook.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.generations.delete(key);
    for (const cell of notebook.getCells()) this.collection.delete(cell.document.uri);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}
