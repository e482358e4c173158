/**
 * The .ilmdp visual editor's webview: renders the host's view model and sends edit requests. It does
 * no IL computation and never edits text itself.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { DiagnosticView, EditorToHostMessage, HostToEditorMessage, MdpEditorViewModel } from '../../src/shared/mdpEditorProtocol';

declare function acquireVsCodeApi(): { postMessage(message: EditorToHostMessage): void };
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;

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

// A number in [0, 1]: a numeric text field would reject 0.9 under the default step of 1.
const PROBABILITY_PATTERN = '(0(\\.\\d*)?|1(\\.0*)?|\\.\\d+)';

function fmt(p: number): string {
  return Number.isInteger(p) ? String(p) : String(+p.toPrecision(6));
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
      if (entry.editPath) {
        const field = custom('vscode-textfield', { value: fmt(entry.prob), pattern: PROBABILITY_PATTERN, 'aria-label': `P(${entry.next} | ${row.state}, ${row.action})` });
        field.addEventListener('change', () => {
          const text = (field as HTMLInputElement).value.trim();
          // Only a probability is sent; anything else stays in the field, marked invalid by its pattern.
          if (new RegExp(`^${PROBABILITY_PATTERN}$`).test(text)) vscode.postMessage({ type: 'set-scalar', path: entry.editPath!, value: Number(text) });
        });
        label.append(field);
      } else label.append(fmt(entry.prob));
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

function coverageChart(coverage: readonly number[], nS: number): HTMLCanvasElement {
  // One bar per step: the share of the states seen at that step. Colours come from the theme.
  const canvas = document.createElement('canvas');
  const barWidth = Math.max(2, Math.min(12, Math.floor(600 / Math.max(1, coverage.length))));
  canvas.width = barWidth * coverage.length;
  canvas.height = 40;
  canvas.className = 'coverage';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `states seen per step: ${coverage.join(', ')} of ${nS}`);
  const ctx = canvas.getContext('2d');
  if (!ctx) return canvas;
  const style = getComputedStyle(document.body);
  ctx.fillStyle = style.getPropertyValue('--vscode-charts-blue').trim() || style.getPropertyValue('--vscode-foreground').trim() || '#888';
  coverage.forEach((c, h) => {
    const height = Math.round((40 * c) / Math.max(1, nS));
    ctx.fillRect(h * barWidth, 40 - height, barWidth - 1, height);
  });
  return canvas;
}

function datasetSection(d: MdpEditorViewModel['datasets'][number]): HTMLElement {
  const section = el('section', { className: 'dataset' }, el('h3', { text: `${d.name} (${d.source})` }), el('p', { className: 'description', text: d.detail }));
  const stats = d.stats;
  if (!stats) {
    section.append(el('p', { text: 'Statistics appear here for datasets up to 10⁵ steps.' }));
    return section;
  }
  const summary = el('dl', { className: 'summary' });
  const item = (k: string, v: string) => summary.append(el('dt', { text: k }), el('dd', { text: v }));
  item('trajectories N', String(stats.N));
  item('horizon H', String(stats.H));
  if (stats.missingMass !== undefined) {
    item('missing mass M(D)', `${fmt(stats.missingMass)} (expected ${fmt(stats.expectedMissingMass ?? NaN)}, bound 4|S|H/(9N) = ${fmt(stats.missingMassBound ?? NaN)})`);
  }
  section.append(summary, el('p', { text: 'states seen per step' }), coverageChart(stats.coverage, currentStates));
  const preview = el('table', { className: 'preview' });
  preview.append(el('tr', {}, el('th', { text: '#' }), el('th', { text: 'trajectory (state, action)…' })));
  stats.preview.forEach((tr, i) => preview.append(el('tr', {}, el('td', { text: String(i + 1) }), el('td', { text: tr.map(([s, a]) => `${s}·${a}`).join(' → ') }))));
  section.append(preview);
  if (stats.N > stats.preview.length) section.append(el('p', { className: 'description', text: `first ${stats.preview.length} of ${stats.N} trajectories` }));
  return section;
}

let currentStates = 1;

function render(message: HostToEditorMessage): void {
  const { model, diagnostics } = message;
  const children: Node[] = [];
  const toolbar = el('div', { className: 'toolbar' });
  const openText = custom('vscode-button', { secondary: '' }, 'Open as text');
  openText.addEventListener('click', () => vscode.postMessage({ type: 'open-text' }));
  const openNotebook = custom('vscode-button', {}, 'Open in notebook');
  openNotebook.addEventListener('click', () => vscode.postMessage({ type: 'open-notebook' }));
  toolbar.append(openNotebook, openText);
  children.push(toolbar);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (diagnostics.length > 0) {
    children.push(
      el('section', { className: 'diagnostics' }, el('h2', { text: `${errors.length} error(s), ${diagnostics.length - errors.length} warning(s)` }), el('ul', { className: 'problems' }, ...diagnostics.map((d) => el('li', { className: d.severity, text: `line ${d.line}, column ${d.column}: ${d.message}` })))),
    );
  }
  if (model) {
    currentStates = model.states.length;
    if (model.description) children.push(el('p', { className: 'description', text: model.description }));
    const summary = el('dl', { className: 'summary' });
    const item = (k: string, v: string) => summary.append(el('dt', { text: k }), el('dd', { text: v }));
    item('MDP', model.kind === 'explicit' ? 'written out in the file' : `generator: ${model.kind}`);
    item('states', `${model.states.length}${model.states.length <= 20 ? ` (${model.states.join(', ')})` : ''}`);
    item('actions', `${model.actions.length} (${model.actions.join(', ')})`);
    item('horizon H', String(model.horizon));
    if (model.parameters.length > 0) {
      const params = el('div', { className: 'parameters' });
      for (const p of model.parameters) {
        const pattern = p.kind === 'integer' ? '[1-9][0-9]*' : PROBABILITY_PATTERN;
        const field = custom('vscode-textfield', { value: fmt(p.value), pattern, 'aria-label': p.key });
        field.addEventListener('change', () => {
          const text = (field as HTMLInputElement).value.trim();
          if (new RegExp(`^${pattern}$`).test(text)) vscode.postMessage({ type: 'set-scalar', path: p.path, value: Number(text) });
        });
        params.append(el('label', { className: 'entry' }, `${p.key}: `, field));
      }
      summary.append(el('dt', { text: 'parameters' }), el('dd', {}, params));
    }
    item('ρ', model.rho.length <= 20 ? model.rho.map((p, s) => `${model.states[s]}: ${fmt(p)}`).join(', ') : `${model.rho.length} entries`);
    children.push(custom('vscode-collapsible', { title: 'MDP', open: '' }, summary, transitionTable(model, diagnostics)));
    const experts = el('div');
    for (const expert of model.experts) {
      const table = el('table', { className: 'policy' });
      table.append(el('tr', {}, el('th', { text: 'state' }), ...model.actions.map((a) => el('th', { text: a }))));
      for (const row of expert.rows) table.append(el('tr', {}, el('td', { text: row.state }), ...row.probs.map((p) => el('td', { text: fmt(p) }))));
      experts.append(el('h3', { text: `${expert.name} (${expert.kind})` }), table);
    }
    children.push(custom('vscode-collapsible', { title: `Experts (${model.experts.length})`, open: '' }, experts));
    const datasets = el('div');
    for (const d of model.datasets) datasets.append(datasetSection(d));
    children.push(custom('vscode-collapsible', { title: `Datasets (${model.datasets.length})`, open: '' }, datasets));
  } else {
    children.push(el('p', { text: 'The MDP cannot be built until the errors above are fixed.' }));
    if (message.draft) {
      const { states, actions, transitions } = message.draft;
      currentStates = states.length;
      children.push(custom('vscode-collapsible', { title: 'Transitions (as written)', open: '' }, transitionTable({ states, actions, transitions, transitionsTruncated: false }, diagnostics)));
    }
  }
  app.replaceChildren(...children);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data as Partial<HostToEditorMessage> | null;
  if (data && data.type === 'model' && Array.isArray(data.diagnostics)) render(data as HostToEditorMessage);
});

// Undo/redo typed inside a field acts on the field; elsewhere it reaches VS Code's document undo stack.
window.addEventListener(
  'keydown',
  (e) => {
    const inField = (e.target as HTMLElement | null)?.closest?.('vscode-textfield, input, textarea');
    if (inField && (e.ctrlKey || e.metaKey) && ['z', 'y'].includes(e.key.toLowerCase())) e.stopPropagation();
  },
  true,
);

vscode.postMessage({ type: 'ready' });
