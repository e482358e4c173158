import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createMDP, transitionsFromRows, type MDP } from '../../src/core/mdp';
import { validateMDP, validatePolicy } from '../../src/core/validate';
import { CoreError, ValidationError } from '../../src/core/errors';
import { randomMdp } from './helpers/randomMdp';

function twoState(): MDP {
  return {
    nS: 2,
    nA: 2,
    H: 3,
    rho: Float64Array.of(1, 0),
    reward: Float64Array.of(0, 1, 0, 0),
    stateNames: ['s1', 's2'],
    actionNames: ['left', 'right'],
    transitions: [
      transitionsFromRows(2, 2, [
        [[0, 1]],
        [[1, 1]],
        [
          [0, 0.5],
          [1, 0.5],
        ],
        [[1, 1]],
      ]),
    ],
  };
}

test('a valid MDP has no problems', () => {
  assert.deepEqual(validateMDP(twoState()), []);
  for (let seed = 0; seed < 20; seed++) assert.deepEqual(validateMDP(randomMdp({ nS: 7, nA: 3, H: 4, seed, perStep: seed % 2 === 0, withReset: seed % 3 === 0 }).mdp), []);
});

test('each kind of problem is reported with a path to the entry, all at once', () => {
  const m = twoState();
  const bad = {
    ...m,
    H: 3,
    rho: Float64Array.of(0.5, 0.4),
    reward: Float64Array.of(0, 1.5, Number.NaN, 0),
    transitions: [{ ...m.transitions[0], prob: Float64Array.of(1, 1, 0.4, 0.5, -1), next: Int32Array.of(0, 1, 0, 7, 1) }],
  };
  const problems = validateMDP(bad);
  const codes = problems.map((p) => `${p.code}@${p.path.join('.')}`);
  assert.ok(codes.includes('row-sum@rho'), codes.join(' '));
  assert.ok(codes.includes('reward-range@reward.1'));
  assert.ok(codes.includes('reward-range@reward.2'));
  assert.ok(codes.includes('unknown-state@transitions.0.next.3'));
  assert.ok(codes.includes('row-sum@transitions.0.rows.2'));
  assert.ok(codes.includes('negative-probability@transitions.0.prob.4'));
  const rowSum = problems.find((p) => p.code === 'row-sum' && p.path[2] === 'rows')!;
  assert.match(rowSum.message, /transition row of s2\/left sums to 0\.9; probabilities must sum to 1/);
  assert.match(problems.find((p) => p.path.join('.') === 'reward.1')!.message, /r\(s1, right\) = 1\.5/);
});

test('maxPerCode keeps that many problems of a code and one line counting the rest, as docs/core.md says', () => {
  const m = twoState();
  // Four rewards out of range (one code), and ρ summing to 0.9 (another).
  const bad = { ...m, rho: Float64Array.of(0.5, 0.4), reward: Float64Array.of(2, Number.NaN, -1, 3) };
  assert.equal(validateMDP(bad).filter((p) => p.code === 'reward-range').length, 4);
  const capped = validateMDP(bad, { maxPerCode: 1 });
  // ρ's problem, the first reward's, and the line for the other three rewards.
  assert.equal(capped.length, 3);
  assert.equal(capped.filter((p) => p.code === 'row-sum').length, 1);
  assert.equal(capped.find((p) => p.code === 'reward-range')!.path.join('.'), 'reward.0');
  assert.equal(capped.at(-1)!.message, '… and 3 more like this (reward-range)');
});

test('empty spaces and a horizon below 1 are problems, not exceptions', () => {
  for (const patch of [{ nS: 0 }, { nA: 0 }, { H: 0 }, { H: 1.5 }]) {
    const problems = validateMDP({ ...twoState(), ...patch });
    assert.equal(problems.length, 1, JSON.stringify(patch));
  }
  assert.throws(() => createMDP({ ...twoState(), H: 0 }), (e: unknown) => e instanceof ValidationError && e.problems.length === 1);
});

test('property: validateMDP never throws, whatever it is given', () => {
  const typed = fc.oneof(
    fc.array(fc.double(), { maxLength: 8 }).map((a) => Float64Array.from(a)),
    fc.array(fc.integer({ min: -3, max: 10 }), { maxLength: 8 }).map((a) => Int32Array.from(a)),
    fc.array(fc.nat(10), { maxLength: 8 }).map((a) => Uint32Array.from(a)),
  );
  const plausible = fc.record({
    nS: fc.oneof(fc.integer({ min: -1, max: 4 }), fc.double(), fc.string()),
    nA: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constant(undefined)),
    H: fc.integer({ min: -1, max: 4 }),
    rho: fc.oneof(typed, fc.anything()),
    reward: fc.oneof(typed, fc.anything()),
    transitions: fc.oneof(
      fc.array(fc.record({ rowStart: typed, next: typed, prob: typed, reset: fc.oneof(fc.constant(undefined), fc.record({ mass: typed, to: typed })) }), { maxLength: 3 }),
      fc.anything(),
    ),
    stateNames: fc.oneof(fc.constant(undefined), fc.array(fc.string(), { maxLength: 4 }), fc.anything()),
  });
  fc.assert(
    fc.property(fc.oneof(fc.anything(), plausible), (input) => {
      const problems = validateMDP(input);
      return Array.isArray(problems) && problems.every((p) => typeof p.message === 'string' && Array.isArray(p.path));
    }),
    { numRuns: 2000 },
  );
});

test('property: perturbing one probability of a valid MDP yields exactly that row-sum problem', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 1e-6, max: 0.5, noNaN: true }), fc.boolean(), (seed, delta, up) => {
      const { mdp } = randomMdp({ nS: 5, nA: 2, H: 3, seed });
      const t = mdp.transitions[0];
      const k = seed % t.prob.length;
      const prob = Float64Array.from(t.prob);
      prob[k] = up ? prob[k] + delta : Math.max(0, prob[k] - delta);
      if (prob[k] === t.prob[k]) return true;
      let row = 0;
      while (t.rowStart[row + 1] <= k) row++;
      const problems = validateMDP({ ...mdp, transitions: [{ ...t, prob }] });
      return problems.length === 1 && problems[0].code === 'row-sum' && problems[0].path.join('.') === `transitions.0.rows.${row}`;
    }),
    { numRuns: 300 },
  );
});

test('validatePolicy checks count policies: offsets, seen states, actions ascending, positive totals', () => {
  // Two steps of |S| = 3, |A| = 3: step 1 saw s0 (a0 ×2, a2 ×1) and s2 (a1 ×4); step 2 saw s1 (a2 ×1).
  const good = {
    kind: 'counts',
    nS: 3,
    nA: 3,
    H: 2,
    stationary: false,
    blockStart: Uint32Array.of(0, 2, 3),
    states: Int32Array.of(0, 2, 1),
    entryStart: Uint32Array.of(0, 2, 3, 4),
    entryAction: Int32Array.of(0, 2, 1, 2),
    entryCount: Float64Array.of(2, 1, 4, 1),
  };
  assert.deepEqual(validatePolicy(good, 3, 3, 2), []);
  const codes = (change: Record<string, unknown>) => validatePolicy({ ...good, ...change }, 3, 3, 2).map((p) => `${p.code} at ${p.path.join('.')}`);
  assert.deepEqual(codes({ entryAction: Int32Array.of(2, 0, 1, 2) }), ['order at entryAction.1']);
  assert.deepEqual(codes({ entryAction: Int32Array.of(0, 3, 1, 2) }), ['unknown-action at entryAction.1']);
  assert.deepEqual(codes({ entryCount: Float64Array.of(2, 1, 0, 1) }), ['count at states.1']);
  assert.deepEqual(codes({ entryCount: Float64Array.of(2, Number.NaN, 4, 1) }), ['count at entryCount.1']);
  assert.deepEqual(codes({ entryStart: Uint32Array.of(0, 2, 3, 5) }), ['offsets at entryStart']);
  assert.deepEqual(codes({ entryStart: Uint32Array.of(0, 3, 2, 4) }), ['order at entryAction.2', 'offsets at entryStart.2']);
  assert.deepEqual(codes({ entryStart: Uint32Array.of(0, 2, 4) }), ['type at states']);
  assert.deepEqual(codes({ entryAction: Int32Array.of(0, 2, 1) }), ['type at entryCount']);
  assert.deepEqual(codes({ states: Int32Array.of(2, 0, 1) }), ['order at states.1']);
});

test('validatePolicy reports shapes, ranges and row sums; createMDP throws only ValidationError', () => {
  assert.deepEqual(validatePolicy({ kind: 'deterministic', nS: 2, nA: 2, H: 3, stationary: true, action: Int32Array.of(0, 1) }, 2, 2, 3), []);
  assert.equal(validatePolicy({ kind: 'deterministic', nS: 2, nA: 2, H: 3, stationary: true, action: Int32Array.of(0, 2) }, 2, 2, 3)[0].code, 'unknown-action');
  assert.equal(validatePolicy({ kind: 'stochastic', nS: 1, nA: 2, H: 1, stationary: true, prob: Float64Array.of(0.5, 0.6) }, 1, 2, 1)[0].code, 'row-sum');
  assert.equal(validatePolicy(42, 1, 1, 1)[0].code, 'type');
  fc.assert(
    fc.property(fc.anything(), (input) => {
      try {
        createMDP(input as MDP);
      } catch (error) {
        return error instanceof CoreError;
      }
      return true;
    }),
  );
});
