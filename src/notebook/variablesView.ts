/**
 * The Variables view (Explorer, shown while an IL notebook is open): the names each running kernel
 * holds, refreshed after every cell and emptied when a kernel restarts, dies or its notebook closes.
 * A stable-API tree view (the proposed notebookVariableProvider cannot be published). Each name can
 * be displayed in its notebook, and one with a view (an MDP, an environment, a sweep, a dataset, a
 * policy) opened in a panel through the same path as an output's "Open in panel".
 *
 * "Display in Notebook" appends a `display(name)` cell at the end of the notebook and runs it, rather
 * than adding an output to some existing cell: an output then always belongs to the code that made it,
 * so it is saved, re-made by Run All, and removed with undo, like any cell the user wrote.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { View } from '../shared/viewModels';
import type { IlNotebookController } from './controller';
import { NOTEBOOK_TYPE } from './ilnbSerializer';
import { displaySource, variablesTree, type NotebookVariables, type VariableNode, type VariablesTreeNode } from './variablesModel';

export const VARIABLES_VIEW_ID = 'ilNotebooks.variables';
/** Context key for the view's `when`: an IL notebook is open. */
const NOTEBOOK_OPEN_CONTEXT = 'ilNotebooks.ilNotebookOpen';

function isVariableNode(x: unknown): x is VariableNode {
  return typeof x === 'object' && x !== null && (x as { type?: unknown }).type === 'variable';
}

class VariablesProvider implements vscode.TreeDataProvider<VariablesTreeNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly controller: IlNotebookController) {}

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  getTreeItem(node: VariablesTreeNode): vscode.TreeItem {
    switch (node.type) {
      case 'notebook': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = node.key;
        item.description = node.description;
        item.tooltip = `${vscode.Uri.parse(node.key).fsPath}: the names its kernel holds`;
        item.iconPath = new vscode.ThemeIcon('notebook');
        item.contextValue = 'ilNotebook';
        return item;
      }
      case 'variable': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.notebookKey}#${node.name}`;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.contextValue = node.contextValue;
        item.accessibilityInformation = { label: node.ariaLabel };
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  async getChildren(node?: VariablesTreeNode): Promise<VariablesTreeNode[]> {
    if (node) return node.type === 'notebook' ? [...node.children] : [];
    const listed = await Promise.all(
      this.controller.notebooksWithKernel().map(async (notebook): Promise<NotebookVariables | undefined> => {
        const result = await this.controller.variables(notebook);
        return result && { key: notebook.uri.toString(), label: basename(notebook.uri.path), result };
      }),
    );
    // No kernel runs: an empty tree, so the view shows its welcome text.
    return variablesTree(listed.filter((x): x is NotebookVariables => x !== undefined));
  }
}

export class VariablesView implements vscode.Disposable {
  private readonly provider: VariablesProvider;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly controller: IlNotebookController,
    private readonly openInPanel: (view: View) => void,
  ) {
    this.provider = new VariablesProvider(controller);
    const tree = vscode.window.createTreeView(VARIABLES_VIEW_ID, { treeDataProvider: this.provider });
    const updateContext = () =>
      void vscode.commands.executeCommand('setContext', NOTEBOOK_OPEN_CONTEXT, vscode.workspace.notebookDocuments.some((nb) => nb.notebookType === NOTEBOOK_TYPE));
    updateContext();
    this.disposables.push(
      tree,
      this.provider,
      controller.onDidChangeVariables(() => this.provider.refresh()),
      vscode.workspace.onDidOpenNotebookDocument(updateContext),
      vscode.workspace.onDidCloseNotebookDocument(updateContext),
      vscode.commands.registerCommand('ilNotebooks.variables.refresh', () => this.provider.refresh()),
      vscode.commands.registerCommand('ilNotebooks.variables.display', (node: unknown) => this.display(node)),
      vscode.commands.registerCommand('ilNotebooks.variables.openInPanel', (node: unknown) => this.open(node)),
    );
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private notebookOf(node: VariableNode): vscode.NotebookDocument | undefined {
    const notebook = vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === node.notebookKey);
    if (!notebook) void vscode.window.showWarningMessage(`IL Notebooks: the notebook of "${node.name}" is closed.`);
    return notebook;
  }

  private async display(node: unknown): Promise<void> {
    if (!isVariableNode(node)) return;
    const notebook = this.notebookOf(node);
    if (!notebook) return;
    const editor = await vscode.window.showNotebookDocument(notebook);
    const index = notebook.cellCount;
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [vscode.NotebookEdit.insertCells(index, [new vscode.NotebookCellData(vscode.NotebookCellKind.Code, displaySource(node.name), 'javascript')])]);
    if (!(await vscode.workspace.applyEdit(edit))) return;
    const range = new vscode.NotebookRange(index, index + 1);
    editor.selection = range;
    editor.revealRange(range, vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    await this.controller.runCells(notebook, [notebook.cellAt(index)]);
  }

  private async open(node: unknown): Promise<void> {
    if (!isVariableNode(node)) return;
    const notebook = this.notebookOf(node);
    if (!notebook) return;
    try {
      const view = await this.controller.variableView(notebook, node.name);
      if (view) this.openInPanel(view);
      else void vscode.window.showInformationMessage(`IL Notebooks: "${node.name}" has no view to open (any more): re-run the cell that defines it.`);
    } catch (error) {
      void vscode.window.showErrorMessage(`IL Notebooks: could not build the view of "${node.name}": ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
