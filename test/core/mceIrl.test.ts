import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mceIrlFit, softValueIteration, type MceIrlOptions } from '../../src/core/mceIrl';
import { behavioralCloning } from '../../src/core/bc';
import { datasetFromTrajectories, type Dataset } from '../../src/core/dataset';
import { resetCliff } from '../../src/core/envs';
import { CoreError } from '../../src/core/errors';
import { imitationGap, visitation } from '../../src/core/evaluation';
import { createMDP, transitionsFromRows, type MDP } from '../../src/core/mdp';
import { sampleTrajectories } from '../../src/core/sampling';
import { bruteForceValue, lcg, randomMdp, randomStochasticPolicy, type DenseMdp } from './helpers/randomMdp';

/** An MDP with deterministic transitions next[s·|A| + a], ρ uniform on the first `starts` states, per-step rewards. */
function deterministicMdp(seed: number, nS: number, nA: number, H: number, starts: number): { m: DenseMdp; next: Int32Array } {
  const rand = lcg(seed);
  const next = Int32Array.from({ length: nS * nA }, () => Math.floor(rand() * nS));
  const rho = new Float64Array(nS);
  for (let s = 0; s < starts; s++) rho[s] = 1 / starts;
  const mdp = createMDP({
    nS,
    nA,
    H,
    rho,
    reward: Float64Array.from({ length: H * nS * nA }, () => rand()),
    transitions: [transitionsFromRows(nS, nA, Array.from(next, (s2) => [[s2, 1] as const]))],
  });
  const dense = new Float64Array(nS * nA * nS);
  for (let r = 0; r < nS * nA; r++) dense[r * nS + next[r]] = 1;
  return { m: { mdp, dense: [dense] }, next };
}

const probOf = (pi: { prob: Float64Array }, nS: number, nA: number) => (h: number, s: number, a: number) => pi.prob[(h * nS + s) * nA + a];

/** d^π_h(s, a) by enumerating every trajectory once per (h, s, a): shares nothing with the core's propagation. */
function bruteOccupancy(m: DenseMdp, pi: (h: number, s: number, a: number) => number): Float64Array {
  const { nS, nA, H } = m.mdp;
  const out = new Float64Array(H * nS * nA);
  for (let i = 0; i < out.length; i++) {
    const indicator = new Float64Array(H * nS * nA);
    indicator[i] = 1;
    out[i] = bruteForceValue({ mdp: { ...m.mdp, reward: indicator }, dense: m.dense }, pi);
  }
  return out;
}

/**
 * Every action sequence from every start state, the sequence numbered k repeated 1 + (k mod 3) times:
 * ρ̂ = ρ and every transition is deterministic, so the empirical occupancy is exactly the occupancy of
 * a policy, with mass on every reachable (h, s, a): the expert's features are achievable, inside the set.
 */
function coveringData(mdp: MDP, next: Int32Array, starts: number): Dataset {
  const { nA, H } = mdp;
  const trajectories: [number, number][][] = [];
  for (let s0 = 0; s0 < starts; s0++) {
    for (let k = 0; k < nA ** H; k++) {
      const tr: [number, number][] = [];
      let s = s0;
      for (let h = 0, code = k; h < H; h++, code = Math.floor(code / nA)) {
        const a = code % nA;
        tr.push([s, a]);
        s = next[s * nA + a];
      }
      for (let copy = 0; copy <= k % 3; copy++) trajectories.push(tr);
    }
  }
  return datasetFromTrajectories(mdp.nS, mdp.nA, H, trajectories);
}

/** Σ_h 1(s_h, a_h) per (h, s, a) over the trajectories, divided by N: the expert's per-step features counted directly. */
function countedOccupancy(data: Dataset): Float64Array {
  const { nS, nA, H, N } = data;
  const out = new Float64Array(H * nS * nA);
  for (let i = 0; i < N; i++) for (let h = 0; h < H; h++) out[(h * nS + data.states[i * H + h]) * nA + data.actions[i * H + h]] += 1 / N;
  return out;
}

const norm2 = (x: ArrayLike<number>) => Math.sqrt(Array.from(x).reduce((t, v) => t + v * v, 0));

test('soft value iteration, one step: π(a|s) ∝ exp r(s, a) and V(s) = log Σ_a exp r(s, a), even at rewards of ±1000', () => {
  const mdp = createMDP({ nS: 2, nA: 2, H: 1, rho: Float64Array.of(0.5, 0.5), reward: Float64Array.of(1, 0, 0, 0), transitions: [transitionsFromRows(2, 2, [[[0, 1]], [[0, 1]], [[1, 1]], [[1, 1]]])] });
  // exp(1000) overflows a double: only a log-sum-exp with the maximum taken out gets these right.
  const soft = softValueIteration(mdp, Float64Array.of(1000, 1000 - Math.log(3), -1000, -1000));
  assert.ok(Math.abs(soft.policy.prob[0] - 0.75) < 1e-12 && Math.abs(soft.policy.prob[1] - 0.25) < 1e-12);
  assert.ok(Math.abs(soft.policy.prob[2] - 0.5) < 1e-12 && Math.abs(soft.policy.prob[3] - 0.5) < 1e-12);
  assert.ok(Math.abs(soft.V[0] - (1000 + Math.log(4 / 3))) < 1e-9);
  assert.ok(Math.abs(soft.V[1] - (-1000 + Math.log(2))) < 1e-9);
  assert.ok(Math.abs(soft.logPartition - 0.5 * (Math.log(4 / 3) + Math.log(2))) < 1e-9);
});

test('soft value iteration with deterministic transitions: V_1(s) = log Σ over every action sequence of exp(Σ_h r_h)', () => {
  const { m, next } = deterministicMdp(3, 3, 2, 4, 3);
  const { nS, nA, H } = m.mdp;
  const soft = softValueIteration(m.mdp, m.mdp.reward);
  for (let s0 = 0; s0 < nS; s0++) {
    let total = 0;
    for (let k = 0; k < nA ** H; k++) {
      let s = s0;
      let ret = 0;
      for (let h = 0, code = k; h < H; h++, code = Math.floor(code / nA)) {
        const a = code % nA;
        ret += m.mdp.reward[(h * nS + s) * nA + a];
        s = next[s * nA + a];
      }
      total += Math.exp(ret);
    }
    assert.ok(Math.abs(soft.V[s0] - Math.log(total)) < 1e-12, `s = ${s0}: ${soft.V[s0]} vs ${Math.log(total)}`);
  }
});

test('soft value iteration on a stochastic MDP with a reset part: Σ ρ V_1 is E_π[Σ_h r − log π] and no other policy does better (brute force)', () => {
  const m = randomMdp({ nS: 3, nA: 2, H: 3, seed: 11, perStep: true, withReset: true });
  const { nS, nA, H } = m.mdp;
  const soft = softValueIteration(m.mdp, m.mdp.reward);
  // The entropy-regularised return of a policy: its value for the reward r_h(s, a) − log π_h(a|s).
  const regularised = (prob: Float64Array) => {
    const reward = new Float64Array(H * nS * nA);
    for (let h = 0; h < H; h++) for (let i = 0; i < nS * nA; i++) reward[h * nS * nA + i] = m.mdp.reward[h * nS * nA + i] - Math.log(prob[h * nS * nA + i]);
    return bruteForceValue({ mdp: { ...m.mdp, reward }, dense: m.dense }, (h, s, a) => prob[(h * nS + s) * nA + a]);
  };
  assert.ok(Math.abs(regularised(soft.policy.prob) - soft.logPartition) < 1e-12);
  for (let seed = 0; seed < 20; seed++) {
    const other = randomStochasticPolicy(nS, nA, H, 100 + seed);
    assert.ok(regularised(other.prob) < soft.logPartition, `policy ${seed}`);
  }
});

test('MCE-IRL matches the expert’s feature expectations, counted from the dataset, to its tolerance (one-hot, per-step, a given matrix)', () => {
  const { m, next } = deterministicMdp(5, 3, 2, 3, 2);
  const { nS, nA, H } = m.mdp;
  const data = coveringData(m.mdp, next, 2);
  const counted = countedOccupancy(data);
  const tolerance = 1e-9;

  const perStep = mceIrlFit(m.mdp, data, { features: 'per-step-one-hot', tolerance });
  assert.ok(perStep.converged && perStep.perStep && perStep.reward.length === H * nS * nA);
  const dPerStep = bruteOccupancy(m, probOf(perStep.policy, nS, nA));
  assert.ok(norm2(counted.map((x, i) => x - dPerStep[i])) <= tolerance * (1 + 1e-6), 'per-step one-hot');

  const oneHot = mceIrlFit(m.mdp, data, { tolerance });
  assert.ok(oneHot.converged && !oneHot.perStep && oneHot.reward.length === nS * nA);
  const dOneHot = bruteOccupancy(m, probOf(oneHot.policy, nS, nA));
  const gap = new Float64Array(nS * nA);
  for (let h = 0; h < H; h++) for (let i = 0; i < nS * nA; i++) gap[i] += counted[h * nS * nA + i] - dOneHot[h * nS * nA + i];
  assert.ok(norm2(gap) <= tolerance * (1 + 1e-6), 'one-hot');

  const dim = 3;
  const rand = lcg(17);
  const values = Float64Array.from({ length: nS * nA * dim }, () => rand() * 2 - 1);
  const given = mceIrlFit(m.mdp, data, { features: { dim, values }, tolerance });
  assert.equal(given.theta.length, dim);
  const dGiven = bruteOccupancy(m, probOf(given.policy, nS, nA));
  const diff = new Float64Array(dim);
  for (let j = 0; j < H * nS * nA; j++) for (let k = 0; k < dim; k++) diff[k] += (counted[j] - dGiven[j]) * values[(j % (nS * nA)) * dim + k];
  assert.ok(given.converged && norm2(diff) <= tolerance * (1 + 1e-6), 'given features');
  // Its reward is Φθ.
  for (let r = 0; r < nS * nA; r++) assert.ok(Math.abs(given.reward[r] - [0, 1, 2].reduce((t, k) => t + values[r * dim + k] * given.theta[k], 0)) < 1e-12);
  // The last recorded norm is the returned θ's.
  assert.ok(Math.abs(given.gradientNorms[given.iterations] - norm2(diff)) < 1e-9);
});

test('MCE-IRL with Adam reaches a looser tolerance on the same data, and the ascent’s dual never decreases', () => {
  const { m, next } = deterministicMdp(5, 3, 2, 3, 2);
  const data = coveringData(m.mdp, next, 2);
  const adam = mceIrlFit(m.mdp, data, { optimizer: 'adam', tolerance: 1e-4, maxIterations: 5000 });
  assert.ok(adam.converged, `Adam: ${adam.gradientNorms[adam.iterations]} after ${adam.iterations}`);
  const ascent = mceIrlFit(m.mdp, data, { tolerance: 1e-10 });
  for (let k = 1; k < ascent.objectives.length; k++) assert.ok(ascent.objectives[k] >= ascent.objectives[k - 1] - 1e-12 * Math.abs(ascent.objectives[k - 1]), `iteration ${k}`);
});

test('with no update θ = 0 and the policy is uniform (the soft-optimal policy of a zero reward)', () => {
  const { mdp } = resetCliff({ nS: 5, nA: 3, H: 4 });
  const data = sampleTrajectories(mdp, resetCliff({ nS: 5, nA: 3, H: 4 }).expert, 5, 'zero');
  const fit = mceIrlFit(mdp, data, { maxIterations: 0 });
  assert.equal(fit.iterations, 0);
  assert.equal(fit.gradientNorms.length, 1);
  assert.ok(fit.theta.every((x) => x === 0));
  assert.ok(fit.policy.prob.every((p) => Math.abs(p - 1 / 3) < 1e-15));
});

test('exact expert occupancy of a deterministic expert: gap = r·(μ^E − μ^θ) ≤ ||r||₂·||∇||₂ ≤ ||r||₂·tolerance, so ≈ 0', () => {
  // For a stationary reward, V(π) = Σ_{s,a} r(s, a) Σ_h d^π_h(s, a): the gap is the true reward dotted with
  // the one-hot gradient, and Cauchy–Schwarz bounds it by the gradient's norm.
  const { mdp, expert } = resetCliff({ nS: 6, nA: 2, H: 8 });
  const occupancy = visitation(mdp, expert, { stateAction: true, store: false }).dSA!;
  const tolerance = 1e-8;
  const fit = mceIrlFit(mdp, occupancy, { tolerance });
  assert.ok(fit.converged, `${fit.gradientNorms[fit.iterations]} after ${fit.iterations}`);
  const gap = imitationGap(mdp, expert, fit.policy);
  const bound = norm2(mdp.reward) * fit.gradientNorms[fit.iterations];
  assert.ok(gap >= -1e-12 && gap <= bound + 1e-12, `gap ${gap}, bound ${bound}`);
  assert.ok(bound <= norm2(mdp.reward) * tolerance);
  // Per step the same holds with the reward repeated at every step.
  const perStep = mceIrlFit(mdp, occupancy, { tolerance, features: 'per-step-one-hot' });
  const perStepGap = imitationGap(mdp, expert, perStep.policy);
  assert.ok(perStep.converged && perStepGap >= -1e-12 && perStepGap <= Math.sqrt(mdp.H) * norm2(mdp.reward) * tolerance + 1e-12, `per step: ${perStepGap}`);
});

test('on sampled lower-bound Reset Cliff data MCE-IRL stays far below BC, which compounds', () => {
  const { mdp, expert } = resetCliff({ nS: 6, nA: 2, H: 16, rho: 'lower-bound', N: 100 });
  let bc = 0;
  let mce = 0;
  for (let i = 0; i < 10; i++) {
    const data = sampleTrajectories(mdp, expert, 100, `lb-${i}`);
    bc += imitationGap(mdp, expert, behavioralCloning(data)) / 10;
    const fit = mceIrlFit(mdp, data, { maxIterations: 300 });
    const gap = imitationGap(mdp, expert, fit.policy);
    mce += gap / 10;
    // The data never fall and r is 1 exactly on the expert's actions in good states, so r·μ̂^E = r·μ^E = H
    // and the gap is r·(μ̂^E − μ^θ), with μ̂^E counted here from the data and μ^θ from the policy's visitation.
    const counted = countedOccupancy(data);
    const d = visitation(mdp, fit.policy, { stateAction: true, store: false }).dSA!;
    let identity = 0;
    for (let j = 0; j < counted.length; j++) identity += mdp.reward[j % (mdp.nS * mdp.nA)] * (counted[j] - d[j]);
    assert.ok(Math.abs(gap - identity) < 1e-9, `dataset ${i}: gap ${gap} vs r·(μ̂ − μ) ${identity}`);
  }
  // E[gap of BC] ≈ cμH(H + 1)/2 ≈ 1 here (docs/theory.md §5); falling is what MCE-IRL's reward learns to avoid.
  assert.ok(mce < bc / 5, `MCE-IRL ${mce} vs BC ${bc}`);
});

test('bad arguments are CoreErrors that say what is wrong', () => {
  const { mdp, expert } = resetCliff({ nS: 4, nA: 2, H: 3 });
  const data = sampleTrajectories(mdp, expert, 4, 'bad');
  const code = (options: MceIrlOptions, expected: string, d: Dataset | Float64Array = data) =>
    assert.throws(() => mceIrlFit(mdp, d, options), (e: unknown) => e instanceof CoreError && e.code === expected, JSON.stringify(options));
  code({}, 'shape-mismatch', sampleTrajectories(resetCliff({ nS: 4, nA: 2, H: 5 }).mdp, expert, 2, 'other'));
  code({}, 'shape-mismatch', new Float64Array(5));
  code({}, 'argument', new Float64Array(3 * 4 * 2).fill(0.5));
  code({}, 'argument', new Float64Array(3 * 4 * 2).fill(-1));
  code({ features: 'one-hots' as never }, 'argument');
  code({ features: { dim: 2, values: new Float64Array(7) } }, 'shape-mismatch');
  code({ features: { dim: 0, values: new Float64Array(0) } }, 'argument');
  code({ features: { dim: 1, values: new Float64Array(8).fill(NaN) } }, 'argument');
  code({ optimizer: 'sgd' as never }, 'argument');
  code({ learningRate: 0 }, 'argument');
  code({ learningRate: Infinity }, 'argument');
  code({ maxStep: -1 }, 'argument');
  code({ tolerance: -1 }, 'argument');
  code({ maxIterations: 1.5 }, 'argument');
  code({ l2: -0.1 }, 'argument');
  code({ initialTheta: new Float64Array(3) }, 'shape-mismatch');
  code({ initialTheta: new Float64Array(8).fill(Infinity) }, 'argument');
  code({ signal: { aborted: true } }, 'cancelled');
  assert.throws(() => softValueIteration(mdp, new Float64Array(3)), (e: unknown) => e instanceof CoreError && e.code === 'shape-mismatch');
  assert.throws(() => mceIrlFit(mdp, data, { learningRate: -1 }), /learning rate must be a positive number, got -1/);
});

test('an L2 penalty λ leaves μ^E − μ^θ = λθ at its optimum (the penalised gradient is what goes to 0)', () => {
  const { mdp, expert } = resetCliff({ nS: 5, nA: 2, H: 6, rho: 'lower-bound', N: 20 });
  const data = sampleTrajectories(mdp, expert, 20, 'l2');
  const l2 = 0.05;
  const fit = mceIrlFit(mdp, data, { l2, tolerance: 1e-9, maxIterations: 5000 });
  assert.ok(fit.converged, `${fit.gradientNorms[fit.iterations]}`);
  const counted = countedOccupancy(data);
  const d = visitation(mdp, fit.policy, { stateAction: true, store: false }).dSA!;
  const SA = mdp.nS * mdp.nA;
  for (let i = 0; i < SA; i++) {
    let diff = 0;
    for (let h = 0; h < mdp.H; h++) diff += counted[h * SA + i] - d[h * SA + i];
    assert.ok(Math.abs(diff - l2 * fit.theta[i]) < 1e-8, `(s, a) #${i}: ${diff} vs ${l2 * fit.theta[i]}`);
  }
});
