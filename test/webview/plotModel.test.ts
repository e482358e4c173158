import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PlotView } from '../../src/shared/viewModels';
import { dataTicks, drawablePoints, errorBarEnds, extentValues, legendLabel, logTickLabel, paddedExtent, seriesStyle, slopeText, styleOf, subtitleText } from '../../webview/components/plotModel';
import { payloadProblem } from '../../webview/notebookRenderer/payload';
import { MIME } from '../../src/shared/viewModels';

const view: PlotView = {
  version: 1,
  kind: 'plot',
  title: 'gap vs H',
  xLabel: 'H',
  yLabel: 'gap',
  logX: true,
  logY: true,
  series: [{ name: 'mean', role: 'mean', points: [{ x: 1, y: 0.1, se: 0.2 }, { x: 2, y: 0.4, se: 0.05 }, { x: 4, y: 0 }] }],
  slope: { value: 1.9712, intercept: -2.3, from: 4, to: 64 },
  notes: [],
};

test('series roles: mean solid with markers, closed form dashed, bounds dotted', () => {
  assert.deepEqual(seriesStyle('mean').dash, []);
  assert.ok(seriesStyle('mean').points);
  assert.ok(seriesStyle('closed-form').dash.length === 2 && seriesStyle('closed-form').dash[0] > seriesStyle('bound').dash[0]);
  assert.equal(seriesStyle('bound').colour, 'red');
  assert.notEqual(seriesStyle('instance-bound').colour, seriesStyle('bound').colour);
});

test('log axes drop non-positive points; error bars reaching zero are cut at the axis floor', () => {
  const { kept, dropped } = drawablePoints(view.series[0].points, true, true);
  assert.equal(kept.length, 2);
  assert.equal(dropped, 1);
  assert.equal(drawablePoints(view.series[0].points, false, false).dropped, 0);
  assert.deepEqual(errorBarEnds({ x: 1, y: 0.1, se: 0.2 }, true, 0.01), [0.01, 0.30000000000000004]);
  assert.deepEqual(errorBarEnds({ x: 1, y: 0.1, se: 0.05 }, true, 0.01), [0.05, 0.15000000000000002]);
  assert.equal(errorBarEnds({ x: 1, y: 0.1 }, true, 0.01), null);
  assert.equal(errorBarEnds({ x: 1, y: 0.1, se: 0 }, false, 0), null);
});

test('slope note', () => {
  assert.equal(slopeText(view), 'slope 1.97 over H ∈ [4, 64] (log-log fit)');
  assert.equal(slopeText({ ...view, slope: undefined }), null);
});

test('several algorithms: each mean gets its own colour, the legend its slope, the subtitle every slope', () => {
  const compare: PlotView = {
    ...view,
    slope: undefined,
    series: [
      { name: 'BC', role: 'mean', points: [{ x: 4, y: 1, se: 0.1 }], slope: { value: 1.984, from: 4, to: 64 } },
      { name: 'DAgger', role: 'mean', points: [{ x: 4, y: 0.5, se: 0.1 }], slope: { value: 1.104, from: 4, to: 64 } },
    ],
  };
  assert.notEqual(styleOf(compare, 0).colour, styleOf(compare, 1).colour);
  // Up to twelve means are told apart by colour and dash together, though the colours repeat after four.
  const looks = Array.from({ length: 12 }, (_, i) => seriesStyle('mean', i)).map((st) => `${st.colour} ${st.dash.join(',')}`);
  assert.equal(new Set(looks).size, 12);
  assert.deepEqual(seriesStyle('mean', 0).dash, [], 'the first four are solid, as before');
  assert.equal(legendLabel(compare.series[0]), 'BC — slope 1.98');
  assert.equal(legendLabel(view.series[0]), 'mean', 'a single sweep keeps its legend');
  assert.equal(subtitleText(compare), 'slopes over H ∈ [4, 64] (log-log fits): BC 1.98 · DAgger 1.10');
  const ranges = { ...compare, series: [compare.series[0], { ...compare.series[1], slope: { value: 1.1, from: 8, to: 64 } }] };
  assert.equal(subtitleText(ranges), 'slopes (log-log fits): BC 1.98 over H ∈ [4, 64] · DAgger 1.10 over H ∈ [8, 64]');
  assert.equal(subtitleText(view), slopeText(view), 'a single sweep keeps its slope line');
  assert.equal(subtitleText({ ...view, slope: undefined }), null);
});

test('renderer payload checks name the problem', () => {
  assert.equal(payloadProblem(MIME.plot, view), null);
  assert.match(payloadProblem(MIME.plot, { ...view, version: 2 })!, /newer IL Notebooks/);
  assert.match(payloadProblem(MIME.plot, { ...view, version: 0 })!, /Unknown view format version 0/);
  assert.match(payloadProblem(MIME.plot, [1, 2])!, /not a JSON object/);
  assert.match(payloadProblem(MIME.plot, 'x')!, /not a JSON object/);
  assert.match(payloadProblem(MIME.plot, { ...view, series: 3 })!, /"plot" payload is incomplete/);
  assert.match(payloadProblem(MIME.heatmap, view)!, /expects "heatmap"/);
});

test('x ticks at the sampled values when there are few; log tick labels thin out over many decades', () => {
  assert.deepEqual(dataTicks(view), [1, 2]);
  assert.deepEqual(dataTicks({ ...view, logY: false }), [1, 2, 4]);
  const many = { ...view, series: [{ name: 'm', role: 'mean' as const, points: Array.from({ length: 20 }, (_, i) => ({ x: i + 1, y: 1 })) }] };
  assert.equal(dataTicks(many), null);
  assert.equal(logTickLabel(100, 0.1, 1000), '100');
  assert.equal(logTickLabel(200, 0.1, 1000), '');
  assert.equal(logTickLabel(700, 0.1, 1000), '');
  assert.equal(logTickLabel(0.2, 0.1, 10), '0.2');
  assert.equal(logTickLabel(5, 0.1, 10), '5');
  assert.equal(logTickLabel(3, 0.1, 10), '');
  assert.equal(logTickLabel(0, 0.1, 10), '');
});

test('axis extents leave room around the data and its error bars', () => {
  const { xs, ys } = extentValues(view);
  assert.deepEqual(xs, [1, 2]);
  // 0.1 ± 0.2 reaches below zero: on this log axis its lower end runs off the frame instead of setting the extent.
  assert.ok(ys.includes(0.30000000000000004) && !ys.some((y) => y <= 0));
  assert.ok(extentValues({ ...view, logY: false }).ys.some((y) => y < 0), 'a linear axis makes room for it');
  const log = paddedExtent(ys, true)!;
  assert.ok(log.min < 0.1 && log.min > 0 && log.max > 0.45);
  const lin = paddedExtent([0, 10], false)!;
  assert.deepEqual(lin, { min: -0.4, max: 10.4 });
  assert.equal(paddedExtent([], true), null);
  assert.deepEqual(paddedExtent([5], true), { min: 2.5, max: 10 });
});

test('on a log axis a mean within one s.e. of zero does not stretch the axis over empty decades', () => {
  const logView = {
    ...view,
    logY: true,
    series: [
      { name: 'BC', role: 'mean' as const, points: [{ x: 4, y: 0.1, se: 0.01 }] },
      { name: 'MIMIC-MD', role: 'mean' as const, points: [{ x: 4, y: 1e-4, se: 1e-4 - 1e-19 }] },
    ],
  };
  const { ys } = extentValues(logView);
  // 0.1 ± 0.01 keeps both ends; 1e-4 keeps its point and upper end, not its lower end (1e-19).
  assert.deepEqual(ys, [0.1, 0.11, 0.09000000000000001, 1e-4, 1e-4 + (1e-4 - 1e-19)]);
  const range = paddedExtent(ys, true)!;
  assert.ok(range.min > 1e-5, `the axis stops within a decade of the smallest mean, not at ${range.min}`);
});
