import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { CellSyntaxError, transformCell } from '../../src/notebook/kernel/cellTransform';

/** Runs transformed cells one after another in one fresh realm, as the kernel does. */
function realm() {
  const context: Record<string, unknown> = {};
  return async (source: string, language: 'javascript' | 'typescript' = 'javascript') => {
    const cell = transformCell(source, language);
    return (await runInNewContext(cell.code, context)) as unknown;
  };
}

test('top-level declarations persist across cells and can be declared again', async () => {
  const run = realm();
  assert.equal(await run('const x = 2;\nlet y, z = 3;\nvar w = 4'), undefined);
  assert.equal(await run('x + z + w'), 9);
  assert.equal(await run('y'), undefined);
  assert.equal(await run('const x = 10; x'), 10);
  assert.equal(await run('const { a, b: [c] } = { a: 1, b: [2] }\na + c'), 3);
});

test('functions are hoisted within their cell and visible to later cells; classes persist', async () => {
  const run = realm();
  assert.equal(await run('const v = twice(4)\nfunction twice(n) { return 2 * n }\nclass Box { constructor(x) { this.x = x } }\nv'), 8);
  assert.equal(await run('twice(new Box(5).x)'), 10);
});

test('top-level await works and the last expression is the value', async () => {
  const run = realm();
  assert.equal(await run('const p = await Promise.resolve(41)\np + 1'), 42);
  assert.equal(await run('"use strict"'), undefined);
});

test('TypeScript keeps its line numbers', async () => {
  const ts = 'interface P { x: number }\nconst p: P = { x: 1 }\nfunction f<T>(t: T): T {\n  return t\n}\nf<number>(p.x) + 1';
  const cell = transformCell(ts, 'typescript');
  assert.equal(cell.lines, 6);
  assert.equal(await realm()(ts, 'typescript'), 2);
});

test('columns map back through the edits', () => {
  const cell = transformCell('let a = 1\nfoo(a)', 'javascript');
  const [, second] = cell.code.split('\n');
  // `return (` was inserted before foo: transformed column of `foo` maps to column 1
  assert.equal(cell.originalColumn(2, second.indexOf('foo') + 1), 1);
  assert.equal(cell.originalColumn(2, second.indexOf('(a)') + 1), 4);
});

test('syntax errors name the cell line and column; import is explained', () => {
  assert.throws(
    () => transformCell('const a = 1\nconst b = (', 'javascript'),
    (e: unknown) => e instanceof CellSyntaxError && e.line === 2 && e.column >= 11,
  );
  assert.throws(() => transformCell("import x from 'y'", 'javascript'), /cannot use import\/export/);
  assert.throws(() => transformCell('const a: = 1', 'typescript'), (e: unknown) => e instanceof CellSyntaxError && e.line === 1);
});
