/**
 * Builds the custom editor's view model from the .ilmdp text: parse, then describe what to show.
 * vscode-free, so it is unit-tested directly.
 */
import { isMap, isScalar, parseDocument, type Node } from 'yaml';
import { coverage, datasetFromTrajectories, expectedMissingMass, missingMass, missingMassBound, type Dataset } from '../core/dataset';
import type { MDP } from '../core/mdp';
import { actionDistribution, type Policy } from '../core/policy';
import { sampleTrajectories } from '../core/sampling';
import { datasetFormatOf, parseDatasetFile } from '../ilmdp/datasetFile';
import { parseIlmdp } from '../ilmdp/parse';
import type { DatasetStatsView, DiagnosticView, MdpEditorViewModel, ParameterView, TransitionDraftView, TransitionRowView } from '../shared/mdpEditorProtocol';

const MAX_TABLE_ROWS = 400;
const INTEGER_KEYS = new Set(['horizon', 'states', 'actions', 'N', 'branching', 'seed']);
const PROBABILITY_KEYS = new Set(['slip']);

/** The plain numbers written directly under `mdp:` that have a known meaning. */
function parameters(text: string): ParameterView[] {
  const doc = parseDocument(text);
  const mdp = doc.get('mdp', true) as Node | null;
  if (!isMap(mdp)) return [];
  const out: ParameterView[] = [];
  for (const pair of mdp.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!isScalar(pair.value) || typeof pair.value.value !== 'number') continue;
    const kind = INTEGER_KEYS.has(key) ? 'integer' : PROBABILITY_KEYS.has(key) ? 'probability' : undefined;
    if (kind) out.push({ key, value: pair.value.value, kind, path: ['mdp', key] });
  }
  return out;
}
/** Datasets up to this many (trajectory, step) pairs are summarised right away (a few ms); larger ones wait for the worker. */
const MAX_HOST_SAMPLES = 100_000;
const PREVIEW_TRAJECTORIES = 20;

function datasetStats(mdp: MDP, data: Dataset, expert?: Policy): DatasetStatsView {
  const states = mdp.stateNames ?? [];
  const actions = mdp.actionNames ?? [];
  const preview: [string, string][][] = [];
  for (let i = 0; i < Math.min(PREVIEW_TRAJECTORIES, data.N); i++) {
    const tr: [string, string][] = [];
    for (let h = 0; h < data.H; h++) {
      const s = data.states[i * data.H + h];
      if (s >= 0) tr.push([states[s] ?? `s${s}`, actions[data.actions[i * data.H + h]] ?? `a${data.actions[i * data.H + h]}`]);
    }
    preview.push(tr);
  }
  const stats: DatasetStatsView = { N: data.N, H: data.H, coverage: Array.from(coverage(data)), preview };
  if (!expert || data.N === 0) return stats;
  return {
    ...stats,
    missingMass: missingMass(mdp, expert, data).total,
    expectedMissingMass: expectedMissingMass(mdp, expert, data.N),
    missingMassBound: missingMassBound(mdp.nS, mdp.H, data.N).value,
  };
}

/** True when the text at mdp.transitions.s.a.next is a plain number (so the editor may change it). */
function editablePaths(text: string): Set<string> {
  const out = new Set<string>();
  const doc = parseDocument(text);
  const root = doc.contents as Node | null;
  if (!isMap(root)) return out;
  const mdp = root.get('mdp', true) as Node | null;
  if (!isMap(mdp)) return out;
  const transitions = mdp.get('transitions', true) as Node | null;
  if (!isMap(transitions)) return out;
  for (const sPair of transitions.items) {
    if (!isMap(sPair.value)) continue;
    for (const aPair of sPair.value.items) {
      if (!isMap(aPair.value)) continue;
      for (const nPair of aPair.value.items) {
        if (isScalar(nPair.value) && typeof nPair.value.value === 'number') {
          out.add([String((sPair.key as { value: unknown }).value), String((aPair.key as { value: unknown }).value), String((nPair.key as { value: unknown }).value)].join('\u0000'));
        }
      }
    }
  }
  return out;
}

/** One view row per (s, a): its entries with their edit paths where the text holds a plain number, and the row sum. */
function transitionRows(
  states: readonly string[],
  actions: readonly string[],
  editable: ReadonlySet<string>,
  entriesOf: (row: number) => readonly (readonly [number, number])[],
  resetMassOf: (row: number) => number,
): TransitionRowView[] {
  const out: TransitionRowView[] = [];
  for (let s = 0; s < states.length; s++) {
    for (let a = 0; a < actions.length; a++) {
      const row = s * actions.length + a;
      const entries: { next: string; prob: number; editPath?: string[] }[] = [];
      let sum = 0;
      for (const [n, prob] of entriesOf(row)) {
        const next = states[n];
        const key = [states[s], actions[a], next].join('\u0000');
        entries.push({ next, prob, ...(editable.has(key) ? { editPath: ['mdp', 'transitions', states[s], actions[a], next] } : {}) });
        sum += prob;
      }
      const resetMass = resetMassOf(row);
      if (resetMass > 0) {
        entries.push({ next: 'ρ (reset)', prob: resetMass });
        sum += resetMass;
      }
      out.push({ state: states[s], action: actions[a], entries, sum });
    }
  }
  return out;
}

/**
 * `datasetFiles` holds the text of the dataset files the .ilmdp references (by the path written in it),
 * read by the host beforehand; files not given are listed without statistics.
 */
export function buildMdpEditorViewModel(
  text: string,
  datasetFiles: ReadonlyMap<string, string> = new Map(),
): { model: MdpEditorViewModel | null; diagnostics: DiagnosticView[]; draft?: TransitionDraftView } {
  const { model, draft, diagnostics } = parseIlmdp(text);
  const views: DiagnosticView[] = diagnostics.map((d) => ({ severity: d.severity, message: d.message, line: d.start.line, column: d.start.column, path: d.path }));
  if (!model) {
    // The rows as written stay on screen (and editable) so a wrong sum can be fixed where it was made.
    if (!draft || draft.states.length * draft.actions.length > MAX_TABLE_ROWS) return { model: null, diagnostics: views };
    const rows = transitionRows(draft.states, draft.actions, editablePaths(text), (row) => draft.rows[row], () => 0);
    return { model: null, diagnostics: views, draft: { states: [...draft.states], actions: [...draft.actions], transitions: rows } };
  }
  const { mdp } = model;
  const states = mdp.stateNames ? [...mdp.stateNames] : Array.from({ length: mdp.nS }, (_, s) => `s${s}`);
  const actions = mdp.actionNames ? [...mdp.actionNames] : Array.from({ length: mdp.nA }, (_, a) => `a${a}`);
  const doc = parseDocument(text);
  const generator = (doc.getIn(['mdp', 'generator']) as string | undefined) ?? 'explicit';
  const editable = generator === 'explicit' ? editablePaths(text) : new Set<string>();
  const truncated = mdp.nS * mdp.nA > MAX_TABLE_ROWS;
  const t = mdp.transitions[0];
  const transitions = truncated
    ? []
    : transitionRows(states, actions, editable, (row) => {
        const out: [number, number][] = [];
        for (let k = t.rowStart[row]; k < t.rowStart[row + 1]; k++) out.push([t.next[k], t.prob[k]]);
        return out;
      }, (row) => t.reset?.mass[row] ?? 0);
  const experts = [...model.experts].map(([name, pi]) => ({
    name,
    kind: pi.kind,
    rows: mdp.nS <= 200 ? states.map((state, s) => ({ state, probs: Array.from(actionDistribution(pi, 0, s)) })) : [],
  }));
  const datasets = [...model.datasets].map(([name, source]) => {
    let stats: DatasetStatsView | undefined;
    if (source.kind === 'generated' && source.trajectories * mdp.H <= MAX_HOST_SAMPLES) {
      const expert = model.experts.get(source.from)!;
      stats = datasetStats(mdp, sampleTrajectories(mdp, expert, source.trajectories, source.seed), expert);
    } else if (source.kind === 'inline') {
      stats = datasetStats(mdp, datasetFromTrajectories(mdp.nS, mdp.nA, mdp.H, source.trajectories));
    } else if (source.kind === 'file' && datasetFiles.has(source.path)) {
      const { dataset } = parseDatasetFile(datasetFiles.get(source.path)!, datasetFormatOf(source.path)!, mdp, source.path);
      if (dataset && dataset.N * dataset.H <= MAX_HOST_SAMPLES) stats = datasetStats(mdp, dataset);
    }
    return {
      name,
      source: source.kind,
      detail:
        source.kind === 'generated'
          ? `${source.trajectories} trajectories from ${source.from}, seed ${source.seed}`
          : source.kind === 'inline'
            ? `${source.trajectories.length} inline trajectories`
            : `file ${source.path}`,
      ...(stats ? { stats } : {}),
    };
  });
  return {
    model: {
      ...(model.description ? { description: model.description } : {}),
      kind: generator,
      states,
      actions,
      horizon: mdp.H,
      parameters: parameters(text),
      rho: Array.from(mdp.rho),
      transitions,
      transitionsTruncated: truncated,
      experts,
      datasets,
      diagnostics: views,
    },
    diagnostics: views,
  };
}
