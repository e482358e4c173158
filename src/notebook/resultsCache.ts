/**
 * The results cache of notebook cells (docs/notebooks.md, "Dependencies, stale cells and the results cache"): for a cell's key
 * (cellKeys.ts: its code, its dependencies' keys, the files it loads, the kernel's build), the outputs
 * it made and the values it defined (valueCodec.ts), so that running it again can be restoring them.
 * vscode-free: the CLI keeps it in `.il-cache/` beside the notebook (or `--cache-dir`), the editor in the
 * workspace's storage.
 *
 * One file per key, `<key>.ilc`: a header line, the outputs as one JSON line, then the values' text as
 * it came from the kernel (no second escaping of a large payload). Safe to share:
 * - between concurrent runs: an entry is written to a temporary file and renamed into place, so a reader
 *   sees a whole entry or none; two runs writing one key write the same content, and the last rename wins;
 * - against damage: an entry that does not read back (truncated, edited, another version's) is a miss,
 *   removed, and the cell runs; it is never an error of the run;
 * - in size: past `maxBytes` the entries used longest ago are removed (a hit refreshes an entry's time).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isRecord } from '../core/guards';
import type { NotebookOutput } from './notebookFormat';

/** The default size limit: enough for every example many times over, small beside a disk. */
export const DEFAULT_CACHE_MAX_BYTES = 512 * 2 ** 20;

const FORMAT = 'il-notebooks-cache';
const VERSION = 1;
const SUFFIX = '.ilc';
const KEY = /^[0-9a-f]{64}$/;

export interface CacheEntry {
  readonly outputs: readonly NotebookOutput[];
  /** The values the cell defined, as the kernel encoded them. */
  readonly values: string;
}

export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
}

function isOutputs(x: unknown): x is NotebookOutput[] {
  return Array.isArray(x) && x.every((o) => isRecord(o) && Array.isArray(o.items) && o.items.every((i) => isRecord(i) && typeof i.mime === 'string' && typeof i.data === 'string'));
}

/** An entry's text; `key` is written into it so that a file renamed by hand is not taken for another key's. */
function entryText(key: string, entry: CacheEntry): string {
  // Only what the cache needs of an output: a notebook's unknown keys (`extra`) are the notebook's, not the result's.
  const outputs = entry.outputs.map((o) => ({ items: o.items.map((i) => ({ mime: i.mime, data: i.data })) }));
  return `${JSON.stringify({ format: FORMAT, version: VERSION, key })}\n${JSON.stringify(outputs)}\n${entry.values}`;
}

function readEntry(key: string, text: string): CacheEntry | undefined {
  const first = text.indexOf('\n');
  const second = first < 0 ? -1 : text.indexOf('\n', first + 1);
  if (second < 0) return undefined;
  try {
    const header: unknown = JSON.parse(text.slice(0, first));
    if (!isRecord(header) || header.format !== FORMAT || header.version !== VERSION || header.key !== key) return undefined;
    const outputs: unknown = JSON.parse(text.slice(first + 1, second));
    if (!isOutputs(outputs)) return undefined;
    return { outputs, values: text.slice(second + 1) };
  } catch {
    return undefined;
  }
}

export class ResultsCache {
  constructor(
    readonly dir: string,
    readonly maxBytes: number = DEFAULT_CACHE_MAX_BYTES,
  ) {
    if (!(maxBytes > 0)) throw new RangeError(`a cache's size limit must be positive; got ${maxBytes}`);
  }

  private file(key: string): string {
    if (!KEY.test(key)) throw new Error(`not a cache key: ${key}`);
    return join(this.dir, `${key}${SUFFIX}`);
  }

  /** The entry of `key`, or undefined: none, or one that does not read back (then removed). */
  async get(key: string): Promise<CacheEntry | undefined> {
    const file = this.file(key);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return undefined;
    }
    const entry = readEntry(key, text);
    if (!entry) {
      await unlink(file).catch(() => undefined);
      return undefined;
    }
    // Used now: the last to be evicted.
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return entry;
  }

  /** Keeps the entry (then trims the cache to its limit); an entry larger than the limit is not kept, and the reason says so. */
  async put(key: string, entry: CacheEntry): Promise<{ readonly stored: true } | { readonly stored: false; readonly reason: string }> {
    const text = entryText(key, entry);
    const bytes = Buffer.byteLength(text);
    if (bytes > this.maxBytes) return { stored: false, reason: `its results take ${bytes} bytes, more than the cache's limit of ${this.maxBytes}` };
    const file = this.file(key);
    const temporary = join(this.dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temporary, text);
      await rename(temporary, file);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      return { stored: false, reason: `the cache folder ${this.dir} cannot be written (${error instanceof Error ? error.message : String(error)})` };
    }
    await this.trim(key);
    return { stored: true };
  }

  /** The entries and their bytes (temporary files of runs under way are not entries). */
  async stats(): Promise<CacheStats> {
    const entries = await this.list();
    return { entries: entries.length, bytes: entries.reduce((sum, e) => sum + e.size, 0) };
  }

  /** Removes every entry (the folder stays: it may be one the user named). */
  async clear(): Promise<void> {
    for (const e of await this.list()) await rm(e.path, { force: true });
  }

  private async list(): Promise<{ path: string; size: number; used: number }[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const out: { path: string; size: number; used: number }[] = [];
    for (const name of names) {
      if (!name.endsWith(SUFFIX)) continue;
      const path = join(this.dir, name);
      // Another run may have removed it meanwhile.
      const s = await stat(path).catch(() => undefined);
      if (s?.isFile()) out.push({ path, size: s.size, used: s.mtimeMs });
    }
    return out;
  }

  /** Least recently used first, until the cache fits; the entry just written is kept. */
  private async trim(keep: string): Promise<void> {
    const entries = await this.list();
    let total = entries.reduce((sum, e) => sum + e.size, 0);
    if (total <= this.maxBytes) return;
    const kept = this.file(keep);
    entries.sort((a, b) => a.used - b.used);
    for (const e of entries) {
      if (total <= this.maxBytes) break;
      if (e.path === kept) continue;
      await rm(e.path, { force: true });
      total -= e.size;
    }
  }
}
