/**
 * The panel commands and everything around them: where they start (palette, .ilmdp editor toolbar,
 * editor title bar, notebook outputs), the quick picks with the last choices remembered per workspace,
 * panels following their documents, and restoring panels after a window reload.
 */
import * as vscode from 'vscode';
import { NUMBER_SETTINGS, readSettings } from '../shared/settings';
import { isView, type View } from '../shared/viewModels';
import { defaultParams, isPanelParams, isPanelState, PANEL_COMMANDS, PANEL_TITLES, type PanelKind, type PanelParams } from '../shared/panelProtocol';
import { ComputeProblems, type ComputeClient } from '../compute/computeClient';
import { datasetAccessFor } from '../editor/mdpEditorProvider';
import { configureWebview, IlPanel, PANEL_VIEW_TYPE, showStuckFrame, SIMULATE_STUCK_RESTORED_FRAMES, type PanelContent, type PanelHost } from './ilPanel';
import { askSweepParameters, pickFromList } from './quickPicks';
import { isRecord } from '../core/guards';
import { platform } from '../workers/platform';

/** What the .ilmdp editor's toolbar passes along with the document's URI. */
interface Selection {
  readonly expert?: string;
  readonly dataset?: string;
}

function isSelection(x: unknown): x is Selection {
  if (!isRecord(x)) return false;
  const s = x;
  return (s.expert === undefined || typeof s.expert === 'string') && (s.dataset === undefined || typeof s.dataset === 'string');
}

const LAST_FILE_KEY = 'ilNotebooks.panels.lastFile';
const lastParamsKey = (kind: PanelKind) => `ilNotebooks.panels.last.${kind}`;

/** The setting ilNotebooks.panels.defaultSeeds, read as a panel starts. */
const defaultSeeds = () => readSettings((key) => vscode.workspace.getConfiguration().get(key), platform().hardwareConcurrency).panelSeeds;

/** A kind's defaults, with the seeds of the setting for the sweeps. */
function panelDefaults(kind: PanelKind): PanelParams {
  const params = defaultParams(kind);
  return params.kind === 'gap-vs-H' || params.kind === 'gap-vs-N' ? { ...params, seeds: defaultSeeds() } : params;
}

function isIlmdp(uri: vscode.Uri | undefined): uri is vscode.Uri {
  return uri !== undefined && uri.path.toLowerCase().endsWith('.ilmdp');
}

/** The .ilmdp the user is looking at, in a text editor or in the IL MDP editor. */
function activeIlmdp(): vscode.Uri | undefined {
  const text = vscode.window.activeTextEditor?.document.uri;
  if (isIlmdp(text)) return text;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return isIlmdp(input.uri) ? input.uri : undefined;
  return undefined;
}

export class PanelManager implements PanelHost, vscode.Disposable {
  private readonly panels = new Set<IlPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    readonly extensionUri: vscode.Uri,
    private readonly state: vscode.Memento,
    readonly compute: ComputeClient,
  ) {
    for (const [kind, command] of Object.entries(PANEL_COMMANDS) as [PanelKind, string][]) {
      this.disposables.push(vscode.commands.registerCommand(command, (uri?: unknown, selection?: unknown) => this.command(kind, uri, selection)));
    }
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
      }),
      vscode.workspace.onDidChangeTextDocument((e) => this.changed(e.document.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(NUMBER_SETTINGS.panelSeeds.key)) this.seedsChanged();
      }),
    );
    // Changes on disk (a git checkout) while the file is not open in an editor.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.ilmdp');
    this.disposables.push(watcher, watcher.onDidChange((u) => this.changedOnDisk(u)), watcher.onDidCreate((u) => this.changedOnDisk(u)), watcher.onDidDelete((u) => this.changedOnDisk(u)));
    const messaging = vscode.notebooks.createRendererMessaging('il-notebooks.renderer');
    this.disposables.push(
      messaging.onDidReceiveMessage((e) => {
        const m = e.message as { type?: unknown; view?: unknown } | null;
        if (m && m.type === 'open-in-panel' && isView(m.view)) this.openSnapshot(m.view);
      }),
    );
  }

  remember(params: PanelParams, uri: vscode.Uri): void {
    void this.state.update(lastParamsKey(params.kind), params);
    void this.state.update(LAST_FILE_KEY, uri.toString());
  }

  disposed(panel: IlPanel): void {
    this.panels.delete(panel);
  }

  replace(old: IlPanel, content: PanelContent, recoveries: number): void {
    // The new panel opens first, beside the old one in its group, so the group stays open.
    const webviewPanel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, old.panel.title, { viewColumn: old.panel.viewColumn ?? vscode.ViewColumn.Beside, preserveFocus: true });
    configureWebview(webviewPanel, this.extensionUri, true);
    this.panels.add(new IlPanel(webviewPanel, content, this, true, recoveries));
    old.panel.dispose();
  }

  private changed(uri: vscode.Uri): void {
    for (const panel of this.panels) if (panel.uri?.toString() === uri.toString()) panel.documentChanged();
  }

  private changedOnDisk(uri: vscode.Uri): void {
    // An open document reports its own changes (and may differ from the disk while unsaved).
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return;
    this.changed(uri);
  }

  private rememberedParams(kind: PanelKind): PanelParams {
    const saved = this.state.get<unknown>(lastParamsKey(kind));
    return isPanelParams(saved) && saved.kind === kind ? saved : panelDefaults(kind);
  }

  /** A new default number of seeds replaces the one remembered from the last choice: the next sweep panel starts from it. */
  private seedsChanged(): void {
    const seeds = defaultSeeds();
    for (const kind of ['gap-vs-H', 'gap-vs-N'] as const) {
      const saved = this.state.get<unknown>(lastParamsKey(kind));
      if (isPanelParams(saved) && (saved.kind === 'gap-vs-H' || saved.kind === 'gap-vs-N')) void this.state.update(lastParamsKey(kind), { ...saved, seeds });
    }
  }

  private async command(kind: PanelKind, uriArg: unknown, selectionArg: unknown): Promise<void> {
    const fromEditor = uriArg instanceof vscode.Uri && isIlmdp(uriArg);
    const selection = isSelection(selectionArg) ? selectionArg : {};
    let params = this.rememberedParams(kind);
    let uri: vscode.Uri | undefined;
    if (fromEditor) {
      // From a toolbar or the title bar: open at once; the panel's own form changes the rest.
      uri = uriArg;
      params = { ...params, ...selection } as PanelParams;
    } else {
      uri = await this.pickFile();
      if (!uri) return;
      const chosen = await this.pickChoices(kind, uri, params);
      if (!chosen) return;
      params = chosen;
    }
    this.remember(params, uri);
    this.open(uri, params);
  }

  private async pickFile(): Promise<vscode.Uri | undefined> {
    const files = await vscode.workspace.findFiles('**/*.ilmdp', '**/node_modules/**', 500);
    const active = activeIlmdp();
    const last = this.state.get<string>(LAST_FILE_KEY);
    if (active && !files.some((f) => f.toString() === active.toString())) files.push(active);
    if (files.length === 0) {
      void vscode.window.showErrorMessage('IL Notebooks: there is no .ilmdp file in this workspace. Create one (see examples/) or open a folder that has one.');
      return undefined;
    }
    // The active file first, then the last one used, then the rest by path.
    const rank = (u: vscode.Uri) => (u.toString() === active?.toString() ? 0 : u.toString() === last ? 1 : 2);
    files.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
    if (files.length === 1) return files[0];
    const picked = await pickFromList(
      files.map((f) => ({ label: vscode.workspace.asRelativePath(f), value: f, ...(rank(f) === 0 ? { description: 'active editor' } : rank(f) === 1 ? { description: 'last used' } : {}) })),
      'Which .ilmdp file?',
    );
    return picked;
  }

  /** The file's experts and datasets, asked of the compute service (parsing and generators stay off the host). */
  private async fileChoices(uri: vscode.Uri): Promise<{ experts: readonly string[]; datasets: readonly string[] } | undefined> {
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    try {
      const result = await this.compute.panel({ file: uri.fsPath, text, datasetFiles: datasetAccessFor(uri) }, defaultParams('heatmap'));
      return { experts: result.experts, datasets: result.datasets };
    } catch (error) {
      // A file with problems still opens: the panel lists them.
      if (error instanceof ComputeProblems) return { experts: [], datasets: [] };
      throw error;
    }
  }

  private async pickChoices(kind: PanelKind, uri: vscode.Uri, remembered: PanelParams): Promise<PanelParams | undefined> {
    const { experts, datasets } = (await this.fileChoices(uri)) ?? { experts: [], datasets: [] };
    let params = remembered;
    if (experts.length > 1) {
      const first = remembered.expert && experts.includes(remembered.expert) ? remembered.expert : experts[0];
      const expert = await pickFromList(
        [first, ...experts.filter((e) => e !== first)].map((e) => ({ label: e, value: e })),
        kind === 'bc-table' ? 'Which expert (for the missing mass)?' : 'Which expert?',
      );
      if (expert === undefined) return undefined;
      params = { ...params, expert } as PanelParams;
    } else params = { ...params, expert: experts[0] } as PanelParams;
    if (params.kind === 'heatmap') {
      const policyBefore = params.policy;
      const policy = await pickFromList(
        [
          { label: 'Expert', description: 'd^E_h(s)', value: 'expert' as const },
          { label: 'BC policy', description: 'd^BC_h(s), cloned from a dataset', value: 'bc' as const },
          { label: 'Difference', description: 'd^E_h(s) − d^BC_h(s)', value: 'difference' as const },
        ].sort((a, b) => (a.value === policyBefore ? -1 : b.value === policyBefore ? 1 : 0)),
        'Whose visitation?',
      );
      if (policy === undefined) return undefined;
      params = { ...params, policy };
    }
    const needsDataset = params.kind === 'bc-table' || (params.kind === 'heatmap' && params.policy !== 'expert');
    if (needsDataset && datasets.length > 1) {
      const wanted = 'dataset' in params ? params.dataset : undefined;
      const first = wanted && datasets.includes(wanted) ? wanted : datasets[0];
      const dataset = await pickFromList([first, ...datasets.filter((d) => d !== first)].map((d) => ({ label: d, value: d })), 'Which dataset?');
      if (dataset === undefined) return undefined;
      params = { ...params, dataset } as PanelParams;
    } else if (needsDataset) params = { ...params, dataset: datasets[0] } as PanelParams;
    if (params.kind === 'gap-vs-H' || params.kind === 'gap-vs-N') return askSweepParameters(params);
    return params;
  }

  /** One live panel per kind and file: a second command on the same file updates it. */
  open(uri: vscode.Uri, params: PanelParams): void {
    for (const panel of this.panels) {
      if (panel.uri?.toString() === uri.toString() && panel.params?.kind === params.kind) {
        panel.show(uri, params);
        return;
      }
    }
    const webviewPanel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, PANEL_TITLES[params.kind], { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    configureWebview(webviewPanel, this.extensionUri);
    this.panels.add(new IlPanel(webviewPanel, { uri, params }, this));
  }

  openSnapshot(view: View): void {
    const webviewPanel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, view.title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
    configureWebview(webviewPanel, this.extensionUri);
    this.panels.add(new IlPanel(webviewPanel, { snapshot: view }, this));
  }

  private restore(webviewPanel: vscode.WebviewPanel, state: unknown): void {
    if (!isPanelState(state)) {
      // Nothing usable was saved (an older version, or the panel never showed anything): say so.
      webviewPanel.webview.options = { enableScripts: false };
      webviewPanel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head><body><p>This IL Notebooks panel could not be restored. Run its command again.</p></body></html>`;
      return;
    }
    if (SIMULATE_STUCK_RESTORED_FRAMES) showStuckFrame(webviewPanel);
    else configureWebview(webviewPanel, this.extensionUri, true);
    const content = 'snapshot' in state ? { snapshot: state.snapshot } : { uri: vscode.Uri.parse(state.uri), params: state.params };
    this.panels.add(new IlPanel(webviewPanel, content, this, true, 0, SIMULATE_STUCK_RESTORED_FRAMES));
  }

  dispose(): void {
    for (const panel of [...this.panels]) panel.panel.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
