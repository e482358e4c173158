/**
 * The notebook controller: runs `il-notebook` cells in a kernel per notebook (a Node process, see
 * kernelClient.ts), one cell after another, with an execution-order counter, streamed output,
 * cancellation through the cell's token, and Workspace Trust respected. Output is capped as it arrives
 * (`ilNotebooks.notebook.maxOutputBytesPerCell` / `…PerNotebook`) and a cell is stopped past
 * `ilNotebooks.kernel.cellTimeoutSeconds`, both read as each cell starts; a Run All stops at the first
 * failing cell and leaves the outputs of the cells after it as they were. It remembers which cells'
 * outputs may not match their source (edited since, not reached), for the exports.
 */
import { homedir } from 'node:os';
import { dirname, posix } from 'node:path';
import * as vscode from 'vscode';
import type { DatasetFileAccess } from '../ilmdp/datasetAccess';
import type { LateOutput, OutputItemData, VariablesResult } from '../shared/kernelProtocol';
import { KERNEL_START_KEYS, NUMBER_SETTINGS, readSettings, type Settings } from '../shared/settings';
import type { View } from '../shared/viewModels';
import { NOTEBOOK_TYPE } from './ilnbSerializer';
import { KernelClient, lateOutputLines, type CellOutcome, type KernelOptions } from './kernelClient';
import { platform } from '../workers/platform';
import type { WorkerFactory } from '../workers/port';
import type { CellCachePlan } from './cellKeys';
import type { EditorResultsCache } from './editorCache';
import { cellCap, type OutputCap } from './outputLimits';
import type { CacheEntry } from './resultsCache';
import type { EditorCellState } from './report/jsonResults';
import { cellTimeout, KERNEL_LANGUAGES, skippedLanguage, staleAfterFailure, timeoutError } from './runNotebook';

const STREAM_FLUSH_MS = 50;
const LIMIT_HINTS = { cell: NUMBER_SETTINGS.maxOutputBytesPerCell.key, notebook: NUMBER_SETTINGS.maxOutputBytesPerNotebook.key };
const TIMEOUT_HINT = `setting ${NUMBER_SETTINGS.cellTimeoutSeconds.key}`;
/** Set once a cell has run in this window: the walkthrough's "run a notebook" step completes on it. */
export const CELL_RAN_CONTEXT = 'ilNotebooks.cellRan';

/** The settings as they are now: read where they apply, so a change needs no reload. */
export function currentSettings(): Settings {
  return readSettings((key) => vscode.workspace.getConfiguration().get(key), platform().hardwareConcurrency);
}

/**
 * Starts a notebook's kernel: a process on Node (kernelProcess.ts), a Web Worker on the web; the entry
 * point chooses (src/extension).
 */
export type KernelStarter = (options: Pick<KernelOptions, 'cwd' | 'memoryLimitMb' | 'sweepWorkers' | 'datasetFiles' | 'onLateOutput'>, notebook: vscode.Uri) => WorkerFactory;

/** Why a cell's outputs may not come from running its current source; its note is worded at export time. */
type NotRun = { readonly why: 'edited' } | { readonly why: 'after-failure'; readonly failed: vscode.NotebookCell } | { readonly why: 'cancelled' };

function outputItem(item: OutputItemData): vscode.NotebookCellOutputItem {
  return new vscode.NotebookCellOutputItem(new TextEncoder().encode(item.data), item.mime);
}

/** Appends streamed text in batches, to the last output while it is the same stream. */
class StreamWriter {
  private pending: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private last: { stream: 'stdout' | 'stderr'; output: vscode.NotebookCellOutput } | undefined;

  constructor(
    private readonly execution: vscode.NotebookCellExecution,
    private readonly cap: OutputCap,
  ) {}

  write(stream: 'stdout' | 'stderr', input: string): void {
    // Past the cap nothing is kept (the kernel keeps running; the marker at the end counts what was dropped).
    const text = this.cap.text(input);
    if (text === '') return;
    const tail = this.pending[this.pending.length - 1];
    if (tail?.stream === stream) tail.text += text;
    else this.pending.push({ stream, text });
    this.timer ??= setTimeout(() => void this.flush(), STREAM_FLUSH_MS);
  }

  /** Outputs other than streams break the run of appends. */
  breakRun(): void {
    this.last = undefined;
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    for (const { stream, text } of batch) {
      const item = stream === 'stdout' ? vscode.NotebookCellOutputItem.stdout(text) : vscode.NotebookCellOutputItem.stderr(text);
      if (this.last?.stream === stream) {
        await this.execution.appendOutputItems(item, this.last.output);
      } else {
        const output = new vscode.NotebookCellOutput([item]);
        await this.execution.appendOutput(output);
        this.last = { stream, output };
      }
    }
  }
}

export class IlNotebookController implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private readonly kernels = new Map<string, KernelClient>();
  private readonly executionOrder = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly notRun = new WeakMap<vscode.NotebookCell, NotRun>();
  private readonly variablesChanged = new vscode.EventEmitter<vscode.Uri>();
  /** A notebook's kernel may hold other names: a cell ended, or the kernel restarted, died or was closed. */
  readonly onDidChangeVariables = this.variablesChanged.event;

  /**
   * `datasetAccess`: where an .ilmdp's dataset files may come from for a document, the editor's own
   * policy (editor/mdpEditorProvider.ts's datasetAccessFor, which this folder may not import), so that
   * `load()` in a cell reads no file the IL MDP editor would refuse. `startKernel`: how a kernel starts.
   */
  constructor(
    private readonly datasetAccess: (document: vscode.Uri) => DatasetFileAccess,
    /** A line for the "IL Notebooks" output channel: where a kernel's late output (lateOutputLines) goes. */
    private readonly log: (line: string) => void,
    private readonly startKernel: KernelStarter,
    /** The results cache (editorCache.ts): unchanged cells are restored from it; absent, every cell runs. */
    private readonly cache?: EditorResultsCache,
  ) {
    this.controller = vscode.notebooks.createNotebookController('il-notebooks.kernel', NOTEBOOK_TYPE, 'IL Kernel');
    this.controller.supportedLanguages = ['javascript', 'typescript'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'Runs cells against the embedded imitation-learning core';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    // The only kernel for IL notebooks: preferred, so Run All never stops to ask which kernel to use.
    const prefer = (notebook: vscode.NotebookDocument) => {
      if (notebook.notebookType === NOTEBOOK_TYPE) this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    };
    vscode.workspace.notebookDocuments.forEach(prefer);
    this.disposables.push(
      this.controller,
      this.variablesChanged,
      vscode.workspace.onDidOpenNotebookDocument(prefer),
      vscode.workspace.onDidCloseNotebookDocument((notebook) => this.dropKernel(notebook)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        // Only these wait for a kernel to start; the others reach the next cell or interrupt by themselves.
        if (this.kernels.size > 0 && (KERNEL_START_KEYS.some((key) => e.affectsConfiguration(key)) || e.affectsConfiguration('ilNotebooks.datasets.allowFilesOutsideFolder'))) {
          void vscode.window.showInformationMessage('IL Notebooks: the memory limit, sweep threads and dataset-file policy apply when a kernel starts: "Restart Kernel" for a running notebook.');
        }
      }),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        for (const change of e.cellChanges) {
          if (change.document && change.cell.outputs.length > 0 && change.cell.executionSummary?.success !== false) this.notRun.set(change.cell, { why: 'edited' });
        }
      }),
    );
  }

  /** What this window knows of a cell's last run, for "Export as HTML Report / JSON Results". */
  cellState(cell: vscode.NotebookCell): EditorCellState {
    const success = cell.executionSummary?.success;
    const verdict = success === undefined ? {} : { success };
    if (cell.kind !== vscode.NotebookCellKind.Code) return {};
    if (!KERNEL_LANGUAGES.includes(cell.document.languageId)) return { notRun: skippedLanguage(cell.index, cell.document.languageId) };
    const notRun = this.notRun.get(cell);
    if (!notRun) return verdict;
    const note =
      notRun.why === 'edited'
        ? `cell ${cell.index + 1} was edited after its outputs were made; they may be stale`
        : notRun.why === 'after-failure'
          ? staleAfterFailure(cell.index, notRun.failed.index)
          : `cell ${cell.index + 1} was not run because the run was interrupted; its outputs are from before and may be stale`;
    return { ...verdict, notRun: note };
  }

  dispose(): void {
    for (const k of this.kernels.values()) k.dispose();
    this.kernels.clear();
    this.disposables.forEach((d) => d.dispose());
  }

  /** The open IL notebooks whose kernel runs (and so holds names). */
  notebooksWithKernel(): vscode.NotebookDocument[] {
    return vscode.workspace.notebookDocuments.filter((nb) => nb.notebookType === NOTEBOOK_TYPE && this.kernels.get(nb.uri.toString())?.alive === true);
  }

  /** The names a notebook's cells defined; undefined when its kernel does not run (asking starts none). */
  variables(notebook: vscode.NotebookDocument): Promise<VariablesResult | undefined> {
    return this.kernels.get(notebook.uri.toString())?.variables() ?? Promise.resolve(undefined);
  }

  /** The view of a name in a notebook's kernel, as display() would draw it; null when it has none. */
  variableView(notebook: vscode.NotebookDocument, name: string): Promise<View | null> {
    return this.kernels.get(notebook.uri.toString())?.variableView(name) ?? Promise.resolve(null);
  }

  /** Runs cells as the notebook's Run button would (after whatever is already queued). */
  runCells(notebook: vscode.NotebookDocument, cells: vscode.NotebookCell[]): Promise<void> {
    return this.execute(cells, notebook);
  }

  async restartKernel(notebook: vscode.NotebookDocument | undefined): Promise<void> {
    if (!notebook) return;
    const kernel = this.kernels.get(notebook.uri.toString());
    this.executionOrder.delete(notebook.uri.toString());
    this.kernels.delete(notebook.uri.toString());
    if (kernel) {
      await kernel.restart();
      kernel.dispose();
    }
    this.variablesChanged.fire(notebook.uri);
    void vscode.window.showInformationMessage('IL Notebooks: kernel restarted; every variable is cleared.');
  }

  private dropKernel(notebook: vscode.NotebookDocument): void {
    const key = notebook.uri.toString();
    this.kernels.get(key)?.dispose();
    this.kernels.delete(key);
    this.executionOrder.delete(key);
    this.variablesChanged.fire(notebook.uri);
  }

  private kernelFor(notebook: vscode.NotebookDocument): KernelClient {
    const key = notebook.uri.toString();
    let kernel = this.kernels.get(key);
    if (!kernel) {
      const settings = currentSettings();
      const cwd =
        notebook.uri.scheme === 'file'
          ? dirname(notebook.uri.fsPath)
          : // The web kernel resolves load() against the notebook's own folder, which the host reads through vscode.workspace.fs.
            platform().name === 'web'
            ? posix.dirname(notebook.uri.path)
            : (vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? homedir());
      const files = this.datasetAccess(notebook.uri);
      const name = posix.basename(notebook.uri.path);
      // The memory limit, the sweep threads and the dataset-file policy are the process's own: they change with the next kernel.
      const options = {
        cwd,
        memoryLimitMb: settings.memoryLimitMb,
        sweepWorkers: settings.sweepWorkers,
        datasetFiles: { roots: files.roots, allowOutside: files.allowOutside === true, rootsLabel: files.rootsLabel, howToAllow: files.howToAllow },
        // Not into a cell's output: what a timer prints after its cell ended would make the saved outputs depend on timing.
        onLateOutput: (late: LateOutput) => lateOutputLines(name, late).forEach((line) => this.log(line)),
      };
      kernel = new KernelClient(this.startKernel(options, notebook.uri), options);
      // A kernel that ends between cells (a stray timer's process.exit) takes its names with it.
      kernel.onExit(() => this.variablesChanged.fire(notebook.uri));
      this.kernels.set(key, kernel);
    }
    return kernel;
  }

  private readonly chains = new Map<string, Promise<void>>();
  /** Cells asked to run that have not started yet (so "re-run dependents" does not queue them twice). */
  private readonly queued = new Set<vscode.NotebookCell>();

  isQueued(cell: vscode.NotebookCell): boolean {
    return this.queued.has(cell);
  }

  /** Where the workspace's results cache keeps its entries (for Clear Cache). */
  get resultsCache(): EditorResultsCache | undefined {
    return this.cache;
  }

  private execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    // Cells run strictly in the order they were asked for, across calls (Run All, then another cell).
    const key = notebook.uri.toString();
    let chain = this.chains.get(key) ?? Promise.resolve();
    // Like Jupyter and `il-notebooks run`: after a failing cell the rest of this request does not run, and
    // keeps its outputs (they are from an earlier run, but they are the user's until a cell replaces them).
    let failed: vscode.NotebookCell | undefined;
    for (const cell of cells) {
      const execution = this.controller.createNotebookCellExecution(cell);
      this.queued.add(cell);
      chain = chain
        .then(async () => {
          this.queued.delete(cell);
          if (failed) {
            if (cell.outputs.length > 0) this.notRun.set(cell, { why: 'after-failure', failed });
            execution.end(undefined);
            return;
          }
          if ((await this.runCell(cell, execution, notebook)) === false) failed = cell;
        })
        .catch((error: unknown) => {
          failed = cell;
          void vscode.window.showErrorMessage(`IL Notebooks: ${error instanceof Error ? error.message : String(error)}`);
        });
    }
    this.chains.set(key, chain);
    return chain;
  }

  /** true: the cell succeeded; false: it failed; undefined: it did not run (its outputs are untouched). */
  private async runCell(cell: vscode.NotebookCell, execution: vscode.NotebookCellExecution, notebook: vscode.NotebookDocument): Promise<boolean | undefined> {
    if (execution.token.isCancellationRequested) {
      // Interrupting a run cancels the cells queued behind it; they never start.
      if (cell.outputs.length > 0) this.notRun.set(cell, { why: 'cancelled' });
      execution.end(undefined);
      return undefined;
    }
    if (!KERNEL_LANGUAGES.includes(cell.document.languageId)) {
      // supportedLanguages keeps VS Code from sending these; should one come anyway, it is not run as
      // JavaScript, and its outputs stay.
      execution.end(undefined);
      void vscode.window.showWarningMessage(`IL Notebooks: cell ${cell.index + 1} is ${cell.document.languageId}; the IL kernel runs JavaScript and TypeScript — skipped.`);
      return undefined;
    }
    const key = notebook.uri.toString();
    this.notRun.delete(cell);
    execution.start(Date.now());
    await execution.clearOutput();
    if (!vscode.workspace.isTrusted) {
      await execution.replaceOutput(
        new vscode.NotebookCellOutput([
          vscode.NotebookCellOutputItem.text('Cells do not run in an untrusted workspace: they execute code. Trust this folder (Manage Workspace Trust) to run them.', 'text/markdown'),
        ]),
      );
      execution.end(false, Date.now());
      return false;
    }
    const kernel = this.kernelFor(notebook);
    const order = (this.executionOrder.get(key) ?? 0) + 1;
    this.executionOrder.set(key, order);
    execution.executionOrder = order;
    const settings = currentSettings();
    const others = notebook
      .getCells()
      .filter((c) => c.index !== cell.index)
      .reduce((sum, c) => sum + c.outputs.reduce((s, o) => s + o.items.reduce((t, i) => t + i.data.byteLength, 0), 0), 0);
    const cap = cellCap(settings.maxOutputBytesPerCell, settings.maxOutputBytesPerNotebook, others, LIMIT_HINTS);
    const streams = new StreamWriter(execution, cap);
    let displays = Promise.resolve();
    // The grace is read at the interrupt itself: a change of the setting reaches a cell already running.
    const interrupt = () => kernel.interrupt(currentSettings().interruptGraceMs);
    const cached = await this.cache?.lookup(notebook, cell, kernel).catch(() => undefined);
    if (cached?.entry && cached.plan && (await this.restoreFromCache(cell, execution, kernel, cached.plan, cached.entry))) {
      this.variablesChanged.fire(notebook.uri);
      return true;
    }
    const cancel = execution.token.onCancellationRequested(interrupt);
    const timeoutMs = settings.cellTimeoutSeconds * 1000;
    const timeout = cellTimeout(timeoutMs, interrupt);
    let outcome: CellOutcome;
    try {
      outcome = await kernel.run(cell.document.getText(), cell.document.languageId === 'typescript' ? 'typescript' : 'javascript', `cell ${cell.index + 1}`, {
        onStream: (stream, text) => streams.write(stream, text),
        onDisplay: (items) => {
          if (!cap.items(items)) return;
          displays = displays.then(async () => {
            await streams.flush();
            streams.breakRun();
            await execution.appendOutput(new vscode.NotebookCellOutput(items.map(outputItem)));
          });
        },
      });
    } finally {
      cancel.dispose();
      timeout.clear();
    }
    await displays;
    await streams.flush();
    streams.breakRun();
    const keepResult = outcome.status === 'ok' && outcome.result.length > 0 && cap.items(outcome.result);
    // A cell can throw an Error of any size: capped like its streams, before the marker counts what was cut.
    if (outcome.status === 'error') outcome = { ...outcome, error: cap.error(outcome.error) };
    const marker = cap.marker();
    if (marker) await execution.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stderr(marker)]));
    const ok =
      timeout.fired && outcome.status === 'interrupted' ? await this.reportTimeout(execution, cell.index, timeoutMs, outcome.stateLost) : await this.report(execution, outcome, keepResult);
    // Before the next cell runs: the values it keeps are this cell's, not what a later cell makes of them.
    await this.cache?.ran(cell, kernel, cached?.plan, ok && !(timeout.fired && outcome.status === 'interrupted'), marker !== undefined).catch(() => undefined);
    execution.end(ok, Date.now());
    void vscode.commands.executeCommand('setContext', CELL_RAN_CONTEXT, true);
    // Even a failing cell may have defined names before it failed.
    this.variablesChanged.fire(notebook.uri);
    return ok;
  }

  /** Gives the kernel a cached cell's values and shows its outputs; false when the values did not restore (the cell then runs). */
  private async restoreFromCache(cell: vscode.NotebookCell, execution: vscode.NotebookCellExecution, kernel: KernelClient, plan: CellCachePlan, entry: CacheEntry): Promise<boolean> {
    const restored = await kernel.restore(entry.values);
    if (!restored.ok) return false;
    await execution.replaceOutput(entry.outputs.map((o) => new vscode.NotebookCellOutput(o.items.map(outputItem))));
    this.cache!.restored(cell, kernel, plan);
    execution.end(true, Date.now());
    void vscode.commands.executeCommand('setContext', CELL_RAN_CONTEXT, true);
    return true;
  }

  /** A cell stopped by its time limit: the runner's Timeout error, naming the setting, and whether the state survived. */
  private async reportTimeout(execution: vscode.NotebookCellExecution, index: number, ms: number, stateLost: boolean): Promise<false> {
    const error = timeoutError(index, ms, TIMEOUT_HINT);
    const state = stateLost ? ' It did not yield, so the kernel was restarted to stop it: every variable is lost.' : ' The kernel kept its state.';
    await execution.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: error.name, message: `${error.message}.${state}` })]));
    return false;
  }

  private async report(execution: vscode.NotebookCellExecution, outcome: CellOutcome, keepResult: boolean): Promise<boolean> {
    switch (outcome.status) {
      case 'ok':
        if (keepResult) await execution.appendOutput(new vscode.NotebookCellOutput(outcome.result.map(outputItem)));
        return true;
      case 'error':
        await execution.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(outcome.error)]));
        return false;
      case 'interrupted': {
        const message = outcome.stateLost
          ? 'Interrupted. The cell did not yield, so the kernel was restarted to stop it: every variable is lost; re-run the cells above.'
          : 'Interrupted. The kernel kept its state.';
        await execution.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.stderr(`${message}\n`)]));
        if (outcome.stateLost) void vscode.window.showWarningMessage(`IL Notebooks: ${message}`);
        return false;
      }
      case 'kernel-died':
        await execution.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error({ name: 'KernelDied', message: outcome.reason })]));
        void vscode.window.showErrorMessage(`IL Notebooks: ${outcome.reason}`);
        return false;
    }
  }
}
