/**
 * What both entry points activate (extension.ts on Node, webExtension.ts on the web), given the
 * platform's workers (src/workers/platform.ts) and how a notebook's kernel starts. Heavy work goes to the compute service (one worker shared by the panels and
 * the commands); the host only asks, shows progress and prints. Registers the .ilmdp language features
 * and editor, the IL notebook type and kernel, and the view panels. docs/architecture.md maps the
 * processes and threads.
 */
import * as vscode from 'vscode';
import { formatSweepTable } from '../shared/viewText';
import { IlmdpDiagnostics } from '../editor/ilmdpDiagnostics';
import { datasetAccessFor, MdpEditorProvider } from '../editor/mdpEditorProvider';
import { ParseClient, ParseScheduler } from '../editor/parseClient';
import { CellDiagnostics } from '../notebook/cellDiagnostics';
import { currentSettings, IlNotebookController } from '../notebook/controller';
import { IlnbSerializer } from '../notebook/ilnbSerializer';
import { registerExportCommands } from '../notebook/exportCommands';
import { registerNotebookCommands } from '../notebook/notebookCommands';
import type { EditorResultsCache } from '../notebook/editorCache';
import { StaleCells } from '../notebook/staleCells';
import { VariablesView } from '../notebook/variablesView';
import { PanelManager } from '../panels/panelManager';
import { registerWalkthroughCommands } from './walkthrough';
import { ComputeClient } from '../compute/computeClient';
import { CancelledError } from '../workers/errors';
import { setPlatform, type Platform } from '../workers/platform';
import type { KernelStarter } from '../notebook/controller';

let client: ComputeClient | undefined;

/**
 * `kernels`: how a notebook's kernel starts, given the parse service (the web kernel's host asks it which
 * dataset files an .ilmdp names). `resultsCache`: the notebooks' results cache, where the platform has a
 * disk for it (Node); without one every cell runs, and stale marks still work.
 */
export function activateWith(
  context: vscode.ExtensionContext,
  host: Platform,
  kernels: (parser: ParseClient) => KernelStarter,
  output: vscode.OutputChannel,
  resultsCache?: EditorResultsCache,
): void {
  setPlatform(host);
  // The pool size is read for each request, so a change of ilNotebooks.sweeps.workers reaches the next panel run.
  client = new ComputeClient(host.worker('computeWorker'), { sweepWorkers: () => currentSettings().sweepWorkers });
  // One parse service for every .ilmdp document and editor.
  const parser = new ParseClient(host.parseService());
  const parses = new ParseScheduler(parser);
  context.subscriptions.push(
    output,
    { dispose: () => client?.dispose() },
    { dispose: () => (parses.dispose(), parser.dispose()) },
    new IlmdpDiagnostics(parses),
    MdpEditorProvider.register(context.extensionUri, parser, parses),
  );
  const notebookController = new IlNotebookController(datasetAccessFor, (line) => output.appendLine(line), kernels(parser), resultsCache);
  if (resultsCache) context.subscriptions.push(resultsCache);
  context.subscriptions.push(new StaleCells(notebookController));
  context.subscriptions.push(IlnbSerializer.register(), notebookController, ...registerNotebookCommands(notebookController), ...registerExportCommands(notebookController, context.extensionUri), new CellDiagnostics());
  const panels = new PanelManager(context.extensionUri, context.workspaceState, client);
  // A name's "Open in Panel" goes where an output's does: a snapshot panel of its view.
  context.subscriptions.push(panels, new VariablesView(notebookController, (view) => panels.openSnapshot(view)));
  context.subscriptions.push(...registerWalkthroughCommands(context.extensionUri));

  context.subscriptions.push(
    vscode.commands.registerCommand('ilNotebooks.showResetCliffDemo', async () => {
      const compute = client!;
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Reset Cliff: gap vs H', cancellable: true },
          (progress, token) => {
            let reported = 0;
            const cancel = new AbortController();
            token.onCancellationRequested(() => cancel.abort());
            return compute.gapVsHorizon(
              {
                env: { kind: 'reset-cliff', nS: 11, nA: 2, H: 1 },
                N: 40,
                horizons: [1, 2, 4, 8, 16, 32, 64, 128],
                seeds: 400,
                slopeRange: [1, 16],
                baseSeed: 'demo',
              },
              {
                onProgress: (done, total) => {
                  const percent = (100 * done) / total;
                  progress.report({ increment: percent - reported, message: `${done}/${total} datasets` });
                  reported = percent;
                },
                signal: cancel.signal,
              },
            );
          },
        );
        output.appendLine(formatSweepTable(result));
        output.appendLine('');
        output.show(true);
      } catch (error) {
        if (error instanceof CancelledError) return;
        void vscode.window.showErrorMessage(`IL Notebooks: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}

export function deactivateAll(): void {
  client?.dispose();
  client = undefined;
}
