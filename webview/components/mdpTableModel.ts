/** What the MDP table shows, apart from the DOM: pages of states, dense or listed rows of P, labels. */
import type { MdpTransitionRowView, MdpView } from '../../src/shared/viewModels';
import { mdpStateName } from '../../src/shared/viewText';
import { short } from './format';
import { pageCount, pageRange } from './paging';

/** States per page: |A| rows each, so a page of a 2-action MDP is 100 rows. */
export const STATES_PER_PAGE = 50;
/** Up to this many states, P is a matrix with a column per next state; beyond, each row lists its entries. */
export const MAX_DENSE_STATES = 12;

export function isDense(view: MdpView): boolean {
  return view.nS <= MAX_DENSE_STATES;
}

/** "showing states 1–50 of 400", and how many of |S| the output holds when it was cut. */
export function statesLine(view: MdpView, page: number): string {
  const included = view.rho.length;
  const { start, end } = pageRange(page, included, STATES_PER_PAGE);
  const range = end - start === 1 ? `state ${start + 1}` : `states ${start + 1}–${end}`;
  const cut = included < view.nS ? ` (this output holds the first ${included} of ${view.nS})` : '';
  return `showing ${range} of ${included}${cut}`;
}

export function lastPage(view: MdpView): number {
  return pageCount(view.rho.length, STATES_PER_PAGE) - 1;
}

export function mdpCaption(view: MdpView): string {
  const p = view.stationaryTransitions ? 'P the same at every step' : 'P per step';
  const r = view.stationaryRewards ? 'r the same at every step' : 'r per step';
  return `|S| = ${view.nS}, |A| = ${view.nA}, H = ${view.H}; ${p}, ${r}`;
}

export function stepOptionLabel(h: number): string {
  return h === 0 ? 'every step' : `h = ${h}`;
}

/** A dense row: the probability of each next state 0 … |S|−1 ('' where it is 0). */
export function denseCells(view: MdpView, row: MdpTransitionRowView): string[] {
  const cells: string[] = Array.from({ length: view.nS }, () => '');
  row.next.forEach((s2, k) => {
    if (s2 >= 0 && s2 < view.nS) cells[s2] = short(row.prob[k], 4);
  });
  return cells;
}

/** A listed row: "middle 0.9 · start 0.1", with what the output left out of it. */
export function listedRow(view: MdpView, row: MdpTransitionRowView): string {
  const entries = row.next.map((s2, k) => `${mdpStateName(view, s2)} ${short(row.prob[k], 4)}`);
  if (row.omitted > 0) entries.push(`+ ${row.omitted} more (mass ${short(row.omittedMass, 3)})`);
  return entries.length > 0 ? entries.join(' · ') : 'no next state';
}

/** Σ_s' P(s'|s,a) of the row as the MDP holds it (entries shown plus those left out). */
export function rowSum(row: MdpTransitionRowView): number {
  return row.prob.reduce((sum, p) => sum + p, 0) + row.omittedMass;
}
