import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { behavioralCloning } from '../../src/core/bc';
import { datasetFromTrajectories } from '../../src/core/dataset';
import { resetCliff } from '../../src/core/envs/resetCliff';
import { gapVsHorizon, gapVsSamples } from '../../src/core/experiments';
import { createMDP, transitionsFromDense } from '../../src/core/mdp';
import { deterministicPolicy, uniformPolicy } from '../../src/core/policy';
import { loadIlmdp } from '../../src/ilmdp/load';
import { summarizeGlobals, summarizeValue, takeBaseline } from '../../src/notebook/kernel/variableSummary';
import { plotView } from '../../src/shared/buildViews';
import { mceIrlFit } from '../../src/core/mceIrl';
import { sampleTrajectories } from '../../src/core/sampling';
import { MAX_LISTED_VARIABLES } from '../../src/shared/kernelProtocol';

/** |S| = 4, |A| = 3, H = 5, every action moving to the next state (mod 4). */
function walk(perStepRewards = false) {
  const nS = 4;
  const nA = 3;
  const H = 5;
  const dense = Array.from({ length: nS * nA * nS }, (_, i) => (i % nS === (Math.floor(i / (nA * nS)) + 1) % nS ? 1 : 0));
  return createMDP({
    nS,
    nA,
    H,
    rho: Float64Array.from([1, 0, 0, 0]),
    reward: new Float64Array(perStepRewards ? H * nS * nA : nS * nA),
    transitions: [transitionsFromDense(nS, nA, dense)],
  });
}

test('IL objects: an MDP, a policy, a dataset, an environment, a loaded file and sweeps with their sizes', () => {
  const mdp = walk();
  assert.deepEqual(summarizeValue('mdp', mdp), { name: 'mdp', kind: 'mdp', type: 'MDP', detail: '|S| = 4, |A| = 3, H = 5', hasView: true });
  assert.equal(summarizeValue('m', walk(true)).detail, '|S| = 4, |A| = 3, H = 5, per-step');

  const pi = deterministicPolicy(4, 3, 5, [2, 1, 0, 2]);
  assert.deepEqual(summarizeValue('pi', pi), { name: 'pi', kind: 'policy', type: 'policy', detail: 'deterministic, |S| = 4, |A| = 3, H = 5, stationary', hasView: true });
  assert.equal(summarizeValue('u', uniformPolicy(4, 3, 5)).detail, 'stochastic, |S| = 4, |A| = 3, H = 5, stationary');

  // Three trajectories of a horizon of 4, written here: N = 3, H = 4.
  const data = datasetFromTrajectories(4, 3, 4, [
    [[0, 1], [1, 1], [2, 0], [3, 2]],
    [[0, 0], [1, 2]],
    [[0, 2], [1, 0], [2, 1]],
  ]);
  assert.deepEqual(summarizeValue('data', data), { name: 'data', kind: 'dataset', type: 'dataset', detail: 'N = 3, H = 4, |S| = 4, |A| = 3', hasView: true });
  const bc = summarizeValue('bc', behavioralCloning(data));
  assert.equal(bc.kind, 'policy');
  assert.match(bc.detail, /^BC \(counts\), \|S\| = 4, \|A\| = 3, H = 4/);

  const env = resetCliff({ nS: 6, nA: 2, H: 5 });
  const e = summarizeValue('env', env);
  assert.equal(e.kind, 'environment');
  assert.match(e.detail, /\|S\|=6 \|A\|=2 H=5/);

  const file = join(__dirname, '../../examples/three-states.ilmdp');
  const yaml = parse(readFileSync(file, 'utf8')) as { mdp: { states: unknown[]; actions: unknown[]; horizon: number }; experts: object; datasets: object };
  const loaded = summarizeValue('e', loadIlmdp(file));
  assert.equal(loaded.kind, 'experiment');
  assert.equal(
    loaded.detail,
    `three-states.ilmdp: |S| = ${yaml.mdp.states.length}, |A| = ${yaml.mdp.actions.length}, H = ${yaml.mdp.horizon}, ${Object.keys(yaml.experts).length} expert(s), ${Object.keys(yaml.datasets).length} dataset(s)`,
  );

  const horizons = [1, 2, 4];
  const sweep = gapVsHorizon({ env: { kind: 'reset-cliff', nS: 4, nA: 2, H: 1 }, N: 3, horizons, seeds: 3 });
  assert.deepEqual(summarizeValue('sweep', sweep), { name: 'sweep', kind: 'sweep', type: 'sweep', detail: `gap-vs-H, ${horizons.length} rows, learner BC`, hasView: true });
  const sizes = [2, 4];
  const bySamples = gapVsSamples({ env: { kind: 'reset-cliff', nS: 4, nA: 2, H: 3 }, H: 3, sampleSizes: sizes, seeds: 3, algorithm: 'dagger' });
  assert.equal(summarizeValue('n', bySamples).detail, `gap-vs-N, ${sizes.length} rows, learner DAgger`);
  assert.deepEqual(summarizeValue('v', plotView(sweep, 'my plot')), { name: 'v', kind: 'view', type: 'plot view', detail: 'my plot', hasView: true });
});

test('plain values: numbers, strings, arrays and typed arrays with their shapes, functions, classes, other objects', () => {
  const s = (value: unknown) => {
    const { kind, type, detail, hasView } = summarizeValue('x', value);
    return [kind, type, detail, hasView];
  };
  assert.deepEqual(s(42), ['number', 'number', '42', false]);
  assert.deepEqual(s(1 / 3), ['number', 'number', '0.333333', false]);
  assert.deepEqual(s(Number.NaN), ['number', 'number', 'NaN', false]);
  assert.deepEqual(s('cliff'), ['string', 'string', '"cliff" (5 chars)', false]);
  const long = summarizeValue('x', 'x'.repeat(1000)).detail;
  assert.ok(long.length <= 80 && long.endsWith('…'), long);
  assert.deepEqual(s(true), ['boolean', 'boolean', 'true', false]);
  assert.deepEqual(s(10n), ['bigint', 'bigint', '10n', false]);
  assert.deepEqual(s(null), ['null', 'null', 'null', false]);
  assert.deepEqual(s(undefined), ['undefined', 'undefined', 'undefined', false]);
  assert.deepEqual(s(Symbol('k')), ['symbol', 'symbol', 'Symbol(k)', false]);
  assert.deepEqual(s([[1, 2, 3], [4, 5, 6]]), ['array', 'Array', '[2][3]', false]);
  assert.deepEqual(s([[1], [1, 2]]), ['array', 'Array', '[2]', false], 'a ragged array has only its length');
  assert.deepEqual(s([]), ['array', 'Array', '[0]', false]);
  assert.deepEqual(s(new Float64Array(7)), ['typed-array', 'Float64Array', '[7]', false]);
  assert.deepEqual(s(new Int32Array(3)), ['typed-array', 'Int32Array', '[3]', false]);
  assert.deepEqual(s(function f(a: number, b: number) {
    return a + b;
  }), ['function', 'function', '2 parameters', false]);
  assert.deepEqual(s(async (a: number) => a), ['function', 'async function', '1 parameter', false]);
  class Point {
    constructor(
      readonly x = 0,
      readonly y = 0,
    ) {}
  }
  assert.deepEqual(s(Point), ['class', 'class', 'class Point', false]);
  assert.deepEqual(s(new Point()), ['object', 'Point', '2 keys', false]);
  assert.deepEqual(s({ a: 1 }), ['object', 'Object', '1 key', false]);
  assert.deepEqual(s(Object.create(null)), ['object', 'Object (null prototype)', '0 keys', false]);
  assert.deepEqual(s(new Map([[1, 2], [3, 4]])), ['map', 'Map', '2 entries', false]);
  assert.deepEqual(s(new Set([1])), ['set', 'Set', '1 element', false]);
  assert.deepEqual(s(Promise.resolve(1)), ['promise', 'Promise', 'a promise (await it in a cell to see its value)', false]);
  const hostile = new Proxy({}, { get: () => { throw new Error('no'); }, ownKeys: () => { throw new Error('no'); } });
  assert.deepEqual(s(hostile), ['object', 'object', 'could not be inspected', false]);
});

test('the globals cells defined: new names and replaced ones, by name, accessors not called, capped', () => {
  const kernelIl = { core: true };
  const realm: Record<string, unknown> = { il: kernelIl, process: {} };
  const baseline = takeBaseline(realm);
  assert.deepEqual(summarizeGlobals(realm, baseline), { variables: [], omitted: 0 }, 'nothing defined yet');
  realm.zeta = 1;
  realm.alpha = 'a';
  realm.x10 = 10;
  realm.x9 = 9;
  let called = false;
  Object.defineProperty(realm, 'lazy', {
    get: () => {
      called = true;
      return 1;
    },
    enumerable: true,
    configurable: true,
  });
  const listed = summarizeGlobals(realm, baseline);
  assert.deepEqual(listed.variables.map((v) => v.name), ['alpha', 'lazy', 'x9', 'x10', 'zeta'], 'sorted by name, numbers in names in order');
  assert.equal(called, false, 'a getter is not run');
  assert.equal(listed.variables[1].type, 'accessor');
  realm.il = { mine: true };
  assert.ok(summarizeGlobals(realm, baseline).variables.some((v) => v.name === 'il'), 'a replaced built-in name is listed');

  const many: Record<string, unknown> = {};
  const empty = takeBaseline(many);
  for (let i = 0; i < MAX_LISTED_VARIABLES + 100; i++) many[`v${i}`] = i;
  const capped = summarizeGlobals(many, empty);
  assert.equal(capped.variables.length, MAX_LISTED_VARIABLES);
  assert.equal(capped.omitted, 100);
});

test('an MCE-IRL fit is listed as one, with a view (its learned reward)', () => {
  const { mdp, expert } = resetCliff({ nS: 4, nA: 2, H: 3 });
  const fit = mceIrlFit(mdp, sampleTrajectories(mdp, expert, 3, 'vars'), { maxIterations: 5 });
  const v = summarizeValue('fit', fit);
  assert.deepEqual([v.kind, v.type, v.hasView], ['object', 'MCE-IRL fit', true]);
  assert.equal(v.detail, `|S| = 4, |A| = 2, H = 3, reward on (s, a), ${fit.iterations} ascent steps${fit.converged ? ', converged' : ''}`);
});
