/**
 * The host's side of the editor worker. An analysis of a newer document version cancels an older one
 * still running (the worker is terminated and a fresh one started: sampling is synchronous, so a
 * message could not interrupt it). Dataset files are sent only when the worker lacks their content.
 * vscode-free, so it is tested in plain Node against the real bundled worker.
 */
import type { TrajectoryPage } from '../shared/mdpEditorProtocol';
import { RpcClient } from '../workers/client';
import { CancelledError } from '../workers/errors';
import type { WorkerFactory } from '../workers/port';
import { editorWorkerProtocol, type AnalysisResult, type DocumentFiles, type FileCheck, type FileEntry } from './editorWorkerProtocol';

/** A dataset file the document references: its stamp (mtime and size), and how to read it if needed. */
export interface FileSource {
  readonly path: string;
  /** Identifies the file when one client serves several documents (its URI); defaults to path. */
  readonly key?: string;
  readonly stamp: string;
  readonly read: () => Promise<Uint8Array>;
}

/** What FileSource.read throws for a file it will not read after all: its message reaches the user. */
export class DatasetFileRefused extends Error {}

/** A file the host could not or would not read; `error` says why (shown at the file's `file:` entry). */
export type MissingFile = { readonly path: string; readonly key?: string; readonly missing: true; readonly error?: string };

export class EditorWorkerClient {
  private readonly rpc: RpcClient<typeof editorWorkerProtocol>;
  /** What the current worker holds: path → stamp (reset when a fresh worker starts). */
  private sentFiles = new Map<string, string>();
  private analysing: number | undefined;
  private analyses = 0;

  constructor(factory: WorkerFactory) {
    // A worker that ended took the files it held with it.
    const forget = () => (this.sentFiles = new Map());
    this.rpc = new RpcClient(factory, editorWorkerProtocol, { name: 'editor worker', onSpawn: forget, onExit: forget });
  }

  /**
   * Statistics of every dataset of this document version. Rejects with CancelledError when a newer
   * analysis starts (or cancel() is called) before it ends.
   */
  async analyse(version: number, text: string, files: readonly (FileSource | MissingFile)[], onProgress?: (done: number, total: number) => void): Promise<AnalysisResult> {
    if (this.analysing !== undefined) this.cancel();
    const ticket = ++this.analyses;
    this.analysing = ticket;
    const { entries, transfer } = await this.fileEntries(files, () => this.analysing !== ticket);
    if (this.analysing !== ticket) throw new CancelledError('the analysis');
    try {
      return await this.send('analyse', { version, text, files: entries }, transfer, onProgress);
    } finally {
      if (this.analysing === ticket) this.analysing = undefined;
    }
  }

  /** The bad rows of each dataset file (no statistics); requests queue behind one another, none cancels another. */
  async check(text: string, files: readonly (FileSource | MissingFile)[]): Promise<readonly FileCheck[]> {
    const { entries, transfer } = await this.fileEntries(files, () => false);
    return this.send('check', { version: 0, text, files: entries }, transfer);
  }

  /** File entries with bytes only for content the current worker has not been sent (read lazily). */
  private async fileEntries(files: readonly (FileSource | MissingFile)[], superseded: () => boolean): Promise<{ entries: FileEntry[]; transfer: ArrayBuffer[] }> {
    const entries: FileEntry[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const f of files) {
      const key = f.key !== undefined ? { key: f.key } : {};
      if ('missing' in f) {
        entries.push({ path: f.path, ...key, stamp: '', missing: true, ...(f.error !== undefined ? { error: f.error } : {}) });
        continue;
      }
      if (this.sentFiles.get(f.key ?? f.path) === f.stamp) {
        entries.push({ path: f.path, ...key, stamp: f.stamp });
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = await f.read();
      } catch (error) {
        // A file refused at read time (swapped for a FIFO since it was located) says why.
        entries.push({ path: f.path, ...key, stamp: f.stamp, missing: true, ...(error instanceof DatasetFileRefused ? { error: error.message } : {}) });
        continue;
      }
      // Reading is asynchronous: a newer analysis may have started meanwhile.
      if (superseded()) throw new CancelledError('the analysis');
      entries.push({ path: f.path, ...key, stamp: f.stamp, bytes });
      if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) transfer.push(bytes.buffer as ArrayBuffer);
    }
    return { entries, transfer };
  }

  page(version: number, dataset: string, start: number, count: number): Promise<TrajectoryPage> {
    return this.rpc.call('page', { version, dataset, start, count });
  }

  export(version: number, dataset: string, format: 'csv' | 'jsonl'): Promise<{ bytes: Uint8Array; rows: number }> {
    return this.rpc.call('export', { version, dataset, format });
  }

  /** True while an analysis is running. */
  get busy(): boolean {
    return this.analysing !== undefined;
  }

  /** Stops whatever runs: every pending request rejects with CancelledError; the next request starts a fresh worker. */
  cancel(): void {
    this.analysing = undefined;
    this.sentFiles = new Map();
    void this.rpc.terminate(new CancelledError('the editor worker request'));
  }

  dispose(): void {
    this.cancel();
  }

  /** Sends a document's files; the bytes it carries are what the worker will hold from now on. */
  private send(method: 'analyse', params: DocumentFiles, transfer: ArrayBuffer[], onProgress?: (done: number, total: number) => void): Promise<AnalysisResult>;
  private send(method: 'check', params: DocumentFiles, transfer: ArrayBuffer[]): Promise<FileCheck[]>;
  private send(method: 'analyse' | 'check', params: DocumentFiles, transfer: ArrayBuffer[], onProgress?: (done: number, total: number) => void): Promise<AnalysisResult | FileCheck[]> {
    const call =
      method === 'analyse'
        ? this.rpc.call('analyse', params, { transfer, ...(onProgress ? { onEvent: (p) => onProgress(p.done, p.total) } : {}) })
        : this.rpc.call('check', params, { transfer });
    // After the call: a fresh worker started for it has just forgotten what the old one held.
    for (const e of params.files) if (e.bytes) this.sentFiles.set(e.key ?? e.path, e.stamp);
    return call;
  }
}
