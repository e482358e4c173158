/**
 * `il-notebooks check FILE.ilmdp…`: every diagnostic as `file:line:col: severity: message`, including
 * the rows of dataset files the .ilmdp references; exit code 1 when any error is found (for CI and
 * pre-commit hooks).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { datasetFormatOf, parseDatasetFile } from '../ilmdp/datasetFile';
import { formatDiagnostic } from '../ilmdp/diagnostics';
import { parseIlmdp } from '../ilmdp/parse';

export function checkFiles(files: readonly string[], write: (line: string) => void): number {
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    if (!existsSync(file)) {
      write(`${file}:1:1: error: file not found`);
      errors++;
      continue;
    }
    const { model, diagnostics } = parseIlmdp(readFileSync(file, 'utf8'));
    for (const d of diagnostics) {
      write(formatDiagnostic(file, d));
      if (d.severity === 'error') errors++;
      else warnings++;
    }
    if (!model) continue;
    for (const [name, source] of model.datasets) {
      if (source.kind !== 'file') continue;
      const path = join(dirname(file), source.path);
      if (!existsSync(path)) {
        write(`${file}:1:1: error: dataset ${name}: file ${source.path} not found beside ${file}`);
        errors++;
        continue;
      }
      const result = parseDatasetFile(readFileSync(path, 'utf8'), datasetFormatOf(path)!, model.mdp, path);
      for (const d of result.diagnostics) {
        write(formatDiagnostic(path, d));
        errors++;
      }
    }
  }
  write(`${files.length} file(s) checked: ${errors} error(s), ${warnings} warning(s)`);
  return errors > 0 ? 1 : 0;
}
