import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addEntry, applyEdit, setScalar, setTransitionProbability, uniqueName } from '../../src/ilmdp/edits';
import { parseIlmdp } from '../../src/ilmdp/parse';
import { transitionRow } from '../../src/core/mdp';

const text = readFileSync(join(__dirname, '../../examples/three-states.ilmdp'), 'utf8');

function edited(path: string[], value: number | string): string {
  const r = setScalar(text, path, value);
  assert.ok(r.ok, r.ok ? '' : r.message);
  return applyEdit(text, r.edit);
}

test('changing one probability changes only that scalar in the text', () => {
  const out = edited(['mdp', 'transitions', 'start', 'go', 'middle'], 0.85);
  const before = text.split('\n');
  const after = out.split('\n');
  assert.equal(after.length, before.length);
  const changed = before.map((l, i) => [l, after[i]]).filter(([a, b]) => a !== b);
  assert.deepEqual(changed, [['      go: {middle: 0.9, start: 0.1}', '      go: {middle: 0.85, start: 0.1}']]);
  assert.ok(out.startsWith('# A small hand-written MDP'), 'comments survive');
});

test('adding an entry to a flow map or a block map keeps the rest byte-identical', () => {
  const flow = edited(['experts', 'hesitant', 'stochastic', 'goal', 'go'], 0);
  assert.match(flow, /goal: \{stay: 1, go: 0\}/);
  assert.equal(flow.replace(', go: 0}', '}'), text);
  const block = edited(['mdp', 'rewards', 'middle'], 0.5);
  assert.equal(block.replace('\n    middle: 0.5', ''), text);
  const model = parseIlmdp(block).model!;
  assert.equal(model.mdp.reward[1 * 2 + 0], 0.5);
});

test('the edited text parses to the edited model', () => {
  const first = edited(['mdp', 'transitions', 'start', 'go', 'middle'], 0.6);
  const r = setScalar(first, ['mdp', 'transitions', 'start', 'go', 'start'], 0.4);
  assert.ok(r.ok);
  const { model, diagnostics } = parseIlmdp(applyEdit(first, r.edit));
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(Array.from(transitionRow(model!.mdp, 0, 0, 1)), [0.4, 0.6, 0]);
});

test('edits that cannot be expressed as one scalar are refused with a reason, text untouched', () => {
  assert.equal(setScalar(text, ['mdp', 'nothing', 'x'], 1).ok, false);
  assert.equal(setScalar(text, ['mdp', 'states', 'x'], 1).ok, false);
  assert.equal(setScalar('mdp: [unclosed', ['mdp', 'x'], 1).ok, false);
});

test('editing a reward, ρ(s) or an expert entry changes that one scalar; everything else is byte-identical', () => {
  const withRho = text.replace('initial: {start: 1}', 'initial: {start: 0.5, middle: 0.5}  # half and half');
  const cases: [string, string[], number | string, string, string][] = [
    // [text, path, value, old scalar, new scalar]
    [text, ['mdp', 'rewards', 'goal'], 0.75, '1', '0.75'],
    [withRho, ['mdp', 'initial', 'middle'], 0.25, '0.5', '0.25'],
    [text, ['experts', 'walker', 'policy', 'middle'], 'stay', 'go', 'stay'],
    [text, ['experts', 'hesitant', 'stochastic', 'start', 'go'], 0.6, '0.7', '0.6'],
  ];
  for (const [before, path, value, removed, inserted] of cases) {
    const r = setScalar(before, path, value);
    assert.ok(r.ok, path.join('.'));
    // The edit replaces exactly the old scalar's characters; the text around it is the same bytes.
    const { offset, length, newText } = r.edit;
    assert.equal(before.slice(offset, offset + length), removed, path.join('.'));
    assert.equal(newText, inserted, path.join('.'));
    const after = applyEdit(before, r.edit);
    assert.equal(after.slice(0, offset), before.slice(0, offset));
    assert.equal(after.slice(offset + inserted.length), before.slice(offset + length));
  }
  const apply = (before: string, path: string[], value: number | string) => {
    const r = setScalar(before, path, value);
    assert.ok(r.ok);
    return applyEdit(before, r.edit);
  };
  assert.ok(apply(withRho, ['mdp', 'initial', 'middle'], 0.25).includes('# half and half'), 'the comment stays');
  // The edited texts mean what was edited.
  const reward = parseIlmdp(apply(text, ['mdp', 'rewards', 'goal'], 0.75)).model!;
  assert.deepEqual(Array.from(reward.mdp.reward), [0, 0, 0, 0, 0.75, 0.75]);
  const walker = parseIlmdp(apply(text, ['experts', 'walker', 'policy', 'middle'], 'stay')).model!.experts.get('walker')!;
  assert.deepEqual(walker.kind === 'deterministic' ? Array.from(walker.action) : [], [1, 0, 0]);
});

test('a new dataset entry is added in the style of the datasets map; the rest of the text is untouched', () => {
  const fields = { from: 'walker', trajectories: 500, seed: 3 };
  const r = addEntry(text, 'datasets', 'walker-n500', fields);
  assert.ok(r.ok);
  const block = applyEdit(text, r.edit);
  assert.ok(block.startsWith(text.trimEnd()), 'existing text unchanged');
  assert.equal(block.slice(text.trimEnd().length), '\n  walker-n500:\n    from: walker\n    trajectories: 500\n    seed: 3\n');
  const parsed = parseIlmdp(block).model!.datasets.get('walker-n500');
  assert.deepEqual(parsed, { kind: 'generated', from: 'walker', trajectories: 500, seed: 3 });

  const flowText = 'mdp: {generator: chain, states: 3, actions: 2, horizon: 4}\ndatasets: {a: {from: expert, trajectories: 2, seed: 1}}  # keep\n';
  const flow = addEntry(flowText, 'datasets', 'b', { file: 'runs/b.csv' });
  assert.ok(flow.ok);
  assert.equal(applyEdit(flowText, flow.edit), flowText.replace('seed: 1}}', 'seed: 1}, b: {file: runs/b.csv}}'));

  const none = 'mdp:\n    generator: chain\n    states: 3\n    actions: 2\n    horizon: 4\n# end';
  const created = addEntry(none, 'datasets', 'd', { from: 'expert', trajectories: 5, seed: 'abc' });
  assert.ok(created.ok);
  // A missing section is created at the end, indented like the rest of the file (4 spaces here).
  assert.equal(applyEdit(none, created.edit), `${none}\ndatasets:\n    d:\n        from: expert\n        trajectories: 5\n        seed: abc\n`);
  assert.equal(parseIlmdp(applyEdit(none, created.edit)).model!.datasets.get('d')!.kind, 'generated');

  const empty = 'mdp: {generator: chain, states: 3, actions: 2, horizon: 4}\ndatasets:\nexperts: {}\n';
  const filled = addEntry(empty, 'datasets', 'd', { from: 'expert', trajectories: 5, seed: 1 });
  assert.ok(filled.ok);
  assert.equal(applyEdit(empty, filled.edit), 'mdp: {generator: chain, states: 3, actions: 2, horizon: 4}\ndatasets:\n  d:\n    from: expert\n    trajectories: 5\n    seed: 1\nexperts: {}\n');
  assert.equal(addEntry(text, 'datasets', 'demo', fields).ok, false, 'an existing name is refused');
  assert.equal(uniqueName('demo', ['demo', 'demo-2']), 'demo-3');
});

test('a shorthand row is edited as the map it stands for, in place of its name only', () => {
  const set = (source: string, state: string, action: string, next: string, p: number) => {
    const r = setTransitionProbability(source, state, action, next, p);
    assert.ok(r.ok, r.ok ? '' : r.message);
    return applyEdit(source, r.edit);
  };
  // The sure move's own probability: `stay: start` → `stay: {start: 0.7}`, one line of the file.
  const lowered = set(text, 'start', 'stay', 'start', 0.7);
  assert.equal(lowered, text.replace('      stay: start\n', '      stay: {start: 0.7}\n'));
  // A new next state beside it: the name becomes {name: 1, next: p}; then the first entry lowered.
  const added = set(text, 'start', 'stay', 'middle', 0.3);
  assert.equal(added, text.replace('      stay: start\n', '      stay: {start: 1, middle: 0.3}\n'));
  const fixed = set(added, 'start', 'stay', 'start', 0.7);
  assert.equal(fixed, text.replace('      stay: start\n', '      stay: {start: 0.7, middle: 0.3}\n'));
  const { model, diagnostics } = parseIlmdp(fixed);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(Array.from(transitionRow(model!.mdp, 0, 0, 0)), [0.7, 0.3, 0]);
  // Until then the row sums to 1.3, and the parser says where.
  const over = parseIlmdp(added).diagnostics.find((d) => d.severity === 'error');
  assert.equal(over?.path, 'mdp.transitions.start.stay');
  // A plain row goes through setScalar: a new entry in a flow map.
  assert.equal(set(text, 'start', 'go', 'goal', 0), text.replace('go: {middle: 0.9, start: 0.1}', 'go: {middle: 0.9, start: 0.1, goal: 0}'));
});

test('a quoted shorthand keeps its quotes (a JSON file stays JSON)', () => {
  const json = JSON.stringify({ mdp: { states: ['a', 'b'], actions: ['x'], horizon: 2, initial: { a: 1 }, transitions: { a: { x: 'b' }, b: { x: 'b' } } } }, null, 2);
  const r = setTransitionProbability(json, 'a', 'x', 'a', 0.5);
  assert.ok(r.ok);
  const out = applyEdit(json, r.edit);
  assert.deepEqual(JSON.parse(out).mdp.transitions.a.x, { b: 1, a: 0.5 });
  assert.equal(out.replace('{"b": 1, "a": 0.5}', '"b"'), json, 'nothing else changed');
});
