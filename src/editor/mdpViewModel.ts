/**
 * Builds the custom editor's view model from the .ilmdp text: parse, then describe what to show.
 * It runs in the parse service (parseService.ts), never on the host; vscode-free, so it is unit-tested directly.
 */
import { isMap, isScalar, parseDocument, Scalar, type Document, type Node } from 'yaml';
import { parseGridMap } from '../core/envs/gridMap';
import { actionDistribution, type Policy } from '../core/policy';
import { parseIlmdp, type ParseResult } from '../ilmdp/parse';
import { buildGraphView, MAX_DRAWN_STATES, type GraphView } from '../shared/graphView';
import { buildGridView, type GridView } from '../shared/gridView';
import type { DiagnosticView, ExpertView, MdpEditorViewModel, ParameterView, RewardRowView, TransitionDraftView, TransitionRowView } from '../shared/mdpEditorProtocol';

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
function nodeAt(doc: Document, path: readonly string[]): Node | null | undefined {
  return doc.getIn(path, true) as Node | null | undefined;
}

/** ρ can be edited entry by entry when `initial:` is written as a map (states it leaves out are added). */
function rhoPaths(doc: Document, states: readonly string[]): string[][] | undefined {
  return isMap(nodeAt(doc, ['mdp', 'initial'])) ? states.map((s) => ['mdp', 'initial', s]) : undefined;
}

/** r(s, ·) per state, with the path of each number as written (one for all actions, or one per action). */
function rewardRows(doc: Document, states: readonly string[], actions: readonly string[], reward: Float64Array): RewardRowView[] {
  const section = nodeAt(doc, ['mdp', 'rewards']);
  return states.map((state, s) => {
    const rewards = Array.from(reward.subarray(s * actions.length, (s + 1) * actions.length));
    if (!isMap(section)) return { state, rewards };
    const value = section.get(state, true) as Node | null | undefined;
    if (value === undefined || (isScalar(value) && typeof value.value === 'number')) return { state, rewards, allPath: ['mdp', 'rewards', state] };
    if (isMap(value)) return { state, rewards, actionPaths: actions.map((a) => ['mdp', 'rewards', state, a]) };
    return { state, rewards };
  });
}

/** Experts written as one `policy:` or `stochastic:` table can be edited entry by entry. */
function expertViews(doc: Document, experts: ReadonlyMap<string, Policy>, states: readonly string[], nS: number): ExpertView[] {
  return [...experts].map(([name, pi]) => {
    const policy = nodeAt(doc, ['experts', name, 'policy']);
    const stochastic = nodeAt(doc, ['experts', name, 'stochastic']);
    const editPrefix = pi.stationary && isMap(policy) ? ['experts', name, 'policy'] : pi.stationary && isMap(stochastic) ? ['experts', name, 'stochastic'] : undefined;
    const rowEditable = (state: string): boolean => {
      if (!editPrefix) return false;
      const row = nodeAt(doc, [...editPrefix, state]);
      return editPrefix[2] === 'policy' ? row === undefined || (isScalar(row) && typeof row.value === 'string') : isMap(row);
    };
    return {
      name,
      kind: pi.kind,
      rows: nS <= 200 ? states.map((state, s) => ({ state, probs: Array.from(actionDistribution(pi, 0, s)), ...(rowEditable(state) ? { editable: true } : {}) })) : [],
      ...(editPrefix ? { editPrefix } : {}),
    };
  });
}

/**
 * The (s, a, next) whose probability the editor may change: a plain number at mdp.transitions.s.a.next,
 * or the shorthand `a: next` (setTransitionProbability writes it out as a map).
 */
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
      if (isScalar(aPair.value) && typeof aPair.value.value === 'string') {
        out.add([String((sPair.key as { value: unknown }).value), String((aPair.key as { value: unknown }).value), aPair.value.value].join('\u0000'));
        continue;
      }
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
 * Dataset statistics are not computed here: they come from the editor worker (datasetStore.ts) in a
 * message of their own, so building the view never samples or reads a dataset. `parsed` is the text's
 * parse when the caller has it already (the parse service shares one parse with the Problems panel).
 */
export function buildMdpEditorViewModel(text: string, parsed: ParseResult = parseIlmdp(text)): { model: MdpEditorViewModel | null; diagnostics: DiagnosticView[]; draft?: TransitionDraftView } {
  const { model, draft, diagnostics } = parsed;
  const views: DiagnosticView[] = diagnostics.map((d) => ({ severity: d.severity, message: d.message, line: d.start.line, column: d.start.column, path: d.path }));
  if (!model) {
    // The rows as written stay on screen (and editable) so a wrong sum can be fixed where it was made.
    if (!draft) return { model: null, diagnostics: views };
    const tableFits = draft.states.length * draft.actions.length <= MAX_TABLE_ROWS;
    // Too large for the table and the graph alike: the problems list is what there is.
    if (!tableFits && draft.states.length > MAX_DRAWN_STATES) return { model: null, diagnostics: views };
    const editable = editablePaths(text);
    const rows = tableFits ? transitionRows(draft.states, draft.actions, editable, (row) => draft.rows[row], () => 0) : [];
    const graph = graphOf(draft.states, draft.actions, editable, (row) => (writtenRows(text, draft.states, draft.actions).has(row) ? draft.rows[row] : undefined));
    return { model: null, diagnostics: views, draft: { states: [...draft.states], actions: [...draft.actions], transitions: rows, graph } };
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
  const experts = expertViews(doc, model.experts, states, mdp.nS);
  const datasets = [...model.datasets].map(([name, source]) => ({
    name,
    source: source.kind,
    detail:
      source.kind === 'generated'
        ? `${source.trajectories} trajectories from ${source.from}, seed ${source.seed}`
        : source.kind === 'inline'
          ? `${source.trajectories.length} inline trajectories`
          : `file ${source.path}`,
    ...(source.kind === 'generated' ? { from: source.from } : {}),
    ...(source.kind === 'file' ? { file: source.path } : {}),
  }));
  const explicit = generator === 'explicit';
  const grid = generator === 'gridworld' ? gridOf(doc, model) : undefined;
  const graph = explicit
    ? graphOf(states, actions, editable, (row) => {
        const out: [number, number][] = [];
        for (let k = t.rowStart[row]; k < t.rowStart[row + 1]; k++) out.push([t.next[k], t.prob[k]]);
        return out;
      }, mdp.rho)
    : undefined;
  const rho = explicit ? rhoPaths(doc, states) : undefined;
  return {
    model: {
      ...(model.description ? { description: model.description } : {}),
      kind: generator,
      states,
      actions,
      horizon: mdp.H,
      parameters: parameters(text),
      rho: Array.from(mdp.rho),
      ...(rho ? { rhoPaths: rho } : {}),
      ...(explicit && !truncated ? { rewards: rewardRows(doc, states, actions, mdp.reward) } : {}),
      transitions,
      transitionsTruncated: truncated,
      experts,
      datasets,
      diagnostics: views,
      ...(grid ? { grid } : {}),
      ...(graph ? { graph } : {}),
    },
    diagnostics: views,
  };
}

/** The map as a grid, with the first expert drawn on it; paintable when written as a block. */
function gridOf(doc: Document, model: NonNullable<ParseResult['model']>): GridView | undefined {
  const node = nodeAt(doc, ['mdp', 'map']);
  const map = isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
  const list = doc.getIn(['mdp', 'map']);
  const grid = parseGridMap(map ?? (Array.isArray((list as { toJSON?: () => unknown })?.toJSON?.()) ? ((list as { toJSON: () => string[] }).toJSON()) : ''));
  const [name, policy] = [...model.experts][0] ?? [];
  return buildGridView(grid, isScalar(node) && node.type === Scalar.BLOCK_LITERAL, name && policy ? { name, mdp: model.mdp, policy } : undefined);
}

/** The graph of an explicit MDP, its edges editable where the text holds a plain number. */
function graphOf(states: readonly string[], actions: readonly string[], editable: ReadonlySet<string>, entriesOf: (row: number) => readonly (readonly [number, number])[] | undefined, rho?: ArrayLike<number>): GraphView {
  return buildGraphView({
    states,
    actions,
    entriesOf,
    editable: (s, a, next) => editable.has([states[s], actions[a], states[next]].join('\u0000')),
    ...(rho ? { rho } : {}),
  });
}

/**
 * The rows a draft's transitions write (s·|A| + a), so that a row left out is shown as missing rather
 * than as a row of sum 0. Computed once per text.
 */
const writtenCache = new WeakMap<readonly string[], { text: string; rows: Set<number> }>();
function writtenRows(text: string, states: readonly string[], actions: readonly string[]): Set<number> {
  const hit = writtenCache.get(states);
  if (hit?.text === text) return hit.rows;
  const rows = new Set<number>();
  const transitions = parseDocument(text).getIn(['mdp', 'transitions'], true) as Node | undefined;
  const sIndex = new Map(states.map((n, i) => [n, i]));
  const aIndex = new Map(actions.map((n, i) => [n, i]));
  if (isMap(transitions)) {
    for (const sPair of transitions.items) {
      const s = sIndex.get(String((sPair.key as { value?: unknown } | null)?.value));
      if (s === undefined || !isMap(sPair.value)) continue;
      for (const aPair of sPair.value.items) {
        const a = aIndex.get(String((aPair.key as { value?: unknown } | null)?.value));
        if (a !== undefined) rows.add(s * actions.length + a);
      }
    }
  }
  writtenCache.set(states, { text, rows });
  return rows;
}
