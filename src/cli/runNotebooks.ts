/**
 * `il-notebooks run FILE.ilnb…`: runs notebooks top to bottom in the same kernel the extension uses,
 * prints each cell's text, and writes the fresh outputs into the notebook (or `--out`). `--report`
 * writes a self-contained HTML page, `--json-results` every cell's outcome and outputs as JSON; `--check` writes nothing and exits 1 when the saved outputs differ
 * from a fresh run; `--timeout S` stops a cell that runs longer than S seconds (10 minutes unless told;
 * 0 for none). A failing cell is named with its line, and the exit code is 1; a path that cannot be read
 * or written is named with what to do, and the exit code is 2. Cells after a failure, and cells in a
 * language the kernel does not run, keep their saved outputs and are named as stale or skipped.
 */
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { decodeNotebook, isJsonMime, NotebookFormatError, parseNotebook, serializeNotebook } from '../notebook/notebookFormat';
import { lateOutputLines } from '../notebook/kernelClient';
import { ERROR_MIME, readErrorOutput, runNotebook, type RunOptions } from '../notebook/runNotebook';
import { notebookReport, RENDERER_BUNDLE } from '../notebook/report/htmlReport';
import { notebookResults, resultsText, statusNotes, statusOfReport } from '../notebook/report/jsonResults';
import { kernelBuildVersion } from '../notebook/cellKeys';
import { DEFAULT_CACHE_MAX_BYTES, ResultsCache } from '../notebook/resultsCache';
import type { CellReport } from '../notebook/runNotebook';
import { cliDatasetAccess } from './check';

/** The folder of the results cache beside a notebook, unless --cache-dir names another. */
export const DEFAULT_CACHE_FOLDER = '.il-cache';

/** One notebook in `run --json`'s report. */
export interface NotebookRunReport {
  readonly file: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly cells: readonly {
    readonly index: number;
    readonly outcome: CellReport['outcome'];
    /** Absent for cells not run (stale, skipped). */
    readonly source?: 'ran' | 'cache';
    readonly note?: string;
    readonly cacheNote?: string;
  }[];
}

/** What `run --json` prints: one object for the whole command, so that it parses as one JSON value. */
export interface RunReport {
  readonly format: 'il-notebooks-run';
  readonly version: 1;
  readonly cache: boolean;
  readonly notebooks: readonly NotebookRunReport[];
}

/** A cell that runs longer than this is stopped, unless --timeout says otherwise (`while (true) {}` would run until killed). */
export const DEFAULT_TIMEOUT_SECONDS = 600;

export interface RunCommandOptions {
  /** Write the outputs here instead of into the notebook (one notebook only). */
  readonly out?: string;
  /** Write a self-contained HTML report here (one notebook only). */
  readonly report?: string;
  /** Write the results as JSON here (one notebook only; the shape is in docs/notebooks.md). */
  readonly jsonResults?: string;
  /** Compare only: exit 1 when saved outputs differ from a fresh run; write nothing. */
  readonly check?: boolean;
  /** Do not write outputs back. */
  readonly noWrite?: boolean;
  /** Per-cell time limit in seconds; 0 for none; absent: DEFAULT_TIMEOUT_SECONDS. */
  readonly timeoutSeconds?: number;
  /** --allow-outside-files: `load()` may read dataset files outside the notebook's folder and the current directory. */
  readonly allowOutsideFiles?: boolean;
  /** Output bytes kept per cell / in the whole notebook (--max-output, --max-output-total). */
  readonly maxOutputBytes?: number;
  readonly maxOutputBytesTotal?: number;
  /** Serve unchanged cells from the results cache and keep what runs (the command's default; off here unless asked). Never with `check`. */
  readonly cache?: boolean;
  /** The cache's folder (--cache-dir); default `.il-cache` beside each notebook. */
  readonly cacheDir?: string;
  /** The cache's size limit in bytes (--cache-max-mb); default DEFAULT_CACHE_MAX_BYTES. */
  readonly cacheMaxBytes?: number;
  /** Print a machine-readable report on stdout (runReport's shape); the human text goes to stderr. */
  readonly json?: boolean;
  /** The bundled kernel (dist/kernelWorker.js). */
  readonly workerScript: string;
  /** The bundled notebook renderer (dist/webview/notebookRenderer.js), for reports. */
  readonly rendererScript?: string;
}

function cellText(items: readonly { mime: string; data: string }[]): string {
  const error = items.find((i) => i.mime === ERROR_MIME);
  if (error) return readErrorOutput(error.data).stack;
  const text = items.find((i) => i.mime === 'text/plain') ?? items.find((i) => !isJsonMime(i.mime));
  return text ? text.data : `[${items.map((i) => i.mime).join(', ')}]`;
}

/** "cell 3, line 2: TypeError: …" from a failed cell's error output. */
function failureLine(index: number, items: readonly { mime: string; data: string }[] | undefined): string {
  const error = items?.find((i) => i.mime === ERROR_MIME);
  if (!error) return `cell ${index + 1} failed`;
  const e = readErrorOutput(error.data);
  // "cell 2: kernel died (SIGTERM): …": the cause is the news, the output's name adds nothing.
  if (e.name === 'KernelDied') return `cell ${index + 1}: ${e.message}`;
  const at = new RegExp(`cell ${index + 1}:(\\d+):(\\d+)`).exec(e.stack);
  return `cell ${index + 1}${at ? `, line ${at[1]}, column ${at[2]}` : ''}: ${e.name}: ${e.message}`;
}

const reason = (error: unknown) => {
  const code = (error as { code?: string }).code;
  const words: Record<string, string> = { ENOENT: 'it does not exist', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'it is a directory', ENOTDIR: 'a part of the path is not a directory', EROFS: 'the file system is read-only' };
  return (code && words[code]) ?? (error instanceof Error ? error.message : String(error));
};

/** Why `path` cannot be written as a file, or undefined when it can (checked before any cell runs). */
function unwritable(flag: string, path: string): string | undefined {
  try {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) return `${flag}: ${path} is a directory; give a file name`;
    if (stat) {
      accessSync(path, constants.W_OK);
      return undefined;
    }
    const folder = dirname(resolve(path));
    const parent = statSync(folder, { throwIfNoEntry: false });
    if (!parent) return `${flag}: the folder ${folder} does not exist; create it or give another path`;
    if (!parent.isDirectory()) return `${flag}: ${folder} is not a directory; give another path`;
    accessSync(folder, constants.W_OK);
    return undefined;
  } catch (error) {
    return `${flag}: cannot write ${path} (${reason(error)}); give a path you can write`;
  }
}

/** Writes a file, or says why not: a false return has already printed the message. */
function writeOrSay(flag: string, path: string, text: string, write: (text: string) => void): boolean {
  try {
    writeFileSync(path, text);
    return true;
  } catch (error) {
    write(`il-notebooks run: ${flag}cannot write ${path} (${reason(error)}); nothing was written there\n`);
    return false;
  }
}

/** What runNotebook is given for one file: the defaults of the command filled in. */
export function kernelRunOptions(options: RunCommandOptions, file: string): RunOptions {
  const timeoutSeconds = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  // The rule of check and eval, with the notebook in the .ilmdp's place: its folder or the current directory.
  const files = cliDatasetAccess(file, { allowOutsideFiles: options.allowOutsideFiles === true });
  return {
    workerScript: options.workerScript,
    cwd: dirname(resolve(file)),
    datasetFiles: { roots: files.roots, allowOutside: files.allowOutside === true, rootsLabel: files.rootsLabel, howToAllow: files.howToAllow },
    ...(timeoutSeconds > 0 ? { cellTimeoutMs: timeoutSeconds * 1000 } : {}),
    ...(options.maxOutputBytes !== undefined ? { maxOutputBytesPerCell: options.maxOutputBytes } : {}),
    ...(options.maxOutputBytesTotal !== undefined ? { maxOutputBytesPerNotebook: options.maxOutputBytesTotal } : {}),
  };
}

/**
 * `write` gets what a run prints (stdout); `writeError` a kernel's messages, such as output a cell's
 * code wrote after the cell ended (on stderr, so that stdout stays the notebook's own text).
 */
export async function runNotebookFiles(
  files: readonly string[],
  options: RunCommandOptions,
  write: (text: string) => void,
  writeError: (text: string) => void = (text) => void process.stderr.write(text),
): Promise<number> {
  // With --json, stdout is the report alone; what a person reads goes to stderr.
  const json = options.json === true;
  const out = write;
  if (json) write = writeError;
  const notebooksReport: NotebookRunReport[] = [];
  const useCache = options.cache === true && !options.check;
  let build: string | undefined;
  const code = await runFiles();
  if (json) out(`${JSON.stringify({ format: 'il-notebooks-run', version: 1, cache: useCache, notebooks: notebooksReport } satisfies RunReport, null, 2)}\n`);
  return code;

  async function runFiles(): Promise<number> {
  if ((options.out || options.report || options.jsonResults) && files.length !== 1) {
    write('il-notebooks run: --out, --report and --json-results take one notebook at a time\n');
    return 2;
  }
  // Paths are checked before anything runs: a run can take minutes, and its outputs must have somewhere to go.
  const targets: [string, string | undefined][] = [
    ['--out', options.out],
    ['--report', options.report],
    ['--json-results', options.jsonResults],
  ];
  for (const [flag, path] of targets) {
    const problem = path === undefined ? undefined : unwritable(flag, path);
    if (problem) {
      write(`il-notebooks run: ${problem}\n`);
      return 2;
    }
  }
  let renderer: string | undefined;
  if (options.report) {
    const script = options.rendererScript ?? defaultRendererScript();
    try {
      renderer = readFileSync(script, 'utf8');
    } catch (error) {
      write(`il-notebooks run: --report needs the built notebook renderer ${script} (${reason(error)}); run npm run build\n`);
      return 2;
    }
  }
  let failures = 0;
  let pathErrors = 0;
  for (const file of files) {
    let original: string;
    let notebook;
    try {
      original = decodeNotebook(readFileSync(file));
    } catch (error) {
      if (error instanceof NotebookFormatError) {
        write(`${file}:${error.line}:${error.column}: error: ${error.message}\n`);
        failures++;
      } else {
        write(`${file}:1:1: error: cannot read the file (${reason(error)})\n`);
        pathErrors++;
      }
      continue;
    }
    try {
      notebook = parseNotebook(original);
    } catch (error) {
      const e = error as { line?: number; column?: number; message: string };
      write(`${file}:${e.line ?? 1}:${e.column ?? 1}: error: ${e.message}\n`);
      failures++;
      continue;
    }
    write(`# ${file}\n`);
    const started = Date.now();
    // A --check compares against a fresh computation: never from the cache.
    if (useCache) build ??= await kernelBuildVersion(options.workerScript);
    const cache = useCache ? { store: new ResultsCache(options.cacheDir ?? join(dirname(resolve(file)), DEFAULT_CACHE_FOLDER), options.cacheMaxBytes ?? DEFAULT_CACHE_MAX_BYTES), build: build!, folder: dirname(resolve(file)) } : undefined;
    const result = await runNotebook(notebook, {
      ...kernelRunOptions(options, file),
      ...(cache ? { cache } : {}),
      onLateOutput: (late) => writeError(`${lateOutputLines(basename(file), late).join('\n')}\n`),
      onCell: (report, cell) => {
        write(`\n── cell ${report.index + 1} (${cell.language}) ${report.outcome === 'ok' ? '' : `— ${report.outcome}`}${report.source === 'cache' ? '(from the cache)' : ''}\n`);
        if (report.cacheNote) write(`(${report.cacheNote})\n`);
        if (report.note) {
          write(`${report.note}\n`);
          return;
        }
        for (const output of report.outputs) {
          const text = cellText(output.items);
          write(text.endsWith('\n') ? text : `${text}\n`);
        }
      },
    });
    const fresh = serializeNotebook(result.notebook);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const failed = result.reports.find((r) => r.outcome !== 'ok' && r.outcome !== 'skipped' && r.outcome !== 'stale');
    const ran = result.reports.filter((r) => r.outcome !== 'skipped' && r.outcome !== 'stale').length;
    const list = (outcome: string) => result.reports.filter((r) => r.outcome === outcome).map((r) => r.index + 1);
    const stale = list('stale');
    const skipped = list('skipped');
    const notes = [
      ...(stale.length > 0 ? [`not run, saved outputs kept (stale): cell${stale.length > 1 ? 's' : ''} ${stale.join(', ')}`] : []),
      ...(skipped.length > 0 ? [`skipped (not JavaScript or TypeScript): cell${skipped.length > 1 ? 's' : ''} ${skipped.join(', ')}`] : []),
    ];
    const cached = result.reports.filter((r) => r.source === 'cache').length;
    write(`\n${file}: ${result.ok ? 'ok' : `FAILED at ${failureLine(failed!.index, failed!.outputs.at(-1)?.items)}`} (${ran} code cells run${cached > 0 ? `, ${cached} of them from the cache` : ''}, ${seconds} s)${notes.map((n) => `; ${n}`).join('')}\n`);
    notebooksReport.push({
      file,
      ok: result.ok,
      seconds: Number(seconds),
      cells: result.reports.map((r) => ({ index: r.index, outcome: r.outcome, ...(r.source ? { source: r.source } : r.outcome === 'stale' || r.outcome === 'skipped' ? {} : { source: 'ran' as const }), ...(r.note ? { note: r.note } : {}), ...(r.cacheNote ? { cacheNote: r.cacheNote } : {}) })),
    });
    if (!result.ok) failures++;
    if (options.check) {
      if (fresh !== original) {
        write(`${file}: saved outputs differ from a fresh run (run without --check to update them)\n`);
        failures++;
      }
    } else if (!options.noWrite) {
      const target = options.out ?? file;
      if (target !== file || fresh !== original) {
        if (writeOrSay(options.out ? '--out: ' : '', target, fresh, write)) write(`${target}: outputs written\n`);
        // The notebook's own file: it is read-only, say, and the outputs had nowhere else to go.
        else if (!options.out) write(`${file}: pass --out FILE to keep the outputs elsewhere, or --no-write\n`);
        else pathErrors++;
      }
    }
    // The report and the results file judge the cells alike: from the run's reports.
    const statuses = new Map(result.reports.map((r) => [r.index, statusOfReport(r)]));
    if (options.report && renderer !== undefined) {
      if (writeOrSay('--report: ', options.report, notebookReport(result.notebook, basename(file), renderer, statusNotes(statuses)), write)) write(`${options.report}: report written\n`);
      else pathErrors++;
    }
    if (options.jsonResults) {
      if (writeOrSay('--json-results: ', options.jsonResults, resultsText(notebookResults(result.notebook, basename(file), statuses)), write)) write(`${options.jsonResults}: results written\n`);
      else pathErrors++;
    }
  }
  return pathErrors > 0 ? 2 : failures > 0 ? 1 : 0;
  }
}

export function defaultWorkerScript(): string {
  return join(__dirname, '..', 'kernelWorker.js');
}

export function defaultRendererScript(): string {
  return join(__dirname, '..', ...RENDERER_BUNDLE);
}
