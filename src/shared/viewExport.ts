/**
 * The data behind a view as CSV (RFC 4180) or JSON, for a panel's Export buttons. CSV says what each
 * number is in its header; JSON is the view model itself, which re-opens in any tool that reads JSON.
 * Everything is what the view holds (downsampled views export their cells, and say so in the header).
 */
import type { BcTableView, DatasetView, HeatmapView, MdpView, PlotView, View } from './viewModels';
import { mdpActionName, mdpStateName } from './viewText';

function field(value: string | number): string {
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}

function span(first: number, last: number): string {
  return first === last ? String(first) : `${first}-${last}`;
}

function heatmapCsv(view: HeatmapView): string {
  const bin = Math.max(1, view.colBin);
  const header = ['steps'];
  for (let c = 0; c < view.cols; c++) {
    const first = c * bin;
    const last = Math.min(view.width, first + bin) - 1;
    header.push(view.columnLabels[c] ?? (bin > 1 ? `columns ${span(first, last)}` : `column ${first}`));
  }
  const rows: (string | number)[][] = [header];
  for (let r = 0; r < view.rows; r++) {
    const first = view.stepStart[r] ?? r * view.rowBin + 1;
    const last = Math.min(view.H, first + Math.max(1, view.rowBin) - 1);
    rows.push([span(first, last), ...view.values.slice(r * view.cols, (r + 1) * view.cols)]);
  }
  return csv(rows);
}

function bcTableCsv(view: BcTableView): string {
  const header = ['step', 'state', 'name', ...view.actionNames.map((a) => `n(${a})`), ...view.actionNames.map((a) => `pi(${a})`)];
  const rows: (string | number)[][] = [header];
  for (const step of view.steps) {
    for (const row of step.rows) {
      const counts = row.counts.length > 0 ? row.counts : view.actionNames.map(() => '');
      rows.push([step.h === 0 ? 'all' : step.h, row.state, row.name, ...counts, ...row.probabilities]);
    }
  }
  return csv(rows);
}

function plotCsv(view: PlotView): string {
  const rows: (string | number)[][] = [['series', view.xLabel, 'y', 'se']];
  for (const series of view.series) for (const p of series.points) rows.push([series.name, p.x, p.y, p.se ?? '']);
  return csv(rows);
}

function datasetCsv(view: DatasetView): string {
  // The columns of a dataset file (docs/ilmdp.md), so an export can be referenced from an .ilmdp.
  const rows: (string | number)[][] = [['episode', 'step', 'state', 'action']];
  view.trajectories.forEach((tr, episode) =>
    tr.forEach(([s, a], step) => {
      if (s < 0) return;
      rows.push([episode, step, view.stateNames[s] ?? s, view.actionNames[a] ?? a]);
    }),
  );
  return csv(rows);
}

function mdpCsv(view: MdpView): string {
  // One line per entry of P_h(s'|s,a), with r_h(s,a) and ρ(s) repeated: a long table any tool pivots.
  const rows: (string | number)[][] = [['step', 'state', 'rho', 'action', 'reward', 'next', 'probability']];
  for (const step of view.steps) {
    step.transitions.forEach((row, r) => {
      const s = Math.floor(r / view.nA);
      const base = [step.h === 0 ? 'all' : step.h, mdpStateName(view, s), view.rho[s], mdpActionName(view, r % view.nA), step.reward[r]];
      row.next.forEach((s2, k) => rows.push([...base, mdpStateName(view, s2), row.prob[k]]));
      if (row.omitted > 0) rows.push([...base, `${row.omitted} more`, row.omittedMass]);
    });
  }
  return csv(rows);
}

export function viewToCsv(view: View): string {
  switch (view.kind) {
    case 'heatmap':
      return heatmapCsv(view);
    case 'bc-table':
      return bcTableCsv(view);
    case 'plot':
      return plotCsv(view);
    case 'dataset':
      return datasetCsv(view);
    case 'mdp':
      return mdpCsv(view);
  }
}

export function viewToJson(view: View): string {
  return `${JSON.stringify(view, null, 2)}\n`;
}

/** A file name for an export: the view's title made safe, with the format's extension. */
export function exportFileName(view: View, format: 'png' | 'csv' | 'json'): string {
  const base = view.kind === 'plot' ? 'gap-plot' : view.kind;
  return `${base}.${format}`;
}
