/**
 * The editor worker's state: the datasets of the last analysed document version, realised (generated
 * ones sampled with their seed, inline ones built, files parsed), with their statistics. Pages and
 * exports read from here. Dataset files are cached by stamp, so an edit of the .ilmdp text does not
 * re-parse an unchanged 50 MB file. vscode-free and synchronous: the worker calls it, tests too.
 */
import { datasetFromTrajectories, type Dataset } from '../core/dataset';
import type { MDP } from '../core/mdp';
import type { Policy } from '../core/policy';
import { sampleTrajectories } from '../core/sampling';
import { datasetFileChunks } from '../ilmdp/datasetExport';
import { MAX_DATASET_FILE_BYTES } from '../ilmdp/datasetAccess';
import { datasetFormatOf, parseDatasetFile } from '../ilmdp/datasetFile';
import type { Diagnostic } from '../ilmdp/diagnostics';
import { parseIlmdp } from '../ilmdp/parse';
import type { DatasetStatsEntry, TrajectoryPage } from '../shared/mdpEditorProtocol';
import { datasetStats, trajectoryPage } from './datasetStats';
import type { AnalysisResult, FileCheck, FileEntry } from './editorWorkerProtocol';

/** (trajectory, step) pairs the editor realises per dataset: 10^7 is 160 MB of samples; beyond, use a notebook. */
export const MAX_EDITOR_STEPS = 10_000_000;
const MAX_PROBLEMS = 20;

export class StoreError extends Error {
  constructor(
    message: string,
    readonly code: 'stale' | 'unknown-dataset' | 'missing-bytes' | 'export',
  ) {
    super(message);
  }
}

interface ParsedFile {
  readonly key: string;
  readonly dataset?: Dataset;
  /** As parseDatasetFile reports them (at most MAX_ROW_DIAGNOSTICS + 1). */
  readonly diagnostics: readonly Diagnostic[];
  /** The first of them as text, for the editor. */
  readonly problems: string[];
  readonly error?: string;
}

interface Realised {
  readonly dataset: Dataset;
  readonly expert?: Policy;
}

function signature(mdp: MDP): string {
  return JSON.stringify([mdp.nS, mdp.nA, mdp.H, mdp.stateNames ?? null, mdp.actionNames ?? null]);
}

export class DatasetStore {
  private version = -1;
  private mdp: MDP | undefined;
  private readonly realised = new Map<string, Realised>();
  private readonly rawFiles = new Map<string, { stamp: string; bytes: Uint8Array }>();
  private readonly parsedFiles = new Map<string, ParsedFile>();

  analyse(version: number, text: string, files: readonly FileEntry[], onProgress?: (done: number, total: number) => void): AnalysisResult {
    this.version = version;
    this.realised.clear();
    this.mdp = undefined;
    this.receive(files);
    const { model } = parseIlmdp(text);
    if (!model) return { version, datasets: [] };
    const { mdp } = model;
    this.mdp = mdp;
    const byPath = new Map(files.map((f) => [f.path, f]));
    const isGrid = model.generator?.kind === 'gridworld';
    // BC on a dataset is compared with the expert that made it, or else with the file's first expert.
    const gridExpert = (from?: string) => {
      const name = from ?? [...model.experts.keys()][0];
      const policy = name === undefined ? undefined : model.experts.get(name);
      return name !== undefined && policy ? { name, policy } : undefined;
    };
    const out: DatasetStatsEntry[] = [];
    const total = model.datasets.size;
    let done = 0;
    for (const [name, source] of model.datasets) {
      onProgress?.(done++, total);
      let realised: Realised | undefined;
      let problems: string[] = [];
      let error: string | undefined;
      if (source.kind === 'generated') {
        const steps = source.trajectories * mdp.H;
        if (steps > MAX_EDITOR_STEPS) error = `N·H = ${steps} steps is more than the editor realises (${MAX_EDITOR_STEPS}); load it in a notebook instead`;
        else {
          const expert = model.experts.get(source.from)!;
          realised = { dataset: sampleTrajectories(mdp, expert, source.trajectories, source.seed), expert };
        }
      } else if (source.kind === 'inline') {
        realised = { dataset: datasetFromTrajectories(mdp.nS, mdp.nA, mdp.H, source.trajectories) };
      } else {
        const parsed = this.parseFile(source.path, byPath.get(source.path), mdp);
        problems = parsed.problems;
        error = parsed.error;
        if (parsed.dataset) realised = { dataset: parsed.dataset };
      }
      if (realised) this.realised.set(name, realised);
      out.push({
        name,
        ...(realised ? { stats: datasetStats(mdp, realised.dataset, realised.expert, undefined, isGrid ? { expert: gridExpert(source.kind === 'generated' ? source.from : undefined) } : undefined) } : {}),
        ...(error ? { error } : {}),
        ...(problems.length > 0 ? { problems } : {}),
      });
    }
    onProgress?.(total, total);
    return { version, datasets: out };
  }

  private receive(files: readonly FileEntry[]): void {
    for (const f of files) if (f.bytes) this.rawFiles.set(f.key ?? f.path, { stamp: f.stamp, bytes: f.bytes });
  }

  /** Every bad row of the files a document references (the diagnostics provider's question), without statistics. */
  check(text: string, files: readonly FileEntry[]): FileCheck[] {
    this.receive(files);
    const { model } = parseIlmdp(text);
    if (!model) return [];
    return files.map((f) => {
      const parsed = this.parseFile(f.path, f, model.mdp);
      return { path: f.path, ...(f.key ? { key: f.key } : {}), diagnostics: parsed.diagnostics, ...(parsed.error ? { error: parsed.error } : {}) };
    });
  }

  private parseFile(path: string, entry: FileEntry | undefined, mdp: MDP): ParsedFile {
    if (!entry || entry.missing) return { key: '', diagnostics: [], problems: [], error: entry?.error ?? `file ${path} not found beside this file` };
    const cacheKey = entry.key ?? path;
    const key = `${entry.stamp}\u0000${signature(mdp)}`;
    const cached = this.parsedFiles.get(cacheKey);
    if (cached && cached.key === key) return cached;
    const raw = this.rawFiles.get(cacheKey);
    if (!raw || raw.stamp !== entry.stamp) throw new StoreError(`the content of ${path} (${entry.stamp}) was not sent`, 'missing-bytes');
    const format = datasetFormatOf(path);
    let result: ParsedFile;
    if (!format) result = { key, diagnostics: [], problems: [], error: `${path} is neither .csv nor .jsonl` };
    // The host refuses larger files before reading them; this holds for any other sender too.
    else if (raw.bytes.length > MAX_DATASET_FILE_BYTES) result = { key, diagnostics: [], problems: [], error: `${path} is larger than the ${MAX_DATASET_FILE_BYTES / 2 ** 20} MiB a dataset file may have; split it into several files` };
    else {
      const { dataset, diagnostics } = parseDatasetFile(new TextDecoder().decode(raw.bytes), format, mdp, path);
      const problems = diagnostics.slice(0, MAX_PROBLEMS).map((d) => d.message);
      if (diagnostics.length > MAX_PROBLEMS) problems.push(`… and more (${diagnostics.length - MAX_PROBLEMS} further messages in the Problems panel)`);
      result = dataset ? { key, dataset, diagnostics, problems } : { key, diagnostics, problems: [], error: problems[0] ?? `${path} could not be read` };
    }
    this.parsedFiles.set(cacheKey, result);
    return result;
  }

  private get(version: number, name: string): Realised {
    if (version !== this.version) throw new StoreError(`version ${version} is no longer current (now ${this.version})`, 'stale');
    const r = this.realised.get(name);
    if (!r) throw new StoreError(`no dataset named ${JSON.stringify(name)} has been realised`, 'unknown-dataset');
    return r;
  }

  page(version: number, name: string, start: number, count: number): TrajectoryPage {
    return trajectoryPage(this.get(version, name).dataset, name, start, count);
  }

  /** The dataset as a CSV or JSONL file's bytes, encoded chunk by chunk into one buffer. */
  export(version: number, name: string, format: 'csv' | 'jsonl'): { bytes: Uint8Array; rows: number } {
    const { dataset } = this.get(version, name);
    const encoder = new TextEncoder();
    const parts: Uint8Array[] = [];
    let length = 0;
    try {
      for (const chunk of datasetFileChunks(dataset, this.mdp!, format)) {
        const bytes = encoder.encode(chunk);
        parts.push(bytes);
        length += bytes.length;
      }
    } catch (error) {
      throw new StoreError(error instanceof Error ? error.message : String(error), 'export');
    }
    const bytes = new Uint8Array(length);
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    let rows = 0;
    for (let k = 0; k < dataset.states.length; k++) if (dataset.states[k] >= 0) rows++;
    return { bytes, rows };
  }
}
