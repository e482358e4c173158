/**
 * "Export as HTML Report" and "Export as JSON Results" (the notebook toolbar and the palette): the
 * notebook as the editor holds it — its outputs and unsaved edits, nothing re-run — written through a
 * save dialog with vscode.workspace.fs. The files are built by src/notebook/report, the same code as
 * `il-notebooks run --report` / `--json-results`; the report inlines the renderer from the installed
 * extension's dist/.
 */
import * as vscode from 'vscode';
import type { IlNotebookController } from './controller';
import { NOTEBOOK_TYPE } from './ilnbSerializer';
import { fromNotebookData, type NotebookContent } from './notebookFormat';
import { exportFileName, exportHtmlReport, exportJsonResults } from './report/editorExport';
import { RENDERER_BUNDLE } from './report/htmlReport';

// ignoreBOM: an output that starts with U+FEFF keeps it, as the serializer reads it.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** The document as the serializer would save it (outputs always included: an export is about them). */
export function notebookContent(notebook: vscode.NotebookDocument): NotebookContent {
  return fromNotebookData({
    metadata: notebook.metadata,
    cells: notebook.getCells().map((cell) => ({
      kind: cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
      language: cell.document.languageId,
      source: cell.document.getText(),
      outputs: cell.outputs.map((o) => ({ items: o.items.map((i) => ({ mime: i.mime, data: decoder.decode(i.data) })), metadata: o.metadata })),
      metadata: cell.metadata,
    })),
  });
}

const notebookName = (uri: vscode.Uri) => uri.path.split('/').pop() || 'notebook.ilnb';

/**
 * The notebook a command is about: from the toolbar VS Code passes the notebook (a NotebookDocument, or
 * an older context with the editor's notebookUri); from the palette nothing, and the active one is meant.
 */
function targetNotebook(arg: unknown): vscode.NotebookDocument | undefined {
  const given = arg as { notebookType?: unknown; uri?: unknown; notebookEditor?: { notebookUri?: unknown } } | undefined;
  const uri = arg instanceof vscode.Uri ? arg : given?.uri instanceof vscode.Uri ? given.uri : given?.notebookEditor?.notebookUri instanceof vscode.Uri ? given.notebookEditor.notebookUri : undefined;
  const found = uri ? vscode.workspace.notebookDocuments.find((d) => d.uri.toString() === uri.toString()) : undefined;
  const notebook = found ?? vscode.window.activeNotebookEditor?.notebook;
  return notebook?.notebookType === NOTEBOOK_TYPE ? notebook : undefined;
}

/** Beside the notebook; an untitled one's go to the first workspace folder. */
function defaultTarget(notebook: vscode.NotebookDocument, kind: 'html' | 'json'): vscode.Uri | undefined {
  const name = exportFileName(notebookName(notebook.uri), kind);
  if (notebook.uri.scheme !== 'untitled') return vscode.Uri.joinPath(notebook.uri, '..', name);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}

async function exportNotebook(controller: IlNotebookController, extensionUri: vscode.Uri, kind: 'html' | 'json', arg: unknown): Promise<void> {
  const notebook = targetNotebook(arg);
  if (!notebook) {
    void vscode.window.showErrorMessage('IL Notebooks: open an IL notebook (.ilnb) to export it.');
    return;
  }
  const defaultUri = defaultTarget(notebook, kind);
  const target = await vscode.window.showSaveDialog({
    ...(defaultUri ? { defaultUri } : {}),
    filters: kind === 'html' ? { 'HTML report': ['html'] } : { 'JSON results': ['json'] },
    saveLabel: 'Export',
    title: kind === 'html' ? 'Export as HTML Report' : 'Export as JSON Results',
  });
  if (!target) return;
  const content = notebookContent(notebook);
  const states = notebook.getCells().map((cell) => controller.cellState(cell));
  const name = notebookName(notebook.uri);
  try {
    let text: string;
    if (kind === 'html') {
      const renderer = decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'dist', ...RENDERER_BUNDLE)));
      text = exportHtmlReport(content, name, renderer, states);
    } else {
      text = exportJsonResults(content, name, states);
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  } catch (error) {
    void vscode.window.showErrorMessage(`IL Notebooks: could not export to ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  const open = kind === 'html' ? 'Open in Browser' : 'Open';
  void vscode.window.showInformationMessage(`IL Notebooks: exported ${name} to ${vscode.workspace.asRelativePath(target)}.`, open).then((choice) => {
    if (choice !== open) return;
    if (kind === 'html') void vscode.env.openExternal(target);
    else void vscode.window.showTextDocument(target);
  });
}

export function registerExportCommands(controller: IlNotebookController, extensionUri: vscode.Uri): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('ilNotebooks.exportHtmlReport', (arg?: unknown) => exportNotebook(controller, extensionUri, 'html', arg)),
    vscode.commands.registerCommand('ilNotebooks.exportJsonResults', (arg?: unknown) => exportNotebook(controller, extensionUri, 'json', arg)),
  ];
}
