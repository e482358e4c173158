import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bcTable, behavioralCloning, logLikelihood } from '../../src/core/bc';
import { datasetFromTrajectories, type Dataset } from '../../src/core/dataset';
import { chain, garnet } from '../../src/core/envs';
import { CoreError } from '../../src/core/errors';
import { imitationGap, visitation } from '../../src/core/evaluation';
import { actionDistribution, countRow } from '../../src/core/policy';
import { sampleTrajectories } from '../../src/core/sampling';
import { randomStochasticPolicy } from './helpers/randomMdp';

const small = datasetFromTrajectories(3, 2, 2, [
  [
    [0, 1],
    [2, 0],
  ],
  [
    [0, 1],
    [2, 1],
  ],
  [
    [0, 0],
    [1, 1],
  ],
]);

test('per-step BC is n_h(s,a)/n_h(s), uniform on unseen states; pooled BC pools the steps', () => {
  const pi = behavioralCloning(small);
  assert.deepEqual(Array.from(actionDistribution(pi, 0, 0)), [1 / 3, 2 / 3]);
  assert.deepEqual(Array.from(actionDistribution(pi, 0, 2)), [0.5, 0.5]); // unseen at step 1
  assert.deepEqual(Array.from(actionDistribution(pi, 1, 2)), [0.5, 0.5]);
  assert.deepEqual(Array.from(actionDistribution(pi, 1, 1)), [0, 1]);
  assert.deepEqual(Array.from(actionDistribution(pi, 1, 0)), [0.5, 0.5]);
  const pooled = behavioralCloning(small, { mode: 'pooled' });
  assert.equal(pooled.stationary, true);
  assert.deepEqual(Array.from(actionDistribution(pooled, 1, 0)), [1 / 3, 2 / 3]);
  const table = bcTable(pi, 1);
  assert.deepEqual(
    table.rows.map((r) => [r.state, Array.from(r.counts)]),
    [
      [1, [0, 1]],
      [2, [1, 1]],
    ],
  );
  assert.equal(table.unseen, 1);
});

test('BC maximises the log-likelihood: no random policy does better on the same data', () => {
  const bcValue = logLikelihood(small, behavioralCloning(small));
  // Hand-computed: step 1: 2·log(2/3) + log(1/3); step 2: log(1/2)·2 + log 1.
  assert.ok(Math.abs(bcValue - (2 * Math.log(2 / 3) + Math.log(1 / 3) + 2 * Math.log(0.5))) < 1e-12);
  for (let seed = 0; seed < 50; seed++) assert.ok(logLikelihood(small, randomStochasticPolicy(3, 2, 2, seed)) <= bcValue + 1e-12);
});

test('deterministic expert and every reachable (h, s) covered ⇒ the BC gap is exactly 0', () => {
  for (let seed = 0; seed < 5; seed++) {
    const { mdp, expert } = garnet({ nS: 12, nA: 3, H: 6, branching: 2, seed });
    // Build the dataset from every reachable (h, s), labelled by the expert.
    const { dS } = visitation(mdp, expert);
    const trajectories: [number, number][][] = [];
    for (let h = 0; h < mdp.H; h++) {
      for (let s = 0; s < mdp.nS; s++) {
        if (dS![h * mdp.nS + s] === 0) continue;
        const tr: [number, number][] = [];
        for (let j = 0; j < mdp.H; j++) {
          const state = j === h ? s : 0;
          tr.push([state, expert.kind === 'deterministic' ? expert.action[expert.stationary ? state : j * mdp.nS + state] : 0]);
        }
        trajectories.push(tr);
      }
    }
    const bc = behavioralCloning(datasetFromTrajectories(mdp.nS, mdp.nA, mdp.H, trajectories));
    assert.equal(imitationGap(mdp, expert, bc), 0);
  }
  // And with plain sampling, once the data covers everything the expert reaches.
  const { mdp, expert } = chain({ nS: 5, nA: 2, H: 8, slip: 0.2 });
  const bc = behavioralCloning(sampleTrajectories(mdp, expert, 3000, 'cover'));
  assert.equal(imitationGap(mdp, expert, bc), 0);
});

const datasetArbitrary = fc
  .record({ nS: fc.integer({ min: 1, max: 6 }), nA: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 5 }), N: fc.integer({ min: 0, max: 6 }) })
  .chain(({ nS, nA, H, N }) =>
    fc.record({
      nS: fc.constant(nS),
      nA: fc.constant(nA),
      H: fc.constant(H),
      N: fc.constant(N),
      states: fc.array(fc.integer({ min: -1, max: nS - 1 }), { minLength: N * H, maxLength: N * H }),
      actions: fc.array(fc.integer({ min: 0, max: nA - 1 }), { minLength: N * H, maxLength: N * H }),
    }),
  );

test('property: every BC row (per-step and pooled) sums to 1 with probabilities in [0, 1]', () => {
  fc.assert(
    fc.property(datasetArbitrary, fc.boolean(), (raw, pooled) => {
      const d: Dataset = { ...raw, states: Int32Array.from(raw.states), actions: Int32Array.from(raw.actions) };
      const pi = behavioralCloning(d, { mode: pooled ? 'pooled' : 'per-step' });
      for (let h = 0; h < d.H; h++) {
        for (let s = 0; s < d.nS; s++) {
          const row = actionDistribution(pi, h, s);
          let sum = 0;
          for (const p of row) {
            if (!(p >= 0 && p <= 1)) return false;
            sum += p;
          }
          if (Math.abs(sum - 1) > 1e-12) return false;
        }
      }
      return true;
    }),
    { numRuns: 300 },
  );
});

test('property: malformed datasets make BC and the log-likelihood throw CoreError and nothing else', () => {
  fc.assert(
    fc.property(
      fc.record({
        nS: fc.integer({ min: -2, max: 5 }),
        nA: fc.integer({ min: -2, max: 4 }),
        H: fc.integer({ min: -1, max: 4 }),
        N: fc.integer({ min: -1, max: 4 }),
        states: fc.array(fc.integer({ min: -5, max: 8 }), { maxLength: 20 }),
        actions: fc.array(fc.integer({ min: -5, max: 8 }), { maxLength: 20 }),
      }),
      (raw) => {
        const d: Dataset = { ...raw, states: Int32Array.from(raw.states), actions: Int32Array.from(raw.actions) };
        for (const run of [
          () => behavioralCloning(d),
          () => behavioralCloning(d, { mode: 'pooled' }),
          () => logLikelihood(d, behavioralCloning(d)),
        ]) {
          try {
            run();
          } catch (error) {
            if (!(error instanceof CoreError)) return false;
          }
        }
        return true;
      },
    ),
    { numRuns: 500 },
  );
});

test('BC counts equal a brute-force tally, for small datasets (read in place) and large ones (copied step-major), weighted or not', () => {
  const env = garnet({ nS: 50, nA: 3, H: 20, branching: 3, seed: 'tally' });
  const stochastic = randomStochasticPolicy(50, 3, 20, 7);
  for (const N of [3, 2000]) {
    const d = sampleTrajectories(env.mdp, stochastic, N, `tally-${N}`);
    const weights = new Float64Array(N * 20).map((_, k) => (k % 5) * 0.25);
    for (const w of [undefined, weights]) {
      for (const mode of ['per-step', 'pooled'] as const) {
        const pi = behavioralCloning(d, { mode, ...(w ? { weights: w } : {}) });
        const blocks = mode === 'pooled' ? 1 : 20;
        const tally = new Float64Array(blocks * 50 * 3);
        for (let i = 0; i < N; i++) {
          for (let h = 0; h < 20; h++) {
            const k = i * 20 + h;
            tally[((mode === 'pooled' ? 0 : h) * 50 + d.states[k]) * 3 + d.actions[k]] += w ? w[k] : 1;
          }
        }
        let rows = 0;
        for (let b = 0; b < blocks; b++) {
          for (let s = 0; s < 50; s++) {
            const total = tally[(b * 50 + s) * 3] + tally[(b * 50 + s) * 3 + 1] + tally[(b * 50 + s) * 3 + 2];
            const i = pi.states.subarray(pi.blockStart[b], pi.blockStart[b + 1]).indexOf(s);
            if (total <= 0) {
              assert.equal(i, -1, `N=${N} ${mode} block ${b} state ${s} has no weight but is seen`);
              continue;
            }
            rows++;
            const at = pi.blockStart[b] + i;
            const row = countRow(pi, at);
            for (let a = 0; a < 3; a++) assert.ok(Math.abs(row[a] - tally[(b * 50 + s) * 3 + a]) <= 1e-9, `N=${N} ${mode} (${b}, ${s}, ${a})`);
            // Only positive counts are stored, in ascending action order.
            for (let e = pi.entryStart[at]; e < pi.entryStart[at + 1]; e++) {
              assert.ok(pi.entryCount[e] > 0, 'stored counts are positive');
              if (e > pi.entryStart[at]) assert.ok(pi.entryAction[e - 1] < pi.entryAction[e], 'actions ascend within a row');
            }
            assert.equal(pi.entryStart[at + 1] - pi.entryStart[at], [0, 1, 2].filter((a) => tally[(b * 50 + s) * 3 + a] > 0).length);
          }
        }
        assert.equal(pi.states.length, rows);
        for (let b = 0; b < blocks; b++) {
          for (let j = pi.blockStart[b] + 1; j < pi.blockStart[b + 1]; j++) assert.ok(pi.states[j - 1] < pi.states[j], 'seen states ascend within a block');
        }
      }
    }
  }
});
