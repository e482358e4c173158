/**
 * An explicit MDP drawn as a graph: states as circles at the positions the parse service laid out,
 * every transition entry as an arrow coloured and dashed by its action (colour is never the only
 * cue) and labelled "action p". Rows that do not sum to 1 are drawn in the error colour and listed.
 * Past 200 states there is no whole picture: a summary and a search, and the state found is drawn
 * with its predecessors (left) and successors (right) one step away.
 *
 * Every node and edge is focusable (one tab stop; the arrow keys move through each state and then its
 * edges) and labelled for a screen reader ("start → middle under go, probability 0.9"). Enter or a
 * click selects one: an edge opens its probability with the row's sum checked as you type (Enter
 * sends one scalar edit); a state can be renamed or deleted, and an edge added from it (a row written
 * as the shorthand `go: goal` becomes the map it stands for); states and actions can be added and
 * actions renamed or deleted. Each of those is one request to the host, which edits the text.
 * Colours come only from VS Code's theme variables.
 */
import type { GraphView } from '../../src/shared/graphView';
import { el, type Disposable } from './dom';
import { edgeBetween, formatProbability, NODE_R, selfLoop, type Point } from './graphGeometry';

const SVG = 'http://www.w3.org/2000/svg';
/** Edge labels are drawn for graphs up to this many edges; beyond, on the focused or hovered edge only. */
const LABELLED_EDGES = 120;
/** Nodes per column of a neighbourhood before "and N more". */
const NEIGHBOURHOOD_COLUMN = 24;
const ACTION_STYLES = 6;
// A number in [0, 1], as the editor's other fields accept.
const PROBABILITY = /^(0(\.\d*)?|1(\.0*)?|\.\d+)$/;

export const GRAPH_CSS = `
.iln-graph-scroll { overflow: auto; max-height: 70vh; border: 1px solid var(--vscode-editorWidget-border, #454545); background: var(--vscode-editor-background, #1f1f1f); }
.iln-graph-svg { display: block; }
.iln-graph-svg text { font-family: var(--vscode-font-family, sans-serif); font-size: 12px; fill: var(--vscode-editor-foreground, #cccccc); }
.iln-graph-node circle.body { fill: var(--vscode-editor-background, #1f1f1f); stroke: var(--vscode-editor-foreground, #cccccc); stroke-width: 1.5; }
.iln-graph-node .initial-ring { fill: none; stroke: var(--vscode-charts-blue, #3794ff); stroke-width: 2.5; }
.iln-graph-node.bad circle.body { stroke: var(--vscode-errorForeground, #f85149); stroke-dasharray: 4 2; stroke-width: 2.5; }
.iln-graph-node.focal circle.body { stroke-width: 4; }
.iln-graph-node text { text-anchor: middle; dominant-baseline: central; pointer-events: none; }
.iln-graph-node, .iln-graph-edge { cursor: pointer; outline: none; }
.iln-graph-edge .line { fill: none; stroke-width: 1.8; }
.iln-graph-edge .hit { fill: none; stroke: transparent; stroke-width: 12; pointer-events: stroke; }
.iln-graph-edge .label-bg { fill: var(--vscode-editor-background, #1f1f1f); opacity: 0.85; }
.iln-graph-edge text { text-anchor: middle; dominant-baseline: central; font-size: 11px; }
.iln-graph-edge.unlabelled .label { display: none; }
.iln-graph-edge.unlabelled:hover .label, .iln-graph-edge.unlabelled:focus .label, .iln-graph-edge.unlabelled.selected .label { display: inline; }
.iln-graph-edge.a0 { --iln-edge: var(--vscode-charts-blue, #3794ff); }
.iln-graph-edge.a1 { --iln-edge: var(--vscode-charts-orange, #d18616); }
.iln-graph-edge.a2 { --iln-edge: var(--vscode-charts-green, #89d185); }
.iln-graph-edge.a3 { --iln-edge: var(--vscode-charts-purple, #b180d7); }
.iln-graph-edge.a4 { --iln-edge: var(--vscode-charts-yellow, #cca700); }
.iln-graph-edge.a5 { --iln-edge: var(--vscode-editor-foreground, #cccccc); }
.iln-graph-edge .line { stroke: var(--iln-edge); }
.iln-graph-edge .arrow { fill: var(--iln-edge); }
.iln-graph-edge.d1 .line { stroke-dasharray: 7 3; }
.iln-graph-edge.d2 .line { stroke-dasharray: 2 3; }
.iln-graph-edge.d3 .line { stroke-dasharray: 9 3 2 3; }
.iln-graph-edge.d4 .line { stroke-dasharray: 12 4; }
.iln-graph-edge.d5 .line { stroke-dasharray: 4 4 1 4; }
.iln-graph-edge.bad { --iln-edge: var(--vscode-errorForeground, #f85149); }
.iln-graph-edge.bad .line { stroke-width: 2.6; }
.iln-graph-edge.bad text { fill: var(--vscode-errorForeground, #f85149); font-weight: 600; }
.iln-graph-node:focus circle.body, .iln-graph-node.selected circle.body { stroke: var(--vscode-focusBorder, #0078d4); stroke-width: 4; }
.iln-graph-edge:focus .line, .iln-graph-edge.selected .line { stroke-width: 4; }
.iln-graph-edge:focus .hit, .iln-graph-edge.selected .hit { stroke: var(--vscode-focusBorder, #0078d4); stroke-opacity: 0.35; }
.iln-graph-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; align-items: center; margin: 4px 0; }
.iln-graph-legend svg { vertical-align: middle; }
.iln-graph-status { color: var(--vscode-descriptionForeground, #9d9d9d); }
.iln-graph-status.bad, .iln-graph-rows { color: var(--vscode-errorForeground, #f85149); }
.iln-graph-panel { margin: 8px 0; padding: 8px 10px; border-left: 3px solid var(--vscode-focusBorder, #0078d4); background: var(--vscode-editorWidget-background, #252526); }
.iln-graph-panel h4 { margin: 0 0 6px; }
.iln-graph-panel .row-sum.ok { color: var(--vscode-charts-green, #89d185); }
.iln-graph-panel .row-sum.bad { color: var(--vscode-errorForeground, #f85149); }
.iln-graph-tools { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin: 6px 0; }
.iln-graph input[type="text"], .iln-graph select { font: inherit; color: var(--vscode-input-foreground, #cccccc); background: var(--vscode-input-background, #313131);
  border: 1px solid var(--vscode-input-border, #3c3c3c); padding: 2px 4px; }
.iln-graph input[type="text"]:focus, .iln-graph select:focus { outline: 1px solid var(--vscode-focusBorder, #0078d4); }
.iln-graph input[aria-invalid="true"] { border-color: var(--vscode-inputValidation-errorBorder, #be1100); }
.iln-graph button { font: inherit; padding: 2px 8px; border-radius: 2px; cursor: pointer; color: var(--vscode-button-secondaryForeground, #cccccc);
  background: var(--vscode-button-secondaryBackground, #313131); border: 1px solid var(--vscode-button-border, transparent); }
.iln-graph button.primary { color: var(--vscode-button-foreground, #ffffff); background: var(--vscode-button-background, #0078d4); }
.iln-graph button:focus-visible { outline: 2px solid var(--vscode-focusBorder, #0078d4); outline-offset: 1px; }
.iln-graph .matches { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; }
.iln-graph dl.graph-summary { display: grid; grid-template-columns: max-content auto; gap: 2px 12px; margin: 6px 0; }
.iln-graph dl.graph-summary dt { color: var(--vscode-descriptionForeground, #9d9d9d); }
.iln-graph dl.graph-summary dd { margin: 0; }
`;

let sheet: CSSStyleSheet | undefined;

function ensureGraphStyles(node: Node): void {
  const found = node.getRootNode();
  const root = found instanceof Document || found instanceof ShadowRoot ? found : document;
  if (typeof CSSStyleSheet === 'undefined' || !('replaceSync' in CSSStyleSheet.prototype) || !Array.isArray(root.adoptedStyleSheets)) return;
  sheet ??= (() => {
    const s = new CSSStyleSheet();
    s.replaceSync(GRAPH_CSS);
    return s;
  })();
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

export type NameEdit = { op: 'add' | 'rename' | 'delete'; what: 'state' | 'action'; name: string; to?: string };

/** What the caller keeps across re-renders (an edit brings a new view): the selection, the focus, the search. */
export interface GraphMemory {
  selected?: string;
  focused?: string;
  query?: string;
  /** The state a large MDP's neighbourhood is drawn around. */
  focal?: number;
  /** Set by the caller when the focus was in the graph before this render: it goes back to the remembered item. */
  refocus?: boolean;
}

export interface MdpGraphOptions {
  /** One probability edited: the path of its number in the text and the new value. */
  readonly onSetProbability?: (path: string[], value: number) => void;
  readonly onNameEdit?: (edit: NameEdit) => void;
  readonly memory?: GraphMemory;
}

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function button(label: string, onClick: () => void, primary = false): HTMLButtonElement {
  const b = el('button', { text: label, ...(primary ? { className: 'primary' } : {}) });
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function textField(label: string, value = ''): HTMLInputElement {
  const input = el('input');
  input.type = 'text';
  input.value = value;
  input.setAttribute('aria-label', label);
  input.spellcheck = false;
  return input;
}

const edgeKey = (view: GraphView, e: number) => `e:${view.from[e]}:${view.action[e]}:${view.to[e]}`;
const nodeKey = (s: number) => `n:${s}`;
const short = (name: string) => (name.length > 14 ? `${name.slice(0, 13)}…` : name);

export function rowSumText(sum: number): string {
  return sum < 0 ? 'not written' : formatProbability(Math.round(sum * 1e9) / 1e9);
}

const rowOk = (sum: number) => sum >= 0 && Math.abs(sum - 1) <= 1e-9;

export function edgeLabel(view: GraphView, e: number): string {
  const s = view.from[e];
  const a = view.action[e];
  const sum = view.rowSums[s * view.actions.length + a];
  const bad = rowOk(sum) ? '' : `; the row ${view.states[s]}/${view.actions[a]} sums to ${rowSumText(sum)}, not 1`;
  return `${view.states[s]} → ${view.states[view.to[e]]} under ${view.actions[a]}, probability ${formatProbability(view.prob[e])}${bad}`;
}

function nodeLabel(view: GraphView, s: number, outEdges: number): string {
  const rho = view.rho?.[s] ?? 0;
  const bad = view.actions.some((_, a) => !rowOk(view.rowSums[s * view.actions.length + a]));
  return `state ${view.states[s]}${rho > 0 ? `, initial (ρ = ${formatProbability(rho)})` : ''}, ${outEdges} edge${outEdges === 1 ? '' : 's'} out${bad ? ', a row that does not sum to 1' : ''}`;
}

export function renderMdpGraph(host: HTMLElement, view: GraphView, options: MdpGraphOptions = {}): Disposable {
  ensureGraphStyles(host);
  const memory: GraphMemory = options.memory ?? {};
  // An edit re-renders the graph; the keyboard user keeps their place in it.
  const hadFocus = memory.refocus === true;
  memory.refocus = false;
  const nA = view.actions.length;
  const root = el('div', { className: 'iln-graph' });
  const panel = el('div', { className: 'iln-graph-panel', attrs: { 'aria-live': 'polite' } });
  panel.hidden = true;
  const items = new Map<string, SVGGElement>();
  let order: string[] = [];

  // ---- header: what the graph is, which rows are wrong, the legend ----------------------------------
  const { summary } = view;
  const badRows: string[] = [];
  view.rowSums.forEach((sum, row) => {
    if (!rowOk(sum)) badRows.push(`${view.states[Math.floor(row / nA)]}/${view.actions[row % nA]} ${sum < 0 ? 'has no transition (write one in the text)' : `sums to ${rowSumText(sum)}`}`);
  });
  const status = el('p', {
    className: `iln-graph-status${summary.badRows > 0 ? ' bad' : ''}`,
    text: `${summary.states} states, ${summary.actions} actions, ${summary.edges} edges; ${summary.badRows === 0 ? 'every row sums to 1' : `${summary.badRows} row${summary.badRows === 1 ? '' : 's'} wrong`}.`,
  });
  root.append(status);
  if (badRows.length > 0) root.append(el('ul', { className: 'iln-graph-rows' }, ...badRows.slice(0, 20).map((r) => el('li', { text: r })), ...(badRows.length > 20 ? [el('li', { text: `… and ${badRows.length - 20} more` })] : [])));
  const legend = el('div', { className: 'iln-graph-legend', attrs: { 'aria-hidden': 'true' } });
  view.actions.forEach((name, a) => {
    const swatch = svgEl('svg', { width: '34', height: '10', class: `iln-graph-svg` });
    const g = svgEl('g', { class: `iln-graph-edge a${a % ACTION_STYLES} d${a % ACTION_STYLES}` });
    g.append(svgEl('path', { class: 'line', d: 'M2,5L32,5' }));
    swatch.append(g);
    legend.append(el('span', {}, swatch, ` ${name}`));
  });
  legend.append(el('span', { text: '◎ double ring: initial state (ρ > 0)' }));
  root.append(legend);

  // ---- drawing ---------------------------------------------------------------------------------------
  function draw(svg: SVGSVGElement, pos: ReadonlyMap<number, Point>, edges: readonly number[], labelled: boolean, focal?: number): void {
    const edgeLayer = svgEl('g');
    const nodeLayer = svgEl('g');
    const byPair = new Map<string, number>();
    const outCount = new Map<number, number>();
    for (const e of edges) outCount.set(view.from[e], (outCount.get(view.from[e]) ?? 0) + 1);
    const edgesOf = new Map<number, number[]>();
    for (const e of edges) {
      const s = view.from[e];
      const t = view.to[e];
      const a = pos.get(s);
      const b = pos.get(t);
      if (!a || !b) continue;
      const pairKey = `${s}>${t}`;
      const k = byPair.get(pairKey) ?? 0;
      byPair.set(pairKey, k + 1);
      const shape = s === t ? selfLoop(a, k) : edgeBetween(a, b, k);
      const row = s * nA + view.action[e];
      const bad = !rowOk(view.rowSums[row]);
      const g = svgEl('g', { class: `iln-graph-edge a${view.action[e] % ACTION_STYLES} d${view.action[e] % ACTION_STYLES}${bad ? ' bad' : ''}${labelled ? '' : ' unlabelled'}`, role: 'button', tabindex: '-1', 'aria-label': edgeLabel(view, e) });
      const key = edgeKey(view, e);
      g.dataset.key = key;
      const text = `${view.actions[view.action[e]]} ${formatProbability(view.prob[e])}${bad ? ` (Σ ${rowSumText(view.rowSums[row])})` : ''}`;
      const labelWidth = text.length * 6.2 + 6;
      const label = svgEl('g', { class: 'label' });
      label.append(svgEl('rect', { class: 'label-bg', x: String(shape.label.x - labelWidth / 2), y: String(shape.label.y - 8), width: String(labelWidth), height: '16', rx: '3' }));
      const t1 = svgEl('text', { x: String(shape.label.x), y: String(shape.label.y) });
      t1.textContent = text;
      label.append(t1);
      g.append(svgEl('path', { class: 'hit', d: shape.d }), svgEl('path', { class: 'line', d: shape.d }), svgEl('path', { class: 'arrow', d: shape.arrow }), label);
      edgeLayer.append(g);
      items.set(key, g);
      if (!edgesOf.has(s)) edgesOf.set(s, []);
      edgesOf.get(s)!.push(e);
    }
    // Nodes in state order, each followed by its edges: the order the arrow keys go through.
    const nodes = [...pos.keys()].sort((x, y) => (x === focal ? -1 : y === focal ? 1 : x - y));
    for (const s of nodes) {
      const p = pos.get(s)!;
      const rho = view.rho?.[s] ?? 0;
      const bad = view.actions.some((_, a) => !rowOk(view.rowSums[s * nA + a]));
      const g = svgEl('g', { class: `iln-graph-node${rho > 0 ? ' initial' : ''}${bad ? ' bad' : ''}${s === focal ? ' focal' : ''}`, role: 'button', tabindex: '-1', 'aria-label': nodeLabel(view, s, outCount.get(s) ?? 0) });
      const key = nodeKey(s);
      g.dataset.key = key;
      // Initial states get a second ring (as automata are drawn), so that the focus ring is never mistaken for it.
      if (rho > 0) g.append(svgEl('circle', { class: 'initial-ring', cx: String(p.x), cy: String(p.y), r: String(NODE_R + 5) }));
      g.append(svgEl('circle', { class: 'body', cx: String(p.x), cy: String(p.y), r: String(NODE_R) }));
      const name = svgEl('text', { x: String(p.x), y: String(p.y) });
      name.textContent = short(view.states[s]);
      const title = svgEl('title');
      title.textContent = view.states[s];
      g.append(title, name);
      nodeLayer.append(g);
      items.set(key, g);
      order.push(key, ...(edgesOf.get(s) ?? []).map((e) => edgeKey(view, e)));
    }
    svg.append(edgeLayer, nodeLayer);
  }

  function graphSvg(width: number, height: number, label: string): SVGSVGElement {
    const svg = svgEl('svg', { class: 'iln-graph-svg', width: String(width), height: String(height), viewBox: `0 0 ${width} ${height}`, role: 'group', 'aria-label': label });
    svg.addEventListener('click', (e) => {
      const key = ((e.target as Element).closest('[data-key]') as SVGGElement | null)?.dataset.key;
      if (key) select(key, true);
    });
    svg.addEventListener('keydown', onKey);
    svg.addEventListener('focusin', (e) => {
      const key = ((e.target as Element).closest('[data-key]') as SVGGElement | null)?.dataset.key;
      if (key) setRoving(key);
    });
    return svg;
  }

  const allEdges = view.from.map((_, e) => e);
  const drawn = el('div');
  if (view.layout) {
    const pos = new Map<number, Point>(view.states.map((_, s) => [s, { x: view.layout!.x[s], y: view.layout!.y[s] }]));
    const svg = graphSvg(Math.max(view.layout.width, 200), Math.max(view.layout.height, 120), `graph of ${summary.states} states and ${summary.edges} edges; arrow keys move through each state and its edges, Enter selects`);
    draw(svg, pos, allEdges, allEdges.length <= LABELLED_EDGES);
    drawn.append(el('div', { className: 'iln-graph-scroll' }, svg));
  } else {
    drawn.append(largeView());
  }

  /** A large MDP: the summary, a search, and the neighbourhood of the state found. */
  function largeView(): HTMLElement {
    const box = el('div');
    const dl = el('dl', { className: 'graph-summary' });
    const item = (k: string, v: string) => dl.append(el('dt', { text: k }), el('dd', { text: v }));
    const deg = (d: { min: number; mean: number; max: number }) => `min ${d.min}, mean ${d.mean}, max ${d.max}`;
    item('states |S|', String(summary.states));
    item('actions |A|', String(summary.actions));
    item('edges (s, a, s′)', String(summary.edges));
    item('self-loops', String(summary.selfLoops));
    item('successors per state', deg(summary.outDegree));
    item('predecessors per state', deg(summary.inDegree));
    if (summary.unreachable !== undefined) item('unreachable from ρ', String(summary.unreachable));
    box.append(el('p', { className: 'iln-graph-status', text: `More than 200 states: not drawn whole. Find a state to draw it with its predecessors and successors one step away.` }), dl);
    if (!view.edgesSent) {
      box.append(el('p', { className: 'iln-graph-status', text: `${summary.edges} edges are too many to search here; use the transition table or the text.` }));
      return box;
    }
    const search = textField('find a state', memory.query ?? '');
    search.setAttribute('aria-describedby', 'iln-graph-matches');
    const matches = el('div', { className: 'matches', attrs: { id: 'iln-graph-matches', role: 'group', 'aria-label': 'matching states' } });
    const neighbourhood = el('div');
    const showMatches = () => {
      memory.query = search.value;
      const q = search.value.trim().toLowerCase();
      const found: number[] = [];
      if (q !== '') {
        for (let s = 0; s < view.states.length && found.length < 12; s++) if (view.states[s].toLowerCase() === q) found.push(s);
        for (let s = 0; s < view.states.length && found.length < 12; s++) if (view.states[s].toLowerCase().startsWith(q) && !found.includes(s)) found.push(s);
        for (let s = 0; s < view.states.length && found.length < 12; s++) if (view.states[s].toLowerCase().includes(q) && !found.includes(s)) found.push(s);
      }
      matches.replaceChildren(...found.map((s) => button(view.states[s], () => focusOn(s))));
      return found;
    };
    search.addEventListener('input', () => void showMatches());
    search.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter') return;
      const found = showMatches();
      if (found.length > 0) focusOn(found[0]);
    });
    const focusOn = (s: number) => {
      memory.focal = s;
      drawNeighbourhood(s);
      const first = items.get(nodeKey(s));
      if (first) {
        setRoving(nodeKey(s));
        first.focus();
      }
    };
    const drawNeighbourhood = (s: number) => {
      items.clear();
      order = [];
      const into = allEdges.filter((e) => view.to[e] === s && view.from[e] !== s);
      const out = allEdges.filter((e) => view.from[e] === s);
      const preds = [...new Set(into.map((e) => view.from[e]))];
      const succs = [...new Set(out.map((e) => view.to[e]).filter((t) => t !== s))].filter((t) => !preds.includes(t));
      // A state both before and after s is drawn once, on the left (its edges both ways still are).
      const shownPreds = preds.slice(0, NEIGHBOURHOOD_COLUMN);
      const shownSuccs = succs.slice(0, NEIGHBOURHOOD_COLUMN);
      const rows = Math.max(shownPreds.length, shownSuccs.length, 1);
      const height = 80 + rows * 70;
      const width = 760;
      const pos = new Map<number, Point>();
      pos.set(s, { x: width / 2, y: height / 2 });
      shownPreds.forEach((t, i) => pos.set(t, { x: 110, y: 50 + (i + 0.5) * ((height - 100) / shownPreds.length) + 25 }));
      shownSuccs.forEach((t, i) => pos.set(t, { x: width - 110, y: 50 + (i + 0.5) * ((height - 100) / shownSuccs.length) + 25 }));
      const edges = [...into.filter((e) => pos.has(view.from[e])), ...out.filter((e) => pos.has(view.to[e]))];
      const svg = graphSvg(width, height, `state ${view.states[s]} with ${preds.length} predecessors and ${succs.length + preds.filter((t) => out.some((e) => view.to[e] === t)).length} successors; arrow keys move, Enter selects`);
      draw(svg, pos, edges, edges.length <= LABELLED_EDGES, s);
      const more = [preds.length > shownPreds.length ? `${preds.length - shownPreds.length} more predecessors` : '', succs.length > shownSuccs.length ? `${succs.length - shownSuccs.length} more successors` : ''].filter(Boolean);
      neighbourhood.replaceChildren(el('div', { className: 'iln-graph-scroll' }, svg), ...(more.length > 0 ? [el('p', { className: 'iln-graph-status', text: `not drawn: ${more.join(', ')}` })] : []));
      const first = order[0];
      if (first) setRoving(memory.focused && items.has(memory.focused) ? memory.focused : first);
    };
    // Clicking a neighbour draws its own neighbourhood.
    neighbourhood.addEventListener('dblclick', (e) => {
      const key = ((e.target as Element).closest('[data-key^="n:"]') as SVGGElement | null)?.dataset.key;
      if (key) focusOn(Number(key.slice(2)));
    });
    const label = el('label', {}, 'Find a state ', search);
    box.append(el('div', { className: 'iln-graph-tools' }, label), matches, neighbourhood);
    showMatches();
    if (memory.focal !== undefined && memory.focal < view.states.length) drawNeighbourhood(memory.focal);
    return box;
  }

  // ---- focus and selection -------------------------------------------------------------------------
  let roving: string | undefined;
  function setRoving(key: string): void {
    if (roving && items.get(roving)) items.get(roving)!.setAttribute('tabindex', '-1');
    roving = key;
    items.get(key)?.setAttribute('tabindex', '0');
    memory.focused = key;
  }
  function onKey(e: KeyboardEvent): void {
    if (!roving) return;
    const i = order.indexOf(roving);
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = Math.min(order.length - 1, i + 1);
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = Math.max(0, i - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = order.length - 1;
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        select(roving, true);
        return;
      case 'Escape':
        closePanel();
        return;
      default:
        return;
    }
    e.preventDefault();
    setRoving(order[next]);
    items.get(order[next])?.focus();
  }

  function closePanel(): void {
    panel.hidden = true;
    panel.replaceChildren();
    if (memory.selected) items.get(memory.selected)?.classList.remove('selected');
    memory.selected = undefined;
  }

  function select(key: string, moveFocus: boolean): void {
    if (memory.selected) items.get(memory.selected)?.classList.remove('selected');
    memory.selected = key;
    const g = items.get(key);
    g?.classList.add('selected');
    if (g) setRoving(key);
    const [kind, ...parts] = key.split(':');
    const nums = parts.map(Number);
    if (kind === 'e') edgePanel(nums[0], nums[1], nums[2], moveFocus);
    else nodePanel(nums[0], moveFocus);
  }

  function edgePanel(s: number, a: number, t: number, moveFocus: boolean): void {
    const row = allEdges.filter((e) => view.from[e] === s && view.action[e] === a);
    const e = row.find((x) => view.to[x] === t);
    if (e === undefined) return closePanel();
    const state = view.states[s];
    const action = view.actions[a];
    const next = view.states[t];
    const heading = el('h4', { text: `${state} → ${next} under ${action}` });
    const sumLine = el('p', { className: 'row-sum' });
    const others = row.filter((x) => x !== e);
    const showSum = (value: number | undefined) => {
      const sum = (value ?? view.prob[e]) + others.reduce((acc, x) => acc + view.prob[x], 0);
      const terms = [formatProbability(value ?? view.prob[e]), ...others.map((x) => formatProbability(view.prob[x]))].join(' + ');
      const ok = rowOk(sum);
      sumLine.className = `row-sum ${ok ? 'ok' : 'bad'}`;
      sumLine.textContent = `row ${state}/${action}: ${terms} = ${rowSumText(sum)}${ok ? ' ✓' : ' (must be 1)'}`;
      return ok;
    };
    const rowList = el('p', { className: 'iln-graph-status', text: `the row's other entries: ${others.length === 0 ? 'none' : others.map((x) => `${view.states[view.to[x]]} ${formatProbability(view.prob[x])}`).join(', ')}` });
    const children: Node[] = [heading];
    if (view.editable[e] && options.onSetProbability) {
      const input = textField(`P(${next} | ${state}, ${action})`, formatProbability(view.prob[e]));
      input.className = 'probability';
      const apply = () => {
        const text = input.value.trim();
        if (!PROBABILITY.test(text)) {
          input.setAttribute('aria-invalid', 'true');
          sumLine.className = 'row-sum bad';
          sumLine.textContent = 'a probability is a number from 0 to 1';
          return;
        }
        options.onSetProbability!(['mdp', 'transitions', state, action, next], Number(text));
      };
      input.addEventListener('input', () => {
        const text = input.value.trim();
        const valid = PROBABILITY.test(text);
        input.setAttribute('aria-invalid', String(!valid));
        if (valid) showSum(Number(text));
        else {
          sumLine.className = 'row-sum bad';
          sumLine.textContent = 'a probability is a number from 0 to 1';
        }
      });
      input.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') {
          ev.preventDefault();
          apply();
        } else if (ev.key === 'Escape') {
          items.get(edgeKey(view, e))?.focus();
          closePanel();
        }
      });
      const label = el('label', {}, `P(${next} | ${state}, ${action}) = `, input);
      children.push(el('div', { className: 'iln-graph-tools' }, label, button('Set', apply, true)), sumLine, rowList);
      showSum(undefined);
      panel.replaceChildren(...children);
      panel.hidden = false;
      if (moveFocus) {
        input.focus();
        input.select();
      }
      return;
    }
    showSum(undefined);
    // Read-only (a notebook output, a panel): what the edge is, and no word of editing it.
    const what = options.onSetProbability
      ? `probability ${formatProbability(view.prob[e])}: not written as one number in the file, so it is changed in the text.`
      : `P(${next} | ${state}, ${action}) = ${formatProbability(view.prob[e])}`;
    children.push(el('p', { text: what }), sumLine, rowList);
    panel.replaceChildren(...children);
    panel.hidden = false;
  }

  function nodePanel(s: number, moveFocus: boolean): void {
    const name = view.states[s];
    const children: Node[] = [el('h4', { text: `state ${name}` })];
    const rows = view.actions.map((action, a) => `${action}: ${rowSumText(view.rowSums[s * nA + a])}`).join(', ');
    children.push(el('p', { className: 'iln-graph-status', text: `${view.rho ? `ρ = ${formatProbability(view.rho[s])}; ` : ''}row sums ${rows}` }));
    let focusTarget: HTMLElement | undefined;
    if (options.onNameEdit) {
      const input = textField(`new name for state ${name}`, name);
      input.className = 'rename';
      const rename = () => {
        const to = input.value.trim();
        if (to !== '' && to !== name) options.onNameEdit!({ op: 'rename', what: 'state', name, to });
      };
      input.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') {
          ev.preventDefault();
          rename();
        }
      });
      children.push(el('div', { className: 'iln-graph-tools' }, el('label', {}, 'Rename to ', input), button('Rename', rename, true), button(`Delete state ${name}`, () => options.onNameEdit!({ op: 'delete', what: 'state', name }))));
      focusTarget = input;
    }
    if (options.onSetProbability) {
      // A new edge from this state (or a new probability for an existing one): one edit of its row.
      const actionPick = el('select', { attrs: { 'aria-label': `action of the new edge from ${name}` } }, ...view.actions.map((a) => el('option', { text: a })));
      const toPick = el('select', { attrs: { 'aria-label': `next state of the new edge from ${name}` } }, ...view.states.map((t) => el('option', { text: t })));
      const prob = textField(`probability of the new edge from ${name}`, '0.5');
      prob.className = 'probability';
      const note = el('p', { className: 'iln-graph-status', attrs: { 'aria-live': 'polite' } });
      const add = () => {
        const text = prob.value.trim();
        const valid = PROBABILITY.test(text);
        prob.setAttribute('aria-invalid', String(!valid));
        if (!valid) {
          note.textContent = 'a probability is a number from 0 to 1';
          return;
        }
        note.textContent = '';
        options.onSetProbability!(['mdp', 'transitions', name, actionPick.value, toPick.value], Number(text));
      };
      prob.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') {
          ev.preventDefault();
          add();
        }
      });
      children.push(el('div', { className: 'iln-graph-tools' }, el('label', {}, 'Under ', actionPick), el('label', {}, 'to ', toPick), el('label', {}, 'with probability ', prob), button('Add edge', add)), note);
    }
    panel.replaceChildren(...children);
    panel.hidden = false;
    if (moveFocus && focusTarget) focusTarget.focus();
  }

  // ---- adding states, editing actions --------------------------------------------------------------
  const tools = el('div', { className: 'iln-graph-tools' });
  if (options.onNameEdit) {
    const edit = options.onNameEdit;
    const free = (base: string, taken: readonly string[]) => {
      for (let i = taken.length; ; i++) if (!taken.includes(`${base}${i}`)) return `${base}${i}`;
    };
    const newState = textField('name of the new state', free('s', view.states));
    const addState = () => newState.value.trim() && edit({ op: 'add', what: 'state', name: newState.value.trim() });
    const actionPick = el('select', { attrs: { 'aria-label': 'action' } }, ...view.actions.map((a) => el('option', { text: a })));
    const actionName = textField('new name for the action');
    const newAction = textField('name of the new action', free('a', view.actions));
    tools.append(
      el('label', {}, 'New state ', newState),
      button('Add state', addState),
      el('label', {}, 'Action ', actionPick),
      el('label', {}, 'rename to ', actionName),
      button('Rename action', () => actionName.value.trim() && edit({ op: 'rename', what: 'action', name: actionPick.value, to: actionName.value.trim() })),
      button('Delete action', () => edit({ op: 'delete', what: 'action', name: actionPick.value })),
      el('label', {}, 'New action ', newAction),
      button('Add action', () => newAction.value.trim() && edit({ op: 'add', what: 'action', name: newAction.value.trim() })),
    );
  }

  root.append(drawn, panel, tools);
  host.replaceChildren(root);

  // The first item is the tab stop; what had the focus before the re-render gets it back.
  const remembered = memory.focused && items.has(memory.focused) ? memory.focused : order[0];
  if (remembered) setRoving(remembered);
  if (memory.selected && items.has(memory.selected)) select(memory.selected, false);
  else memory.selected = undefined;
  if (hadFocus && roving) {
    const target = items.get(roving);
    // After the caller's containers have rendered their slots (as the grid view does).
    setTimeout(() => target?.isConnected && target.focus(), 0);
  }
  return {
    dispose: () => host.replaceChildren(),
  };
}
