import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEdit, setScalar } from '../../src/ilmdp/edits';
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
