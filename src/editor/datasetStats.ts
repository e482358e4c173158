/**
 * What the editor shows about one realised dataset: N, H, distinct states per step, the missing mass
 * (for generated datasets, against their expert), and the empirical visitation n_h(s)/N as a heatmap
 * (the per-step × state coverage). Runs in the editor worker, never on the extension host. The heatmap
 * is binned while counting, so memory stays O(cells) however large |S|·H is.
 */
import { missingMassBound } from '../core/bounds';
import { expectedMissingMass, missingMass, type Dataset } from '../core/dataset';
import { stateName, type MDP } from '../core/mdp';
import type { Policy } from '../core/policy';
import { MAX_HEATMAP_CELLS } from '../shared/buildViews';
import { buildGridDatasetOverlay } from '../shared/gridView';
import type { HeatmapView } from '../shared/viewModels';
import { MAX_COVERAGE_STEPS, type DatasetStatsView, type TrajectoryPage } from '../shared/mdpEditorProtocol';

/** Trajectory rows per page request, and (s, a) steps per page: the same budget as a dataset view. */
export const MAX_PAGE_ROWS = 200;
export const MAX_PAGE_STEPS = 40_000;
const MAX_COLUMN_LABELS = 64;

/** Binning of an H × |S| grid into at most maxCells cells: columns first (states), then rows (steps). */
export function binning(H: number, nS: number, maxCells: number): { rowBin: number; colBin: number; rows: number; cols: number } {
  if (H * nS <= maxCells) return { rowBin: 1, colBin: 1, rows: H, cols: nS };
  const maxCols = Math.max(1, Math.min(nS, maxCells, Math.floor(Math.sqrt(maxCells * 4))));
  const colBin = Math.ceil(nS / maxCols);
  const cols = Math.ceil(nS / colBin);
  const rowBin = Math.ceil(H / Math.max(1, Math.floor(maxCells / cols)));
  return { rowBin, colBin, rows: Math.ceil(H / rowBin), cols };
}

/**
 * d̂_h(s) = n_h(s)/N, steps down and states across. A binned cell sums its states and averages its
 * steps, as the visitation heatmaps do, so every unbinned row sums to the share of observed steps.
 */
export function coverageHeatmap(mdp: Pick<MDP, 'nS' | 'stateNames'>, d: Dataset, maxCells = MAX_HEATMAP_CELLS): HeatmapView {
  const { rowBin, colBin, rows, cols } = binning(d.H, d.nS, maxCells);
  const values = new Float64Array(rows * cols);
  const { N, H, states } = d;
  for (let k = 0; k < N * H; k++) {
    const s = states[k];
    if (s < 0) continue;
    const h = k % H;
    values[Math.floor(h / rowBin) * cols + Math.floor(s / colBin)] += 1;
  }
  let min = Infinity;
  let max = -Infinity;
  const rowSums: number[] = [];
  for (let r = 0; r < rows; r++) {
    const inBin = Math.min(rowBin, H - r * rowBin);
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const v = N > 0 ? values[r * cols + c] / (N * inBin) : 0;
      values[r * cols + c] = v;
      sum += v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    rowSums.push(sum);
  }
  return {
    version: 1,
    kind: 'heatmap',
    title: 'coverage: share of trajectories in state s at step h, n_h(s)/N',
    quantity: 'state',
    rows,
    cols,
    values: Array.from(values),
    stepStart: Array.from({ length: rows }, (_, r) => r * rowBin + 1),
    columnLabels: colBin === 1 && cols <= MAX_COLUMN_LABELS ? Array.from({ length: cols }, (_, s) => stateName(mdp as MDP, s)) : [],
    rowBin,
    colBin,
    H,
    width: d.nS,
    min: Number.isFinite(min) ? min : 0,
    max: Number.isFinite(max) ? max : 0,
    rowSums,
  };
}

/** Distinct states seen at each step, in one pass with a stamp per state (O(N·H) time, O(|S|) memory). */
export function statesSeenPerStep(d: Dataset): number[] {
  const out = new Array<number>(d.H).fill(0);
  const stamp = new Int32Array(d.nS).fill(-1);
  for (let h = 0; h < d.H; h++) {
    for (let i = 0; i < d.N; i++) {
      const s = d.states[i * d.H + h];
      if (s >= 0 && stamp[s] !== h) {
        stamp[s] = h;
        out[h]++;
      }
    }
  }
  return out;
}

/**
 * `grid`: the MDP is a gridworld; its coverage per cell and BC's disagreement with `gridExpert` (the
 * dataset's own expert, or the file's first) are added for the map.
 */
export function datasetStats(mdp: MDP, d: Dataset, expert?: Policy, maxCells = MAX_HEATMAP_CELLS, grid?: { expert?: { name: string; policy: Policy } }): DatasetStatsView {
  let observed = 0;
  for (let k = 0; k < d.states.length; k++) if (d.states[k] >= 0) observed++;
  const seen = statesSeenPerStep(d);
  const stats: DatasetStatsView = {
    N: d.N,
    H: d.H,
    observedSteps: observed,
    coverage: seen.slice(0, MAX_COVERAGE_STEPS),
    coverageRange: [seen.reduce((m, c) => Math.min(m, c), Infinity), seen.reduce((m, c) => Math.max(m, c), 0)],
    heatmap: coverageHeatmap(mdp, d, maxCells),
    ...(grid && d.N > 0 ? { grid: buildGridDatasetOverlay(d, grid.expert) } : {}),
  };
  if (!expert || d.N === 0) return stats;
  return {
    ...stats,
    missingMass: missingMass(mdp, expert, d).total,
    expectedMissingMass: expectedMissingMass(mdp, expert, d.N),
    missingMassBound: missingMassBound(mdp.nS, mdp.H, d.N).value,
  };
}

/**
 * Trajectories start … start + count − 1, cut to the page budgets (rows, and steps per row when H alone
 * exceeds the budget); states and actions as indices (−1: unobserved).
 */
export function trajectoryPage(d: Dataset, dataset: string, start: number, count: number): TrajectoryPage {
  const from = Math.max(0, Math.min(d.N, Math.trunc(start)));
  const steps = Math.min(d.H, MAX_PAGE_STEPS);
  const rows = Math.max(0, Math.min(Math.trunc(count), MAX_PAGE_ROWS, Math.max(1, Math.floor(MAX_PAGE_STEPS / steps)), d.N - from));
  const states: number[] = [];
  const actions: number[] = [];
  for (let i = from; i < from + rows; i++) {
    for (let h = 0; h < steps; h++) {
      states.push(d.states[i * d.H + h]);
      actions.push(d.actions[i * d.H + h]);
    }
  }
  return { dataset, start: from, count: rows, H: d.H, steps, states, actions };
}
