/**
 * VS Code's side of the .ilnb format: converts between NotebookData and the vscode-free format module.
 * Whether outputs are saved is the `ilNotebooks.notebook.saveOutputs` setting.
 */
import * as vscode from 'vscode';
import { parseNotebook, serializeNotebook, type NotebookCell } from './notebookFormat';

export const NOTEBOOK_TYPE = 'il-notebook';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export class IlnbSerializer implements vscode.NotebookSerializer {
  static register(): vscode.Disposable {
    return vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new IlnbSerializer(), { transientOutputs: false, transientCellMetadata: { executionOrder: true } });
  }

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    // A file that cannot be read throws: VS Code shows the message and leaves the file untouched.
    const notebook = parseNotebook(decoder.decode(content));
    const cells = notebook.cells.map((cell) => {
      const data = new vscode.NotebookCellData(cell.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code, cell.source, cell.language);
      data.outputs = cell.outputs.map((o) => new vscode.NotebookCellOutput(o.items.map((i) => new vscode.NotebookCellOutputItem(encoder.encode(i.data), i.mime))));
      return data;
    });
    const data = new vscode.NotebookData(cells);
    data.metadata = { ...notebook.metadata };
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const outputs = vscode.workspace.getConfiguration('ilNotebooks.notebook').get<boolean>('saveOutputs', true);
    const cells: NotebookCell[] = data.cells.map((cell) => ({
      kind: cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
      language: cell.languageId,
      source: cell.value,
      outputs: (cell.outputs ?? []).map((o) => ({ items: o.items.map((i) => ({ mime: i.mime, data: decoder.decode(i.data) })) })),
    }));
    return encoder.encode(serializeNotebook({ cells, metadata: data.metadata ?? {} }, { outputs }));
  }
}
