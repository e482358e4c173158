/**
 * Edits of a gridworld's `map: |` block for the grid view: painting cells and resizing the map. Like
 * every visual edit (edits.ts) each is one minimal text edit: painting a cell replaces its one
 * character (a stroke over several cells, one edit over the characters between the first and the last,
 * those between rewritten as they were), so undo, redo, save and git diff see what a keyboard would have
 * done. Only a literal block (`map: |`) is edited; a map written as a string or a list is refused with
 * the way out.
 */
import { isScalar, parseDocument, Scalar, type Node } from 'yaml';
import { CELL_CHAR, type CellKind } from '../core/envs/gridMap';
import type { EditResult, TextEdit } from './edits';

export interface PaintedCell {
  readonly row: number;
  readonly col: number;
  readonly kind: CellKind;
}

/** Rows and columns a map may be resized to from the editor (larger maps are written in the text). */
export const MAX_MAP_SIDE = 200;

interface MapLine {
  /** Offset of the line's first character (its indentation). */
  readonly start: number;
  /** Offset of the line's first character of content (after the block's indentation). */
  readonly contentStart: number;
  /** Offset just past the line's last character (before its line break). */
  readonly end: number;
}

interface MapBlock {
  readonly lines: readonly MapLine[];
  readonly indent: string;
  /** Offset just past the block's last content line's break: where new rows go. */
  readonly end: number;
  /** The text's line break. */
  readonly eol: string;
}

type BlockResult = { readonly ok: true; readonly block: MapBlock } | { readonly ok: false; readonly message: string };

function mapBlock(text: string): BlockResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { ok: false, message: 'the file has syntax errors; fix them in the text first' };
  const node = doc.getIn(['mdp', 'map'], true) as Node | null | undefined;
  if (node === undefined || node === null) return { ok: false, message: 'this file has no mdp.map to paint' };
  if (!isScalar(node) || !node.range || node.type !== Scalar.BLOCK_LITERAL) return { ok: false, message: 'the map is written on one line or as a list; write it as a block (map: | and one line per row) to paint it in the grid' };
  const [start, valueEnd] = node.range;
  const headerEnd = text.indexOf('\n', start);
  if (headerEnd < 0 || headerEnd >= valueEnd) return { ok: false, message: 'the map block is empty; write its first row in the text' };
  if (/\d/.test(text.slice(start, headerEnd).replace(/#.*$/, ''))) return { ok: false, message: 'the map block has an indentation indicator (|2); remove it to paint the map' };
  const eol = text[headerEnd - 1] === '\r' ? '\r\n' : '\n';
  const raw: { start: number; end: number }[] = [];
  for (let at = headerEnd + 1; at < valueEnd; ) {
    let end = text.indexOf('\n', at);
    if (end < 0 || end > valueEnd) end = valueEnd;
    raw.push({ start: at, end: text[end - 1] === '\r' ? end - 1 : end });
    at = end + 1;
  }
  const first = raw.find((l) => text.slice(l.start, l.end).trim() !== '');
  if (!first) return { ok: false, message: 'the map block is empty; write its first row in the text' };
  const indent = /^[ \t]*/.exec(text.slice(first.start, first.end))![0];
  // Trailing blank lines are not rows (the generator drops them too).
  while (raw.length > 0 && text.slice(raw[raw.length - 1].start, raw[raw.length - 1].end).trim() === '') raw.pop();
  const lines = raw.map((l) => ({ start: l.start, contentStart: Math.min(l.start + indent.length, l.end), end: l.end }));
  const last = raw[raw.length - 1];
  const end = text.slice(last.end, last.end + eol.length) === eol ? last.end + eol.length : last.end;
  return { ok: true, block: { lines, indent, end, eol } };
}

/** The one edit that paints `cells` (later ones win where a stroke crosses itself). */
export function paintMap(text: string, cells: readonly PaintedCell[]): EditResult {
  if (cells.length === 0) return { ok: false, message: 'nothing to paint' };
  const found = mapBlock(text);
  if (!found.ok) return found;
  const { lines } = found.block;
  // Per line, the characters that change: col → char.
  const changes = new Map<number, Map<number, string>>();
  for (const { row, col, kind } of cells) {
    if (!Number.isInteger(row) || !Number.isInteger(col) || row < 0 || col < 0) return { ok: false, message: `no cell at row ${row + 1}, column ${col + 1}` };
    if (row >= lines.length) return { ok: false, message: `the map has ${lines.length} rows; add rows before painting row ${row + 1}` };
    if (!changes.has(row)) changes.set(row, new Map());
    changes.get(row)!.set(col, CELL_CHAR[kind]);
  }
  const edits: TextEdit[] = [];
  for (const [row, cols] of changes) {
    const line = lines[row];
    const length = line.end - line.contentStart;
    for (const [col, ch] of cols) {
      if (col < length) {
        if (text[line.contentStart + col] !== ch) edits.push({ offset: line.contentStart + col, length: 1, newText: ch });
      }
    }
    // Past a short row's end: its cells are walls; reaching them writes walls up to the painted one.
    const beyond = [...cols.keys()].filter((c) => c >= length);
    if (beyond.length > 0 && [...cols.entries()].some(([c, ch]) => c >= length && ch !== CELL_CHAR.wall)) {
      const upTo = Math.max(...beyond.filter((c) => cols.get(c) !== CELL_CHAR.wall));
      let tail = '';
      for (let c = length; c <= upTo; c++) tail += cols.get(c) ?? CELL_CHAR.wall;
      edits.push({ offset: line.end, length: 0, newText: tail });
    }
  }
  if (edits.length === 0) return { ok: true, edit: { offset: lines[cells[0].row].contentStart, length: 0, newText: '' } };
  edits.sort((a, b) => a.offset - b.offset);
  const from = edits[0].offset;
  const to = Math.max(...edits.map((e) => e.offset + e.length));
  let newText = '';
  let at = from;
  for (const e of edits) {
    newText += text.slice(at, e.offset) + e.newText;
    at = e.offset + e.length;
  }
  newText += text.slice(at, to);
  return { ok: true, edit: { offset: from, length: to - from, newText } };
}

/**
 * The map resized to `rows` × `cols`: rows and columns are added as walls at the bottom and the right,
 * or removed from there. One edit of the block's lines; nothing outside the block changes.
 */
export function resizeMap(text: string, rows: number, cols: number): EditResult {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || rows > MAX_MAP_SIDE || cols > MAX_MAP_SIDE) {
    return { ok: false, message: `a map from the grid view has 1 to ${MAX_MAP_SIDE} rows and columns; write larger maps in the text` };
  }
  const found = mapBlock(text);
  if (!found.ok) return found;
  const { lines, indent, end, eol } = found.block;
  const firstLineStart = lines[0].start;
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    const content = r < lines.length ? text.slice(lines[r].contentStart, lines[r].end) : '';
    out.push(indent + (content.length >= cols ? content.slice(0, cols) : content + CELL_CHAR.wall.repeat(cols - content.length)));
  }
  const hadBreak = text.slice(end - eol.length, end) === eol;
  const newText = out.join(eol) + (hadBreak ? eol : '');
  return { ok: true, edit: { offset: firstLineStart, length: end - firstLineStart, newText } };
}
