/**
 * Plain-text renderings of the views: the `text/plain` fallback beside every rich output (a notebook
 * opened without the renderer, the CLI, a diff) stays a readable table.
 */
import type { SweepResult } from '../core/experiments';
import type { GridView } from './gridView';
import type { BcTableView, DatasetGridView, DatasetView, HeatmapView, MdpView, PlotView, View } from './viewModels';

const MAX_TEXT_ROWS = 40;
const MAX_TEXT_COLS = 12;

export function formatNumber(x: number): string {
  if (x === 0) return '0';
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? x.toFixed(4).replace(/0+$/, '').replace(/\.$/, '') : x.toExponential(3);
}

/** Columns right-aligned (numbers), except the last when `textLast` (a list of words reads left to right). */
function table(header: readonly string[], rows: readonly (readonly string[])[], textLast = false): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const pad = (cell: string, c: number) => (textLast && c === header.length - 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]));
  const line = (cells: readonly string[]) => cells.map(pad).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

function more(shown: number, total: number, what: string): string[] {
  return shown < total ? [`… ${total - shown} more ${what}`] : [];
}

export function heatmapText(v: HeatmapView): string {
  const cols = Math.min(v.cols, MAX_TEXT_COLS);
  const rows = Math.min(v.rows, MAX_TEXT_ROWS);
  const colName = (c: number) => v.columnLabels[c] ?? (v.colBin === 1 ? `#${c}` : `#${c * v.colBin}–${Math.min(v.width, (c + 1) * v.colBin) - 1}`);
  const stepName = (r: number) => (v.rowBin === 1 ? `h=${v.stepStart[r]}` : `h=${v.stepStart[r]}–${Math.min(v.H, v.stepStart[r] + v.rowBin - 1)}`);
  const header = ['step', ...Array.from({ length: cols }, (_, c) => colName(c))];
  const body = Array.from({ length: rows }, (_, r) => [stepName(r), ...Array.from({ length: cols }, (_, c) => formatNumber(v.values[r * v.cols + c]))]);
  // One row that holds at every step was not binned: nothing was averaged to make it.
  const averaged = v.sameAtEveryStep ? 1 : v.rowBin;
  const notes = [
    `${v.title} — ${v.H} steps × ${v.width} ${v.quantity === 'state-action' || v.quantity === 'reward' ? 'state-action pairs' : 'states'}${v.sameAtEveryStep ? ` (one row for all ${v.H} steps)` : ''}${averaged > 1 || v.colBin > 1 ? ` (shown in bins of ${averaged} steps × ${v.colBin} columns)` : ''}${v.value !== undefined ? `, V(π) = ${formatNumber(v.value)}` : ''}`,
  ];
  return [...notes, ...(v.grid ? mapText(v) : []), table(header, body), ...more(cols, v.cols, 'columns'), ...more(rows, v.rows, 'rows')].join('\n');
}

/** A gridworld's map as text, as it is written in the .ilmdp. */
function mapText(v: HeatmapView): string[] {
  const g = v.grid!;
  const lines = ['map (# wall, S start, G goal, C cliff; states are r<row>c<column>):'];
  for (let r = 0; r < Math.min(g.rows, MAX_TEXT_ROWS); r++) lines.push(`  ${g.cells.slice(r * g.cols, (r + 1) * g.cols)}`);
  return [...lines, ...more(Math.min(g.rows, MAX_TEXT_ROWS), g.rows, 'map rows')];
}

/** Characters per line the side-by-side maps of several steps may take. */
const MAP_TEXT_WIDTH = 78;
const ARROW = ['↑', '→', '↓', '←'];

/** Up to `count` of the held steps' indices, evenly spread, always with the first and the last. */
function someSteps(held: number, count: number): number[] {
  if (count >= held) return Array.from({ length: held }, (_, i) => i);
  if (count <= 1) return [0];
  return [...new Set(Array.from({ length: count }, (_, i) => Math.round((i * (held - 1)) / (count - 1))))];
}

/**
 * Maps of several steps side by side, each cell `width` characters from `cell(stepIndex, cellIndex)`,
 * under a heading per step; the rows past MAX_TEXT_ROWS are counted.
 */
function sideBySide(map: GridView, steps: readonly number[], width: number, cell: (j: number, i: number) => string, label: (j: number) => string): string[] {
  const mapWidth = map.cols * width;
  const count = Math.max(1, Math.min(6, Math.floor((MAP_TEXT_WIDTH + 3) / (mapWidth + 3))));
  const shown = someSteps(steps.length, count);
  const column = Math.max(mapWidth, ...shown.map((j) => label(j).length));
  const lines = [shown.map((j) => label(j).padEnd(column)).join('   ').trimEnd()];
  const rows = Math.min(map.rows, MAX_TEXT_ROWS);
  for (let r = 0; r < rows; r++) {
    lines.push(shown.map((j) => Array.from({ length: map.cols }, (_, c) => cell(j, r * map.cols + c)).join('').padEnd(column)).join('   ').trimEnd());
  }
  return [...lines.map((l) => `  ${l}`), ...more(rows, map.rows, 'map rows'), ...(shown.length < steps.length ? [`(${shown.length} of the ${steps.length} steps held shown)`] : [])];
}

/** A policy on its map: each cell the arrow of its likeliest action, * where several tie (BC's uniform play, say). */
function policyMapText(map: GridView, stationary: boolean): string[] {
  const o = map.overlay;
  if (!o) return [];
  const nS = o.value.length / o.steps.length;
  const cell = (j: number, i: number) => {
    const ch = map.cells[i];
    const s = map.stateOf[i];
    if (s < 0 || ch === 'G') return ch;
    const p = o.policy.slice((j * nS + s) * 4, (j * nS + s) * 4 + 4);
    const top = Math.max(...p);
    return p.filter((x) => x === top).length > 1 ? '*' : ARROW[p.indexOf(top)];
  };
  return [`${o.expert} on the map (↑ → ↓ ← its likeliest action, * a tie, # wall, G goal, C cliff):`, ...sideBySide(map, stationary ? [o.steps[0]] : o.steps, 1, cell, (j) => (stationary ? 'every step' : `h=${o.steps[j]}`))];
}

/** A dataset on its map: n_h(s) per cell, · where no trajectory is at that step. */
function coverageMapText(g: DatasetGridView): string[] {
  const { map, coverage } = g;
  const nS = coverage.counts.length / coverage.steps.length;
  const width = String(coverage.N).length + 1;
  const cell = (j: number, i: number) => {
    const s = map.stateOf[i];
    if (s < 0) return map.cells[i].repeat(width);
    const n = coverage.counts[j * nS + s];
    return (n === 0 ? '·' : String(n)).padStart(width);
  };
  return [`${g.name} on the map: n_h(s) of ${coverage.N} trajectories per cell (· none at that step, # wall, C cliff):`, ...sideBySide(map, coverage.steps, width, cell, (j) => ` h=${coverage.steps[j]}`)];
}

export function bcTableText(v: BcTableView): string {
  const out: string[] = [`${v.title} — |S|=${v.nS} |A|=${v.nA} H=${v.H}${v.stationary ? ' (stationary)' : ''}`];
  if (v.grid) out.push(...policyMapText(v.grid, v.stationary));
  let printed = 0;
  for (const step of v.steps) {
    if (printed >= MAX_TEXT_ROWS) {
      out.push('… more steps');
      break;
    }
    const hasCounts = step.rows.some((r) => r.counts.length > 0);
    const header = ['state', ...(hasCounts ? v.actionNames.map((a) => `n(${a})`) : []), ...v.actionNames.map((a) => `π(${a})`)];
    const rows = step.rows.slice(0, MAX_TEXT_ROWS - printed).map((r) => [r.name, ...r.counts.map(formatNumber), ...r.probabilities.map(formatNumber)]);
    printed += rows.length;
    out.push('', step.h === 0 ? 'all steps (pooled)' : `step h=${step.h}`, table(header, rows));
    out.push(...more(rows.length, step.rows.length + step.omitted, 'seen states'));
    if (step.unseen > 0) out.push(`${step.unseen} unseen state(s) at this step: π = uniform 1/${v.nA}`);
  }
  if (v.omittedSteps > 0) out.push(`… ${v.omittedSteps} more steps`);
  if (v.missingMass) {
    const m = v.missingMass;
    out.push('', `missing mass ${formatNumber(m.value)}${m.expected !== undefined ? ` (expected ${formatNumber(m.expected)})` : ''}, bound ${m.formula} = ${formatNumber(m.bound)} (N=${m.N})`);
  }
  return out.join('\n');
}

export function plotText(v: PlotView): string {
  const xs = [...new Set(v.series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const header = [v.xLabel, ...v.series.flatMap((s) => (s.role === 'mean' ? [s.name.replace(/ \(± s\.e\.\)$/, ''), 's.e.'] : [s.name]))];
  const rows = xs.map((x) => [
    String(x),
    ...v.series.flatMap((s) => {
      const p = s.points.find((q) => q.x === x);
      const y = p ? formatNumber(p.y) : '';
      return s.role === 'mean' ? [y, p?.se !== undefined ? formatNumber(p.se) : ''] : [y];
    }),
  ]);
  const slope = v.slope ? [`log-log slope ${v.slope.value.toFixed(3)} over ${v.xLabel} ∈ [${v.slope.from}, ${v.slope.to}]`] : [];
  const seriesSlopes = v.series.flatMap((s) => (s.slope ? [`${s.name}: log-log slope ${s.slope.value.toFixed(3)} over ${v.xLabel} ∈ [${s.slope.from}, ${s.slope.to}]`] : []));
  return [v.title, table(header, rows), ...slope, ...seriesSlopes, ...v.notes].join('\n');
}

export function datasetText(v: DatasetView): string {
  const name = (list: readonly string[], i: number, prefix: string) => (i < 0 ? '·' : (list[i] ?? `${prefix}${i}`));
  const shown = Math.min(v.trajectories.length, 10);
  const steps = Math.min(v.H, MAX_TEXT_COLS);
  const header = ['#', ...Array.from({ length: steps }, (_, h) => `h=${h + 1}`)];
  const rows = v.trajectories.slice(0, shown).map((tr, i) => [String(i), ...tr.slice(0, steps).map(([s, a]) => (s < 0 ? '·' : `${name(v.stateNames, s, 's')}/${name(v.actionNames, a, 'a')}`))]);
  const out = [`${v.title} — N=${v.N} H=${v.H} |S|=${v.nS} |A|=${v.nA}`, `states seen per step: ${v.statesSeenPerStep.slice(0, 20).join(' ')}${v.H > 20 ? ' …' : ''}`];
  if (v.missingMass) {
    const m = v.missingMass;
    out.push(`missing mass ${formatNumber(m.value)}${m.expected !== undefined ? ` (expected ${formatNumber(m.expected)})` : ''}, bound ${m.formula} = ${formatNumber(m.bound)}`);
  }
  if (v.grid) out.push(...coverageMapText(v.grid));
  out.push(table(header, rows), ...more(shown, v.N, 'trajectories'));
  if (steps < v.H) out.push(`(first ${steps} of ${v.H} steps shown)`);
  return out.join('\n');
}

/** The name of state s in an MDP view (included states, then the named next states, else s<i>). */
export function mdpStateName(v: MdpView, s: number): string {
  return v.stateNames[s] ?? v.otherStateNames.find(([i]) => i === s)?.[1] ?? `s${s}`;
}

export function mdpActionName(v: MdpView, a: number): string {
  return v.actionNames[a] ?? `a${a}`;
}

/** "middle 0.9, start 0.1" (+ what the builder left out of the row). */
export function mdpRowText(v: MdpView, row: MdpView['steps'][number]['transitions'][number]): string {
  const entries = row.next.map((s, k) => `${mdpStateName(v, s)} ${formatNumber(row.prob[k])}`);
  if (row.omitted > 0) entries.push(`+${row.omitted} more (${formatNumber(row.omittedMass)})`);
  return entries.length > 0 ? entries.join(', ') : '—';
}

export function mdpStepLabel(v: MdpView, h: number): string {
  if (h === 0) return 'every step (stationary P and r)';
  return `step h=${h}${v.stationaryTransitions ? ' (P the same at every step)' : ''}${v.stationaryRewards ? ' (r the same at every step)' : ''}`;
}

export function mdpText(v: MdpView): string {
  const kinds = `${v.stationaryTransitions ? 'stationary' : 'per-step'} transitions, ${v.stationaryRewards ? 'stationary' : 'per-step'} rewards`;
  const out = [`${v.title} — |S|=${v.nS} |A|=${v.nA} H=${v.H}, ${kinds}`, ...v.notes];
  if (v.graph) out.push(`graph: ${v.graph.summary.states} states, ${v.graph.summary.edges} edges (s, a, s′) with P > 0, ${v.graph.summary.selfLoops} of them self-loops (drawn by the IL Notebooks renderer)`);
  const states = v.rho.length;
  const rhoRows = Array.from({ length: Math.min(states, MAX_TEXT_ROWS) }, (_, s) => [mdpStateName(v, s), formatNumber(v.rho[s])]);
  out.push('', table(['state', 'ρ(s)'], rhoRows), ...more(rhoRows.length, v.nS, 'states'));
  let printed = 0;
  for (const step of v.steps) {
    if (printed >= MAX_TEXT_ROWS) {
      out.push('', `… ${v.steps.length - v.steps.indexOf(step) + v.omittedSteps} more steps`);
      return out.join('\n');
    }
    const rows: string[][] = [];
    for (let r = 0; r < step.transitions.length && printed < MAX_TEXT_ROWS; r++, printed++) {
      rows.push([mdpStateName(v, Math.floor(r / v.nA)), mdpActionName(v, r % v.nA), formatNumber(step.reward[r]), mdpRowText(v, step.transitions[r])]);
    }
    out.push('', mdpStepLabel(v, step.h), table(['state', 'action', 'r(s,a)', "P(s'|s,a)"], rows, true), ...more(rows.length, v.nS * v.nA, '(s, a) rows'));
  }
  if (v.omittedSteps > 0) out.push(`… ${v.omittedSteps} more steps`);
  return out.join('\n');
}

export function viewText(v: View): string {
  switch (v.kind) {
    case 'heatmap':
      return heatmapText(v);
    case 'bc-table':
      return bcTableText(v);
    case 'plot':
      return plotText(v);
    case 'dataset':
      return datasetText(v);
    case 'mdp':
      return mdpText(v);
  }
}

function sweepNumber(x: number | undefined, digits = 4): string {
  if (x === undefined || Number.isNaN(x)) return '—';
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5)) return x.toExponential(digits - 1);
  return x.toFixed(digits);
}

/** The sweep as a plain-text table (the fallback every view and the CLI print). */
export function formatSweepTable(result: SweepResult): string {
  const xName = result.kind === 'gap-vs-H' ? 'H' : 'N';
  // The closed forms are BC's: another learner's table has no such column rather than a column of dashes.
  const withClosedForm = (result.algorithm ?? 'bc') === 'bc';
  const header = [xName, 'mean gap', '± s.e.', ...(withClosedForm ? ['closed form'] : []), 'bound', 'seeds'];
  const body = result.rows.map((r) => [String(r.x), sweepNumber(r.mean), sweepNumber(r.se), ...(withClosedForm ? [sweepNumber(r.closedForm)] : []), sweepNumber(r.bound), String(r.seeds)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  const lines = [result.description, line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)];
  if (result.closedFormFormula) lines.push(`closed form: ${result.closedFormFormula}`);
  lines.push(`bound: ${result.boundFormula} (up to a constant)`);
  if (result.slope) {
    lines.push(`log-log slope over ${xName} ∈ [${result.slope.from.toFixed(0)}, ${result.slope.to.toFixed(0)}]: ${result.slope.slope.toFixed(3)}`);
  }
  return lines.join('\n');
}
