/**
 * Commands that create or manage notebooks: New Notebook (an untitled notebook from the template),
 * Open in Notebook (from an .ilmdp: a notebook written beside it that loads it; an existing file of
 * that name is never overwritten), and Restart Kernel.
 */
import { basename, dirname, extname } from 'node:path';
import * as vscode from 'vscode';
import type { IlNotebookController } from './controller';
import { NOTEBOOK_TYPE } from './ilnbSerializer';
import { serializeNotebook, type NotebookContent } from './notebookFormat';
import { newNotebookTemplate, notebookForIlmdp } from './templates';

function toNotebookData(content: NotebookContent): vscode.NotebookData {
  return new vscode.NotebookData(
    content.cells.map((c) => new vscode.NotebookCellData(c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code, c.source, c.language)),
  );
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** `name.ilnb`, or `name-2.ilnb`, `name-3.ilnb`… when taken. */
export async function freeNotebookUri(folder: vscode.Uri, stem: string): Promise<vscode.Uri> {
  for (let i = 1; ; i++) {
    const uri = vscode.Uri.joinPath(folder, `${stem}${i === 1 ? '' : `-${i}`}.ilnb`);
    if (!(await exists(uri))) return uri;
  }
}

export function registerNotebookCommands(controller: IlNotebookController): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('ilNotebooks.newNotebook', async () => {
      const document = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, toNotebookData(newNotebookTemplate()));
      await vscode.window.showNotebookDocument(document);
    }),
    vscode.commands.registerCommand('ilNotebooks.restartKernel', () => controller.restartKernel(vscode.window.activeNotebookEditor?.notebook)),
    vscode.commands.registerCommand('ilNotebooks.openInNotebook', async (resource?: vscode.Uri) => {
      const source = resource ?? vscode.window.activeTextEditor?.document.uri ?? activeCustomEditorUri();
      if (!source || extname(source.path) !== '.ilmdp') {
        void vscode.window.showErrorMessage('IL Notebooks: Open in Notebook needs an .ilmdp file; open one first.');
        return;
      }
      const folder = vscode.Uri.file(dirname(source.fsPath));
      const target = await freeNotebookUri(folder, basename(source.fsPath, '.ilmdp'));
      const text = serializeNotebook(notebookForIlmdp(`./${basename(source.fsPath)}`));
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
      const document = await vscode.workspace.openNotebookDocument(target);
      await vscode.window.showNotebookDocument(document, { viewColumn: vscode.ViewColumn.Beside });
    }),
  ];
}

function activeCustomEditorUri(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom ? input.uri : undefined;
}
