import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFiles } from '../../src/cli/check';

const examples = join(__dirname, '../../examples');

test('check passes the examples and fails a broken file with file:line:col lines', () => {
  const out: string[] = [];
  assert.equal(checkFiles([join(examples, 'three-states.ilmdp'), join(examples, 'external-dataset.ilmdp')], (l) => out.push(l)), 0);
  assert.equal(out.at(-1), '2 file(s) checked: 0 error(s), 0 warning(s)');
  const dir = mkdtempSync(join(tmpdir(), 'il-check-'));
  const broken = join(dir, 'broken.ilmdp');
  writeFileSync(broken, 'mdp:\n  states: [a, b]\n  actions: [x]\n  horizon: 2\n  transitions:\n    a: {x: {a: 0.5}}\n    b: {x: b}\ndatasets:\n  d: {file: missing.csv}\n');
  const lines: string[] = [];
  assert.equal(checkFiles([broken], (l) => lines.push(l)), 1);
  assert.equal(lines[0], `${broken}:6:12: error: transition row of a/x sums to 0.5; probabilities must sum to 1`);
  // An argument that is no file is a bad command line rather than a bad file: exit 2.
  const withMissing: string[] = [];
  assert.equal(checkFiles([broken, join(dir, 'nope.ilmdp')], (l) => withMissing.push(l)), 2);
  assert.ok(withMissing.includes(`${join(dir, 'nope.ilmdp')}:1:1: error: file not found`));
});
