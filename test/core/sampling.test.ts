import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { garnet } from '../../src/core/envs';
import { policyValue, visitation } from '../../src/core/evaluation';
import { aleaNext, aleaState, aleaStatePair, aliasTable, sampleAlias } from '../../src/core/random';
import { monteCarloValue, sampleTrajectories, sampleVisitedStates } from '../../src/core/sampling';
import { resetCliff } from '../../src/core/envs/resetCliff';
import { createMDP, transitionsFromRows } from '../../src/core/mdp';
import { deterministicPolicy } from '../../src/core/policy';
import fc from 'fast-check';
import { uniformPolicy } from '../../src/core/policy';
import { randomMdp, randomStochasticPolicy } from './helpers/randomMdp';

function hashDataset(d: { states: Int32Array; actions: Int32Array; rewards?: Float64Array }): string {
  const h = createHash('sha256');
  h.update(Buffer.from(d.states.buffer, d.states.byteOffset, d.states.byteLength));
  h.update(Buffer.from(d.actions.buffer, d.actions.byteOffset, d.actions.byteLength));
  if (d.rewards) h.update(Buffer.from(d.rewards.buffer, d.rewards.byteOffset, d.rewards.byteLength));
  return h.digest('hex');
}

test('the inlined alea stream is bit-identical to seedrandom.alea', () => {
  for (const seed of ['a', 'gap-vs-H/16/3', '12345']) {
    const reference = seedrandom.alea(seed);
    const state = aleaState(seed);
    for (let i = 0; i < 10000; i++) assert.equal(aleaNext(state), reference());
  }
});

test('aleaState seeds exactly as seedrandom.alea does, for any seed text', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.integer().map(String), fc.double().map(String)), (seed) => {
      const reference = seedrandom.alea(seed, { state: true }).state() as unknown as { s0: number; s1: number; s2: number; c: number };
      assert.deepEqual([...aleaState(seed)], [reference.s0, reference.s1, reference.s2, reference.c]);
    }),
    { numRuns: 500 },
  );
});

test('aleaStatePair seeds two generators as two aleaState calls do, of equal or unequal lengths', () => {
  const outA = new Float64Array(4);
  const outB = new Float64Array(4);
  fc.assert(
    fc.property(fc.string(), fc.string({ unit: 'grapheme' }), fc.boolean(), (x, y, sameLength) => {
      const b = sameLength ? (y + x).slice(0, x.length).padEnd(x.length, 'z') : y;
      aleaStatePair(x, b, outA, outB);
      assert.deepEqual([...outA], [...aleaState(x)]);
      assert.deepEqual([...outB], [...aleaState(b)]);
    }),
    { numRuns: 300 },
  );
});

test('the alias table draws each outcome with its probability (exact over a fine grid of u)', () => {
  const weights = [0.1, 0, 0.25, 0.05, 0.6];
  const table = aliasTable(weights);
  const M = 100000;
  const hits = new Float64Array(weights.length);
  for (let j = 0; j < M; j++) hits[sampleAlias(table, (j + 0.5) / M)]++;
  weights.forEach((w, i) => assert.ok(Math.abs(hits[i] / M - w) < 1e-4, `outcome ${i}: ${hits[i] / M} vs ${w}`));
});

/** The alias rule on its own, without the guide table: the reference the guided draw must equal. */
function plainAlias(table: { n: number; threshold: Float64Array; alias: Int32Array }, u: number): number {
  const x = u * table.n;
  const i = Math.min(table.n - 1, Math.floor(x));
  return x - i < table.threshold[i] ? i : table.alias[i];
}

test('the guided alias draw equals the plain alias rule for every u, bucket edges included', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 10, noNaN: true })), { minLength: 1, maxLength: 40 }), fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { maxLength: 200 }), (weights, us) => {
      fc.pre(weights.some((w) => w > 0));
      const table = aliasTable(weights);
      const G = table.guide.length;
      // Every bucket's first and last double, and the doubles next to them, plus arbitrary u.
      const edges: number[] = [];
      for (let j = 0; j < G; j++) edges.push(j / G, Math.max(0, j / G - 2 ** -53), (j + 1) / G - 2 ** -53, (j + 0.5) / G);
      for (const u of [...edges.filter((u) => u >= 0 && u < 1), ...us]) assert.equal(sampleAlias(table, u), plainAlias(table, u), `u = ${u}`);
    }),
    { numRuns: 200 },
  );
});

test('sampleVisitedStates gives the states of sampleTrajectories bit for bit, step-major', () => {
  const cases = [
    { name: 'Garnet, per-step expert', ...garnet({ nS: 40, nA: 3, H: 12, branching: 4, seed: 'vis' }) },
    { name: 'Reset Cliff', ...resetCliff({ nS: 11, nA: 2, H: 16 }) },
    { name: 'Reset Cliff, lower-bound ρ', ...resetCliff({ nS: 6, nA: 3, H: 9, rho: 'lower-bound', N: 30 }) },
  ];
  const { mdp: perStepMdp } = randomMdp({ nS: 7, nA: 3, H: 6, seed: 11, perStep: true, withReset: true });
  const actions = Int32Array.from({ length: 6 * 7 }, (_, i) => (i * 7 + 3) % 3);
  cases.push({ name: 'random per-step kernels with resets', mdp: perStepMdp, expert: deterministicPolicy(7, 3, 6, actions), description: '' });
  for (const { name, mdp, expert } of cases) {
    assert.equal(expert.kind, 'deterministic');
    if (expert.kind !== 'deterministic') continue;
    for (const N of [1, 13, 200]) {
      const d = sampleTrajectories(mdp, expert, N, `vis-${N}`);
      const visited = sampleVisitedStates(mdp, expert, N, `vis-${N}`, new Int32Array(N * mdp.H + 5).fill(-7));
      for (let i = 0; i < N; i++) {
        for (let h = 0; h < mdp.H; h++) assert.equal(visited[h * N + i], d.states[i * mdp.H + h], `${name}, N = ${N}, trajectory ${i}, step ${h}`);
      }
      assert.deepEqual([...visited.subarray(N * mdp.H)], [-7, -7, -7, -7, -7], 'writes nothing past N·H');
    }
  }
  assert.throws(() => sampleVisitedStates(cases[0].mdp, cases[0].expert as never, 10, 's', new Int32Array(5)), /room for N·H/);
});

test('large deterministic rollouts (packed rows) draw what the general path draws: states, actions, rewards', () => {
  // Enough draws per row that sampleTrajectories packs the kernel; sampleVisitedStates never does.
  const { mdp, expert } = garnet({ nS: 30, nA: 3, H: 12, branching: 4, seed: 'packed' });
  const { mdp: short } = randomMdp({ nS: 9, nA: 2, H: 10, seed: 3, branching: 1 + 3 });
  const shortExpert = deterministicPolicy(9, 2, 10, Int32Array.from({ length: 9 }, (_, s) => s % 2));
  for (const [m, pi] of [
    [mdp, expert],
    [short, shortExpert],
  ] as const) {
    if (pi.kind !== 'deterministic') throw new Error('deterministic expert expected');
    const N = 500;
    const d = sampleTrajectories(m, pi, N, 'packed-seed');
    const visited = sampleVisitedStates(m, pi, N, 'packed-seed', new Int32Array(N * m.H));
    for (let i = 0; i < N; i++) {
      for (let h = 0; h < m.H; h++) {
        const s = d.states[i * m.H + h];
        assert.equal(s, visited[h * N + i]);
        const a: number = pi.action[(pi.stationary ? 0 : h * m.nS) + s];
        assert.equal(d.actions[i * m.H + h], a);
        assert.equal(d.rewards![i * m.H + h], m.reward[s * m.nA + a]);
      }
    }
  }
});

test('packed rows with zero-probability entries pick the successor the general path picks', () => {
  // Running sums that repeat (a zero entry) or never reach u (a zero last entry): counting the sums ≤ u
  // chooses what the chain of u < c_j comparisons chooses only because the sums never decrease.
  const nS = 4;
  const nA = 2;
  const rows = [
    [0.5, 0, 0.25, 0.25],
    [0, 0.5, 0.5, 0],
    [0, 0, 0, 1],
    [0.25, 0.25, 0.5, 0],
  ];
  const rowStart = Uint32Array.from({ length: nS * nA + 1 }, (_, r) => 4 * r);
  const next = Int32Array.from({ length: 4 * nS * nA }, (_, k) => (k * 3 + 1) % nS);
  const prob = Float64Array.from({ length: 4 * nS * nA }, (_, k) => rows[Math.floor(k / 4) % rows.length][k % 4]);
  const mdp = createMDP({
    nS,
    nA,
    H: 30,
    rho: Float64Array.from([0.25, 0.25, 0.25, 0.25]),
    reward: Float64Array.from({ length: nS * nA }, (_, r) => r / (nS * nA)),
    transitions: [{ rowStart, next, prob }],
  });
  const expert = deterministicPolicy(nS, nA, 30, Int32Array.from({ length: nS }, (_, s) => (s * 7) % nA));
  const N = 400;
  const d = sampleTrajectories(mdp, expert, N, 'zeros');
  const visited = sampleVisitedStates(mdp, expert, N, 'zeros', new Int32Array(N * mdp.H));
  for (let i = 0; i < N; i++) for (let h = 0; h < mdp.H; h++) assert.equal(d.states[i * mdp.H + h], visited[h * N + i]);
});

test('a per-step policy whose rows outgrow the packed form switches to the general path mid-rollout, same draws', () => {
  // Action 0's rows have 2 entries (packable), action 1's have 5 (not): the policy plays 0 for the first
  // steps, then changes actions step by step until it plays 1 everywhere.
  const nS = 6;
  const nA = 2;
  const H = 12;
  const rows: [number, number][][] = [];
  for (let s = 0; s < nS; s++) {
    rows.push([
      [(s + 1) % nS, 0.75],
      [(s + 3) % nS, 0.25],
    ]);
    rows.push([0, 1, 2, 3, 4].map((j) => [(s + j) % nS, 0.2] as [number, number]));
  }
  const mdp = createMDP({
    nS,
    nA,
    H,
    rho: new Float64Array(nS).fill(1 / nS),
    reward: Float64Array.from({ length: nS * nA }, (_, r) => (r % 7) / 7),
    transitions: [transitionsFromRows(nS, nA, rows)],
  });
  const policy = deterministicPolicy(nS, nA, H, Int32Array.from({ length: H * nS }, (_, k) => (Math.floor(k / nS) > 3 + (k % nS) ? 1 : 0)));
  const N = 300;
  const d = sampleTrajectories(mdp, policy, N, 'switch');
  const visited = sampleVisitedStates(mdp, policy, N, 'switch', new Int32Array(N * H));
  for (let i = 0; i < N; i++) {
    for (let h = 0; h < H; h++) {
      const s = d.states[i * H + h];
      assert.equal(s, visited[h * N + i], `trajectory ${i}, step ${h}`);
      assert.equal(d.actions[i * H + h], policy.action[h * nS + s]);
      assert.equal(d.rewards![i * H + h], mdp.reward[s * nA + policy.action[h * nS + s]]);
    }
  }
});

test('sampling into an earlier dataset overwrites its arrays with what a fresh sample holds', () => {
  const { mdp, expert } = garnet({ nS: 30, nA: 3, H: 12, branching: 4, seed: 'into' });
  const stochastic = uniformPolicy(30, 3, 12);
  for (const pi of [expert, stochastic]) {
    const reused = sampleTrajectories(mdp, pi, 300, 'first');
    const fresh = sampleTrajectories(mdp, pi, 300, 'second');
    const into = sampleTrajectories(mdp, pi, 300, 'second', { into: reused });
    assert.equal(into.states, reused.states, 'the same arrays, not copies');
    assert.equal(hashDataset(into), hashDataset(fresh));
  }
  const other = sampleTrajectories(mdp, expert, 10, 'x');
  assert.throws(() => sampleTrajectories(mdp, expert, 11, 'x', { into: other }), /N = 11 trajectories of H = 12 steps/);
  const { rewards: _dropped, ...withoutRewards } = other;
  assert.throws(() => sampleTrajectories(mdp, expert, 10, 'x', { into: withoutRewards }), /with rewards/);
});

test('same seed, same dataset bit for bit, in this process and in a fresh one; another seed differs', () => {
  const { mdp, expert } = garnet({ nS: 50, nA: 3, H: 20, branching: 4, seed: 'det' });
  const a = sampleTrajectories(mdp, expert, 200, 'seed-7');
  const b = sampleTrajectories(mdp, expert, 200, 'seed-7');
  assert.equal(hashDataset(a), hashDataset(b));
  assert.notEqual(hashDataset(a), hashDataset(sampleTrajectories(mdp, expert, 200, 'seed-8')));
  const script = `
    const { garnet } = require('./src/core/envs');
    const { sampleTrajectories } = require('./src/core/sampling');
    const { createHash } = require('node:crypto');
    const { mdp, expert } = garnet({ nS: 50, nA: 3, H: 20, branching: 4, seed: 'det' });
    const d = sampleTrajectories(mdp, expert, 200, 'seed-7');
    const h = createHash('sha256');
    for (const t of [d.states, d.actions, d.rewards]) h.update(Buffer.from(t.buffer, t.byteOffset, t.byteLength));
    process.stdout.write(h.digest('hex'));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', cwd: join(__dirname, '../..') });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout, hashDataset(a));
});

test('sampled state-action frequencies match d^π_h(s, a) within 4 binomial standard errors', () => {
  const nS = 6;
  const nA = 2;
  const H = 5;
  const m = randomMdp({ nS, nA, H, seed: 17, perStep: true, withReset: true });
  const pi = randomStochasticPolicy(nS, nA, H, 18);
  const N = 20000;
  const data = sampleTrajectories(m.mdp, pi, N, 'freq');
  const { dSA } = visitation(m.mdp, pi, { stateAction: true });
  const counts = new Float64Array(H * nS * nA);
  for (let i = 0; i < N; i++) for (let h = 0; h < H; h++) counts[(h * nS + data.states[i * H + h]) * nA + data.actions[i * H + h]]++;
  for (let j = 0; j < counts.length; j++) {
    const p = dSA![j];
    const se = Math.sqrt((p * (1 - p)) / N);
    assert.ok(Math.abs(counts[j] / N - p) <= 4 * se + 1e-12, `entry ${j}: ${counts[j] / N} vs ${p}`);
  }
});

test('Monte Carlo V(π) of a random policy on random Garnet MDPs is within 4 s.e. of the exact value', () => {
  for (let seed = 0; seed < 4; seed++) {
    const { mdp } = garnet({ nS: 30, nA: 3, H: 12, branching: 3, seed });
    const pi = randomStochasticPolicy(30, 3, 12, 100 + seed);
    const mc = monteCarloValue(mdp, pi, 5000, `mc-${seed}`);
    const exact = policyValue(mdp, pi);
    assert.ok(Math.abs(mc.mean - exact) <= 4 * mc.se, `seed ${seed}: ${mc.mean} ± ${mc.se} vs ${exact}`);
  }
  const { mdp } = garnet({ nS: 30, nA: 3, H: 12, branching: 3, seed: 9 });
  const mc = monteCarloValue(mdp, uniformPolicy(30, 3, 12), 5000, 'uniform');
  assert.ok(Math.abs(mc.mean - policyValue(mdp, uniformPolicy(30, 3, 12))) <= 4 * mc.se);
});

test('forward and backward evaluation agree on random Garnet MDPs', () => {
  for (let seed = 0; seed < 5; seed++) {
    const { mdp, expert } = garnet({ nS: 200, nA: 4, H: 30, branching: 5, seed });
    for (const pi of [expert, randomStochasticPolicy(200, 4, 30, seed)]) {
      assert.ok(Math.abs(policyValue(mdp, pi) - visitation(mdp, pi, { store: false }).value) < 1e-9);
    }
  }
});
