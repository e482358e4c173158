/** Sorting, filtering and the explanatory lines of the BC table; no DOM. */
import type { BcTableRowView, BcTableStepView } from '../../src/shared/viewModels';
import { short } from './format';

/** 'state', 'name', 'total', or `n:<a>` / `p:<a>` for action a's count or probability. */
export type SortColumn = string;
export type SortDirection = 'asc' | 'desc';

export interface SortState {
  readonly column: SortColumn;
  readonly direction: SortDirection;
}

export const DEFAULT_SORT: SortState = { column: 'state', direction: 'asc' };

function total(row: BcTableRowView): number {
  let t = 0;
  for (const c of row.counts) t += c;
  return t;
}

function key(row: BcTableRowView, column: SortColumn): number | string {
  if (column === 'state') return row.state;
  if (column === 'name') return row.name;
  if (column === 'total') return total(row);
  const [kind, a] = column.split(':');
  const list = kind === 'n' ? row.counts : row.probabilities;
  return list[Number(a)] ?? 0;
}

/** A sorted copy; ties keep state order so a re-sort never shuffles equal rows. */
export function sortRows(rows: readonly BcTableRowView[], sort: SortState): BcTableRowView[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((x, y) => {
    const a = key(x, sort.column);
    const b = key(y, sort.column);
    const c = typeof a === 'string' || typeof b === 'string' ? String(a).localeCompare(String(b), undefined, { numeric: true }) : a - b;
    return c !== 0 ? sign * c : x.state - y.state;
  });
}

/** Clicking the sorted column flips it; a new column starts ascending for labels, descending for numbers. */
export function nextSort(current: SortState, column: SortColumn): SortState {
  if (current.column === column) return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { column, direction: column === 'state' || column === 'name' ? 'asc' : 'desc' };
}

/** Case-insensitive match on the state's name or its index. */
export function filterRows(rows: readonly BcTableRowView[], query: string): BcTableRowView[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...rows];
  return rows.filter((r) => r.name.toLowerCase().includes(q) || String(r.state) === q);
}

export function stepLabel(h: number): string {
  return h === 0 ? 'pooled over all steps (stationary)' : `step h = ${h}`;
}

export function unseenLine(step: BcTableStepView, nA: number): string {
  if (step.unseen === 0) return 'every state was seen at this step';
  const states = step.unseen === 1 ? 'state' : 'states';
  return `${step.unseen} ${states} unseen: π plays uniformly there, 1/|A| = ${short(1 / Math.max(1, nA))} per action`;
}

export function omittedLine(step: BcTableStepView): string | null {
  if (step.omitted <= 0) return null;
  return `${step.omitted} more seen ${step.omitted === 1 ? 'state' : 'states'} not included in this output`;
}
