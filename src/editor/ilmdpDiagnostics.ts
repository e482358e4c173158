/**
 * Keeps the Problems panel and the squiggles of every open .ilmdp document in step with its text:
 * re-parses after the user stops typing (debounced), and checks the dataset files it references
 * (missing files and bad rows are reported on the .ilmdp entry and on the file's own rows). Dataset
 * files are parsed in the editor worker, never on the host: a 50 MB file does not freeze typing.
 */
import * as vscode from 'vscode';
import type { Diagnostic } from '../ilmdp/diagnostics';
import { parseIlmdp } from '../ilmdp/parse';
import type { FileCheck } from './editorWorkerProtocol';
import { nodeWorker } from '../workers/nodeWorker';
import { EditorWorkerClient, type FileSource, type MissingFile } from './editorWorkerClient';
import { datasetFileValueRange } from '../ilmdp/datasetAccess';
import { openDatasetFile } from './mdpEditorProvider';

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
  /** Latest text version asked per document: an older check's answer is dropped. */
  private readonly asked = new Map<string, number>();
  private readonly files: EditorWorkerClient;

  constructor(extensionUri: vscode.Uri) {
    this.files = new EditorWorkerClient(nodeWorker(vscode.Uri.joinPath(extensionUri, 'dist', 'editorWorker.js').fsPath));
    this.disposables.push(
      this.collection,
      { dispose: () => this.files.dispose() },
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
    const key = doc.uri.toString();
    const version = doc.version;
    this.asked.set(key, version);
    const text = doc.getText();
    const { model, diagnostics } = parseIlmdp(text);
    const out = diagnostics.map(toVscode);
    // The .ilmdp's own problems show at once; the files' problems join them when the worker answers.
    this.collection.set(doc.uri, out);
    if (!model) return;
    const sources: { name: string; path: string; uri: vscode.Uri }[] = [];
    for (const [name, source] of model.datasets) {
      if (source.kind === 'file') sources.push({ name, path: source.path, uri: vscode.Uri.joinPath(doc.uri, '..', source.path) });
    }
    if (sources.length === 0) return;
    const entries: (FileSource | MissingFile)[] = [];
    for (const s of sources) {
      const found = await openDatasetFile(doc.uri, s.path);
      entries.push('error' in found ? { path: s.path, key: s.uri.toString(), missing: true, error: found.error } : { path: s.path, key: s.uri.toString(), ...found });
    }
    let checks: readonly FileCheck[];
    try {
      checks = await this.files.check(text, entries);
    } catch {
      return; // The worker was restarted or the text changed; the next update checks again.
    }
    if (this.asked.get(key) !== version) return;
    for (const s of sources) {
      const check = checks.find((c) => c.key === s.uri.toString());
      if (!check) continue;
      const { start, end } = datasetFileValueRange(text, s.name);
      const where = new vscode.Range(start.line - 1, start.column - 1, end.line - 1, Math.max(end.column, start.column + 1) - 1);
      if (check.error && check.diagnostics.length === 0) {
        out.push(new vscode.Diagnostic(where, `dataset ${s.name}: ${check.error}`, vscode.DiagnosticSeverity.Error));
        continue;
      }
      this.collection.set(s.uri, check.diagnostics.map(toVscode));
      if (check.diagnostics.length > 0) out.push(new vscode.Diagnostic(where, `dataset ${s.name}: bad rows in ${s.path} (the first at row ${check.diagnostics[0].start.line})`, vscode.DiagnosticSeverity.Warning));
    }
    this.collection.set(doc.uri, out);
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
