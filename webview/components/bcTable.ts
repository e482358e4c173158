/**
 * π^BC_h(a|s) beside the counts n_h(s, a) it came from, one table per step, with the unseen states
 * (played uniformly) and anything the builder left out stated in words. A gridworld's policy is drawn
 * on its map above, and the map's step slider and the table's step picker follow each other.
 */
import type { BcTableRowView, BcTableStepView, BcTableView } from '../../src/shared/viewModels';
import { DEFAULT_SORT, filterRows, nextSort, omittedLine, sortRows, stepLabel, unseenLine, type SortColumn, type SortState } from './bcTableModel';
import { el, type Disposable } from './dom';
import { missingMassLine, short } from './format';
import { policyPicture } from './viewPictures';

const ALL = 'all';

function actionName(view: BcTableView, a: number): string {
  return view.actionNames[a] ?? `a${a}`;
}

export function renderBcTable(container: HTMLElement, view: BcTableView): Disposable {
  let sort: SortState = DEFAULT_SORT;
  let query = '';
  let selected = view.steps.length > 8 ? String(view.steps[0]?.h ?? ALL) : ALL;

  const select = el('select', { attrs: { 'aria-label': 'step' } });
  if (view.steps.length > 1) select.append(el('option', { text: 'all steps', attrs: { value: ALL } }));
  for (const step of view.steps) select.append(el('option', { text: step.h === 0 ? 'pooled' : `h = ${step.h}`, attrs: { value: String(step.h) } }));
  select.value = selected;
  const filter = el('input', { attrs: { type: 'search', placeholder: 'filter states', 'aria-label': 'filter states by name' } });
  const body = el('div');

  const summary = `|S| = ${view.nS}, |A| = ${view.nA}, H = ${view.H}, ${view.stationary ? 'stationary policy (counts pooled over steps)' : 'one policy per step'}`;
  const root = el(
    'div',
    { className: 'iln-view iln-bc-table' },
    el('div', { className: 'iln-title', text: view.title }),
    el('div', { className: 'iln-caption', text: summary }),
  );
  if (view.missingMass) root.append(el('div', { className: 'iln-mass', text: missingMassLine(view.missingMass) }));
  const picture = policyPicture(view);
  if (picture) root.append(picture.element);
  root.append(el('div', { className: 'iln-toolbar' }, el('label', {}, 'show ', select), filter));
  if (view.omittedSteps > 0) root.append(el('div', { className: 'iln-note', text: `${view.omittedSteps} more ${view.omittedSteps === 1 ? 'step' : 'steps'} not included in this output` }));
  root.append(body);
  container.append(root);
  // The map's step slider and the step picker are one choice: moving either moves the other.
  const followMap = (h: number) => {
    if (![...select.options].some((o) => o.value === String(h))) return;
    selected = String(h);
    select.value = selected;
    draw();
  };
  let drawnPicture = picture?.draw({ onStep: followMap });

  function header(column: SortColumn, label: string, extra = ''): HTMLTableCellElement {
    const th = el('th', { className: `iln-sortable ${extra}`.trim(), text: label, attrs: { tabindex: '0', scope: 'col' } });
    th.dataset.column = column;
    if (sort.column === column) th.setAttribute('aria-sort', sort.direction === 'asc' ? 'ascending' : 'descending');
    return th;
  }

  // Expert (deterministic or stochastic) policies come without counts: only π is shown.
  const hasCounts = view.steps.some((s) => s.rows.some((r) => r.counts.length > 0));

  function table(rows: readonly BcTableRowView[]): HTMLElement {
    const groups = el(
      'tr',
      {},
      el('th', { attrs: { colspan: '2' } }),
      ...(hasCounts ? [el('th', { className: 'iln-group', text: 'counts n_h(s, a)', attrs: { colspan: String(view.nA + 1) } })] : []),
      el('th', { className: 'iln-group', text: hasCounts ? 'π^BC_h(a | s)' : 'π_h(a | s)', attrs: { colspan: String(view.nA) } }),
    );
    const heads = el('tr', {}, header('state', '#'), header('name', 'state', 'iln-left'));
    if (hasCounts) {
      for (let a = 0; a < view.nA; a++) heads.append(header(`n:${a}`, actionName(view, a), a === 0 ? 'iln-group' : ''));
      heads.append(header('total', 'total'));
    }
    for (let a = 0; a < view.nA; a++) heads.append(header(`p:${a}`, actionName(view, a), a === 0 ? 'iln-group' : ''));
    const tbody = el('tbody');
    for (const row of rows) {
      const tr = el('tr', {}, el('td', { text: String(row.state) }), el('td', { className: 'iln-left', text: row.name }));
      if (hasCounts) {
        let total = 0;
        for (let a = 0; a < view.nA; a++) {
          const n = row.counts[a] ?? 0;
          total += n;
          tr.append(el('td', { className: a === 0 ? 'iln-group' : '', text: String(n) }));
        }
        tr.append(el('td', { text: String(total) }));
      }
      for (let a = 0; a < view.nA; a++) tr.append(el('td', { className: a === 0 ? 'iln-group' : '', text: short(row.probabilities[a] ?? 0, 4) }));
      tbody.append(tr);
    }
    return el('div', { className: 'iln-table-scroll' }, el('table', { className: 'iln-table' }, el('thead', {}, groups, heads), tbody));
  }

  function stepBlock(step: BcTableStepView): HTMLElement {
    const rows = sortRows(filterRows(step.rows, query), sort);
    const block = el('section', { className: 'iln-step' }, el('div', { className: 'iln-step-title', text: stepLabel(step.h) }), el('div', { className: 'iln-note', text: unseenLine(step, view.nA) }));
    const omitted = omittedLine(step);
    if (omitted) block.append(el('div', { className: 'iln-note', text: omitted }));
    if (query.trim() !== '') block.append(el('div', { className: 'iln-note', text: `${rows.length} of ${step.rows.length} rows match “${query.trim()}”` }));
    if (rows.length > 0) block.append(table(rows));
    return block;
  }

  function draw(): void {
    const steps = selected === ALL ? view.steps : view.steps.filter((s) => String(s.h) === selected);
    body.replaceChildren(...steps.map(stepBlock));
    if (steps.length === 0) body.append(el('div', { className: 'iln-note', text: 'no steps in this output' }));
  }

  function onHeader(event: Event): void {
    if (event instanceof KeyboardEvent && event.key !== 'Enter' && event.key !== ' ') return;
    const th = (event.target as HTMLElement).closest('th');
    const column = th?.dataset.column;
    if (!column) return;
    event.preventDefault();
    sort = nextSort(sort, column);
    draw();
    body.querySelector<HTMLElement>(`th[data-column="${column}"]`)?.focus();
  }

  body.addEventListener('click', onHeader);
  body.addEventListener('keydown', onHeader);
  select.addEventListener('change', () => {
    selected = select.value;
    draw();
    if (picture && selected !== ALL && selected !== '0') {
      drawnPicture?.dispose();
      drawnPicture = picture.draw({ step: Number(selected), onStep: followMap });
    }
  });
  filter.addEventListener('input', () => {
    query = filter.value;
    draw();
  });
  draw();

  return {
    dispose() {
      drawnPicture?.dispose();
      root.remove();
    },
  };
}
