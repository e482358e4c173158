/**
 * Builds the custom editor's view model from the .ilmdp text: parse, then describe what to show.
 * vscode-free, so it is unit-tested directly.
 */
import { isMap, isScalar, parseDocument, type Node } from 'yaml';
import { actionDistribution } from '../core/policy';
import { parseIlmdp } from '../ilmdp/parse';
import type { DiagnosticView, MdpEditorViewModel, TransitionRowView } from '../shared/mdpEditorProtocol';

const MAX_TABLE_ROWS = 400;

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

export function buildMdpEditorViewModel(text: string): { model: MdpEditorViewModel | null; diagnostics: DiagnosticView[] } {
  const { model, diagnostics } = parseIlmdp(text);
  const views: DiagnosticView[] = diagnostics.map((d) => ({ severity: d.severity, message: d.message, line: d.start.line, column: d.start.column, path: d.path }));
  if (!model) return { model: null, diagnostics: views };
  const { mdp } = model;
  const states = mdp.stateNames ? [...mdp.stateNames] : Array.from({ length: mdp.nS }, (_, s) => `s${s}`);
  const actions = mdp.actionNames ? [...mdp.actionNames] : Array.from({ length: mdp.nA }, (_, a) => `a${a}`);
  const doc = parseDocument(text);
  const generator = (doc.getIn(['mdp', 'generator']) as string | undefined) ?? 'explicit';
  const editable = generator === 'explicit' ? editablePaths(text) : new Set<string>();
  const transitions: TransitionRowView[] = [];
  const truncated = mdp.nS * mdp.nA > MAX_TABLE_ROWS;
  if (!truncated) {
    const t = mdp.transitions[0];
    for (let s = 0; s < mdp.nS; s++) {
      for (let a = 0; a < mdp.nA; a++) {
        const row = s * mdp.nA + a;
        const entries: { next: string; prob: number; editPath?: string[] }[] = [];
        let sum = 0;
        for (let k = t.rowStart[row]; k < t.rowStart[row + 1]; k++) {
          const next = states[t.next[k]];
          const key = [states[s], actions[a], next].join('\u0000');
          entries.push({ next, prob: t.prob[k], ...(editable.has(key) ? { editPath: ['mdp', 'transitions', states[s], actions[a], next] } : {}) });
          sum += t.prob[k];
        }
        const resetMass = t.reset?.mass[row] ?? 0;
        if (resetMass > 0) {
          entries.push({ next: 'ρ (reset)', prob: resetMass });
          sum += resetMass;
        }
        transitions.push({ state: states[s], action: actions[a], entries, sum });
      }
    }
  }
  const experts = [...model.experts].map(([name, pi]) => ({
    name,
    kind: pi.kind,
    rows: mdp.nS <= 200 ? states.map((state, s) => ({ state, probs: Array.from(actionDistribution(pi, 0, s)) })) : [],
  }));
  const datasets = [...model.datasets].map(([name, source]) => ({
    name,
    source: source.kind,
    detail:
      source.kind === 'generated'
        ? `${source.trajectories} trajectories from ${source.from}, seed ${source.seed}`
        : source.kind === 'inline'
          ? `${source.trajectories.length} inline trajectories`
          : `file ${source.path}`,
  }));
  return {
    model: {
      ...(model.description ? { description: model.description } : {}),
      kind: generator,
      states,
      actions,
      horizon: mdp.H,
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
