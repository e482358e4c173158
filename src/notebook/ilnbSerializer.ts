/**
 * VS Code's side of the .ilnb format: converts between NotebookData and the vscode-free format module
 * (toNotebookData / fromNotebookData, which carry every key the format does not know in metadata).
 * Whether outputs are saved is the `ilNotebooks.notebook.saveOutputs` setting.
 */
import * as vscode from 'vscode';
import { SAVE_OUTPUTS_KEY } from '../shared/settings';
import { decodeNotebook, fromNotebookData, parseNotebook, serializeNotebook, toNotebookData } from './notebookFormat';

export const NOTEBOOK_TYPE = 'il-notebook';

// ignoreBOM: an output that starts with U+FEFF keeps it (the default decoder would drop it).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

export class IlnbSerializer implements vscode.NotebookSerializer {
  static register(): vscode.Disposable {
    // No transient cell metadata: a cell's metadata is the file's own keys, and every one of them is saved.
    return vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new IlnbSerializer(), { transientOutputs: false });
  }

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    // A file that cannot be read faithfully (not UTF-8, broken JSON, a key twice, a newer version) throws:
    // VS Code shows the message instead of an editor, so no save can overwrite the file.
    const notebook = toNotebookData(parseNotebook(decodeNotebook(content)));
    const cells = notebook.cells.map((cell) => {
      const data = new vscode.NotebookCellData(cell.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code, cell.source, cell.language);
      data.outputs = cell.outputs.map((o) => new vscode.NotebookCellOutput(o.items.map((i) => new vscode.NotebookCellOutputItem(encoder.encode(i.data), i.mime)), o.metadata && { ...o.metadata }));
      if (cell.metadata) data.metadata = { ...cell.metadata };
      return data;
    });
    const data = new vscode.NotebookData(cells);
    data.metadata = { ...notebook.metadata };
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    // Read at each save: a change applies to the next one.
    const outputs = vscode.workspace.getConfiguration().get<unknown>(SAVE_OUTPUTS_KEY) !== false;
    const content = fromNotebookData({
      metadata: data.metadata,
      cells: data.cells.map((cell) => ({
        kind: cell.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'code',
        language: cell.languageId,
        source: cell.value,
        outputs: (cell.outputs ?? []).map((o) => ({ items: o.items.map((i) => ({ mime: i.mime, data: decoder.decode(i.data) })), metadata: o.metadata })),
        metadata: cell.metadata,
      })),
    });
    return encoder.encode(serializeNotebook(content, { outputs }));
  }
}
