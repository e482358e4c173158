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
    const key = String(episode);
    let e = episodes.get(key);
    if (e === undefined) {
      e = episodes.size;
      episodes.set(key, e);
    }
    columns.push(e, step, s, a);
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
    const [ce, cs, cst, ca] = ['episode', 'step', 'state', 'action'].map((c) => header.indexOf(c));
    const missing = ['episode', 'step', 'state', 'action'].filter((c) => !header.includes(c));
    if (missing.length > 0) {
      return { diagnostics: [rowError(1, `${file}: the header needs the columns episode, step, state, action; missing ${missing.join(', ')}`)] };
    }
    const num = (c: string) => (/^-?\d+$/.test(c.trim()) ? Number(c.trim()) : c);
    for (let line = nextLine(); line !== undefined; line = nextLine()) {
      if (line.trim() === '') continue;
      const cells = line.split(',');
      if (cells.length < header.length) {
        bad(lineNo, `expected ${header.length} columns, found ${cells.length}`);
        continue;
      }
      accept(lineNo, num(cells[ce]), num(cells[cs]), cells[cst], cells[ca]);
    }
  } else {
    for (let line = nextLine(); line !== undefined; line = nextLine()) {
      if (line.trim() === '') continue;
      let row: { episode?: unknown; step?: unknown; state?: unknown; action?: unknown };
      try {
        row = JSON.parse(line) as typeof row;
        if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new Error('not an object');
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
