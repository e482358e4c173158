/**
 * The extension's entry point in a Node extension host (VS Code desktop, code-server): workers are
 * threads, the parse service and every notebook's kernel processes (nodePlatform.ts). What is
 * registered is activate.ts's, shared with the web entry point (webExtension.ts).
 */
import * as vscode from 'vscode';
import { kernelProcess } from '../notebook/kernelProcess';
import { activateWith, deactivateAll } from './activate';
import { nodePlatform } from './nodePlatform';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('IL Notebooks');
  const kernelScript = vscode.Uri.joinPath(context.extensionUri, 'dist', 'kernelWorker.js').fsPath;
  activateWith(context, nodePlatform(context.extensionUri), () => (options) => kernelProcess(kernelScript, options), output);
}

export function deactivate(): void {
  deactivateAll();
}
