/**
 * The visual editor over an .ilmdp text (a CustomTextEditorProvider): the text stays the source of
 * truth. The webview shows a view model built from the text and sends edit requests; each becomes a
 * minimal WorkspaceEdit, so undo/redo, dirty state, save, revert and hot exit are the text editor's own.
 */
import * as vscode from 'vscode';
import { applyEdit as applyTextEdit, setScalar } from '../ilmdp/edits';
import { parseIlmdp } from '../ilmdp/parse';
import { isEditorToHostMessage, type HostToEditorMessage } from '../shared/mdpEditorProtocol';
import { buildMdpEditorViewModel } from './mdpViewModel';
import { webviewHtml } from './webviewHtml';

const REFRESH_MS = 120;

export class MdpEditorProvider implements vscode.CustomTextEditorProvider {
  static readonly viewType = 'ilNotebooks.mdpEditor';

  constructor(private readonly extensionUri: vscode.Uri) {}

  static register(extensionUri: vscode.Uri): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(MdpEditorProvider.viewType, new MdpEditorProvider(extensionUri), {
      supportsMultipleEditorsPerDocument: true,
    });
  }

  resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')],
    };
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'mdpEditor', 'IL MDP Editor');

    let timer: ReturnType<typeof setTimeout> | undefined;
    let generation = 0;
    const post = async () => {
      const mine = ++generation;
      const text = document.getText();
      const files = await readDatasetFiles(document.uri, text);
      // A newer edit arrived while the files were read: its own post will follow.
      if (mine !== generation) return;
      const { model, diagnostics, draft } = buildMdpEditorViewModel(text, files);
      const message: HostToEditorMessage = { type: 'model', model, diagnostics, ...(draft ? { draft } : {}) };
      void panel.webview.postMessage(message);
    };
    const subscription = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document.uri.toString() !== document.uri.toString()) return;
      clearTimeout(timer);
      timer = setTimeout(() => void post(), REFRESH_MS);
    });
    panel.onDidDispose(() => {
      clearTimeout(timer);
      subscription.dispose();
    });

    panel.webview.onDidReceiveMessage(async (message: unknown) => {
      if (!isEditorToHostMessage(message)) return;
      switch (message.type) {
        case 'ready':
          await post();
          return;
        case 'open-notebook':
          await vscode.commands.executeCommand('ilNotebooks.openInNotebook', document.uri);
          return;
        case 'open-text':
          await vscode.commands.executeCommand('vscode.openWith', document.uri, 'default', vscode.ViewColumn.Beside);
          return;
        case 'set-scalar': {
          const text = document.getText();
          const result = setScalar(text, message.path, message.value);
          if (!result.ok) {
            void vscode.window.showWarningMessage(`IL Notebooks: ${result.message}`);
            await post();
            return;
          }
          const { offset, length, newText } = result.edit;
          if (applyTextEdit(text, result.edit) === text) return;
          const edit = new vscode.WorkspaceEdit();
          edit.replace(document.uri, new vscode.Range(document.positionAt(offset), document.positionAt(offset + length)), newText);
          await vscode.workspace.applyEdit(edit);
          return;
        }
      }
    });
  }
}

/** The text of every dataset file the .ilmdp references, by the path written in it (unreadable files are left out). */
async function readDatasetFiles(documentUri: vscode.Uri, text: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const { model } = parseIlmdp(text);
  if (!model) return files;
  for (const source of model.datasets.values()) {
    if (source.kind !== 'file' || files.has(source.path)) continue;
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(documentUri, '..', source.path));
      files.set(source.path, new TextDecoder().decode(bytes));
    } catch {
      // Reported by the diagnostics provider; the editor lists the dataset without statistics.
    }
  }
  return files;
}
