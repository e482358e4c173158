/**
 * Builds the drawable views (viewModels.ts) from core objects. Runs where the core runs (the notebook
 * kernel, the compute worker), never in a webview. Large results are downsampled or truncated here so
 * that a payload stays under MAX_PAYLOAD_BYTES.
 */
import { bcTable } from '../core/bc';
import { missingMassBound } from '../core/bounds';
import { coverage, expectedMissingMass, missingMass, type Dataset } from '../core/dataset';
import { visitation } from '../core/evaluation';
import { actionName, isStationary, rewardOffset, stateName, transitionsAt, type MDP, type Transitions } from '../core/mdp';
import { actionDistribution, type CountPolicy, type Policy } from '../core/policy';
import { CoreError } from '../core/errors';
import { CELL_CHAR, type GridMap } from '../core/envs/gridMap';
import type { SweepResult } from '../core/experiments';
import type { TvAilOgdFit } from '../core/firstOrderAil';
import { buildGraphView, MAX_DRAWN_STATES, type GraphView } from './graphView';
import { buildGridDatasetOverlay, buildGridView, MAX_NOTEBOOK_OVERLAY_NUMBERS } from './gridView';
import type { BcTableStepView, BcTableView, DatasetView, HeatmapView, MdpTransitionRowView, MdpView, PlotSeries, PlotView } from './viewModels';

/** Cells in a heatmap payload: ~22 bytes of JSON each keeps it well under 1 MB. */
export const MAX_HEATMAP_CELLS = 30_000;
/** Numbers (counts and probabilities) in a BC table payload: rows are cut to fit, whatever |A| is. */
export const MAX_BC_NUMBERS = 40_000;
/** (s, a) pairs of trajectories in a dataset payload. */
export const MAX_DATASET_STEPS = 40_000;
const MAX_COLUMN_LABELS = 64;
/** Numbers (ρ, rewards, next states and probabilities) in an MDP payload: states are cut to fit. */
export const MAX_MDP_NUMBERS = 20_000;
/** Entries kept per row of P_h(· | s, a): the largest; a dense row of 10⁶ next states stays readable. */
export const MAX_MDP_ROW_ENTRIES = 16;
/** Steps of a per-step MDP included. */
export const MAX_MDP_STEPS = 64;
/** Rounds drawn of a first-order run: every one up to this many, log-spaced beyond (the axis is log, and a notebook saves the points). */
export const MAX_GAP_ROUNDS = 120;

export interface Grid {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float64Array;
}

/**
 * Shrinks a rows × cols grid to at most maxCells: columns are summed in bins (so a distribution's row
 * still sums to its total), rows are averaged in bins (a bin of steps shows their mean distribution).
 */
export function downsampleGrid(grid: Grid, maxCells: number): { grid: Grid; rowBin: number; colBin: number } {
  const { rows, cols, values } = grid;
  if (rows * cols <= maxCells) return { grid, rowBin: 1, colBin: 1 };
  const maxCols = Math.max(1, Math.min(cols, maxCells, Math.floor(Math.sqrt(maxCells * 4))));
  const colBin = Math.ceil(cols / maxCols);
  const outCols = Math.ceil(cols / colBin);
  const rowBin = Math.ceil(rows / Math.max(1, Math.floor(maxCells / outCols)));
  const outRows = Math.ceil(rows / rowBin);
  const out = new Float64Array(outRows * outCols);
  for (let r = 0; r < rows; r++) {
    const or = Math.floor(r / rowBin);
    const inBin = Math.min(rowBin, rows - or * rowBin);
    for (let c = 0; c < cols; c++) out[or * outCols + Math.floor(c / colBin)] += values[r * cols + c] / inBin;
  }
  return { grid: { rows: outRows, cols: outCols, values: out }, rowBin, colBin };
}

function heatmapFromGrid(
  full: Grid,
  meta: { title: string; quantity: HeatmapView['quantity']; labels: (c: number) => string; value?: number },
  maxCells: number,
): HeatmapView {
  const { grid, rowBin, colBin } = downsampleGrid(full, maxCells);
  let min = Infinity;
  let max = -Infinity;
  const rowSums: number[] = [];
  for (let r = 0; r < grid.rows; r++) {
    let sum = 0;
    for (let c = 0; c < grid.cols; c++) {
      const v = grid.values[r * grid.cols + c];
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    rowSums.push(sum);
  }
  return {
    version: 1,
    kind: 'heatmap',
    title: meta.title,
    quantity: meta.quantity,
    rows: grid.rows,
    cols: grid.cols,
    values: Array.from(grid.values),
    stepStart: Array.from({ length: grid.rows }, (_, r) => r * rowBin + 1),
    columnLabels: colBin === 1 && grid.cols <= MAX_COLUMN_LABELS ? Array.from({ length: grid.cols }, (_, c) => meta.labels(c)) : [],
    rowBin,
    colBin,
    H: full.rows,
    width: full.cols,
    min: Number.isFinite(min) ? min : 0,
    max: Number.isFinite(max) ? max : 0,
    rowSums,
    ...(meta.value !== undefined ? { value: meta.value } : {}),
  };
}

export interface HeatmapOptions {
  readonly title?: string;
  /** d_h(s, a) instead of d_h(s). */
  readonly stateAction?: boolean;
  /** Show d^π_h(s) − d^{other}_h(s). */
  readonly minus?: Policy;
  readonly maxCells?: number;
  /** A gridworld's map (Environment.grid): d_h(s) is then drawn on the map too. */
  readonly grid?: GridMap;
}

/** Visitation d^π_h(s) (or d^π_h(s, a), or a difference) as a heatmap view, steps down, states across. */
export function heatmapView(mdp: MDP, pi: Policy, options: HeatmapOptions = {}): HeatmapView {
  const maxCells = options.maxCells ?? MAX_HEATMAP_CELLS;
  const { nS, nA, H } = mdp;
  if (options.stateAction) {
    const v = visitation(mdp, pi, { stateAction: true });
    return heatmapFromGrid(
      { rows: H, cols: nS * nA, values: v.dSA! },
      { title: options.title ?? 'd^π_h(s, a)', quantity: 'state-action', labels: (c) => `${stateName(mdp, Math.floor(c / nA))}/${actionName(mdp, c % nA)}`, value: v.value },
      maxCells,
    );
  }
  const v = visitation(mdp, pi);
  let values = v.dS!;
  if (options.minus) {
    const other = visitation(mdp, options.minus).dS!;
    values = values.map((x, i) => x - other[i]);
  }
  const view = heatmapFromGrid(
    { rows: H, cols: nS, values },
    { title: options.title ?? (options.minus ? 'd^π_h(s) − d^π′_h(s)' : 'd^π_h(s)'), quantity: options.minus ? 'difference' : 'state', labels: (s) => stateName(mdp, s), value: v.value },
    maxCells,
  );
  const grid = options.grid;
  if (!grid || grid.nS !== nS || view.colBin !== 1) return view;
  return { ...view, grid: { rows: grid.rows, cols: grid.cols, cells: grid.kinds.map((k) => CELL_CHAR[k]).join(''), stateOf: Array.from(grid.stateOf), cliffState: grid.cliffState } };
}

/** What `rewardHeatmapView` draws: a learned reward, e.g. an MCE-IRL fit (`mceIrlFit`). */
export interface LearnedReward {
  readonly nS: number;
  readonly nA: number;
  readonly H: number;
  /** r(s, a) at s·|A| + a, or r_h(s, a) at (h·|S| + s)·|A| + a when `perStep`. */
  readonly reward: Float64Array;
  readonly perStep: boolean;
  readonly stateNames?: readonly string[];
  readonly actionNames?: readonly string[];
}

export interface RewardHeatmapOptions {
  readonly title?: string;
  /** For the names of states and actions in the column labels (else the reward's own, else s0, a0, …). */
  readonly mdp?: MDP;
  readonly maxCells?: number;
}

/**
 * A learned reward as a heatmap, state-action pairs across: one row per step when it is per step, else
 * one row standing for all H steps (rowBin = H, so it reads as steps 1…H). Drawn on the diverging scale
 * (a reward is signed); columns beyond the cell budget are summed in bins, as for any heatmap.
 */
export function rewardHeatmapView(fit: LearnedReward, options: RewardHeatmapOptions = {}): HeatmapView {
  const { nS, nA, H, reward, perStep } = fit;
  const rows = perStep ? H : 1;
  if (reward.length !== rows * nS * nA) {
    throw new CoreError(`a ${perStep ? 'per-step ' : ''}reward needs ${rows * nS * nA} numbers, got ${reward.length}`, 'shape-mismatch');
  }
  const mdp = options.mdp;
  const name = (s: number) => (mdp ? stateName(mdp, s) : (fit.stateNames?.[s] ?? `s${s}`));
  const action = (a: number) => (mdp ? actionName(mdp, a) : (fit.actionNames?.[a] ?? `a${a}`));
  const view = heatmapFromGrid(
    { rows, cols: nS * nA, values: reward },
    { title: options.title ?? (perStep ? 'learned reward r_h(s, a)' : 'learned reward r(s, a), the same at every step'), quantity: 'reward', labels: (c) => `${name(Math.floor(c / nA))}/${action(c % nA)}` },
    options.maxCells ?? MAX_HEATMAP_CELLS,
  );
  return perStep ? view : { ...view, rowBin: H, H, sameAtEveryStep: true };
}

export interface BcTableOptions {
  readonly title?: string;
  readonly mdp?: MDP;
  /** With the dataset and the expert, the table reports the missing mass beside its expectation and bound. */
  readonly dataset?: Dataset;
  readonly expert?: Policy;
  readonly maxRows?: number;
  /**
   * A gridworld's map (Environment.grid, or load()'s `grid`): the policy is then drawn on it too, as
   * arrows per cell with V^π_h(s) as colour; needs `mdp`, the gridworld's MDP, for V.
   */
  readonly grid?: GridMap;
  /** The policy's name on the map's labels ("expert", "BC"); by default "π^BC" for counts, else "π". */
  readonly name?: string;
}

/** A map is drawn only for data of that map: a mismatch is the caller's mistake, said as such. */
function checkGrid(grid: GridMap, nS: number, nA: number, what: string): void {
  if (grid.nS !== nS) throw new CoreError(`${what} has ${nS} states but the map has ${grid.nS}; pass the map of the gridworld it belongs to`, 'argument');
  if (nA !== 4) throw new CoreError(`${what} has ${nA} actions; a gridworld has 4 (up, right, down, left)`, 'argument');
}

function countPolicySteps(pi: CountPolicy, names: (s: number) => string, maxRows: number): { steps: BcTableStepView[]; omittedSteps: number } {
  const steps: BcTableStepView[] = [];
  const blocks = pi.stationary ? 1 : pi.H;
  let budget = maxRows;
  let omittedSteps = 0;
  for (let b = 0; b < blocks; b++) {
    if (budget <= 0) {
      omittedSteps++;
      continue;
    }
    const { rows, unseen } = bcTable(pi, b);
    const kept = rows.slice(0, budget);
    budget -= kept.length;
    steps.push({
      h: pi.stationary ? 0 : b + 1,
      rows: kept.map((r) => ({ state: r.state, name: names(r.state), counts: Array.from(r.counts), probabilities: Array.from(r.probabilities) })),
      unseen,
      omitted: rows.length - kept.length,
    });
  }
  return { steps, omittedSteps };
}

function tablePolicySteps(pi: Policy, names: (s: number) => string, maxRows: number): { steps: BcTableStepView[]; omittedSteps: number } {
  const steps: BcTableStepView[] = [];
  const blocks = pi.stationary ? 1 : pi.H;
  const perStep = Math.min(pi.nS, maxRows);
  const keptSteps = Math.max(1, Math.min(blocks, Math.floor(maxRows / perStep)));
  const dist = new Float64Array(pi.nA);
  for (let b = 0; b < keptSteps; b++) {
    const rows = [];
    for (let s = 0; s < perStep; s++) {
      actionDistribution(pi, b, s, dist);
      rows.push({ state: s, name: names(s), counts: [], probabilities: Array.from(dist) });
    }
    steps.push({ h: pi.stationary ? 0 : b + 1, rows, unseen: 0, omitted: pi.nS - perStep });
  }
  return { steps, omittedSteps: blocks - keptSteps };
}

/** π_h(a|s) per step; for a BC (counts) policy with the counts n_h(s, a) and the unseen states. */
export function bcTableView(pi: Policy, options: BcTableOptions = {}): BcTableView {
  const { mdp } = options;
  const names = (s: number) => (mdp ? stateName(mdp, s) : `s${s}`);
  const maxRows = options.maxRows ?? Math.max(1, Math.floor(MAX_BC_NUMBERS / (2 * pi.nA)));
  const { steps, omittedSteps } = pi.kind === 'counts' ? countPolicySteps(pi, names, maxRows) : tablePolicySteps(pi, names, maxRows);
  let mm: BcTableView['missingMass'];
  if (mdp && options.dataset && options.expert) {
    const m = missingMass(mdp, options.expert, options.dataset);
    const b = missingMassBound(mdp.nS, mdp.H, options.dataset.N);
    mm = { value: m.total, expected: expectedMissingMass(mdp, options.expert, options.dataset.N), bound: b.value, formula: b.formula, N: options.dataset.N };
  }
  let grid: BcTableView['grid'];
  if (options.grid) {
    if (!mdp) throw new CoreError('bcTable: a map (grid) needs the gridworld\'s mdp too, for V_h(s)', 'argument');
    checkGrid(options.grid, pi.nS, pi.nA, 'the policy');
    if (mdp.nS !== pi.nS || mdp.nA !== pi.nA || mdp.H !== pi.H) throw new CoreError(`bcTable: the policy (|S|=${pi.nS}, |A|=${pi.nA}, H=${pi.H}) is not of this mdp (|S|=${mdp.nS}, |A|=${mdp.nA}, H=${mdp.H})`, 'argument');
    grid = buildGridView(options.grid, false, { name: options.name ?? (pi.kind === 'counts' ? 'π^BC' : 'π'), mdp, policy: pi }, MAX_NOTEBOOK_OVERLAY_NUMBERS);
  }
  return {
    version: 1,
    kind: 'bc-table',
    title: options.title ?? (pi.kind === 'counts' ? 'π^BC_h(a|s)' : 'π_h(a|s)'),
    nS: pi.nS,
    nA: pi.nA,
    H: pi.H,
    stationary: pi.stationary,
    actionNames: Array.from({ length: pi.nA }, (_, a) => (mdp ? actionName(mdp, a) : `a${a}`)),
    steps,
    omittedSteps,
    ...(mm ? { missingMass: mm } : {}),
    ...(grid ? { grid } : {}),
  };
}

/** A sweep's mean gap with ±se, its closed form and bounds, on log-log axes. */
export function plotView(result: SweepResult, title?: string): PlotView {
  const xName = result.kind === 'gap-vs-H' ? 'H' : 'N';
  const series: PlotSeries[] = [{ name: 'mean gap (± s.e.)', role: 'mean', points: result.rows.map((r) => ({ x: r.x, y: r.mean, se: r.se })) }];
  if (result.rows.every((r) => r.closedForm !== undefined)) {
    series.push({ name: 'closed form E[gap]', role: 'closed-form', points: result.rows.map((r) => ({ x: r.x, y: r.closedForm! })) });
  }
  series.push({ name: 'bound min{H, |S|H²/N}', role: 'bound', points: result.rows.map((r) => ({ x: r.x, y: r.bound })) });
  if (result.rows.every((r) => r.instanceBound !== undefined)) {
    series.push({ name: 'instance bound', role: 'instance-bound', points: result.rows.map((r) => ({ x: r.x, y: r.instanceBound! })) });
  }
  const notes = [result.description, `${result.fixed.name} = ${result.fixed.value}, BC ${result.mode}`, `bound: ${result.boundFormula}`];
  if (result.closedFormFormula) notes.push(`closed form: ${result.closedFormFormula}`);
  return {
    version: 1,
    kind: 'plot',
    title: title ?? `Imitation gap vs ${xName}`,
    xLabel: xName,
    yLabel: 'imitation gap V(π^E) − V(π^BC)',
    logX: true,
    logY: result.rows.every((r) => r.mean > 0),
    series,
    ...(result.slope ? { slope: { value: result.slope.slope, intercept: result.slope.intercept, from: result.slope.from, to: result.slope.to } } : {}),
    notes,
  };
}

/**
 * Several sweeps on one plot (BC vs DAgger vs …): one mean series with ±se bars per result, each with
 * its own fitted slope, which the legend shows beside the label. The results must sweep the same axis.
 */
export function comparisonPlotView(results: readonly { readonly label: string; readonly result: SweepResult }[], title?: string): PlotView {
  if (results.length === 0) throw new CoreError('comparisonPlotView needs at least one { label, result }', 'argument');
  const kind = results[0].result.kind;
  const other = results.find((r) => r.result.kind !== kind);
  if (other) throw new CoreError(`comparisonPlotView: "${other.label}" is a ${other.result.kind} sweep but "${results[0].label}" is ${kind}; compare sweeps of one kind`, 'argument');
  const xName = kind === 'gap-vs-H' ? 'H' : 'N';
  const series: PlotSeries[] = results.map(({ label, result }) => ({
    name: label,
    role: 'mean',
    points: result.rows.map((r) => ({ x: r.x, y: r.mean, se: r.se })),
    ...(result.slope ? { slope: { value: result.slope.slope, from: result.slope.from, to: result.slope.to } } : {}),
  }));
  return {
    version: 1,
    kind: 'plot',
    title: title ?? `Imitation gap vs ${xName}: ${results.map((r) => r.label).join(' vs ')}`,
    xLabel: xName,
    yLabel: 'imitation gap V(π^E) − V(π̂)',
    logX: true,
    logY: results.every(({ result }) => result.rows.every((r) => r.mean > 0)),
    series,
    notes: results.map(({ label, result }) => `${label}: ${result.description}`),
  };
}

/** Rounds 1…K to draw: all of them when few, else log-spaced (every early round, fewer later) and the last. */
function roundsToDraw(K: number): number[] {
  if (K <= MAX_GAP_ROUNDS) return Array.from({ length: K }, (_, i) => i + 1);
  const out = new Set<number>();
  for (let i = 0; i < MAX_GAP_ROUNDS; i++) out.add(Math.round(Math.exp((Math.log(K) * i) / (MAX_GAP_ROUNDS - 1))));
  out.add(K);
  return [...out].sort((a, b) => a - b);
}

const sig = (x: number) => Number(x.toPrecision(6));

/**
 * TV-AIL's first-order solver round by round (tvAilOgdFit, docs/adversarial.md): the certified duality
 * gap, the averaged pair's own gap ‖d̄_k − d̂^E‖₁ − L_k, and the regret bound Regret_k/k that caps the
 * latter, on log-log axes (rounds with a gap of 0 cannot be drawn there; the plot's note counts them).
 */
export function dualityGapView(fit: TvAilOgdFit, title?: string): PlotView {
  const rounds = roundsToDraw(fit.iterations);
  const at = (values: (k: number) => number) => rounds.map((k) => ({ x: k, y: values(k - 1) }));
  const series: PlotSeries[] = [
    { name: 'certified gap of the output so far', role: 'mean', points: at((i) => fit.gaps[i]) },
    { name: 'averaged pair ‖d̄_k − d̂^E‖₁ − L_k', role: 'other', points: at((i) => fit.objectives[i] - fit.lowerBounds[i]) },
    { name: 'regret bound Regret_k/k', role: 'bound', points: at((i) => fit.regretBounds[i]) },
  ];
  const step = typeof fit.stepSize === 'number' ? `constant step η = ${sig(fit.stepSize)}` : `${fit.stepSize} step`;
  const notes = [
    `after ${fit.iterations} rounds (${fit.converged ? 'gap at the tolerance' : 'round budget spent'}): objective ${sig(fit.objective)}, lower bound ${sig(fit.lowerBound)}, gap ${sig(fit.gap)}; the TV-AIL optimum lies between the two`,
    fit.output === 'average' ? 'output: the averaged occupancy d̄_K and the policy realising it' : "output: one round's best response, closer to d̂^E than d̄_K",
    step,
  ];
  if (rounds.length < fit.iterations) notes.push(`${rounds.length} of the ${fit.iterations} rounds drawn (log-spaced)`);
  return {
    version: 1,
    kind: 'plot',
    title: title ?? 'TV-AIL (first-order): duality gap by round',
    xLabel: 'round k',
    yLabel: 'gap',
    logX: true,
    logY: true,
    series,
    notes,
  };
}

export interface DatasetViewOptions {
  readonly title?: string;
  readonly mdp?: MDP;
  readonly expert?: Policy;
  readonly maxSteps?: number;
  /**
   * A gridworld's map: the dataset's coverage n_h(s) is then drawn on it too, per cell and step, and
   * with `expert`, BC's disagreement with it.
   */
  readonly grid?: GridMap;
  /** The dataset's name on the map ("the dataset" by default). */
  readonly name?: string;
  /** The expert's name on the map ("expert" by default). */
  readonly expertName?: string;
}

export function datasetView(d: Dataset, options: DatasetViewOptions = {}): DatasetView {
  const { mdp, expert } = options;
  const maxSteps = options.maxSteps ?? MAX_DATASET_STEPS;
  const included = Math.min(d.N, Math.max(1, Math.floor(maxSteps / d.H)));
  const trajectories: [number, number][][] = [];
  for (let i = 0; i < included; i++) {
    const tr: [number, number][] = [];
    for (let h = 0; h < d.H; h++) tr.push([d.states[i * d.H + h], d.actions[i * d.H + h]]);
    trajectories.push(tr);
  }
  let mm: DatasetView['missingMass'];
  if (mdp && expert) {
    const b = missingMassBound(mdp.nS, mdp.H, d.N);
    mm = { value: missingMass(mdp, expert, d).total, expected: expectedMissingMass(mdp, expert, d.N), bound: b.value, formula: b.formula };
  }
  let grid: DatasetView['grid'];
  if (options.grid && d.N > 0) {
    checkGrid(options.grid, d.nS, d.nA, 'the dataset');
    const coverage = buildGridDatasetOverlay(d, expert ? { name: options.expertName ?? 'expert', policy: expert } : undefined, MAX_NOTEBOOK_OVERLAY_NUMBERS);
    grid = { map: buildGridView(options.grid, false), name: options.name ?? 'the dataset', coverage };
  }
  return {
    version: 1,
    kind: 'dataset',
    title: options.title ?? `Dataset of ${d.N} trajectories`,
    N: d.N,
    H: d.H,
    nS: d.nS,
    nA: d.nA,
    stateNames: mdp?.stateNames ? [...mdp.stateNames] : [],
    actionNames: mdp?.actionNames ? [...mdp.actionNames] : [],
    statesSeenPerStep: Array.from(coverage(d)),
    trajectories,
    ...(mm ? { missingMass: mm } : {}),
    ...(grid ? { grid } : {}),
  };
}

export interface MdpViewOptions {
  readonly title?: string;
  /** Lines shown under the title (what the file holds besides the MDP, say). */
  readonly notes?: readonly string[];
  readonly maxNumbers?: number;
  readonly maxRowEntries?: number;
  readonly maxSteps?: number;
  /** Draw the graph too (default true; only for |S| ≤ MAX_DRAWN_STATES and one transition kernel). */
  readonly graph?: boolean;
}

/** Edges a notebook's graph holds (each (s, a, s′) entry one): beyond, the picture would be a hairball and the payload large. */
export const MAX_GRAPH_EDGES = 4_000;

/**
 * The graph of a stationary MDP's P, read-only: every non-zero P(s′ | s, a) an edge (a reset part
 * included), laid out by graphLayout.ts (d3-force) here, where the view is built, never in a webview.
 * Undefined when the MDP is too large to draw whole, with the reason for the notes.
 */
function mdpGraph(mdp: MDP): { graph?: GraphView; note?: string } {
  const { nS, nA } = mdp;
  if (nS > MAX_DRAWN_STATES) return {};
  if (mdp.transitions.length !== 1) return { note: 'no graph: P changes with h (one graph per step would be needed)' };
  const t = mdp.transitions[0];
  const rows: (readonly [number, number])[][] = [];
  let edges = 0;
  for (let row = 0; row < nS * nA; row++) {
    const p = new Map<number, number>();
    for (let k = t.rowStart[row]; k < t.rowStart[row + 1]; k++) p.set(t.next[k], (p.get(t.next[k]) ?? 0) + t.prob[k]);
    const mass = t.reset?.mass[row] ?? 0;
    if (t.reset && mass !== 0) for (let s2 = 0; s2 < nS; s2++) if (t.reset.to[s2] !== 0) p.set(s2, (p.get(s2) ?? 0) + mass * t.reset.to[s2]);
    const entries = [...p].filter(([, x]) => x !== 0).sort((x, y) => x[0] - y[0]);
    edges += entries.length;
    if (edges > MAX_GRAPH_EDGES) return { note: `no graph: more than ${MAX_GRAPH_EDGES} transitions (s, a, s′) to draw` };
    rows.push(entries);
  }
  const names = Array.from({ length: nS }, (_, s) => stateName(mdp, s));
  const actions = Array.from({ length: nA }, (_, a) => actionName(mdp, a));
  return { graph: buildGraphView({ states: names, actions, entriesOf: (row) => rows[row], editable: () => false, rho: mdp.rho }) };
}

/** A kernel's reset target as its non-zero entries, largest first (computed once per kernel). */
const sortedResetTargets = new WeakMap<Float64Array, Int32Array>();

function resetOrder(to: Float64Array): Int32Array {
  let order = sortedResetTargets.get(to);
  if (!order) {
    const support: number[] = [];
    for (let s = 0; s < to.length; s++) if (to[s] !== 0) support.push(s);
    support.sort((x, y) => to[y] - to[x] || x - y);
    order = Int32Array.from(support);
    sortedResetTargets.set(to, order);
  }
  return order;
}

/**
 * Row s·|A| + a of a kernel with its largest `keep` entries, exact even with a reset part: a next state
 * outside the CSR entries and the top of the reset target carries no more than any of them does.
 */
function transitionRowView(t: Transitions, row: number, keep: number): MdpTransitionRowView {
  const values = new Map<number, number>();
  let total = 0;
  for (let k = t.rowStart[row]; k < t.rowStart[row + 1]; k++) {
    values.set(t.next[k], (values.get(t.next[k]) ?? 0) + t.prob[k]);
    total += t.prob[k];
  }
  let support = values.size;
  const mass = t.reset?.mass[row] ?? 0;
  if (t.reset && mass !== 0) {
    const to = t.reset.to;
    const order = resetOrder(to);
    const csrNext = [...values.keys()];
    // Everything the reset reaches counts, but only the top of it can be among the largest entries.
    support += order.length - csrNext.filter((s) => to[s] !== 0).length;
    for (const s of csrNext) if (to[s] !== 0) values.set(s, values.get(s)! + mass * to[s]);
    for (let i = 0; i < Math.min(order.length, keep + csrNext.length); i++) if (!values.has(order[i])) values.set(order[i], mass * to[order[i]]);
    let toSum = 0;
    for (const s of order) toSum += to[s];
    total += mass * toSum;
  }
  const entries = [...values].filter(([, p]) => p !== 0);
  const kept = entries.length > keep ? entries.sort((x, y) => y[1] - x[1] || x[0] - y[0]).slice(0, keep) : entries;
  kept.sort((x, y) => x[0] - y[0]);
  const keptMass = kept.reduce((sum, [, p]) => sum + p, 0);
  const omitted = Math.max(0, support - kept.length);
  return { next: kept.map(([s]) => s), prob: kept.map(([, p]) => p), omitted, omittedMass: omitted > 0 ? Math.max(0, total - keptMass) : 0 };
}

/**
 * ρ, r_h(s, a) and P_h(s' | s, a) as a table view. Bounded: at most MAX_MDP_STEPS steps of a per-step
 * MDP, MAX_MDP_ROW_ENTRIES entries per row (the largest), and as many states (from s0 on) as fit in
 * MAX_MDP_NUMBERS numbers. The payload is saved in the notebook and drawn without the kernel, so the
 * renderer pages through what is here rather than asking for more; what is left out is stated.
 */
export function mdpView(mdp: MDP, options: MdpViewOptions = {}): MdpView {
  const { nS, nA, H } = mdp;
  const maxNumbers = options.maxNumbers ?? MAX_MDP_NUMBERS;
  const keep = Math.max(1, options.maxRowEntries ?? MAX_MDP_ROW_ENTRIES);
  const stationaryTransitions = mdp.transitions.length === 1;
  const stationaryRewards = mdp.reward.length === nS * nA;
  const stationary = isStationary(mdp);
  const stepCount = stationary ? 1 : Math.min(H, Math.max(1, options.maxSteps ?? MAX_MDP_STEPS));
  const steps: { h: number; reward: number[]; transitions: MdpTransitionRowView[] }[] = Array.from({ length: stepCount }, (_, i) => ({ h: stationary ? 0 : i + 1, reward: [], transitions: [] }));
  const rho: number[] = [];
  let used = 0;
  for (let s = 0; s < nS; s++) {
    const rows = steps.map((_, i) => {
      const t = transitionsAt(mdp, i);
      const offset = rewardOffset(mdp, i);
      return Array.from({ length: nA }, (_, a) => ({ reward: mdp.reward[offset + s * nA + a], row: transitionRowView(t, s * nA + a, keep) }));
    });
    // ρ(s), then per step and action: r, the entries (2 numbers each) and the omitted count and mass.
    const cost = 1 + rows.reduce((sum, perAction) => sum + perAction.reduce((c, { row }) => c + 3 + 2 * row.next.length, 0), 0);
    if (s > 0 && used + cost > maxNumbers) break;
    used += cost;
    rho.push(mdp.rho[s]);
    rows.forEach((perAction, i) => {
      for (const { reward, row } of perAction) {
        steps[i].reward.push(reward);
        steps[i].transitions.push(row);
      }
    });
  }
  const included = rho.length;
  const otherStateNames: [number, string][] = [];
  if (mdp.stateNames) {
    const seen = new Set<number>();
    for (const step of steps) for (const row of step.transitions) for (const s2 of row.next) if (s2 >= included && !seen.has(s2)) seen.add(s2);
    for (const s2 of [...seen].sort((x, y) => x - y)) otherStateNames.push([s2, stateName(mdp, s2)]);
  }
  const notes = [...(options.notes ?? [])];
  if (included < nS) notes.push(`the first ${included} of ${nS} states are included; the IL MDP editor shows every state of an .ilmdp`);
  if (!stationary && stepCount < H) notes.push(`steps 1–${stepCount} of ${H} are included`);
  if (!stationaryTransitions && stepCount === H) notes.push(`P_${H} (after the last step) is never used: the episode ends at step ${H}`);
  if (steps.some((step) => step.transitions.some((row) => row.omitted > 0))) notes.push(`rows of P list their ${keep} largest entries; the rest is counted beside them`);
  const { graph, note } = options.graph === false ? {} : mdpGraph(mdp);
  if (note) notes.push(note);
  return {
    version: 1,
    kind: 'mdp',
    title: options.title ?? 'MDP',
    nS,
    nA,
    H,
    stationaryTransitions,
    stationaryRewards,
    rho,
    stateNames: mdp.stateNames ? mdp.stateNames.slice(0, included) : [],
    otherStateNames,
    actionNames: mdp.actionNames ? [...mdp.actionNames] : [],
    steps,
    omittedSteps: stationary ? 0 : H - stepCount,
    notes,
    ...(graph ? { graph } : {}),
  };
}
