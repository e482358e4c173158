import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { garnet } from '../../src/core/envs';
import { policyValue, visitation } from '../../src/core/evaluation';
import { aleaNext, aleaState, aliasTable, sampleAlias } from '../../src/core/random';
import { monteCarloValue, sampleTrajectories } from '../../src/core/sampling';
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

test('the alias table draws each outcome with its probability (exact over a fine grid of u)', () => {
  const weights = [0.1, 0, 0.25, 0.05, 0.6];
  const table = aliasTable(weights);
  const M = 100000;
  const hits = new Float64Array(weights.length);
  for (let j = 0; j < M; j++) hits[sampleAlias(table, (j + 0.5) / M)]++;
  weights.forEach((w, i) => assert.ok(Math.abs(hits[i] / M - w) < 1e-4, `outcome ${i}: ${hits[i] / M} vs ${w}`));
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
