import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseIlmdp } from '../../src/ilmdp/parse';
import { didYouMean, formatDiagnostic } from '../../src/ilmdp/diagnostics';
import { policyValue } from '../../src/core/evaluation';
import { transitionRow } from '../../src/core/mdp';
import { deterministicPolicy } from '../../src/core/policy';
import { ENVIRONMENT_KINDS, ENVIRONMENTS, isEnvironmentSpec, type EnvironmentKind } from '../../src/core/envs';

const examples = join(__dirname, '../../examples');

test('every example parses without errors', () => {
  const files = readdirSync(examples).filter((f) => f.endsWith('.ilmdp'));
  assert.ok(files.length >= 4);
  for (const f of files) {
    const { model, diagnostics } = parseIlmdp(readFileSync(join(examples, f), 'utf8'));
    assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), [], f);
    assert.ok(model, f);
  }
});

test('the hand-written MDP means what its text says', () => {
  const { model } = parseIlmdp(readFileSync(join(examples, 'three-states.ilmdp'), 'utf8'));
  const { mdp, experts, datasets } = model!;
  assert.deepEqual(mdp.stateNames, ['start', 'middle', 'goal']);
  assert.deepEqual(Array.from(transitionRow(mdp, 0, 0, 1)), [0.1, 0.9, 0]);
  assert.deepEqual(Array.from(transitionRow(mdp, 0, 1, 0)), [0, 1, 0]);
  // walker: start→(0.9) middle→(0.8) goal; hand-computed value over H = 6 by enumeration below.
  const walker = experts.get('walker')!;
  // Independent forward computation with explicit matrices.
  const P = [
    [0.1, 0.9, 0],
    [0.2, 0, 0.8],
    [0, 0, 1],
  ];
  let d = [1, 0, 0];
  let value = 0;
  for (let h = 0; h < 6; h++) {
    value += d[2];
    d = [0, 1, 2].map((j) => d.reduce((acc, p, i) => acc + p * P[i][j], 0));
  }
  assert.ok(Math.abs(policyValue(mdp, walker) - value) < 1e-12);
  assert.deepEqual(datasets.get('demo'), { kind: 'generated', from: 'walker', trajectories: 20, seed: 7 });
  assert.deepEqual(datasets.get('by-hand'), {
    kind: 'inline',
    trajectories: [
      [
        [0, 1],
        [1, 1],
        [2, 0],
      ],
      [
        [0, 1],
        [0, 1],
        [1, 1],
      ],
    ],
  });
});

test('generator reset-cliff-recovery: the lower-bound ρ, and a mistake costs a step, never the episode', () => {
  const text = 'mdp:\n  generator: reset-cliff-recovery\n  states: 5\n  actions: 3\n  horizon: 4\n  rho: lower-bound\n  N: 9\nexperts:\n  expert:\n    builtin: true\n';
  const { model, diagnostics } = parseIlmdp(text);
  assert.deepEqual(diagnostics, []);
  const { mdp, experts } = model!;
  // §5's lower-bound ρ: 1/(N+1) on the first |S| − 2 good states, the rest on the last one, none on r.
  const rho = [0.1, 0.1, 0.1, 0.7, 0];
  rho.forEach((p, s) => assert.ok(Math.abs(mdp.rho[s] - p) < 1e-12, `ρ(${s}) = ${mdp.rho[s]}`));
  const r = 4;
  for (let s = 0; s < 4; s++) assert.deepEqual(Array.from(transitionRow(mdp, 0, s, 2)), [0, 0, 0, 0, 1], 'a wrong action leads to r');
  assert.deepEqual(Array.from(transitionRow(mdp, 0, r, 1)), [0, 0, 0, 0, 1], 'a wrong action in r stays there');
  transitionRow(mdp, 0, r, 0).forEach((p, s) => assert.ok(Math.abs(p - rho[s]) < 1e-12), 'recovering redraws from ρ');
  assert.equal(policyValue(mdp, experts.get('expert')!), 4);
  // Err at step 1 everywhere, then follow the expert: step 1 earns 0 and goes to r, step 2 recovers
  // (0, redraw from ρ), steps 3 and 4 earn 1 each. On the plain Reset Cliff the same policy earns 0.
  const errOnce = deterministicPolicy(5, 3, 4, [1, 1, 1, 1, 1, ...Array<number>(15).fill(0)]);
  assert.ok(Math.abs(policyValue(mdp, errOnce) - 2) < 1e-12);
  const cliff = parseIlmdp(text.replace('reset-cliff-recovery', 'reset-cliff')).model!.mdp;
  assert.equal(policyValue(cliff, errOnce), 0);
});

test('generator reset-cliff-recovery: the same mistakes as reset-cliff are reported', () => {
  assert.ok(problems('{"mdp": {"generator": "reset-cliff-recovery", "horizon": 2, "states": 6, "actions": 2, "rho": "lower-bound"}}').some((d) => /needs the dataset size N/.test(d.message)));
  assert.ok(problems('{"mdp": {"generator": "reset-cliff-recovery", "horizon": 2, "states": 3, "actions": 2, "rho": "skewed"}}').some((d) => d.path === 'mdp.rho'));
  assert.ok(problems('{"mdp": {"generator": "reset-cliff-recovery", "horizon": 2, "states": 3, "actions": 2, "slip": 0.1}}').some((d) => d.code === 'unknown-key'));
});

function problems(text: string) {
  return parseIlmdp(text).diagnostics;
}

const base = `mdp:
  states: [s1, s2]
  actions: [left, right]
  horizon: 3
  transitions:
    s1: {left: s1, right: s2}
    s2:
      left: {s1: 0.5, s2: 0.4}
      right: s2
`;

test('a row that does not sum to 1 is reported at its line and column, with what to do', () => {
  const [d, ...rest] = problems(base);
  assert.equal(rest.length, 0);
  assert.equal(d.code, 'row-sum');
  assert.equal(d.message, 'transition row of s2/left sums to 0.9; probabilities must sum to 1');
  assert.equal(d.start.line, 8);
  assert.equal(d.start.column, 13);
  assert.equal(formatDiagnostic('m.ilmdp', d), 'm.ilmdp:8:13: error: transition row of s2/left sums to 0.9; probabilities must sum to 1');
});

test('unknown names and keys come with a suggestion; unknown keys are warnings', () => {
  const text = base.replace('{s1: 0.5, s2: 0.4}', '{s1: 0.5, s3: 0.5}').replace('horizon: 3', 'horizon: 3\n  horizn: 4');
  const ds = problems(text);
  const unknownState = ds.find((d) => d.code === 'unknown-state')!;
  assert.match(unknownState.message, /unknown state "s3"; did you mean "s1"\?/);
  assert.equal(unknownState.start.line, 9);
  const unknownKey = ds.find((d) => d.code === 'unknown-key')!;
  assert.equal(unknownKey.severity, 'warning');
  assert.match(unknownKey.message, /did you mean "horizon"/);
  assert.equal(didYouMean('trajectores', ['from', 'trajectories', 'seed']), 'trajectories');
});

test('malformed YAML, wrong types and missing rows are errors, never exceptions', () => {
  assert.equal(problems('mdp: [unclosed')[0].code.startsWith('yaml-'), true);
  assert.match(problems('mdp:\n  states: 2\n  actions: two\n  horizon: 1\n  transitions: {}')[0].message, /actions/);
  assert.ok(problems(base.replace('      right: s2\n', '')).some((d) => d.code === 'missing-row' && /s2\/right/.test(d.message)));
  assert.ok(problems(base.replace('horizon: 3', 'horizon: 0')).some((d) => d.path === 'mdp.horizon'));
  assert.ok(problems('{"mdp": {"generator": "reset-clif", "horizon": 2}}').some((d) => /did you mean "reset-cliff"/.test(d.message)));
  assert.ok(problems(base.replace('{s1: 0.5, s2: 0.4}', '{s1: 0.5, s2: -0.5}')).some((d) => d.code === 'probability'));
});

test('property: parseIlmdp never throws and every diagnostic has a position inside the text', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.constantFrom(base, base.slice(0, 60), base.replace(/\n/g, '\n ')), fc.json()), (text) => {
      const { diagnostics } = parseIlmdp(text);
      const lines = text.split('\n').length;
      return diagnostics.every((d) => d.start.line >= 1 && d.start.line <= lines + 1 && d.start.column >= 1);
    }),
    { numRuns: 500 },
  );
});

/** A valid file of each generator, written by hand; the keys each takes are the registry's. */
const GENERATED: Record<EnvironmentKind, string> = {
  'reset-cliff': '  states: 4\n  actions: 2\n  horizon: 3\n  rho: lower-bound\n  N: 5\n',
  'reset-cliff-recovery': '  states: 4\n  actions: 3\n  horizon: 3\n  rho: uniform\n  N: 5\n',
  chain: '  states: 4\n  actions: 2\n  horizon: 3\n  slip: 0.1\n',
  gridworld: '  map: |\n    S.\n    .G\n  horizon: 3\n  slip: 0.2\n',
  garnet: '  states: 4\n  actions: 2\n  horizon: 3\n  branching: 2\n  seed: seven\n',
};
const generated = (kind: string, body: string) => `mdp:\n  generator: ${kind}\n${body}`;
/** The body without the line (or block) of one key. */
const without = (body: string, key: string) => body.replace(new RegExp(`  ${key}:.*\\n(    .*\\n)*`), '');

test('the registry guard accepts the spec the parser makes of every generated example and of every generator', () => {
  const fromExamples = readdirSync(examples)
    .filter((f) => f.endsWith('.ilmdp'))
    .map((f) => parseIlmdp(readFileSync(join(examples, f), 'utf8')).model!.generator)
    .filter((spec) => spec !== undefined);
  assert.deepEqual(fromExamples.map((s) => s.kind).sort(), ['chain', 'gridworld', 'reset-cliff']);
  const fromEach = ENVIRONMENT_KINDS.map((kind) => parseIlmdp(generated(kind, GENERATED[kind])).model!.generator!);
  for (const spec of [...fromExamples, ...fromEach]) assert.ok(isEnvironmentSpec(spec), JSON.stringify(spec));
  assert.deepEqual(fromEach[4], { kind: 'garnet', nS: 4, nA: 2, H: 3, branching: 2, seed: 'seven' });
  // Left-out parameters with a default are given it: the spec says which instance the file is.
  assert.deepEqual(parseIlmdp(generated('chain', without(GENERATED.chain, 'slip'))).model!.generator, { kind: 'chain', nS: 4, nA: 2, H: 3, slip: 0 });
});

test("each generator's keys, and what a missing or bad one says, come from the registry, at a position in the file", () => {
  for (const kind of ENVIRONMENT_KINDS) {
    const body = GENERATED[kind];
    assert.deepEqual(problems(generated(kind, body)), [], kind);
    const keys = ENVIRONMENTS[kind].parameters.map((p) => p.key);
    const unknown = problems(generated(kind, `${body}  colour: red\n`)).find((d) => d.code === 'unknown-key')!;
    assert.equal(unknown.message, `unknown key "colour" (allowed: ${['generator', 'description', ...keys].join(', ')})`, kind);
    assert.equal(unknown.start.line, body.split('\n').length + 2);
    for (const p of ENVIRONMENTS[kind].parameters) {
      const text = generated(kind, without(body, p.key));
      const ds = problems(text);
      if (!p.required) {
        // (The core may still need it with another value: the lower-bound ρ needs N.)
        assert.ok(!ds.some((d) => d.path === `mdp.${p.key}`), `${kind}: ${p.key} may be left out`);
        continue;
      }
      const missing = ds.find((d) => d.path === `mdp.${p.key}`);
      assert.ok(missing, `${kind}: missing ${p.key} is reported`);
      assert.equal(missing.code, 'missing-key');
      assert.ok(missing.message.includes(p.description), missing.message);
      assert.equal(text.split('\n')[missing.start.line - 1], `  generator: ${kind}`, 'at the generator that needs it');
      // A value of the wrong kind is reported at that value, saying what the key holds.
      const bad = problems(generated(kind, `${without(body, p.key)}  ${p.key}: [1, 2]\n`)).find((d) => d.path === `mdp.${p.key}`)!;
      assert.equal(bad.code, 'type');
      assert.match(bad.message, new RegExp(`^${p.key} \\(.*\\) must be .*, got a list$`));
      assert.equal(bad.start.line, without(body, p.key).split('\n').length + 2);
    }
  }
  const slip = problems(generated('chain', GENERATED.chain.replace('slip: 0.1', 'slip: 1.5')))[0];
  assert.equal(slip.message, 'slip (the probability that a move goes another way) must be a number in [0, 1], got 1.5');
  assert.equal(slip.start.line, 6);
  assert.match(problems(generated('reset-cliff', GENERATED['reset-cliff'].replace('states: 4', 'states: 1')))[0].message, /^states \(\|S\|, including the absorbing bad state\) must be an integer ≥ 2, got 1$/);
  const typo = problems('mdp:\n  generator: garnett\n  horizon: 2\n')[0];
  assert.equal(typo.message, `unknown generator "garnett"; did you mean "garnet"? (use ${ENVIRONMENT_KINDS.join(', ')})`);
});

test("a dataset file: that is not a .csv or .jsonl path says where such a file may be and how to allow elsewhere, not 'beside this one'", () => {
  const { diagnostics } = parseIlmdp('mdp:\n  states: [a]\n  actions: [x]\n  horizon: 1\n  transitions: {a: {x: a}}\ndatasets:\n  d:\n    file: runs.txt\n');
  const d = diagnostics.find((x) => x.path === 'datasets.d.file');
  assert.ok(d, JSON.stringify(diagnostics));
  assert.doesNotMatch(d.message, /beside/);
  assert.match(d.message, /a \.csv or \.jsonl file/);
  assert.match(d.message, /relative to this file's folder/);
  assert.match(d.message, /inside the workspace folder/);
  assert.match(d.message, /ilNotebooks\.datasets\.allowFilesOutsideFolder/);
  assert.match(d.message, /--allow-outside-files/);
  assert.match(d.message, /; got "runs\.txt"$/);
  assert.deepEqual([d.start.line, d.start.column], [8, 11]);
});
