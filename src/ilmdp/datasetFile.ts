/**
 * Datasets kept beside a .ilmdp file: CSV with a header (episode, step, state, action[, reward]) or JSON
 * Lines with the same fields. States and actions are names (or indices). Every bad row is reported with
 * its line number; the rest of the file still loads so one typo does not hide the whole dataset.
 */
import type { Dataset } from '../core/dataset';
import type { MDP } from '../core/mdp';
import type { Diagnostic } from './diagnostics';

export type DatasetFileFormat = 'csv' | 'jsonl';

export function datasetFormatOf(path: string): DatasetFileFormat | undefined {
  const lower = path.toLowerCase();
  return lower.endsWith('.csv') ? 'csv' : lower.endsWith('.jsonl') ? 'jsonl' : undefined;
}

interface Row {
  episode: unknown;
  step: unknown;
  state: unknown;
  action: unknown;
}

function rowError(line: number, message: string): Diagnostic {
  return { severity: 'error', code: 'dataset-row', message, path: '', start: { line, column: 1 }, end: { line, column: 1 } };
}

function resolve(value: unknown, names: readonly string[] | undefined, count: number): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value >= 0 && value < count ? value : -1;
  const text = String(value).trim();
  const byName = names ? names.indexOf(text) : -1;
  if (byName >= 0) return byName;
  return /^\d+$/.test(text) && Number(text) < count ? Number(text) : -1;
}

export function parseDatasetFile(text: string, format: DatasetFileFormat, mdp: MDP, file = 'dataset'): { dataset?: Dataset; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const rows: { line: number; row: Row }[] = [];
  const lines = text.split(/\r?\n/);
  if (format === 'csv') {
    const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
    const column = (name: string) => header.indexOf(name);
    const missing = ['episode', 'step', 'state', 'action'].filter((c) => column(c) < 0);
    if (missing.length > 0) {
      return { diagnostics: [rowError(1, `${file}: the header needs the columns episode, step, state, action; missing ${missing.join(', ')}`)] };
    }
    for (let i = 1; i < lines.length; i++) {
      if (lines[i].trim() === '') continue;
      const cells = lines[i].split(',');
      if (cells.length < header.length) {
        diagnostics.push(rowError(i + 1, `${file} row ${i + 1}: expected ${header.length} columns, found ${cells.length}`));
        continue;
      }
      const num = (c: string) => (/^-?\d+$/.test(c.trim()) ? Number(c.trim()) : c);
      rows.push({ line: i + 1, row: { episode: num(cells[column('episode')]), step: num(cells[column('step')]), state: cells[column('state')], action: cells[column('action')] } });
    }
  } else {
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const value = JSON.parse(line) as Row;
        if (typeof value !== 'object' || value === null) throw new Error('not an object');
        rows.push({ line: i + 1, row: value });
      } catch {
        diagnostics.push(rowError(i + 1, `${file} row ${i + 1}: not a JSON object with episode, step, state, action`));
      }
    });
  }
  const episodes = new Map<string, number>();
  const pending: { episode: number; step: number; s: number; a: number }[] = [];
  for (const { line, row } of rows) {
    const step = row.step;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step >= mdp.H) {
      diagnostics.push(rowError(line, `${file} row ${line}: step ${JSON.stringify(step)} must be an integer in 0…${mdp.H - 1}`));
      continue;
    }
    const s = resolve(row.state, mdp.stateNames, mdp.nS);
    const a = resolve(row.action, mdp.actionNames, mdp.nA);
    if (s < 0) {
      diagnostics.push(rowError(line, `${file} row ${line}: unknown state ${JSON.stringify(row.state)}`));
      continue;
    }
    if (a < 0) {
      diagnostics.push(rowError(line, `${file} row ${line}: unknown action ${JSON.stringify(row.action)}`));
      continue;
    }
    const key = String(row.episode);
    if (!episodes.has(key)) episodes.set(key, episodes.size);
    pending.push({ episode: episodes.get(key)!, step, s, a });
  }
  const N = episodes.size;
  const states = new Int32Array(N * mdp.H).fill(-1);
  const actions = new Int32Array(N * mdp.H).fill(-1);
  for (const p of pending) {
    states[p.episode * mdp.H + p.step] = p.s;
    actions[p.episode * mdp.H + p.step] = p.a;
  }
  return { dataset: { nS: mdp.nS, nA: mdp.nA, H: mdp.H, N, states, actions }, diagnostics };
}
