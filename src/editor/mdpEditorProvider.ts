/**
 * The visual editor over an .ilmdp text (a CustomTextEditorProvider): the text stays the source of
 * truth. The webview shows a view model built from the text and sends edit requests; each becomes a
 * minimal WorkspaceEdit, so undo/redo, dirty state, save, revert and hot exit are the text editor's own.
 * The view model and the text edits come from the parse service (parseClient.ts), shared by every
 * editor and the Problems panel; dataset statistics, trajectory pages and exports from a worker thread
 * per editor (editorWorkerClient.ts). The host only reads files and relays, never parses the text, and
 * a newer version cancels an older parse and an older analysis.
 */
import { dirname, posix } from 'node:path';
import * as vscode from 'vscode';
import { locateDatasetFile, MAX_DATASET_FILE_BYTES, readLocated, type DatasetFileAccess } from '../ilmdp/datasetAccess';
import { uniqueName } from '../ilmdp/edits';
import { isEditorToHostMessage, type EditorToHostMessage, type HostToEditorMessage, type MdpEditorViewModel } from '../shared/mdpEditorProtocol';
import { openPanel, scalarEditAllowed } from './editorActions';
import type { AnalysisResult } from './editorWorkerProtocol';
import { DatasetFileRefused, EditorWorkerClient, type FileSource, type MissingFile } from './editorWorkerClient';
import { CancelledError } from '../workers/errors';
import { platform } from '../workers/platform';
import type { ParseClient, ParseScheduler } from './parseClient';
import type { EditRequest } from './parseProtocol';
import { webviewHtml } from './webviewHtml';

const REFRESH_MS = 120;

/**
 * Where a document's dataset files may come from: its workspace folder (its own folder when it is in
 * none), unless the user turned on ilNotebooks.datasets.allowFilesOutsideFolder. That setting is
 * restricted (package.json: capabilities.untrustedWorkspaces), so an untrusted folder cannot turn it on
 * for itself.
 */
export function datasetAccessFor(document: vscode.Uri): DatasetFileAccess {
  const folder = vscode.workspace.getWorkspaceFolder(document);
  const allow = vscode.workspace.getConfiguration('ilNotebooks.datasets', document).get<boolean>('allowFilesOutsideFolder', false);
  return {
    roots: [folder ? folder.uri.fsPath : dirname(document.fsPath)],
    allowOutside: allow === true,
    rootsLabel: folder ? `the workspace folder ${folder.name}` : "this file's folder",
    howToAllow: 'to read it anyway, turn on the setting ilNotebooks.datasets.allowFilesOutsideFolder (user settings; ignored in untrusted workspaces)',
  };
}

/**
 * A dataset file a document names, located and checked (datasetAccess.ts) but not read: its stamp, and
 * how to read it when the worker needs the bytes; or why it is not read.
 */
export async function openDatasetFile(document: vscode.Uri, written: string): Promise<Pick<FileSource, 'stamp' | 'read'> | { error: string }> {
  const access = datasetAccessFor(document);
  // On the web even a file: URI is read through vscode.workspace.fs (there is no disk of the host's own).
  if (document.scheme !== 'file' || !platform().localDisk) return openVirtualDatasetFile(document, written, access);
  const located = await locateDatasetFile(dirname(document.fsPath), written, access);
  if (!located.ok) return located.reason === 'missing' ? { error: `file ${written} not found beside this file` } : { error: located.message };
  return {
    stamp: `${located.mtimeMs}:${located.size}`,
    read: async () => {
      const bytes = await readLocated(located, written, access);
      if (bytes instanceof Uint8Array) return bytes;
      throw new DatasetFileRefused(bytes.message);
    },
  };
}

/** A file system that is not the disk has no symlinks or FIFOs to resolve: the URI's path and its type decide. */
async function openVirtualDatasetFile(document: vscode.Uri, written: string, access: DatasetFileAccess): Promise<Pick<FileSource, 'stamp' | 'read'> | { error: string }> {
  const uri = vscode.Uri.joinPath(document, '..', written);
  const folder = vscode.workspace.getWorkspaceFolder(document)?.uri ?? vscode.Uri.joinPath(document, '..');
  const rel = posix.relative(folder.path, uri.path);
  if (!access.allowOutside && (uri.scheme !== folder.scheme || uri.authority !== folder.authority || rel === '' || rel.split('/')[0] === '..' || posix.isAbsolute(rel))) {
    return { error: `${written} is outside ${access.rootsLabel}, so it is not read; ${access.howToAllow}` };
  }
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    return { error: `file ${written} not found beside this file` };
  }
  if ((stat.type & vscode.FileType.File) === 0) return { error: `${written} is not a regular file; point file: at a CSV or JSON Lines file` };
  if (stat.size > MAX_DATASET_FILE_BYTES) return { error: `${written} is larger than the ${MAX_DATASET_FILE_BYTES / 2 ** 20} MiB a dataset file may have; split it into several files (one dataset each)` };
  return { stamp: `${stat.mtime}:${stat.size}`, read: async () => vscode.workspace.fs.readFile(uri) };
}
/** Largest N the Generate dataset prompt accepts (the worker realises at most 10^7 steps anyway). */
const MAX_GENERATED_TRAJECTORIES = 10_000_000;

/** Set once an IL MDP editor has opened in this window (the walkthrough's first step completes on it). */
export const MDP_EDITOR_OPENED_CONTEXT = 'ilNotebooks.mdpEditorOpened';

export class MdpEditorProvider implements vscode.CustomTextEditorProvider {
  static readonly viewType = 'ilNotebooks.mdpEditor';

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly parser: ParseClient,
    private readonly parses: ParseScheduler,
  ) {}

  static register(extensionUri: vscode.Uri, parser: ParseClient, parses: ParseScheduler): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(MdpEditorProvider.viewType, new MdpEditorProvider(extensionUri, parser, parses), {
      supportsMultipleEditorsPerDocument: true,
    });
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    // The walkthrough's first step is done however the editor was opened (its button, the Explorer).
    void vscode.commands.executeCommand('setContext', MDP_EDITOR_OPENED_CONTEXT, true);
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'mdpEditor', 'IL MDP Editor');
    const worker = new EditorWorkerClient(platform().worker('editorWorker'));
    const session = new EditorSession(document, panel, worker, this.parser, this.parses);
    panel.onDidDispose(() => session.dispose());
  }
}

class EditorSession {
  private disposed = false;
  private model: MdpEditorViewModel | null = null;
  private analysis: { version: number; promise: Promise<AnalysisResult | undefined> } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly document: vscode.TextDocument,
    private readonly panel: vscode.WebviewPanel,
    private readonly client: EditorWorkerClient,
    private readonly parser: ParseClient,
    private readonly parses: ParseScheduler,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== document.uri.toString()) return;
        void this.refresh(REFRESH_MS);
      }),
      panel.webview.onDidReceiveMessage((message: unknown) => {
        // Every message is checked before use; anything else from the webview is ignored.
        if (isEditorToHostMessage(message)) void this.handle(message).catch((error: unknown) => this.warn(error instanceof Error ? error.message : String(error)));
      }),
    );
  }

  dispose(): void {
    // The document's pending parse is not forgotten: the Problems panel (and other editors) share it.
    this.disposed = true;
    for (const s of this.subscriptions) s.dispose();
    this.client.dispose();
  }

  private post(message: HostToEditorMessage): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(message);
  }

  private warn(message: string): void {
    void vscode.window.showWarningMessage(`IL Notebooks: ${message}`);
  }

  /**
   * Sends the model of the current text when the parse service has it (after `delay`, to let typing
   * pause), then its dataset statistics when the worker has them. Undefined when a newer version
   * superseded this one before its analysis ended.
   */
  private refresh(delay = 0): Promise<AnalysisResult | undefined> {
    const version = this.document.version;
    if (this.analysis?.version === version) return this.analysis.promise;
    const entry: { version: number; promise: Promise<AnalysisResult | undefined> } = { version, promise: Promise.resolve(undefined) };
    entry.promise = (async () => {
      const parsed = await this.parses.request(this.document.uri.toString(), version, { text: () => this.document.getText(), current: () => this.document.version, view: true, delayMs: delay });
      if (!parsed?.answer.view) {
        // Superseded: a later refresh of this same version (the webview's ready) must not be forgotten.
        if (this.analysis === entry) this.analysis = undefined;
        return undefined;
      }
      const { text, answer } = parsed;
      const { model, diagnostics, draft } = answer.view!;
      this.model = model;
      this.post({ type: 'model', version, model, diagnostics, ...(draft ? { draft } : {}) });
      // Without a model there is nothing to realise, and the worker would only parse the text again.
      if (!answer.hasModel) {
        const result: AnalysisResult = { version, datasets: [] };
        this.post({ type: 'stats', version, datasets: result.datasets });
        return result;
      }
      try {
        const result = await this.client.analyse(version, text, await this.datasetFiles(model));
        this.post({ type: 'stats', version, datasets: result.datasets });
        return result;
      } catch (error) {
        const superseded = this.analysis?.version !== version;
        // The worker is gone either way: the next refresh of this version analyses again.
        if (!superseded) this.analysis = undefined;
        if (error instanceof CancelledError && superseded) return undefined;
        this.post({ type: 'stats-failed', version, message: error instanceof CancelledError ? 'statistics cancelled; edit the file or reopen the editor to compute them again' : error instanceof Error ? error.message : String(error) });
        return undefined;
      }
    })();
    this.analysis = entry;
    return entry.promise;
  }

  /** The dataset files the text references, by stamp; their bytes are read only if the worker needs them. */
  private async datasetFiles(model: MdpEditorViewModel | null): Promise<(FileSource | MissingFile)[]> {
    const out: (FileSource | MissingFile)[] = [];
    const paths = new Set(model?.datasets.flatMap((d) => (d.file ? [d.file] : [])));
    for (const path of paths) {
      const found = await openDatasetFile(this.document.uri, path);
      out.push('error' in found ? { path, missing: true, error: found.error } : { path, ...found });
    }
    return out;
  }

  /**
   * Turns a visual-editor change into a minimal text edit, computed by the parse service on the text
   * of this version; if the document changed meanwhile, the edit would land on other text, so it is
   * dropped and the user asked to try again.
   */
  private async applyEdit(request: EditRequest): Promise<boolean> {
    const version = this.document.version;
    const result = await this.parser.edit(this.document.getText(), request);
    if (this.document.version !== version) {
      this.warn('the text changed while the edit was prepared; try again');
      return false;
    }
    if (!result.ok) {
      this.warn(result.message);
      await this.refresh();
      return false;
    }
    // A name edit is a list (every place the name is written), applied as one workspace edit: one undo step.
    const edits = 'edits' in result ? result.edits : [result.edit];
    const edit = new vscode.WorkspaceEdit();
    let changes = 0;
    for (const { offset, length, newText } of edits) {
      const range = new vscode.Range(this.document.positionAt(offset), this.document.positionAt(offset + length));
      // A no-op edit would still dirty the document; comparing the replaced range is bounded by the edit's size.
      if (this.document.getText(range) === newText) continue;
      edit.replace(this.document.uri, range, newText);
      changes++;
    }
    if ('note' in result && result.note) void vscode.window.showInformationMessage(`IL Notebooks: ${result.note}`);
    if (changes === 0) return false;
    return vscode.workspace.applyEdit(edit);
  }

  private async handle(message: EditorToHostMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.analysis = undefined;
        await this.refresh();
        return;
      case 'open-notebook':
        await vscode.commands.executeCommand('ilNotebooks.openInNotebook', this.document.uri);
        return;
      case 'open-text':
        await vscode.commands.executeCommand('vscode.openWith', this.document.uri, 'default', vscode.ViewColumn.Beside);
        return;
      case 'set-scalar': {
        const allowed = scalarEditAllowed(message.path, message.value, this.model);
        if (!allowed.ok) return this.warn(allowed.message);
        await this.applyEdit({ kind: 'set-scalar', path: message.path, value: message.value });
        return;
      }
      case 'paint-map':
        if (this.model?.grid?.paintable === false) return this.warn('the map is written on one line or as a list; write it as a block (map: | and one line per row) to paint it in the grid');
        await this.applyEdit({ kind: 'paint-map', cells: message.cells });
        return;
      case 'resize-map':
        await this.applyEdit({ kind: 'resize-map', rows: message.rows, cols: message.cols });
        return;
      case 'name-edit':
        await this.applyEdit({ kind: 'name-edit', op: message.op, what: message.what, name: message.name, ...(message.to !== undefined ? { to: message.to } : {}) });
        return;
      case 'page': {
        try {
          const page = await this.client.page(message.version, message.dataset, message.start, message.count);
          this.post({ type: 'page', version: message.version, page });
        } catch {
          // A page of a superseded version: the webview asks again for the new one.
        }
        return;
      }
      case 'panel': {
        const result = await openPanel((id, ...args) => vscode.commands.executeCommand(id, ...args), this.document.uri, message, this.model);
        if (!result.ok) this.warn(result.message);
        return;
      }
      case 'generate-dataset':
        await this.generateDataset();
        return;
      case 'import-dataset':
        await this.importDataset();
        return;
      case 'export-dataset':
        await this.exportDataset(message.dataset, message.format);
        return;
    }
  }

  private async generateDataset(): Promise<void> {
    const model = this.model;
    if (!model) return this.warn('the file has errors; fix them before generating a dataset');
    if (model.experts.length === 0) return this.warn('add an expert under experts: first; a dataset is generated from one');
    const expert = model.experts.length === 1 ? model.experts[0].name : await vscode.window.showQuickPick(model.experts.map((e) => e.name), { title: 'Generate dataset (1/3): expert', placeHolder: 'the expert whose trajectories are sampled', ignoreFocusOut: true });
    if (!expert) return;
    const nText = await vscode.window.showInputBox({
      title: 'Generate dataset (2/3): number of trajectories N',
      // A multi-step question must not vanish when the webview behind it takes focus.
      ignoreFocusOut: true,
      value: '100',
      validateInput: (v) => (/^[1-9]\d*$/.test(v.trim()) && Number(v) <= MAX_GENERATED_TRAJECTORIES ? undefined : `a whole number from 1 to ${MAX_GENERATED_TRAJECTORIES}`),
    });
    if (!nText) return;
    const seedText = await vscode.window.showInputBox({ title: 'Generate dataset (3/3): seed', value: '1', ignoreFocusOut: true, prompt: 'the same seed gives the same trajectories', validateInput: (v) => (v.trim() === '' ? 'a number or a word' : undefined) });
    if (seedText === undefined) return;
    const N = Number(nText.trim());
    const seed = /^-?\d+$/.test(seedText.trim()) ? Number(seedText.trim()) : seedText.trim();
    const name = uniqueName(`${expert}-n${N}`, model.datasets.map((d) => d.name));
    if (!(await this.applyEdit({ kind: 'add-entry', section: 'datasets', name, fields: { from: expert, trajectories: N, seed } }))) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Sampling ${N} trajectories for ${name}`, cancellable: true }, async (_progress, token) => {
      const stop = token.onCancellationRequested(() => this.client.cancel());
      try {
        await this.refresh();
      } finally {
        stop.dispose();
      }
    });
  }

  private async importDataset(): Promise<void> {
    const folder = vscode.Uri.joinPath(this.document.uri, '..');
    const picked = await vscode.window.showOpenDialog({ defaultUri: folder, canSelectMany: false, filters: { 'Datasets (CSV, JSON Lines)': ['csv', 'jsonl'] }, openLabel: 'Import dataset' });
    const file = picked?.[0];
    if (!file) return;
    if (file.scheme !== this.document.uri.scheme || file.authority !== this.document.uri.authority) return this.warn('pick a file on the same file system as this .ilmdp file');
    const relative = posix.relative(posix.dirname(this.document.uri.path), file.path);
    const base = posix.basename(file.path).replace(/\.(csv|jsonl)$/i, '').replace(/[^\w-]+/g, '-') || 'imported';
    const name = uniqueName(base, this.model?.datasets.map((d) => d.name) ?? []);
    await this.applyEdit({ kind: 'add-entry', section: 'datasets', name, fields: { file: relative } });
  }

  private async exportDataset(dataset: string, format: 'csv' | 'jsonl'): Promise<void> {
    const analysed = await this.refresh();
    const version = this.analysis?.version;
    if (!analysed || version === undefined || !analysed.datasets.some((d) => d.name === dataset && d.stats)) return this.warn(`dataset ${dataset} has no trajectories to export (see its problems)`);
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(this.document.uri, '..', `${dataset}.${format}`), filters: format === 'csv' ? { CSV: ['csv'] } : { 'JSON Lines': ['jsonl'] }, saveLabel: 'Export dataset' });
    if (!target) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Exporting ${dataset}`, cancellable: true }, async (_progress, token) => {
      const stop = token.onCancellationRequested(() => {
        this.client.cancel();
        // The worker held the trajectories; analyse again so the table keeps its pages.
        this.analysis = undefined;
        void this.refresh();
      });
      try {
        const { bytes, rows } = await this.client.export(version, dataset, format);
        await vscode.workspace.fs.writeFile(target, bytes);
        void vscode.window.showInformationMessage(`IL Notebooks: wrote ${rows} rows of ${dataset} to ${posix.basename(target.path)}`);
      } catch (error) {
        if (!(error instanceof CancelledError)) this.warn(`export of ${dataset} failed: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        stop.dispose();
      }
    });
  }
}
