/**
 * An MDP written out: ρ(s), r_h(s, a) and P_h(s' | s, a), one row per (s, a), a page of states at a
 * time (previous / next buttons, the range in a live region), with a step picker for per-step MDPs.
 * Small MDPs get a column per next state; larger ones list each row's entries.
 */
import type { MdpView } from '../../src/shared/viewModels';
import { mdpActionName, mdpStateName } from '../../src/shared/viewText';
import { el, type Disposable } from './dom';
import { short } from './format';
import { denseCells, isDense, lastPage, listedRow, mdpCaption, rowSum, STATES_PER_PAGE, statesLine, stepOptionLabel } from './mdpTableModel';
import { clampPage, pageRange } from './paging';
import { graphPicture } from './viewPictures';

export function renderMdpTable(container: HTMLElement, view: MdpView): Disposable {
  let page = 0;
  let stepIndex = 0;
  const dense = isDense(view);

  const root = el('div', { className: 'iln-view iln-mdp' }, el('div', { className: 'iln-title', text: view.title }), el('div', { className: 'iln-caption', text: mdpCaption(view) }));
  for (const note of view.notes) root.append(el('div', { className: 'iln-note', text: note }));
  // The graph above the tables: the picture first, the numbers behind it below.
  const picture = graphPicture(view);
  if (picture) root.append(picture.element);
  const toolbar = el('div', { className: 'iln-toolbar' });
  if (view.steps.length > 1) {
    const select = el('select', { attrs: { 'aria-label': 'step h' } });
    view.steps.forEach((step, i) => select.append(el('option', { text: stepOptionLabel(step.h), attrs: { value: String(i) } })));
    select.addEventListener('change', () => {
      stepIndex = Number(select.value);
      drawTable();
    });
    toolbar.append(el('label', {}, 'step ', select));
  }
  const prev = el('button', { className: 'iln-secondary', text: '‹ previous states', attrs: { type: 'button', 'aria-label': `previous ${STATES_PER_PAGE} states` } });
  const next = el('button', { className: 'iln-secondary', text: 'next states ›', attrs: { type: 'button', 'aria-label': `next ${STATES_PER_PAGE} states` } });
  const label = el('span', { className: 'iln-muted', attrs: { 'aria-live': 'polite' } });
  const pager = el('div', { className: 'iln-pager' }, prev, label, next);
  toolbar.append(pager);
  const tableHost = el('div', { className: 'iln-table-scroll' });
  root.append(toolbar, tableHost);
  if (view.omittedSteps > 0) root.append(el('div', { className: 'iln-note', text: `${view.omittedSteps} more ${view.omittedSteps === 1 ? 'step' : 'steps'} not included in this output` }));
  container.append(root);
  const drawnPicture = picture?.draw();

  function head(): HTMLTableSectionElement {
    const pColumns = dense ? view.nS + 1 : 1;
    const groups = el(
      'tr',
      {},
      el('th', { attrs: { colspan: '4' } }),
      el('th', { className: 'iln-group', text: "P_h(s' | s, a)", attrs: { colspan: String(pColumns), scope: 'colgroup' } }),
    );
    const names = el(
      'tr',
      {},
      el('th', { className: 'iln-left', text: 'state s', attrs: { scope: 'col' } }),
      el('th', { text: 'ρ(s)', attrs: { scope: 'col' } }),
      el('th', { className: 'iln-left', text: 'action a', attrs: { scope: 'col' } }),
      el('th', { text: 'r_h(s, a)', attrs: { scope: 'col' } }),
    );
    if (dense) {
      for (let s2 = 0; s2 < view.nS; s2++) names.append(el('th', { className: s2 === 0 ? 'iln-group' : '', text: mdpStateName(view, s2), attrs: { scope: 'col' } }));
      names.append(el('th', { text: 'Σ', attrs: { scope: 'col', title: "row sum Σ_s' P(s' | s, a)" } }));
    } else names.append(el('th', { className: 'iln-group iln-left', text: "next states s' with P(s' | s, a)", attrs: { scope: 'col' } }));
    return el('thead', {}, groups, names);
  }

  function drawTable(): void {
    page = clampPage(page, view.rho.length, STATES_PER_PAGE);
    const step = view.steps[stepIndex];
    const { start, end } = pageRange(page, view.rho.length, STATES_PER_PAGE);
    const table = el('table', { className: 'iln-table', attrs: { 'aria-label': `ρ, rewards and transitions, ${stepOptionLabel(step?.h ?? 0)}` } }, head());
    for (let s = start; s < end && step; s++) {
      // One row group per state: its name and ρ(s) span its |A| rows.
      const group = el('tbody');
      for (let a = 0; a < view.nA; a++) {
        const r = s * view.nA + a;
        const tr = el('tr');
        if (a === 0) {
          tr.append(
            el('th', { className: 'iln-left', text: mdpStateName(view, s), attrs: { scope: 'rowgroup', rowspan: String(view.nA) } }),
            el('td', { text: short(view.rho[s], 4), attrs: { rowspan: String(view.nA) } }),
          );
        }
        tr.append(el('td', { className: 'iln-left', text: mdpActionName(view, a) }), el('td', { text: short(step.reward[r], 4) }));
        const row = step.transitions[r];
        if (dense) {
          denseCells(view, row).forEach((text, s2) => tr.append(el('td', { className: s2 === 0 ? 'iln-group' : '', text })));
          tr.append(el('td', { className: 'iln-muted', text: short(rowSum(row), 4) }));
        } else tr.append(el('td', { className: 'iln-group iln-left', text: listedRow(view, row) }));
        group.append(tr);
      }
      table.append(group);
    }
    tableHost.replaceChildren(table);
    label.textContent = statesLine(view, page);
    prev.disabled = page === 0;
    next.disabled = page >= lastPage(view);
    // One page: the line still says how many states there are; the buttons would do nothing.
    prev.hidden = next.hidden = lastPage(view) === 0;
  }

  prev.addEventListener('click', () => {
    page -= 1;
    drawTable();
    // A disabled button loses focus; keep the keyboard user on the pager.
    (prev.disabled ? next : prev).focus();
  });
  next.addEventListener('click', () => {
    page += 1;
    drawTable();
    (next.disabled ? prev : next).focus();
  });
  drawTable();

  return {
    dispose() {
      drawnPicture?.dispose();
      root.remove();
    },
  };
}
