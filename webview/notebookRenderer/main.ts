/**
 * Notebook renderer for the IL Notebooks output types. It validates each payload (outputs come
 * from saved files, so anything may arrive), draws it with the shared view components, and cleans up
 * observers and charts when VS Code disposes the output.
 */
import type { ActivationFunction, OutputItem } from 'vscode-notebook-renderer';
import { isView, type View } from '../../src/shared/viewModels';
import { renderBcTable } from '../components/bcTable';
import { renderDataset } from '../components/datasetTable';
import { el, type Disposable } from '../components/dom';
import { renderHeatmap } from '../components/heatmap';
import { renderMdpTable } from '../components/mdpTable';
import { renderPlot } from '../components/plot';
import { ensureStyles } from '../components/styles';
import { payloadProblem } from './payload';

function draw(container: HTMLElement, view: View): Disposable {
  switch (view.kind) {
    case 'heatmap':
      return renderHeatmap(container, view);
    case 'bc-table':
      return renderBcTable(container, view);
    case 'plot':
      return renderPlot(container, view);
    case 'dataset':
      return renderDataset(container, view);
    case 'mdp':
      return renderMdpTable(container, view);
  }
}

function errorBox(message: string, detail?: string): HTMLElement {
  const box = el('div', { className: 'iln-view iln-error', attrs: { role: 'alert' } }, el('strong', { text: 'IL Notebooks cannot draw this output. ' }), message);
  if (detail) box.append(el('pre', { text: detail }));
  return box;
}

function readPayload(item: OutputItem): { payload: unknown } | { error: string } {
  try {
    return { payload: item.json() as unknown };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

export const activate: ActivationFunction = (ctx) => {
  const rendered = new Map<string, Disposable>();

  function dispose(id: string): void {
    rendered.get(id)?.dispose();
    rendered.delete(id);
  }

  return {
    renderOutputItem(item, element) {
      // VS Code calls this again for an updated output: the previous drawing goes first.
      dispose(item.id);
      element.replaceChildren();
      const root = element.getRootNode();
      ensureStyles(root instanceof ShadowRoot ? root : document);

      const read = readPayload(item);
      if ('error' in read) {
        element.append(errorBox('The output is not valid JSON.', read.error));
        return;
      }
      const problem = payloadProblem(item.mime, read.payload);
      if (problem !== null || !isView(read.payload)) {
        element.append(errorBox(problem ?? 'The payload is not a view.'));
        return;
      }
      const view = read.payload;

      const host = el('div');
      if (!ctx.workspace.isTrusted) {
        element.append(el('div', { className: 'iln-view iln-untrusted', text: 'Untrusted workspace: this output is shown read-only; trust the workspace to re-run cells or open it in a panel.' }));
      } else if (ctx.postMessage) {
        const post = ctx.postMessage.bind(ctx);
        const open = el('button', { className: 'iln-secondary', text: 'Open in panel', attrs: { type: 'button', title: 'Open this view in its own editor panel' } });
        open.addEventListener('click', () => post({ type: 'open-in-panel', view }));
        element.append(el('div', { className: 'iln-view iln-toolbar' }, el('span', { className: 'iln-spacer' }), open));
      }
      element.append(host);
      try {
        rendered.set(item.id, draw(host, view));
      } catch (e) {
        host.replaceChildren(errorBox('Drawing failed.', e instanceof Error ? e.message : String(e)));
      }
    },
    disposeOutputItem(id) {
      if (id === undefined) for (const key of [...rendered.keys()]) dispose(key);
      else dispose(id);
    },
  };
};
