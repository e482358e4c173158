import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planCells, type KeyedCell } from '../../src/notebook/cellKeys';

const code = (source: string, language = 'javascript'): KeyedCell => ({ kind: 'code', language, source });
const folder = mkdtempSync(join(tmpdir(), 'il-cell-keys-'));
const keys = async (cells: KeyedCell[], build = 'b1', keyInKernel?: (i: number, k: string) => string | undefined) =>
  (await planCells(cells, { folder, build, ...(keyInKernel ? { keyInKernel } : {}) })).map((p) => p?.key);

test('a key changes with the code, the language, the build and an upstream cell, and only there', async () => {
  const base = [{ kind: 'markdown', language: 'markdown', source: '# t' }, code('const n = 3'), code('const m = n * 2'), code('"apart"')];
  const [, a1, a2, a3] = await keys(base);
  assert.equal((await keys(base))[2], a2, 'deterministic');
  assert.equal((await keys(base))[0], undefined, 'markdown has no key');
  const edited = await keys([base[0], code('const n = 4'), base[2], base[3]]);
  assert.notEqual(edited[1], a1);
  assert.notEqual(edited[2], a2, 'the reader of an edited cell gets a new key');
  assert.equal(edited[3], a3, 'a cell reading nothing of it keeps its key');
  const rebuilt = await keys(base, 'b2');
  assert.ok(rebuilt.slice(1).every((k, i) => k !== [a1, a2, a3][i]), 'a new build: every key is new');
  assert.notEqual((await keys([base[0], base[1], base[2], code('"apart"', 'typescript')]))[3], a3);
});

test('the files a cell loads are in its key, with the dataset files an .ilmdp names', async () => {
  const ilmdp = 'mdp:\n  generator: chain\n  states: 3\n  actions: 2\n  horizon: 2\nexperts:\n  e:\n    builtin: true\ndatasets:\n  d:\n    file: d.csv\n';
  writeFileSync(join(folder, 'm.ilmdp'), ilmdp);
  writeFileSync(join(folder, 'd.csv'), 'episode,step,state,action\n0,0,c0,right\n');
  const cells = [code('const e = load("m.ilmdp")'), code('e.mdp.nS'), code('1')];
  const before = await keys(cells);
  writeFileSync(join(folder, 'd.csv'), 'episode,step,state,action\n0,0,c1,right\n');
  const after = await keys(cells);
  assert.notEqual(after[0], before[0]);
  assert.notEqual(after[1], before[1]);
  assert.equal(after[2], before[2]);
});

test('in the editor a reader is keyed by what its dependency was when it ran in the kernel, and has no key if it did not run there', async () => {
  const old = await keys([code('const n = 3'), code('const m = n * 2')]);
  // Cell 1 edited but not run again: the kernel still holds what the old cell 1 made.
  const stillOld = await keys([code('const n = 4'), code('const m = n * 2')], 'b1', (i) => (i === 0 ? old[0] : undefined));
  assert.equal(stillOld[1], old[1]);
  const plans = await planCells([code('const n = 3'), code('const m = n * 2')], { folder, build: 'b1', keyInKernel: () => undefined });
  assert.equal(plans[1]?.key, undefined);
  assert.equal(plans[1]?.why, 'it depends on cell 1, which has not run in this kernel');
});

test('a cell whose result its code does not tell has no key, nor have its readers; a cell holding names written unknown ways is not restorable', async () => {
  const plans = await planCells([code('const t = Date.now()'), code('const u = t + 1'), code('globalThis[k] = 1'), code('const v = 2')], { folder, build: 'b1' });
  assert.equal(plans[0]?.key, undefined);
  assert.match(plans[0]?.why ?? '', /clock/);
  assert.equal(plans[1]?.why, 'it depends on cell 1, which always runs');
  assert.ok(plans[2]?.key && plans[2].notRestorable);
  assert.ok(plans[3]?.key, 'a later cell still has a key: the unknown writer reruns and gives what it gave');
});
