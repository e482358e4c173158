import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleTrajectories } from '../../src/core/sampling';
import { parseDatasetFile } from '../../src/ilmdp/datasetFile';
import { parseIlmdp } from '../../src/ilmdp/parse';
import { binning, coverageHeatmap, datasetStats, MAX_PAGE_ROWS, MAX_PAGE_STEPS, trajectoryPage } from '../../src/editor/datasetStats';
import { MAX_COVERAGE_STEPS } from '../../src/shared/mdpEditorProtocol';
import { DatasetStore, StoreError } from '../../src/editor/datasetStore';
import { MAX_HEATMAP_CELLS } from '../../src/shared/buildViews';

const examples = join(__dirname, '../../examples');
const threeStates = readFileSync(join(examples, 'three-states.ilmdp'), 'utf8');
const external = readFileSync(join(examples, 'external-dataset.ilmdp'), 'utf8');
const csv = readFileSync(join(examples, 'external-dataset.csv'));

test('statistics per dataset: N, H, states seen per step, coverage heatmap, missing mass beside its expectation', () => {
  const store = new DatasetStore();
  const { datasets } = store.analyse(1, threeStates, []);
  const byHand = datasets.find((d) => d.name === 'by-hand')!.stats!;
  // Step 1 saw {start}; step 2 {middle, start}; step 3 {goal, middle}; nothing after.
  assert.deepEqual(byHand.coverage, [1, 2, 2, 0, 0, 0]);
  assert.equal(byHand.observedSteps, 6);
  // n_h(s)/N by hand from the two inline trajectories (states start, middle, goal).
  assert.deepEqual(byHand.heatmap.values, [1, 0, 0, 0.5, 0.5, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(byHand.heatmap.columnLabels, ['start', 'middle', 'goal']);
  const demo = datasets.find((d) => d.name === 'demo')!.stats!;
  assert.equal(demo.N, 20);
  // E[M(D)] for the walker, from an explicit forward computation (start → middle 0.9, middle → goal 0.8).
  const P = [
    [0.1, 0.9, 0],
    [0.2, 0, 0.8],
    [0, 0, 1],
  ];
  let d = [1, 0, 0];
  let expected = 0;
  for (let h = 0; h < 6; h++) {
    for (const p of d) if (p > 0) expected += p * (1 - p) ** 20;
    d = [0, 1, 2].map((j) => d.reduce((acc, p, i) => acc + p * P[i][j], 0));
  }
  assert.ok(Math.abs(demo.expectedMissingMass! - expected) < 1e-12);
  assert.equal(demo.missingMassBound, (4 * 3 * 6) / (9 * 20));
  assert.ok(demo.missingMass! >= 0 && demo.missingMass! <= 6);
  // Every trajectory is observed at every step: each row of n_h(s)/N sums to 1.
  for (const sum of demo.heatmap.rowSums) assert.ok(Math.abs(sum - 1) < 1e-12);
});

test('pages are slices of the realised dataset, within the page budget, for the current version only', () => {
  const store = new DatasetStore();
  const text = threeStates.replace('trajectories: 20', 'trajectories: 1000');
  store.analyse(7, text, []);
  const { model } = parseIlmdp(text);
  const data = sampleTrajectories(model!.mdp, model!.experts.get('walker')!, 1000, 7);
  const page = store.page(7, 'demo', 990, 50);
  assert.equal(page.start, 990);
  assert.equal(page.count, 10, 'cut at N');
  assert.deepEqual(page.states, Array.from(data.states.subarray(990 * 6)));
  assert.deepEqual(page.actions, Array.from(data.actions.subarray(990 * 6)));
  assert.equal(store.page(7, 'demo', 0, 10_000).count, MAX_PAGE_ROWS);
  assert.throws(() => store.page(6, 'demo', 0, 1), (e: unknown) => e instanceof StoreError && e.code === 'stale');
  assert.throws(() => store.page(7, 'nope', 0, 1), (e: unknown) => e instanceof StoreError && e.code === 'unknown-dataset');
});

test('dataset files: read from the bytes sent, cached by stamp, missing ones and bad rows reported', () => {
  const store = new DatasetStore();
  const first = store.analyse(1, external, [{ path: 'external-dataset.csv', stamp: 'a', bytes: csv }]);
  assert.equal(first.datasets[0].stats!.N, 3);
  // Same stamp, no bytes: the worker reuses what it holds.
  assert.equal(store.analyse(2, external, [{ path: 'external-dataset.csv', stamp: 'a' }]).datasets[0].stats!.N, 3);
  assert.throws(() => store.analyse(3, external, [{ path: 'external-dataset.csv', stamp: 'b' }]), (e: unknown) => e instanceof StoreError && e.code === 'missing-bytes');
  assert.match(store.analyse(4, external, [{ path: 'external-dataset.csv', stamp: '', missing: true }]).datasets[0].error!, /not found beside this file/);
  const bad = new TextEncoder().encode('episode,step,state,action\n0,0,c0,right\n0,1,c7,right\n');
  const withBad = store.analyse(5, external, [{ path: 'external-dataset.csv', stamp: 'c', bytes: bad }]).datasets[0];
  assert.deepEqual(withBad.problems, ['external-dataset.csv row 3: unknown state "c7"']);
  assert.equal(withBad.stats!.observedSteps, 1);
});

test('exported files read back to the same trajectories', () => {
  const store = new DatasetStore();
  store.analyse(1, threeStates, []);
  const { model } = parseIlmdp(threeStates);
  const data = sampleTrajectories(model!.mdp, model!.experts.get('walker')!, 20, 7);
  for (const format of ['csv', 'jsonl'] as const) {
    const { bytes, rows } = store.export(1, 'demo', format);
    assert.equal(rows, 20 * 6);
    const back = parseDatasetFile(new TextDecoder().decode(bytes), format, model!.mdp);
    assert.deepEqual(back.diagnostics, []);
    assert.deepEqual(back.dataset!.states, data.states);
    assert.deepEqual(back.dataset!.actions, data.actions);
  }
});

test('the coverage heatmap of a large |S|·H is binned to the budget, and binned rows still sum to 1', () => {
  const nS = 1000;
  const H = 100;
  const N = 7;
  const states = new Int32Array(N * H);
  for (let k = 0; k < N * H; k++) states[k] = (k * 7919) % nS;
  const view = coverageHeatmap({ nS }, { nS, nA: 1, H, N, states, actions: new Int32Array(N * H) });
  assert.ok(view.rows * view.cols <= MAX_HEATMAP_CELLS);
  assert.equal(view.values.length, view.rows * view.cols);
  assert.deepEqual(binning(H, nS, MAX_HEATMAP_CELLS), { rowBin: view.rowBin, colBin: view.colBin, rows: view.rows, cols: view.cols });
  assert.ok(view.colBin > 1);
  for (const sum of view.rowSums) assert.ok(Math.abs(sum - 1) < 1e-9, String(sum));
});

test('payloads stay bounded whatever H is: per-step lists and pages are cut to their budgets', () => {
  const H = 100_000;
  const states = new Int32Array(2 * H).fill(0);
  states[H + 5] = 1;
  const d = { nS: 2, nA: 1, H, N: 2, states, actions: new Int32Array(2 * H) };
  const mdp = { nS: 2, nA: 1, H, rho: new Float64Array([1, 0]), reward: new Float64Array(2), transitions: [] };
  const stats = datasetStats(mdp, d);
  assert.equal(stats.coverage.length, MAX_COVERAGE_STEPS);
  // Step 6 saw both states (trajectory 2 was in state 1 there); every other step saw one.
  assert.deepEqual(stats.coverageRange, [1, 2]);
  assert.ok(stats.heatmap.values.length <= MAX_HEATMAP_CELLS);
  const page = trajectoryPage(d, 'long', 1, 5);
  assert.equal(page.count, 1);
  assert.equal(page.steps, MAX_PAGE_STEPS);
  assert.equal(page.states.length, MAX_PAGE_STEPS);
  assert.equal(page.states[5], 1);
});
