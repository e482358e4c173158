/**
 * An expert dataset: its size, the missing mass, how many states each step has seen (a small bar
 * chart), and the included trajectories as a paged table of "state/action" cells.
 */
import type { DatasetView } from '../../src/shared/viewModels';
import { el, observeWidth, sizeCanvas, type Disposable } from './dom';
import { missingMassLine, stepCell } from './format';
import { clampPage, pageCount, pageLabel, pageRange, TRAJECTORIES_PER_PAGE } from './paging';
import { labelStride, niceTicks } from './scales';
import { css, onThemeChange, readTheme, type Theme } from './theme';
import { datasetPicture } from './viewPictures';

const CHART_HEIGHT = 120;

function coverageChart(view: DatasetView, getTheme: () => Theme): { canvas: HTMLCanvasElement; draw(width: number): void; hover(event: PointerEvent): void } {
  const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': `states seen at each of the ${view.H} steps` } });
  const counts = view.statesSeenPerStep;
  const left = 36;
  const top = 6;
  const bottom = 30;
  let plotW = 0;

  function draw(width: number): void {
    const theme = getTheme();
    const ctx = sizeCanvas(canvas, width, CHART_HEIGHT);
    if (!ctx) return;
    plotW = Math.max(20, width - left - 8);
    const plotH = CHART_HEIGHT - top - bottom;
    const yMax = counts.reduce((m, n) => Math.max(m, n), Math.max(1, view.nS));
    const barW = plotW / Math.max(1, counts.length);
    ctx.font = `11px ${theme.fontFamily}`;
    ctx.strokeStyle = css(theme.lines, 0.35);
    ctx.fillStyle = css(theme.foreground);
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const t of niceTicks(0, yMax, 3)) {
      const y = Math.round(top + plotH * (1 - t / yMax)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + plotW, y);
      ctx.stroke();
      ctx.fillText(String(t), left - 4, y);
    }
    ctx.fillStyle = css(theme.blue);
    const gap = barW > 4 ? 1 : 0;
    counts.forEach((n, i) => {
      const h = (plotH * n) / yMax;
      ctx.fillRect(left + i * barW + gap / 2, top + plotH - h, Math.max(0.5, barW - gap), h);
    });
    ctx.fillStyle = css(theme.foreground);
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    const stride = labelStride(barW, ctx.measureText(String(counts.length)).width + 10);
    for (let i = stride - 1; i < counts.length; i += stride) ctx.fillText(String(i + 1), left + (i + 0.5) * barW, top + plotH + 3);
    ctx.textBaseline = 'bottom';
    ctx.fillText(`step h (bars: distinct states seen, of |S| = ${view.nS})`, left + plotW / 2, CHART_HEIGHT);
  }

  // The canvas title is the hover text: cheap, and screen readers and the native tooltip get it for free.
  function hover(event: PointerEvent): void {
    const x = event.clientX - canvas.getBoundingClientRect().left - left;
    const i = Math.floor((x / plotW) * counts.length);
    canvas.title = i >= 0 && i < counts.length ? `h = ${i + 1}: ${counts[i]} of ${view.nS} states seen` : '';
  }

  return { canvas, draw, hover };
}

export function renderDataset(container: HTMLElement, view: DatasetView): Disposable {
  let page = 0;
  let theme: Theme = readTheme(container);
  const shown = view.trajectories.length;
  const summary = `N = ${view.N} trajectories, H = ${view.H}, |S| = ${view.nS}, |A| = ${view.nA}; ${shown === view.N ? 'all' : `the first ${shown}`} included below`;

  const chart = coverageChart(view, () => theme);
  const chartWrap = el('div', { className: 'iln-canvas-wrap' }, chart.canvas);
  const prev = el('button', { className: 'iln-secondary', text: '‹ prev', attrs: { type: 'button', 'aria-label': 'previous page' } });
  const next = el('button', { className: 'iln-secondary', text: 'next ›', attrs: { type: 'button', 'aria-label': 'next page' } });
  const label = el('span', { className: 'iln-muted', attrs: { 'aria-live': 'polite' } });
  const tableHost = el('div', { className: 'iln-table-scroll' });

  const root = el('div', { className: 'iln-view iln-dataset' }, el('div', { className: 'iln-title', text: view.title }), el('div', { className: 'iln-caption', text: summary }));
  if (view.missingMass) root.append(el('div', { className: 'iln-mass', text: missingMassLine(view.missingMass) }));
  const picture = datasetPicture(view);
  if (picture) root.append(picture.element);
  root.append(chartWrap);
  if (shown > 0) root.append(el('div', { className: 'iln-pager' }, prev, label, next), tableHost);
  else root.append(el('div', { className: 'iln-note', text: 'no trajectories included in this output' }));
  container.append(root);
  const drawnPicture = picture?.draw();

  function drawTable(): void {
    page = clampPage(page, shown, TRAJECTORIES_PER_PAGE);
    const { start, end } = pageRange(page, shown, TRAJECTORIES_PER_PAGE);
    const steps = Math.max(view.H, ...view.trajectories.slice(start, end).map((t) => t.length));
    const head = el('tr', {}, el('th', { text: '#' }));
    for (let h = 1; h <= steps; h++) head.append(el('th', { className: 'iln-left', text: `h=${h}` }));
    const tbody = el('tbody');
    for (let i = start; i < end; i++) {
      const tr = el('tr', {}, el('td', { text: String(i + 1) }));
      const trajectory = view.trajectories[i];
      for (let h = 0; h < steps; h++) {
        const step = trajectory[h] ?? [-1, -1];
        const text = stepCell(step, view.stateNames, view.actionNames);
        tr.append(el('td', { className: step[0] < 0 ? 'iln-left iln-unobserved' : 'iln-left', text }));
      }
      tbody.append(tr);
    }
    tableHost.replaceChildren(el('table', { className: 'iln-table' }, el('thead', {}, head), tbody));
    label.textContent = pageLabel(page, shown, TRAJECTORIES_PER_PAGE);
    prev.disabled = page === 0;
    next.disabled = page >= pageCount(shown, TRAJECTORIES_PER_PAGE) - 1;
  }

  const drawChart = () => chart.draw(Math.max(200, chartWrap.clientWidth || 600));
  prev.addEventListener('click', () => {
    page -= 1;
    drawTable();
  });
  next.addEventListener('click', () => {
    page += 1;
    drawTable();
  });
  chart.canvas.addEventListener('pointermove', chart.hover);
  const unsubscribe = onThemeChange(() => {
    theme = readTheme(container);
    drawChart();
  });
  const resize = observeWidth(chartWrap, drawChart);
  drawChart();
  if (shown > 0) drawTable();

  return {
    dispose() {
      unsubscribe();
      resize.dispose();
      drawnPicture?.dispose();
      root.remove();
    },
  };
}
