/**
 * Text spans of YAML nodes for edits that touch several places at once (nameEdits.ts): replacing a
 * scalar, appending an entry to a map or an item to a list, removing one. Each is computed from the
 * node's own range in the text and the style it is written in (flow `{…}` / `[…]` or block lines), so
 * what a person would have typed is what changes and every other character stays as it was.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { TextEdit } from './edits';

export type Spot = { readonly ok: true; readonly edit: TextEdit } | { readonly ok: false; readonly message: string };

/** The start of the line holding `offset`. */
function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Just past the line break of the line holding `offset` (or the text's end). */
function nextLineStart(text: string, offset: number): number {
  const at = text.indexOf('\n', offset);
  return at < 0 ? text.length : at + 1;
}

/** The end of a pair's text: its value's, or its key's when the value is empty. */
function pairEnd(pair: Pair): number | undefined {
  const value = pair.value as Node | null;
  return value?.range?.[1] ?? (pair.key as Node | null)?.range?.[1];
}

function itemStart(item: Pair | Node): number | undefined {
  return 'key' in item ? (item.key as Node | null)?.range?.[0] : (item as Node).range?.[0];
}

function itemEnd(item: Pair | Node): number | undefined {
  return 'key' in item ? pairEnd(item) : (item as Node).range?.[1];
}

/** A scalar replaced by `newText` (its quotes, if any, are part of its range). */
export function replaceScalar(node: Node, newText: string): TextEdit | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  return { offset: node.range[0], length: node.range[1] - node.range[0], newText };
}

/** The indentation of a block collection's entries, from its first one. */
function blockIndent(text: string, collection: YAMLMap | YAMLSeq): string | undefined {
  const first = collection.items[0] as Pair | Node | undefined;
  const start = first === undefined ? undefined : isSeq(collection) ? collection.range?.[0] : itemStart(first);
  if (start === undefined) return undefined;
  const from = lineStart(text, start);
  const indent = text.slice(from, start);
  return /^[ \t]*$/.test(indent) ? indent : undefined;
}

/**
 * Appends `key: value` to a map: inside the braces of a flow map (`, key: value`), or on a new line
 * indented like its entries for a block map. `block(indent)` gives the block form's lines (after the
 * key's own), or undefined to write `key: value` on one line.
 */
export function appendToMap(text: string, map: YAMLMap, entry: { readonly key: string; readonly flow: string; readonly block?: (indent: string) => string }): Spot {
  if (!map.range) return { ok: false, message: 'a map without a position; edit it in the text' };
  if (map.flow) {
    const close = text.lastIndexOf('}', map.range[1] - 1);
    if (close < map.range[0]) return { ok: false, message: 'a flow map without its closing brace; fix it in the text' };
    return { ok: true, edit: { offset: close, length: 0, newText: `${map.items.length > 0 ? ', ' : ''}${entry.key}: ${entry.flow}` } };
  }
  const indent = blockIndent(text, map);
  const last = map.items[map.items.length - 1];
  const end = last ? pairEnd(last) : undefined;
  if (indent === undefined || end === undefined) return { ok: false, message: 'an empty or unusual map; edit it in the text' };
  // After the end of the last entry's line, so a comment at its end stays with it.
  const lineEnd = text[end - 1] === '\n' ? end - 1 : text.indexOf('\n', end);
  const at = lineEnd < 0 ? text.length : lineEnd;
  const eol = text[at - 1] === '\r' ? '\r\n' : '\n';
  const body = entry.block?.(indent);
  const offset = text[at - 1] === '\r' ? at - 1 : at;
  return { ok: true, edit: { offset, length: 0, newText: `${eol}${indent}${entry.key}:${body === undefined ? ` ${entry.flow}` : body}` } };
}

/** Appends an item to a list: `, item` inside the brackets of a flow list, or a `- item` line. */
export function appendToSeq(text: string, seq: YAMLSeq, item: string): Spot {
  if (!seq.range) return { ok: false, message: 'a list without a position; edit it in the text' };
  if (seq.flow) {
    const close = text.lastIndexOf(']', seq.range[1] - 1);
    if (close < seq.range[0]) return { ok: false, message: 'a flow list without its closing bracket; fix it in the text' };
    return { ok: true, edit: { offset: close, length: 0, newText: `${seq.items.length > 0 ? ', ' : ''}${item}` } };
  }
  const indent = blockIndent(text, seq);
  const last = seq.items[seq.items.length - 1] as Node | undefined;
  const end = last?.range?.[1];
  if (indent === undefined || end === undefined) return { ok: false, message: 'an empty or unusual list; edit it in the text' };
  const lineEnd = text[end - 1] === '\n' ? end - 1 : text.indexOf('\n', end);
  let at = lineEnd < 0 ? text.length : lineEnd;
  if (text[at - 1] === '\r') at--;
  const eol = text.slice(at, at + 2) === '\r\n' ? '\r\n' : '\n';
  return { ok: true, edit: { offset: at, length: 0, newText: `${eol}${indent}- ${item}` } };
}

/**
 * Removes item `index` of a map or a list. In a flow collection, the item and one separating comma
 * go (`{a: 1, x: 0}` → `{a: 1}`); in a block collection, the item's whole lines (its key's line to
 * the end of its value, a comment at its end included).
 */
export function removeItem(text: string, collection: YAMLMap | YAMLSeq, index: number): Spot {
  const items = collection.items as (Pair | Node)[];
  const item = items[index];
  const start = item === undefined ? undefined : itemStart(item);
  const end = item === undefined ? undefined : itemEnd(item);
  if (start === undefined || end === undefined) return { ok: false, message: 'an entry without a position; edit it in the text' };
  if (collection.flow) {
    if (index > 0) {
      const previousEnd = itemEnd(items[index - 1]);
      if (previousEnd === undefined) return { ok: false, message: 'an entry without a position; edit it in the text' };
      return { ok: true, edit: { offset: previousEnd, length: end - previousEnd, newText: '' } };
    }
    const next = items[1] === undefined ? undefined : itemStart(items[1]);
    return { ok: true, edit: { offset: start, length: (next ?? end) - start, newText: '' } };
  }
  // A block entry: `key: value` (or `- item`) first on its line.
  const from = lineStart(text, start);
  const lead = text.slice(from, start);
  const dash = isSeq(collection) ? /^[ \t]*-[ \t]*$/ : /^[ \t]*$/;
  if (!dash.test(lead)) return { ok: false, message: 'an entry that shares its line with another; edit it in the text' };
  const to = text[end - 1] === '\n' ? end : nextLineStart(text, end);
  return { ok: true, edit: { offset: from, length: to - from, newText: '' } };
}

/** The map's pairs whose key is `name` (as the parser reads keys: their text). */
export function pairsNamed(map: unknown, name: string): { pair: Pair; index: number }[] {
  if (!isMap(map)) return [];
  const out: { pair: Pair; index: number }[] = [];
  map.items.forEach((pair, index) => {
    if (isScalar(pair.key) && String(pair.key.value) === name) out.push({ pair, index });
  });
  return out;
}
