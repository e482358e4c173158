/**
 * The .ilmdp visual editor's webview: renders the host's view model and sends edit requests. It does
 * no IL computation and never edits text itself. Dataset statistics arrive after the model (the host
 * computes them in a worker); trajectories arrive page by page as the table scrolls.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { GraphView } from '../../src/shared/graphView';
import type { DatasetStatsEntry, DiagnosticView, EditorToHostMessage, HostToEditorMessage, MdpEditorViewModel, PanelRequest, TransitionDraftView } from '../../src/shared/mdpEditorProtocol';
import type { Disposable } from '../components/dom';
import { renderGridMap, type CellKind } from '../components/gridMap';
import { renderMdpGraph, type GraphMemory } from '../components/mdpGraph';
import { renderHeatmap } from '../components/heatmap';
import { ensureStyles } from '../components/styles';
import { trajectoryTable, type TrajectoryTable } from './trajectoryTable';

declare function acquireVsCodeApi(): { postMessage(message: EditorToHostMessage): void };
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

// The shared components' stylesheet, as a constructed sheet (the CSP allows no inline <style>).
ensureStyles(document);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: { className?: string; text?: string } = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...children);
  return node;
}

function custom(tag: string, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

function button(label: string, onClick: () => void, secondary = false, title?: string): HTMLElement {
  const b = custom('vscode-button', secondary ? { secondary: '' } : {}, label);
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

// A number in [0, 1]: a numeric text field would reject 0.9 under the default step of 1.
const PROBABILITY_PATTERN = '(0(\\.\\d*)?|1(\\.0*)?|\\.\\d+)';

function fmt(p: number): string {
  return Number.isInteger(p) ? String(p) : String(+p.toPrecision(6));
}

/** A field for one number of the text: sends set-scalar when the value matches its pattern. */
function numberField(value: number, path: readonly string[], label: string, pattern = PROBABILITY_PATTERN): HTMLElement {
  const field = custom('vscode-textfield', { value: fmt(value), pattern, 'aria-label': label });
  field.addEventListener('change', () => {
    const text = (field as HTMLInputElement).value.trim();
    // Only a matching number is sent; anything else stays in the field, marked invalid by its pattern.
    if (new RegExp(`^${pattern}$`).test(text)) vscode.postMessage({ type: 'set-scalar', path, value: Number(text) });
  });
  return field;
}

function problemsFor(diagnostics: readonly DiagnosticView[], prefix: string): HTMLElement | null {
  const mine = diagnostics.filter((d) => d.path === prefix || d.path.startsWith(`${prefix}.`));
  if (mine.length === 0) return null;
  return el('ul', { className: 'problems' }, ...mine.map((d) => el('li', { className: d.severity, text: `line ${d.line}: ${d.message}` })));
}

function transitionTable(model: Pick<MdpEditorViewModel, 'transitions' | 'transitionsTruncated' | 'states' | 'actions'>, diagnostics: readonly DiagnosticView[]): HTMLElement {
  if (model.transitionsTruncated) return el('p', { text: `${model.states.length} states × ${model.actions.length} actions: too many rows to show here.` });
  const table = el('table', { className: 'transitions' });
  table.append(el('tr', {}, el('th', { text: 'state' }), el('th', { text: 'action' }), el('th', { text: 'next state: probability' }), el('th', { text: 'row sum' })));
  for (const row of model.transitions) {
    const cells = el('td', { className: 'entries' });
    for (const entry of row.entries) {
      const label = el('label', { className: 'entry' }, `${entry.next}: `);
      label.append(entry.editPath ? numberField(entry.prob, entry.editPath, `P(${entry.next} | ${row.state}, ${row.action})`) : fmt(entry.prob));
      cells.append(label);
    }
    const ok = Math.abs(row.sum - 1) <= 1e-9;
    const sum = el('td', { className: ok ? 'sum ok' : 'sum bad', text: fmt(row.sum) });
    if (!ok) sum.title = 'probabilities must sum to 1';
    const problems = problemsFor(diagnostics, `mdp.transitions.${row.state}.${row.action}`);
    if (problems) cells.append(problems);
    table.append(el('tr', {}, el('td', { text: row.state }), el('td', { text: row.action }), cells, sum));
  }
  return table;
}

function rhoAndRewards(model: MdpEditorViewModel, diagnostics: readonly DiagnosticView[]): HTMLElement {
  const box = el('div');
  if (model.states.length > 200) return box;
  const rho = el('table', { className: 'rho' });
  rho.append(el('tr', {}, el('th', { text: 'state' }), el('th', { text: 'ρ(s)' })));
  model.states.forEach((state, s) => {
    const path = model.rhoPaths?.[s];
    rho.append(el('tr', {}, el('td', { text: state }), el('td', {}, path ? numberField(model.rho[s], path, `ρ(${state})`) : fmt(model.rho[s]))));
  });
  box.append(el('h3', { text: 'initial distribution ρ' }));
  if (!model.rhoPaths) box.append(el('p', { className: 'description', text: model.kind === 'explicit' ? 'uniform; write initial: {state: probability} in the text to set it here' : 'set by the generator' }));
  box.append(rho);
  const rhoProblems = problemsFor(diagnostics, 'mdp.initial');
  if (rhoProblems) box.append(rhoProblems);
  if (!model.rewards) return box;
  const rewards = el('table', { className: 'rewards' });
  rewards.append(el('tr', {}, el('th', { text: 'state' }), el('th', { text: 'all actions' }), ...model.actions.map((a) => el('th', { text: `r(s, ${a})` }))));
  for (const row of model.rewards) {
    const uniform = row.rewards.every((r) => r === row.rewards[0]);
    const all = row.allPath ? numberField(uniform ? row.rewards[0] : 0, row.allPath, `r(${row.state}, every action)`) : el('span', { className: 'description', text: row.actionPaths ? 'per action' : '' });
    const perAction = row.rewards.map((r, a) => el('td', {}, row.actionPaths ? numberField(r, row.actionPaths[a], `r(${row.state}, ${model.actions[a]})`) : fmt(r)));
    rewards.append(el('tr', {}, el('td', { text: row.state }), el('td', {}, all), ...perAction));
  }
  box.append(el('h3', { text: 'rewards r(s, a) ∈ [0, 1]' }), rewards);
  const rewardProblems = problemsFor(diagnostics, 'mdp.rewards');
  if (rewardProblems) box.append(rewardProblems);
  return box;
}

function expertTables(model: MdpEditorViewModel, diagnostics: readonly DiagnosticView[]): HTMLElement {
  const experts = el('div');
  for (const expert of model.experts) {
    const table = el('table', { className: 'policy' });
    table.append(el('tr', {}, el('th', { text: 'state' }), ...model.actions.map((a) => el('th', { text: a }))));
    const deterministic = expert.editPrefix?.[2] === 'policy';
    for (const row of expert.rows) {
      const tr = el('tr', {}, el('td', { text: row.state }));
      if (row.editable && deterministic) {
        const select = el('select', { className: 'action' });
        select.setAttribute('aria-label', `${expert.name}: action in ${row.state}`);
        model.actions.forEach((a, i) => {
          const option = el('option', { text: a });
          option.value = a;
          option.selected = row.probs[i] === 1;
          select.append(option);
        });
        select.addEventListener('change', () => vscode.postMessage({ type: 'set-scalar', path: [...expert.editPrefix!, row.state], value: select.value }));
        const td = el('td', {}, select);
        td.colSpan = model.actions.length;
        tr.append(td);
      } else {
        row.probs.forEach((p, a) => tr.append(el('td', {}, row.editable ? numberField(p, [...expert.editPrefix!, row.state, model.actions[a]], `π_${expert.name}(${model.actions[a]} | ${row.state})`) : fmt(p))));
      }
      table.append(tr);
    }
    const actions = el('div', { className: 'toolbar' }, button('Visitation heatmap', () => panel('visitation', { expert: expert.name }), true), button('Plot gap vs H', () => panel('gap-vs-h', { expert: expert.name }), true));
    experts.append(el('h3', { text: `${expert.name} (${expert.kind})` }), actions, table);
    const problems = problemsFor(diagnostics, `experts.${expert.name}`);
    if (problems) experts.append(problems);
  }
  return experts;
}

function panel(which: PanelRequest, selection: { expert?: string; dataset?: string }): void {
  vscode.postMessage({ type: 'panel', panel: which, ...selection });
}

// ---- state ----------------------------------------------------------------------------------------

let current: Extract<HostToEditorMessage, { type: 'model' }> | undefined;
let stats: { version: number; datasets: Map<string, DatasetStatsEntry> } | { version: number; failed: string } | undefined;
let datasetsHost: HTMLElement | undefined;
let datasetDisposables: Disposable[] = [];
let gridDisposable: Disposable | undefined;
let mapHost: HTMLElement | undefined;
const gridState: { step: number; brush: CellKind; focus?: { row: number; col: number }; show: string } = { step: 1, brush: 'wall', show: 'expert' };

/** The map section of a gridworld; the cell that had the focus keeps it across the re-render an edit brings. */
function mapSection(): HTMLElement {
  mapHost = el('div', { className: 'grid-map' });
  renderMap();
  return mapHost;
}

/** Draws the map with what is known now: the model, and the datasets' statistics once they arrive. */
function renderMap(): void {
  const grid = current?.model?.grid;
  if (!mapHost || !grid || !current) return;
  gridDisposable?.dispose();
  const datasets = stats && stats.version === current.version && 'datasets' in stats ? [...stats.datasets.values()].flatMap((d) => (d.stats?.grid ? [{ name: d.name, overlay: d.stats.grid }] : [])) : [];
  gridDisposable = renderGridMap(mapHost, grid, {
    onPaint: (cells) => vscode.postMessage({ type: 'paint-map', cells }),
    onResize: (rows, cols) => vscode.postMessage({ type: 'resize-map', rows, cols }),
    step: gridState.step,
    onStep: (h) => (gridState.step = h),
    brush: gridState.brush,
    onBrush: (kind) => (gridState.brush = kind),
    ...(gridState.focus ? { focus: gridState.focus } : {}),
    onFocusChange: (cell) => (gridState.focus = cell),
    datasets,
    show: gridState.show,
    onShow: (show) => (gridState.show = show),
  });
}

let graphDisposable: Disposable | undefined;
const graphMemory: GraphMemory = {};

/** The graph section of an explicit MDP (also when its rows do not yet sum to 1, from the draft). */
function graphSection(graph: GraphView): HTMLElement {
  const title = graph.layout ? `Graph (${graph.summary.states} states, ${graph.summary.edges} edges)` : `Graph (${graph.summary.states} states: summary and neighbourhoods)`;
  const host = el('div', { className: 'graph-view' });
  graphDisposable = renderMdpGraph(host, graph, {
    onSetProbability: (path, value) => vscode.postMessage({ type: 'set-scalar', path, value }),
    onNameEdit: (edit) => vscode.postMessage({ type: 'name-edit', ...edit }),
    memory: graphMemory,
  });
  return custom('vscode-collapsible', { title, open: '' }, host);
}

const tables = new Map<string, TrajectoryTable>();
const scrollPositions = new Map<string, number>();

function datasetSection(model: MdpEditorViewModel, d: MdpEditorViewModel['datasets'][number], version: number): HTMLElement {
  const actions = el('div', { className: 'toolbar' }, button('Run BC', () => panel('bc-table', { dataset: d.name, ...(d.from ? { expert: d.from } : {}) }), false, 'behavioral cloning on this dataset: the BC table'), button('Export CSV', () => vscode.postMessage({ type: 'export-dataset', dataset: d.name, format: 'csv' }), true), button('Export JSONL', () => vscode.postMessage({ type: 'export-dataset', dataset: d.name, format: 'jsonl' }), true));
  const section = el('section', { className: 'dataset' }, el('h3', { text: `${d.name} (${d.source})` }), el('p', { className: 'description', text: d.detail }), actions);
  if (!stats || stats.version !== version) {
    section.append(el('p', { className: 'description pending', text: 'computing statistics…' }));
    return section;
  }
  if ('failed' in stats) {
    section.append(el('p', { className: 'description', text: `no statistics: ${stats.failed}` }));
    return section;
  }
  const entry = stats.datasets.get(d.name);
  if (entry?.error) section.append(el('p', { className: 'problems error', text: entry.error }));
  if (entry?.problems) section.append(el('ul', { className: 'problems' }, ...entry.problems.map((p) => el('li', { className: 'error', text: p }))));
  const s = entry?.stats;
  if (!s) return section;
  const summary = el('dl', { className: 'summary' });
  const item = (k: string, v: string) => summary.append(el('dt', { text: k }), el('dd', { text: v }));
  item('trajectories N', String(s.N));
  item('horizon H', String(s.H));
  if (s.observedSteps < s.N * s.H) item('observed steps', `${s.observedSteps} of N·H = ${s.N * s.H}`);
  item('states seen per step', s.H <= 24 ? s.coverage.join(', ') : `${s.coverageRange[0]}–${s.coverageRange[1]} of ${model.states.length}`);
  if (s.missingMass !== undefined) {
    item('missing mass M(D)', `${fmt(s.missingMass)} (expected ${fmt(s.expectedMissingMass ?? NaN)}, bound 4|S|H/(9N) = ${fmt(s.missingMassBound ?? NaN)})`);
  }
  section.append(summary);
  const heatmapHost = el('div', { className: 'coverage-heatmap' });
  section.append(heatmapHost);
  datasetDisposables.push(renderHeatmap(heatmapHost, s.heatmap));
  if (s.N > 0) {
    const table = trajectoryTable({
      dataset: d.name,
      version,
      N: s.N,
      H: s.H,
      states: model.states,
      actions: model.actions,
      requestPage: (start, count) => vscode.postMessage({ type: 'page', version, dataset: d.name, start, count }),
      ...(scrollPositions.has(d.name) ? { scrollTop: scrollPositions.get(d.name)! } : {}),
    });
    tables.set(d.name, table);
    section.append(el('p', { className: 'description', text: `${s.N} trajectories (scroll; pages load as they come into view)` }), table.element);
  }
  return section;
}

function renderDatasets(): void {
  if (!datasetsHost || !current?.model) return;
  for (const [name, t] of tables) {
    scrollPositions.set(name, t.scrollTop());
    t.dispose();
  }
  tables.clear();
  for (const d of datasetDisposables) d.dispose();
  datasetDisposables = [];
  const { model, version } = current;
  if (model.datasets.length === 0) {
    datasetsHost.replaceChildren(el('p', { className: 'description', text: 'No datasets yet: Generate dataset samples one from an expert; Import dataset adds a CSV or JSONL file.' }));
    return;
  }
  datasetsHost.replaceChildren(...model.datasets.map((d) => datasetSection(model, d, version)));
}

function toolbar(model: MdpEditorViewModel | null): HTMLElement {
  const bar = el('div', { className: 'toolbar' });
  bar.append(button('Open in notebook', () => vscode.postMessage({ type: 'open-notebook' })), button('Open as text', () => vscode.postMessage({ type: 'open-text' }), true));
  if (!model) return bar;
  bar.append(button('Generate dataset', () => vscode.postMessage({ type: 'generate-dataset' }), true, 'sample N trajectories from an expert with a seed'), button('Import dataset', () => vscode.postMessage({ type: 'import-dataset' }), true, 'add a CSV or JSONL file as a dataset'));
  const firstExpert = model.experts[0]?.name;
  const firstDataset = model.datasets[0];
  bar.append(
    button('Run BC', () => panel('bc-table', firstDataset ? { dataset: firstDataset.name } : {}), true, 'BC table of the first dataset (each dataset has its own button)'),
    button('Show visitation heatmap', () => panel('visitation', firstExpert ? { expert: firstExpert } : {}), true, 'd^π_h(s) of the first expert'),
    button('Plot gap vs H', () => panel('gap-vs-h', firstExpert ? { expert: firstExpert } : {}), true),
  );
  return bar;
}

function render(message: Extract<HostToEditorMessage, { type: 'model' }>): void {
  current = message;
  const { model, diagnostics } = message;
  const children: Node[] = [toolbar(model)];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (diagnostics.length > 0) {
    children.push(
      el('section', { className: 'diagnostics' }, el('h2', { text: `${errors.length} error(s), ${diagnostics.length - errors.length} warning(s)` }), el('ul', { className: 'problems' }, ...diagnostics.map((d) => el('li', { className: d.severity, text: `line ${d.line}, column ${d.column}: ${d.message}` })))),
    );
  }
  datasetsHost = undefined;
  gridDisposable?.dispose();
  gridDisposable = undefined;
  mapHost = undefined;
  // Whether the keyboard was in the graph: the new graph gives its remembered item the focus back.
  graphMemory.refocus = Boolean(document.activeElement?.closest?.('.graph-view'));
  graphDisposable?.dispose();
  graphDisposable = undefined;
  if (model) {
    if (model.grid) children.push(custom('vscode-collapsible', { title: `Map (${model.grid.rows} × ${model.grid.cols})`, open: '' }, mapSection()));
    if (model.graph) children.push(graphSection(model.graph));
    if (model.description) children.push(el('p', { className: 'description', text: model.description }));
    const summary = el('dl', { className: 'summary' });
    const item = (k: string, v: string) => summary.append(el('dt', { text: k }), el('dd', { text: v }));
    item('MDP', model.kind === 'explicit' ? 'written out in the file' : `generator: ${model.kind}`);
    item('states', `${model.states.length}${model.states.length <= 20 ? ` (${model.states.join(', ')})` : ''}`);
    item('actions', `${model.actions.length} (${model.actions.join(', ')})`);
    item('horizon H', String(model.horizon));
    if (model.parameters.length > 0) {
      const params = el('div', { className: 'parameters' });
      for (const p of model.parameters) params.append(el('label', { className: 'entry' }, `${p.key}: `, numberField(p.value, p.path, p.key, p.kind === 'integer' ? '[1-9][0-9]*' : PROBABILITY_PATTERN)));
      summary.append(el('dt', { text: 'parameters' }), el('dd', {}, params));
    }
    children.push(custom('vscode-collapsible', { title: 'MDP', open: '' }, summary, rhoAndRewards(model, diagnostics), el('h3', { text: 'transitions' }), transitionTable(model, diagnostics)));
    children.push(custom('vscode-collapsible', { title: `Experts (${model.experts.length})`, open: '' }, expertTables(model, diagnostics)));
    datasetsHost = el('div');
    children.push(custom('vscode-collapsible', { title: `Datasets (${model.datasets.length})`, open: '' }, datasetsHost));
  } else {
    children.push(el('p', { text: 'The MDP cannot be built until the errors above are fixed.' }));
    const draft: TransitionDraftView | undefined = message.draft;
    if (draft?.graph) children.push(graphSection(draft.graph));
    if (draft && draft.transitions.length > 0) children.push(custom('vscode-collapsible', { title: 'Transitions (as written)', open: '' }, transitionTable({ ...draft, transitionsTruncated: false }, diagnostics)));
  }
  app.replaceChildren(...children);
  renderDatasets();
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data as HostToEditorMessage | null;
  if (!data || typeof data !== 'object') return;
  switch (data.type) {
    case 'model':
      if (Array.isArray(data.diagnostics)) render(data);
      return;
    case 'stats':
      stats = { version: data.version, datasets: new Map(data.datasets.map((d) => [d.name, d])) };
      if (current?.version === data.version) {
        renderDatasets();
        renderMap();
      }
      return;
    case 'stats-failed':
      stats = { version: data.version, failed: data.message };
      if (current?.version === data.version) renderDatasets();
      return;
    case 'page':
      tables.get(data.page.dataset)?.receive(data.version, data.page);
      return;
  }
});

// Undo/redo typed inside a field acts on the field; elsewhere it reaches VS Code's document undo stack.
window.addEventListener(
  'keydown',
  (e) => {
    const inField = (e.target as HTMLElement | null)?.closest?.('vscode-textfield, input, textarea, select');
    if (inField && (e.ctrlKey || e.metaKey) && ['z', 'y'].includes(e.key.toLowerCase())) e.stopPropagation();
  },
  true,
);

vscode.postMessage({ type: 'ready' });
