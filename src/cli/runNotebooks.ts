/**
 * `il-notebooks run FILE.ilnb…`: runs notebooks top to bottom in the same kernel the extension uses and
 * prints each cell's text. `--write` saves the fresh outputs into the file; `--check` exits 1 when the
 * saved outputs differ from a fresh run (a notebook's results are reproducible, byte for byte).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isJsonMime, parseNotebook, serializeNotebook } from '../notebook/notebookFormat';
import { ERROR_MIME, runNotebook } from '../notebook/runNotebook';

export interface RunCommandOptions {
  readonly write?: boolean;
  readonly check?: boolean;
  /** The bundled kernel (dist/kernelWorker.js). */
  readonly workerScript: string;
}

function cellText(items: readonly { mime: string; data: string }[]): string {
  const error = items.find((i) => i.mime === ERROR_MIME);
  if (error) {
    const e = JSON.parse(error.data) as { name: string; message: string; stack?: string };
    return e.stack || `${e.name}: ${e.message}`;
  }
  const text = items.find((i) => i.mime === 'text/plain') ?? items.find((i) => !isJsonMime(i.mime));
  return text ? text.data : `[${items.map((i) => i.mime).join(', ')}]`;
}

export async function runNotebookFiles(files: readonly string[], options: RunCommandOptions, write: (text: string) => void): Promise<number> {
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
    write(`\n${file}: ${result.ok ? 'ok' : 'FAILED'} (${result.reports.length} code cells, ${seconds} s)\n`);
    if (!result.ok) failures++;
    if (options.check && fresh !== original) {
      write(`${file}: saved outputs differ from a fresh run (re-run with --write to update them)\n`);
      failures++;
    }
    if (options.write && fresh !== original) {
      writeFileSync(file, fresh);
      write(`${file}: outputs written\n`);
    }
  }
  return failures > 0 ? 1 : 0;
}

export function defaultWorkerScript(): string {
  return join(__dirname, '..', 'kernelWorker.js');
}
