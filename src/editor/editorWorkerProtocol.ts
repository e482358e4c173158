/**
 * What the .ilmdp editor asks of its worker thread (dist/editorWorker.js). The worker realises a
 * document version's datasets (samples generated ones, reads files), computes their statistics and
 * keeps them, so that trajectory pages and exports are answered without the host ever holding the
 * data. The RPC layer (src/workers) checks every message against the guards below.
 */
import { isCount, isRecord } from '../core/guards';
import type { Diagnostic } from '../ilmdp/diagnostics';
import type { DatasetStatsEntry, TrajectoryPage } from '../shared/mdpEditorProtocol';
import { isProgress, method } from '../workers/protocol';

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
  /** The host could not read the file, or would not (see error). */
  readonly missing?: boolean;
  /** Why the host did not read it (outside the folder, a directory, too large: ilmdp/datasetAccess.ts). */
  readonly error?: string;
}

/** The bad rows of one dataset file, located in that file. */
export interface FileCheck {
  readonly path: string;
  readonly key?: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly error?: string;
}

export interface AnalysisResult {
  readonly version: number;
  readonly datasets: readonly DatasetStatsEntry[];
}

export interface DocumentFiles {
  readonly version: number;
  readonly text: string;
  readonly files: readonly FileEntry[];
}

export interface PageRequest {
  readonly version: number;
  readonly dataset: string;
  readonly start: number;
  readonly count: number;
}

export interface ExportRequest {
  readonly version: number;
  readonly dataset: string;
  readonly format: 'csv' | 'jsonl';
}

export interface Exported {
  readonly bytes: Uint8Array;
  readonly rows: number;
}

function isFileEntry(x: unknown): x is FileEntry {
  return (
    isRecord(x) &&
    typeof x.path === 'string' &&
    (x.key === undefined || typeof x.key === 'string') &&
    typeof x.stamp === 'string' &&
    (x.bytes === undefined || x.bytes instanceof Uint8Array) &&
    (x.missing === undefined || typeof x.missing === 'boolean') &&
    (x.error === undefined || typeof x.error === 'string')
  );
}

function isDocumentFiles(x: unknown): x is DocumentFiles {
  return isRecord(x) && isCount(x.version) && typeof x.text === 'string' && Array.isArray(x.files) && x.files.every(isFileEntry);
}

function isPageRequest(x: unknown): x is PageRequest {
  return isRecord(x) && isCount(x.version) && typeof x.dataset === 'string' && isCount(x.start) && isCount(x.count);
}

function isExportRequest(x: unknown): x is ExportRequest {
  return isRecord(x) && isCount(x.version) && typeof x.dataset === 'string' && (x.format === 'csv' || x.format === 'jsonl');
}

export const editorWorkerProtocol = {
  analyse: method({ params: isDocumentFiles, result: (x: unknown): x is AnalysisResult => isRecord(x) && isCount(x.version) && Array.isArray(x.datasets), event: isProgress }),
  check: method({ params: isDocumentFiles, result: (x: unknown): x is FileCheck[] => Array.isArray(x) && x.every((f) => isRecord(f) && typeof f.path === 'string' && Array.isArray(f.diagnostics)) }),
  page: method({ params: isPageRequest, result: (x: unknown): x is TrajectoryPage => isRecord(x) && Array.isArray(x.states) }),
  export: method({ params: isExportRequest, result: (x: unknown): x is Exported => isRecord(x) && x.bytes instanceof Uint8Array && isCount(x.rows) }),
};
