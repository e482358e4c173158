/**
 * `--out FILE` of sweep and merge. The path is checked before the work starts, so an hours-long shard
 * never fails at its end on a typo; its folder is created, since many array tasks write into one
 * folder that none of them should have to make first; and the text is written to a temporary file
 * beside it and renamed, so a task killed mid-write (a time limit, a pre-emption) leaves no truncated
 * shard for merge to find, only none.
 */
import { accessSync, constants, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usageError';

export function prepareOutputFile(flag: string, path: string): void {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) throw new UsageError(`${flag}: ${path} is a directory; give a file name`);
  const folder = dirname(resolve(path));
  try {
    mkdirSync(folder, { recursive: true });
    accessSync(stat ? path : folder, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`${flag}: cannot write ${path} (${code ?? (error instanceof Error ? error.message : String(error))}); give a path you can write`);
  }
}

export function writeOutputFile(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.partial`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}
