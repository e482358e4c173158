/**
 * One view panel beside the editor. A live panel follows an .ilmdp document: it asks the shared compute
 * service for the view (a newer request cancels only this panel's older one), shows problems instead
 * of a stale chart when the file has errors, and re-computes when the parameters or the text change.
 * A snapshot panel shows a view from a notebook output as it was. The webview remembers what it shows
 * (setState), so a reloaded window restores the panel through the serializer.
 */
import * as vscode from 'vscode';
import { datasetAccessFor } from '../editor/mdpEditorProvider';
import { webviewHtml } from '../editor/webviewHtml';
import { ComputeProblems, type ComputeClient } from '../compute/computeClient';
import { CancelledError } from '../workers/errors';
import { isPanelToHost, PANEL_TITLES, type HostToPanel, type PanelParams, type PanelToHost } from '../shared/panelProtocol';
import { exportFileName, viewToCsv, viewToJson } from '../shared/viewExport';
import type { View } from '../shared/viewModels';

export const PANEL_VIEW_TYPE = 'ilNotebooks.viewPanel';

/** Debounce for re-computing while the user types in the .ilmdp (ms). */
const FOLLOW_DELAY_MS = 400;

/**
 * A webview restored at start-up sometimes never loads: its requests race the webview's service worker
 * (microsoft/vscode#89038, #326544). Restored panels get pages with the script inline; one that still
 * has not said `ready` within this time while shown is loaded again, and if that does not help either,
 * its frame itself is stuck (a new page goes to the same frame): the panel is replaced by a new one
 * with the same content, in the same place. A few attempts at most.
 */
const READY_TIMEOUT_MS = 8_000;
const MAX_RECOVERIES = 3;

export interface PanelHost {
  readonly extensionUri: vscode.Uri;
  /** The compute service every panel shares. */
  readonly compute: ComputeClient;
  remember(params: PanelParams, uri: vscode.Uri): void;
  disposed(panel: IlPanel): void;
  /** A new panel in this one's place, with its content (its webview never loaded). */
  replace(panel: IlPanel, content: PanelContent, recoveries: number): void;
}

export type PanelContent = { readonly uri: vscode.Uri; readonly params: PanelParams } | { readonly snapshot: View };

/**
 * End-to-end tests only: restored panels behave as if their webview frame never loaded (their pages
 * stay blank through reloads), so the recovery that replaces them is tested for real.
 */
// Read through globalThis: the web build's host (a browser worker) has no `process`.
export const SIMULATE_STUCK_RESTORED_FRAMES = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.IL_NOTEBOOKS_E2E_STUCK_RESTORED_FRAMES === '1';

/** `inline` for restored panels and their reloads: a page that needs no file fetched (see webviewHtml). */
export function configureWebview(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, inline = false): void {
  panel.webview.options = {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
  panel.webview.html = webviewHtml(panel.webview, extensionUri, 'panel', 'IL Notebooks view', { inline });
}

/** What a stuck frame shows (SIMULATE_STUCK_RESTORED_FRAMES): nothing, and no script to say `ready`. */
export function showStuckFrame(panel: vscode.WebviewPanel): void {
  panel.webview.options = { enableScripts: false };
  panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body></body></html>`;
}

export class IlPanel {
  /** Cancels this panel's request in flight. */
  private inFlight: AbortController | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private last: HostToPanel | undefined;
  private lastView: View | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readyWatch: NodeJS.Timeout | undefined;
  private ready = false;
  /** The ready-watch fired while the panel was hidden: it starts again once the panel is shown. */
  private watchWhenShown = false;
  private generation = 0;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private content: PanelContent,
    private readonly host: PanelHost,
    restored = false,
    private recoveries = 0,
    private readonly stuckFrame = false,
  ) {
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      panel.onDidChangeViewState(() => {
        if (this.watchWhenShown && panel.visible) {
          this.watchWhenShown = false;
          this.watchForReady();
        }
      }),
    );
    this.updateTitle();
    if (restored) this.watchForReady();
    if ('snapshot' in content) {
      this.lastView = content.snapshot;
      this.post({ type: 'show', view: content.snapshot, source: 'notebook output' });
    } else void this.refresh();
  }

  private watchForReady(): void {
    clearTimeout(this.readyWatch);
    this.readyWatch = setTimeout(() => this.notReady(), READY_TIMEOUT_MS);
  }

  private notReady(): void {
    if (this.ready || this.recoveries >= MAX_RECOVERIES) return;
    // A panel in a background tab loads nothing until it is shown.
    if (!this.panel.visible) {
      this.watchWhenShown = true;
      return;
    }
    this.recoveries++;
    if (this.recoveries === 1) {
      if (this.stuckFrame) showStuckFrame(this.panel);
      else configureWebview(this.panel, this.host.extensionUri, true);
      this.watchForReady();
    } else this.host.replace(this, this.content, this.recoveries);
  }

  get uri(): vscode.Uri | undefined {
    return 'uri' in this.content ? this.content.uri : undefined;
  }

  get params(): PanelParams | undefined {
    return 'params' in this.content ? this.content.params : undefined;
  }

  /** Shows other parameters (or another file) in this panel. */
  show(uri: vscode.Uri, params: PanelParams): void {
    this.content = { uri, params };
    this.updateTitle();
    this.panel.reveal(undefined, true);
    void this.refresh();
  }

  /** The followed document changed: re-compute once the user pauses typing. */
  documentChanged(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), FOLLOW_DELAY_MS);
  }

  private updateTitle(): void {
    if ('snapshot' in this.content) {
      this.panel.title = `IL: ${this.content.snapshot.title.slice(0, 40)}`;
      return;
    }
    const file = this.content.uri.path.split('/').pop() ?? '';
    this.panel.title = `${PANEL_TITLES[this.content.params.kind]} · ${file}`;
  }

  private post(message: HostToPanel): void {
    if (message.type !== 'busy') this.last = message;
    void this.panel.webview.postMessage(message);
  }

  private async sourceText(uri: vscode.Uri): Promise<string> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  }

  async refresh(): Promise<void> {
    if (!('uri' in this.content)) return;
    const { uri, params } = this.content;
    const generation = ++this.generation;
    clearTimeout(this.timer);
    // A newer request replaces an older one that is still running.
    this.inFlight?.abort();
    const request = new AbortController();
    this.inFlight = request;
    const source = vscode.workspace.asRelativePath(uri);
    let text: string;
    try {
      text = await this.sourceText(uri);
    } catch {
      this.post({ type: 'problems', source, uri: uri.toString(), params, problems: [`${uri.fsPath}:1:1: error: cannot read the file (was it moved or deleted?)`] });
      return;
    }
    if (generation !== this.generation) return;
    const sweep = params.kind === 'gap-vs-H' || params.kind === 'gap-vs-N';
    this.post({ type: 'busy', message: sweep ? 'Running the sweep…' : 'Computing…' });
    const file = { file: uri.fsPath, text, datasetFiles: datasetAccessFor(uri) };
    try {
      const result = sweep
        ? await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `IL Notebooks: ${PANEL_TITLES[params.kind]}`, cancellable: true },
            (progress, token) => {
              let reported = 0;
              token.onCancellationRequested(() => request.abort());
              return this.host.compute.panel(file, params, {
                signal: request.signal,
                onProgress: (done, total) => {
                  const percent = (100 * done) / total;
                  progress.report({ increment: percent - reported, message: `${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} datasets` });
                  reported = percent;
                  this.post({ type: 'busy', message: `Running the sweep… ${Math.floor(percent)}%` });
                },
              });
            },
          )
        : await this.host.compute.panel(file, params, { signal: request.signal });
      if (generation !== this.generation) return;
      this.lastView = result.view;
      this.post({ type: 'show', view: result.view, source, live: { uri: uri.toString(), params, experts: result.experts, datasets: result.datasets } });
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof CancelledError) {
        this.post({ type: 'problems', source, uri: uri.toString(), params, problems: ['The computation was cancelled. Change a parameter or press Run to start it again.'] });
        return;
      }
      const problems = error instanceof ComputeProblems ? error.problems : [`error: ${error instanceof Error ? error.message : String(error)}`];
      this.post({ type: 'problems', source, uri: uri.toString(), params, problems });
    }
  }

  private receive(message: unknown): void {
    if (!isPanelToHost(message)) return;
    void this.handle(message);
  }

  private async handle(message: PanelToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        clearTimeout(this.readyWatch);
        // A webview that was hidden reloads: give it what it showed.
        if (this.last) void this.panel.webview.postMessage(this.last);
        return;
      case 'set-params':
        if (!('uri' in this.content) || message.params.kind !== this.content.params.kind) return;
        this.content = { uri: this.content.uri, params: message.params };
        this.host.remember(message.params, this.content.uri);
        await this.refresh();
        return;
      case 'open-source':
        if ('uri' in this.content) await vscode.commands.executeCommand('vscode.open', this.content.uri, { viewColumn: vscode.ViewColumn.One });
        return;
      case 'export':
        await this.export(message.format, message.dataUrl);
        return;
    }
  }

  private async export(format: 'png' | 'csv' | 'json', dataUrl: string | undefined): Promise<void> {
    const view = this.lastView;
    if (!view) return;
    const folder = 'uri' in this.content ? vscode.Uri.joinPath(this.content.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = exportFileName(view, format);
    const target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      filters: { [format.toUpperCase()]: [format] },
      title: `Export the ${format === 'png' ? 'chart' : 'data'} as ${format.toUpperCase()}`,
    });
    if (!target) return;
    const bytes =
      format === 'png' ? base64Bytes(dataUrl!.slice('data:image/png;base64,'.length)) : new TextEncoder().encode(format === 'csv' ? viewToCsv(view) : viewToJson(view));
    try {
      await vscode.workspace.fs.writeFile(target, bytes);
      void vscode.window.setStatusBarMessage(`IL Notebooks: exported ${vscode.workspace.asRelativePath(target)}`, 5000);
    } catch (error) {
      void vscode.window.showErrorMessage(`IL Notebooks: could not write ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.readyWatch);
    this.generation++;
    this.inFlight?.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.host.disposed(this);
  }
}

/** Decodes base64 without Node's Buffer, which the web build's host (a browser worker) lacks. */
function base64Bytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
