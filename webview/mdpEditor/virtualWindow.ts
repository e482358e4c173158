/**
 * Windowing arithmetic for the virtualised trajectory table: which rows and columns are on screen, and
 * which pages of trajectories to ask the host for. Pure, so it is unit-tested without a DOM.
 */

/** Half-open range [start, end) of the items (fixed size) visible in a viewport, plus `overscan` either side. */
export function visibleRange(scroll: number, viewport: number, itemSize: number, count: number, overscan = 0): { start: number; end: number } {
  if (count <= 0 || itemSize <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scroll) / itemSize);
  const last = Math.ceil((Math.max(0, scroll) + Math.max(0, viewport)) / itemSize);
  return { start: Math.max(0, Math.min(count, first - overscan)), end: Math.max(0, Math.min(count, last + overscan)) };
}

/** Pages (of pageSize trajectories) covering rows [start, end). */
export function pagesFor(range: { start: number; end: number }, pageSize: number): number[] {
  if (range.end <= range.start || pageSize < 1) return [];
  const out: number[] = [];
  for (let p = Math.floor(range.start / pageSize); p <= Math.floor((range.end - 1) / pageSize); p++) out.push(p);
  return out;
}

/** Trajectories per page request: at most 100, and at most 40 000 steps (the host's page budget). */
export function pageSizeFor(H: number): number {
  return Math.max(1, Math.min(100, Math.floor(40_000 / Math.max(1, H))));
}

/** Browsers cap an element's height (~33 M px in Chromium); past it, rows are drawn at a compressed scale. */
export const MAX_SCROLL_PX = 15_000_000;

/** Height of the scrollable content for `count` rows: their full height, or MAX_SCROLL_PX. */
export function scrollHeight(count: number, rowHeight: number): number {
  return Math.min(count * rowHeight, MAX_SCROLL_PX);
}

/**
 * Offset into the full (uncompressed) table for a scroll position: the identity when the table fits,
 * else scaled so that the end of the scroll range shows the last rows.
 */
export function virtualOffset(scrollTop: number, viewport: number, count: number, rowHeight: number): number {
  const full = count * rowHeight - viewport;
  const room = scrollHeight(count, rowHeight) - viewport;
  if (room <= 0 || full <= room) return Math.max(0, scrollTop);
  return (Math.max(0, Math.min(room, scrollTop)) * full) / room;
}

/** A bounded cache: the least recently used entry goes when it is full. */
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly capacity: number) {}
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }
  get size(): number {
    return this.map.size;
  }
}
