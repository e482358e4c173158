/**
 * The extension's entry point in VS Code for the Web (vscode.dev, github.dev, code-server's web worker
 * extension host): package.json's `browser`. The same registrations as on Node (activate.ts), with every
 * worker a Web Worker and every file read through vscode.workspace.fs (webPlatform.ts); a notebook's
 * kernel is a Web Worker too (webKernel.ts). No Node module is bundled here (test/package/webBundle.test.ts).
 */
import * as vscode from 'vscode';
import { activateWith, deactivateAll } from './activate';
import { webKernelStarter } from './webKernel';
import { webPlatform } from './webPlatform';

/** The first line of the output channel in the web build: how a user (and the e2e) tells which host runs the extension. */
export const WEB_BUILD_LINE = 'IL Notebooks (web build): kernels, sweeps and the parse service run as Web Workers; there is no CLI here.';

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('IL Notebooks');
  output.appendLine(WEB_BUILD_LINE);
  const host = webPlatform(context.extensionUri, (line) => output.appendLine(line));
  activateWith(context, host, (parser) => webKernelStarter(host, async (text) => (await parser.parse(text, false)).files.map((f) => f.path)), output);
}

export function deactivate(): void {
  deactivateAll();
}
