/**
 * What a dataset file's rows may and may not say (docs/ilmdp.md, Datasets): each (episode, step) once,
 * episodes that end early but skip no step, and every problem at its row and the column of its field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_DATASET_PAIRS, parseDatasetFile } from '../../src/ilmdp/datasetFile';
import { parseIlmdp } from '../../src/ilmdp/parse';

const { model } = parseIlmdp(readFileSync(join(__dirname, '../../examples/external-dataset.ilmdp'), 'utf8'));
// The chain of the example: states c0…c4, actions right and left1, H = 8.
const mdp = model!.mdp;
const H = mdp.H;
const where = (d: { start: { line: number; column: number }; end: { line: number; column: number } }) => [d.start.line, d.start.column, d.end.column];

test('two rows for one (episode, step) are an error naming both rows; the first one is kept', () => {
  const csv = 'episode,step,state,action\n0,0,c0,right\n0,1,c1,right\n0,1,c3,left1\n0,2,c2,right\n';
  const { dataset, diagnostics } = parseDatasetFile(csv, 'csv', mdp, 'd.csv');
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0].message, 'd.csv row 4: episode 0 step 1 is also on row 3; each (episode, step) may appear once, so this row is left out');
  assert.equal(diagnostics[0].start.line, 4);
  assert.equal(dataset!.states[1], 1, 'c1 from row 3, not c3 from row 4');
  assert.equal(dataset!.actions[1], 0);
  // The same in JSON Lines, where "007" and 7 are different episodes but 7 and 7 are one.
  const jsonl = ['{"episode":7,"step":0,"state":"c0","action":"right"}', '{"episode":"007","step":0,"state":"c1","action":"right"}', '{"episode":7,"step":0,"state":"c2","action":"right"}'].join('\n');
  const j = parseDatasetFile(jsonl, 'jsonl', mdp, 'd.jsonl');
  assert.deepEqual(
    j.diagnostics.map((d) => d.message),
    ['d.jsonl row 3: episode 7 step 0 is also on row 1; each (episode, step) may appear once, so this row is left out'],
  );
  assert.equal(j.dataset!.N, 2);
});

test('a step missing in the middle of an episode is an error at the episode\'s first row; an episode that ends early is not', () => {
  const csv = [
    'episode,step,state,action',
    'a,0,c0,right', // episode a: steps 0, 1 only — ends early, fine
    'a,1,c1,right',
    'b,0,c0,right', // episode b: steps 0, 1, 3 — step 2 is missing
    'b,1,c1,right',
    'b,3,c3,right',
    'c,1,c1,right', // episode c: starts at step 1 — step 0 is missing
  ].join('\n');
  const { dataset, diagnostics } = parseDatasetFile(csv, 'csv', mdp, 'd.csv');
  assert.deepEqual(
    diagnostics.map((d) => [d.start.line, d.message]),
    [
      [4, 'd.csv row 4: episode b has no row for step 2 but has rows up to step 3; an episode may end early (the rest is unobserved) but may not skip a step'],
      [7, 'd.csv row 7: episode c has no row for step 0 but has rows up to step 1; an episode may end early (the rest is unobserved) but may not skip a step'],
    ],
  );
  // Episode a's unobserved steps are −1 (the core's "no observation").
  assert.deepEqual(Array.from(dataset!.states.subarray(0, H)), [0, 1, -1, -1, -1, -1, -1, -1]);
});

test('a gap left by a bad row is reported once, as that row', () => {
  const csv = 'episode,step,state,action\n0,0,c0,right\n0,1,c9,right\n0,2,c2,right\n';
  const { diagnostics } = parseDatasetFile(csv, 'csv', mdp, 'd.csv');
  assert.deepEqual(
    diagnostics.map((d) => d.message),
    ['d.csv row 3: unknown state "c9"'],
  );
});

test('CSV errors point at the column of the field at fault (character column in the line)', () => {
  // Columns in another order than usual, with spaces: the positions must follow the header.
  const csv = ['action,state,step,episode', 'right,c0,0,0', 'right, c9 ,1,0', 'lft,c2,2,0', 'right,c3,x,0', 'right,c4', 'right,c4,4,'].join('\n');
  const { diagnostics } = parseDatasetFile(csv, 'csv', mdp, 'd.csv');
  assert.deepEqual(
    diagnostics.map((d) => [...where(d), d.message]),
    [
      [3, 7, 11, 'd.csv row 3: unknown state " c9 "'], // ' c9 ' spans columns 7…10
      [4, 1, 4, 'd.csv row 4: unknown action "lft"'],
      [5, 10, 11, 'd.csv row 5: step "x" must be an integer in 0…7'],
      [6, 9, 9, 'd.csv row 6: expected 4 columns, found 2'], // at the end of the short line
      [7, 12, 12, 'd.csv row 7: episode "" must be an integer or a name'],
    ],
  );
});

test('JSON Lines errors point at the value of the field at fault, or where the JSON stops being valid', () => {
  const jsonl = [
    '{"episode":0,"step":0,"state":"c0","action":"right"}',
    '{"episode":0, "step": 1, "state": "c9", "action":"right"}',
    '{"episode":0,"step":2,"state":"c2","action":"lft"}',
    '{"episode":0,"step":"3","state":"c3","action":"right"}',
    '{"episode":0,"step":4,"state":"c4",}',
    '[1, 2]',
  ].join('\n');
  const { diagnostics } = parseDatasetFile(jsonl, 'jsonl', mdp, 'd.jsonl');
  const lines = jsonl.split('\n');
  assert.deepEqual(
    diagnostics.map((d) => [d.start.line, d.message]),
    [
      [2, 'd.jsonl row 2: unknown state "c9"'],
      [3, 'd.jsonl row 3: unknown action "lft"'],
      [4, 'd.jsonl row 4: step "3" must be an integer in 0…7'],
      [5, 'd.jsonl row 5: not a JSON object with episode, step, state, action'],
      [6, 'd.jsonl row 6: not a JSON object with episode, step, state, action'],
    ],
  );
  // The columns, found independently: where the value is written in each line.
  const at = (line: number, value: string) => lines[line - 1].indexOf(value) + 1;
  assert.deepEqual(where(diagnostics[0]), [2, at(2, '"c9"'), at(2, '"c9"') + 4]);
  assert.deepEqual(where(diagnostics[1]), [3, at(3, '"lft"'), at(3, '"lft"') + 5]);
  assert.deepEqual(where(diagnostics[2]), [4, at(4, '"3"'), at(4, '"3"') + 3]);
  // V8 says where the parse stopped: at the "}" after the trailing comma (or column 1 if it does not say).
  assert.ok([1, at(5, ',}') + 1].includes(diagnostics[3].start.column), `column ${diagnostics[3].start.column}`);
});

test('episode ids past 2^53 stay text: two different ids are two episodes, not one rounded number', () => {
  const csv = 'episode,step,state,action\n9007199254740993,0,c0,right\n9007199254740992,0,c1,right\n';
  const { dataset, diagnostics } = parseDatasetFile(csv, 'csv', mdp);
  assert.deepEqual(diagnostics, []);
  assert.equal(dataset!.N, 2);
});

test('a file whose episodes × H would exceed the cell limit is refused with the limit, not allocated', () => {
  const tallMdp = { ...mdp, H: 1_000_000 };
  const episodes = Math.floor(MAX_DATASET_PAIRS / tallMdp.H) + 1;
  const rows = Array.from({ length: episodes }, (_, e) => `${e},0,c0,right`);
  const { dataset, diagnostics } = parseDatasetFile(`episode,step,state,action\n${rows.join('\n')}\n`, 'csv', tallMdp, 'd.csv');
  assert.equal(dataset, undefined);
  assert.equal(diagnostics.length, 1);
  assert.match(diagnostics[0].message, new RegExp(`${episodes} episodes of H = 1000000 steps .* more than the ${MAX_DATASET_PAIRS}`));
});
