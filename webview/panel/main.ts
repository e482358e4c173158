/**
 * The view panel's webview: draws what the host sends with the components the notebook renderer uses,
 * offers the parameters as a form (changes are sent to the host, which re-computes), exports, and saves
 * what it shows with setState so the panel comes back after a window reload. It computes nothing.
 */
import { isHostToPanel, type HostToPanel, type PanelParams, type PanelState, type PanelToHost } from '../../src/shared/panelProtocol';
import type { View } from '../../src/shared/viewModels';
import { renderBcTable } from '../components/bcTable';
import { renderDataset } from '../components/datasetTable';
import { el, type Disposable } from '../components/dom';
import { renderHeatmap } from '../components/heatmap';
import { renderMdpTable } from '../components/mdpTable';
import { renderPlot } from '../components/plot';
import { ensureStyles } from '../components/styles';
import { fieldsOf, paramsFrom, valuesOf, type FieldSpec } from './formModel';

declare function acquireVsCodeApi(): { postMessage(message: PanelToHost): void; setState(state: PanelState): void; getState(): unknown };
const vscode = acquireVsCodeApi();
const post = (m: PanelToHost) => vscode.postMessage(m);

ensureStyles(document);
const app = document.getElementById('app')!;
const header = el('div', { className: 'panel-header' });
const form = el('form', { className: 'panel-form', attrs: { 'aria-label': 'Parameters' } });
const formError = el('div', { className: 'form-error', attrs: { role: 'alert' } });
const status = el('div', { className: 'panel-status', attrs: { role: 'status' } });
const problems = el('div', { className: 'panel-problems', attrs: { role: 'alert' } });
const content = el('div', { className: 'panel-content' });
app.append(header, form, formError, status, problems, content);

let drawn: Disposable | undefined;
let current: { params: PanelParams; experts: readonly string[]; datasets: readonly string[] } | undefined;
let view: View | undefined;
let debounce: ReturnType<typeof setTimeout> | undefined;

function button(text: string, title: string, onClick: () => void, disabled = false): HTMLButtonElement {
  const b = el('button', { text, attrs: { type: 'button', title } });
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

/** The chart's canvas (heatmap or plot); tables have none, so PNG export is off for them. */
function chartCanvas(): HTMLCanvasElement | null {
  return content.querySelector('canvas');
}

function drawHeader(source: string, live: boolean): void {
  const exports = el(
    'span',
    { className: 'exports' },
    button('PNG', 'Save the chart as a PNG image', () => {
      const canvas = chartCanvas();
      if (canvas) post({ type: 'export', format: 'png', dataUrl: canvas.toDataURL('image/png') });
    }, !chartCanvas()),
    button('CSV', 'Save the data behind the view as CSV', () => post({ type: 'export', format: 'csv' }), !view),
    button('JSON', 'Save the view model as JSON', () => post({ type: 'export', format: 'json' }), !view),
  );
  const sourceLabel = live
    ? el('a', { text: source, attrs: { href: '#', title: 'Open the file this panel follows' } })
    : el('span', { text: `from a ${source}` });
  if (live) sourceLabel.addEventListener('click', (e) => {
    e.preventDefault();
    post({ type: 'open-source' });
  });
  header.replaceChildren(el('span', { className: 'source' }, sourceLabel), exports);
}

function fieldElement(spec: FieldSpec, value: string): HTMLElement {
  const id = `field-${spec.key}`;
  let input: HTMLInputElement | HTMLSelectElement;
  if (spec.type === 'select') {
    const select = el('select', { attrs: { id, name: spec.key } });
    const options = spec.options ?? [];
    for (const o of options) select.append(el('option', { text: o.label, attrs: { value: o.value } }));
    // A name the file no longer has stays visible (and the host reports it) rather than silently switching.
    if (value && !options.some((o) => o.value === value)) select.append(el('option', { text: `${value} (missing)`, attrs: { value } }));
    select.value = value || (options[0]?.value ?? '');
    input = select;
  } else if (spec.type === 'checkbox') {
    const box = el('input', { attrs: { id, name: spec.key, type: 'checkbox' } });
    box.checked = value === 'true';
    input = box;
  } else {
    input = el('input', { attrs: { id, name: spec.key, type: 'text', spellcheck: 'false', value } });
    input.value = value;
    input.addEventListener('keydown', (e) => {
      // Undo inside the field belongs to the field, not to the document behind the panel.
      if ((e.ctrlKey || e.metaKey) && (e.key === 'z' || e.key === 'y')) e.stopPropagation();
    });
  }
  input.disabled = spec.disabled === true;
  if (spec.title) input.title = spec.title;
  const label = el('label', { text: spec.label, attrs: { for: id } });
  return el('span', { className: `field field-${spec.type}` }, ...(spec.type === 'checkbox' ? [input, label] : [label, input]));
}

function readFields(): Record<string, string> {
  const values: Record<string, string> = {};
  for (const input of form.querySelectorAll<HTMLInputElement | HTMLSelectElement>('input, select')) {
    values[input.name] = input instanceof HTMLInputElement && input.type === 'checkbox' ? String(input.checked) : input.value;
  }
  return values;
}

function drawForm(): void {
  if (!current) {
    form.replaceChildren();
    return;
  }
  const values = valuesOf(current.params);
  const fields = fieldsOf(current.params, current.experts, current.datasets);
  const sweep = current.params.kind === 'gap-vs-H' || current.params.kind === 'gap-vs-N';
  form.replaceChildren(...fields.map((f) => fieldElement(f, values[f.key] ?? '')), ...(sweep ? [el('button', { text: 'Run', attrs: { type: 'submit', title: 'Run the sweep again' } })] : []));
}

function submit(immediately: boolean): void {
  if (!current) return;
  const parsed = paramsFrom(current.params, readFields());
  if ('error' in parsed) {
    formError.textContent = parsed.error;
    return;
  }
  formError.textContent = '';
  clearTimeout(debounce);
  const send = () => {
    if (!current) return;
    current = { ...current, params: parsed.value };
    // Selects that enable or disable others (policy → dataset) redraw the form.
    drawForm();
    post({ type: 'set-params', params: parsed.value });
  };
  if (immediately) send();
  else debounce = setTimeout(send, 700);
}

form.addEventListener('change', (e) => submit(!(e.target instanceof HTMLInputElement && e.target.type === 'text')));
form.addEventListener('input', (e) => {
  if (e.target instanceof HTMLInputElement && e.target.type === 'text') submit(false);
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  submit(true);
});

function draw(v: View): void {
  drawn?.dispose();
  content.replaceChildren();
  const host = el('div');
  content.append(host);
  const scale = current?.params.kind === 'heatmap' ? current.params.scale : 'linear';
  switch (v.kind) {
    case 'heatmap':
      drawn = renderHeatmap(host, v, { scale });
      break;
    case 'bc-table':
      drawn = renderBcTable(host, v);
      break;
    case 'plot':
      drawn = renderPlot(host, v);
      break;
    case 'dataset':
      drawn = renderDataset(host, v);
      break;
    case 'mdp':
      drawn = renderMdpTable(host, v);
      break;
  }
}

function receive(message: HostToPanel): void {
  switch (message.type) {
    case 'busy':
      status.textContent = message.message;
      content.classList.add('stale');
      return;
    case 'show':
      status.textContent = '';
      problems.replaceChildren();
      content.classList.remove('stale');
      view = message.view;
      if (message.live) {
        current = { params: message.live.params, experts: message.live.experts, datasets: message.live.datasets };
        vscode.setState({ uri: message.live.uri, params: message.live.params });
      } else {
        current = undefined;
        vscode.setState({ snapshot: message.view });
      }
      drawForm();
      draw(message.view);
      drawHeader(message.source, message.live !== undefined);
      return;
    case 'problems':
      status.textContent = '';
      // Problems replace the chart: a stale chart beside an edited file would mislead.
      drawn?.dispose();
      drawn = undefined;
      view = undefined;
      content.replaceChildren();
      content.classList.remove('stale');
      current = { params: message.params, experts: current?.experts ?? [], datasets: current?.datasets ?? [] };
      vscode.setState({ uri: message.uri, params: message.params });
      drawForm();
      drawHeader(message.source, true);
      problems.replaceChildren(
        el('h2', { text: message.problems.length === 1 ? 'A problem stops this view' : `${message.problems.length} problems stop this view` }),
        el('ul', {}, ...message.problems.map((p) => el('li', { text: p }))),
      );
      return;
  }
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (isHostToPanel(event.data)) receive(event.data);
});

post({ type: 'ready' });
