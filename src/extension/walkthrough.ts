/**
 * The commands behind the Getting Started walkthrough (`contributes.walkthroughs` in package.json):
 * open an .ilmdp in the visual editor, open the Reset Cliff notebook, write a new .ilmdp from a template,
 * and try the CLI. Each finds what it needs in the workspace (the examples first) and, when there is
 * none, offers what to do instead, so the walkthrough works in any folder.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { NEW_ILMDP_TEMPLATE } from '../notebook/templates';

import { MdpEditorProvider } from '../editor/mdpEditorProvider';
const EXCLUDE = '**/node_modules/**';

/** The preferred file by name if the workspace has it, else the first of its kind by path. */
async function findPreferred(glob: string, preferred: string): Promise<vscode.Uri | undefined> {
  const files = await vscode.workspace.findFiles(glob, EXCLUDE, 500);
  files.sort((a, b) => a.path.localeCompare(b.path));
  return files.find((f) => f.path.endsWith(`/${preferred}`)) ?? files[0];
}

async function newMdpFile(): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'ilmdp', content: NEW_ILMDP_TEMPLATE });
  await vscode.window.showTextDocument(document);
}

async function openMdpInEditor(): Promise<void> {
  const uri = await findPreferred('**/*.ilmdp', 'three-states.ilmdp');
  if (uri) {
    await vscode.commands.executeCommand('vscode.openWith', uri, MdpEditorProvider.viewType);
    return;
  }
  const create = 'New IL MDP File';
  if ((await vscode.window.showInformationMessage('IL Notebooks: this workspace has no .ilmdp file yet. Start one from a template?', create)) === create) await newMdpFile();
}

async function openResetCliffNotebook(): Promise<void> {
  const uri = await findPreferred('**/*.ilnb', '04-reset-cliff-compounding-errors.ilnb');
  if (uri) {
    await vscode.window.showNotebookDocument(await vscode.workspace.openNotebookDocument(uri));
    if (!uri.path.endsWith('/04-reset-cliff-compounding-errors.ilnb')) void vscode.window.showInformationMessage(`IL Notebooks: the Reset Cliff example is not in this workspace; opened ${vscode.workspace.asRelativePath(uri)} instead.`);
    return;
  }
  const create = 'New Notebook';
  if ((await vscode.window.showInformationMessage('IL Notebooks: this workspace has no .ilnb notebook yet. Start one (it has a Reset Cliff cell)?', create)) === create) {
    await vscode.commands.executeCommand('ilNotebooks.newNotebook');
  }
}

/** A terminal with the installed extension's own CLI asked for its help: the same commands as `npx il-notebooks` from a clone. */
function cliInTerminal(extensionUri: vscode.Uri): void {
  const cli = join(extensionUri.fsPath, 'dist', 'cli', 'main.js');
  const terminal = vscode.window.createTerminal({ name: 'IL Notebooks CLI' });
  terminal.show();
  terminal.sendText(`node ${JSON.stringify(cli)} --help`, true);
}

export function registerWalkthroughCommands(extensionUri: vscode.Uri): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand('ilNotebooks.newMdpFile', newMdpFile),
    vscode.commands.registerCommand('ilNotebooks.openMdpInEditor', openMdpInEditor),
    vscode.commands.registerCommand('ilNotebooks.openResetCliffNotebook', openResetCliffNotebook),
    vscode.commands.registerCommand('ilNotebooks.cliInTerminal', () => cliInTerminal(extensionUri)),
  ];
}
