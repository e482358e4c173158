import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  empiricalOccupancy,
  gailRegretBound,
  gailTabular,
  gailTabularFit,
  mimicMd,
  mimicMdFit,
  occupancyDistance,
  tvAil,
  tvAilFit,
} from '../../src/core/adversarial';
import { behavioralCloning } from '../../src/core/bc';
import { datasetFromTrajectories, type Dataset } from '../../src/core/dataset';
import { chain, garnet, resetCliff } from '../../src/core/envs';
import { CoreError } from '../../src/core/errors';
import { imitationGap, visitation } from '../../src/core/evaluation';
import { createMDP, transitionsFromRows, type MDP } from '../../src/core/mdp';
import { optimalPolicy } from '../../src/core/planning';
import { actionDistribution, toStochastic, type Policy } from '../../src/core/policy';
import { sampleTrajectories } from '../../src/core/sampling';
import { initLp } from '../../src/core/highs';
import type { LpRow } from '../../src/core/lp';
import { denseSimplex } from './helpers/denseSimplex';
import { lcg, randomMdp, randomStochasticPolicy, type DenseMdp } from './helpers/randomMdp';

before(() => initLp());

/** A random MDP with deterministic transitions and ρ uniform on the first `starts` states. */
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

/**
 * One expert rollout from each start state, the whole list repeated twice: the empirical distribution of
 * the data, and of each half, is exactly d^{π^E} (ρ is uniform on the starts, everything else is
 * deterministic).
 */
function fullCoverageData(mdp: MDP, next: Int32Array, expertAction: (h: number, s: number) => number, starts: number): Dataset {
  const trajectories: [number, number][][] = [];
  for (let s0 = 0; s0 < starts; s0++) {
    const tr: [number, number][] = [];
    let s = s0;
    for (let h = 0; h < mdp.H; h++) {
      const a = expertAction(h, s);
      tr.push([s, a]);
      s = next[s * mdp.nA + a];
    }
    trajectories.push(tr);
  }
  return datasetFromTrajectories(mdp.nS, mdp.nA, mdp.H, [...trajectories, ...trajectories]);
}

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
  assert.throws(fn, (e: unknown) => e instanceof CoreError && e.code === code);
}

test('the three learners share the (mdp, data, options?) ⇒ Policy signature', () => {
  const learners: Record<string, (mdp: MDP, data: Dataset) => Policy> = { tvAil, gailTabular, mimicMd };
  const { mdp, expert } = resetCliff({ nS: 4, nA: 2, H: 3 });
  const data = sampleTrajectories(mdp, expert, 6, 'sig');
  for (const [name, learn] of Object.entries(learners)) {
    const pi = learn(mdp, data);
    assert.equal(pi.nS, 4, name);
    assert.equal(pi.H, 3, name);
  }
});

test('full coverage (the data is exactly the expert occupancy): every method has gap 0', () => {
  for (let seed = 1; seed <= 6; seed++) {
    const starts = 2 + (seed % 2);
    const { mdp, next } = deterministicMdp(seed, 7, 3, 5, starts);
    const expert = optimalPolicy(mdp).policy;
    const data = fullCoverageData(mdp, next, (h, s) => expert.action[h * mdp.nS + s], starts);
    const tv = tvAilFit(mdp, data);
    assert.ok(tv.objective <= 1e-9, `TV-AIL objective ${tv.objective}`);
    assert.ok(Math.abs(imitationGap(mdp, expert, tv.policy)) <= 1e-9, `seed ${seed}: TV-AIL`);
    const gail = gailTabularFit(mdp, data, { iterations: 50 });
    assert.ok(gail.objective <= 1e-9, `GAIL objective ${gail.objective}`);
    assert.ok(Math.abs(imitationGap(mdp, expert, gail.policy)) <= 1e-9, `seed ${seed}: GAIL`);
    const mimic = mimicMdFit(mdp, data);
    assert.equal(mimic.objective, 0);
    assert.ok(Math.abs(imitationGap(mdp, expert, mimic.policy)) <= 1e-9, `seed ${seed}: MIMIC-MD`);
  }
});

function checkFlow(m: DenseMdp, d: Float64Array): void {
  const { mdp, dense } = m;
  const { nS, nA, H } = mdp;
  for (let i = 0; i < d.length; i++) assert.ok(d[i] >= 0, `negative occupancy ${d[i]} at ${i}`);
  for (let s = 0; s < nS; s++) {
    let mass = 0;
    for (let a = 0; a < nA; a++) mass += d[s * nA + a];
    assert.ok(Math.abs(mass - mdp.rho[s]) <= 1e-9, `step 1, state ${s}: ${mass} vs ρ = ${mdp.rho[s]}`);
  }
  for (let h = 0; h + 1 < H; h++) {
    const P = dense[dense.length === 1 ? 0 : h];
    for (let s2 = 0; s2 < nS; s2++) {
      let inflow = 0;
      for (let r = 0; r < nS * nA; r++) inflow += P[r * nS + s2] * d[h * nS * nA + r];
      let mass = 0;
      for (let a = 0; a < nA; a++) mass += d[((h + 1) * nS + s2) * nA + a];
      assert.ok(Math.abs(mass - inflow) <= 1e-9, `step ${h + 2}, state ${s2}: ${mass} vs inflow ${inflow}`);
    }
  }
}

test('TV-AIL: the LP occupancy is non-negative, satisfies the flow constraints (reset mass, per-step kernels) and is its policy’s occupancy', () => {
  for (const [seed, perStep] of [
    [1, false],
    [2, true],
    [3, false],
    [4, true],
  ] as const) {
    const m = randomMdp({ nS: 5, nA: 3, H: 4, seed, perStep, withReset: true });
    const behaviour = randomStochasticPolicy(5, 3, 4, seed + 100);
    const data = sampleTrajectories(m.mdp, behaviour, 12, seed);
    const fit = tvAilFit(m.mdp, data);
    checkFlow(m, fit.occupancy);
    const target = countOccupancy(data);
    assert.ok(Math.abs(fit.objective - l1(fit.occupancy, target)) <= 1e-9);
    const { dSA } = visitation(m.mdp, fit.policy, { stateAction: true });
    for (let i = 0; i < dSA!.length; i++) assert.ok(Math.abs(dSA![i] - fit.occupancy[i]) <= 1e-9);
  }
});

/**
 * TV-AIL's LP written the plain way, as an oracle for the sparse one HiGHS solves: a variable d_h(s, a)
 * for every (h, s, a), the dense kernel expanded (no reset variable), and x − t = p − q with a row for
 * every t > 0; solved by the dense simplex. Its optimum is min Σ_h ||d_h − d̂_h||₁ over occupancies.
 */
function denseTvAilOptimum(m: DenseMdp, target: Float64Array): number {
  const { mdp, dense } = m;
  const { nS, nA, H } = mdp;
  const nVars = H * nS * nA;
  const objective: number[] = new Array<number>(nVars).fill(0);
  const rows: LpRow[] = [];
  for (let h = 0; h < H; h++) {
    for (let s2 = 0; s2 < nS; s2++) {
      const indices: number[] = [];
      const values: number[] = [];
      for (let a = 0; a < nA; a++) {
        indices.push((h * nS + s2) * nA + a);
        values.push(1);
      }
      if (h > 0) {
        const P = dense[dense.length === 1 ? 0 : h - 1];
        for (let r = 0; r < nS * nA; r++) {
          if (P[r * nS + s2] === 0) continue;
          indices.push((h - 1) * nS * nA + r);
          values.push(-P[r * nS + s2]);
        }
      }
      rows.push({ indices, values, sense: '=', rhs: h === 0 ? mdp.rho[s2] : 0 });
    }
  }
  for (let j = 0; j < nVars; j++) {
    if (target[j] === 0) {
      objective[j] += 1;
      continue;
    }
    const p = objective.length;
    objective.push(1, 1);
    rows.push({ indices: [j, p, p + 1], values: [1, -1, 1], sense: '=', rhs: target[j] });
  }
  return denseSimplex({ nVars: objective.length, objective, rows }).value;
}

test('TV-AIL through HiGHS reaches the optimum of the plainly written LP (dense simplex) to 1e-9: resets, per-step kernels, several actions in the data', () => {
  let withReset = 0;
  for (let seed = 1; seed <= 12; seed++) {
    const m = randomMdp({ nS: 5, nA: 3, H: 4, seed: 200 + seed, perStep: seed % 3 === 0, withReset: seed % 2 === 0 });
    if (m.mdp.transitions.some((t) => t.reset)) withReset++;
    const behaviour = seed % 4 === 1 ? optimalPolicy(m.mdp).policy : randomStochasticPolicy(5, 3, 4, seed);
    const data = sampleTrajectories(m.mdp, behaviour, 3 + seed, seed);
    const fit = tvAilFit(m.mdp, data);
    const optimum = denseTvAilOptimum(m, countOccupancy(data));
    assert.ok(Math.abs(fit.objective - optimum) <= 1e-9, `seed ${seed}: HiGHS ${fit.objective} vs dense ${optimum}`);
  }
  assert.ok(withReset >= 4, 'the reset part was exercised');
});

test('every LP occupancy satisfies its flow rows and sums to 1 per step, to 1e-9, at sizes the dense simplex refused', () => {
  for (const [nS, H, N] of [
    [50, 40, 100],
    [20, 80, 100],
  ] as const) {
    const { mdp, expert } = resetCliff({ nS, nA: 5, H, rho: 'lower-bound', N });
    const data = sampleTrajectories(mdp, expert, N, 'flows');
    const tv = tvAilFit(mdp, data);
    assert.ok(tv.lp.residual <= 1e-9, `HiGHS's own residual ${tv.lp.residual}`);
    const { dSA } = visitation(mdp, tv.policy, { stateAction: true });
    for (let h = 0; h < H; h++) {
      let total = 0;
      for (let k = h * nS * 5; k < (h + 1) * nS * 5; k++) {
        assert.ok(tv.occupancy[k] >= 0);
        assert.ok(Math.abs(tv.occupancy[k] - dSA![k]) <= 1e-9, `TV-AIL, |S| = ${nS}, step ${h + 1}`);
        total += tv.occupancy[k];
      }
      assert.ok(Math.abs(total - 1) <= 1e-9, `TV-AIL, |S| = ${nS}, step ${h + 1}: mass ${total}`);
    }
    // MIMIC-MD's event occupancy is the part of its policy's occupancy that has left the D1 states:
    // never more than d^π, and all of it outside those states.
    const mimic = mimicMdFit(mdp, data);
    assert.ok(mimic.lp.residual <= 1e-9);
    const d = visitation(mdp, mimic.policy, { stateAction: true }).dSA!;
    for (let h = 0; h < H; h++) {
      for (let s = 0; s < nS; s++) {
        for (let a = 0; a < 5; a++) {
          const k = (h * nS + s) * 5 + a;
          assert.ok(mimic.eventOccupancy[k] >= 0 && mimic.eventOccupancy[k] <= d[k] + 1e-9);
          if (!mimic.d1States[h * nS + s]) assert.ok(Math.abs(mimic.eventOccupancy[k] - d[k]) <= 1e-9, `MIMIC-MD, |S| = ${nS}, step ${h + 1}, state ${s}`);
        }
      }
    }
  }
});

test('TV-AIL minimises over a set containing BC and every other policy: 0 ≤ objective ≤ theirs', () => {
  for (let seed = 0; seed < 4; seed++) {
    const { mdp, expert } = garnet({ nS: 8, nA: 3, H: 6, branching: 2, seed });
    const data = sampleTrajectories(mdp, expert, 8, seed);
    const target = countOccupancy(data);
    const fit = tvAilFit(mdp, data);
    assert.ok(fit.objective >= 0);
    const bc = behavioralCloning(data);
    assert.ok(fit.objective <= occupancyDistance(mdp, bc, target) + 1e-9);
    assert.ok(fit.objective <= occupancyDistance(mdp, expert, target) + 1e-9);
    for (let k = 0; k < 10; k++) assert.ok(fit.objective <= occupancyDistance(mdp, randomStochasticPolicy(8, 3, 6, 31 * seed + k), target) + 1e-9);
  }
});

test('TV-AIL with H = 1 reaches the closed form Σ_s |ρ(s) − d̂_1(s)|', () => {
  const m = randomMdp({ nS: 6, nA: 3, H: 1, seed: 9 });
  const data = sampleTrajectories(m.mdp, randomStochasticPolicy(6, 3, 1, 3), 7, 'h1');
  const seen = new Float64Array(6);
  for (let i = 0; i < data.N; i++) seen[data.states[i]] += 1 / data.N;
  let expected = 0;
  for (let s = 0; s < 6; s++) expected += Math.abs(m.mdp.rho[s] - seen[s]);
  assert.ok(Math.abs(tvAilFit(m.mdp, data).objective - expected) <= 1e-9);
});

test('empiricalOccupancy normalises each step by the trajectories observed there', () => {
  const data = datasetFromTrajectories(3, 2, 2, [
    [
      [0, 1],
      [2, 0],
    ],
    [[1, 1]],
  ]);
  assert.deepEqual(Array.from(empiricalOccupancy(data)), [0, 0.5, 0, 0.5, 0, 0, 0, 0, 0, 0, 1, 0]);
});

test('GAIL: the LP optimum lies between the discriminator lower bounds and the averaged objectives, within the regret bound', () => {
  for (let seed = 0; seed < 3; seed++) {
    const { mdp, expert } = garnet({ nS: 6, nA: 3, H: 4, branching: 2, seed });
    const data = sampleTrajectories(mdp, expert, 6, seed);
    const lp = tvAilFit(mdp, data).objective;
    const K = 2000;
    const eta = Math.sqrt((2 * Math.log(3)) / K) / mdp.H;
    const fit = gailTabularFit(mdp, data, { iterations: K, stepSize: eta });
    for (let k = 0; k < K; k++) {
      assert.ok(fit.lowerBounds[k] <= lp + 1e-9, `round ${k}: lower bound ${fit.lowerBounds[k]} > LP ${lp}`);
      assert.ok(fit.objectives[k] >= lp - 1e-9, `round ${k}: average ${fit.objectives[k]} < LP ${lp}`);
    }
    assert.ok(fit.objectives[K - 1] - lp <= gailRegretBound(mdp.H, 3, K, eta));
    assert.ok(fit.objective >= lp - 1e-9 && fit.objective <= fit.objectives[K - 1]);
    assert.ok(Math.abs(fit.objective - occupancyDistance(mdp, fit.policy, countOccupancy(data))) <= 1e-9);

    // With the default step the averaged objective closes in on the LP's.
    const quick = gailTabularFit(mdp, data, { iterations: 400 });
    assert.ok(quick.objectives[399] - lp < (quick.objectives[39] - lp) / 2, `${quick.objectives[39]} → ${quick.objectives[399]} vs LP ${lp}`);
  }
});

/** Pr_π[E_{≤h}, s_h = s, a_h = a] by enumerating every trajectory, E = "left the D1 states at some τ ≤ h". */
function bruteForceEvent(m: DenseMdp, pi: Policy, inD1: (h: number, s: number) => boolean): Float64Array {
  const { mdp, dense } = m;
  const { nS, nA, H } = mdp;
  const out = new Float64Array(H * nS * nA);
  const row = new Float64Array(nA);
  const walk = (h: number, s: number, prob: number, left: boolean) => {
    const now = left || !inD1(h, s);
    actionDistribution(pi, h, s, row);
    const probs = Float64Array.from(row);
    for (let a = 0; a < nA; a++) {
      if (probs[a] === 0) continue;
      if (now) out[(h * nS + s) * nA + a] += prob * probs[a];
      if (h === H - 1) continue;
      const P = dense[dense.length === 1 ? 0 : h];
      for (let s2 = 0; s2 < nS; s2++) {
        const p = P[(s * nA + a) * nS + s2];
        if (p > 0) walk(h + 1, s2, prob * probs[a] * p, now);
      }
    }
  };
  for (let s = 0; s < nS; s++) if (mdp.rho[s] > 0) walk(0, s, mdp.rho[s], false);
  return out;
}

test('MIMIC-MD: its event occupancy is Pr_π[left D1 states by h, s_h, a_h] (brute force) and it beats BC-with-uniform-fill on its objective', () => {
  for (let seed = 0; seed < 4; seed++) {
    const m = randomMdp({ nS: 4, nA: 2, H: 4, seed: 50 + seed, withReset: true, perStep: seed % 2 === 1 });
    const expert = optimalPolicy(m.mdp).policy;
    const data = sampleTrajectories(m.mdp, expert, 7, seed);
    const fit = mimicMdFit(m.mdp, data);
    assert.equal(fit.n1, 4);
    assert.equal(fit.n2, 3);
    const H = m.mdp.H;
    const inD1 = (h: number, s: number) => {
      for (let i = 0; i < 4; i++) if (data.states[i * H + h] === s) return true;
      return false;
    };
    // The D2 estimate, counted here from trajectories 4, 5, 6.
    const target = new Float64Array(fit.eventTarget.length);
    for (let i = 4; i < 7; i++) {
      let left = false;
      for (let h = 0; h < H; h++) {
        const s = data.states[i * H + h];
        left ||= !inD1(h, s);
        if (left) target[(h * 4 + s) * 2 + data.actions[i * H + h]] += 1 / 3;
      }
    }
    for (let i = 0; i < target.length; i++) assert.ok(Math.abs(target[i] - fit.eventTarget[i]) <= 1e-12);
    const event = bruteForceEvent(m, fit.policy, inD1);
    for (let i = 0; i < event.length; i++) assert.ok(Math.abs(event[i] - fit.eventOccupancy[i]) <= 1e-9, `entry ${i}: ${event[i]} vs ${fit.eventOccupancy[i]}`);
    assert.ok(Math.abs(fit.objective - l1(event, target)) <= 1e-9);
    // BC on D1 with uniform elsewhere is in Π_mimic(D1), so the minimum is no larger than its objective.
    const d1: Dataset = { ...data, N: 4, states: data.states.slice(0, 4 * H), actions: data.actions.slice(0, 4 * H) };
    const bcUniform = toStochastic(behavioralCloning(d1));
    assert.ok(fit.objective <= l1(bruteForceEvent(m, bcUniform, inD1), target) + 1e-9);
  }
});

test('MIMIC-MD plays the expert action on every state visited in D1 at that step', () => {
  for (const env of [chain({ nS: 6, nA: 3, H: 8, slip: 0.3 }), garnet({ nS: 10, nA: 3, H: 6, branching: 3, seed: 5 })]) {
    const { mdp, expert } = env;
    const data = sampleTrajectories(mdp, expert, 9, 'd1');
    const pi = mimicMd(mdp, data);
    const { H, nS } = mdp;
    let checked = 0;
    for (let i = 0; i < 5; i++) {
      for (let h = 0; h < H; h++) {
        const s = data.states[i * H + h];
        const row = actionDistribution(pi, h, s);
        const a = expert.kind === 'deterministic' ? expert.action[expert.stationary ? s : h * nS + s] : -1;
        assert.equal(row[a], 1, `${env.description}: step ${h + 1}, state ${s}`);
        checked++;
      }
    }
    assert.equal(checked, 5 * H);
  }
});

test('MIMIC-MD on data with several actions per state plays the D1 frequencies there (per-step BC on D1)', () => {
  const m = randomMdp({ nS: 5, nA: 3, H: 4, seed: 77, withReset: true });
  const data = sampleTrajectories(m.mdp, randomStochasticPolicy(5, 3, 4, 8), 12, 'mixed');
  const pi = mimicMd(m.mdp, data);
  let mixedRows = 0;
  for (let h = 0; h < 4; h++) {
    for (let s = 0; s < 5; s++) {
      const counts = [0, 0, 0];
      for (let i = 0; i < 6; i++) if (data.states[i * 4 + h] === s) counts[data.actions[i * 4 + h]]++;
      const n = counts[0] + counts[1] + counts[2];
      if (n === 0) continue;
      if (counts.filter((c) => c > 0).length > 1) mixedRows++;
      const row = actionDistribution(pi, h, s);
      for (let a = 0; a < 3; a++) assert.ok(Math.abs(row[a] - counts[a] / n) <= 1e-12, `step ${h + 1}, state ${s}`);
    }
  }
  assert.ok(mixedRows > 0);
});

test('shape mismatches and cancellation are CoreErrors', () => {
  const { mdp, expert } = resetCliff({ nS: 4, nA: 2, H: 3 });
  const other = resetCliff({ nS: 4, nA: 2, H: 4 });
  const data = sampleTrajectories(other.mdp, other.expert, 3, 1);
  assertCoreError(() => tvAil(mdp, data), 'shape-mismatch');
  assertCoreError(() => mimicMd(mdp, data), 'shape-mismatch');
  assertCoreError(() => gailTabular(mdp, data), 'shape-mismatch');
  const good = sampleTrajectories(mdp, expert, 3, 1);
  const signal = { aborted: true };
  assertCoreError(() => tvAil(mdp, good, { signal }), 'cancelled');
  assertCoreError(() => mimicMd(mdp, good, { signal }), 'cancelled');
  assertCoreError(() => gailTabular(mdp, good, { signal }), 'cancelled');
  assertCoreError(() => gailTabular(mdp, good, { iterations: 0 }), 'argument');
  // No data at all is not an error: every policy matches the empty distribution equally badly.
  const empty = sampleTrajectories(mdp, expert, 0, 1);
  for (const learn of [tvAilFit, mimicMdFit]) assert.ok(Math.abs(learn(mdp, empty).objective - mdp.H) <= 1e-9);
  assert.ok(Math.abs(gailTabularFit(mdp, empty, { iterations: 3 }).objective - mdp.H) <= 1e-9);
});
