import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultsCache } from '../../src/notebook/resultsCache';

const key = (c: string) => c.repeat(64);
const entry = (text: string) => ({ outputs: [{ items: [{ mime: 'text/plain', data: text }] }], values: `{"v":"${text}"}` });
const fresh = () => mkdtempSync(join(tmpdir(), 'il-results-cache-'));

test('an entry reads back as it was written, multi-line text included; a key it was not written under misses', async () => {
  const cache = new ResultsCache(join(fresh(), 'made-on-first-put'));
  assert.equal(await cache.get(key('a')), undefined);
  const value = { outputs: [{ items: [{ mime: 'application/vnd.code.notebook.stdout', data: 'line 1\nline 2\n' }] }], values: '{"a":\n1}' };
  assert.deepEqual(await cache.put(key('a'), value), { stored: true });
  assert.deepEqual(await cache.get(key('a')), value);
  // The same bytes under another key's name (a file copied by hand) are not that key's entry.
  const dir = cache.dir;
  writeFileSync(join(dir, `${key('b')}.ilc`), (await import('node:fs')).readFileSync(join(dir, `${key('a')}.ilc`)));
  assert.equal(await cache.get(key('b')), undefined);
  await assert.rejects(cache.get('../escape'), /not a cache key/);
});

test('past the size limit the entries used longest ago go first; a hit counts as a use', async () => {
  const dir = fresh();
  const probe = new ResultsCache(dir);
  await probe.put(key('0'), entry('x'.repeat(100)));
  const size = (await probe.stats()).bytes;
  await probe.clear();
  // Room for three entries of this size, not four.
  const cache = new ResultsCache(dir, size * 3 + size / 2);
  const at = (k: string, seconds: number) => utimesSync(join(dir, `${key(k)}.ilc`), seconds, seconds);
  for (const [i, k] of ['a', 'b', 'c'].entries()) {
    await cache.put(key(k), entry(k.repeat(100)));
    at(k, 1000 + i);
  }
  assert.ok(await cache.get(key('a')), 'a is used again: now the most recent');
  await cache.put(key('d'), entry('d'.repeat(100)));
  assert.deepEqual(readdirSync(dir).sort(), [key('a'), key('c'), key('d')].map((k) => `${k}.ilc`));
  assert.equal((await cache.stats()).entries, 3);
});

test('an entry larger than the whole limit is not kept, and the reason says so; clear() empties the folder of entries only', async () => {
  const dir = fresh();
  const cache = new ResultsCache(dir, 200);
  const big = await cache.put(key('e'), entry('e'.repeat(500)));
  assert.equal(big.stored, false);
  assert.match(big.stored ? '' : big.reason, /more than the cache's limit of 200/);
  writeFileSync(join(dir, 'notes.txt'), 'mine');
  await cache.put(key('f'), entry('f'));
  await cache.clear();
  assert.deepEqual(readdirSync(dir), ['notes.txt']);
});
