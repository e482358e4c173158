import { test } from 'node:test';
import assert from 'node:assert/strict';
import { datasetFromTrajectories } from '../../src/core/dataset';
import { resetCliff, resetCliffExpectedGap, resetCliffRho } from '../../src/core/envs/resetCliff';
import { CoreError } from '../../src/core/errors';
import { policyValue } from '../../src/core/evaluation';
import { countRow, deterministicPolicy, uniformPolicy, type Policy } from '../../src/core/policy';
import { meanAndStandardError } from '../../src/core/regression';
import { sampleTrajectories } from '../../src/core/sampling';
import { bcExpertOnly, bcUnion, bcWeighted, discriminatorWeights, sampleMixedDataset } from '../../src/core/semiSupervised';

test('discriminator weights on a hand-computed example', () => {
  // D_E (N_E = 2): (s0,a0)(s1,a0) and (s0,a0)(s2,a0). D_S (N_S = 4) below. D_E visits (h,s) = (1,s0), (2,s1), (2,s2).
  const dE = datasetFromTrajectories(3, 2, 2, [
    [[0, 0], [1, 0]],
    [[0, 0], [2, 0]],
  ]);
  const dS = datasetFromTrajectories(3, 2, 2, [
    [[0, 0], [1, 1]],
    [[0, 1], [1, 0]],
    [[2, 1], [1, 0]],
    [[0, 0], [2, 0]],
  ]);
  // n_S: (1,s0,a0) = 2, (1,s0,a1) = 1, (1,s2,a1) = 1, (2,s1,a1) = 1, (2,s1,a0) = 2, (2,s2,a0) = 1.
  // Of the 7 D_S samples at (h,s) that D_E visits, 5 have an (h,s,a) that D_E has: γ̂ = 5/7.
  // w = (n_E/2)/(n_S/4): (1,s0,a0) → (2/2)/(2/4) = 2; (2,s1,a0) → (1/2)/(2/4) = 1; (2,s2,a0) → (1/2)/(1/4) = 2;
  // actions D_E never took where it was → 0; (1,s2) is unvisited by D_E → γ̂.
  const { weights, agreement } = discriminatorWeights(dE, dS);
  assert.equal(agreement, 5 / 7);
  assert.deepEqual(Array.from(weights), [2, 0, 0, 1, 5 / 7, 1, 2, 2]);
  // Weighted BC at (1, s0): 2 (D_E) + 2 + 2 on a0, 0 on a1; at (1, s2) only D_S's a1, at weight 5/7.
  const pi = bcWeighted(dE, dS);
  assert.deepEqual([...countRow(pi, 0), ...countRow(pi, 1)], [6, 0, 0, 5 / 7]);
  assert.throws(() => discriminatorWeights(dE, datasetFromTrajectories(3, 2, 3, [])), CoreError);
});

test('the mixture has round(α·N) expert trajectories and is reproducible from its seed', () => {
  const env = resetCliff({ nS: 6, nA: 2, H: 5 });
  const other = uniformPolicy(6, 2, 5);
  const mixed = sampleMixedDataset(env.mdp, env.expert, other, 10, 0.34, 'mix');
  assert.equal(mixed.data.N, 10);
  assert.deepEqual(Array.from(mixed.fromExpert), [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
  for (let k = 0; k < 3 * 5; k++) if (mixed.data.states[k] !== 5) assert.equal(mixed.data.actions[k], 0, 'expert rows play a*');
  assert.deepEqual(sampleMixedDataset(env.mdp, env.expert, other, 10, 0.34, 'mix'), mixed, 'seeded');
  assert.throws(() => sampleMixedDataset(env.mdp, env.expert, other, 10, 1.5, 'x'), /α must lie in \[0, 1\]/);
});

// Reset Cliff |S| = 11, |A| = 2, H = 8; N_E = 20 expert trajectories, N_S = 80 supplementary ones
// (at α = 1: 10 and 20, so that the union's gap is not 0 on almost every seed).
const H = 8;
const SEEDS = 400;
const env = resetCliff({ nS: 11, nA: 2, H });

function gaps(other: Policy, alpha: number, tag: string, NE = 20, NS = 80) {
  const out = { expert: new Float64Array(SEEDS), union: new Float64Array(SEEDS), weighted: new Float64Array(SEEDS) };
  for (let i = 0; i < SEEDS; i++) {
    const dE = sampleTrajectories(env.mdp, env.expert, NE, `${tag}-e-${i}`);
    const dS = sampleMixedDataset(env.mdp, env.expert, other, NS, alpha, `${tag}-s-${i}`).data;
    out.expert[i] = H - policyValue(env.mdp, bcExpertOnly(dE));
    out.union[i] = H - policyValue(env.mdp, bcUnion(dE, dS));
    out.weighted[i] = H - policyValue(env.mdp, bcWeighted(dE, dS));
  }
  return out;
}

const paired = (a: Float64Array, b: Float64Array) => meanAndStandardError(a.map((x, i) => x - b[i]));
const alwaysWrong = deterministicPolicy(11, 2, H, new Int32Array(11).fill(1));

test('α = 1: the union is N_E + N_S expert trajectories, so its expected gap is the closed form at N_E + N_S, below D_E alone', () => {
  const NE = 10;
  const NS = 20;
  const g = gaps(alwaysWrong, 1, 'a1', NE, NS);
  const closedE = resetCliffExpectedGap(2, resetCliffRho(11), NE, H);
  const closedU = resetCliffExpectedGap(2, resetCliffRho(11), NE + NS, H);
  assert.ok(closedU < closedE);
  for (const [name, values, closed] of [
    ['expert only', g.expert, closedE],
    ['union', g.union, closedU],
  ] as const) {
    const m = meanAndStandardError(values);
    assert.ok(Math.abs(m.mean - closed) <= 3.5 * m.se, `${name}: ${m.mean} ± ${m.se} vs ${closed}`);
  }
  const d = paired(g.expert, g.union);
  assert.ok(d.mean > 3 * d.se, `D_E alone − union = ${d.mean} ± ${d.se}`);
  // Every D_S sample agrees with the expert (γ̂ = 1, all weights > 0) and a deterministic expert has one
  // action per state, so the weighted clone is the union's clone.
  assert.deepEqual(g.weighted, g.union);
});

test('α = 0 and a supplementary policy that is always wrong: the union is worse, the weights give D_E alone back exactly', () => {
  const g = gaps(alwaysWrong, 0, 'a0');
  const d = paired(g.union, g.expert);
  assert.ok(d.mean > 4 * d.se, `union − D_E alone = ${d.mean} ± ${d.se}`);
  // Where D_E has data the wrong actions weigh 0; D_S never agrees, so γ̂ = 0 where it has none.
  assert.deepEqual(g.weighted, g.expert);
});

test('α = 0 and a uniformly random supplementary policy: the union is worse, weighted BC is close to D_E alone', () => {
  const g = gaps(uniformPolicy(11, 2, H), 0, 'u0');
  const hurt = paired(g.union, g.expert);
  assert.ok(hurt.mean > 4 * hurt.se, `union − D_E alone = ${hurt.mean} ± ${hurt.se}`);
  const recovered = paired(g.union, g.weighted);
  assert.ok(recovered.mean > 4 * recovered.se, `union − weighted = ${recovered.mean} ± ${recovered.se}`);
  // Weighted BC copies D_S's action frequencies only where D_E has no data; the random policy's
  // frequencies are 1/2 on average there, as D_E alone's uniform fill is.
  const off = paired(g.weighted, g.expert);
  assert.ok(Math.abs(off.mean) <= 4 * off.se, `weighted − D_E alone = ${off.mean} ± ${off.se}`);
});
