/**
 * Gap vs H (or N) with Chart.js: the Monte Carlo mean with ±se bars (one per algorithm when several are
 * compared, each with its slope in the legend), the closed form dashed, the bounds dotted, on log-log
 * axes when the view asks for them. Colours come from the theme.
 */
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  SubTitle,
  Tooltip,
  type ChartDataset,
  type Plugin,
  type Scale,
  type TooltipItem,
} from 'chart.js';
import type { PlotPoint, PlotView } from '../../src/shared/viewModels';
import { el, type Disposable } from './dom';
import { formatTick, formatValue } from './scales';
import { dataTicks, drawablePoints, errorBarEnds, extentValues, legendLabel, logTickLabel, paddedExtent, styleOf, subtitleText } from './plotModel';
import { css, isHighContrast, onThemeChange, readTheme, type Theme } from './theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Legend, SubTitle);

type Point = { x: number; y: number };

/** Vertical ±se bars with caps, drawn after the lines so they sit on top of the mean's markers. */
function errorBars(se: ReadonlyMap<number, readonly PlotPoint[]>, logY: boolean, colour: (datasetIndex: number) => string): Plugin<'line'> {
  return {
    id: 'ilnErrorBars',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const x = scales.x;
      const y = scales.y;
      ctx.save();
      ctx.beginPath();
      ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
      ctx.clip();
      ctx.lineWidth = 1.25;
      for (const [index, points] of se) {
        if (!chart.isDatasetVisible(index)) continue;
        ctx.strokeStyle = colour(index);
        for (const p of points) {
          const ends = errorBarEnds(p, logY, y.min);
          if (!ends) continue;
          const px = x.getPixelForValue(p.x);
          const top = y.getPixelForValue(ends[1]);
          const bottom = y.getPixelForValue(ends[0]);
          ctx.beginPath();
          ctx.moveTo(px, top);
          ctx.lineTo(px, bottom);
          ctx.moveTo(px - 4, top);
          ctx.lineTo(px + 4, top);
          ctx.moveTo(px - 4, bottom);
          ctx.lineTo(px + 4, bottom);
          ctx.stroke();
        }
      }
      ctx.restore();
    },
  };
}

export function renderPlot(container: HTMLElement, view: PlotView): Disposable {
  const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': `${view.title}: ${view.yLabel} against ${view.xLabel}` } });
  const root = el('div', { className: 'iln-view iln-plot' }, el('div', { className: 'iln-title', text: view.title }), el('div', { className: 'iln-chart-wrap' }, canvas));
  const notes = [...view.notes];
  const withSe = new Map<number, readonly PlotPoint[]>();
  const datasets: ChartDataset<'line', Point[]>[] = view.series.map((series, index) => {
    const { kept, dropped } = drawablePoints(series.points, view.logX, view.logY);
    if (dropped > 0) notes.push(`${series.name}: ${dropped} ${dropped === 1 ? 'point' : 'points'} ≤ 0 not shown on the log axis`);
    if (kept.some((p) => p.se !== undefined)) withSe.set(index, kept);
    const style = styleOf(view, index);
    return {
      label: legendLabel(series),
      data: kept.map((p) => ({ x: p.x, y: p.y })),
      borderDash: [...style.dash],
      borderWidth: series.role === 'mean' ? 2 : 1.75,
      pointRadius: style.points ? 3 : 0,
      pointHoverRadius: style.points ? 5 : 3,
      pointHitRadius: 6,
      tension: 0,
    };
  });
  if (notes.length > 0) root.append(el('ul', { className: 'iln-notes' }, ...notes.map((n) => el('li', { text: n }))));
  container.append(root);

  let theme: Theme = readTheme(container);

  function applyTheme(chart: Chart<'line', Point[]>): void {
    const fg = css(theme.foreground);
    const grid = css(theme.lines, isHighContrast(theme) ? 0.6 : 0.25);
    chart.data.datasets.forEach((d, i) => {
      const c = theme[styleOf(view, i).colour];
      d.borderColor = css(c);
      d.backgroundColor = css(c);
      d.pointBorderColor = css(c);
    });
    const o = chart.options;
    o.color = fg;
    o.font = { family: theme.fontFamily, size: 12 };
    for (const axis of [o.scales!.x!, o.scales!.y!]) {
      axis.grid = { color: grid };
      axis.border = { color: css(theme.lines) };
      axis.ticks = { ...axis.ticks, color: fg };
      if (axis.title) axis.title.color = fg;
    }
    o.plugins!.subtitle!.color = fg;
    o.plugins!.tooltip = {
      ...o.plugins!.tooltip,
      backgroundColor: css(theme.background, 0.95),
      titleColor: fg,
      bodyColor: fg,
      borderColor: css(theme.lines),
      borderWidth: 1,
    };
  }

  const slope = subtitleText(view);
  const xTicks = dataTicks(view);
  const extent = extentValues(view);
  const xRange = paddedExtent(extent.xs, view.logX) ?? {};
  const yRange = paddedExtent(extent.ys, view.logY) ?? {};
  const tickLabel = (log: boolean) =>
    function (this: Scale, value: number | string): string {
      const v = Number(value);
      return log ? logTickLabel(v, this.min, this.max) : formatTick(v);
    };
  const chart = new Chart<'line', Point[]>(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      scales: {
        x: {
          type: view.logX ? 'logarithmic' : 'linear',
          ...xRange,
          title: { display: true, text: view.xLabel },
          ticks: { callback: xTicks ? (v) => formatTick(Number(v)) : tickLabel(view.logX), autoSkip: !xTicks, maxRotation: 0 },
          ...(xTicks ? { afterBuildTicks: (axis: Scale) => void (axis.ticks = xTicks.map((value) => ({ value }))) } : {}),
        },
        y: { type: view.logY ? 'logarithmic' : 'linear', ...yRange, title: { display: true, text: view.yLabel }, ticks: { callback: tickLabel(view.logY) } },
      },
      plugins: {
        subtitle: { display: slope !== null, text: slope ?? '', align: 'start', position: 'top', padding: { bottom: 6 } },
        legend: {
          display: true,
          position: 'bottom',
          labels: {
            usePointStyle: true,
            pointStyle: 'line',
            pointStyleWidth: 28,
            // The default legend item takes its style from a point, which has no dash; the line's is wanted.
            generateLabels: (c) =>
              Chart.defaults.plugins.legend.labels.generateLabels(c).map((item) => ({
                ...item,
                lineDash: [...styleOf(view, item.datasetIndex ?? 0).dash],
                lineWidth: 2,
              })),
          },
        },
        tooltip: {
          callbacks: {
            label(item: TooltipItem<'line'>) {
              const p = withSe.get(item.datasetIndex)?.[item.dataIndex];
              const se = p?.se !== undefined ? ` ± ${formatValue(p.se)}` : '';
              return `${item.dataset.label}: ${formatValue(item.parsed.y ?? NaN)}${se}`;
            },
          },
        },
      },
    },
    plugins: [errorBars(withSe, view.logY, (i) => css(theme[styleOf(view, i).colour]))],
  });
  applyTheme(chart);
  chart.update('none');

  const unsubscribe = onThemeChange(() => {
    theme = readTheme(container);
    applyTheme(chart);
    chart.update('none');
  });

  return {
    dispose() {
      unsubscribe();
      chart.destroy();
      root.remove();
    },
  };
}
