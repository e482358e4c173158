/**
 * The views the product draws (notebook outputs and panels alike), as plain JSON. The kernel or the
 * host builds them from core results (src/shared/buildViews.ts); webviews only draw them. Every view
 * carries a version so that a notebook saved today still renders after the format grows.
 */
import { isRecord } from '../core/guards';
import type { GraphView } from './graphView';
import type { GridDatasetOverlay, GridView } from './gridView';

export const VIEW_VERSION = 1;

export const MIME = {
  heatmap: 'application/vnd.il-notebooks.heatmap+json',
  bcTable: 'application/vnd.il-notebooks.bc-table+json',
  plot: 'application/vnd.il-notebooks.plot+json',
  dataset: 'application/vnd.il-notebooks.dataset+json',
  mdp: 'application/vnd.il-notebooks.mdp+json',
} as const;

export type ViewMime = (typeof MIME)[keyof typeof MIME];

/** A payload stays under this size (bytes of JSON); builders downsample or truncate to fit. */
export const MAX_PAYLOAD_BYTES = 1_000_000;

/** Visitation d_h(s) or d_h(s, a) (or a difference of two), or a learned reward r_h(s, a), steps × columns, row-major. */
export interface HeatmapView {
  readonly version: 1;
  readonly kind: 'heatmap';
  readonly title: string;
  /** What one cell holds: d_h(s), d_h(s, a), a difference of two policies' d_h(s), or a (signed) reward r_h(s, a). */
  readonly quantity: 'state' | 'state-action' | 'difference' | 'reward';
  readonly rows: number;
  readonly cols: number;
  /** rows × cols, row-major; row r is steps stepStart[r] … stepStart[r] + rowBin − 1 (1-based). */
  readonly values: readonly number[];
  /** First step (1-based) of each row. */
  readonly stepStart: readonly number[];
  /** Label of each column when there are few (≤ 64), else empty: columns are index ranges of colBin. */
  readonly columnLabels: readonly string[];
  /** Steps averaged into one row (1 = none). */
  readonly rowBin: number;
  /** States (or state-action pairs) summed into one column (1 = none). */
  readonly colBin: number;
  /** Size before downsampling. */
  readonly H: number;
  readonly width: number;
  readonly min: number;
  readonly max: number;
  /** Sum of each row: 1 for d_h(s) (up to rounding), 0 for a difference. */
  readonly rowSums: readonly number[];
  readonly value?: number;
  /** A gridworld's map, so d_h(s) is drawn on it too (state heatmaps with one column per state only). */
  readonly grid?: HeatmapGrid;
  /** One row that holds at every step (a stationary reward): nothing was averaged to make it. */
  readonly sameAtEveryStep?: true;
}

/** A gridworld's layout for a view: the kind of each cell (`# . S G C`) and the state it is. */
export interface HeatmapGrid {
  readonly rows: number;
  readonly cols: number;
  readonly cells: string;
  /** Row-major, −1 for walls and cliffs. */
  readonly stateOf: readonly number[];
  /** The absorbing state cliff cells drop into (its value is drawn on them), or −1. */
  readonly cliffState: number;
}

export interface BcTableRowView {
  readonly state: number;
  readonly name: string;
  readonly counts: readonly number[];
  readonly probabilities: readonly number[];
}

/** The missing mass of a dataset beside its expectation and the bound 4|S|H/(9N). */
export interface MissingMassView {
  readonly value: number;
  readonly expected?: number;
  readonly bound: number;
  readonly formula: string;
  readonly N?: number;
}

export interface BcTableStepView {
  /** 1-based step (0 for a pooled, stationary policy). */
  readonly h: number;
  readonly rows: readonly BcTableRowView[];
  /** States never seen at this step: the policy plays 1/|A| there. */
  readonly unseen: number;
  /** Seen rows left out to keep the payload small. */
  readonly omitted: number;
}

/** π^BC_h(a|s) with the counts n_h(s, a) behind it. */
export interface BcTableView {
  readonly version: 1;
  readonly kind: 'bc-table';
  readonly title: string;
  readonly nS: number;
  readonly nA: number;
  readonly H: number;
  readonly stationary: boolean;
  readonly actionNames: readonly string[];
  readonly steps: readonly BcTableStepView[];
  /** Steps left out to keep the payload small. */
  readonly omittedSteps: number;
  readonly missingMass?: MissingMassView;
  /**
   * A gridworld's policy drawn on its map as well: π_h(a|s) as arrows per cell and V^π_h(s) as colour,
   * per step (the editor's expert layer, not paintable). Only for a policy of that map's |S| and 4 actions.
   */
  readonly grid?: GridView;
}

/** A dataset of a gridworld on its map: n_h(s) per cell and step (and BC's disagreement, when the expert is known). */
export interface DatasetGridView {
  readonly map: GridView;
  /** The dataset's name on the labels and in the layer picker. */
  readonly name: string;
  readonly coverage: GridDatasetOverlay;
}

export interface PlotPoint {
  readonly x: number;
  readonly y: number;
  /** Standard error (error bar ±se). */
  readonly se?: number;
}

export interface PlotSeries {
  readonly name: string;
  readonly role: 'mean' | 'closed-form' | 'bound' | 'instance-bound' | 'other';
  readonly points: readonly PlotPoint[];
  /** This series' own log-log fit, when a plot compares several (the legend shows it beside the name). */
  readonly slope?: { readonly value: number; readonly from: number; readonly to: number };
}

/** Gap vs H or vs N on log-log axes. */
export interface PlotView {
  readonly version: 1;
  readonly kind: 'plot';
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly logX: boolean;
  readonly logY: boolean;
  readonly series: readonly PlotSeries[];
  readonly slope?: { readonly value: number; readonly intercept: number; readonly from: number; readonly to: number };
  readonly notes: readonly string[];
}

/** A dataset of trajectories: the first ones in full (paged by the renderer) and coverage per step. */
export interface DatasetView {
  readonly version: 1;
  readonly kind: 'dataset';
  readonly title: string;
  readonly N: number;
  readonly H: number;
  readonly nS: number;
  readonly nA: number;
  readonly stateNames: readonly string[];
  readonly actionNames: readonly string[];
  /** Distinct states seen at each step h = 1…H. */
  readonly statesSeenPerStep: readonly number[];
  /** Trajectories included (the first `trajectories.length` of N); each step is [s, a], −1 when unobserved. */
  readonly trajectories: readonly (readonly (readonly [number, number])[])[];
  readonly missingMass?: MissingMassView;
  /** A gridworld's dataset drawn on its map too. */
  readonly grid?: DatasetGridView;
}

/** One (s, a) row of P_h(· | s, a): its next states with their probabilities, largest first when cut. */
export interface MdpTransitionRowView {
  /** Next-state indices, ascending; with `prob` the row's entries (zeros left out). */
  readonly next: readonly number[];
  readonly prob: readonly number[];
  /** Entries of this row left out to keep the payload small (the smallest), and the mass they carry. */
  readonly omitted: number;
  readonly omittedMass: number;
}

/** The rewards and transitions of one step (h = 0: the same at every step). */
export interface MdpStepView {
  readonly h: number;
  /** r_h(s, a) of the included states, index s·|A| + a. */
  readonly reward: readonly number[];
  /** P_h(· | s, a) of the included states, index s·|A| + a. */
  readonly transitions: readonly MdpTransitionRowView[];
}

/**
 * An MDP written out: ρ, r_h(s, a) and P_h(s' | s, a). Bounded in size: the first `rho.length` states
 * (all of them when they fit), the first steps of a per-step MDP, and per row the largest entries;
 * what is left out is counted so the view can say so. The renderer pages through what is included.
 */
export interface MdpView {
  readonly version: 1;
  readonly kind: 'mdp';
  readonly title: string;
  readonly nS: number;
  readonly nA: number;
  readonly H: number;
  /** P is one kernel for every step (else one per step). */
  readonly stationaryTransitions: boolean;
  /** r is one table for every step (else one per step). */
  readonly stationaryRewards: boolean;
  /** ρ(s) of the included states 0 … rho.length − 1; its length is the number of states included. */
  readonly rho: readonly number[];
  /** Names of the included states (empty: the MDP names none, they read s0, s1, …). */
  readonly stateNames: readonly string[];
  /** Names of next states beyond the included ones that rows lead to, as [index, name]. */
  readonly otherStateNames: readonly (readonly [number, string])[];
  readonly actionNames: readonly string[];
  /** One block per step (h = 1 …), or a single h = 0 block when both P and r are stationary. */
  readonly steps: readonly MdpStepView[];
  /** Steps of a per-step MDP left out to keep the payload small. */
  readonly omittedSteps: number;
  readonly notes: readonly string[];
  /**
   * The MDP as a graph (states as nodes, each entry of P an edge labelled "action p"), laid out where
   * the view is built, for a small MDP with one transition kernel; drawn read-only beside the tables.
   */
  readonly graph?: GraphView;
}

export type View = HeatmapView | BcTableView | PlotView | DatasetView | MdpView;

export function mimeOf(view: View): ViewMime {
  switch (view.kind) {
    case 'heatmap':
      return MIME.heatmap;
    case 'bc-table':
      return MIME.bcTable;
    case 'plot':
      return MIME.plot;
    case 'dataset':
      return MIME.dataset;
    case 'mdp':
      return MIME.mdp;
  }
}

const isIntArray = (x: unknown, length?: number): boolean => Array.isArray(x) && (length === undefined || x.length === length) && x.every((v) => Number.isInteger(v));
const isNumberArray = (x: unknown, length: number): boolean => Array.isArray(x) && x.length === length && x.every((v) => typeof v === 'number');

/** A map the grid component can index without checking: one kind and one state per cell. */
function isGridMapView(x: unknown): x is GridView {
  if (!isRecord(x) || !Number.isInteger(x.rows) || !Number.isInteger(x.cols) || typeof x.cells !== 'string') return false;
  const cells = (x.rows as number) * (x.cols as number);
  return x.cells.length === cells && isIntArray(x.stateOf, cells) && Number.isInteger(x.cliffState);
}

/** The steps of an overlay and arrays of `perStep` numbers for each of them. */
function overlayFits(steps: unknown, perStep: number, ...arrays: unknown[]): boolean {
  if (!isIntArray(steps) || (steps as number[]).length === 0) return false;
  const n = (steps as number[]).length * perStep;
  return arrays.every((a) => a === undefined || isNumberArray(a, n));
}

function statesOf(map: GridView): number {
  return map.stateOf.reduce((m, s) => Math.max(m, s + 1), Math.max(0, map.cliffState + 1));
}

function isPolicyGrid(x: unknown, nS: number): boolean {
  if (!isGridMapView(x)) return false;
  const o = x.overlay;
  if (!isRecord(o) || typeof o.expert !== 'string' || !Number.isInteger(o.H) || typeof o.valueMax !== 'number' || statesOf(x) > nS) return false;
  return overlayFits(o.steps, nS * 4, o.policy) && overlayFits(o.steps, nS, o.value);
}

function isDatasetGrid(x: unknown, nS: number): boolean {
  if (!isRecord(x) || typeof x.name !== 'string' || !isGridMapView(x.map) || statesOf(x.map) > nS) return false;
  const c = x.coverage;
  return isRecord(c) && Number.isInteger(c.N) && overlayFits(c.steps, nS, c.counts, c.disagreement);
}

function isGraph(x: unknown, nS: number): boolean {
  if (!isRecord(x) || !Array.isArray(x.states) || x.states.length !== nS || !Array.isArray(x.actions) || !isRecord(x.summary)) return false;
  const edges = Array.isArray(x.from) ? x.from.length : -1;
  if (!isIntArray(x.from) || !isIntArray(x.to, edges) || !isIntArray(x.action, edges) || !isNumberArray(x.prob, edges) || !isIntArray(x.editable, edges)) return false;
  if (!isNumberArray(x.rowSums, nS * x.actions.length)) return false;
  const inRange = (list: unknown, n: number) => (list as number[]).every((v) => v >= 0 && v < n);
  if (!inRange(x.from, nS) || !inRange(x.to, nS) || !inRange(x.action, x.actions.length)) return false;
  const l = x.layout;
  return l === undefined || (isRecord(l) && isNumberArray(l.x, nS) && isNumberArray(l.y, nS) && typeof l.width === 'number' && typeof l.height === 'number');
}

/** Structural check of a payload received from outside (a saved notebook, a message). */
export function isView(value: unknown): value is View {
  if (!isRecord(value)) return false;
  const v = value;
  if (v.version !== VIEW_VERSION || typeof v.title !== 'string') return false;
  switch (v.kind) {
    case 'heatmap': {
      const h = value as unknown as HeatmapView;
      return Number.isInteger(h.rows) && Number.isInteger(h.cols) && Array.isArray(h.values) && h.values.length === h.rows * h.cols && Array.isArray(h.stepStart) && h.stepStart.length === h.rows;
    }
    case 'bc-table': {
      const b = value as unknown as BcTableView;
      return Number.isInteger(b.nA) && Array.isArray(b.steps) && Array.isArray(b.actionNames) && (b.grid === undefined || (Number.isInteger(b.nS) && isPolicyGrid(b.grid, b.nS)));
    }
    case 'plot': {
      const p = value as unknown as PlotView;
      return Array.isArray(p.series) && p.series.every((s) => typeof s?.name === 'string' && Array.isArray(s.points));
    }
    case 'dataset': {
      const d = value as unknown as DatasetView;
      return Number.isInteger(d.N) && Number.isInteger(d.H) && Array.isArray(d.trajectories) && Array.isArray(d.statesSeenPerStep) && (d.grid === undefined || (Number.isInteger(d.nS) && isDatasetGrid(d.grid, d.nS)));
    }
    case 'mdp': {
      const m = value as unknown as MdpView;
      if (!Number.isInteger(m.nS) || !Number.isInteger(m.nA) || !Number.isInteger(m.H) || !Array.isArray(m.rho) || !Array.isArray(m.steps)) return false;
      if (!Array.isArray(m.stateNames) || !Array.isArray(m.actionNames) || !Array.isArray(m.otherStateNames) || !Array.isArray(m.notes)) return false;
      // Every step covers the included states: the renderer indexes them without checking.
      const rows = m.rho.length * m.nA;
      if (m.graph !== undefined && !isGraph(m.graph, m.nS)) return false;
      return m.steps.every(
        (step) =>
          isRecord(step) &&
          Number.isInteger(step.h) &&
          Array.isArray(step.reward) &&
          step.reward.length === rows &&
          Array.isArray(step.transitions) &&
          step.transitions.length === rows &&
          step.transitions.every((t) => isRecord(t) && Array.isArray(t.next) && Array.isArray(t.prob) && t.next.length === t.prob.length),
      );
    }
    default:
      return false;
  }
}
