/** Paging arithmetic for long tables (pages are 0-based inside, shown 1-based). */

export const TRAJECTORIES_PER_PAGE = 25;

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(Math.max(0, total) / Math.max(1, pageSize)));
}

export function clampPage(page: number, total: number, pageSize: number): number {
  if (!Number.isFinite(page)) return 0;
  return Math.max(0, Math.min(pageCount(total, pageSize) - 1, Math.trunc(page)));
}

/** Half-open index range [start, end) of a page. */
export function pageRange(page: number, total: number, pageSize: number): { start: number; end: number } {
  const p = clampPage(page, total, pageSize);
  const start = p * Math.max(1, pageSize);
  return { start, end: Math.min(Math.max(0, total), start + Math.max(1, pageSize)) };
}

/** "page 2 of 4 · 26–50 of 100"; an empty table reads "page 1 of 1 · none". */
export function pageLabel(page: number, total: number, pageSize: number): string {
  const p = clampPage(page, total, pageSize);
  const { start, end } = pageRange(p, total, pageSize);
  const items = end > start ? `${start + 1}–${end} of ${total}` : 'none';
  return `page ${p + 1} of ${pageCount(total, pageSize)} · ${items}`;
}
