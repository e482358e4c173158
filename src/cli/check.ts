/**
 * `il-notebooks check FILE.ilmdp…`: every diagnostic as `file:line:col: severity: message`, including
 * the rows of dataset files the .ilmdp references; exit code 1 when any error is found (for CI and
 * pre-commit hooks), 2 when an argument is not a file it can read (missing, a directory, a FIFO).
 */
import { dirname, resolve } from 'node:path';
import type { DatasetFileAccess } from '../ilmdp/datasetAccess';
import { readUserFileSync } from '../ilmdp/datasetAccess';
import { formatDiagnostic } from '../ilmdp/diagnostics';
import { loadDatasetFile } from '../ilmdp/load';
import { parseIlmdp } from '../ilmdp/parse';

export const CHECK_USAGE = `usage: il-notebooks check FILE.ilmdp… [--allow-outside-files]
  prints every problem of the files and of the dataset files they name as file:line:col: severity: message;
  exit 1 on errors, 2 when an argument is not a readable file.
  --allow-outside-files  read dataset files outside the .ilmdp's folder and the current directory`;

export interface CliFileOptions {
  /** --allow-outside-files */
  readonly allowOutsideFiles?: boolean;
  /** Default process.cwd(). */
  readonly cwd?: string;
}

/** The CLI's rule: a dataset file lives in its .ilmdp's folder or in the current directory. */
export function cliDatasetAccess(ilmdp: string, options: CliFileOptions = {}): DatasetFileAccess {
  return {
    roots: [dirname(resolve(ilmdp)), options.cwd ?? process.cwd()],
    allowOutside: options.allowOutsideFiles === true,
    rootsLabel: `the folder of ${ilmdp} and the current directory`,
    howToAllow: 'pass --allow-outside-files to read it anyway',
  };
}

export function checkFiles(files: readonly string[], write: (line: string) => void, options: CliFileOptions = {}): number {
  let errors = 0;
  let warnings = 0;
  let unreadable = 0;
  for (const file of files) {
    const read = readUserFileSync(file);
    if (!read.ok) {
      const hint = read.reason === 'not-a-file' && read.message.includes('a directory') ? ` (e.g. ${file}/*.ilmdp)` : '';
      write(`${file}:1:1: error: ${read.reason === 'missing' ? 'file not found' : read.message}${hint}`);
      unreadable++;
      continue;
    }
    const { model, diagnostics } = parseIlmdp(read.text);
    for (const d of diagnostics) {
      write(formatDiagnostic(file, d));
      if (d.severity === 'error') errors++;
      else warnings++;
    }
    if (!model) continue;
    const access = cliDatasetAccess(file, options);
    for (const [name, source] of model.datasets) {
      if (source.kind !== 'file') continue;
      const { problems } = loadDatasetFile({ path: file, shown: file, text: read.text }, name, source.path, model.mdp, access);
      for (const line of problems) write(line);
      errors += problems.length;
    }
  }
  write(`${files.length} file(s) checked: ${errors + unreadable} error(s), ${warnings} warning(s)`);
  return unreadable > 0 ? 2 : errors > 0 ? 1 : 0;
}
