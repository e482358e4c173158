/**
 * Keeps the Problems panel and the squiggles of every open .ilmdp document in step with its text:
 * re-parses after the user stops typing (debounced), and checks the dataset files it references
 * (missing files and bad rows are reported on the .ilmdp entry and on the file's own rows).
 */
import * as vscode from 'vscode';
import type { Diagnostic } from '../ilmdp/diagnostics';
import { datasetFormatOf, parseDatasetFile } from '../ilmdp/datasetFile';
import { parseIlmdp } from '../ilmdp/parse';

const DEBOUNCE_MS = 250;

function toVscode(d: Diagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.start.line - 1, d.start.column - 1, d.end.line - 1, Math.max(d.end.column - 1, d.start.column));
  const out = new vscode.Diagnostic(range, d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  out.source = 'IL Notebooks';
  out.code = d.code;
  return out;
}

export class IlmdpDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('ilmdp');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (this.isIlmdp(doc)) this.collection.delete(doc.uri);
      }),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  private isIlmdp(doc: vscode.TextDocument): boolean {
    return doc.languageId === 'ilmdp' || doc.uri.path.endsWith('.ilmdp');
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!this.isIlmdp(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(doc);
      }, delay),
    );
  }

  async update(doc: vscode.TextDocument): Promise<void> {
    const { model, diagnostics } = parseIlmdp(doc.getText());
    const out = diagnostics.map(toVscode);
    if (model) {
      for (const [name, source] of model.datasets) {
        if (source.kind !== 'file') continue;
        const fileUri = vscode.Uri.joinPath(doc.uri, '..', source.path);
        const line = doc.getText().split('\n').findIndex((l) => l.includes(source.path));
        const where = new vscode.Range(Math.max(line, 0), 0, Math.max(line, 0), 1000);
        let bytes: Uint8Array;
        try {
          bytes = await vscode.workspace.fs.readFile(fileUri);
        } catch {
          out.push(new vscode.Diagnostic(where, `dataset ${name}: file ${source.path} not found beside this file`, vscode.DiagnosticSeverity.Error));
          continue;
        }
        const format = datasetFormatOf(source.path)!;
        const result = parseDatasetFile(new TextDecoder().decode(bytes), format, model.mdp, source.path);
        this.collection.set(fileUri, result.diagnostics.map(toVscode));
        if (result.diagnostics.length > 0) {
          out.push(new vscode.Diagnostic(where, `dataset ${name}: ${result.diagnostics.length} bad row(s) in ${source.path}`, vscode.DiagnosticSeverity.Warning));
        }
      }
    }
    this.collection.set(doc.uri, out);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
