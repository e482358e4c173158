import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resetCliff } from '../../src/core/envs';
import { mceIrlFit } from '../../src/core/mceIrl';
import { sampleTrajectories } from '../../src/core/sampling';
import { rewardHeatmapView, MAX_HEATMAP_CELLS } from '../../src/shared/buildViews';
import { createKernelIl } from '../../src/notebook/kernel/kernelApi';
import { createParallelSweeps } from '../../src/notebook/kernel/parallelSweeps';
import { toOutputItems } from '../../src/notebook/kernel/display';
import { isView, MIME, type HeatmapView } from '../../src/shared/viewModels';

const env = resetCliff({ nS: 5, nA: 2, H: 6 });
const data = sampleTrajectories(env.mdp, env.expert, 20, 'reward-view');

test("display() of an MCE-IRL fit draws its learned reward r(s, a): one row for all H steps, a signed quantity, the fit's numbers", () => {
  const fit = mceIrlFit(env.mdp, data, { maxIterations: 50 });
  const items = toOutputItems(fit);
  const rich = items.find((i) => i.mime === MIME.heatmap);
  assert.ok(rich, `a heatmap among ${items.map((i) => i.mime).join(', ')}`);
  const view = JSON.parse(rich.data) as HeatmapView;
  assert.ok(isView(view));
  assert.equal(view.quantity, 'reward');
  assert.deepEqual([view.rows, view.cols, view.rowBin, view.H, view.width], [1, 10, 6, 6, 10]);
  assert.deepEqual(view.values, Array.from(fit.reward));
  assert.equal(view.min, Math.min(...fit.reward));
  assert.equal(view.max, Math.max(...fit.reward));
  // The falling action is never in the data, so its gradient 0 − μ^θ(s, fall) is negative at every step of
  // the ascent from θ = 0: its learned reward is negative in every good state (a signed quantity).
  for (let s = 0; s < 4; s++) assert.ok(view.values[s * 2 + 1] < 0, `state ${s}`);
  const text = items.find((i) => i.mime === 'text/plain')!.data;
  assert.match(text, /learned reward r\(s, a\).* — 6 steps × 10 state-action pairs \(one row for all 6 steps\)/);
  assert.equal(view.sameAtEveryStep, true, 'one row that holds at every step, not an average of six');
  assert.doesNotMatch(text, /bins of/);
  assert.match(text, /h=1–6/);
  // The fit carries the MDP's names, so its columns are labelled as the MDP's states and actions.
  assert.equal(view.columnLabels[1], `${env.mdp.stateNames![0]}/${env.mdp.actionNames![1]}`);
});

test('a per-step reward has one row per step; a large one is binned under the cell budget; a wrong length is refused', () => {
  const fit = mceIrlFit(env.mdp, data, { maxIterations: 20, features: 'per-step-one-hot' });
  const view = rewardHeatmapView(fit, { mdp: env.mdp });
  assert.deepEqual([view.rows, view.cols, view.rowBin, view.colBin], [6, 10, 1, 1]);
  assert.equal(view.sameAtEveryStep, undefined);
  for (let h = 0; h < 6; h++) for (let c = 0; c < 10; c++) assert.equal(view.values[h * 10 + c], fit.reward[h * 10 + c]);
  assert.equal(view.columnLabels[1], `${env.mdp.stateNames?.[0] ?? 's0'}/${env.mdp.actionNames?.[1] ?? 'a1'}`);
  const big = rewardHeatmapView({ nS: 400, nA: 5, H: 100, perStep: true, reward: new Float64Array(100 * 2000).fill(1) });
  assert.ok(big.rows * big.cols <= MAX_HEATMAP_CELLS);
  assert.throws(() => rewardHeatmapView({ nS: 2, nA: 2, H: 3, perStep: true, reward: new Float64Array(4) }), /needs 12 numbers, got 4/);
  assert.equal(createKernelIl({ aborted: false }, createParallelSweeps({ aborted: false }, 'sweepWorker.js').api).views.reward, rewardHeatmapView, 'cells reach it as il.views.reward');
});
