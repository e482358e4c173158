import type { GraphView } from './graphView';
import type { GridDatasetOverlay, GridView } from './gridView';
import type { HeatmapView } from './viewModels';
import { isRecord } from '../core/guards';

/**
 * What the .ilmdp custom editor's webview is shown (a view model built on the host from the parsed
 * text) and what it may ask for. The webview never computes IL: it renders and sends edit requests,
 * each a path of map keys plus a new scalar, which the host turns into a minimal text edit.
 */

export interface DiagnosticView {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly line: number;
  readonly column: number;
  /** Dotted YAML path, so a field can show the problems that concern it. */
  readonly path: string;
}

export interface TransitionEntryView {
  readonly next: string;
  readonly prob: number;
  /** Key path of this probability in the text, or undefined when it is not a single editable number. */
  readonly editPath?: readonly string[];
}

export interface TransitionRowView {
  readonly state: string;
  readonly action: string;
  readonly entries: readonly TransitionEntryView[];
  readonly sum: number;
}

export interface ExpertView {
  readonly name: string;
  readonly kind: 'deterministic' | 'stochastic' | 'counts';
  /** π(a|s) per state (stationary experts; step 1 otherwise), actions in order. */
  readonly rows: readonly { readonly state: string; readonly probs: readonly number[]; readonly editable?: boolean }[];
  /**
   * Where the policy table is written, when its entries can be edited one by one: the path of a state's
   * action (deterministic: [...editPrefix, state], a name) or of one probability (stochastic:
   * [...editPrefix, state, action]). Rows marked editable only.
   */
  readonly editPrefix?: readonly string[];
}

/** r(s, ·) of one state and how it is written: one number for every action, or one per action. */
export interface RewardRowView {
  readonly state: string;
  readonly rewards: readonly number[];
  /** Path of the one number that sets every action's reward (written so, or not written at all). */
  readonly allPath?: readonly string[];
  /** Paths per action when the state's rewards are a map {action: reward}. */
  readonly actionPaths?: readonly (readonly string[])[];
}

export interface DatasetStatsView {
  readonly N: number;
  readonly H: number;
  /** (trajectory, step) pairs with an observation (imported episodes may be shorter than H). */
  readonly observedSteps: number;
  /** Distinct states seen at each step (the first MAX_COVERAGE_STEPS steps of a longer horizon). */
  readonly coverage: readonly number[];
  /** Fewest and most distinct states seen at any step, over all H steps. */
  readonly coverageRange: readonly [number, number];
  /** n_h(s)/N, steps × states (binned to the heatmap budget). */
  readonly heatmap: HeatmapView;
  /** M(D) with respect to the expert that generated the data (generated datasets only). */
  readonly missingMass?: number;
  /** E[M(D)] = Σ_h Σ_s d_h(s)(1 − d_h(s))^N and the bound 4|S|H/(9N), beside the measured value. */
  readonly expectedMissingMass?: number;
  readonly missingMassBound?: number;
  /** Gridworlds: coverage per cell and BC's disagreement with the expert, to draw on the map. */
  readonly grid?: GridDatasetOverlay;
}

export interface DatasetView {
  readonly name: string;
  readonly source: 'generated' | 'inline' | 'file';
  readonly detail: string;
  /** The expert a generated dataset comes from. */
  readonly from?: string;
  /** The file of a file dataset, as written (relative to the .ilmdp). */
  readonly file?: string;
}

/** What the editor worker found for one dataset: its statistics, or why there are none. */
export interface DatasetStatsEntry {
  readonly name: string;
  readonly stats?: DatasetStatsView;
  /** The dataset could not be realised (a missing file, a header without the needed columns). */
  readonly error?: string;
  /** Bad rows of a dataset file (the first ones), as "row n: …". */
  readonly problems?: readonly string[];
}

/**
 * Trajectories start … start + count − 1 of a dataset: `steps` entries per trajectory (H, or its first
 * steps when H alone exceeds the page budget), −1 where unobserved.
 */
export interface TrajectoryPage {
  readonly dataset: string;
  readonly start: number;
  readonly count: number;
  readonly H: number;
  readonly steps: number;
  readonly states: readonly number[];
  readonly actions: readonly number[];
}

/** A number written directly under `mdp:` (horizon, generator parameters) that the editor may change. */
export interface ParameterView {
  readonly key: string;
  readonly value: number;
  /** 'integer' ≥ 1, or 'probability' in [0, 1]; anything else is edited in the text. */
  readonly kind: 'integer' | 'probability';
  readonly path: readonly string[];
}

export interface MdpEditorViewModel {
  readonly description?: string;
  /** 'explicit' or the generator's name. */
  readonly kind: string;
  readonly states: readonly string[];
  readonly actions: readonly string[];
  readonly horizon?: number;
  readonly parameters: readonly ParameterView[];
  readonly rho: readonly number[];
  /** Paths of ρ(s) per state when the initial distribution is written as a map (absent states are added). */
  readonly rhoPaths?: readonly (readonly string[])[];
  /** Explicit MDPs only: r(s, a) with where each number is written. */
  readonly rewards?: readonly RewardRowView[];
  /** Shown only for MDPs small enough to read (|S||A| ≤ 400). */
  readonly transitions: readonly TransitionRowView[];
  readonly transitionsTruncated: boolean;
  readonly experts: readonly ExpertView[];
  readonly datasets: readonly DatasetView[];
  readonly diagnostics: readonly DiagnosticView[];
  /** Gridworlds: the map as a grid, with the first expert's policy and values on it. */
  readonly grid?: GridView;
  /** Explicit MDPs: states as nodes, transition entries as edges (drawn whole up to 200 states). */
  readonly graph?: GraphView;
}

/** The transition table as written, sent when the MDP cannot be built so its rows can still be fixed. */
export interface TransitionDraftView {
  readonly states: readonly string[];
  readonly actions: readonly string[];
  /** Empty when there are too many rows for the table (the graph may still be drawn). */
  readonly transitions: readonly TransitionRowView[];
  /** The rows as a graph, wrong sums and missing rows marked on it. */
  readonly graph?: GraphView;
}

/** Per-step lists in a stats message stop here (a payload stays bounded whatever H is). */
export const MAX_COVERAGE_STEPS = 1000;

export type HostToEditorMessage =
  | {
      readonly type: 'model';
      /** The document version the model was built from; stats and pages carry it too. */
      readonly version: number;
      readonly model: MdpEditorViewModel | null;
      readonly diagnostics: readonly DiagnosticView[];
      readonly draft?: TransitionDraftView;
    }
  | { readonly type: 'stats'; readonly version: number; readonly datasets: readonly DatasetStatsEntry[] }
  | { readonly type: 'stats-failed'; readonly version: number; readonly message: string }
  | { readonly type: 'page'; readonly version: number; readonly page: TrajectoryPage };

/** The panels another part of the extension draws; the editor only asks for them. */
export type PanelRequest = 'bc-table' | 'visitation' | 'gap-vs-h';

export type EditorToHostMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'set-scalar'; readonly path: readonly string[]; readonly value: number | string }
  | { readonly type: 'paint-map'; readonly cells: readonly PaintedCellMessage[] }
  | { readonly type: 'resize-map'; readonly rows: number; readonly cols: number }
  | NameEditMessage
  | { readonly type: 'open-text' }
  | { readonly type: 'open-notebook' }
  | { readonly type: 'page'; readonly version: number; readonly dataset: string; readonly start: number; readonly count: number }
  | { readonly type: 'generate-dataset' }
  | { readonly type: 'import-dataset' }
  | { readonly type: 'export-dataset'; readonly dataset: string; readonly format: 'csv' | 'jsonl' }
  | { readonly type: 'panel'; readonly panel: PanelRequest; readonly expert?: string; readonly dataset?: string };

/** Add, rename or delete a state or an action of an explicit MDP, every reference in one edit (src/ilmdp/nameEdits.ts). */
export interface NameEditMessage {
  readonly type: 'name-edit';
  readonly op: 'add' | 'rename' | 'delete';
  readonly what: 'state' | 'action';
  readonly name: string;
  /** The new name (rename only). */
  readonly to?: string;
}

export interface PaintedCellMessage {
  readonly row: number;
  readonly col: number;
  readonly kind: 'wall' | 'free' | 'start' | 'goal' | 'cliff';
}

/** Cells one stroke may paint (a 200 × 200 map). */
export const MAX_PAINTED_CELLS = 40_000;
const CELL_KINDS = new Set(['wall', 'free', 'start', 'goal', 'cliff']);

function isPaintedCell(x: unknown): x is PaintedCellMessage {
  return isRecord(x) && isIndex(x.row, 1e6) && isIndex(x.col, 1e6) && typeof x.kind === 'string' && CELL_KINDS.has(x.kind);
}

/** Trajectories a webview may ask for at once. */
export const MAX_PAGE_REQUEST = 200;

function isName(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length < 256;
}

function isIndex(x: unknown, max: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= max;
}

export function isEditorToHostMessage(x: unknown): x is EditorToHostMessage {
  if (!isRecord(x)) return false;
  const m = x;
  switch (m.type) {
    case 'ready':
    case 'open-text':
    case 'open-notebook':
    case 'generate-dataset':
    case 'import-dataset':
      return true;
    case 'set-scalar':
      return (
        Array.isArray(m.path) &&
        m.path.length > 0 &&
        m.path.length <= 16 &&
        m.path.every(isName) &&
        ((typeof m.value === 'number' && Number.isFinite(m.value)) || isName(m.value))
      );
    case 'paint-map':
      return Array.isArray(m.cells) && m.cells.length > 0 && m.cells.length <= MAX_PAINTED_CELLS && m.cells.every(isPaintedCell);
    case 'resize-map':
      return isIndex(m.rows, 1e6) && isIndex(m.cols, 1e6);
    case 'name-edit':
      return (m.op === 'add' || m.op === 'rename' || m.op === 'delete') && (m.what === 'state' || m.what === 'action') && isName(m.name) && (m.op === 'rename' ? isName(m.to) : m.to === undefined);
    case 'page':
      return isIndex(m.version, Number.MAX_SAFE_INTEGER) && isName(m.dataset) && isIndex(m.start, 1e9) && isIndex(m.count, MAX_PAGE_REQUEST) && m.count > 0;
    case 'export-dataset':
      return isName(m.dataset) && (m.format === 'csv' || m.format === 'jsonl');
    case 'panel':
      return (m.panel === 'bc-table' || m.panel === 'visitation' || m.panel === 'gap-vs-h') && (m.expert === undefined || isName(m.expert)) && (m.dataset === undefined || isName(m.dataset));
    default:
      return false;
  }
}
