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

/**
 * Sets P(next | state, action) of an explicit MDP. A row written as the shorthand `action: name` (a
 * sure move to `name`) is rewritten, in place of that name and nothing else, as the map it stands
 * for with the change: `{name: p}` when `next` is that name, `{name: 1, next: p}` otherwise (the row
 * then sums to more than 1 until the user lowers the first entry, as the diagnostics say). Any other
 * row is a plain setScalar of mdp.transitions.state.action.next.
 */
export function setTransitionProbability(text: string, state: string, action: string, next: string, value: number): EditResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { ok: false, message: 'the file has syntax errors; fix them in the text first' };
  let node = doc.contents as Node | null;
  for (const key of ['mdp', 'transitions', state, action]) {
    if (!isMap(node)) break;
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    node = (pair?.value as Node | null | undefined) ?? null;
  }
  if (isScalar(node) && typeof node.value === 'string' && node.range) {
    // Keys written as the shorthand was: a quoted name stays quoted (a JSON file stays JSON).
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    const key = (name: string) => (quoted ? JSON.stringify(name) : keyText(name));
    const sure = node.value;
    const entries = sure === next ? `${key(next)}: ${formatScalar(value)}` : `${key(sure)}: 1, ${key(next)}: ${formatScalar(value)}`;
    return { ok: true, edit: { offset: node.range[0], length: node.range[1] - node.range[0], newText: `{${entries}}` } };
  }
  return setScalar(text, ['mdp', 'transitions', state, action, next], value);
}

export function applyEdit(text: string, edit: TextEdit): string {
  return text.slice(0, edit.offset) + edit.newText + text.slice(edit.offset + edit.length);
}

/** Indentation unit of the text: how far the first nested key sits from its parent (2 when nothing is nested). */
function indentUnit(text: string, root: YAMLMap): number {
  for (const pair of root.items) {
    const value = pair.value as Node | null;
    const key = pair.key as Node | null;
    if (!isMap(value) || value.flow || !key?.range) continue;
    const child = value.items[0]?.key as Node | undefined;
    if (!child?.range) continue;
    const col = (offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
    const unit = col(child.range[0]) - col(key.range[0]);
    if (unit > 0) return unit;
  }
  return 2;
}

/**
 * Adds `name: {fields}` to the top-level map `section` (datasets, experts), written in the style of
 * that map: a flow entry inside `{…}`, or block lines indented like its siblings. A missing or empty
 * section is created at the end of the file. Nothing else in the text changes.
 */
export function addEntry(text: string, section: string, name: string, fields: Readonly<Record<string, number | string>>): EditResult {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return { ok: false, message: 'the file has syntax errors; fix them in the text first' };
  const root = doc.contents as Node | null;
  if (!isMap(root)) return { ok: false, message: 'the file is not a map of mdp, experts and datasets' };
  const pair = root.items.find((p) => isScalar(p.key) && String(p.key.value) === section);
  const value = pair?.value as Node | null | undefined;
  if (isMap(value) && value.items.some((p) => isScalar(p.key) && String(p.key.value) === name)) return { ok: false, message: `${section}.${name} already exists` };
  const unit = ' '.repeat(indentUnit(text, root));
  const flowFields = `{${Object.entries(fields).map(([k, v]) => `${keyText(k)}: ${formatScalar(v)}`).join(', ')}}`;
  const blockLines = (indent: string) => [`${indent}${keyText(name)}:`, ...Object.entries(fields).map(([k, v]) => `${indent}${unit}${keyText(k)}: ${formatScalar(v)}`)].join('\n');

  if (isMap(value) && value.flow && value.range) {
    const close = text.lastIndexOf('}', value.range[1] - 1);
    return { ok: true, edit: { offset: close, length: 0, newText: `${value.items.length > 0 ? ', ' : ''}${keyText(name)}: ${flowFields}` } };
  }
  if (isMap(value) && value.items.length > 0) {
    const firstKey = value.items[0].key as Node;
    const lineStart = text.lastIndexOf('\n', firstKey.range![0] - 1) + 1;
    const indent = text.slice(lineStart, firstKey.range![0]);
    const last = value.items[value.items.length - 1];
    const end = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
    const lineEnd = text.indexOf('\n', Math.max(end - 1, 0));
    const at = lineEnd < 0 ? text.length : lineEnd;
    return { ok: true, edit: { offset: at, length: 0, newText: `\n${blockLines(indent)}` } };
  }
  if (pair && (value === null || value === undefined || (isScalar(value) && value.value === null))) {
    // `datasets:` with nothing under it: the entry goes on the next lines.
    const keyNode = pair.key as Node;
    const lineEnd = text.indexOf('\n', keyNode.range![1]);
    const at = lineEnd < 0 ? text.length : lineEnd;
    return { ok: true, edit: { offset: at, length: 0, newText: `\n${blockLines(unit)}` } };
  }
  if (pair) return { ok: false, message: `${section} is not a map; edit it in the text` };
  const lead = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  return { ok: true, edit: { offset: text.length, length: 0, newText: `${lead}${section}:\n${blockLines(unit)}\n` } };
}

/** `base`, or `base-2`, `base-3`, … : the first that is not taken. */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}
