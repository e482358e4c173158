/**
 * The pictures some table views carry, drawn above their tables with the editor's own components: a
 * gridworld's policy on its map (the grid's expert layer: arrows ∝ π_h(a|s), V_h(s) as colour, a step
 * slider), a gridworld's dataset on its map (coverage n_h(s) per cell and step, unseen cells outlined,
 * and BC's disagreement with the expert when the view has it), and a small MDP's graph, read-only (no
 * edit affordances: no handlers are given, so the component offers none). Notebook outputs and panels
 * draw the same views, so both get the pictures.
 */
import type { BcTableView, DatasetView, MdpView } from '../../src/shared/viewModels';
import { el, type Disposable } from './dom';
import { renderGridMap } from './gridMap';
import { renderMdpGraph } from './mdpGraph';

/**
 * A picture's place in its view and how to draw it: drawn once the view is in the page, so that the
 * components' styles go to the root it is in (a notebook output's shadow root, a panel's document).
 */
export interface Picture {
  readonly element: HTMLElement;
  draw(link?: StepLink): Disposable;
}

/** A map's step slider tied to the table below it: where the slider starts, and who hears it move. */
export interface StepLink {
  /** The step h (from 1) the slider starts at. */
  readonly step?: number;
  readonly onStep?: (h: number) => void;
}

/** The policy of a BC table on its map, or nothing. */
export function policyPicture(view: BcTableView): Picture | undefined {
  const grid = view.grid;
  if (!grid?.overlay) return undefined;
  const host = el('div', { className: 'iln-view-map' });
  return { element: host, draw: (link) => renderGridMap(host, { ...grid, paintable: false }, { ...(link?.step ? { step: link.step } : {}), ...(link?.onStep ? { onStep: link.onStep } : {}) }) };
}

/** A dataset's coverage on its map, or nothing. */
export function datasetPicture(view: DatasetView): Picture | undefined {
  const grid = view.grid;
  if (!grid) return undefined;
  const host = el('div', { className: 'iln-view-map' });
  return {
    element: host,
    draw: () => renderGridMap(host, { ...grid.map, paintable: false }, { datasets: [{ name: grid.name, overlay: grid.coverage }], show: `coverage:${grid.name}` }),
  };
}

/** A small MDP's graph, read-only, or nothing. */
export function graphPicture(view: MdpView): Picture | undefined {
  const graph = view.graph;
  if (!graph) return undefined;
  const host = el('div', { className: 'iln-view-graph' });
  return { element: host, draw: () => renderMdpGraph(host, graph) };
}
