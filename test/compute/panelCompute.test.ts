import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computePanel, PanelProblems } from '../../src/compute/panelCompute';
import { defaultParams, type PanelParams } from '../../src/shared/panelProtocol';
import type { BcTableView, HeatmapView, PlotView, View } from '../../src/shared/viewModels';
import { resetCliffRecoveryExpectedGap } from '../../src/core/envs/resetCliffRecovery';
import { gapVsHorizon, gapVsSamples } from '../../src/core/experiments';

// examples/reset-cliff.ilmdp: |S| = 11 (10 good states, uniform ρ on them), |A| = 2, H = 16, dataset n40 = 40 trajectories.
const file = join(__dirname, '../../examples/reset-cliff.ilmdp');
const source = { file, text: readFileSync(file, 'utf8') };
const GOOD = 10;
const H = 16;

test('the expert heatmap of the Reset Cliff is d_h(s) = 1/10 on every good state at every step (rows sum to 1)', async () => {
  const { view, experts, datasets, used } = await computePanel(source, defaultParams('heatmap'));
  const heatmap = view as HeatmapView;
  assert.equal(heatmap.kind, 'heatmap');
  assert.deepEqual([heatmap.rows, heatmap.cols], [H, GOOD + 1]);
  for (let h = 0; h < H; h++) {
    const row = heatmap.values.slice(h * heatmap.cols, (h + 1) * heatmap.cols);
    assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    for (let s = 0; s < GOOD; s++) assert.ok(Math.abs(row[s] - 0.1) < 1e-12);
    assert.equal(row[GOOD], 0);
  }
  assert.deepEqual(experts, ['expert']);
  assert.deepEqual(datasets, ['n40']);
  assert.deepEqual(used, { expert: 'expert' });
});

test('the difference heatmap d^E − d^BC has rows that sum to 0, and the BC one rows that sum to 1', async () => {
  const diff = (await computePanel(source, { kind: 'heatmap', policy: 'difference', stateAction: false, scale: 'linear' })).view as HeatmapView;
  assert.equal(diff.quantity, 'difference');
  for (const sum of diff.rowSums) assert.ok(Math.abs(sum) < 1e-12);
  const bc = (await computePanel(source, { kind: 'heatmap', policy: 'bc', stateAction: true, scale: 'log' })).view as HeatmapView;
  assert.equal(bc.quantity, 'state-action');
  for (const sum of bc.rowSums) assert.ok(Math.abs(sum - 1) < 1e-12);
});

test('the BC table reports the missing mass beside its closed-form expectation and the bound 4|S|H/(9N)', async () => {
  const { view, used } = await computePanel(source, defaultParams('bc-table'));
  const table = view as BcTableView;
  assert.equal(used.dataset, 'n40');
  // E[missing mass] = Σ_h Σ_s d_h(s)(1 − d_h(s))^N = H · 10 · 0.1 · 0.9^40 for the uniform expert visitation.
  assert.ok(Math.abs(table.missingMass!.expected! - H * Math.pow(0.9, 40)) < 1e-12);
  assert.ok(Math.abs(table.missingMass!.bound - (4 * 11 * H) / (9 * 40)) < 1e-12);
  // Every state is either a seen row or counted as unseen, at every step; the bad state is never seen.
  assert.equal(table.steps.length, H);
  for (const step of table.steps) assert.equal(step.rows.length + step.unseen, 11);
});

test('gap vs H on the file agrees with the closed form E[gap] = H − Σ_h (1 − μ/2)^h within 4 standard errors', async () => {
  const params: PanelParams = { kind: 'gap-vs-H', N: 10, horizons: [2, 8, 32], seeds: 400, mode: 'per-step', baseSeed: 'panel-test' };
  const progress: number[] = [];
  const { view } = await computePanel(source, params, { onProgress: (done) => progress.push(done) });
  const plot = view as PlotView;
  const mean = plot.series.find((s) => s.role === 'mean')!;
  const mu = GOOD * 0.1 * Math.pow(0.9, 10);
  mean.points.forEach((p, i) => {
    const h = params.horizons[i];
    let closed = h;
    for (let k = 1; k <= h; k++) closed -= Math.pow(1 - mu / 2, k);
    assert.equal(p.x, h);
    assert.ok(Math.abs(p.y - closed) < 4 * p.se!, `H = ${h}: ${p.y} ± ${p.se} vs ${closed}`);
  });
  // The file generates a Reset Cliff with its own expert: the plot carries the closed form as a series.
  const closedSeries = plot.series.find((s) => s.role === 'closed-form')!;
  closedSeries.points.forEach((p, i) => {
    const h = params.horizons[i];
    let closed = h;
    for (let k = 1; k <= h; k++) closed -= Math.pow(1 - mu / 2, k);
    assert.ok(Math.abs(p.y - closed) < 1e-12);
  });
  assert.equal(progress.at(-1), 3 * 400);
});

test('gap vs N runs at the chosen horizon', async () => {
  const { view } = await computePanel(source, { kind: 'gap-vs-N', H: 4, sampleSizes: [5, 50], seeds: 50, mode: 'per-step', baseSeed: 's' });
  const plot = view as PlotView;
  assert.equal(plot.xLabel, 'N');
  assert.ok(plot.notes.some((n) => n.includes('H = 4')));
});

test('unsaved text is what the panel shows: an edited horizon changes the heatmap', async () => {
  const edited = { file, text: source.text.replace('horizon: 16', 'horizon: 5') };
  const { view } = await computePanel(edited, defaultParams('heatmap'));
  assert.equal((view as HeatmapView).rows, 5);
});

test('a broken file gives its problems with file:line:col instead of a view', async () => {
  const broken = { file, text: source.text.replace('horizon: 16', 'horizon: -3') };
  await assert.rejects(computePanel(broken, defaultParams('heatmap')), (e: unknown) => {
    assert.ok(e instanceof PanelProblems);
    assert.match(e.problems[0], /reset-cliff\.ilmdp:\d+:\d+: error: /);
    const line = Number(/ilmdp:(\d+):/.exec(e.problems[0])![1]);
    assert.equal(source.text.split('\n')[line - 1].trim(), 'horizon: 16');
    return true;
  });
});

test('an unknown expert and a file without datasets are problems that say what to do', async () => {
  await assert.rejects(computePanel(source, { ...defaultParams('heatmap'), expert: 'nobody' }), /no expert named "nobody".*it has: expert/);
  const noData = { file, text: source.text.replace(/datasets:[\s\S]*$/, '') };
  await assert.rejects(computePanel(noData, defaultParams('bc-table')), /has no dataset; add one under `datasets:`/);
});

test('several learners share one plot: a mean series each (same datasets), each with its slope, and the bound once', async () => {
  const params: PanelParams = { kind: 'gap-vs-H', N: 10, horizons: [2, 4, 8], seeds: 30, mode: 'per-step', baseSeed: 'compare', algorithms: ['bc', 'dagger'] };
  const progress: number[] = [];
  const { view } = await computePanel(source, params, { onProgress: (done, total) => progress.push(done / total) });
  const plot = view as PlotView;
  const means = plot.series.filter((s) => s.role === 'mean');
  assert.deepEqual(means.map((s) => s.name), ['BC', 'DAgger']);
  for (const s of means) assert.ok(s.slope && Number.isFinite(s.slope.value), `${s.name} has a slope`);
  assert.equal(plot.series.filter((s) => s.role === 'bound').length, 1);
  // BC's curve is the single-learner sweep's, point for point: the learners see the same datasets.
  const alone = (await computePanel(source, { ...params, algorithms: ['bc'] })).view as PlotView;
  assert.deepEqual(means[0].points, alone.series.find((s) => s.role === 'mean')!.points);
  assert.equal(progress.at(-1), 1);
  assert.ok(progress.every((p, i) => i === 0 || p >= progress[i - 1]), 'progress only moves forward across learners');
});

const sourceOf = (name: string, text: string) => ({ file: join(__dirname, name), text });
const seriesOf = (view: View, role: string) => (view as PlotView).series.find((s) => s.role === role);

test('gap vs H on a reset-cliff-recovery file plots the recovery closed form, and the means follow it', async () => {
  const recovery = sourceOf('recovery.ilmdp', 'mdp:\n  generator: reset-cliff-recovery\n  states: 6\n  actions: 3\n  horizon: 4\nexperts:\n  expert:\n    builtin: true\n');
  const params: PanelParams = { kind: 'gap-vs-H', N: 3, horizons: [2, 8, 32], seeds: 200, mode: 'per-step', baseSeed: 'recovery' };
  const { view } = await computePanel(recovery, params);
  const closed = seriesOf(view, 'closed-form')!;
  const mean = seriesOf(view, 'mean')!;
  params.horizons.forEach((H, i) => {
    // ρ uniform over the 5 good states.
    const expected = resetCliffRecoveryExpectedGap(3, Array<number>(5).fill(1 / 5), 3, H);
    assert.ok(Math.abs(closed.points[i].y - expected) < 1e-12, `H = ${H}`);
    assert.ok(Math.abs(mean.points[i].y - expected) <= 4 * mean.points[i].se! + 1e-9, `H = ${H}: ${mean.points[i].y} vs ${expected}`);
  });
});

test('the closed form is plotted for the cliff expert, builtin or written out, and not for another expert of the same MDP', async () => {
  const names = [...Array.from({ length: GOOD }, (_, i) => `g${i + 1}`), 'bad'];
  const table = (wrong: string) => `{${names.map((s) => `${s}: ${s === wrong ? 'other1' : 'expert'}`).join(', ')}}`;
  const text = `${source.text.replace(/experts:[\s\S]*$/, '')}experts:\n  clumsy:\n    policy: ${table('g1')}\n  careful:\n    policy: ${table('bad')}\n`;
  const params: PanelParams = { kind: 'gap-vs-H', N: 10, horizons: [2, 4], seeds: 5, mode: 'per-step', baseSeed: 'x' };
  assert.equal(seriesOf((await computePanel({ file, text }, { ...params, expert: 'clumsy' })).view, 'closed-form'), undefined);
  assert.ok(seriesOf((await computePanel({ file, text }, { ...params, expert: 'careful' })).view, 'closed-form'), 'what it does in the bad state, never visited, does not matter');
  assert.equal(seriesOf((await computePanel({ file, text }, { kind: 'gap-vs-N', sampleSizes: [5, 10], seeds: 5, mode: 'per-step', baseSeed: 'x', expert: 'clumsy' })).view, 'closed-form'), undefined);
});

test("gap vs H on the gridworld example past the file's horizon is the built-in sweep of the same spec, the expert optimal for each H", async () => {
  const grid = join(__dirname, '../../examples/gridworld.ilmdp');
  const params: PanelParams = { kind: 'gap-vs-H', N: 4, horizons: [6, 12, 24], seeds: 30, mode: 'per-step', baseSeed: 'grid' };
  const { view } = await computePanel({ file: grid, text: readFileSync(grid, 'utf8') }, params);
  const builtIn = gapVsHorizon({ env: { kind: 'gridworld', map: 'S...#\n.##.#\n....G\n#...#\n', H: 12, slip: 0.1 }, N: 4, horizons: params.horizons, seeds: 30, baseSeed: 'grid' });
  assert.deepEqual(
    seriesOf(view, 'mean')!.points.map((p) => [p.x, p.y]),
    builtIn.rows.map((r) => [r.x, r.mean]),
  );
});

test('gap vs N on a lower-bound Reset Cliff file at another H is the built-in sweep: each N its own ρ', async () => {
  const lower = sourceOf('lower.ilmdp', 'mdp:\n  generator: reset-cliff\n  states: 6\n  actions: 2\n  horizon: 8\n  rho: lower-bound\n  N: 10\nexperts:\n  expert:\n    builtin: true\n');
  const { view } = await computePanel(lower, { kind: 'gap-vs-N', H: 5, sampleSizes: [4, 40], seeds: 30, mode: 'per-step', baseSeed: 'lb' });
  const builtIn = gapVsSamples({ env: { kind: 'reset-cliff', nS: 6, nA: 2, H: 1, rho: 'lower-bound', N: 1 }, H: 5, sampleSizes: [4, 40], seeds: 30, baseSeed: 'lb' });
  assert.deepEqual(seriesOf(view, 'mean')!.points.map((p) => p.y), builtIn.rows.map((r) => r.mean));
  // §5's lower-bound ρ for N = 40: 1/41 on 4 good states, the rest on the fifth; E[gap] = H − Σ_h (1 − μ/2)^h.
  const rho = [1, 1, 1, 1].map(() => 1 / 41).concat(1 - 4 / 41);
  const mu = rho.reduce((m, p) => m + p * Math.pow(1 - p, 40), 0);
  let expected = 5;
  for (let h = 1; h <= 5; h++) expected -= Math.pow(1 - mu / 2, h);
  assert.ok(Math.abs(seriesOf(view, 'closed-form')!.points[1].y - expected) < 1e-12);
});

test("a panel reads a dataset file from where the editor's folder policy allows, and refuses it elsewhere", async () => {
  // The .ilmdp in a subfolder names ../data/recorded.csv: outside its own folder, inside the workspace.
  const { mkdtempSync, mkdirSync, writeFileSync, copyFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const workspace = mkdtempSync(join(tmpdir(), 'il-panel-files-'));
  mkdirSync(join(workspace, 'mdps'));
  mkdirSync(join(workspace, 'data'));
  copyFileSync(join(__dirname, '../../examples/external-dataset.csv'), join(workspace, 'data/recorded.csv'));
  const ilmdp = join(workspace, 'mdps/chain.ilmdp');
  const text = readFileSync(join(__dirname, '../../examples/external-dataset.ilmdp'), 'utf8').replace('file: external-dataset.csv', 'file: ../data/recorded.csv');
  writeFileSync(ilmdp, text);
  const params: PanelParams = { kind: 'bc-table', mode: 'per-step' };
  const folderPolicy = { roots: [workspace], allowOutside: false, rootsLabel: 'the workspace folder', howToAllow: 'turn on the setting' };
  const { view, datasets } = await computePanel({ file: ilmdp, text, datasetFiles: folderPolicy }, params);
  assert.deepEqual(datasets, ['recorded']);
  assert.equal(view.kind, 'bc-table');
  // Without the policy only the file's own folder counts, and the refusal says where and how.
  await assert.rejects(computePanel({ file: ilmdp, text }, params), (error: unknown) => {
    assert.ok(error instanceof PanelProblems);
    assert.match(error.problems.join('\n'), /\.\.\/data\/recorded\.csv/);
    // At the file: value (line 14, column 11), saying why; the workspace path itself is not printed back.
    assert.match(error.problems[0], /chain\.ilmdp:14:11: error: .*\.\.\/data\/recorded\.csv is outside the folder/);
    assert.doesNotMatch(error.problems[0].slice(error.problems[0].indexOf(': error:')), /il-panel-files-/);
    return true;
  });
});
