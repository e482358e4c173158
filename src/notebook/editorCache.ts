/**
 * The results cache in the editor (docs/notebooks.md, "Dependencies, stale cells and the results cache"): the controller asks it,
 * before a cell runs, for an entry to restore instead, and gives it what a cell that ran well left.
 * Entries live in the workspace's storage (context.storageUri; the global storage for a window with no
 * folder), never beside the notebook: they are the editor's, not the project's.
 *
 * Cells here run in any order, so a reader's key is made from the keys its dependencies had when they
 * last ran (or were restored) in this kernel (cellKeys.ts's keyInKernel): a cell above that was edited
 * but not run again still holds its old values, and the reader's key says so. After a restart nothing has
 * run in the kernel, so a cell whose dependencies have not run has no key, and Run All rebuilds the state
 * cell by cell from the top.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { kernelBuildVersion, keepInCache, planCells, type CellCachePlan } from './cellKeys';
import type { KernelClient } from './kernelClient';
import type { NotebookOutput } from './notebookFormat';
import { ResultsCache, type CacheEntry } from './resultsCache';

/** Where a cell's shown outputs came from, and why a cell that ran was not kept (the cell's status bar). */
export type CellCacheState = { readonly source: 'cache' } | { readonly source: 'ran'; readonly notCached?: string };

export class EditorResultsCache implements vscode.Disposable {
  private readonly store: ResultsCache;
  private build: Promise<string> | undefined;
  /** Per kernel: the generation it was at and the key of each cell's values in it. */
  private readonly inKernel = new WeakMap<KernelClient, { generation: number; keys: WeakMap<vscode.NotebookCell, string> }>();
  private readonly states = new WeakMap<vscode.NotebookCell, CellCacheState>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** A cell's CellCacheState changed, or the cache was cleared. */
  readonly onDidChange = this.changed.event;

  constructor(
    folder: string,
    private readonly workerScript: string,
  ) {
    this.store = new ResultsCache(folder);
  }

  get folder(): string {
    return this.store.dir;
  }

  dispose(): void {
    this.changed.dispose();
  }

  state(cell: vscode.NotebookCell): CellCacheState | undefined {
    return this.states.get(cell);
  }

  /** Forgets a cell's state (its source was edited: neither "from cache" nor "not cached" says anything of it now). */
  forget(cell: vscode.NotebookCell): void {
    if (this.states.delete(cell)) this.changed.fire();
  }

  private keysOf(kernel: KernelClient): WeakMap<vscode.NotebookCell, string> {
    let entry = this.inKernel.get(kernel);
    // A kernel that ended, or was restarted, holds none of the values it had.
    if (!entry || entry.generation !== kernel.generation || !kernel.alive) {
      entry = { generation: kernel.generation, keys: new WeakMap() };
      this.inKernel.set(kernel, entry);
    }
    return entry.keys;
  }

  /** The cell's plan, and its entry when the cache has one to restore. */
  async lookup(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, kernel: KernelClient): Promise<{ plan?: CellCachePlan; entry?: CacheEntry }> {
    if (notebook.uri.scheme !== 'file') return {};
    this.build ??= kernelBuildVersion(this.workerScript);
    const cells = notebook.getCells();
    const keys = this.keysOf(kernel);
    const plans = await planCells(
      cells.map((c) => ({ kind: c.kind === vscode.NotebookCellKind.Code ? 'code' : 'markdown', language: c.document.languageId, source: c.document.getText() })),
      { folder: dirname(notebook.uri.fsPath), build: await this.build, keyInKernel: (index) => keys.get(cells[index]) },
    );
    const plan = plans[cell.index];
    if (!plan?.key || plan.notRestorable) return plan ? { plan } : {};
    const entry = await this.store.get(plan.key);
    return entry ? { plan, entry } : { plan };
  }

  /** The cell was restored from `plan`'s entry into the kernel. */
  restored(cell: vscode.NotebookCell, kernel: KernelClient, plan: CellCachePlan): void {
    if (plan.key) this.keysOf(kernel).set(cell, plan.key);
    this.states.set(cell, { source: 'cache' });
    this.changed.fire();
  }

  /** The cell ran (well, or not): keeps it when it can, and remembers its key in the kernel either way. */
  async ran(cell: vscode.NotebookCell, kernel: KernelClient, plan: CellCachePlan | undefined, ok: boolean, truncated: boolean): Promise<void> {
    const keys = this.keysOf(kernel);
    if (!ok || !plan) {
      keys.delete(cell);
      this.states.set(cell, { source: 'ran' });
      this.changed.fire();
      return;
    }
    if (plan.key) keys.set(cell, plan.key);
    else keys.delete(cell);
    const outputs: NotebookOutput[] = cell.outputs.map((o) => ({ items: o.items.map((i) => ({ mime: i.mime, data: new TextDecoder().decode(i.data) })) }));
    const notCached = await keepInCache(this.store, plan, outputs, truncated, (names, max) => kernel.snapshot(names, max));
    this.states.set(cell, notCached ? { source: 'ran', notCached } : { source: 'ran' });
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await this.store.clear();
    this.changed.fire();
  }

  stats(): Promise<{ entries: number; bytes: number }> {
    return this.store.stats();
  }
}
