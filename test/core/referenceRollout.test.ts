/**
 * The deterministic-policy sampler against a reference built on seedrandom itself: a plain rollout
 * that draws from seedrandom.alea(String(seed)) in the order sampling.ts documents and picks each next
 * state by inverse CDF over the row's CSR entries. Whichever path sampleTrajectories takes (packed rows,
 * rows of four, longer rows, per-step kernels and policies), a seed must give this dataset bit for bit
 * (src/core/kernels/index.ts, rules 5 and 6). Also the alea step of src/core/kernels/alea.ts, run on
 * locals as the hot loops run it, against seedrandom's stream.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import seedrandom from 'seedrandom';
import { garnet } from '../../src/core/envs';
import { aleaCarry, aleaMix, fillDraws } from '../../src/core/kernels/alea';
import { transitionsAt, type MDP } from '../../src/core/mdp';
import { deterministicPolicy, type DeterministicPolicy } from '../../src/core/policy';
import { aleaState, aliasTable, sampleAlias } from '../../src/core/random';
import { sampleTrajectories } from '../../src/core/sampling';
import { lcg, randomMdp } from './helpers/randomMdp';

interface Rollout {
  states: Int32Array;
  actions: Int32Array;
  rewards: Float64Array;
}

/**
 * N trajectories of a deterministic policy in an MDP without reset parts, trajectory i's step h at
 * i·H + h. The draws: first one uniform per trajectory for s_1 (i = 0 … N − 1), then, for each step
 * h < H − 1 in turn, one per trajectory in order for s_{h+1}; none for actions, none after the last
 * step. s_1 is the alias-table draw of ρ (random.ts; its own tests check it draws ρ), s_{h+1} the
 * first entry k of the row (s, π_h(s)) whose running sum p_first + … + p_k exceeds u, or the row's
 * last entry if rounding leaves u past the total.
 */
function referenceRollout(mdp: MDP, pi: DeterministicPolicy, N: number, seed: number | string): Rollout {
  const { nS, nA, H } = mdp;
  const u = seedrandom.alea(String(seed));
  const states = new Int32Array(N * H);
  const actions = new Int32Array(N * H);
  const rewards = new Float64Array(N * H);
  const start = aliasTable(mdp.rho);
  const current = Int32Array.from({ length: N }, () => sampleAlias(start, u()));
  for (let h = 0; h < H; h++) {
    const t = transitionsAt(mdp, h);
    const rewardBase = mdp.reward.length === nS * nA ? 0 : h * nS * nA;
    for (let i = 0; i < N; i++) {
      const s = current[i];
      const a = pi.action[(pi.stationary ? 0 : h * nS) + s];
      const row = s * nA + a;
      states[i * H + h] = s;
      actions[i * H + h] = a;
      rewards[i * H + h] = mdp.reward[rewardBase + row];
      if (h === H - 1) continue;
      const x = u();
      const first = t.rowStart[row];
      const end = t.rowStart[row + 1];
      let next = t.next[end - 1];
      let cumulative = 0;
      for (let k = first; k < end; k++) {
        cumulative += t.prob[k];
        if (x < cumulative) {
          next = t.next[k];
          break;
        }
      }
      current[i] = next;
    }
  }
  return { states, actions, rewards };
}

function assertSameRollout(mdp: MDP, pi: DeterministicPolicy, N: number, seed: number | string): void {
  const expected = referenceRollout(mdp, pi, N, seed);
  const d = sampleTrajectories(mdp, pi, N, seed);
  assert.deepEqual(d.states, expected.states, `states, seed ${seed}`);
  assert.deepEqual(d.actions, expected.actions, `actions, seed ${seed}`);
  assert.deepEqual(d.rewards, expected.rewards, `rewards, seed ${seed}`);
}

function randomActions(n: number, nA: number, seed: number): Int32Array {
  const rand = lcg(seed);
  return Int32Array.from({ length: n }, () => Math.floor(rand() * nA));
}

function rowLengths(mdp: MDP): Set<number> {
  const lengths = new Set<number>();
  for (const t of mdp.transitions) for (let r = 0; r < mdp.nS * mdp.nA; r++) lengths.add(t.rowStart[r + 1] - t.rowStart[r]);
  return lengths;
}

test('rows of exactly four entries: the sampler draws the reference rollout, packed (N·(H − 1) ≥ |S|) or not', () => {
  const { mdp, expert } = garnet({ nS: 30, nA: 3, H: 12, branching: 4, seed: 'reference-four' });
  if (expert.kind !== 'deterministic') throw new Error('the Garnet expert is deterministic');
  assert.deepEqual([...rowLengths(mdp)], [4]);
  const stationary = deterministicPolicy(30, 3, 12, randomActions(30, 3, 7));
  for (const pi of [expert, stationary]) {
    // N = 200 packs the rows (2200 draws for 30 states); N = 2 takes the general loop (22 draws).
    for (const N of [200, 2]) for (const seed of [0, 'a', 'gap-vs-H/16/3']) assertSameRollout(mdp, pi, N, seed);
  }
});

test('rows of one to three entries (the packed rows padded) draw the reference rollout', () => {
  const { mdp } = randomMdp({ nS: 12, nA: 3, H: 9, seed: 11 });
  assert.ok(rowLengths(mdp).size > 1, 'rows of several lengths');
  const pi = deterministicPolicy(12, 3, 9, randomActions(9 * 12, 3, 5));
  for (const seed of [1, 'b', 'x/y']) assertSameRollout(mdp, pi, 300, seed);
});

test('rows longer than four (never packed), stationary and per-step kernels, draw the reference rollout', () => {
  const stationary = randomMdp({ nS: 10, nA: 2, H: 8, seed: 21, branching: 7 }).mdp;
  const perStep = randomMdp({ nS: 10, nA: 2, H: 8, seed: 22, branching: 6, perStep: true }).mdp;
  assert.deepEqual([...rowLengths(stationary)], [7]);
  assert.equal(perStep.transitions.length, 8);
  for (const mdp of [stationary, perStep]) {
    for (const pi of [deterministicPolicy(10, 2, 8, randomActions(10, 2, 3)), deterministicPolicy(10, 2, 8, randomActions(80, 2, 4))]) {
      for (const seed of [2, 'c', 'gap-vs-N/40/7']) assertSameRollout(mdp, pi, 150, seed);
    }
  }
});

test('the alea step of kernels/alea.ts, on locals as the hot loops run it, is seedrandom.alea’s stream', () => {
  for (const seed of ['a', 'gap-vs-H/16/3', '12345', '']) {
    const reference = seedrandom.alea(seed);
    const state = aleaState(seed);
    let s0 = state[0];
    let s1 = state[1];
    let s2 = state[2];
    let c = state[3];
    for (let i = 0; i < 10_000; i++) {
      const t = aleaMix(s0, c);
      s0 = s1;
      s1 = s2;
      c = aleaCarry(t);
      s2 = t - c;
      assert.equal(s2, reference(), `seed ${JSON.stringify(seed)}, draw ${i}`);
    }
  }
});

test('fillDraws continues the stream: its draws are seedrandom.alea’s, across calls', () => {
  for (const seed of ['b', '0', 'fill/2']) {
    const reference = seedrandom.alea(seed);
    const state = aleaState(seed);
    const out = new Float64Array(4096);
    for (const n of [1, 17, 4096, 3000]) {
      fillDraws(state, out, n);
      for (let k = 0; k < n; k++) assert.equal(out[k], reference(), `seed ${seed}, block of ${n}, draw ${k}`);
    }
  }
});
