/**
 * Datasets kept beside a .ilmdp file: CSV with a header (episode, step, state, action[, reward]) or JSON
 * Lines with the same fields. States and actions are names (or indices). Every bad row is reported with
 * its line number and the column of the field at fault; the rest of the file still loads so one typo
 * does not hide the whole dataset. Reading the file from disk (folder, kind, size) is datasetAccess.ts.
 *
 * The text is read in one pass, line by line, into growing typed arrays: a 50 MB file costs its text
 * plus 20 bytes per row, not an object per row (which took ~10× the file's size before). Duplicates and
 * gaps are found afterwards, on the dataset's cells.
 */
import type { Dataset } from '../core/dataset';
import type { MDP } from '../core/mdp';
import type { Diagnostic } from './diagnostics';
import { isRecord } from '../core/guards';

export type DatasetFileFormat = 'csv' | 'jsonl';

/** Bad rows reported one by one; past this many, one more diagnostic gives the count of the rest. */
export const MAX_ROW_DIAGNOSTICS = 200;

export function datasetFormatOf(path: string): DatasetFileFormat | undefined {
  const lower = path.toLowerCase();
  return lower.endsWith('.csv') ? 'csv' : lower.endsWith('.jsonl') ? 'jsonl' : undefined;
}

function rowError(line: number, message: string, column = 1, endColumn = column): Diagnostic {
  return { severity: 'error', code: 'dataset-row', message, path: '', start: { line, column }, end: { line, column: Math.max(column, endColumn) } };
}

function nameIndex(names: readonly string[] | undefined): Map<string, number> {
  const out = new Map<string, number>();
  names?.forEach((n, i) => out.set(n, i));
  return out;
}

function resolve(value: unknown, byName: ReadonlyMap<string, number>, count: number): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value >= 0 && value < count ? value : -1;
  // Most cells are a name exactly as written: one lookup, no trimming.
  const exact = typeof value === 'string' ? byName.get(value) : undefined;
  if (exact !== undefined) return exact;
  const text = String(value).trim();
  const i = byName.get(text);
  if (i !== undefined) return i;
  return /^\d+$/.test(text) && Number(text) < count ? Number(text) : -1;
}

/** Int32 columns that double when full. */
class Columns {
  length = 0;
  episode = new Int32Array(1024);
  step = new Int32Array(1024);
  state = new Int32Array(1024);
  action = new Int32Array(1024);
  /** The row each came from, for messages about the dataset as a whole (duplicates, gaps). */
  line = new Int32Array(1024);
  push(e: number, h: number, s: number, a: number, line: number): void {
    if (this.length === this.episode.length) {
      const grow = (x: Int32Array) => {
        const y = new Int32Array(x.length * 2);
        y.set(x);
        return y;
      };
      this.episode = grow(this.episode);
      this.step = grow(this.step);
      this.state = grow(this.state);
      this.action = grow(this.action);
      this.line = grow(this.line);
    }
    const i = this.length++;
    this.episode[i] = e;
    this.step[i] = h;
    this.state[i] = s;
    this.action[i] = a;
    this.line[i] = line;
  }
}

/** A cell holding an integer becomes that number (so "007" and "7" name one episode); anything else stays text. */
function integerOrText(cell: string): number | string {
  const t = cell.trim();
  // Past 2^53 two different ids would round to one number and merge two episodes: they stay text.
  return /^-?\d+$/.test(t) && Number.isSafeInteger(Number(t)) ? Number(t) : cell;
}

/**
 * (episode, step) pairs a file may describe: the dataset's arrays hold N·H cells each, so a few rows
 * with large episode ids and a long horizon cannot ask for gigabytes.
 */
export const MAX_DATASET_PAIRS = 100_000_000;

interface RowProblem {
  readonly line: number;
  readonly column: number;
  readonly endColumn: number;
  readonly message: string;
}

type Field = 'episode' | 'step' | 'state' | 'action';
/** 1-based character columns of a field in its line, end exclusive (the editor's range). */
type Span = readonly [number, number];

/** The value of `"key":` in one JSON line, or the whole line when the key is not written there. */
function jsonFieldSpan(line: string, key: Field): Span {
  const m = new RegExp(`"${key}"\\s*:\\s*`).exec(line);
  if (!m) return [1, line.length + 1];
  const start = m.index + m[0].length;
  let end = start;
  if (line[start] === '"') {
    end = start + 1;
    while (end < line.length && line[end] !== '"') end += line[end] === '\\' ? 2 : 1;
    end = Math.min(line.length, end + 1);
  } else while (end < line.length && !/[,}\s]/.test(line[end])) end++;
  return [start + 1, Math.max(start + 1, end) + 1];
}

/** Where JSON.parse stopped, when its message says (V8 writes "at position N"). */
function jsonErrorColumn(error: unknown, line: string): number {
  const m = error instanceof Error ? /position (\d+)/.exec(error.message) : null;
  return m ? Math.min(Number(m[1]), line.length) + 1 : 1;
}

/**
 * The file's rows as a dataset, and a diagnostic for every problem, at the row and the field's column.
 * A row that cannot be used is left out; two rows for one (episode, step) keep the first. An episode may
 * stop before H (the rest of it is unobserved, state −1 in the core) but may not skip a step: a missing
 * step before its last row is an error at the episode's first row (a missing row usually means a lost
 * or mislabelled one). Like every bad row it does not stop the rest from loading: the core reads any
 * unobserved cell as −1, so the editor can still show the statistics beside the errors.
 */
export function parseDatasetFile(text: string, format: DatasetFileFormat, mdp: MDP, file = 'dataset'): { dataset?: Dataset; diagnostics: Diagnostic[] } {
  // Problems found while reading, in row order; those of the whole dataset (duplicates, gaps) join after.
  const found: RowProblem[] = [];
  let badRows = 0;
  const bad = (line: number, message: string, [column, endColumn]: Span = [1, 1]) => {
    badRows++;
    if (found.length < MAX_ROW_DIAGNOSTICS) found.push({ line, column, endColumn, message: `${file} row ${line}: ${message}` });
  };
  const stateIndex = nameIndex(mdp.stateNames);
  const actionIndex = nameIndex(mdp.actionNames);
  const episodes = new Map<string, number>();
  const episodeNames: string[] = [];
  const firstLine: number[] = [];
  const columns = new Columns();
  // (episode, step) of rows left out for their own reason: the gap they leave is already reported.
  const leftOut = new Set<string>();
  const LEFT_OUT_KEPT = 100_000;
  const none = {};
  let lastEpisodeValue: unknown = none;
  let lastEpisodeIndex = -1;
  // Set per format: where a field of the current row is, computed only for a row that has a problem.
  let locate: (field: Field) => Span = () => [1, 1];
  const accept = (line: number, episode: unknown, step: unknown, state: unknown, action: unknown) => {
    const named = (typeof episode === 'number' && Number.isInteger(episode)) || (typeof episode === 'string' && episode.trim() !== '');
    if (!named) {
      bad(line, `episode ${JSON.stringify(episode) ?? 'is missing; it'} must be an integer or a name`, locate('episode'));
      return;
    }
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step >= mdp.H) {
      bad(line, `step ${JSON.stringify(step) ?? '(missing)'} must be an integer in 0…${mdp.H - 1}`, locate('step'));
      return;
    }
    const s = resolve(state, stateIndex, mdp.nS);
    const a = s < 0 ? -1 : resolve(action, actionIndex, mdp.nA);
    if (s < 0 || a < 0) {
      if (leftOut.size < LEFT_OUT_KEPT) leftOut.add(`${String(episode)}\u0000${step}`);
      if (s < 0) bad(line, `unknown state ${JSON.stringify(state) ?? '(missing)'}`, locate('state'));
      else bad(line, `unknown action ${JSON.stringify(action) ?? '(missing)'}`, locate('action'));
      return;
    }
    // Rows of one episode are usually consecutive: the previous row's episode is checked first.
    if (episode !== lastEpisodeValue) {
      const key = String(episode);
      let e = episodes.get(key);
      if (e === undefined) {
        e = episodes.size;
        episodes.set(key, e);
        episodeNames.push(key);
        firstLine.push(line);
      }
      lastEpisodeValue = episode;
      lastEpisodeIndex = e;
    }
    columns.push(lastEpisodeIndex, step, s, a, line);
  };

  let pos = 0;
  let lineNo = 0;
  const nextLine = (): string | undefined => {
    if (pos > text.length) return undefined;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 && end - 1 >= pos ? text.slice(pos, end - 1) : text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    return line;
  };

  if (format === 'csv') {
    const header = (nextLine() ?? '').split(',').map((h) => h.trim().toLowerCase());
    const wanted = ['episode', 'step', 'state', 'action'].map((c) => header.indexOf(c));
    const missing = ['episode', 'step', 'state', 'action'].filter((c) => !header.includes(c));
    if (missing.length > 0) {
      return { diagnostics: [rowError(1, `${file}: the header needs the columns episode, step, state, action; missing ${missing.join(', ')}`)] };
    }
    // Cells are located by index in the text and only the four needed are cut out: no array per line.
    const cellStart = new Int32Array(header.length);
    const cellEnd = new Int32Array(header.length);
    const cell = (c: number) => text.slice(cellStart[wanted[c]], cellEnd[wanted[c]]);
    const fieldIndex: Record<Field, number> = { episode: 0, step: 1, state: 2, action: 3 };
    let lineStart = 0;
    locate = (field) => {
      const c = wanted[fieldIndex[field]];
      return [cellStart[c] - lineStart + 1, cellEnd[c] - lineStart + 1];
    };
    let lastEpisodeText: string | undefined;
    let lastEpisode: unknown;
    while (pos <= text.length) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = text.length;
      lineStart = pos;
      const lineEnd = text.charCodeAt(end - 1) === 13 && end - 1 >= lineStart ? end - 1 : end;
      pos = end + 1;
      lineNo++;
      let cells = 0;
      for (let at = lineStart; ; ) {
        let comma = text.indexOf(',', at);
        if (comma < 0 || comma > lineEnd) comma = lineEnd;
        if (cells < header.length) {
          cellStart[cells] = at;
          cellEnd[cells] = comma;
        }
        cells++;
        if (comma === lineEnd) break;
        at = comma + 1;
      }
      if (cells === 1 && text.slice(lineStart, lineEnd).trim() === '') continue;
      if (cells < header.length) {
        const width = lineEnd - lineStart;
        bad(lineNo, `expected ${header.length} columns, found ${cells}`, [width + 1, width + 1]);
        continue;
      }
      const episodeText = cell(0);
      if (episodeText !== lastEpisodeText) {
        lastEpisodeText = episodeText;
        lastEpisode = integerOrText(episodeText);
      }
      accept(lineNo, lastEpisode, integerOrText(cell(1)), cell(2), cell(3));
    }
  } else {
    let current = '';
    locate = (field) => jsonFieldSpan(current, field);
    for (let line = nextLine(); line !== undefined; line = nextLine()) {
      if (line.trim() === '') continue;
      current = line;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch (error) {
        const column = jsonErrorColumn(error, line);
        bad(lineNo, 'not a JSON object with episode, step, state, action', [column, column]);
        continue;
      }
      if (!isRecord(row) || Array.isArray(row)) {
        bad(lineNo, 'not a JSON object with episode, step, state, action', [1, line.length + 1]);
        continue;
      }
      accept(lineNo, row.episode, row.step, row.state, row.action);
    }
  }

  const N = episodes.size;
  const { H } = mdp;
  if (N * H > MAX_DATASET_PAIRS) {
    return {
      diagnostics: [
        rowError(
          firstLine[0] ?? 1,
          `${file}: ${N} episodes of H = ${H} steps are ${N * H} (episode, step) cells, more than the ${MAX_DATASET_PAIRS} a dataset file may hold; split the file into several datasets`,
        ),
      ],
    };
  }
  const whole: RowProblem[] = [];
  const wholeBad = (line: number, message: string) => {
    badRows++;
    if (whole.length < MAX_ROW_DIAGNOSTICS) whole.push({ line, column: 1, endColumn: 1, message: `${file} row ${line}: ${message}` });
  };
  const states = new Int32Array(N * H).fill(-1);
  const actions = new Int32Array(N * H).fill(-1);
  // The row each cell came from (0: none), to name both rows of a duplicate.
  const rowOf = new Int32Array(N * H);
  for (let i = 0; i < columns.length; i++) {
    const at = columns.episode[i] * H + columns.step[i];
    if (rowOf[at] !== 0) {
      wholeBad(columns.line[i], `episode ${episodeNames[columns.episode[i]]} step ${columns.step[i]} is also on row ${rowOf[at]}; each (episode, step) may appear once, so this row is left out`);
      continue;
    }
    rowOf[at] = columns.line[i];
    states[at] = columns.state[i];
    actions[at] = columns.action[i];
  }
  const gaps: RowProblem[] = [];
  for (let e = 0; e < N; e++) {
    let last = H - 1;
    while (last >= 0 && rowOf[e * H + last] === 0) last--;
    let gap = 0;
    while (gap < last && rowOf[e * H + gap] !== 0) gap++;
    if (gap >= last) continue;
    // A gap left by a bad row is that row's problem, already reported.
    if (leftOut.has(`${episodeNames[e]}\u0000${gap}`)) continue;
    badRows++;
    if (gaps.length < MAX_ROW_DIAGNOSTICS) {
      gaps.push({
        line: firstLine[e],
        column: 1,
        endColumn: 1,
        message: `${file} row ${firstLine[e]}: episode ${episodeNames[e]} has no row for step ${gap} but has rows up to step ${last}; an episode may end early (the rest is unobserved) but may not skip a step`,
      });
    }
  }
  // Each list is in row order and holds its first MAX_ROW_DIAGNOSTICS: their union's first ones are the file's.
  const all = [...found, ...whole, ...gaps].sort((x, y) => x.line - y.line).slice(0, MAX_ROW_DIAGNOSTICS);
  const diagnostics = all.map((p) => rowError(p.line, p.message, p.column, p.endColumn));
  if (badRows > diagnostics.length) {
    const last = diagnostics[diagnostics.length - 1].start.line;
    diagnostics.push(rowError(last, `${file}: ${badRows - diagnostics.length} more bad rows after row ${last} (fix the ones above first)`));
  }
  return { dataset: { nS: mdp.nS, nA: mdp.nA, H, N, states, actions }, diagnostics };
}
