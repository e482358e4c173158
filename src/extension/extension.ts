/**
 * The extension's entry point in a Node extension host (VS Code desktop, code-server): workers are
 * threads, the parse service and every notebook's kernel processes (nodePlatform.ts). What is
 * registered is activate.ts's, shared with the web entry point (webExtension.ts).
 */
import * as vscode from 'vscode';
import { EditorResultsCache } from '../notebook/editorCache';
import { kernelProcess } from '../notebook/kernelProcess';
import { activateWith, deactivateAll } from './activate';
import { nodePlatform } from './nodePlatform';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('IL Notebooks');
  const kernelScript = vscode.Uri.joinPath(context.extensionUri, 'dist', 'kernelWorker.js').fsPath;
  // The results cache is the workspace's (its storage; the global one for a window with no folder), never the project's.
  const cacheFolder = vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'results-cache').fsPath;
  const resultsCache = new EditorResultsCache(cacheFolder, kernelScript);
  activateWith(context, nodePlatform(context.extensionUri), () => (options) => kernelProcess(kernelScript, options), output, resultsCache);
}

export function deactivate(): void {
  deactivateAll();
}
