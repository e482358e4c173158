/**
 * A gridworld drawn as its map: an ARIA grid with one gridcell per map cell (its row, column and kind in
 * its label, a letter in it so the kinds read without colour), navigable with the arrow keys, Home and
 * End. With a brush, cells are painted by click and drag or by Space/Enter; a stroke is handed over as
 * one list of cells when the pointer is released (one edit, one undo step), and shown at once. With an
 * overlay, the expert's action probabilities at step h are drawn as arrows (lengths ∝ π_h(a|s)) and
 * V_h(s) as the cell's colour, with a step slider. Colours only from VS Code's theme variables.
 */
import type { GridDatasetOverlay, GridView } from '../../src/shared/gridView';

export type CellKind = 'wall' | 'free' | 'start' | 'goal' | 'cliff';

const KIND_OF_CHAR: Readonly<Record<string, CellKind>> = { '#': 'wall', '.': 'free', S: 'start', G: 'goal', C: 'cliff' };
const CHAR_OF_KIND: Readonly<Record<CellKind, string>> = { wall: '#', free: '.', start: 'S', goal: 'G', cliff: 'C' };
const LETTER: Readonly<Record<CellKind, string>> = { wall: '', free: '', start: 'S', goal: 'G', cliff: 'C' };
const ACTIONS = ['up', 'right', 'down', 'left'] as const;
/** Arrow directions on screen for up, right, down, left. */
const DIRECTION: readonly (readonly [number, number])[] = [
  [0, -1],
  [1, 0],
  [0, 1],
  [-1, 0],
];
const SVG = 'http://www.w3.org/2000/svg';

export const GRID_CSS = `
.iln-grid { display: inline-grid; gap: 1px; padding: 1px; background: var(--vscode-editorWidget-border, #454545); user-select: none; touch-action: none; }
.iln-grid [role="row"] { display: contents; }
.iln-grid-cell { position: relative; width: var(--iln-cell, 28px); height: var(--iln-cell, 28px); display: flex; align-items: center; justify-content: center;
  font-family: var(--vscode-editor-font-family, monospace); font-weight: 600; font-size: calc(var(--iln-cell, 28px) * 0.45);
  background: var(--vscode-editor-background, #1f1f1f); color: var(--vscode-editor-foreground, #cccccc); cursor: default; }
.iln-grid.paintable .iln-grid-cell { cursor: crosshair; }
.iln-grid-cell.wall { background: var(--vscode-editor-foreground, #cccccc); }
.iln-grid-cell.start { color: var(--vscode-charts-blue, #3794ff); }
.iln-grid-cell.goal { color: var(--vscode-charts-green, #89d185); }
.iln-grid-cell.cliff { color: var(--vscode-editor-background, #1f1f1f); background: var(--vscode-charts-red, #f14c4c); }
.iln-grid-cell:focus { outline: 2px solid var(--vscode-focusBorder, #0078d4); outline-offset: -2px; z-index: 1; }
.iln-grid-cell > .iln-grid-value { position: absolute; inset: 0; background: var(--vscode-charts-blue, #3794ff); pointer-events: none; }
.iln-grid-cell > .iln-grid-value.disagree { background: var(--vscode-charts-red, #f14c4c); }
.iln-grid-cell.unseen::after { content: ''; position: absolute; inset: 3px; border: 1px dashed var(--vscode-editor-foreground, #cccccc); pointer-events: none; }
.iln-grid-cell > svg { position: absolute; inset: 0; width: 100%; height: 100%; pointer-events: none; color: var(--vscode-editor-foreground, #cccccc); }
.iln-grid-cell > .iln-grid-letter { position: relative; text-shadow: 0 0 2px var(--vscode-editor-background, #1f1f1f), 0 0 1px var(--vscode-editor-background, #1f1f1f); }
.iln-grid-controls { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; margin: 6px 0; }
.iln-grid-controls [role="radiogroup"] { display: inline-flex; gap: 4px; }
.iln-grid-controls [role="radio"] { font: inherit; padding: 2px 8px; border-radius: 2px; cursor: pointer;
  color: var(--vscode-button-secondaryForeground, #cccccc); background: var(--vscode-button-secondaryBackground, #313131);
  border: 1px solid var(--vscode-button-border, transparent); }
.iln-grid-controls [role="radio"][aria-checked="true"] { color: var(--vscode-button-foreground, #ffffff); background: var(--vscode-button-background, #0078d4);
  outline: 1px solid var(--vscode-contrastActiveBorder, transparent); }
.iln-grid-controls [role="radio"]:focus-visible { outline: 2px solid var(--vscode-focusBorder, #0078d4); }
.iln-grid-controls button:not([role]) { font: inherit; padding: 2px 8px; border-radius: 2px; cursor: pointer;
  color: var(--vscode-button-secondaryForeground, #cccccc); background: var(--vscode-button-secondaryBackground, #313131); border: 1px solid var(--vscode-button-border, transparent); }
.iln-grid-controls button:not([role]):focus-visible { outline: 2px solid var(--vscode-focusBorder, #0078d4); }
.iln-grid-controls select { font: inherit; color: var(--vscode-dropdown-foreground, #cccccc); background: var(--vscode-dropdown-background, #313131); border: 1px solid var(--vscode-dropdown-border, #3c3c3c); }
.iln-grid-controls input[type="number"] { width: 4.5em; font: inherit; color: var(--vscode-input-foreground, #cccccc);
  background: var(--vscode-input-background, #313131); border: 1px solid var(--vscode-input-border, #3c3c3c); }
.iln-grid-status { color: var(--vscode-descriptionForeground, #9d9d9d); }
`;

let sheet: CSSStyleSheet | undefined;

/** A host not yet in the page has itself as its root: its styles go to the document it will join. */
function ensureGridStyles(node: Node): void {
  const found = node.getRootNode();
  const root = found instanceof Document || found instanceof ShadowRoot ? found : document;
  if (typeof CSSStyleSheet === 'undefined' || !('replaceSync' in CSSStyleSheet.prototype) || !Array.isArray(root.adoptedStyleSheets)) return;
  sheet ??= (() => {
    const s = new CSSStyleSheet();
    s.replaceSync(GRID_CSS);
    return s;
  })();
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}

export interface PaintedCell {
  readonly row: number;
  readonly col: number;
  readonly kind: CellKind;
}

export interface GridMapOptions {
  /** Paint with a brush; called once per stroke with its cells in the order painted. */
  readonly onPaint?: (cells: PaintedCell[]) => void;
  /** Resize the map (rows, columns); shown with the brush. */
  readonly onResize?: (rows: number, cols: number) => void;
  /** The step the overlay starts at (1-based), kept across re-renders by the caller. */
  readonly step?: number;
  readonly onStep?: (step: number) => void;
  /** The brush to start with, kept across re-renders by the caller. */
  readonly brush?: CellKind;
  readonly onBrush?: (kind: CellKind) => void;
  /** The cell to give the focus to once drawn (the caller's memory of where it was), and where it goes. */
  readonly focus?: { readonly row: number; readonly col: number };
  readonly onFocusChange?: (cell: { row: number; col: number } | undefined) => void;
  /** Datasets to draw instead of the expert: their coverage, or BC's disagreement with the expert. */
  readonly datasets?: readonly { readonly name: string; readonly overlay: GridDatasetOverlay }[];
  /** Per-state values to draw instead (a visitation d_h(s), or a difference of two): one row per step. */
  readonly values?: GridValues;
  /** What the cells show: 'expert', 'coverage:<dataset>' or 'bc:<dataset>'. */
  readonly show?: string;
  readonly onShow?: (show: string) => void;
}

export interface GridValues {
  /** What a value is, for labels: e.g. "d_h(s)". */
  readonly symbol: string;
  /** The first step (1-based) of each row of `data`; a row may stand for several steps (`stepLabels`). */
  readonly steps: readonly number[];
  readonly stepLabels?: readonly string[];
  readonly H: number;
  /** rows × |S|, row-major. */
  readonly data: readonly number[];
  /** The largest |value|: the colour scale's top. */
  readonly max: number;
  /** Signed values (a difference): positive and negative in two colours. */
  readonly signed: boolean;
}

type Layer = { readonly mode: 'values'; readonly values: GridValues } | { readonly mode: 'expert' } | { readonly mode: 'coverage' | 'bc'; readonly name: string; readonly data: GridDatasetOverlay };

function label(view: GridView, kind: CellKind, row: number, col: number, stepIndex: number, layer: Layer): string {
  let text = `row ${row + 1}, column ${col + 1}, ${kind}`;
  const s = view.stateOf[row * view.cols + col];
  const o = view.overlay;
  if (layer.mode === 'values') {
    const state = s >= 0 ? s : kind === 'cliff' ? view.cliffState : -1;
    if (state < 0) return text;
    const nS = layer.values.data.length / layer.values.steps.length;
    return `${text}, ${layer.values.symbol} = ${+layer.values.data[stepIndex * nS + state].toPrecision(4)}${kind === 'cliff' ? ' (the cliff state)' : ''}`;
  }
  if (layer.mode !== 'expert' && s >= 0) {
    const nS = layer.data.counts.length / layer.data.steps.length;
    const n = layer.data.counts[stepIndex * nS + s];
    if (layer.mode === 'coverage') return `${text}, ${layer.name}: ${n} of ${layer.data.N} trajectories here at this step${n === 0 ? ' (unseen)' : ''}`;
    const tv = layer.data.disagreement?.[stepIndex * nS + s] ?? 0;
    return `${text}, ${n === 0 ? `not in ${layer.name} at this step (BC plays uniformly), ` : ''}BC differs from ${layer.data.expert} by ${+tv.toPrecision(3)} (total variation)`;
  }
  if (layer.mode === 'expert' && o && s >= 0) {
    const nS = o.value.length / o.steps.length;
    const v = o.value[stepIndex * nS + s];
    const probs = ACTIONS.map((a, i) => [a, o.policy[(stepIndex * nS + s) * 4 + i]] as const).filter(([, p]) => p > 0);
    text += `, V = ${+v.toPrecision(4)}, ${o.expert}: ${probs.map(([a, p]) => (p === 1 ? a : `${a} ${+p.toPrecision(3)}`)).join(', ')}`;
  }
  return text;
}

function arrows(probs: readonly number[]): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '-1 -1 2 2');
  svg.setAttribute('aria-hidden', 'true');
  probs.forEach((p, a) => {
    if (p <= 0) return;
    const [dx, dy] = DIRECTION[a];
    const length = 0.25 + 0.6 * p;
    const line = document.createElementNS(SVG, 'line');
    line.setAttribute('x1', '0');
    line.setAttribute('y1', '0');
    line.setAttribute('x2', String(dx * length));
    line.setAttribute('y2', String(dy * length));
    line.setAttribute('stroke', 'currentColor');
    line.setAttribute('stroke-width', '0.12');
    line.setAttribute('stroke-linecap', 'round');
    svg.append(line);
    const head = document.createElementNS(SVG, 'circle');
    head.setAttribute('cx', String(dx * length));
    head.setAttribute('cy', String(dy * length));
    head.setAttribute('r', '0.1');
    head.setAttribute('fill', 'currentColor');
    svg.append(head);
  });
  return svg;
}

export function renderGridMap(host: HTMLElement, view: GridView, options: GridMapOptions = {}): { dispose(): void } {
  ensureGridStyles(host);
  const kinds: CellKind[] = [...view.cells].map((ch) => KIND_OF_CHAR[ch] ?? 'wall');
  const paintable = Boolean(options.onPaint) && view.paintable;
  const overlay = view.overlay;
  const datasets = options.datasets ?? [];
  const layerOf = (show: string | undefined): Layer => {
    const [mode, ...rest] = (show ?? 'expert').split(':');
    const found = datasets.find((d) => d.name === rest.join(':'));
    if ((mode === 'coverage' || (mode === 'bc' && found?.overlay.disagreement)) && found) return { mode, name: found.name, data: found.overlay };
    return { mode: 'expert' };
  };
  let layer: Layer = options.values ? { mode: 'values', values: options.values } : layerOf(options.show);
  // The steps the slider moves over: the values', the expert's, or a dataset's (the same sample for the same |S| and H).
  const steps = options.values?.steps ?? overlay?.steps ?? datasets[0]?.overlay.steps;
  const horizon = options.values?.H ?? overlay?.H ?? (steps ? steps[steps.length - 1] : 0);
  const stepLabels = options.values?.stepLabels;
  let stepIndex = steps ? Math.max(0, steps.findIndex((h) => h >= (options.step ?? 1))) : 0;
  let brush: CellKind = options.brush ?? 'wall';
  let showArrows = true;
  let showValues = true;

  const controls = document.createElement('div');
  controls.className = 'iln-grid-controls';
  const status = document.createElement('span');
  status.className = 'iln-grid-status';
  status.setAttribute('aria-live', 'polite');

  if (paintable) {
    const group = document.createElement('div');
    group.setAttribute('role', 'radiogroup');
    group.setAttribute('aria-label', 'brush');
    const radios = (['wall', 'free', 'start', 'goal', 'cliff'] as const).map((kind) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.setAttribute('role', 'radio');
      b.textContent = kind;
      b.addEventListener('click', () => select(kind));
      return [kind, b] as const;
    });
    const select = (kind: CellKind, chosen = true) => {
      brush = kind;
      if (chosen) options.onBrush?.(kind);
      for (const [k, b] of radios) {
        b.setAttribute('aria-checked', String(k === kind));
        b.tabIndex = k === kind ? 0 : -1;
      }
    };
    group.addEventListener('keydown', (e) => {
      const i = radios.findIndex(([k]) => k === brush);
      const next = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? i + 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? i - 1 : undefined;
      if (next === undefined) return;
      e.preventDefault();
      const [kind, b] = radios[(next + radios.length) % radios.length];
      select(kind);
      b.focus();
    });
    select(brush, false);
    group.append(...radios.map(([, b]) => b));
    const brushLabel = document.createElement('span');
    brushLabel.textContent = 'Brush:';
    controls.append(brushLabel, group);
    if (options.onResize) {
      const size = (value: number, name: string) => {
        const input = document.createElement('input');
        input.type = 'number';
        input.min = '1';
        input.max = '200';
        input.value = String(value);
        input.setAttribute('aria-label', name);
        return input;
      };
      const rows = size(view.rows, 'rows');
      const cols = size(view.cols, 'columns');
      const apply = document.createElement('button');
      apply.type = 'button';
      apply.textContent = 'Resize';
      apply.addEventListener('click', () => {
        const r = Number(rows.value);
        const c = Number(cols.value);
        if (Number.isInteger(r) && Number.isInteger(c) && r >= 1 && c >= 1 && r <= 200 && c <= 200) options.onResize!(r, c);
        else status.textContent = 'rows and columns are whole numbers from 1 to 200';
      });
      const l1 = document.createElement('label');
      l1.append('rows ', rows);
      const l2 = document.createElement('label');
      l2.append('columns ', cols);
      controls.append(l1, l2, apply);
    }
  } else if (options.onPaint && !view.paintable) {
    status.textContent = 'Write the map as a block (map: | and one line per row) to paint it here.';
  }

  const grid = document.createElement('div');
  grid.className = `iln-grid${paintable ? ' paintable' : ''}`;
  grid.setAttribute('role', 'grid');
  grid.setAttribute('aria-label', `map, ${view.rows} rows by ${view.cols} columns${paintable ? '; Space or Enter paints with the brush' : ''}`);
  grid.setAttribute('aria-rowcount', String(view.rows));
  grid.setAttribute('aria-colcount', String(view.cols));
  grid.style.gridTemplateColumns = `repeat(${view.cols}, auto)`;
  const cellSize = Math.max(10, Math.min(28, Math.floor(640 / Math.max(view.cols, 1))));
  grid.style.setProperty('--iln-cell', `${cellSize}px`);

  const cells: HTMLElement[] = [];
  for (let r = 0; r < view.rows; r++) {
    const row = document.createElement('div');
    row.setAttribute('role', 'row');
    row.setAttribute('aria-rowindex', String(r + 1));
    for (let c = 0; c < view.cols; c++) {
      const cell = document.createElement('div');
      cell.setAttribute('role', 'gridcell');
      cell.setAttribute('aria-colindex', String(c + 1));
      cell.dataset.row = String(r);
      cell.dataset.col = String(c);
      cell.tabIndex = r === 0 && c === 0 ? 0 : -1;
      cells.push(cell);
      row.append(cell);
    }
    grid.append(row);
  }

  function drawCell(i: number): void {
    const cell = cells[i];
    const kind = kinds[i];
    const r = Math.floor(i / view.cols);
    const c = i % view.cols;
    cell.className = `iln-grid-cell ${kind}`;
    cell.setAttribute('aria-label', label(view, kind, r, c, stepIndex, layer));
    const letter = document.createElement('span');
    letter.className = 'iln-grid-letter';
    letter.textContent = LETTER[kind];
    const parts: Node[] = [];
    const s = view.stateOf[i];
    // The overlay describes the map as it was built: a cell painted since shows its new kind alone.
    const asBuilt = CHAR_OF_KIND[kind] === view.cells[i];
    const valueState = s >= 0 ? s : kind === 'cliff' ? view.cliffState : -1;
    if (layer.mode === 'values' && valueState >= 0) {
      const nS = layer.values.data.length / layer.values.steps.length;
      const v = layer.values.data[stepIndex * nS + valueState];
      const shade = document.createElement('div');
      shade.className = layer.values.signed && v < 0 ? 'iln-grid-value disagree' : 'iln-grid-value';
      shade.style.opacity = String(0.85 * Math.max(0, Math.min(1, Math.abs(v) / Math.max(layer.values.max, 1e-300))));
      parts.push(shade);
    } else if (layer.mode === 'coverage' || layer.mode === 'bc') {
      if (s < 0 || !asBuilt) {
        cell.replaceChildren(letter);
        return;
      }
      const nS = layer.data.counts.length / layer.data.steps.length;
      const n = layer.data.counts[stepIndex * nS + s];
      const shade = document.createElement('div');
      shade.className = layer.mode === 'bc' ? 'iln-grid-value disagree' : 'iln-grid-value';
      const amount = layer.mode === 'bc' ? (layer.data.disagreement?.[stepIndex * nS + s] ?? 0) : n / Math.max(1, layer.data.N);
      shade.style.opacity = String(0.7 * Math.max(0, Math.min(1, amount)));
      parts.push(shade);
      // A cell no trajectory reaches at this step is outlined in both layers: coverage's gap, BC's guess.
      if (n === 0) cell.classList.add('unseen');
    } else if (layer.mode === 'expert' && overlay && s >= 0 && asBuilt) {
      const nS = overlay.value.length / overlay.steps.length;
      if (showValues) {
        const shade = document.createElement('div');
        shade.className = 'iln-grid-value';
        shade.style.opacity = String(0.6 * Math.max(0, Math.min(1, overlay.value[stepIndex * nS + s] / overlay.valueMax)));
        parts.push(shade);
      }
      if (showArrows && kind !== 'goal') parts.push(arrows(overlay.policy.slice((stepIndex * nS + s) * 4, (stepIndex * nS + s) * 4 + 4)));
    }
    cell.replaceChildren(...parts, letter);
  }
  const drawAll = () => cells.forEach((_, i) => drawCell(i));
  drawAll();

  if (steps) {
    const slider = document.createElement('input');
    slider.type = 'range';
    slider.min = '0';
    slider.max = String(steps.length - 1);
    slider.value = String(stepIndex);
    slider.setAttribute('aria-label', 'step h');
    const stepText = document.createElement('span');
    const showStep = () => {
      stepText.textContent = `h = ${stepLabels?.[stepIndex] ?? steps[stepIndex]} of ${horizon}${!stepLabels && steps.length < horizon ? ` (${steps.length} steps sampled)` : ''}`;
      slider.setAttribute('aria-valuetext', `step ${steps[stepIndex]} of ${horizon}`);
    };
    slider.addEventListener('input', () => {
      stepIndex = Number(slider.value);
      showStep();
      drawAll();
      options.onStep?.(steps[stepIndex]);
    });
    showStep();
    const stepLabel = document.createElement('label');
    stepLabel.append('step ', slider);
    controls.append(stepLabel, stepText);
  }
  if (datasets.length > 0 && !options.values) {
    const select = document.createElement('select');
    select.setAttribute('aria-label', 'what the cells show');
    const option = (value: string, text: string) => {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = text;
      return o;
    };
    if (overlay) select.append(option('expert', `${overlay.expert}: actions and V_h(s)`));
    for (const d of datasets) {
      select.append(option(`coverage:${d.name}`, `${d.name}: coverage n_h(s)`));
      if (d.overlay.disagreement) select.append(option(`bc:${d.name}`, `${d.name}: BC vs ${d.overlay.expert}`));
    }
    select.value = layer.mode === 'coverage' || layer.mode === 'bc' ? `${layer.mode}:${layer.name}` : 'expert';
    select.addEventListener('change', () => {
      layer = layerOf(select.value);
      options.onShow?.(select.value);
      drawAll();
    });
    const l = document.createElement('label');
    l.append('show ', select);
    controls.append(l);
  }
  if (overlay) {
    const toggle = (text: string, initial: boolean, set: (on: boolean) => void) => {
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = initial;
      box.addEventListener('change', () => {
        set(box.checked);
        drawAll();
      });
      const l = document.createElement('label');
      l.append(box, ` ${text}`);
      return l;
    };
    controls.append(
      toggle(`${overlay.expert}'s actions`, showArrows, (on) => (showArrows = on)),
      toggle('V_h(s)', showValues, (on) => (showValues = on)),
    );
  }
  controls.append(status);

  // ---- painting -----------------------------------------------------------------------------------
  let stroke: PaintedCell[] | undefined;
  const paintAt = (i: number) => {
    if (!stroke || kinds[i] === brush) return;
    kinds[i] = brush;
    stroke.push({ row: Math.floor(i / view.cols), col: i % view.cols, kind: brush });
    drawCell(i);
  };
  const indexOf = (target: EventTarget | null): number | undefined => {
    const cell = (target as HTMLElement | null)?.closest?.('.iln-grid-cell') as HTMLElement | null;
    if (!cell || !grid.contains(cell)) return undefined;
    return Number(cell.dataset.row) * view.cols + Number(cell.dataset.col);
  };
  const endStroke = () => {
    if (stroke && stroke.length > 0) options.onPaint?.(stroke);
    stroke = undefined;
  };
  if (paintable) {
    grid.addEventListener('pointerdown', (e) => {
      const i = indexOf(e.target);
      if (i === undefined || e.button !== 0) return;
      e.preventDefault();
      focusCell(i);
      stroke = [];
      paintAt(i);
    });
    grid.addEventListener('pointerover', (e) => {
      const i = indexOf(e.target);
      if (i !== undefined && stroke && e.buttons & 1) paintAt(i);
    });
    window.addEventListener('pointerup', endStroke);
  }

  // ---- keyboard -----------------------------------------------------------------------------------
  let focused = 0;
  function focusCell(i: number): void {
    cells[focused].tabIndex = -1;
    focused = i;
    cells[i].tabIndex = 0;
    cells[i].focus();
  }
  grid.addEventListener('keydown', (e) => {
    const r = Math.floor(focused / view.cols);
    const c = focused % view.cols;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowUp':
        next = r > 0 ? focused - view.cols : focused;
        break;
      case 'ArrowDown':
        next = r < view.rows - 1 ? focused + view.cols : focused;
        break;
      case 'ArrowLeft':
        next = c > 0 ? focused - 1 : focused;
        break;
      case 'ArrowRight':
        next = c < view.cols - 1 ? focused + 1 : focused;
        break;
      case 'Home':
        next = e.ctrlKey ? 0 : r * view.cols;
        break;
      case 'End':
        next = e.ctrlKey ? cells.length - 1 : r * view.cols + view.cols - 1;
        break;
      case ' ':
      case 'Enter':
        if (!paintable) return;
        e.preventDefault();
        stroke = [];
        paintAt(focused);
        endStroke();
        cells[focused].focus();
        return;
      default:
        return;
    }
    e.preventDefault();
    focusCell(next);
  });
  grid.addEventListener('focusin', (e) => {
    const i = indexOf(e.target);
    if (i === undefined) return;
    if (i !== focused) {
      cells[focused].tabIndex = -1;
      focused = i;
      cells[i].tabIndex = 0;
    }
    options.onFocusChange?.({ row: Math.floor(i / view.cols), col: i % view.cols });
  });
  // Focus that moves elsewhere on purpose is forgotten; a re-render (the old cells removed) is not a move.
  grid.addEventListener('focusout', (e) => {
    const to = e.relatedTarget as Node | null;
    if (to && !grid.contains(to)) options.onFocusChange?.(undefined);
  });

  host.replaceChildren(controls, grid);
  const remembered = options.focus;
  if (remembered && remembered.row < view.rows && remembered.col < view.cols) {
    const i = remembered.row * view.cols + remembered.col;
    cells[focused].tabIndex = -1;
    focused = i;
    cells[i].tabIndex = 0;
    // After the caller has put the host in the page and its containers have rendered their slots (a
    // collapsible shows its content only after its own update, a microtask after it joins the page).
    setTimeout(() => cells[i].isConnected && cells[i].focus(), 0);
  }
  return {
    dispose: () => {
      window.removeEventListener('pointerup', endStroke);
      host.replaceChildren();
    },
  };
}
