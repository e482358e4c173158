import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDatasetFile } from '../../src/ilmdp/datasetFile';
import { parseIlmdp } from '../../src/ilmdp/parse';

const examples = join(__dirname, '../../examples');
const { model } = parseIlmdp(readFileSync(join(examples, 'external-dataset.ilmdp'), 'utf8'));
const mdp = model!.mdp;

test('the example CSV loads into a dataset of 3 episodes of H steps', () => {
  const { dataset, diagnostics } = parseDatasetFile(readFileSync(join(examples, 'external-dataset.csv'), 'utf8'), 'csv', mdp);
  assert.deepEqual(diagnostics, []);
  assert.equal(dataset!.N, 3);
  assert.equal(dataset!.states[0], 0);
  assert.ok(dataset!.actions.every((a) => a === 0));
});

test('bad rows are reported with their row numbers, in file order; the good rows still load', () => {
  const csv = 'episode,step,state,action\n0,0,c0,right\n0,1,c9,right\n0,2,c1\n0,x,c1,right\n1,0,c0,lft\n';
  const { dataset, diagnostics } = parseDatasetFile(csv, 'csv', mdp, 'd.csv');
  assert.deepEqual(
    diagnostics.map((d) => [d.start.line, d.message]),
    [
      [3, 'd.csv row 3: unknown state "c9"'],
      [4, 'd.csv row 4: expected 4 columns, found 3'],
      [5, 'd.csv row 5: step "x" must be an integer in 0…7'],
      [6, 'd.csv row 6: unknown action "lft"'],
    ],
  );
  assert.equal(dataset!.N, 1);
  const jsonl = '{"episode":0,"step":0,"state":"c0","action":"right"}\nnot json\n';
  const j = parseDatasetFile(jsonl, 'jsonl', mdp, 'd.jsonl');
  assert.equal(j.diagnostics[0].message, 'd.jsonl row 2: not a JSON object with episode, step, state, action');
  assert.equal(j.dataset!.N, 1);
  assert.match(parseDatasetFile('a,b\n', 'csv', mdp).diagnostics[0].message, /missing episode, step, state, action/);
});
