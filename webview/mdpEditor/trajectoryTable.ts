/**
 * A dataset's trajectories as a virtualised grid: only the rows and step columns in view exist in the
 * DOM (a few hundred cells whether N is 10 or 10^6), and trajectories arrive from the host in pages,
 * asked for as the user scrolls and kept in a small cache.
 */
import type { TrajectoryPage } from '../../src/shared/mdpEditorProtocol';
import { LruCache, pageSizeFor, pagesFor, scrollHeight, virtualOffset, visibleRange } from './virtualWindow';

const ROW_H = 22;
const HEADER_H = 24;
const INDEX_W = 72;
const STEP_W = 112;
const VIEW_H = 330;
const CACHED_PAGES = 60;

export interface TrajectoryTableOptions {
  readonly dataset: string;
  readonly version: number;
  readonly N: number;
  readonly H: number;
  readonly states: readonly string[];
  readonly actions: readonly string[];
  readonly requestPage: (start: number, count: number) => void;
  /** Scroll position to restore (the table is rebuilt when the text changes). */
  readonly scrollTop?: number;
}

export interface TrajectoryTable {
  readonly element: HTMLElement;
  /** Takes a page the host sent; ignores pages of other datasets or versions. */
  receive(version: number, page: TrajectoryPage): void;
  scrollTop(): number;
  dispose(): void;
}

function cell(className: string, text: string, left: number, top: number, width: number): HTMLDivElement {
  const d = document.createElement('div');
  d.className = className;
  d.textContent = text;
  d.style.transform = `translate(${left}px, ${top}px)`;
  d.style.width = `${width}px`;
  return d;
}

export function trajectoryTable(options: TrajectoryTableOptions): TrajectoryTable {
  const { N, H, dataset, version } = options;
  const pageSize = pageSizeFor(H);
  const pages = new LruCache<number, TrajectoryPage>(CACHED_PAGES);
  const asked = new Set<number>();

  const viewport = document.createElement('div');
  viewport.className = 'trajectories';
  viewport.tabIndex = 0;
  viewport.setAttribute('role', 'grid');
  viewport.setAttribute('aria-label', `trajectories of ${dataset}: ${N} rows, ${H} steps`);
  viewport.setAttribute('aria-rowcount', String(N + 1));
  viewport.style.height = `${Math.min(VIEW_H, HEADER_H + N * ROW_H + 2)}px`;
  const sizer = document.createElement('div');
  sizer.className = 'sizer';
  sizer.style.height = `${HEADER_H + scrollHeight(N, ROW_H)}px`;
  sizer.style.width = `${INDEX_W + H * STEP_W}px`;
  const layer = document.createElement('div');
  layer.className = 'layer';
  viewport.append(sizer, layer);

  let frame = 0;
  function draw(): void {
    frame = 0;
    const top = viewport.scrollTop;
    const left = viewport.scrollLeft;
    const height = viewport.clientHeight || VIEW_H;
    const width = viewport.clientWidth || 600;
    const virtualTop = virtualOffset(top, height - HEADER_H, N, ROW_H);
    const rows = visibleRange(virtualTop, height - HEADER_H, ROW_H, N, 4);
    const cols = visibleRange(left, width - INDEX_W, STEP_W, H, 1);
    const cells: HTMLElement[] = [];
    const y = (r: number) => top + HEADER_H + r * ROW_H - virtualTop;
    for (let r = rows.start; r < rows.end; r++) {
      const page = pages.get(Math.floor(r / pageSize));
      for (let h = cols.start; h < cols.end; h++) {
        let text = '…';
        let unobserved = false;
        if (page && h >= page.steps) text = 'not shown (H too long)';
        else if (page) {
          const k = (r - page.start) * page.steps + h;
          const s = page.states[k];
          unobserved = s < 0;
          text = unobserved ? '—' : `${options.states[s] ?? s} · ${options.actions[page.actions[k]] ?? page.actions[k]}`;
        }
        const c = cell(unobserved ? 'cell unobserved' : 'cell', text, INDEX_W + h * STEP_W, y(r), STEP_W);
        c.title = text;
        cells.push(c);
      }
      cells.push(cell('cell index', String(r + 1), left, y(r), INDEX_W));
    }
    for (let h = cols.start; h < cols.end; h++) cells.push(cell('cell head', `h = ${h + 1}`, INDEX_W + h * STEP_W, top, STEP_W));
    cells.push(cell('cell head index', '#', left, top, INDEX_W));
    layer.replaceChildren(...cells);
    for (const p of pagesFor(rows, pageSize)) {
      if (pages.get(p) || asked.has(p)) continue;
      asked.add(p);
      options.requestPage(p * pageSize, Math.min(pageSize, N - p * pageSize));
    }
  }
  const schedule = () => {
    if (!frame) frame = requestAnimationFrame(draw);
  };
  viewport.addEventListener('scroll', schedule, { passive: true });
  const resize = new ResizeObserver(schedule);
  resize.observe(viewport);
  if (options.scrollTop) requestAnimationFrame(() => (viewport.scrollTop = options.scrollTop!));
  schedule();

  return {
    element: viewport,
    receive(v, page) {
      if (v !== version || page.dataset !== dataset || page.count === 0) return;
      const p = Math.floor(page.start / pageSize);
      asked.delete(p);
      pages.set(p, page);
      schedule();
    },
    scrollTop: () => viewport.scrollTop,
    dispose() {
      cancelAnimationFrame(frame);
      resize.disconnect();
    },
  };
}
