/**
 * `il-notebooks run FILE.ilnb…`: runs notebooks top to bottom in the same kernel the extension uses,
 * prints each cell's text, and writes the fresh outputs into the notebook (or `--out`). `--report`
 * writes a self-contained HTML page; `--check` writes nothing and exits 1 when the saved outputs differ
 * from a fresh run; `--timeout S` stops a cell that runs longer than S seconds. A failing cell is named
 * with its line, and the exit code is 1.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isJsonMime, parseNotebook, serializeNotebook } from '../notebook/notebookFormat';
import { ERROR_MIME, readErrorOutput, runNotebook } from '../notebook/runNotebook';
import { notebookReport } from './htmlReport';

export interface RunCommandOptions {
  /** Write the outputs here instead of into the notebook (one notebook only). */
  readonly out?: string;
  /** Write a self-contained HTML report here (one notebook only). */
  readonly report?: string;
  /** Compare only: exit 1 when saved outputs differ from a fresh run; write nothing. */
  readonly check?: boolean;
  /** Do not write outputs back. */
  readonly noWrite?: boolean;
  readonly timeoutSeconds?: number;
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

export async function runNotebookFiles(files: readonly string[], options: RunCommandOptions, write: (text: string) => void): Promise<number> {
  if ((options.out || options.report) && files.length !== 1) {
    write('il-notebooks run: --out and --report take one notebook at a time\n');
    return 2;
  }
  let failures = 0;
  for (const file of files) {
    let original: string;
    try {
      original = readFileSync(file, 'utf8');
    } catch {
      write(`${file}:1:1: error: cannot read the file\n`);
      failures++;
      continue;
    }
    let notebook;
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
    const result = await runNotebook(notebook, {
      workerScript: options.workerScript,
      cwd: dirname(resolve(file)),
      ...(options.timeoutSeconds ? { cellTimeoutMs: options.timeoutSeconds * 1000 } : {}),
      onCell: (report, cell) => {
        write(`\n── cell ${report.index + 1} (${cell.language}) ${report.outcome === 'ok' ? '' : `— ${report.outcome}`}\n`);
        for (const output of report.outputs) {
          const text = cellText(output.items);
          write(text.endsWith('\n') ? text : `${text}\n`);
        }
      },
    });
    const fresh = serializeNotebook(result.notebook);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const failed = result.reports.find((r) => r.outcome !== 'ok');
    write(`\n${file}: ${result.ok ? 'ok' : `FAILED at ${failureLine(failed!.index, failed!.outputs.at(-1)?.items)}`} (${result.reports.length} code cells, ${seconds} s)\n`);
    if (!result.ok) failures++;
    if (options.check) {
      if (fresh !== original) {
        write(`${file}: saved outputs differ from a fresh run (run without --check to update them)\n`);
        failures++;
      }
    } else if (!options.noWrite) {
      const target = options.out ?? file;
      if (target !== file || fresh !== original) {
        writeFileSync(target, fresh);
        write(`${target}: outputs written\n`);
      }
    }
    if (options.report) {
      writeFileSync(options.report, notebookReport(result.notebook, basename(file), readFileSync(options.rendererScript ?? defaultRendererScript(), 'utf8')));
      write(`${options.report}: report written\n`);
    }
  }
  return failures > 0 ? 1 : 0;
}

export function defaultWorkerScript(): string {
  return join(__dirname, '..', 'kernelWorker.js');
}

export function defaultRendererScript(): string {
  return join(__dirname, '..', 'webview', 'notebookRenderer.js');
}
