/**
 * Reading a dataset file that an .ilmdp names (`file: runs.csv`) from disk, and refusing what must not
 * be read. An .ilmdp file is data someone may hand you, so it cannot make IL Notebooks read any file on
 * the machine: the path must resolve, after symlinks, inside the folders the caller allows (the
 * workspace folder in VS Code; the .ilmdp's folder or the current directory in the CLI) unless the user
 * allowed files outside them. Only regular files are opened (a directory fails, a FIFO or a device
 * would block the read forever), and only up to MAX_DATASET_FILE_BYTES (a larger text does not fit in
 * one JavaScript string). Messages give the path as the user wrote it: an absolute path outside the
 * folder is never printed back resolved.
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { Position } from './diagnostics';

/**
 * The largest dataset file read: 256 MiB. V8's longest string is 2^29 − 24 characters (512 MiB of
 * ASCII); half of it leaves room for the parse's own arrays and keeps the editor worker in its heap.
 */
export const MAX_DATASET_FILE_BYTES = 256 * 1024 * 1024;

export interface DatasetFileAccess {
  /** Folders a dataset file must resolve inside (after symlinks). */
  readonly roots: readonly string[];
  /** The user allowed files outside the roots. */
  readonly allowOutside?: boolean;
  /** The roots in words, for messages ("the workspace folder"). */
  readonly rootsLabel: string;
  /** How the user allows a file outside them (a setting, a flag). */
  readonly howToAllow: string;
  /** Default MAX_DATASET_FILE_BYTES (tests use a smaller one). */
  readonly maxBytes?: number;
  /** A file the user named on a command line rather than one an .ilmdp names: other words in messages. */
  readonly named?: boolean;
}

export type Refusal = { readonly ok: false; readonly reason: 'missing' | 'outside' | 'not-a-file' | 'too-large' | 'unreadable'; readonly message: string };
export type Located = { readonly ok: true; readonly path: string; readonly size: number; readonly mtimeMs: number };

function within(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** Bytes, with the MiB beside them when that is a round number (the limits are). */
function bytesText(bytes: number): string {
  return bytes % 2 ** 20 === 0 ? `${bytes} bytes (${bytes / 2 ** 20} MiB)` : `${bytes} bytes`;
}

const refuse = (reason: Refusal['reason'], message: string): Refusal => ({ ok: false, reason, message });

function outside(written: string, access: DatasetFileAccess): Refusal {
  return refuse('outside', `${written} is outside ${access.rootsLabel}, so it is not read; ${access.howToAllow}`);
}

function judgeStats(written: string, st: Stats, access: DatasetFileAccess): Refusal | undefined {
  if (!st.isFile()) return refuse('not-a-file', access.named ? `${written} is ${kindOf(st)}, not a file; give a file` : `${written} is ${kindOf(st)}, not a CSV or JSON Lines file; point file: at a regular file`);
  const max = access.maxBytes ?? MAX_DATASET_FILE_BYTES;
  if (st.size > max) {
    const what = access.named ? `${bytesText(max)} this command reads` : `${bytesText(max)} a dataset file may have; split it into several files (one dataset each)`;
    return refuse('too-large', `${written} is ${bytesText(st.size)}, more than the ${what}`);
  }
  return undefined;
}

function judgeError(written: string, error: unknown, access: DatasetFileAccess): Refusal {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return refuse('missing', access.named ? `${written}: file not found` : `${written} not found (a relative path is taken from the .ilmdp file's folder)`);
  return refuse('unreadable', `${written} cannot be read (${code ?? 'error'}); check that it is a file you may read`);
}

/** The lexical check first: a path outside the roots is refused whether it exists or not. */
function lexicallyOutside(full: string, access: DatasetFileAccess): boolean {
  return !access.allowOutside && !access.roots.some((r) => within(full, resolve(r)));
}

function realRoots(access: DatasetFileAccess, real: (p: string) => string): string[] {
  return access.roots.map((r) => {
    try {
      return real(resolve(r));
    } catch {
      return resolve(r);
    }
  });
}

/** Where `written` (relative to `baseDir`) is, once it passed every check; nothing is opened. */
export function locateDatasetFileSync(baseDir: string, written: string, access: DatasetFileAccess): Located | Refusal {
  const full = resolve(baseDir, written);
  if (lexicallyOutside(full, access)) return outside(written, access);
  let real: string;
  let st: Stats;
  try {
    real = realpathSync(full);
    st = statSync(real);
  } catch (error) {
    return judgeError(written, error, access);
  }
  if (!access.allowOutside && !realRoots(access, realpathSync).some((r) => within(real, r))) return outside(written, access);
  return judgeStats(written, st, access) ?? { ok: true, path: real, size: st.size, mtimeMs: st.mtimeMs };
}

export async function locateDatasetFile(baseDir: string, written: string, access: DatasetFileAccess): Promise<Located | Refusal> {
  const full = resolve(baseDir, written);
  if (lexicallyOutside(full, access)) return outside(written, access);
  let real: string;
  let st: Stats;
  try {
    real = await realpath(full);
    st = await stat(real);
  } catch (error) {
    return judgeError(written, error, access);
  }
  if (!access.allowOutside) {
    const roots = await Promise.all(access.roots.map((r) => realpath(resolve(r)).catch(() => resolve(r))));
    if (!roots.some((r) => within(real, r))) return outside(written, access);
  }
  return judgeStats(written, st, access) ?? { ok: true, path: real, size: st.size, mtimeMs: st.mtimeMs };
}

// Opening a FIFO for reading waits for a writer; with O_NONBLOCK it returns at once and fstat refuses it
// (the path may have been swapped since it was located). Windows has no O_NONBLOCK and no FIFOs to open.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Reads one located regular file whole, checking again on the open descriptor. */
export function readLocatedSync(located: Located, written: string, access: DatasetFileAccess): Uint8Array | Refusal {
  let fd: number;
  try {
    fd = openSync(located.path, OPEN_FLAGS);
  } catch (error) {
    return judgeError(written, error, access);
  }
  try {
    const st = fstatSync(fd);
    const refused = judgeStats(written, st, access);
    if (refused) return refused;
    const bytes = Buffer.allocUnsafe(st.size);
    let at = 0;
    while (at < bytes.length) {
      const n = readSync(fd, bytes, at, bytes.length - at, null);
      if (n === 0) break;
      at += n;
    }
    return bytes.subarray(0, at);
  } catch (error) {
    return judgeError(written, error, access);
  } finally {
    closeSync(fd);
  }
}

export async function readLocated(located: Located, written: string, access: DatasetFileAccess): Promise<Uint8Array | Refusal> {
  let handle;
  try {
    handle = await open(located.path, OPEN_FLAGS);
  } catch (error) {
    return judgeError(written, error, access);
  }
  try {
    const st = await handle.stat();
    const refused = judgeStats(written, st, access);
    if (refused) return refused;
    const bytes = new Uint8Array(st.size);
    let at = 0;
    while (at < bytes.length) {
      const { bytesRead } = await handle.read(bytes, at, bytes.length - at, null);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return bytes.subarray(0, at);
  } catch (error) {
    return judgeError(written, error, access);
  } finally {
    await handle.close();
  }
}

/** The text of a dataset file, or why it is not read. */
export function readDatasetFileSync(baseDir: string, written: string, access: DatasetFileAccess): { ok: true; path: string; text: string } | Refusal {
  const located = locateDatasetFileSync(baseDir, written, access);
  if (!located.ok) return located;
  const bytes = readLocatedSync(located, written, access);
  if (!(bytes instanceof Uint8Array)) return bytes;
  return { ok: true, path: located.path, text: new TextDecoder().decode(bytes) };
}

/** The text of a file the user named (an .ilmdp, a shard), refusing directories, FIFOs and huge files. */
export function readUserFileSync(path: string, maxBytes = MAX_DATASET_FILE_BYTES): { ok: true; text: string } | Refusal {
  const access: DatasetFileAccess = { roots: [], allowOutside: true, rootsLabel: '', howToAllow: '', maxBytes, named: true };
  const located = locateDatasetFileSync(process.cwd(), path, access);
  if (!located.ok) return located;
  const bytes = readLocatedSync(located, path, access);
  return bytes instanceof Uint8Array ? { ok: true, text: new TextDecoder().decode(bytes) } : bytes;
}

/**
 * Where `datasets.NAME.file`'s value is in the .ilmdp text (1-based), so a refused file is reported at
 * the path itself; the file's first line when it cannot be found (the text changed).
 */
export function datasetFileValueRange(text: string, name: string): { start: Position; end: Position } {
  const lines = new LineCounter();
  const node = parseDocument(text, { lineCounter: lines }).getIn(['datasets', name, 'file'], true) as { range?: [number, number, number] } | undefined;
  if (!node?.range) return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  const start = lines.linePos(node.range[0]);
  const end = lines.linePos(node.range[1]);
  return { start: { line: start.line, column: start.col }, end: { line: end.line, column: end.col } };
}
