import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache, MAX_SCROLL_PX, pageSizeFor, pagesFor, scrollHeight, virtualOffset, visibleRange } from '../../webview/mdpEditor/virtualWindow';

test('only the rows in view (plus overscan) are drawn, however many trajectories there are', () => {
  // 10^5 rows of 22 px, a 330 px viewport scrolled to row 50 000: rows 50 000 … 50 015 are visible.
  assert.deepEqual(visibleRange(50_000 * 22, 330, 22, 100_000), { start: 50_000, end: 50_015 });
  assert.deepEqual(visibleRange(50_000 * 22 + 11, 330, 22, 100_000, 4), { start: 49_996, end: 50_020 });
  assert.deepEqual(visibleRange(0, 330, 22, 3), { start: 0, end: 3 });
  assert.deepEqual(visibleRange(1e9, 330, 22, 10), { start: 10, end: 10 });
  assert.deepEqual(visibleRange(-50, 330, 22, 0), { start: 0, end: 0 });
});

test('the pages asked for cover exactly the visible rows', () => {
  assert.deepEqual(pagesFor({ start: 95, end: 205 }, 100), [0, 1, 2]);
  assert.deepEqual(pagesFor({ start: 100, end: 200 }, 100), [1]);
  assert.deepEqual(pagesFor({ start: 5, end: 5 }, 100), []);
  // 100 trajectories per page, fewer when H is long: a page never holds more than 40 000 steps.
  assert.equal(pageSizeFor(16), 100);
  assert.equal(pageSizeFor(1000), 40);
  assert.equal(pageSizeFor(100_000), 1);
});

test('very long tables scroll on a compressed scale that stays under the browser limit', () => {
  assert.equal(scrollHeight(100_000, 22), 2_200_000);
  assert.equal(virtualOffset(12_345, 330, 100_000, 22), 12_345, 'tables that fit scroll one to one');
  assert.equal(scrollHeight(10_000_000, 22), MAX_SCROLL_PX);
  // Scrolled to the end, the last rows are in view; halfway, the middle rows.
  const end = visibleRange(virtualOffset(MAX_SCROLL_PX - 330, 330, 10_000_000, 22), 330, 22, 10_000_000);
  assert.equal(end.end, 10_000_000);
  assert.equal(end.start, 10_000_000 - 15);
  const middle = visibleRange(virtualOffset((MAX_SCROLL_PX - 330) / 2, 330, 10_000_000, 22), 330, 22, 10_000_000);
  assert.ok(Math.abs(middle.start - (10_000_000 - 15) / 2) <= 1, String(middle.start));
});

test('the page cache keeps the most recently used pages only', () => {
  const cache = new LruCache<number, string>(2);
  cache.set(1, 'a');
  cache.set(2, 'b');
  assert.equal(cache.get(1), 'a');
  cache.set(3, 'c');
  assert.equal(cache.get(2), undefined);
  assert.equal(cache.get(1), 'a');
  assert.equal(cache.size, 2);
});
