/**
 * Messages between the .ilmdp editor and its worker thread (dist/editorWorker.js). The worker realises
 * a document version's datasets (samples generated ones, reads files), computes their statistics and
 * keeps them, so that trajectory pages and exports are answered without the host ever holding the data.
 * Requests carry numeric ids; every incoming message is checked by the guards below before use.
 */
import type { DatasetStatsEntry, TrajectoryPage } from '../shared/mdpEditorProtocol';
import type { FileCheck } from './datasetStore';

/**
 * A dataset file as the host knows it: `stamp` (modification time and size) names its content; `bytes`
 * is sent only when this worker has not yet seen that stamp (a 50 MB file is not re-sent on every keystroke).
 */
export interface FileEntry {
  /** As written in the .ilmdp (relative to it). */
  readonly path: string;
  /** What identifies the file across documents (its URI) when one worker serves several; defaults to path. */
  readonly key?: string;
  readonly stamp: string;
  readonly bytes?: Uint8Array;
  /** The host could not read the file. */
  readonly missing?: boolean;
}

export type EditorWorkerRequest =
  | { readonly id: number; readonly type: 'analyse'; readonly version: number; readonly text: string; readonly files: readonly FileEntry[] }
  | { readonly id: number; readonly type: 'page'; readonly version: number; readonly dataset: string; readonly start: number; readonly count: number }
  | { readonly id: number; readonly type: 'export'; readonly version: number; readonly dataset: string; readonly format: 'csv' | 'jsonl' }
  | { readonly id: number; readonly type: 'check'; readonly version: number; readonly text: string; readonly files: readonly FileEntry[] };

export interface AnalysisResult {
  readonly version: number;
  readonly datasets: readonly DatasetStatsEntry[];
}

export type EditorWorkerResponse =
  | { readonly id: number; readonly type: 'progress'; readonly done: number; readonly total: number }
  | { readonly id: number; readonly type: 'analysed'; readonly result: AnalysisResult }
  | { readonly id: number; readonly type: 'page'; readonly page: TrajectoryPage }
  | { readonly id: number; readonly type: 'exported'; readonly bytes: Uint8Array; readonly rows: number }
  | { readonly id: number; readonly type: 'checked'; readonly files: readonly FileCheck[] }
  | { readonly id: number; readonly type: 'error'; readonly message: string; readonly code: string };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0;
}

function isFileEntry(x: unknown): x is FileEntry {
  return isRecord(x) && typeof x.path === 'string' && (x.key === undefined || typeof x.key === 'string') && typeof x.stamp === 'string' && (x.bytes === undefined || x.bytes instanceof Uint8Array) && (x.missing === undefined || typeof x.missing === 'boolean');
}

export function isEditorWorkerRequest(x: unknown): x is EditorWorkerRequest {
  if (!isRecord(x) || !isCount(x.id) || x.id < 1 || !isCount(x.version)) return false;
  switch (x.type) {
    case 'analyse':
    case 'check':
      return typeof x.text === 'string' && Array.isArray(x.files) && x.files.every(isFileEntry);
    case 'page':
      return typeof x.dataset === 'string' && isCount(x.start) && isCount(x.count);
    case 'export':
      return typeof x.dataset === 'string' && (x.format === 'csv' || x.format === 'jsonl');
    default:
      return false;
  }
}

export function isEditorWorkerResponse(x: unknown): x is EditorWorkerResponse {
  if (!isRecord(x) || !isCount(x.id)) return false;
  switch (x.type) {
    case 'progress':
      return typeof x.done === 'number' && typeof x.total === 'number';
    case 'analysed':
      return isRecord(x.result) && Array.isArray(x.result.datasets);
    case 'page':
      return isRecord(x.page) && Array.isArray(x.page.states);
    case 'checked':
      return Array.isArray(x.files);
    case 'exported':
      return x.bytes instanceof Uint8Array && typeof x.rows === 'number';
    case 'error':
      return typeof x.message === 'string' && typeof x.code === 'string';
    default:
      return false;
  }
}
