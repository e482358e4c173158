import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetFromTrajectories } from '../../src/core/dataset';
import { estimateModel, modelGap } from '../../src/core/modelLearning';
import { transitionRow } from '../../src/core/mdp';
import { uniformPolicy } from '../../src/core/policy';
import { sampleTrajectories } from '../../src/core/sampling';
import { randomMdp, randomStochasticPolicy } from './helpers/randomMdp';

test('P̂ is n(s,a,s′)/n(s,a) from the dataset, uniform on unseen (s, a), ρ̂ empirical', () => {
  const { mdp } = randomMdp({ nS: 3, nA: 2, H: 3, seed: 1 });
  const data = datasetFromTrajectories(3, 2, 3, [
    [
      [0, 1],
      [2, 0],
      [1, 1],
    ],
    [
      [0, 1],
      [1, 0],
      [1, 0],
    ],
    [
      [2, 1],
      [2, 0],
      [0, 0],
    ],
  ]);
  const model = estimateModel(mdp, data);
  // (0,1) → 2 once, → 1 once; (2,0) → 1 once, → 0 once; (1,0) → 1 once; (2,1) → 2 once.
  assert.deepEqual(Array.from(transitionRow(model, 0, 0, 1)), [0, 0.5, 0.5]);
  assert.deepEqual(Array.from(transitionRow(model, 0, 2, 0)), [0.5, 0.5, 0]);
  assert.deepEqual(Array.from(transitionRow(model, 0, 1, 0)), [0, 1, 0]);
  assert.deepEqual(Array.from(transitionRow(model, 0, 2, 1)), [0, 0, 1]);
  for (const [s, a] of [
    [0, 0],
    [1, 1],
  ]) {
    assert.deepEqual(Array.from(transitionRow(model, 0, s, a)), [1 / 3, 1 / 3, 1 / 3]);
  }
  assert.deepEqual(Array.from(model.rho), [2 / 3, 0, 1 / 3]);
  assert.deepEqual(model.reward, mdp.reward);
});

test('the simulation lemma bounds |V_M(π) − V_M̂(π)| on random MDPs and small datasets', () => {
  for (let seed = 1; seed <= 25; seed++) {
    const nS = 4 + (seed % 5);
    const H = 3 + (seed % 6);
    const { mdp } = randomMdp({ nS, nA: 2, H, seed, perStep: seed % 4 === 0, withReset: seed % 3 === 0 });
    const data = sampleTrajectories(mdp, uniformPolicy(nS, 2, H), 1 + (seed % 7), seed);
    const model = estimateModel(mdp, data, { perStep: seed % 2 === 0 });
    const pi = randomStochasticPolicy(nS, 2, H, seed + 50);
    const g = modelGap(mdp, model, pi);
    assert.ok(Math.abs(g.gap) <= g.bound + 1e-12, `seed ${seed}: |${g.gap}| > ${g.bound}`);
    assert.ok(Math.abs(g.gap - (g.trueValue - g.modelValue)) < 1e-15);
  }
});

test('with abundant data the learned model evaluates policies almost exactly', () => {
  const { mdp } = randomMdp({ nS: 5, nA: 2, H: 5, seed: 3 });
  const data = sampleTrajectories(mdp, uniformPolicy(5, 2, 5), 20000, 3);
  const g = modelGap(mdp, estimateModel(mdp, data), randomStochasticPolicy(5, 2, 5, 8));
  assert.ok(Math.abs(g.gap) < 0.05, `gap ${g.gap}`);
  assert.ok(g.bound < 0.5, `bound ${g.bound}`);
});
