/**
 * Keeps the Problems panel and the squiggles of every open .ilmdp document in step with its text:
 * re-checks after the user stops typing (debounced), and checks the dataset files it references
 * (missing files and bad rows are reported on the .ilmdp entry and on the file's own rows). The text is
 * parsed in the parse service and dataset files in the editor worker, never on the host: a file whose
 * parse takes seconds does not freeze typing, and a newer version cancels the check of an older one.
 */
import * as vscode from 'vscode';
import type { Diagnostic } from '../ilmdp/diagnostics';
import type { FileCheck } from './editorWorkerProtocol';
import { platform } from '../workers/platform';
import { EditorWorkerClient, type FileSource, type MissingFile } from './editorWorkerClient';
import { openDatasetFile } from './mdpEditorProvider';
import type { ParseScheduler } from './parseClient';

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
  private readonly disposables: vscode.Disposable[] = [];
  private readonly files: EditorWorkerClient;

  constructor(private readonly parses: ParseScheduler) {
    this.files = new EditorWorkerClient(platform().worker('editorWorker'));
    this.disposables.push(
      this.collection,
      { dispose: () => this.files.dispose() },
      vscode.workspace.onDidOpenTextDocument((doc) => this.schedule(doc, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (!this.isIlmdp(doc)) return;
        this.parses.forget(this.key(doc));
        this.collection.delete(doc.uri);
      }),
    );
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  private isIlmdp(doc: vscode.TextDocument): boolean {
    return doc.languageId === 'ilmdp' || doc.uri.path.endsWith('.ilmdp');
  }

  /** The scheduler's key of a document: the same as its custom editors', so both share one parse per version. */
  private key(doc: vscode.TextDocument): string {
    return doc.uri.toString();
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!this.isIlmdp(doc)) return;
    void this.update(doc, delay);
  }

  async update(doc: vscode.TextDocument, delay = 0): Promise<void> {
    const key = this.key(doc);
    const version = doc.version;
    const current = () => doc.version;
    const parsed = await this.parses.request(key, version, { text: () => doc.getText(), current, view: false, delayMs: delay });
    // Superseded by a newer version, or the document closed: that version's check applies the problems.
    if (!parsed || doc.isClosed) return;
    const { text, answer } = parsed;
    const out = answer.diagnostics.map(toVscode);
    // The .ilmdp's own problems show at once; the files' problems join them when the worker answers.
    this.collection.set(doc.uri, out);
    if (!answer.hasModel || answer.files.length === 0) return;
    const sources = answer.files.map((f) => ({ ...f, uri: vscode.Uri.joinPath(doc.uri, '..', f.path) }));
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
    if (doc.version !== version || doc.isClosed) return;
    for (const s of sources) {
      const check = checks.find((c) => c.key === s.uri.toString());
      if (!check) continue;
      // The service located the file: value; walking a 10 MB text here would stall the host.
      const where = new vscode.Range(s.line - 1, s.column - 1, s.endLine - 1, Math.max(s.endColumn, s.column + 1) - 1);
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
    for (const d of this.disposables) d.dispose();
  }
}
