/**
 * The host's platform in a Node extension host (VS Code desktop, code-server's remote host): workers
 * are worker threads of the host's process, the parse service a child process, the cores counted by
 * Node, and webview bundles read from the disk.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { childProcess } from '../workers/childProcess';
import { nodeWorker } from '../workers/nodeWorker';
import type { Platform, WorkerBundle } from '../workers/platform';

export function nodePlatform(extensionUri: vscode.Uri): Platform {
  const script = (bundle: WorkerBundle) => vscode.Uri.joinPath(extensionUri, 'dist', `${bundle}.js`).fsPath;
  const texts = new Map<string, string>();
  return {
    name: 'node',
    worker: (bundle) => nodeWorker(script(bundle)),
    // execArgv is cleared so the child does not inherit the host's inspector or loader flags.
    parseService: () => childProcess(script('parseService'), [], { execArgv: [] }),
    hardwareConcurrency: availableParallelism(),
    localDisk: true,
    // Read once per session: the files do not change while the extension runs.
    bundleText: (path) => {
      const file = join(extensionUri.fsPath, ...path);
      let text = texts.get(file);
      if (text === undefined) {
        text = readFileSync(file, 'utf8');
        texts.set(file, text);
      }
      return text;
    },
  };
}
