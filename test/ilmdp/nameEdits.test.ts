import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transitionRow } from '../../src/core/mdp';
import { actionDistribution } from '../../src/core/policy';
import { addAction, addState, applyEdits, deleteAction, deleteState, renameName, type NameEditResult } from '../../src/ilmdp/nameEdits';
import { parseIlmdp, type IlmdpModel } from '../../src/ilmdp/parse';

const THREE = readFileSync(join(__dirname, '../../examples/three-states.ilmdp'), 'utf8');

function applied(source: string, result: NameEditResult): string {
  assert.ok(result.ok, result.ok ? '' : result.message);
  return applyEdits(source, result.edits);
}

function valid(source: string): IlmdpModel {
  const { model, diagnostics } = parseIlmdp(source);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  assert.ok(model);
  return model;
}

/** The text with comments removed, for counting a name's uses by an independent route (a word search). */
const uses = (source: string, name: string) => source.split('\n').map((l) => l.replace(/#.*$/, '')).join('\n').match(new RegExp(`(?<![\\w-])${name}(?![\\w-])`, 'g'))?.length ?? 0;

/** Everything the parser builds, with names mapped through `rename`, for comparing two models. */
function described(model: IlmdpModel, rename: (kind: 'state' | 'action', name: string) => string = (_, n) => n) {
  const { mdp } = model;
  const rows: number[][] = [];
  for (let s = 0; s < mdp.nS; s++) for (let a = 0; a < mdp.nA; a++) rows.push(Array.from(transitionRow(mdp, 0, s, a)));
  const experts = [...model.experts].map(([name, pi]) => [name, Array.from({ length: mdp.nS }, (_, s) => Array.from(actionDistribution(pi, 0, s)))]);
  const datasets = [...model.datasets].map(([name, d]) => [name, d]);
  return {
    states: mdp.stateNames!.map((n) => rename('state', n)),
    actions: mdp.actionNames!.map((n) => rename('action', n)),
    H: mdp.H,
    rho: Array.from(mdp.rho),
    reward: Array.from(mdp.reward),
    rows,
    experts,
    datasets,
  };
}

test('renaming a state changes every place it is named, one edit each, and the file parses to the same MDP under the new name', () => {
  // middle: the list, its transition row, start/go's next state, its own stay shorthand, two policy
  // tables and two inline trajectories: 8 uses, counted by a word search outside comments.
  assert.equal(uses(THREE, 'middle'), 8);
  const result = renameName(THREE, 'state', 'middle', 'centre');
  assert.ok(result.ok);
  assert.equal(result.edits.length, 8);
  const after = applyEdits(THREE, result.edits);
  assert.equal(uses(after, 'middle'), 0);
  assert.equal(uses(after, 'centre'), 8);
  assert.equal(after.replace(/centre/g, 'middle'), THREE, 'nothing else changed');
  assert.deepEqual(described(valid(after)), described(valid(THREE), (kind, n) => (kind === 'state' && n === 'middle' ? 'centre' : n)));
});

test('renaming start leaves the comment that mentions it; renaming an action reaches rows, policies, stochastic keys and trajectories', () => {
  const start = applied(THREE, renameName(THREE, 'state', 'start', 'begin'));
  assert.ok(start.startsWith('# A small hand-written MDP: walk from start to goal'), 'the comment is text, not a reference');
  assert.equal(uses(start, 'start'), 0);
  assert.deepEqual(described(valid(start)), described(valid(THREE), (kind, n) => (kind === 'state' && n === 'start' ? 'begin' : n)));
  assert.equal(uses(THREE, 'go'), 13);
  const go = applied(THREE, renameName(THREE, 'action', 'go', 'move'));
  assert.equal(uses(go, 'move'), 13);
  assert.equal(go.replace(/move/g, 'go'), THREE);
  assert.deepEqual(described(valid(go)), described(valid(THREE), (kind, n) => (kind === 'action' && n === 'go' ? 'move' : n)));
});

const BLOCK = `mdp:
  states:
    - a   # the first
    - b
  actions:
    - left
    - right
  horizon: 3
  initial:
    a: 0.5
    b: 0.5
  transitions:
    a:
      left: a
      right:
        b: 1
    b:
      left:
        a: 0.25
        b: 0.75
      right: b
  rewards:
    b:
      right: 1
experts:
  e:
    steps:
      - {a: right, b: right}
      - {a: right, b: left}
      - {a: left, b: right}
datasets:
  d:
    trajectories:
      - - [a, right]
        - [b, left]
`;

test('block style, per-step experts and nested trajectory lists: every reference renamed', () => {
  const b = applied(BLOCK, renameName(BLOCK, 'state', 'b', 'far'));
  assert.equal(uses(b, 'b'), 0);
  assert.equal(uses(b, 'far'), uses(BLOCK, 'b'));
  assert.ok(b.includes('    - far\n'), 'a block list item keeps its dash');
  assert.deepEqual(described(valid(b)), described(valid(BLOCK), (kind, n) => (kind === 'state' && n === 'b' ? 'far' : n)));
  const right = applied(BLOCK, renameName(BLOCK, 'action', 'right', 'east'));
  assert.equal(uses(right, 'east'), uses(BLOCK, 'right'));
  assert.deepEqual(described(valid(right)), described(valid(BLOCK), (kind, n) => (kind === 'action' && n === 'right' ? 'east' : n)));
});

test('a JSON file stays JSON: quoted names are written quoted', () => {
  const json = JSON.stringify({ mdp: { states: ['x', 'y'], actions: ['go'], horizon: 2, transitions: { x: { go: { y: 1 } }, y: { go: 'y' } }, rewards: { y: 1 } }, experts: { e: { policy: { x: 'go', y: 'go' } } } }, null, 2);
  const renamed = applied(json, renameName(json, 'state', 'y', 'end of line'));
  const parsed = JSON.parse(renamed) as { mdp: { states: string[]; transitions: Record<string, unknown> } };
  assert.deepEqual(parsed.mdp.states, ['x', 'end of line']);
  assert.deepEqual(parsed.mdp.transitions, { x: { go: { 'end of line': 1 } }, 'end of line': { go: 'end of line' } });
  const added = applied(json, addState(json, 'z'));
  assert.deepEqual((JSON.parse(added) as { mdp: { states: string[] } }).mdp.states, ['x', 'y', 'z']);
  valid(added);
});

test('a rename is refused with the reason when the name is taken, empty, or the states are a count or a generator', () => {
  const cases: [string, NameEditResult, RegExp][] = [
    [THREE, renameName(THREE, 'state', 'middle', 'goal'), /already a state named "goal"/],
    [THREE, renameName(THREE, 'action', 'go', ' go'), /may not be empty or start or end with a space/],
    [THREE, renameName(THREE, 'state', 'nowhere', 'x'), /no state named "nowhere"/],
    ['mdp: {states: 2, actions: [a], horizon: 1, transitions: {s0: {a: s1}, s1: {a: s1}}}\n', renameName('mdp: {states: 2, actions: [a], horizon: 1, transitions: {s0: {a: s1}, s1: {a: s1}}}\n', 'state', 's0', 'x'), /given as a count.*write them as a list/],
    ['', renameName('mdp:\n  generator: chain\n  states: 3\n  actions: 2\n  horizon: 4\n', 'state', 's0', 'x'), /generated MDP/],
  ];
  for (const [, result, message] of cases) {
    assert.ok(!result.ok);
    assert.match(result.message, message);
  }
});

test('adding a state writes an absorbing row in the style of the rows, and an entry in every policy table; the file stays valid', () => {
  const after = applied(THREE, addState(THREE, 'trap'));
  const model = valid(after);
  const { mdp } = model;
  assert.deepEqual(mdp.stateNames, ['start', 'middle', 'goal', 'trap']);
  for (let a = 0; a < mdp.nA; a++) assert.deepEqual(Array.from(transitionRow(mdp, 0, 3, a)), [0, 0, 0, 1], 'trap stays in trap');
  assert.equal(mdp.rho[3], 0);
  assert.ok(after.includes('    trap:\n      stay: trap\n      go: trap\n'), 'block rows like the others');
  assert.ok(after.includes('policy: {start: go, middle: go, goal: stay, trap: stay}'));
  assert.ok(after.includes('      trap: {stay: 1}\n'));
  // Everything else is the original: added then deleted, the text is back byte for byte.
  assert.equal(applied(after, deleteState(after, 'trap')), THREE);
  const flowSource = BLOCK.replace(/ {2}transitions:\n[\s\S]*? {2}rewards:/, '  transitions: {a: {left: a, right: b}, b: {left: a, right: b}}\n  rewards:');
  const flowRows = applied(flowSource, addState(flowSource, 'c'));
  assert.ok(flowRows.includes('  transitions: {a: {left: a, right: b}, b: {left: a, right: b}, c: {left: c, right: c}}\n'));
  assert.ok(flowRows.includes('    - b\n    - c\n'), 'a block list gets a dash line');
  assert.equal(valid(flowRows).experts.size, 1, 'per-step tables got the state too');
});

test('adding an action adds a move that stays put to every row; deleting it gives the original text back', () => {
  const after = applied(THREE, addAction(THREE, 'wait'));
  const { mdp } = valid(after);
  assert.deepEqual(mdp.actionNames, ['stay', 'go', 'wait']);
  for (let s = 0; s < mdp.nS; s++) {
    const row = Array.from(transitionRow(mdp, 0, s, 2));
    assert.deepEqual(row, row.map((_, t) => (t === s ? 1 : 0)));
  }
  assert.equal(applied(after, deleteAction(after, 'wait')), THREE);
  const crlf = THREE.replace(/\n/g, '\r\n');
  const crlfAfter = applied(crlf, addAction(crlf, 'wait'));
  assert.ok(!/[^\r]\n/.test(crlfAfter), 'CRLF stays CRLF');
  assert.deepEqual(valid(crlfAfter).mdp.actionNames, ['stay', 'go', 'wait']);
  assert.equal(applied(crlfAfter, deleteAction(crlfAfter, 'wait')), crlf);
});

test('deleting a state that is reached is refused with every row, ρ and trajectory that reaches it', () => {
  const goal = deleteState(THREE, 'goal');
  assert.ok(!goal.ok);
  assert.match(goal.message, /middle\/go leads there with probability 0\.8/);
  assert.match(goal.message, /dataset by-hand, trajectory 1 visits it at step 3/);
  const start = deleteState(THREE, 'start');
  assert.ok(!start.ok);
  assert.match(start.message, /start\/go|middle\/go leads there with probability 0\.2/);
  assert.match(start.message, /ρ starts there/);
  assert.ok(!deleteState('mdp: {states: [only], actions: [a], horizon: 1, transitions: {only: {a: only}}}\n', 'only').ok);
});

test('deleting an unreached state removes its rows, rewards, policy entries and the zero entries that point at it', () => {
  const source = THREE.replace('go: {middle: 0.9, start: 0.1}', 'go: {middle: 0.9, start: 0.1, trap: 0}')
    .replace('states: [start, middle, goal]', 'states: [start, middle, goal, trap]')
    .replace('  rewards:\n    goal: 1\n', '  rewards:\n    goal: 1\n    trap: 0.5\n')
    .replace('      go: goal\n', '      go: goal\n    trap: {stay: trap, go: {trap: 1}}\n')
    .replace('policy: {start: go, middle: go, goal: stay}', 'policy: {start: go, middle: go, goal: stay, trap: go}')
    .replace('      goal: {stay: 1}\n', '      goal: {stay: 1}\n      trap: {go: 1}\n');
  valid(source);
  const after = applied(source, deleteState(source, 'trap'));
  assert.equal(after, THREE);
});

test('deleting an action an expert or a trajectory uses is refused; an unused one goes with its rows and rewards', () => {
  const stay = deleteAction(THREE, 'stay');
  assert.ok(!stay.ok);
  assert.match(stay.message, /expert walker chooses it in goal/);
  assert.match(stay.message, /expert hesitant chooses it in start with probability 0\.3/);
  assert.match(stay.message, /dataset by-hand, trajectory 1 takes it at step 3/);
  const source = BLOCK.replace('{a: left, b: right}', '{a: right, b: right}').replace('{a: right, b: left}', '{a: right, b: right}').replace('[b, left]', '[b, right]');
  const after = applied(source, deleteAction(source, 'left'));
  assert.equal(after, source.replace('    - left\n', '').replace('      left: a\n', '').replace('      left:\n        a: 0.25\n        b: 0.75\n', ''));
  assert.deepEqual(valid(after).mdp.actionNames, ['right']);
});

test('a dataset file is not rewritten, and the note says so', () => {
  const source = `${THREE}  recorded:\n    file: external-dataset.csv\n`;
  const result = renameName(source, 'state', 'goal', 'end');
  assert.ok(result.ok);
  assert.match(result.note ?? '', /dataset files are not changed: rename state goal to end in external-dataset\.csv too/);
});
