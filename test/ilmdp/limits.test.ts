// Issue 16: the inputs that crashed, flooded or hung the parser, each with what it must say now and where.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIlmdp } from '../../src/ilmdp/parse';
import { LIMITS, MAX_DIAGNOSTICS, prescan } from '../../src/ilmdp/limits';
import { validateMDP } from '../../src/core/validate';
import { createMDP } from '../../src/core/mdp';

const threeStates = readFileSync(join(__dirname, '../../examples/three-states.ilmdp'), 'utf8');

/** The 1-based line and column of the first occurrence of `needle` (after `from`), computed from the text itself. */
function positionOf(text: string, needle: string, from = 0): { line: number; column: number } {
  const i = text.indexOf(needle, from);
  assert.ok(i >= 0, `${needle} is in the text`);
  const before = text.slice(0, i).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function only(text: string) {
  const { model, diagnostics } = parseIlmdp(text);
  assert.equal(model, undefined);
  assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
  return diagnostics[0];
}

test('500,000 "[" after description: one depth error at the bracket that goes over, before the YAML library runs', () => {
  const text = `description: ${'['.repeat(500_000)}`;
  const d = only(text);
  // A limit-* code comes only from the pre-scan, which returns before parseDocument is called: the YAML
  // library's own answer to this input was hundreds of yaml-* errors (and its trees, out of memory).
  assert.equal(d.code, 'limit-depth');
  assert.match(d.message, /more than 64 levels deep, over the limit of 64; .*flatten/);
  // `description:` is one block level, so the 64th bracket is the 65th level.
  assert.deepEqual(d.start, { line: 1, column: 'description: '.length + LIMITS.depth });
  assert.equal(prescan(text)?.code, 'limit-depth');
});

test('the pre-scan also refuses a file over the size limit and one with too many values, at the place it goes over', () => {
  const big = `description: x\n${'# padding\n'.repeat(LIMITS.fileChars / 10 + 1)}`;
  const size = only(big);
  assert.equal(size.code, 'limit-file-size');
  assert.match(size.message, /over the limit of 8,388,608 \(8 MiB\)/);
  assert.equal(size.start.line, big.slice(0, LIMITS.fileChars).split('\n').length);
  const many = `mdp:\n  states: [${'a, '.repeat(LIMITS.yamlValues)}z]\n`;
  const values = only(many);
  assert.equal(values.code, 'limit-values');
  assert.equal(values.start.line, 2);
  // The value that goes over: `mdp`, `states` and the list are three, so it is the (limit − 2)-th name.
  assert.equal(values.start.column, '  states: ['.length + 1 + 3 * (LIMITS.yamlValues - 3));
});

test('nesting the format really uses, flow or block, with quotes, comments and block scalars, is not refused', () => {
  // Brackets inside quotes, comments, plain scalars and block scalars are text, not nesting.
  const text = `description: "[[[[${'['.repeat(100)}"  # ${'{'.repeat(100)}
mdp:
  generator: gridworld
  map: |
    S.${'['.repeat(100)}
  horizon: 3
experts:
  e: {steps: [{s0: a0}, {s0: a0}, {s0: a0}]}
`;
  assert.equal(prescan(text), undefined);
  assert.equal(prescan(`x: ${'[ '.repeat(LIMITS.depth - 1)}`), undefined, '63 brackets under one key is 64 levels');
  assert.equal(prescan(`x: ${'[ '.repeat(LIMITS.depth)}`)?.code, 'limit-depth');
  // Block nesting counts the same way: one level per deeper indentation, and per `- ` on a line.
  const block = Array.from({ length: LIMITS.depth + 1 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n');
  assert.equal(prescan(block)?.code, 'limit-depth');
  assert.equal(prescan(`${'- '.repeat(LIMITS.depth + 1)}x`)?.code, 'limit-depth');
  assert.equal(prescan(`${'- '.repeat(LIMITS.depth - 1)}x`), undefined);
});

test('states: 1000000 with no transitions: ten missing rows, then one line counting the rest, at the transitions key', () => {
  const text = 'mdp:\n  states: 1000000\n  actions: [stay]\n  horizon: 6\n  transitions: {}\n';
  const { diagnostics } = parseIlmdp(text);
  const rows = diagnostics.filter((d) => d.code === 'missing-row');
  assert.equal(rows.length, LIMITS.diagnosticsPerCode + 1);
  assert.equal(rows.at(-1)!.message, '… and 999,990 more like this (missing-row)');
  assert.equal(rows.at(-1)!.path, 'mdp.transitions.s10.stay', 'the summary is about the first row it counts');
  for (const d of rows) assert.deepEqual(d.start, positionOf(text, 'transitions'));
  assert.ok(diagnostics.length <= MAX_DIAGNOSTICS);
});

test('the cap holds across kinds: at most 100 diagnostics shown, ten of a kind, and the rest counted', () => {
  // 300 unknown states in ρ and 300 unknown keys: two kinds, each cut at ten.
  const initial = Array.from({ length: 300 }, (_, i) => `x${i}: 0`).join(', ');
  const keys = Array.from({ length: 300 }, (_, i) => `  k${i}: 1`).join('\n');
  const text = `mdp:\n  states: 2\n  actions: 1\n  horizon: 1\n  initial: {${initial}}\n${keys}\n  transitions: {s0: {a0: s0}, s1: {a0: s1}}\n`;
  const { diagnostics } = parseIlmdp(text);
  const count = (code: string) => diagnostics.filter((d) => d.code === code);
  assert.equal(count('unknown-state').length, 11);
  assert.equal(count('unknown-state').at(-1)!.message, '… and 290 more like this (unknown-state)');
  assert.equal(count('unknown-key').length, 11);
  assert.equal(count('unknown-key').at(-1)!.severity, 'warning');
});

test('validateMDP keeps every problem by default, and with maxPerCode the first ones and a count', () => {
  const nS = 1000;
  const mdp = createMDP({ nS, nA: 1, H: 1, rho: new Float64Array(nS).fill(1 / nS), reward: new Float64Array(nS), transitions: [{ rowStart: Uint32Array.from({ length: nS + 1 }, (_, i) => i), next: Int32Array.from({ length: nS }, (_, i) => i), prob: new Float64Array(nS).fill(1) }] });
  const bad = { ...mdp, reward: new Float64Array(nS).fill(NaN) };
  assert.equal(validateMDP(bad).filter((p) => p.code === 'reward-range').length, nS);
  const capped = validateMDP(bad, { maxPerCode: 10 }).filter((p) => p.code === 'reward-range');
  assert.equal(capped.length, 11);
  assert.equal(capped[10].message, '… and 990 more like this (reward-range)');
  assert.deepEqual(capped[10].path, ['reward', 10]);
});

test('states: 10000000 is refused at its value, naming the limit, before anything of that size exists', () => {
  const text = 'mdp:\n  states: 10000000\n  actions: [stay, go]\n  horizon: 6\n';
  const d = only(text);
  assert.equal(d.code, 'limit');
  assert.match(d.message, /^states: 10000000 is over the limit of 1,000,000 states; see "Limits" in docs\/ilmdp.md/);
  assert.deepEqual(d.start, positionOf(text, '10000000'));
  // The same limits hold for a generator, checked before the core builds it.
  const garnet = 'mdp:\n  generator: garnet\n  states: 10000000\n  actions: 2\n  horizon: 3\n  branching: 2\n  seed: 1\n';
  assert.deepEqual(only(garnet).start, positionOf(garnet, '10000000'));
});

test('the products are limited too: |S|·|A|, H·|S|·|A| and a Garnet\'s transition entries, each at the factor that tips it', () => {
  const explicit = 'mdp:\n  states: 1000000\n  actions: 20\n  horizon: 1\n';
  const pairs = only(explicit);
  assert.match(pairs.message, /^\|S\|·\|A\| = 1,000,000 × 20 = 20,000,000 state-action pairs is over the limit of 10,000,000/);
  assert.deepEqual(pairs.start, positionOf(explicit, '20'));
  const steps = 'mdp:\n  generator: chain\n  states: 1000000\n  actions: 4\n  horizon: 101\n';
  const product = only(steps);
  assert.match(product.message, /^H·\|S\|·\|A\| = 101 × 1,000,000 × 4 = 404,000,000 is over the limit of 400,000,000/);
  assert.deepEqual(product.start, positionOf(steps, '101'));
  // The benched size itself (docs/performance.md) stays allowed: H = 100 passes this check.
  assert.ok(!parseIlmdp('mdp:\n  generator: chain\n  states: 1000000\n  actions: 4\n  horizon: 100\n  slip: x\n').diagnostics.some((d) => d.code === 'limit'));
  const garnet = 'mdp:\n  generator: garnet\n  states: 1000000\n  actions: 4\n  horizon: 2\n  branching: 13\n  seed: 1\n';
  const entries = only(garnet);
  assert.match(entries.message, /transition entries is over the limit of 50,000,000/);
  assert.deepEqual(entries.start, positionOf(garnet, '13'));
  const grid = `mdp:\n  generator: gridworld\n  horizon: 3\n  map: |\n${`    ${'.'.repeat(1001)}\n`.repeat(1000)}`;
  assert.equal(only(grid).path, 'mdp.map');
});

test('horizon: 1e308 and trajectories: 1e12 are refused at check time, at their values', () => {
  const horizon = threeStates.replace('horizon: 6', 'horizon: 1e308');
  const h = parseIlmdp(horizon).diagnostics;
  assert.equal(h.length, 1);
  assert.equal(h[0].message.startsWith('horizon: 1e308 is over the limit of 100,000 steps'), true, h[0].message);
  assert.deepEqual(h[0].start, positionOf(horizon, '1e308'));
  const trajectories = threeStates.replace('trajectories: 20', 'trajectories: 1e12');
  const { model, diagnostics } = parseIlmdp(trajectories);
  assert.equal(diagnostics.length, 1);
  assert.match(diagnostics[0].message, /^trajectories: 1e12 is over the limit of 10,000,000 trajectories/);
  assert.deepEqual(diagnostics[0].start, positionOf(trajectories, '1e12'));
  assert.equal(model!.datasets.has('demo'), false, 'the dataset is left out, so eval never allocates it');
  // N under its own limit can still ask for too many (trajectory, step) pairs.
  const pairs = threeStates.replace('horizon: 6', 'horizon: 1000').replace('trajectories: 20', 'trajectories: 100000');
  assert.match(parseIlmdp(pairs).diagnostics.find((d) => d.path === 'datasets.demo.trajectories')!.message, /^N·H = 100,000 × 1,000 = 100,000,000 \(trajectory, step\) pairs is over the limit of 50,000,000/);
});

test('seed: .nan, .inf, -.inf and integers beyond 2^53 are refused by name; a NaN reward is called NaN', () => {
  const cases: [string, RegExp][] = [
    ['.nan', /^seed is NaN; give a whole number or a string$/],
    ['.inf', /^seed is infinite; give a whole number or a string$/],
    ['-.inf', /^seed is minus infinity; give a whole number or a string$/],
    ['9007199254740993', /^seed is beyond 2\^53, so not held exactly; give a whole number or a string$/],
  ];
  for (const [seed, message] of cases) {
    const text = threeStates.replace('seed: 7', `seed: ${seed}`);
    const ds = parseIlmdp(text).diagnostics;
    assert.equal(ds.length, 1, seed);
    assert.match(ds[0].message, message);
    assert.deepEqual(ds[0].start, positionOf(text, seed, text.indexOf('seed:')));
  }
  assert.deepEqual(parseIlmdp(threeStates.replace('seed: 7', 'seed: 9007199254740991')).diagnostics, [], '2^53 − 1 is a whole number JavaScript holds');
  assert.deepEqual(parseIlmdp(threeStates.replace('seed: 7', 'seed: "9007199254740993"')).diagnostics, [], 'as a string any seed is fine');
  const garnet = 'mdp:\n  generator: garnet\n  states: 4\n  actions: 2\n  horizon: 3\n  branching: 2\n  seed: .nan\n';
  assert.equal(only(garnet).message, 'seed is NaN; give a whole number or a string');
  const reward = threeStates.replace('    goal: 1\n', '    goal: .nan\n');
  const r = parseIlmdp(reward).diagnostics;
  assert.equal(r[0].message, 'reward r(goal, stay) = NaN; rewards must be numbers in [0, 1]');
  assert.deepEqual(r[0].start, positionOf(reward, '.nan'));
  const p = parseIlmdp(threeStates.replace('{middle: 0.9, start: 0.1}', '{middle: .nan, start: 0.1}')).diagnostics;
  assert.match(p[0].message, /got NaN$/);
  assert.match(only(threeStates.replace('horizon: 6', 'horizon: -.inf')).message, /^horizon is minus infinity; give a whole number from 1 to 100,000$/);
});

test('"start:0.2" (no space after the colon) on line 14 is reported there, saying what is wrong', () => {
  const text = threeStates.replace('go: {goal: 0.8, start: 0.2}', 'go: {goal: 0.8, start:0.2}');
  const d = only(text);
  assert.equal(d.code, 'unknown-state');
  assert.equal(d.message, 'unknown state "start:0.2"; a ":" needs a space after it ("start: 0.2")');
  assert.deepEqual(d.start, positionOf(text, 'start:0.2'));
  assert.equal(d.start.line, 14);
});

test('a missing key is reported at the map that should hold it, never at 1:1', () => {
  const noHorizon = threeStates.replace('  horizon: 6\n', '');
  const h = only(noHorizon);
  assert.equal(h.code, 'missing-key');
  assert.match(h.message, /^the horizon is missing; add "horizon: <a positive integer>"$/);
  assert.deepEqual(h.start, positionOf(noHorizon, 'mdp:'));
  assert.notDeepEqual(h.start, { line: 1, column: 1 });
  const noStates = threeStates.replace('  states: [start, middle, goal]\n', '');
  assert.deepEqual(parseIlmdp(noStates).diagnostics.find((d) => d.path === 'mdp.states')!.start, positionOf(noStates, 'mdp:'));
  const noTransitions = threeStates.replace(/ {2}transitions:\n( {4}.*\n)+/, '');
  assert.deepEqual(only(noTransitions).start, positionOf(noTransitions, 'mdp:'));
  const noSeed = threeStates.replace('    seed: 7\n', '');
  const seed = parseIlmdp(noSeed).diagnostics;
  assert.equal(seed.length, 1);
  assert.deepEqual(seed[0].start, positionOf(noSeed, 'demo:'), 'a dataset without a seed: at its name');
  const noFrom = 'mdp:\n  generator: chain\n  states: 3\n  actions: 2\n  horizon: 2\ndatasets:\n  d: {trajectories: 3, seed: 1}\n';
  assert.deepEqual(parseIlmdp(noFrom).diagnostics[0].start, positionOf(noFrom, 'd:'));
  // Empty values (`horizon:` with nothing after it) are at the key too, and say "nothing", not null.
  const empty = threeStates.replace('horizon: 6', 'horizon:');
  const e = only(empty);
  assert.deepEqual(e.start, positionOf(empty, 'horizon:'));
  assert.match(e.message, /got nothing$/);
  const emptyExpert = threeStates.replace(/ {2}walker:\n {4}policy: .*\n/, '  walker:\n');
  assert.deepEqual(parseIlmdp(emptyExpert).diagnostics[0].start, positionOf(emptyExpert, 'walker:'));
});

test('a duplicate key is found without the YAML library\'s quadratic check, at the second occurrence', () => {
  const text = threeStates.replace('  horizon: 6\n', '  horizon: 6\n  horizon: 7\n');
  const d = only(text);
  assert.equal(d.code, 'yaml-DUPLICATE_KEY');
  assert.equal(d.message, 'the key "horizon" appears twice in this map (first on line 6); map keys must be unique');
  assert.deepEqual(d.start, positionOf(text, 'horizon: 7'));
});
