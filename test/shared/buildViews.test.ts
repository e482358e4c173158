import { test } from 'node:test';
import assert from 'node:assert/strict';
import { behavioralCloning } from '../../src/core/bc';
import { datasetFromTrajectories } from '../../src/core/dataset';
import { gapVsHorizon, gapVsSamples } from '../../src/core/experiments';
import { logLogSlope } from '../../src/core/regression';
import { garnet } from '../../src/core/envs/garnet';
import { resetCliff, resetCliffExpectedGap, resetCliffRho } from '../../src/core/envs/resetCliff';
import { sampleTrajectories } from '../../src/core/sampling';
import { bcTableView, comparisonPlotView, datasetView, downsampleGrid, dualityGapView, heatmapView, MAX_GAP_ROUNDS, MAX_HEATMAP_CELLS, plotView } from '../../src/shared/buildViews';
import { tvAilOgdFit } from '../../src/core/firstOrderAil';
import { isView, MAX_PAYLOAD_BYTES } from '../../src/shared/viewModels';
import { viewText } from '../../src/shared/viewText';
import { createKernelIl } from '../../src/notebook/kernel/kernelApi';
import { createParallelSweeps } from '../../src/notebook/kernel/parallelSweeps';

test('heatmap of d^π_h(s): every row sums to 1; Reset Cliff expert visitation equals ρ at every step', () => {
  const env = resetCliff({ nS: 7, nA: 3, H: 9 });
  const view = heatmapView(env.mdp, env.expert);
  assert.equal(view.rows, 9);
  assert.equal(view.cols, 7);
  for (const sum of view.rowSums) assert.ok(Math.abs(sum - 1) < 1e-12);
  // docs/theory.md §5: d^{π^E}_h = ρ (uniform over the 6 good states, 0 on the bad one)
  for (let h = 0; h < 9; h++) for (let s = 0; s < 7; s++) assert.ok(Math.abs(view.values[h * 7 + s] - (s < 6 ? 1 / 6 : 0)) < 1e-12);
  assert.ok(Math.abs(view.value! - 9) < 1e-12, 'V(π^E) = H');
  assert.deepEqual(view.columnLabels, ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'bad']);
  assert.ok(isView(view));
});

test('d_h(s, a) rows sum to 1 too, and a difference of two policies sums to 0', () => {
  const env = garnet({ nS: 12, nA: 3, H: 6, branching: 3, seed: 'views' });
  const sa = heatmapView(env.mdp, env.expert, { stateAction: true });
  assert.equal(sa.cols, 36);
  for (const sum of sa.rowSums) assert.ok(Math.abs(sum - 1) < 1e-12);
  const bc = behavioralCloning(sampleTrajectories(env.mdp, env.expert, 3, 'd'));
  const diff = heatmapView(env.mdp, bc, { minus: env.expert });
  for (const sum of diff.rowSums) assert.ok(Math.abs(sum) < 1e-12);
  assert.ok(diff.min <= 0 && diff.max >= 0);
});

test('2,000 states × 500 steps is downsampled under the payload limit and keeps row sums', () => {
  const env = garnet({ nS: 2000, nA: 2, H: 500, branching: 2, seed: 'big' });
  const view = heatmapView(env.mdp, env.expert);
  assert.ok(view.rows * view.cols <= MAX_HEATMAP_CELLS);
  assert.ok(view.colBin > 1 && view.rowBin > 1);
  assert.equal(view.columnLabels.length, 0);
  assert.ok(JSON.stringify(view).length < MAX_PAYLOAD_BYTES);
  for (const sum of view.rowSums) assert.ok(Math.abs(sum - 1) < 1e-9, `row sum ${sum}`);
  assert.ok(viewText(view).length < 20_000);
});

test('downsampleGrid sums columns and averages rows, whatever bins it picks', () => {
  const rows = 7;
  const cols = 50;
  const values = Float64Array.from({ length: rows * cols }, (_, i) => (i * 37) % 11);
  for (const maxCells of [4, 30, 100, 349]) {
    const { grid, rowBin, colBin } = downsampleGrid({ rows, cols, values }, maxCells);
    assert.ok(grid.rows * grid.cols <= maxCells, `${grid.rows}×${grid.cols} > ${maxCells}`);
    for (let r = 0; r < grid.rows; r++) {
      for (let c = 0; c < grid.cols; c++) {
        let sum = 0;
        let n = 0;
        for (let i = r * rowBin; i < Math.min(rows, (r + 1) * rowBin); i++) {
          n++;
          for (let j = c * colBin; j < Math.min(cols, (c + 1) * colBin); j++) sum += values[i * cols + j];
        }
        assert.ok(Math.abs(grid.values[r * grid.cols + c] - sum / n) < 1e-9);
      }
    }
  }
  const small = downsampleGrid({ rows, cols, values }, rows * cols);
  assert.equal(small.rowBin * small.colBin, 1);
});

test('BC table: counts per seen state, probabilities = counts / total, unseen states counted', () => {
  const data = datasetFromTrajectories(4, 2, 2, [
    [
      [0, 1],
      [2, 0],
    ],
    [
      [0, 1],
      [2, 1],
    ],
    [
      [1, 0],
      [2, 1],
    ],
  ]);
  const view = bcTableView(behavioralCloning(data));
  assert.equal(view.steps.length, 2);
  assert.deepEqual(view.steps[0].rows.map((r) => [r.state, r.counts, r.probabilities]), [
    [0, [0, 2], [0, 1]],
    [1, [1, 0], [1, 0]],
  ]);
  assert.equal(view.steps[0].unseen, 2);
  assert.deepEqual(view.steps[1].rows[0].probabilities, [1 / 3, 2 / 3]);
  assert.equal(view.steps[1].unseen, 3);
  assert.match(viewText(view), /3 unseen state\(s\) at this step: π = uniform 1\/2/);
});

test('BC table reports the missing mass beside its expectation and the bound 4|S|H/(9N)', () => {
  const env = resetCliff({ nS: 6, nA: 2, H: 4 });
  const data = sampleTrajectories(env.mdp, env.expert, 3, 'mm');
  const view = bcTableView(behavioralCloning(data), { mdp: env.mdp, dataset: data, expert: env.expert });
  assert.ok(view.missingMass);
  // E[M] = H Σ_s ρ(s)(1 − ρ(s))^N with ρ uniform on 5 good states (docs/theory.md §3, §5)
  assert.ok(Math.abs(view.missingMass!.expected! - 4 * (0.8 ** 3)) < 1e-12);
  assert.ok(Math.abs(view.missingMass!.bound - (4 * 6 * 4) / (9 * 3)) < 1e-12);
});

test('plot of a sweep: mean with s.e., the closed form, the bound and the slope', () => {
  const sweep = gapVsHorizon({ env: { kind: 'reset-cliff', nS: 6, nA: 2, H: 1 }, N: 5, horizons: [1, 2, 4, 8], seeds: 40, baseSeed: 'plot' });
  const view = plotView(sweep);
  const closed = view.series.find((s) => s.role === 'closed-form')!;
  const rho = resetCliffRho(6);
  closed.points.forEach((p) => assert.ok(Math.abs(p.y - resetCliffExpectedGap(2, rho, 5, p.x)) < 1e-12));
  const mean = view.series.find((s) => s.role === 'mean')!;
  assert.deepEqual(mean.points.map((p) => p.x), [1, 2, 4, 8]);
  assert.ok(mean.points.every((p) => p.se !== undefined));
  assert.equal(view.slope?.value, sweep.slope?.slope);
  assert.match(viewText(view), /log-log slope/);
});

test('a comparison plot: one mean series with s.e. per algorithm, each with its own fitted slope, and no BC-only series', () => {
  const spec = { env: { kind: 'reset-cliff-recovery' as const, nS: 8, nA: 4, H: 1 }, N: 10, horizons: [2, 4, 8, 16], seeds: 30, baseSeed: 'compare', slopeRange: [4, 16] as [number, number] };
  const bc = gapVsHorizon(spec);
  const dagger = gapVsHorizon({ ...spec, algorithm: 'dagger' });
  const view = comparisonPlotView([
    { label: 'BC', result: bc },
    { label: 'DAgger', result: dagger },
  ]);
  assert.ok(isView(view));
  assert.deepEqual(view.series.map((s) => [s.name, s.role]), [
    ['BC', 'mean'],
    ['DAgger', 'mean'],
  ]);
  view.series.forEach((series, i) => {
    const result = [bc, dagger][i];
    assert.deepEqual(series.points, result.rows.map((r) => ({ x: r.x, y: r.mean, se: r.se })));
    // The slope is refitted here from the plotted points, independently of the sweep's own fit.
    const fit = logLogSlope(series.points.map((p) => p.x), series.points.map((p) => p.y), 4, 16);
    assert.ok(Math.abs(series.slope!.value - fit.slope) < 1e-12);
    assert.deepEqual([series.slope!.from, series.slope!.to], [4, 16]);
  });
  assert.equal(view.slope, undefined, 'no single slope for the whole plot');
  assert.equal(view.xLabel, 'H');
  assert.match(view.title, /BC vs DAgger/);
  const text = viewText(view);
  assert.match(text, /BC: log-log slope/);
  assert.match(text, /DAgger: log-log slope/);
  assert.throws(() => comparisonPlotView([]), /at least one/);
  assert.equal(createKernelIl({ aborted: false }, createParallelSweeps({ aborted: false }, 'sweepWorker.js').api).views.comparePlot, comparisonPlotView, 'cells reach it as il.views.comparePlot');
  const byN = gapVsSamples({ env: { kind: 'reset-cliff', nS: 6, nA: 2, H: 3 }, H: 3, sampleSizes: [2, 4], seeds: 5 });
  assert.throws(() => comparisonPlotView([{ label: 'BC', result: bc }, { label: 'by N', result: byN }]), /"by N" is a gap-vs-N sweep/);
});

test('duality-gap view of a first-order TV-AIL run: the three curves, log-spaced rounds, the regret bound above the averaged gap', () => {
  const { mdp, expert } = garnet({ nS: 12, nA: 3, H: 8, branching: 2, seed: 4 });
  const data = sampleTrajectories(mdp, expert, 10, 'gap-view');
  for (const K of [60, 2000]) {
    const fit = tvAilOgdFit(mdp, data, { maxIterations: K, tolerance: 0 });
    const view = dualityGapView(fit);
    assert.ok(isView(view));
    assert.ok(JSON.stringify(view).length < MAX_PAYLOAD_BYTES);
    assert.deepEqual(view.series.map((s) => s.role), ['mean', 'other', 'bound']);
    const [certified, averaged, regret] = view.series;
    const xs = certified.points.map((p) => p.x);
    assert.equal(xs[0], 1);
    assert.equal(xs.at(-1), K);
    assert.ok(xs.every((x, i) => i === 0 || x > xs[i - 1]), 'rounds increase');
    if (K <= MAX_GAP_ROUNDS) assert.equal(xs.length, K);
    else assert.ok(xs.length <= MAX_GAP_ROUNDS + 1 && view.notes.some((n) => n.includes(`of the ${K} rounds drawn`)));
    certified.points.forEach((p, i) => {
      // The averaged pair's gap is at most Regret_k/k (docs/adversarial.md); the certificate takes an
      // objective at most d̄_k's and the best lower bound so far, so it is at most the averaged pair's.
      assert.ok(averaged.points[i].y <= regret.points[i].y + 1e-9, `round ${p.x}: averaged gap above the regret bound`);
      assert.ok(p.y >= 0 && p.y <= averaged.points[i].y + 1e-12, `round ${p.x}`);
    });
    assert.equal(certified.points.at(-1)!.y, fit.gap);
    assert.match(viewText(view), new RegExp(`after ${K} rounds \\(round budget spent\\)`));
  }
  const il = createKernelIl({ aborted: false }, createParallelSweeps({ aborted: false }, 'sweepWorker.js').api);
  assert.equal(il.views.dualityGap, dualityGapView, 'cells reach it as il.views.dualityGap');
});

test('dataset view keeps the first trajectories under the payload limit and the coverage per step', () => {
  const env = resetCliff({ nS: 11, nA: 2, H: 100 });
  const data = sampleTrajectories(env.mdp, env.expert, 10_000, 'ds');
  const view = datasetView(data, { mdp: env.mdp, expert: env.expert });
  assert.equal(view.N, 10_000);
  assert.ok(view.trajectories.length < 10_000 && view.trajectories.length > 0);
  assert.ok(JSON.stringify(view).length < MAX_PAYLOAD_BYTES);
  assert.equal(view.statesSeenPerStep.length, 100);
  assert.ok(view.statesSeenPerStep.every((c) => c === 10), 'with 10,000 trajectories every good state is seen at every step');
  assert.deepEqual(view.trajectories[1][3], [data.states[1 * 100 + 3], data.actions[1 * 100 + 3]]);
});

test('isView rejects payloads of another version or shape', () => {
  assert.equal(isView({ version: 2, kind: 'plot', title: 'x', series: [] }), false);
  assert.equal(isView({ version: 1, kind: 'heatmap', title: 'x', rows: 2, cols: 2, values: [1, 2, 3], stepStart: [1, 2] }), false);
  assert.equal(isView({ version: 1, kind: 'nope', title: 'x' }), false);
  assert.equal(isView(null), false);
});

test('a BC table stays under the payload limit whatever |A| is, and says how much it left out', () => {
  const env = garnet({ nS: 3000, nA: 60, H: 20, branching: 3, seed: 'wide' });
  const data = sampleTrajectories(env.mdp, env.expert, 400, 'wide');
  const view = bcTableView(behavioralCloning(data));
  assert.ok(JSON.stringify(view).length < MAX_PAYLOAD_BYTES, `${JSON.stringify(view).length} bytes`);
  const shown = view.steps.reduce((n, s) => n + s.rows.length, 0);
  const omitted = view.steps.reduce((n, s) => n + s.omitted, 0);
  assert.ok(omitted > 0 || view.omittedSteps > 0, 'something was left out, and counted');
  assert.ok(shown > 0);
});
