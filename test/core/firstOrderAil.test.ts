import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { tvAilFit } from '../../src/core/adversarial';
import { IMITATION_ALGORITHMS, learnerOf } from '../../src/core/algorithms';
import { datasetFromTrajectories, type Dataset } from '../../src/core/dataset';
import { garnet, resetCliff } from '../../src/core/envs';
import { CoreError } from '../../src/core/errors';
import { imitationGap, visitation } from '../../src/core/evaluation';
import { tvAilOgd, tvAilOgdFit, tvAilOgdRegretBound, type TvAilOgdFit } from '../../src/core/firstOrderAil';
import { initLp } from '../../src/core/highs';
import { createMDP, transitionsFromRows, type MDP } from '../../src/core/mdp';
import { optimalPolicy } from '../../src/core/planning';
import { sampleTrajectories } from '../../src/core/sampling';
import { lcg, randomMdp, randomStochasticPolicy, type DenseMdp } from './helpers/randomMdp';

// The LP optimum (tvAilFit, HiGHS) is the reference the first-order solver is checked against.
before(() => initLp());

/** d̂_h(s, a) counted directly from the trajectories (all observed at every step here). */
function countOccupancy(data: Dataset): Float64Array {
  const out = new Float64Array(data.H * data.nS * data.nA);
  for (let i = 0; i < data.N; i++) {
    for (let h = 0; h < data.H; h++) out[(h * data.nS + data.states[i * data.H + h]) * data.nA + data.actions[i * data.H + h]] += 1 / data.N;
  }
  return out;
}

function l1(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += Math.abs(a[i] - b[i]);
  return total;
}

function assertCoreError(fn: () => unknown, code: string): void {
  assert.throws(fn, (e: unknown) => e instanceof CoreError && e.code === code, `expected CoreError '${code}'`);
}

/** Small random MDPs with sampled data from a stochastic behaviour: resets, per-step kernels, several actions per state. */
function randomInstances(count: number): { m: DenseMdp; data: Dataset }[] {
  return Array.from({ length: count }, (_, i) => {
    const seed = 300 + i;
    const m = randomMdp({ nS: 6, nA: 3, H: 5, seed, perStep: i % 2 === 1, withReset: i % 3 === 0 });
    return { m, data: sampleTrajectories(m.mdp, randomStochasticPolicy(6, 3, 5, seed), 10, seed) };
  });
}

/** The certificate the fit prints, checked against the LP optimum computed independently by HiGHS. */
function assertCertified(fit: TvAilOgdFit, optimum: number, what: string): void {
  assert.ok(fit.gap >= 0, `${what}: gap ${fit.gap}`);
  assert.ok(fit.objective >= optimum - 1e-9, `${what}: objective ${fit.objective} below the LP optimum ${optimum}`);
  assert.ok(fit.objective - optimum <= fit.gap + 1e-9, `${what}: objective ${fit.objective} − LP ${optimum} exceeds the printed gap ${fit.gap}`);
  assert.ok(fit.lowerBound <= optimum + 1e-9, `${what}: lower bound ${fit.lowerBound} above the LP optimum ${optimum}`);
  for (let k = 0; k < fit.iterations; k++) {
    assert.ok(fit.lowerBounds[k] <= optimum + 1e-9, `${what}, round ${k + 1}: averaged-cost bound ${fit.lowerBounds[k]} > LP ${optimum}`);
    assert.ok(fit.objectives[k] >= optimum - 1e-9, `${what}, round ${k + 1}: averaged occupancy's objective ${fit.objectives[k]} < LP ${optimum}`);
    // The regret bound of the cost player caps the averaged pair's own gap (docs/adversarial.md).
    assert.ok(fit.objectives[k] - fit.lowerBounds[k] <= fit.regretBounds[k] + 1e-9, `${what}, round ${k + 1}: gap of d̄_k above Regret_k/k`);
  }
}

test('TV-AIL (first-order): the LP optimum lies within its printed duality gap, on small random MDPs, every step-size rule', () => {
  for (const [i, { m, data }] of randomInstances(6).entries()) {
    const optimum = tvAilFit(m.mdp, data).objective;
    for (const stepSize of ['adaptive', 'global', 'fixed', 0.05] as const) {
      const fit = tvAilOgdFit(m.mdp, data, { maxIterations: 150, tolerance: 0, stepSize });
      assertCertified(fit, optimum, `instance ${i}, step ${stepSize}`);
      assert.equal(fit.iterations, 150);
    }
  }
});

test('TV-AIL (first-order) on the lower-bound Reset Cliff: reaches the LP optimum with a certified gap below the tolerance', () => {
  for (const [nS, H, N] of [
    [20, 20, 100],
    [50, 40, 100],
  ] as const) {
    const { mdp, expert } = resetCliff({ nS, nA: 5, H, rho: 'lower-bound', N });
    const data = sampleTrajectories(mdp, expert, N, 'ogd-cliff');
    const optimum = tvAilFit(mdp, data).objective;
    const fit = tvAilOgdFit(mdp, data, { tolerance: 1e-6 });
    assertCertified(fit, optimum, `|S| = ${nS}, H = ${H}`);
    assert.ok(fit.converged && fit.gap <= 1e-6, `|S| = ${nS}: gap ${fit.gap} after ${fit.iterations} rounds`);
    assert.ok(fit.iterations < 2000);
  }
});

test('TV-AIL (first-order): the certified gap shrinks with the number of rounds K, at most like the regret bound', () => {
  for (const [i, { m, data }] of randomInstances(3).entries()) {
    const gapAt = (K: number) => tvAilOgdFit(m.mdp, data, { maxIterations: K, tolerance: 0 });
    const [short, medium, long] = [25, 100, 400].map(gapAt);
    assert.ok(medium.gap < short.gap && long.gap < medium.gap, `instance ${i}: gaps ${short.gap}, ${medium.gap}, ${long.gap}`);
    // Measured about K^(−0.6); ask for at least K^(−1/4) (a factor 2 over 16× the rounds).
    assert.ok(long.gap <= short.gap / 2, `instance ${i}: ${long.gap} vs ${short.gap}`);
    // The per-round record ends at the fit's own gap.
    assert.ok(Math.abs(long.gaps[long.iterations - 1] - long.gap) <= 1e-12);
  }
  // A constant step from the worst-case analysis closes the gap too, only more slowly.
  const { m, data } = randomInstances(1)[0];
  const [a, b] = [50, 800].map((K) => tvAilOgdFit(m.mdp, data, { maxIterations: K, tolerance: 0, stepSize: 'fixed' }).gap);
  assert.ok(b < a / 2, `fixed step: ${a} → ${b}`);
});

test('tvAilOgdRegretBound: the three guarantees written out, and the worst-case rates H√(2|S||A|/K) and 4H√(|S||A|/K)', () => {
  const [nS, nA, H, K] = [7, 3, 5, 400];
  const n = H * nS * nA;
  const eta = Math.sqrt((nS * nA) / (2 * K));
  // ||g||² ≤ 2H per round: the constant step √(|S||A|/(2K)) balances n/(2η) and ηHK.
  assert.ok(Math.abs(tvAilOgdRegretBound(n, 2 * H * K, eta) / K - H * Math.sqrt((2 * nS * nA) / K)) <= 1e-12);
  assert.ok(Math.abs(tvAilOgdRegretBound(n, 2 * H * K, 'global') / K - 4 * H * Math.sqrt((nS * nA) / K)) <= 1e-12);
  // Per coordinate, Σ_i √(Σ_k g²) ≤ √n·√(2HK) (Cauchy–Schwarz): the same worst case.
  assert.ok(Math.abs(tvAilOgdRegretBound(n, Math.sqrt(n) * Math.sqrt(2 * H * K), 'adaptive') / K - 4 * H * Math.sqrt((nS * nA) / K)) <= 1e-12);
});

/** A random MDP with deterministic transitions and ρ uniform on the first `starts` states (as in adversarial.test.ts). */
function deterministicMdp(seed: number, nS: number, nA: number, H: number, starts: number): { mdp: MDP; next: Int32Array } {
  const rand = lcg(seed);
  const next = Int32Array.from({ length: nS * nA }, () => Math.floor(rand() * nS));
  const rho = new Float64Array(nS);
  for (let s = 0; s < starts; s++) rho[s] = 1 / starts;
  const mdp = createMDP({
    nS,
    nA,
    H,
    rho,
    reward: Float64Array.from({ length: nS * nA }, () => rand()),
    transitions: [transitionsFromRows(nS, nA, Array.from(next, (s2) => [[s2, 1] as const]))],
  });
  return { mdp, next };
}

test('full coverage (the data is exactly the expert occupancy): certified gap 0, objective 0, imitation gap 0', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const starts = 2 + (seed % 2);
    const { mdp, next } = deterministicMdp(seed, 7, 3, 5, starts);
    const expert = optimalPolicy(mdp).policy;
    // One expert rollout from each start: the empirical distribution is exactly d^{π^E}.
    const trajectories = Array.from({ length: starts }, (_, s0) => {
      let s = s0;
      return Array.from({ length: mdp.H }, (_, h) => {
        const a = expert.action[h * mdp.nS + s];
        const step: [number, number] = [s, a];
        s = next[s * mdp.nA + a];
        return step;
      });
    });
    const data = datasetFromTrajectories(mdp.nS, mdp.nA, mdp.H, trajectories);
    const fit = tvAilOgdFit(mdp, data, { tolerance: 0 });
    assert.ok(fit.converged, `seed ${seed}: not converged after ${fit.iterations} rounds`);
    assert.ok(fit.objective <= 1e-12 && fit.gap <= 1e-12, `seed ${seed}: objective ${fit.objective}, gap ${fit.gap}`);
    assert.ok(Math.abs(imitationGap(mdp, expert, fit.policy)) <= 1e-9, `seed ${seed}: imitation gap`);
  }
});

/** Σ_a d_1(s, a) = ρ(s), Σ_a d_{h+1}(s′, a) = Σ P_h(s′|s, a) d_h(s, a) with the dense kernel, every d ≥ 0, to 1e-9. */
function checkFlow(m: DenseMdp, d: Float64Array, what: string): void {
  const { mdp, dense } = m;
  const { nS, nA, H } = mdp;
  for (let i = 0; i < d.length; i++) assert.ok(d[i] >= 0, `${what}: negative occupancy ${d[i]} at ${i}`);
  for (let s = 0; s < nS; s++) {
    let mass = 0;
    for (let a = 0; a < nA; a++) mass += d[s * nA + a];
    assert.ok(Math.abs(mass - mdp.rho[s]) <= 1e-9, `${what}: step 1, state ${s}`);
  }
  for (let h = 0; h + 1 < H; h++) {
    const P = dense[dense.length === 1 ? 0 : h];
    for (let s2 = 0; s2 < nS; s2++) {
      let inflow = 0;
      for (let r = 0; r < nS * nA; r++) inflow += P[r * nS + s2] * d[h * nS * nA + r];
      let mass = 0;
      for (let a = 0; a < nA; a++) mass += d[((h + 1) * nS + s2) * nA + a];
      assert.ok(Math.abs(mass - inflow) <= 1e-9, `${what}: step ${h + 2}, state ${s2}: ${mass} vs ${inflow}`);
    }
  }
}

/** The returned occupancy is the returned policy's (forward propagation), sums to 1 per step, and its objective is as printed. */
function checkRealised(mdp: MDP, fit: TvAilOgdFit, target: Float64Array, what: string): void {
  const { nS, nA, H } = mdp;
  const { dSA } = visitation(mdp, fit.policy, { stateAction: true });
  for (let h = 0; h < H; h++) {
    let total = 0;
    for (let k = h * nS * nA; k < (h + 1) * nS * nA; k++) {
      assert.ok(Math.abs(fit.occupancy[k] - dSA![k]) <= 1e-9, `${what}: the policy does not realise the occupancy at ${k}`);
      total += fit.occupancy[k];
    }
    assert.ok(Math.abs(total - 1) <= 1e-9, `${what}: step ${h + 1} has mass ${total}`);
  }
  assert.ok(Math.abs(fit.objective - l1(fit.occupancy, target)) <= 1e-9, `${what}: objective`);
}

test('the averaged occupancy satisfies the flow constraints (resets, per-step kernels), sums to 1 per step and is its policy’s, to 1e-9', () => {
  let averages = 0;
  for (const [i, { m, data }] of randomInstances(6).entries()) {
    const fit = tvAilOgdFit(m.mdp, data, { maxIterations: 300, tolerance: 0 });
    if (fit.output === 'average') averages++;
    checkFlow(m, fit.occupancy, `instance ${i}`);
    checkRealised(m.mdp, fit, countOccupancy(data), `instance ${i}`);
  }
  assert.ok(averages >= 4, 'the averaged output was exercised');
  // At the bench's smaller size: a garnet (|S| = 50, |A| = 5, H = 40) whose averaged output mixes many
  // different best responses, and the Reset Cliff, where a single round's response is optimal.
  const big = garnet({ nS: 50, nA: 5, H: 40, branching: 3, seed: 9 });
  const bigData = sampleTrajectories(big.mdp, big.expert, 100, 'flows');
  const bigFit = tvAilOgdFit(big.mdp, bigData, { maxIterations: 100, tolerance: 0 });
  assert.equal(bigFit.output, 'average');
  checkRealised(big.mdp, bigFit, countOccupancy(bigData), 'garnet |S| = 50, H = 40');
  const cliff = resetCliff({ nS: 20, nA: 5, H: 80, rho: 'lower-bound', N: 100 });
  const cliffData = sampleTrajectories(cliff.mdp, cliff.expert, 100, 'flows');
  checkRealised(cliff.mdp, tvAilOgdFit(cliff.mdp, cliffData), countOccupancy(cliffData), 'Reset Cliff |S| = 20, H = 80');
});

test("output 'average' returns the averaged occupancy even where a single best response is optimal, certified and realised", () => {
  const { mdp, expert } = resetCliff({ nS: 20, nA: 5, H: 20, rho: 'lower-bound', N: 100 });
  const data = sampleTrajectories(mdp, expert, 100, 'ogd-average');
  const optimum = tvAilFit(mdp, data).objective;
  const [best, average] = (['best', 'average'] as const).map((output) => tvAilOgdFit(mdp, data, { output, maxIterations: 300, tolerance: 0 }));
  assert.equal(best.output, 'iterate', 'on the Reset Cliff the default returns a best response');
  assert.equal(average.output, 'average');
  assertCertified(average, optimum, "output 'average'");
  // Same rounds, so the same lower bound; the averaged output's gap is its own objective's.
  assert.equal(average.lowerBound, best.lowerBound);
  assert.ok(Math.abs(average.gap - (average.objectives[299] - average.lowerBound)) <= 1e-12);
  assert.ok(average.objective >= best.objective);
  checkRealised(mdp, average, countOccupancy(data), "output 'average'");
});

test('on a garnet with expert data: the LP optimum within its gap, and no worse than the expert’s own objective by more than the gap', () => {
  const { mdp, expert } = garnet({ nS: 12, nA: 3, H: 8, branching: 2, seed: 4 });
  const data = sampleTrajectories(mdp, expert, 10, 4);
  const target = countOccupancy(data);
  const fit = tvAilOgdFit(mdp, data, { maxIterations: 400 });
  assertCertified(fit, tvAilFit(mdp, data).objective, 'garnet');
  const expertObjective = l1(visitation(mdp, expert, { stateAction: true }).dSA!, target);
  assert.ok(fit.objective <= expertObjective + fit.gap + 1e-9);
});

test('bad arguments, shape mismatches and cancellation are CoreErrors; no data is no error', () => {
  const { mdp, expert } = resetCliff({ nS: 4, nA: 2, H: 3 });
  const good = sampleTrajectories(mdp, expert, 3, 1);
  for (const maxIterations of [0, -3, 1.5, Number.NaN, Infinity]) assertCoreError(() => tvAilOgdFit(mdp, good, { maxIterations }), 'argument');
  for (const tolerance of [-1e-3, Number.NaN, Infinity]) assertCoreError(() => tvAilOgdFit(mdp, good, { tolerance }), 'argument');
  for (const stepSize of [0, -1, Number.NaN, Infinity, 'sometimes' as 'fixed']) assertCoreError(() => tvAilOgdFit(mdp, good, { stepSize }), 'argument');
  assertCoreError(() => tvAilOgdFit(mdp, good, { output: 'last' as 'best' }), 'argument');
  const other = resetCliff({ nS: 4, nA: 2, H: 4 });
  assertCoreError(() => tvAilOgd(mdp, sampleTrajectories(other.mdp, other.expert, 3, 1)), 'shape-mismatch');
  assertCoreError(() => tvAilOgd(mdp, good, { signal: { aborted: true } }), 'cancelled');
  // A signal that turns on during the run stops it between rounds.
  let reads = 0;
  const signal = {
    get aborted() {
      return ++reads > 3;
    },
  };
  const { m, data } = randomInstances(1)[0];
  assertCoreError(() => tvAilOgdFit(m.mdp, data, { signal, tolerance: 0 }), 'cancelled');
  assert.equal(reads, 4);
  // No data: every occupancy is at distance H from the empty distribution, and the bound says so.
  const empty = sampleTrajectories(mdp, expert, 0, 1);
  const fit = tvAilOgdFit(mdp, empty);
  assert.ok(Math.abs(fit.objective - mdp.H) <= 1e-9 && fit.gap <= 1e-3);
});

test("'tv-ail-ogd' is a sweep learner that needs no LP, and learnerOf finds it", () => {
  const algorithm = IMITATION_ALGORITHMS['tv-ail-ogd'];
  assert.equal(algorithm.needsLp, false);
  assert.equal(algorithm.interactive, false);
  assert.equal(algorithm.label, 'TV-AIL (first-order)');
  const { mdp, expert } = resetCliff({ nS: 6, nA: 2, H: 5 });
  const data = sampleTrajectories(mdp, expert, 8, 'named');
  const fromSweep = learnerOf('tv-ail-ogd')(mdp, expert, data, 'seed', {});
  assert.deepEqual(fromSweep, tvAilOgd(mdp, data));
});
