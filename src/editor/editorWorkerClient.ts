/**
 * The host's side of the editor worker. An analysis of a newer document version cancels an older one
 * still running (the worker is terminated and a fresh one started: sampling is synchronous, so a
 * message could not interrupt it). Dataset files are sent only when the worker lacks their content.
 * vscode-free, so it is tested in plain Node against the real bundled worker.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { TrajectoryPage } from '../shared/mdpEditorProtocol';
import type { FileCheck } from './datasetStore';
import { isEditorWorkerResponse, type AnalysisResult, type EditorWorkerRequest, type EditorWorkerResponse, type FileEntry } from './editorWorkerProtocol';

export class CancelledError extends Error {
  constructor(what = 'the computation') {
    super(`${what} was cancelled`);
    this.name = 'CancelledError';
  }
}

export class WorkerRequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'WorkerRequestError';
  }
}

/** A dataset file the document references: its stamp (mtime and size), and how to read it if needed. */
export interface FileSource {
  readonly path: string;
  /** Identifies the file when one client serves several documents (its URI); defaults to path. */
  readonly key?: string;
  readonly stamp: string;
  readonly read: () => Promise<Uint8Array>;
}

interface Pending {
  readonly kind: EditorWorkerRequest['type'];
  resolve(response: EditorWorkerResponse): void;
  reject(error: Error): void;
  onProgress?: (done: number, total: number) => void;
}

export class EditorWorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** What the current worker holds: path → stamp (reset when the worker is replaced). */
  private sentFiles = new Map<string, string>();
  private analysing: number | undefined;
  private analyses = 0;

  constructor(
    private readonly workerScript: string,
    private readonly workerOptions: WorkerOptions = {},
  ) {}

  /**
   * Statistics of every dataset of this document version. Rejects with CancelledError when a newer
   * analysis starts (or cancel() is called) before it ends.
   */
  async analyse(version: number, text: string, files: readonly (FileSource | { readonly path: string; readonly missing: true })[], onProgress?: (done: number, total: number) => void): Promise<AnalysisResult> {
    if (this.analysing !== undefined) this.cancel();
    const ticket = ++this.analyses;
    this.analysing = ticket;
    const { entries, transfer } = await this.fileEntries(files, () => this.analysing !== ticket);
    if (this.analysing !== ticket) throw new CancelledError('the analysis');
    const worker = this.ensureWorker();
    for (const e of entries) if (e.bytes) this.sentFiles.set(e.key ?? e.path, e.stamp);
    try {
      const response = await this.request(worker, { id: this.nextId++, type: 'analyse', version, text, files: entries }, transfer, onProgress);
      return (response as Extract<EditorWorkerResponse, { type: 'analysed' }>).result;
    } finally {
      if (this.analysing === ticket) this.analysing = undefined;
    }
  }

  /** The bad rows of each dataset file (no statistics); requests queue behind one another, none cancels another. */
  async check(text: string, files: readonly (FileSource | { readonly path: string; readonly key?: string; readonly missing: true })[]): Promise<readonly FileCheck[]> {
    const { entries, transfer } = await this.fileEntries(files, () => false);
    const worker = this.ensureWorker();
    for (const e of entries) if (e.bytes) this.sentFiles.set(e.key ?? e.path, e.stamp);
    const response = await this.request(worker, { id: this.nextId++, type: 'check', version: 0, text, files: entries }, transfer);
    return (response as Extract<EditorWorkerResponse, { type: 'checked' }>).files;
  }

  /** File entries with bytes only for content the current worker has not been sent (read lazily). */
  private async fileEntries(files: readonly (FileSource | { readonly path: string; readonly key?: string; readonly missing: true })[], superseded: () => boolean): Promise<{ entries: FileEntry[]; transfer: ArrayBuffer[] }> {
    const entries: FileEntry[] = [];
    const transfer: ArrayBuffer[] = [];
    for (const f of files) {
      const key = f.key !== undefined ? { key: f.key } : {};
      if ('missing' in f) {
        entries.push({ path: f.path, ...key, stamp: '', missing: true });
        continue;
      }
      if (this.sentFiles.get(f.key ?? f.path) === f.stamp) {
        entries.push({ path: f.path, ...key, stamp: f.stamp });
        continue;
      }
      let bytes: Uint8Array;
      try {
        bytes = await f.read();
      } catch {
        entries.push({ path: f.path, ...key, stamp: f.stamp, missing: true });
        continue;
      }
      // Reading is asynchronous: a newer analysis may have started meanwhile.
      if (superseded()) throw new CancelledError('the analysis');
      entries.push({ path: f.path, ...key, stamp: f.stamp, bytes });
      if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) transfer.push(bytes.buffer as ArrayBuffer);
    }
    return { entries, transfer };
  }

  async page(version: number, dataset: string, start: number, count: number): Promise<TrajectoryPage> {
    const response = await this.request(this.ensureWorker(), { id: this.nextId++, type: 'page', version, dataset, start, count });
    return (response as Extract<EditorWorkerResponse, { type: 'page' }>).page;
  }

  async export(version: number, dataset: string, format: 'csv' | 'jsonl'): Promise<{ bytes: Uint8Array; rows: number }> {
    const response = (await this.request(this.ensureWorker(), { id: this.nextId++, type: 'export', version, dataset, format })) as Extract<EditorWorkerResponse, { type: 'exported' }>;
    return { bytes: response.bytes, rows: response.rows };
  }

  /** True while an analysis is running. */
  get busy(): boolean {
    return this.analysing !== undefined;
  }

  /** Stops whatever runs: every pending request rejects with CancelledError; the next request starts a fresh worker. */
  cancel(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.sentFiles = new Map();
    this.analysing = undefined;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new CancelledError(p.kind === 'analyse' ? 'the analysis' : `the ${p.kind} request`));
    void worker?.terminate();
  }

  dispose(): void {
    this.cancel();
  }

  private request(worker: Worker, message: EditorWorkerRequest, transfer: ArrayBuffer[] = [], onProgress?: (done: number, total: number) => void): Promise<EditorWorkerResponse> {
    return new Promise((resolve, reject) => {
      this.pending.set(message.id, { kind: message.type, resolve, reject, ...(onProgress ? { onProgress } : {}) });
      worker.postMessage(message, transfer);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerScript, this.workerOptions);
    worker.on('message', (message: unknown) => {
      if (this.worker !== worker || !isEditorWorkerResponse(message)) return;
      const p = this.pending.get(message.id);
      if (!p) return;
      if (message.type === 'progress') {
        p.onProgress?.(message.done, message.total);
        return;
      }
      this.pending.delete(message.id);
      if (message.type === 'error') p.reject(new WorkerRequestError(message.message, message.code));
      else p.resolve(message);
    });
    worker.on('error', (error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.sentFiles = new Map();
      this.analysing = undefined;
      const pending = [...this.pending.values()];
      this.pending.clear();
      for (const p of pending) p.reject(error);
    });
    this.worker = worker;
    return worker;
  }
}
