/**
 * The panels' vocabulary, shared by the extension host, the compute worker and the panel webview:
 * what a panel shows (its kind and parameters), what it remembers across a window reload, and the
 * messages between host and webview. Every message that crosses a boundary is checked with the
 * guards below before use; a webview is untrusted input as far as the host is concerned.
 */
import { isAlgorithmName, type AlgorithmName } from '../core/algorithmNames';
import { isView, type View } from './viewModels';
import { isRecord, isStringArray } from '../core/guards';

export type PanelKind = 'heatmap' | 'bc-table' | 'gap-vs-H' | 'gap-vs-N';

export const PANEL_KINDS: readonly PanelKind[] = ['heatmap', 'bc-table', 'gap-vs-H', 'gap-vs-N'];

export const PANEL_TITLES: Record<PanelKind, string> = {
  heatmap: 'Visitation Heatmap',
  'bc-table': 'BC Table',
  'gap-vs-H': 'Gap vs Horizon',
  'gap-vs-N': 'Gap vs Samples',
};

/** The command that opens each kind of panel (its arguments: an .ilmdp URI and { expert?, dataset? }). */
export const PANEL_COMMANDS: Readonly<Record<PanelKind, string>> = {
  heatmap: 'ilNotebooks.showVisitationHeatmap',
  'bc-table': 'ilNotebooks.showBcTable',
  'gap-vs-H': 'ilNotebooks.plotGapVsHorizon',
  'gap-vs-N': 'ilNotebooks.plotGapVsSamples',
};

/** Whose visitation a heatmap shows: the expert, the BC policy cloned from a dataset, or d^E − d^BC. */
export type HeatmapPolicy = 'expert' | 'bc' | 'difference';

export interface HeatmapParams {
  readonly kind: 'heatmap';
  readonly expert?: string;
  readonly dataset?: string;
  readonly policy: HeatmapPolicy;
  /** d_h(s, a) instead of d_h(s). */
  readonly stateAction: boolean;
  readonly scale: 'linear' | 'log';
}

export interface BcTableParams {
  readonly kind: 'bc-table';
  readonly expert?: string;
  readonly dataset?: string;
  readonly mode: 'per-step' | 'pooled';
}

export interface GapVsHorizonParams {
  readonly kind: 'gap-vs-H';
  readonly expert?: string;
  /** Learners compared on the same datasets (default: BC alone). */
  readonly algorithms?: readonly AlgorithmName[];
  readonly N: number;
  readonly horizons: readonly number[];
  readonly seeds: number;
  readonly mode: 'per-step' | 'pooled';
  readonly baseSeed: string;
}

export interface GapVsSamplesParams {
  readonly kind: 'gap-vs-N';
  readonly expert?: string;
  /** Learners compared on the same datasets (default: BC alone). */
  readonly algorithms?: readonly AlgorithmName[];
  /** Horizon of the sweep (default: the MDP's own). */
  readonly H?: number;
  readonly sampleSizes: readonly number[];
  readonly seeds: number;
  readonly mode: 'per-step' | 'pooled';
  readonly baseSeed: string;
}

export type PanelParams = HeatmapParams | BcTableParams | GapVsHorizonParams | GapVsSamplesParams;

/** Largest sweep a panel accepts: points × seeds × learners (the CLI has no such limit). */
export const MAX_PANEL_SWEEP_DATASETS = 1_000_000;
export const MAX_SWEEP_POINTS = 64;

export function defaultParams(kind: PanelKind): PanelParams {
  switch (kind) {
    case 'heatmap':
      return { kind, policy: 'expert', stateAction: false, scale: 'linear' };
    case 'bc-table':
      return { kind, mode: 'per-step' };
    case 'gap-vs-H':
      return { kind, N: 40, horizons: [1, 2, 4, 8, 16, 32, 64], seeds: 200, mode: 'per-step', baseSeed: 'panel', algorithms: ['bc'] };
    case 'gap-vs-N':
      return { kind, sampleSizes: [5, 10, 20, 40, 80, 160, 320], seeds: 200, mode: 'per-step', baseSeed: 'panel', algorithms: ['bc'] };
  }
}

/** What a panel shows a file from: the .ilmdp's path and, while it is open, its unsaved text. */
export interface PanelSource {
  readonly file: string;
  readonly text: string;
  /**
   * Where its dataset files may come from (the editor's policy: the workspace folder unless the user
   * allows more); plain data, the shape of ilmdp's DatasetFileAccess. Without it only the file's folder.
   */
  readonly datasetFiles?: PanelDatasetFiles;
}

export interface PanelDatasetFiles {
  readonly roots: readonly string[];
  readonly allowOutside?: boolean;
  readonly rootsLabel: string;
  readonly howToAllow: string;
}

export function isPanelDatasetFiles(x: unknown): x is PanelDatasetFiles {
  return isRecord(x) && isStringArray(x.roots) && (x.allowOutside === undefined || typeof x.allowOutside === 'boolean') && typeof x.rootsLabel === 'string' && typeof x.howToAllow === 'string';
}

/** What the compute worker answers for a panel request: the view, and what the file offers to choose from. */
export interface PanelResult {
  readonly view: View;
  readonly experts: readonly string[];
  readonly datasets: readonly string[];
  /** The choices actually used (the first expert or dataset when none was named). */
  readonly used: { readonly expert?: string; readonly dataset?: string };
}

/** Saved by the webview (getState/setState) so that a reloaded window reopens the same panel. */
export type PanelState =
  | { readonly uri: string; readonly params: PanelParams }
  /** A snapshot (from a notebook output) has no file: its view is kept as is. */
  | { readonly snapshot: View };

// ---- host → webview ----
export type HostToPanel =
  /** A computed view with the parameters and choices behind it (absent for a snapshot). */
  | { readonly type: 'show'; readonly view: View; readonly source: string; readonly live?: { readonly uri: string; readonly params: PanelParams; readonly experts: readonly string[]; readonly datasets: readonly string[] } }
  | { readonly type: 'busy'; readonly message: string }
  | { readonly type: 'problems'; readonly source: string; readonly problems: readonly string[]; readonly uri: string; readonly params: PanelParams };

// ---- webview → host ----
export type ExportFormat = 'png' | 'csv' | 'json';

export type PanelToHost =
  | { readonly type: 'ready' }
  | { readonly type: 'set-params'; readonly params: PanelParams }
  | { readonly type: 'export'; readonly format: ExportFormat; /** PNG as a data: URL, read from the chart's canvas. */ readonly dataUrl?: string }
  | { readonly type: 'open-source' };

function isOptionalName(x: unknown): x is string | undefined {
  return x === undefined || (typeof x === 'string' && x.length > 0 && x.length <= 200);
}

function isCount(x: unknown, max: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= max;
}

function isIncreasingCounts(x: unknown, max: number): x is readonly number[] {
  return Array.isArray(x) && x.length >= 1 && x.length <= MAX_SWEEP_POINTS && x.every((v, i) => isCount(v, max) && (i === 0 || v > (x[i - 1] as number)));
}

const isAlgorithmList = (x: unknown): boolean =>
  x === undefined || (Array.isArray(x) && x.length >= 1 && x.every(isAlgorithmName) && new Set(x).size === x.length);

/** Datasets a sweep draws: every learner gets the same ones, so the count is per learner. */
export function sweepDatasets(points: number, seeds: number, algorithms: readonly unknown[] | undefined): number {
  return points * seeds * Math.max(1, algorithms?.length ?? 1);
}

const isMode = (x: unknown): x is 'per-step' | 'pooled' => x === 'per-step' || x === 'pooled';
const isSeedText = (x: unknown): x is string => typeof x === 'string' && x.length <= 100;

/** Limits a user can reach from the panel's form; the CLI takes anything bigger. */
export const PARAM_LIMITS = { N: 1_000_000, H: 10_000, seeds: 100_000 } as const;

/** What both sweeps share after their own axis: seeds, BC mode, base seed, learners, and the size limit. */
function isSweepRest(x: Record<string, unknown>, points: number): boolean {
  return (
    isCount(x.seeds, PARAM_LIMITS.seeds) &&
    isMode(x.mode) &&
    isSeedText(x.baseSeed) &&
    isAlgorithmList(x.algorithms) &&
    sweepDatasets(points, x.seeds, x.algorithms as unknown[] | undefined) <= MAX_PANEL_SWEEP_DATASETS
  );
}

export function isPanelParams(x: unknown): x is PanelParams {
  if (!isRecord(x) || !isOptionalName(x.expert)) return false;
  switch (x.kind) {
    case 'heatmap':
      return (
        isOptionalName(x.dataset) &&
        (x.policy === 'expert' || x.policy === 'bc' || x.policy === 'difference') &&
        typeof x.stateAction === 'boolean' &&
        (x.scale === 'linear' || x.scale === 'log')
      );
    case 'bc-table':
      return isOptionalName(x.dataset) && isMode(x.mode);
    case 'gap-vs-H':
      return isCount(x.N, PARAM_LIMITS.N) && isIncreasingCounts(x.horizons, PARAM_LIMITS.H) && isSweepRest(x, x.horizons.length);
    case 'gap-vs-N':
      return (x.H === undefined || isCount(x.H, PARAM_LIMITS.H)) && isIncreasingCounts(x.sampleSizes, PARAM_LIMITS.N) && isSweepRest(x, x.sampleSizes.length);
    default:
      return false;
  }
}

export function isPanelToHost(x: unknown): x is PanelToHost {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'ready':
    case 'open-source':
      return true;
    case 'set-params':
      return isPanelParams(x.params);
    case 'export':
      return (
        (x.format === 'csv' || x.format === 'json') ||
        (x.format === 'png' && typeof x.dataUrl === 'string' && x.dataUrl.startsWith('data:image/png;base64,') && x.dataUrl.length < 64 * 1024 * 1024)
      );
    default:
      return false;
  }
}

const isNames = (x: unknown): x is readonly string[] => Array.isArray(x) && x.every((n) => typeof n === 'string');

function isLive(x: unknown): boolean {
  return isRecord(x) && typeof x.uri === 'string' && isPanelParams(x.params) && isNames(x.experts) && isNames(x.datasets);
}

export function isHostToPanel(x: unknown): x is HostToPanel {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case 'show':
      return isView(x.view) && typeof x.source === 'string' && (x.live === undefined || isLive(x.live));
    case 'busy':
      return typeof x.message === 'string';
    case 'problems':
      return Array.isArray(x.problems) && x.problems.every((p) => typeof p === 'string') && typeof x.source === 'string' && typeof x.uri === 'string' && isPanelParams(x.params);
    default:
      return false;
  }
}

export function isPanelState(x: unknown): x is PanelState {
  if (!isRecord(x)) return false;
  if (x.snapshot !== undefined) return isView(x.snapshot);
  return typeof x.uri === 'string' && x.uri.length > 0 && isPanelParams(x.params);
}

