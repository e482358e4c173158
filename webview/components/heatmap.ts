/**
 * d_h(s) heatmap on one canvas: steps down, states across. The cells are painted once into an
 * offscreen image (one pixel per cell) and scaled onto the visible canvas, so 2000 × 500 cells cost a
 * single drawImage per redraw instead of a million rectangles or DOM nodes.
 */
import type { HeatmapView } from '../../src/shared/viewModels';
import { el, observeWidth, sizeCanvas, type Disposable } from './dom';
import { renderGridMap } from './gridMap';
import { short } from './format';
import {
  cellAt,
  columnRange,
  divergingT,
  formatTick,
  formatValue,
  labelStride,
  logTicks,
  lutIndex,
  niceTicks,
  rangeLabel,
  rowRange,
  sequentialDomain,
  sequentialT,
  type ScaleMode,
  type SequentialDomain,
} from './scales';
import { css, divergingLut, onThemeChange, readTheme, sequentialLut, type Theme } from './theme';

export interface HeatmapOptions {
  readonly scale?: ScaleMode;
}

const QUANTITY: Record<HeatmapView['quantity'], { symbol: string; across: string }> = {
  state: { symbol: 'd_h(s)', across: 'state s' },
  'state-action': { symbol: 'd_h(s, a)', across: 'state-action (s, a)' },
  difference: { symbol: 'Δ d_h(s)', across: 'state s' },
  reward: { symbol: 'r_h(s, a)', across: 'state-action (s, a)' },
};

const LEGEND_WIDTH = 76;
const AXIS_FONT_PX = 11;
const MAX_PLOT_HEIGHT = 440;

interface Layout {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
  readonly plotW: number;
  readonly plotH: number;
}

function plotHeight(rows: number): number {
  return Math.max(Math.min(rows * 40, 120), Math.min(rows * 24, MAX_PLOT_HEIGHT));
}

function caption(view: HeatmapView): string {
  const parts = [`H = ${view.H}`, `${view.width} ${view.quantity === 'state-action' || view.quantity === 'reward' ? 'state-action pairs' : 'states'}`];
  if (view.sameAtEveryStep) parts.push('one row for all steps');
  else if (view.rowBin > 1) parts.push(`${view.rowBin} steps averaged per row`);
  if (view.colBin > 1) parts.push(`${view.colBin} columns summed per cell`);
  if (view.value !== undefined) parts.push(`value ${short(view.value, 4)}`);
  return parts.join(' · ');
}

export function renderHeatmap(container: HTMLElement, view: HeatmapView, options: HeatmapOptions = {}): Disposable {
  // A reward is signed, like a difference: drawn on the diverging scale around 0.
  const diverging = view.quantity === 'difference' || view.quantity === 'reward';
  const q = QUANTITY[view.quantity] ?? QUANTITY.state;
  let mode: ScaleMode = options.scale ?? 'linear';
  const domain: SequentialDomain = diverging
    ? sequentialDomain(view.values.map(Math.abs), Math.max(Math.abs(view.min), Math.abs(view.max)) || undefined)
    : sequentialDomain(view.values, view.max > 0 ? view.max : undefined);

  const logToggle = el('input', { attrs: { type: 'checkbox' } });
  logToggle.checked = mode === 'log';
  const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': `${view.title}: heatmap of ${q.symbol}, ${view.rows} rows × ${view.cols} columns` } });
  const tooltip = el('div', { className: 'iln-tooltip', attrs: { role: 'status' } });
  tooltip.hidden = true;
  const wrap = el('div', { className: 'iln-canvas-wrap' }, canvas, tooltip);
  const root = el(
    'div',
    { className: 'iln-view iln-heatmap' },
    el('div', { className: 'iln-title', text: view.title }),
    el('div', { className: 'iln-toolbar' }, el('span', { className: 'iln-caption', text: caption(view) }), el('span', { className: 'iln-spacer' }), el('label', {}, logToggle, diverging ? 'signed log scale' : 'log scale')),
    wrap,
  );
  container.append(root);
  const onMap = mapPicture(root, wrap, view, q.symbol, diverging);

  let theme: Theme = readTheme(container);
  let cells: HTMLCanvasElement | null = null;
  let layout: Layout | null = null;

  function lut(): Uint8ClampedArray {
    return diverging ? divergingLut(theme) : sequentialLut(theme);
  }

  function position(v: number): number {
    return diverging ? (divergingT(v, domain, mode) + 1) / 2 : sequentialT(v, domain, mode);
  }

  /** One pixel per cell; rebuilt only when the data's colours change (scale or theme). */
  function paintCells(): HTMLCanvasElement {
    const image = new ImageData(Math.max(1, view.cols), Math.max(1, view.rows));
    const table = lut();
    const n = table.length / 4;
    const px = image.data;
    for (let i = 0; i < view.values.length; i++) {
      const k = lutIndex(position(view.values[i]), n) * 4;
      const o = i * 4;
      px[o] = table[k];
      px[o + 1] = table[k + 1];
      px[o + 2] = table[k + 2];
      px[o + 3] = 255;
    }
    const off = document.createElement('canvas');
    off.width = image.width;
    off.height = image.height;
    off.getContext('2d')!.putImageData(image, 0, 0);
    return off;
  }

  /** Scales the cell image to w × h device pixels: averaging where it shrinks, crisp edges where it grows. */
  function scaled(source: HTMLCanvasElement, w: number, h: number): HTMLCanvasElement {
    const midW = Math.min(source.width, w);
    const midH = Math.min(source.height, h);
    if (midW === source.width && midH === source.height) return source;
    const mid = document.createElement('canvas');
    mid.width = midW;
    mid.height = midH;
    const c = mid.getContext('2d')!;
    c.imageSmoothingEnabled = true;
    c.imageSmoothingQuality = 'high';
    c.drawImage(source, 0, 0, midW, midH);
    return mid;
  }

  function stepText(r: number): string {
    return rangeLabel(rowRange(r, view.stepStart, view.rowBin, view.H));
  }

  function columnText(c: number): string {
    if (view.columnLabels.length > 0) return view.columnLabels[c] ?? String(c);
    return rangeLabel(columnRange(c, view.colBin, view.width));
  }

  function draw(): void {
    const width = Math.max(260, wrap.clientWidth || 600);
    const font = `${AXIS_FONT_PX}px ${theme.fontFamily}`;
    const measure = document.createElement('canvas').getContext('2d')!;
    measure.font = font;
    let stepLabelW = 0;
    for (let r = 0; r < view.rows; r++) stepLabelW = Math.max(stepLabelW, measure.measureText(stepText(r)).width);
    const left = Math.ceil(stepLabelW) + 30;
    const plotW = Math.max(40, width - left - LEGEND_WIDTH);
    const colPx = plotW / Math.max(1, view.cols);
    let labelW = 0;
    const labelled = view.columnLabels.length > 0;
    for (let c = 0; c < view.cols && labelled; c++) labelW = Math.max(labelW, measure.measureText(columnText(c)).width);
    // Named columns turn sideways when they do not fit flat; index ranges always fit as sparse ticks.
    const rotate = labelled && labelW + 6 > colPx;
    const bottom = (rotate ? Math.min(110, labelW * 0.72 + 10) : 16) + 24;
    const top = 8;
    const plotH = plotHeight(view.rows);
    const height = top + plotH + bottom;
    layout = { width, height, left, top, plotW, plotH };

    const ctx = sizeCanvas(canvas, width, height);
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    ctx.clearRect(0, 0, width, height);
    cells ??= paintCells();
    const devW = Math.max(1, Math.round(plotW * dpr));
    const devH = Math.max(1, Math.round(plotH * dpr));
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(scaled(cells, devW, devH), left, top, plotW, plotH);

    ctx.font = font;
    ctx.fillStyle = css(theme.foreground);
    ctx.strokeStyle = css(theme.lines);
    ctx.lineWidth = 1;
    ctx.strokeRect(left - 0.5, top - 0.5, plotW + 1, plotH + 1);

    // Steps down the left side.
    const rowPx = plotH / Math.max(1, view.rows);
    const rowStride = labelStride(rowPx, AXIS_FONT_PX + 3);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let r = 0; r < view.rows; r += rowStride) ctx.fillText(stepText(r), left - 5, top + (r + 0.5) * rowPx);
    ctx.save();
    ctx.translate(10, top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText('step h', 0, 0);
    ctx.restore();

    // Columns along the bottom.
    const colStride = rotate ? labelStride(colPx, AXIS_FONT_PX + 3) : labelStride(colPx, labelled ? labelW + 8 : measure.measureText(String(view.width)).width + 12);
    for (let c = 0; c < view.cols; c += colStride) {
      const x = left + (c + 0.5) * colPx;
      const text = labelled ? columnText(c) : String(columnRange(c, view.colBin, view.width)[0]);
      if (rotate) {
        ctx.save();
        ctx.translate(x, top + plotH + 4);
        ctx.rotate(-Math.PI / 4);
        ctx.textAlign = 'right';
        ctx.textBaseline = 'middle';
        ctx.fillText(text, 0, 0);
        ctx.restore();
      } else {
        ctx.textAlign = 'center';
        ctx.textBaseline = 'top';
        ctx.fillText(text, labelled ? x : left + c * colPx, top + plotH + 4);
      }
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(view.colBin > 1 && !labelled ? `${q.across} (index of first in cell)` : q.across, left + plotW / 2, height - 2);

    drawLegend(ctx, left + plotW + 14, top, Math.min(plotH, 220));
  }

  function legendTicks(): { value: number; at: number }[] {
    const at = (v: number) => position(v);
    if (diverging) {
      const m = domain.max;
      const ticks = mode === 'log' ? logTicks(domain.logFloor, m, 3) : niceTicks(0, m, 2).filter((t) => t > 0);
      return [0, ...ticks.flatMap((t) => [t, -t])].map((value) => ({ value, at: at(value) }));
    }
    const ticks = mode === 'log' ? [0, ...logTicks(domain.logFloor, domain.max, 5)] : niceTicks(0, domain.max, 4);
    return ticks.filter((t) => t <= domain.max * (1 + 1e-9)).map((value) => ({ value, at: at(value) }));
  }

  function drawLegend(ctx: CanvasRenderingContext2D, x: number, y: number, h: number): void {
    const table = lut();
    const n = table.length / 4;
    const barW = 12;
    for (let i = 0; i < h; i++) {
      const k = lutIndex(1 - i / Math.max(1, h - 1), n) * 4;
      ctx.fillStyle = `rgb(${table[k]}, ${table[k + 1]}, ${table[k + 2]})`;
      ctx.fillRect(x, y + i, barW, 1);
    }
    ctx.strokeStyle = css(theme.lines);
    ctx.strokeRect(x - 0.5, y - 0.5, barW + 1, h + 1);
    ctx.fillStyle = css(theme.foreground);
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    let lastY = Infinity;
    // Labels from the top down, skipping any that would overlap the previous one.
    for (const { value, at } of legendTicks().sort((a, b) => b.at - a.at)) {
      const ty = y + (1 - at) * (h - 1);
      if (Math.abs(ty - lastY) < AXIS_FONT_PX + 1 && lastY !== Infinity) continue;
      lastY = ty;
      ctx.fillRect(x + barW, Math.round(ty), 3, 1);
      ctx.fillText(formatTick(value), x + barW + 5, ty);
    }
    ctx.textBaseline = 'top';
    ctx.fillText(q.symbol, x, y + h + 6);
  }

  function hover(event: PointerEvent): void {
    if (!layout) return;
    const box = canvas.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    const cell = cellAt(x - layout.left, y - layout.top, layout.plotW, layout.plotH, view.cols, view.rows);
    if (!cell) {
      tooltip.hidden = true;
      return;
    }
    const [h0, h1] = rowRange(cell.row, view.stepStart, view.rowBin, view.H);
    const [c0, c1] = columnRange(cell.col, view.colBin, view.width);
    const what = view.quantity === 'state-action' || view.quantity === 'reward' ? 'pairs' : 'states';
    const column = view.columnLabels.length > 0 ? `${what.slice(0, -1)} ${view.columnLabels[cell.col]}` : c0 === c1 ? `${what.slice(0, -1)} ${c0}` : `${what} ${c0}–${c1}`;
    const steps = h0 === h1 ? `step h = ${h0}` : `steps h = ${h0}–${h1} (mean)`;
    tooltip.textContent = `${steps}\n${column}\n${q.symbol} = ${formatValue(view.values[cell.row * view.cols + cell.col])}`;
    tooltip.hidden = false;
    const tipW = tooltip.offsetWidth;
    const flip = x + 14 + tipW > layout.width;
    tooltip.style.left = `${flip ? x - 14 - tipW : x + 14}px`;
    tooltip.style.top = `${y + 12}px`;
  }

  const leave = () => {
    tooltip.hidden = true;
  };
  canvas.addEventListener('pointermove', hover);
  canvas.addEventListener('pointerleave', leave);
  logToggle.addEventListener('change', () => {
    mode = logToggle.checked ? 'log' : 'linear';
    cells = null;
    draw();
  });

  const unsubscribe = onThemeChange(() => {
    theme = readTheme(container);
    cells = null;
    draw();
  });
  const resize = observeWidth(wrap, draw);
  draw();

  return {
    dispose() {
      unsubscribe();
      resize.dispose();
      canvas.removeEventListener('pointermove', hover);
      canvas.removeEventListener('pointerleave', leave);
      onMap?.dispose();
      root.remove();
    },
  };
}

/** A gridworld's visitation drawn on its map as well, above the steps × states heatmap, with a step slider. */
function mapPicture(root: HTMLElement, before: HTMLElement, view: HeatmapView, symbol: string, signed: boolean): Disposable | undefined {
  const grid = view.grid;
  if (!grid || view.colBin !== 1) return undefined;
  const host = el('div', { className: 'iln-heatmap-map' });
  root.insertBefore(host, before);
  const stepLabels = view.rowBin > 1 ? view.stepStart.map((h) => `${h}–${Math.min(h + view.rowBin - 1, view.H)}`) : undefined;
  return renderGridMap(host, { ...grid, paintable: false }, {
    values: {
      symbol,
      steps: view.stepStart,
      ...(stepLabels ? { stepLabels } : {}),
      H: view.H,
      data: view.values,
      max: signed ? Math.max(Math.abs(view.min), Math.abs(view.max)) : view.max,
      signed,
    },
  });
}
