/**
 * Minimal text edits for changes made in the visual editor: the text is the source of truth, so a
 * change of one number replaces exactly that scalar's characters (or inserts one `key: value` entry),
 * and comments, order and formatting elsewhere stay byte-identical. Undo, dirty state and hot exit
 * then work as for any text edit.
 */
import { isMap, isScalar, parseDocument, type Node, type YAMLMap } from 'yaml';

export interface TextEdit {
  /** Character offset where the replaced text starts. */
  readonly offset: number;
  /** Number of characters replaced (0 for an insertion). */
  readonly length: number;
  readonly newText: string;
}

export type EditResult = { readonly ok: true; readonly edit: TextEdit } | { readonly ok: false; readonly message: string };

function keyText(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
}

export function formatScalar(value: number | string | boolean): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`cannot write ${value} into an .ilmdp file`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  return /^[A-Za-z_][\w./-]*$/.test(value) && !['true', 'false', 'null', 'yes', 'no'].includes(value) ? value : JSON.stringify(value);
}

/**
 * Sets the scalar at `path` (a list of map keys from the root) to `value`. If the last key is missing
 * from an existing map, it is added to that map: inline (`, key: value`) in a flow map `{…}`, or on a new
 * line with the map's indentation in a block map.
 */
export function setScalar(text: string, path: readonly string[], value: number | string | boolean): EditResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { ok: false, message: 'the file has syntax errors; fix them in the text first' };
  let node = doc.contents as Node | null;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isMap(node)) return { ok: false, message: `${path.slice(0, i).join('.') || 'the root'} is not a map` };
    const next = node.items.find((p) => isScalar(p.key) && String(p.key.value) === path[i]);
    if (!next) return { ok: false, message: `${path.slice(0, i + 1).join('.')} does not exist` };
    node = next.value as Node | null;
  }
  if (!isMap(node)) return { ok: false, message: `${path.slice(0, -1).join('.')} is not a map` };
  const map: YAMLMap = node;
  const last = path[path.length - 1];
  const formatted = formatScalar(value);
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === last);
  if (pair) {
    const target = pair.value as Node | null;
    if (!isScalar(target) || !target.range) return { ok: false, message: `${path.join('.')} is not a single value` };
    return { ok: true, edit: { offset: target.range[0], length: target.range[1] - target.range[0], newText: formatted } };
  }
  if (!map.range) return { ok: false, message: `${path.slice(0, -1).join('.')} has no position` };
  if (map.flow) {
    // range[1] is just past the closing brace.
    const close = text.lastIndexOf('}', map.range[1] - 1);
    const separator = map.items.length > 0 ? ', ' : '';
    return { ok: true, edit: { offset: close, length: 0, newText: `${separator}${keyText(last)}: ${formatted}` } };
  }
  const lastPair = map.items[map.items.length - 1];
  const firstKey = map.items[0]?.key as Node | undefined;
  if (!lastPair || !firstKey?.range) return { ok: false, message: `${path.slice(0, -1).join('.')} is empty; edit it in the text` };
  const lineStart = text.lastIndexOf('\n', firstKey.range[0] - 1) + 1;
  const indent = text.slice(lineStart, firstKey.range[0]);
  const valueNode = lastPair.value as Node | null;
  const end = valueNode?.range?.[1] ?? (lastPair.key as Node).range![1];
  // Insert after the end of the last entry's line, so a trailing comment stays on its own line.
  const lineEnd = text.indexOf('\n', end);
  const at = lineEnd < 0 ? text.length : lineEnd;
  return { ok: true, edit: { offset: at, length: 0, newText: `\n${indent}${keyText(last)}: ${formatted}` } };
}

export function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.offset) + edit.newText + text.slice(edit.offset + edit.length);
}
