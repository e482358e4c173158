import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { parseGridMap } from '../../src/core/envs/gridMap';
import { applyEdit } from '../../src/ilmdp/edits';
import { paintMap, resizeMap } from '../../src/ilmdp/mapEdits';

const FILE = `# A 4×5 gridworld
mdp:
  generator: gridworld
  horizon: 12
  map: |   # drawn by hand
    S...#
    .##.#
    ....G
    #...#
  slip: 0.1
experts:
  expert: {builtin: true}
`;

const mapOf = (text: string) => parseGridMap(String(parseDocument(text).getIn(['mdp', 'map'])));

function changedCharacters(a: string, b: string): number {
  assert.equal(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

test('painting one cell changes exactly its character in the map block', () => {
  const result = paintMap(FILE, [{ row: 1, col: 0, kind: 'wall' }]);
  assert.ok(result.ok);
  assert.equal(result.edit.length, 1);
  const after = applyEdit(FILE, result.edit);
  assert.equal(changedCharacters(FILE, after), 1);
  assert.equal(mapOf(after).kinds[1 * 5 + 0], 'wall');
  assert.equal(after.split('\n')[6], '    ###.#');
  // The comment after `|` and everything else is as it was.
  assert.equal(after.replace('    ###.#', '    .##.#'), FILE);
});

test('a stroke over several rows is one edit; only the painted characters differ, and painting what is there changes nothing', () => {
  const stroke = [
    { row: 0, col: 1, kind: 'cliff' as const },
    { row: 0, col: 2, kind: 'cliff' as const },
    { row: 2, col: 1, kind: 'cliff' as const },
    { row: 3, col: 1, kind: 'free' as const }, // already free
  ];
  const result = paintMap(FILE, stroke);
  assert.ok(result.ok);
  const after = applyEdit(FILE, result.edit);
  assert.equal(changedCharacters(FILE, after), 3);
  const kinds = mapOf(after).kinds;
  assert.deepEqual([kinds[1], kinds[2], kinds[11], kinds[16]], ['cliff', 'cliff', 'cliff', 'free']);
  const noop = paintMap(FILE, [{ row: 0, col: 0, kind: 'start' }]);
  assert.ok(noop.ok);
  assert.equal(applyEdit(FILE, noop.edit), FILE);
});

test('painting past the end of a short row writes walls up to the painted cell; rows that do not exist are refused', () => {
  const short = 'mdp:\n  generator: gridworld\n  map: |\n    S.G\n    .\n  horizon: 3\n';
  const result = paintMap(short, [{ row: 1, col: 3, kind: 'goal' }]);
  assert.ok(result.ok);
  const after = applyEdit(short, result.edit);
  assert.equal(after, 'mdp:\n  generator: gridworld\n  map: |\n    S.G\n    .##G\n  horizon: 3\n');
  const wall = paintMap(short, [{ row: 1, col: 2, kind: 'wall' }]);
  assert.ok(wall.ok);
  assert.equal(applyEdit(short, wall.edit), short, 'past the end is a wall already');
  const missing = paintMap(short, [{ row: 5, col: 0, kind: 'free' }]);
  assert.ok(!missing.ok);
  assert.match(missing.message, /2 rows; add rows before painting row 6/);
});

test('CRLF files keep their line breaks; a map written on one line or as a list is refused with the way out', () => {
  const crlf = FILE.replace(/\n/g, '\r\n');
  const result = paintMap(crlf, [{ row: 2, col: 4, kind: 'free' }]);
  assert.ok(result.ok);
  const after = applyEdit(crlf, result.edit);
  assert.equal(changedCharacters(crlf, after), 1);
  assert.equal(mapOf(after).kinds[2 * 5 + 4], 'free');
  for (const map of ['"S.G"', '["S.G", "..."]']) {
    const flow = paintMap(`mdp:\n  generator: gridworld\n  map: ${map}\n  horizon: 3\n`, [{ row: 0, col: 1, kind: 'wall' }]);
    assert.ok(!flow.ok);
    assert.match(flow.message, /write it as a block \(map: \|/);
  }
});

test('resizing adds walls at the bottom and the right, or removes rows and columns there, and nothing outside the block changes', () => {
  const grown = resizeMap(FILE, 5, 7);
  assert.ok(grown.ok);
  const big = applyEdit(FILE, grown.edit);
  const g = mapOf(big);
  assert.equal(g.rows, 5);
  assert.equal(g.cols, 7);
  assert.equal(big.split('\n').slice(5, 10).join('\n'), '    S...###\n    .##.###\n    ....G##\n    #...###\n    #######');
  assert.ok(big.endsWith('  slip: 0.1\nexperts:\n  expert: {builtin: true}\n'));
  const shrunk = resizeMap(FILE, 3, 4);
  assert.ok(shrunk.ok);
  const small = applyEdit(FILE, shrunk.edit);
  assert.equal(small, FILE.replace('    S...#\n    .##.#\n    ....G\n    #...#\n', '    S...\n    .##.\n    ....\n'));
  assert.ok(!resizeMap(FILE, 0, 3).ok);
  assert.ok(!resizeMap(FILE, 3, 201).ok);
});
