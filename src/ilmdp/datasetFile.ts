/**
 * Datasets kept beside a .ilmdp file: CSV with a header (episode, step, state, action[, reward]) or JSON
 * Lines with the same fields. States and actions are names (or indices). Every bad row is reported with
 * its line number; the rest of the file still loads so one typo does not hide the whole dataset.
 *
 * The text is read in one pass, line by line, into growing typed arrays: a 50 MB file costs its text
 * plus 16 bytes per row, not an object per row (which took ~10× the file's size before).
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

function rowError(line: number, message: string): Diagnostic {
  return { severity: 'error', code: 'dataset-row', message, path: '', start: { line, column: 1 }, end: { line, column: 1 } };
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
  push(e: number, h: number, s: number, a: number): void {
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
    }
    const i = this.length++;
    this.episode[i] = e;
    this.step[i] = h;
    this.state[i] = s;
    this.action[i] = a;
  }
}

/** A cell holding an integer becomes that number (so "007" and "7" name one episode); anything else stays text. */
function integerOrText(cell: string): number | string {
  const t = cell.trim();
  return /^-?\d+$/.test(t) ? Number(t) : cell;
}

export function parseDatasetFile(text: string, format: DatasetFileFormat, mdp: MDP, file = 'dataset'): { dataset?: Dataset; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let badRows = 0;
  const bad = (line: number, message: string) => {
    badRows++;
    if (diagnostics.length < MAX_ROW_DIAGNOSTICS) diagnostics.push(rowError(line, `${file} row ${line}: ${message}`));
  };
  const stateIndex = nameIndex(mdp.stateNames);
  const actionIndex = nameIndex(mdp.actionNames);
  const episodes = new Map<string, number>();
  const columns = new Columns();
  const none = {};
  let lastEpisodeValue: unknown = none;
  let lastEpisodeIndex = -1;
  const accept = (line: number, episode: unknown, step: unknown, state: unknown, action: unknown) => {
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step >= mdp.H) {
      bad(line, `step ${JSON.stringify(step)} must be an integer in 0…${mdp.H - 1}`);
      return;
    }
    const s = resolve(state, stateIndex, mdp.nS);
    if (s < 0) {
      bad(line, `unknown state ${JSON.stringify(state)}`);
      return;
    }
    const a = resolve(action, actionIndex, mdp.nA);
    if (a < 0) {
      bad(line, `unknown action ${JSON.stringify(action)}`);
      return;
    }
    // Rows of one episode are usually consecutive: the previous row's episode is checked first.
    if (episode !== lastEpisodeValue) {
      const key = String(episode);
      let e = episodes.get(key);
      if (e === undefined) {
        e = episodes.size;
        episodes.set(key, e);
      }
      lastEpisodeValue = episode;
      lastEpisodeIndex = e;
    }
    columns.push(lastEpisodeIndex, step, s, a);
  };

  let pos = 0;
  let lineNo = 0;
  const nextLine = (): string | undefined => {
    if (pos > text.length) return undefined;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(pos, end - 1) : text.slice(pos, end);
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
    let lastEpisodeText: string | undefined;
    let lastEpisode: unknown;
    while (pos <= text.length) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = text.length;
      const lineEnd = text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const lineStart = pos;
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
        bad(lineNo, `expected ${header.length} columns, found ${cells}`);
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
    for (let line = nextLine(); line !== undefined; line = nextLine()) {
      if (line.trim() === '') continue;
      let row: { episode?: unknown; step?: unknown; state?: unknown; action?: unknown };
      try {
        row = JSON.parse(line) as typeof row;
        if (!isRecord(row)) throw new Error('not an object');
      } catch {
        bad(lineNo, 'not a JSON object with episode, step, state, action');
        continue;
      }
      accept(lineNo, row.episode, row.step, row.state, row.action);
    }
  }
  if (badRows > diagnostics.length) {
    const last = diagnostics[diagnostics.length - 1].start.line;
    diagnostics.push(rowError(last, `${file}: ${badRows - diagnostics.length} more bad rows after row ${last} (fix the ones above first)`));
  }
  const N = episodes.size;
  const { H } = mdp;
  const states = new Int32Array(N * H).fill(-1);
  const actions = new Int32Array(N * H).fill(-1);
  for (let i = 0; i < columns.length; i++) {
    const at = columns.episode[i] * H + columns.step[i];
    states[at] = columns.state[i];
    actions[at] = columns.action[i];
  }
  return { dataset: { nS: mdp.nS, nA: mdp.nA, H, N, states, actions }, diagnostics };
}
