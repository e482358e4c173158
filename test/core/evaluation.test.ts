import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateBackward, imitationGap, policyValue, visitation } from '../../src/core/evaluation';
import { deterministicPolicy, type CountPolicy } from '../../src/core/policy';
import { bruteForceValue, lcg, randomMdp, randomStochasticPolicy } from './helpers/randomMdp';

test('backward induction equals brute-force enumeration of trajectories on tiny MDPs', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const perStep = seed % 2 === 0;
    const m = randomMdp({ nS: 3, nA: 2, H: 4, seed, perStep, withReset: seed % 3 === 0 });
    const pi = randomStochasticPolicy(3, 2, 4, seed + 100);
    const expected = bruteForceValue(m, (h, s, a) => pi.prob[(h * 3 + s) * 2 + a]);
    assert.ok(Math.abs(policyValue(m.mdp, pi) - expected) < 1e-12, `seed ${seed}`);
  }
});

test('forward and backward evaluation agree to 1e-9 on random MDPs (stochastic, deterministic, per-step)', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const nS = 5 + (seed % 30);
    const nA = 1 + (seed % 4);
    const H = 1 + (seed % 12);
    const m = randomMdp({ nS, nA, H, seed, perStep: seed % 3 === 0, withReset: seed % 2 === 0 });
    const stochastic = randomStochasticPolicy(nS, nA, H, seed * 7);
    const rand = lcg(seed * 13);
    const det = deterministicPolicy(nS, nA, H, Int32Array.from({ length: H * nS }, () => Math.floor(rand() * nA)));
    for (const pi of [stochastic, det]) {
      const back = evaluateBackward(m.mdp, pi).value;
      const fwd = visitation(m.mdp, pi).value;
      assert.ok(Math.abs(back - fwd) < 1e-9, `seed ${seed} ${pi.kind}: ${back} vs ${fwd}`);
    }
  }
});

test('visitation: d_1 = ρ, every d_h sums to 1, and d_h(s,a) = d_h(s) π_h(a|s)', () => {
  const nS = 12;
  const nA = 3;
  const H = 7;
  const m = randomMdp({ nS, nA, H, seed: 5, withReset: true });
  const pi = randomStochasticPolicy(nS, nA, H, 9);
  const { dS, dSA } = visitation(m.mdp, pi, { stateAction: true });
  assert.deepEqual(Array.from(dS!.subarray(0, nS)), Array.from(m.mdp.rho));
  for (let h = 0; h < H; h++) {
    let total = 0;
    for (let s = 0; s < nS; s++) {
      total += dS![h * nS + s];
      for (let a = 0; a < nA; a++) {
        const expected = dS![h * nS + s] * pi.prob[(h * nS + s) * nA + a];
        assert.ok(Math.abs(dSA![(h * nS + s) * nA + a] - expected) < 1e-15);
      }
    }
    assert.ok(Math.abs(total - 1) < 1e-12, `step ${h} sums to ${total}`);
  }
});

test('V_h and Q_h tables satisfy the Bellman equations they come from', () => {
  const nS = 6;
  const nA = 2;
  const H = 5;
  const m = randomMdp({ nS, nA, H, seed: 3 });
  const pi = randomStochasticPolicy(nS, nA, H, 4);
  const { V, Q, value } = evaluateBackward(m.mdp, pi, { storeV: true, storeQ: true });
  for (let h = 0; h < H; h++) {
    for (let s = 0; s < nS; s++) {
      let v = 0;
      for (let a = 0; a < nA; a++) {
        const row = s * nA + a;
        let q = m.mdp.reward[row];
        if (h < H - 1) for (let s2 = 0; s2 < nS; s2++) q += m.dense[0][row * nS + s2] * V![(h + 1) * nS + s2];
        assert.ok(Math.abs(Q![(h * nS + s) * nA + a] - q) < 1e-12);
        v += pi.prob[(h * nS + s) * nA + a] * q;
      }
      assert.ok(Math.abs(V![h * nS + s] - v) < 1e-12);
    }
  }
  let v1 = 0;
  for (let s = 0; s < nS; s++) v1 += m.mdp.rho[s] * V![s];
  assert.ok(Math.abs(v1 - value) < 1e-12);
});

test('a one-hot count policy evaluates exactly like the deterministic policy it copies', () => {
  const nS = 4;
  const nA = 3;
  const H = 3;
  const m = randomMdp({ nS, nA, H, seed: 11, withReset: true });
  const actions = Int32Array.from([0, 1, 2, 1, 2, 2, 0, 0, 1, 1, 1, 0]);
  const det = deterministicPolicy(nS, nA, H, actions);
  const copy: CountPolicy = {
    kind: 'counts',
    nS,
    nA,
    H,
    stationary: false,
    blockStart: Uint32Array.from({ length: H + 1 }, (_, h) => h * nS),
    states: Int32Array.from({ length: H * nS }, (_, i) => i % nS),
    entryStart: Uint32Array.from({ length: H * nS + 1 }, (_, i) => i),
    entryAction: actions,
    entryCount: Float64Array.from({ length: H * nS }, (_, i) => 1 + (i % 3)),
  };
  assert.equal(imitationGap(m.mdp, det, copy), 0);
});

test('a count policy with unseen states plays uniformly there', () => {
  const m = randomMdp({ nS: 3, nA: 2, H: 2, seed: 21 });
  const empty: CountPolicy = {
    kind: 'counts',
    nS: 3,
    nA: 2,
    H: 2,
    stationary: true,
    blockStart: Uint32Array.from([0, 0]),
    states: new Int32Array(0),
    entryStart: Uint32Array.from([0]),
    entryAction: new Int32Array(0),
    entryCount: new Float64Array(0),
  };
  const expected = bruteForceValue(m, () => 0.5);
  assert.ok(Math.abs(policyValue(m.mdp, empty) - expected) < 1e-12);
});

test('rows of exactly four entries (the written-out kernels, backward and forward) give the bits of the general loop, and brute force', () => {
  // branching: 4 gives every row four entries; asking for Q tables takes the general loop instead.
  for (const perStep of [false, true]) {
    for (let seed = 1; seed <= 6; seed++) {
      const { mdp, dense } = randomMdp({ nS: 5, nA: 3, H: 4, seed, branching: 4, perStep, withReset: seed % 2 === 0 });
      assert.ok(mdp.transitions.every((t) => t.rowStart.every((v, r) => v === 4 * r)), 'every row has four entries');
      const stochastic = randomStochasticPolicy(5, 3, 4, seed);
      const actions = Int32Array.from({ length: 4 * 5 }, (_, i) => (i * seed) % 3);
      const deterministic = deterministicPolicy(5, 3, 4, actions);
      for (const pi of [stochastic, deterministic]) {
        const fast = evaluateBackward(mdp, pi);
        const general = evaluateBackward(mdp, pi, { storeQ: true });
        assert.equal(fast.value, general.value, `perStep ${perStep}, seed ${seed}, ${pi.kind}`);
        assert.deepEqual([...fast.V1], [...general.V1]);
        const exact = bruteForceValue({ mdp, dense }, (h, s, a) => (pi.kind === 'deterministic' ? (pi.action[h * 5 + s] === a ? 1 : 0) : pi.prob[(h * 5 + s) * 3 + a]));
        assert.ok(Math.abs(fast.value - exact) < 1e-12, `${fast.value} vs brute force ${exact}`);
        // Forward: asking for d(s, a) takes the general loop.
        const forward = visitation(mdp, pi);
        const forwardGeneral = visitation(mdp, pi, { stateAction: true });
        assert.equal(forward.value, forwardGeneral.value, `forward, perStep ${perStep}, seed ${seed}, ${pi.kind}`);
        assert.deepEqual([...forward.dS!], [...forwardGeneral.dS!]);
        assert.ok(Math.abs(forward.value - exact) < 1e-12, `forward ${forward.value} vs brute force ${exact}`);
      }
    }
  }
});
