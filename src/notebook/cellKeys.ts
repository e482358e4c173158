/**
 * Each code cell's results-cache key, computed before anything runs (resultsCache.ts): the SHA-256 of
 * the cell's language and code, the keys of the cells it depends on (dependencies.ts), the contents of
 * the files it loads, and the kernel's build. A key is a cell's identity in this sense: two runs of cells
 * with one key give the same outputs and values, because experiments here are deterministic given their
 * seeds. The keys of the dependencies stand for their values (they are computed the same way), so a
 * change anywhere upstream — a seed, an .ilmdp, a cell above — reaches every cell below that reads it,
 * and none that does not.
 *
 * **Files.** A cell's key must be known before it runs, to decide whether it runs, so the files are the
 * analysis's literal `load("…")` arguments, not what the kernel reports having read (that comes only
 * after the run). Each such .ilmdp is read here, and the dataset files it names (`file:`) are hashed with
 * it: `load()` reads them too. A `load()` whose path is computed is not knowable beforehand: that cell
 * (and its dependents) has no key and always runs.
 *
 * **The kernel's build** (kernelBuildVersion) is a hash of the bundles that compute (the kernel with the
 * core inside, the sweep pool's worker, HiGHS), rather than the package's version or a constant to bump
 * by hand: any change to the code that makes outputs, released or not, is a new build, and nobody has to
 * remember anything. The price is that a rebuild with any change recomputes everything, which is the
 * safe side.
 *
 * vscode-free.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parseIlmdp } from '../ilmdp/parse';
import { analyseCell, dependencyGraph, type CellSymbols } from './dependencies';
import type { NotebookOutput } from './notebookFormat';
import type { ResultsCache } from './resultsCache';

export interface KeyedCell {
  readonly kind: string;
  readonly language: string;
  readonly source: string;
}

/** What the cache knows of one code cell before it runs. */
export interface CellCachePlan {
  /** Undefined when the cell's result cannot be told from its code and inputs: it always runs (`why`). */
  readonly key?: string;
  readonly why?: string;
  /** The names whose values are its result: what it declares or assigns, and what it changes in place. */
  readonly names: readonly string[];
  /** Why its values cannot be restored even with a key (unknown writes to the global object): it runs, its dependents may still come from the cache. */
  readonly notRestorable?: string;
  readonly symbols: CellSymbols;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

async function hashOf(file: string): Promise<string> {
  try {
    return sha256(await readFile(file));
  } catch {
    // Missing now: the cell will fail on it when it runs, and a file that appears later is a new key.
    return 'unreadable';
  }
}

/** [path as the notebook names it, hash] of an .ilmdp and of every dataset file it names. */
async function loadedFiles(folder: string, written: string): Promise<[string, string][]> {
  const file = resolve(folder, written);
  const out: [string, string][] = [[written, await hashOf(file)]];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return out;
  }
  const { model } = parseIlmdp(text);
  for (const [, source] of model?.datasets ?? []) {
    if (source.kind !== 'file') continue;
    const data = resolve(dirname(file), source.path);
    // Relative to the notebook, so that a clone elsewhere has the same keys.
    out.push([relative(folder, data), await hashOf(data)]);
  }
  return out;
}

/**
 * The build of the kernel at `workerScript` (dist/kernelWorker.js), with the sweep worker and HiGHS
 * beside it when they are there: the hash of their bytes.
 */
export async function kernelBuildVersion(workerScript: string): Promise<string> {
  const folder = dirname(workerScript);
  const parts = await Promise.all([workerScript, join(folder, 'sweepWorker.js'), join(folder, 'highs.wasm')].map(hashOf));
  return sha256(parts.join('\n'));
}

const KERNEL_LANGUAGES = new Set(['javascript', 'typescript']);

/** The plan of every cell (undefined for markdown and for languages the kernel does not run). */
export interface PlanOptions {
  readonly folder: string;
  readonly build: string;
  /**
   * The key a dependency's values in the kernel have, when that is not its key now: in the editor cells
   * run in any order, so a cell above may have been edited since it ran (its old key is what a reader
   * would read) or not run at all in this kernel (undefined: the reader has no key). Absent: the
   * notebook runs top to bottom, as in the CLI, and a dependency's key is its current one.
   */
  readonly keyInKernel?: (index: number, current: string) => string | undefined;
}

export async function planCells(cells: readonly KeyedCell[], options: PlanOptions): Promise<(CellCachePlan | undefined)[]> {
  const code = cells.flatMap((c, index) => (c.kind === 'code' && KERNEL_LANGUAGES.has(c.language) ? [index] : []));
  const symbols = code.map((i) => analyseCell(cells[i].source, cells[i].language === 'typescript' ? 'typescript' : 'javascript'));
  const graph = dependencyGraph(symbols);
  const plans: (CellCachePlan | undefined)[] = cells.map(() => undefined);
  for (const [k, index] of code.entries()) {
    const cell = cells[index];
    const s = symbols[k];
    const names = [...new Set([...s.defines, ...s.mutates])].sort();
    const notRestorable = s.syntaxError ? undefined : s.unknownWrites ? 'it writes globals that cannot be named (globalThis[…], eval, with), so its values cannot be restored' : undefined;
    const base = { names, symbols: s, ...(notRestorable ? { notRestorable } : {}) };
    const below = graph[k].find((j) => j > k);
    const upstream = graph[k]
      .filter((j) => j < k)
      .map((j) => {
        const current = plans[code[j]]!.key;
        return { j, key: current === undefined || !options.keyInKernel ? current : options.keyInKernel(code[j], current) };
      });
    const unkeyed = upstream.find((u) => u.key === undefined);
    let why: string | undefined;
    if (s.notDeterministic) why = s.notDeterministic;
    else if (below !== undefined) why = `it reads a name that only cell ${code[below] + 1}, below it, defines`;
    else if (unkeyed) why = plans[code[unkeyed.j]]!.key === undefined ? `it depends on cell ${code[unkeyed.j] + 1}, which always runs` : `it depends on cell ${code[unkeyed.j] + 1}, which has not run in this kernel`;
    if (why) {
      plans[index] = { ...base, why };
      continue;
    }
    const files: [string, string][] = [];
    for (const written of s.loads) files.push(...(await loadedFiles(options.folder, written)));
    const key = sha256(JSON.stringify({ format: 'il-cell-key', version: 1, build: options.build, language: cell.language, source: cell.source, dependencies: upstream.map((u) => u.key), files }));
    plans[index] = { ...base, key };
  }
  return plans;
}

/**
 * Keeps a cell that ran well in the cache (the CLI's runner and the editor's controller alike); what it
 * returns is why it was not kept. `snapshot` asks the kernel for the values of the cell's names.
 */
export async function keepInCache(
  store: ResultsCache,
  plan: CellCachePlan,
  outputs: readonly NotebookOutput[],
  truncated: boolean,
  snapshot: (names: readonly string[], maxChars: number) => Promise<{ readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string } | undefined>,
): Promise<string | undefined> {
  if (!plan.key) return `not cached: ${plan.why}`;
  if (plan.notRestorable) return `not cached: ${plan.notRestorable}`;
  // A cut output depends on the other cells' output sizes, which a key does not cover.
  if (truncated) return 'not cached: its output was truncated';
  const values = await snapshot(plan.names, store.maxBytes);
  if (!values) return 'not cached: the kernel ended before its values could be kept';
  if (!values.ok) return `not cached: ${values.reason}`;
  const stored = await store.put(plan.key, { outputs, values: values.text });
  return stored.stored ? undefined : `not cached: ${stored.reason}`;
}
