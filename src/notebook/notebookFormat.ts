/**
 * The .ilnb file: stable, readable JSON so that a notebook diffs well in review. Keys come in a fixed
 * order, each cell is one block, source and text outputs are arrays of lines, JSON payloads are stored
 * as JSON (arrays of numbers on one line), and nothing volatile is written (no execution counts,
 * durations or timestamps; streamed output is merged however it was chunked). Re-running an unchanged
 * notebook with the same seeds therefore writes the same bytes.
 *
 * Nothing a user (or another tool) wrote is dropped: keys this module does not know — at the top, in a
 * cell (its `id`, its `metadata`, …), in an output and in an output item — are kept as they were, in
 * their order, after the known keys, and a byte-order mark at the start is written back. "As they were"
 * is byte for byte: the reader keeps each unknown key's and value's source text (RawTexts), and the
 * writer writes that text again while the value is still the same JSON, so 12345678901234567890 (beyond
 * 2^53), 1.0, 1e3 and "\u00e9" are not rewritten as JSON.parse and JSON.stringify would. What cannot be kept faithfully is
 * refused with its line and column instead: a key given twice (JSON.parse would silently keep the
 * last), and a file of a newer version (saving it would downgrade it). vscode-free.
 */
import { isRecord } from '../core/guards';

export const ILNB_FORMAT = 'il-notebook';
export const ILNB_VERSION = 1;

/** Keys of another tool's, kept verbatim; in file order. */
export type ExtraKeys = Readonly<Record<string, unknown>>;

/** An unknown key's source text as the file had it: the key's (with its quotes) and its value's. */
export interface RawText {
  readonly key: string;
  readonly value: string;
}

/** The source texts of an object's extra keys, by key; a key whose value changed since is written anew. */
export type RawTexts = Readonly<Record<string, RawText>>;

export interface NotebookOutputItem {
  readonly mime: string;
  /** The item's bytes as text (UTF-8). */
  readonly data: string;
  /** The item's keys other than "mime" and "text" / "json". */
  readonly extra?: ExtraKeys;
  readonly raw?: RawTexts;
}

export interface NotebookOutput {
  readonly items: readonly NotebookOutputItem[];
  /** The output's keys other than "items" (its "metadata" among them). */
  readonly extra?: ExtraKeys;
  readonly raw?: RawTexts;
}

export interface NotebookCell {
  readonly kind: 'markdown' | 'code';
  readonly language: string;
  readonly source: string;
  readonly outputs: readonly NotebookOutput[];
  /** The cell's keys other than kind, language, source and outputs: its "id", its "metadata", … */
  readonly extra?: ExtraKeys;
  readonly raw?: RawTexts;
}

export interface NotebookContent {
  readonly cells: readonly NotebookCell[];
  /** The file's top-level keys other than format, version and cells ("metadata" among them, whatever its type). */
  readonly extra?: ExtraKeys;
  readonly raw?: RawTexts;
  /** The file started with a UTF-8 byte-order mark, which writing it back keeps. */
  readonly bom?: boolean;
}

export class NotebookFormatError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${message}`);
    this.name = 'NotebookFormatError';
  }
}

const STREAMS = new Set(['application/vnd.code.notebook.stdout', 'application/vnd.code.notebook.stderr']);
const BOM = '\uFEFF';

export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

function toLines(text: string): string[] {
  // Each line keeps its newline so that joining gives the text back exactly.
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

const hasExtra = (extra: ExtraKeys | undefined) => extra !== undefined && Object.keys(extra).length > 0;
const plainItems = (items: readonly NotebookOutputItem[]) => items.every((i) => !hasExtra(i.extra));

/** Streamed chunks arrive however the timing falls; merge them so the file does not depend on it. */
export function normalizeOutputs(outputs: readonly NotebookOutput[]): NotebookOutput[] {
  const merged: NotebookOutput[] = [];
  for (const output of outputs) {
    // An output with metadata of its own is someone's on purpose: never merged into another, or it would lose it.
    const stream =
      !hasExtra(output.extra) && plainItems(output.items) && output.items.length > 0 && output.items.every((i) => i.mime === output.items[0].mime && STREAMS.has(i.mime))
        ? output.items[0].mime
        : undefined;
    const previous = merged[merged.length - 1];
    if (stream && previous && !hasExtra(previous.extra) && plainItems(previous.items) && previous.items.length === 1 && previous.items[0].mime === stream) {
      merged[merged.length - 1] = { items: [{ mime: stream, data: previous.items[0].data + output.items.map((i) => i.data).join('') }] };
    } else if (stream) {
      merged.push({ items: [{ mime: stream, data: output.items.map((i) => i.data).join('') }] });
    } else {
      merged.push(output);
    }
  }
  return merged;
}

const INLINE_OBJECT_CHARS = 100;

/** A value written as the source text it was read from (and its key's, in an object). */
class RawValue {
  constructor(
    readonly key: string,
    readonly text: string,
  ) {}
}

const isPrimitive = (v: unknown) => (v instanceof RawValue ? !/^[[{]/.test(v.text) : v === null || typeof v !== 'object');
const scalarText = (v: unknown) => (v instanceof RawValue ? v.text : JSON.stringify(v ?? null));
const keyText = (k: string, v: unknown) => (v instanceof RawValue ? v.key : JSON.stringify(k));

/**
 * JSON laid out for diffs: lines of text one per line, arrays of numbers on one line, small flat
 * objects (a plot point) on one line, everything else indented.
 */
export function stableStringify(value: unknown, indent = '  ', depth = 0): string {
  const pad = indent.repeat(depth + 1);
  const close = indent.repeat(depth);
  if (value instanceof RawValue) return value.text;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const strings = value.length > 1 && value.every((v) => typeof v === 'string');
    if (!strings && value.every(isPrimitive)) return `[${value.map(scalarText).join(', ')}]`;
    return `[\n${value.map((v) => pad + stableStringify(v, indent, depth + 1)).join(',\n')}\n${close}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    if (entries.every(([, v]) => isPrimitive(v))) {
      const inline = `{${entries.map(([k, v]) => `${keyText(k, v)}: ${scalarText(v)}`).join(', ')}}`;
      if (inline.length <= INLINE_OBJECT_CHARS) return inline;
    }
    return `{\n${entries.map(([k, v]) => `${pad}${keyText(k, v)}: ${stableStringify(v, indent, depth + 1)}`).join(',\n')}\n${close}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Whether a source text still says what `value` is (VS Code hands values back as copies, numbers as doubles). */
function sameJson(text: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

/** The extra keys to write: each as its source text while that still says its value, else the value. */
function rendered(extra: ExtraKeys | undefined, raw: RawTexts | undefined): ExtraKeys | undefined {
  if (!extra || !raw) return extra;
  return Object.fromEntries(
    Object.entries(extra).map(([k, v]) => {
      const r = Object.hasOwn(raw, k) ? raw[k] : undefined;
      return [k, r && sameJson(r.value, v) ? new RawValue(r.key, r.value) : v];
    }),
  );
}

function itemToJson(item: NotebookOutputItem): Record<string, unknown> {
  const extra = rendered(item.extra, item.raw);
  if (isJsonMime(item.mime)) {
    try {
      return withExtra({ mime: item.mime, json: JSON.parse(item.data) as unknown }, extra, ITEM_KEYS);
    } catch {
      // Not valid JSON after all: keep the text as it is rather than lose it.
    }
  }
  return withExtra({ mime: item.mime, text: toLines(item.data) }, extra, ITEM_KEYS);
}

/** The known keys first, in their fixed order, then the others as they came (never overriding a known one). */
function withExtra(known: Record<string, unknown>, extra: ExtraKeys | undefined, reserved: readonly string[] = []): Record<string, unknown> {
  if (!extra) return known;
  return Object.fromEntries([...Object.entries(known), ...Object.entries(extra).filter(([k]) => !Object.hasOwn(known, k) && !reserved.includes(k))]);
}

export interface SerializeOptions {
  /** Write outputs (default true); a setting turns this off. */
  readonly outputs?: boolean;
}

const TOP_KEYS = ['format', 'version', 'cells'];
const CELL_KEYS = ['kind', 'language', 'source', 'outputs'];
/** An item is written with "text" or "json", never both (an extra "text" beside "json" is its own key). */
const ITEM_KEYS = ['mime'];

export function serializeNotebook(content: NotebookContent, options: SerializeOptions = {}): string {
  const withOutputs = options.outputs ?? true;
  const extra = rendered(content.extra, content.raw) ?? {};
  // "metadata" keeps its place between the version and the cells, where it has always been written.
  const { metadata, ...rest } = extra;
  const doc = withExtra(
    {
      format: ILNB_FORMAT,
      version: ILNB_VERSION,
      ...(Object.hasOwn(extra, 'metadata') ? { metadata } : {}),
      cells: content.cells.map((cell) =>
        withExtra(
          {
            kind: cell.kind,
            language: cell.language,
            source: toLines(cell.source),
            ...(cell.kind === 'code' && withOutputs && cell.outputs.length > 0
              ? { outputs: normalizeOutputs(cell.outputs).map((o) => withExtra({ items: o.items.map(itemToJson) }, rendered(o.extra, o.raw))) }
              : {}),
          },
          rendered(cell.extra, cell.raw),
          // A code cell written without outputs must not get an "outputs" from its metadata.
          cell.kind === 'code' ? CELL_KEYS : [],
        ),
      ),
    },
    rest,
  );
  return `${content.bom ? BOM : ''}${stableStringify(doc)}\n`;
}

/** A notebook's bytes as text; bytes that are not UTF-8 are refused (decoding them would replace them for good). */
export function decodeNotebook(bytes: Uint8Array): string {
  try {
    // ignoreBOM keeps the mark in the text, so that parseNotebook sees it and writing back keeps it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const at = locate(text, Math.max(0, text.indexOf('\uFFFD')));
    throw new NotebookFormatError('the file is not valid UTF-8 (here or near here); save it as UTF-8 in a text editor', at.line, at.column);
  }
}

function locate(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Where each value of a (valid) JSON text starts and ends, and the keys of each object with where they
 * are: enough to point an error at its line and column, to find a key given twice, which JSON.parse
 * cannot report, and to keep an unknown value's source text. Iterative, so deep nesting cannot overflow
 * the stack.
 */
interface JsonNode {
  readonly offset: number;
  /** Just after the value's last character. */
  end: number;
  keys?: Map<string, { readonly keyOffset: number; readonly keyEnd: number; readonly node: JsonNode }>;
  items?: JsonNode[];
}

const isJsonSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const endsScalar = (c: number) => isJsonSpace(c) || c === 0x2c || c === 0x5d || c === 0x7d || Number.isNaN(c);

function indexJson(text: string, start: number): JsonNode {
  let i = start;
  const stack: JsonNode[] = [];
  let root: JsonNode | undefined;
  let key = { name: '', offset: 0, end: 0 };
  const skip = () => {
    while (isJsonSpace(text.charCodeAt(i))) i++;
  };
  const readString = (): string => {
    let end = i;
    for (;;) {
      end = text.indexOf('"', end + 1);
      let slashes = 0;
      while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
      if (slashes % 2 === 0) break;
    }
    const value = JSON.parse(text.slice(i, end + 1)) as string;
    i = end + 1;
    return value;
  };
  const readKey = () => {
    skip();
    const offset = i;
    key = { name: readString(), offset, end: i };
    skip();
    i++; // the colon
    skip();
  };
  skip();
  for (;;) {
    const node: JsonNode = { offset: i, end: i };
    const parent = stack[stack.length - 1];
    if (!parent) root = node;
    else if (parent.keys) {
      const first = parent.keys.get(key.name);
      if (first) {
        const was = locate(text, first.keyOffset);
        const at = locate(text, key.offset);
        throw new NotebookFormatError(
          `the key ${JSON.stringify(key.name)} is given twice (first at line ${was.line}, column ${was.column}); a JSON reader keeps only one of them, so remove or rename the other`,
          at.line,
          at.column,
        );
      }
      parent.keys.set(key.name, { keyOffset: key.offset, keyEnd: key.end, node });
    } else parent.items!.push(node);
    const c = text[i];
    if (c === '{' || c === '[') {
      if (c === '{') node.keys = new Map();
      else node.items = [];
      stack.push(node);
      i++;
      skip();
      if (text[i] === '}' || text[i] === ']') {
        i++;
        stack.pop();
        node.end = i;
      } else {
        if (c === '{') readKey();
        continue;
      }
    } else if (c === '"') {
      readString();
      node.end = i;
    } else {
      while (!endsScalar(text.charCodeAt(i))) i++;
      node.end = i;
    }
    // After a value: close what ends here, then step to the next element.
    for (;;) {
      skip();
      const top = stack[stack.length - 1];
      if (!top) return root!;
      if (text[i] === ',') {
        i++;
        if (top.keys) readKey();
        else skip();
        break;
      }
      i++;
      stack.pop();
      top.end = i;
    }
  }
}

type JsonPath = readonly (string | number)[];

/** The deepest node along the path (an error about a missing key points at the object that lacks it). */
function nodeAt(root: JsonNode, path: JsonPath): JsonNode {
  let node = root;
  for (const step of path) {
    const next = typeof step === 'number' ? node.items?.[step] : node.keys?.get(step)?.node;
    if (!next) break;
    node = next;
  }
  return node;
}

function linesOrText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((l) => typeof l === 'string')) return value.join('');
  return undefined;
}

/** An object's keys other than `known`, with their source texts (`node` is the object's place in `text`). */
function extraKeys(record: Record<string, unknown>, known: readonly string[], node: JsonNode, text: string): { extra?: ExtraKeys; raw?: RawTexts } {
  const entries = Object.entries(record).filter(([k]) => !known.includes(k));
  if (entries.length === 0) return {};
  const raw = Object.fromEntries(
    entries.flatMap(([k]): [string, RawText][] => {
      const at = node.keys?.get(k);
      return at ? [[k, { key: text.slice(at.keyOffset, at.keyEnd), value: text.slice(at.node.offset, at.node.end) }]] : [];
    }),
  );
  return { extra: Object.fromEntries(entries), raw };
}

const EDIT_HINT = 'fix it in a text editor (Reopen Editor With… Text Editor)';

/** Reads a notebook's text; anything it cannot read faithfully throws a NotebookFormatError saying where. */
export function parseNotebook(source: string): NotebookContent {
  const bom = source.startsWith(BOM);
  // Line and column count from after the mark, as editors show them (the mark is not a character there).
  const text = bom ? source.slice(1) : source;
  if (text.trim() === '') return { cells: [], ...(bom ? { bom } : {}) };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const { line, column } = at ? locate(text, Number(at[1])) : { line: 1, column: 1 };
    throw new NotebookFormatError(`the notebook is not valid JSON (${message.replace(/ in JSON at position \d+.*$/, '')}); ${EDIT_HINT}`, line, column);
  }
  const root = indexJson(text, 0);
  const fail = (message: string, path: JsonPath): never => {
    const { line, column } = locate(text, nodeAt(root, path).offset);
    throw new NotebookFormatError(`${message}; ${EDIT_HINT}`, line, column);
  };
  if (!isRecord(raw)) return fail('the notebook must be a JSON object with "cells"', []);
  const doc = raw;
  if (doc.format !== undefined && doc.format !== ILNB_FORMAT) fail(`"format" must be "${ILNB_FORMAT}"`, ['format']);
  if (doc.version !== undefined) {
    if (typeof doc.version !== 'number' || !Number.isInteger(doc.version) || doc.version < 1) fail(`"version" must be a whole number ≥ 1 (this extension writes ${ILNB_VERSION})`, ['version']);
    if ((doc.version as number) > ILNB_VERSION) {
      const { line, column } = locate(text, nodeAt(root, ['version']).offset);
      // Not an edit to make: opening and saving it here would write it back as version 1 and lose what is new.
      throw new NotebookFormatError(
        `this notebook is version ${String(doc.version)}, written by a newer IL Notebooks; this one reads up to version ${ILNB_VERSION}, so it neither opens nor overwrites it (update IL Notebooks)`,
        line,
        column,
      );
    }
  }
  if (!Array.isArray(doc.cells)) return fail('"cells" must be an array', ['cells']);
  const cells = doc.cells.map((c: unknown, i): NotebookCell => {
    const at = ['cells', i];
    if (!isRecord(c)) return fail(`cell ${i + 1} must be an object`, at);
    const cell = c;
    const kind = cell.kind === 'markdown' ? 'markdown' : cell.kind === 'code' ? 'code' : fail(`cell ${i + 1}: "kind" must be "markdown" or "code"`, [...at, 'kind']);
    if (cell.language !== undefined && typeof cell.language !== 'string') fail(`cell ${i + 1}: "language" must be a string`, [...at, 'language']);
    const source = linesOrText(cell.source ?? '') ?? fail(`cell ${i + 1}: "source" must be a string or an array of lines`, [...at, 'source']);
    // A markdown cell's outputs are not the format's, but they are the file's: kept with the other keys.
    const known = kind === 'code' ? CELL_KEYS : CELL_KEYS.filter((k) => k !== 'outputs');
    let outputs: NotebookOutput[] = [];
    if (kind === 'code' && cell.outputs !== undefined) {
      if (!Array.isArray(cell.outputs)) fail(`cell ${i + 1}: "outputs" must be an array`, [...at, 'outputs']);
      outputs = (cell.outputs as unknown[]).map((o: unknown, j): NotebookOutput => {
        const where = `cell ${i + 1}, output ${j + 1}`;
        const oat = [...at, 'outputs', j];
        if (!isRecord(o) || !Array.isArray(o.items)) return fail(`${where}: an output must be an object with an "items" array`, [...oat, 'items']);
        const items = o.items.map((it: unknown, k): NotebookOutputItem => {
          const iat = [...oat, 'items', k];
          if (!isRecord(it) || typeof it.mime !== 'string') return fail(`${where}: every item needs a "mime"`, iat);
          const json = 'json' in it;
          const data = json ? JSON.stringify(it.json) : (linesOrText(it.text) ?? fail(`${where}: "text" must be a string or an array of lines`, [...iat, 'text']));
          return { mime: it.mime, data, ...extraKeys(it, json ? ['mime', 'json'] : ['mime', 'text'], nodeAt(root, iat), text) };
        });
        return { items, ...extraKeys(o, ['items'], nodeAt(root, oat), text) };
      });
    }
    return {
      kind,
      language: typeof cell.language === 'string' ? cell.language : kind === 'markdown' ? 'markdown' : 'javascript',
      source,
      outputs,
      ...extraKeys(cell, known, nodeAt(root, at), text),
    };
  });
  return { cells, ...extraKeys(doc, TOP_KEYS, root, text), ...(bom ? { bom } : {}) };
}

/**
 * VS Code's NotebookData as plain data, so that the mapping to it is tested without VS Code. Each
 * object's unknown keys ride in its VS Code `metadata`: a cell's (its "id", its "metadata", …) as the
 * cell's metadata, an output's as the output's; the file's own go under `ilnb` in the notebook's
 * metadata, beside whether it had a byte-order mark. Their source texts ride beside them, under
 * SOURCE_TEXT_KEY in the same metadata (`ilnb.raw` for the file's), and so do an output's items' keys
 * (VS Code's output items have no metadata of their own). Metadata crosses VS Code's processes as JSON,
 * which keeps strings exactly but not 12345678901234567890: the source text is what is written back.
 */
export interface NotebookDataShape {
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly cells: readonly {
    readonly kind: 'markdown' | 'code';
    readonly language: string;
    readonly source: string;
    readonly outputs: readonly { readonly items: readonly NotebookOutputItem[]; readonly metadata?: Readonly<Record<string, unknown>> }[];
    readonly metadata?: Readonly<Record<string, unknown>>;
  }[];
}

const orUndefined = (extra: ExtraKeys | undefined) => (hasExtra(extra) ? extra : undefined);

export const FILE_METADATA_KEY = 'ilnb';
/** The key, in a cell's or an output's VS Code metadata, of its keys' source texts (and its items' keys). */
export const SOURCE_TEXT_KEY = 'ilnb:source';

interface SideData {
  /** The source texts of the object's own extra keys. */
  readonly keys?: RawTexts;
  /** An output's items' extra keys and their source texts, by index. */
  readonly items?: readonly ({ readonly mime: string; readonly extra?: ExtraKeys; readonly raw?: RawTexts } | null)[];
}

const isRawTexts = (x: unknown): x is RawTexts => isRecord(x) && Object.values(x).every((r) => isRecord(r) && typeof r.key === 'string' && typeof r.value === 'string');

/**
 * Metadata for VS Code: the extra keys as values (what other extensions read), and beside them under
 * SOURCE_TEXT_KEY their source texts. A file's own key of that name is kept by its source text alone.
 */
function toMetadata(extra: ExtraKeys | undefined, raw: RawTexts | undefined, items?: SideData['items']): Record<string, unknown> | undefined {
  const hasItems = items?.some((i) => i !== null) ?? false;
  if (!hasExtra(extra) && !hasItems) return undefined;
  const keys: Record<string, RawText> = { ...raw };
  if (extra && Object.hasOwn(extra, SOURCE_TEXT_KEY) && !Object.hasOwn(keys, SOURCE_TEXT_KEY)) {
    keys[SOURCE_TEXT_KEY] = { key: JSON.stringify(SOURCE_TEXT_KEY), value: JSON.stringify(extra[SOURCE_TEXT_KEY]) };
  }
  const side: SideData = { ...(Object.keys(keys).length > 0 ? { keys } : {}), ...(hasItems ? { items } : {}) };
  return { ...extra, ...(side.keys || side.items ? { [SOURCE_TEXT_KEY]: side } : {}) };
}

function fromMetadata(metadata: Readonly<Record<string, unknown>> | undefined): { extra?: ExtraKeys; raw?: RawTexts; side: SideData } {
  if (!metadata) return { side: {} };
  const sideValue = metadata[SOURCE_TEXT_KEY];
  const side: SideData = isRecord(sideValue) ? sideValue : {};
  const raw = isRawTexts(side.keys) ? side.keys : undefined;
  // The file's own key of this name comes back from its source text, in its place.
  const own = raw && Object.hasOwn(raw, SOURCE_TEXT_KEY) ? raw[SOURCE_TEXT_KEY] : undefined;
  const extra = Object.fromEntries(
    Object.entries(metadata).flatMap(([k, v]): [string, unknown][] => (k !== SOURCE_TEXT_KEY ? [[k, v]] : own ? [[k, JSON.parse(own.value) as unknown]] : [])),
  );
  return { ...(hasExtra(extra) ? { extra } : {}), ...(raw ? { raw } : {}), side };
}

export function toNotebookData(content: NotebookContent): NotebookDataShape {
  return {
    metadata: { [FILE_METADATA_KEY]: { ...(content.extra ? { extra: content.extra } : {}), ...(content.raw ? { raw: content.raw } : {}), ...(content.bom ? { bom: true } : {}) } },
    cells: content.cells.map((cell) => {
      const metadata = toMetadata(cell.extra, cell.raw);
      return {
        kind: cell.kind,
        language: cell.language,
        source: cell.source,
        outputs: cell.outputs.map((o) => {
          const items = o.items.map((i) => (hasExtra(i.extra) ? { mime: i.mime, extra: i.extra!, ...(i.raw ? { raw: i.raw } : {}) } : null));
          const outputMetadata = toMetadata(o.extra, o.raw, items);
          return { items: o.items.map((i) => ({ mime: i.mime, data: i.data })), ...(outputMetadata ? { metadata: outputMetadata } : {}) };
        }),
        ...(metadata ? { metadata } : {}),
      };
    }),
  };
}

export function fromNotebookData(data: NotebookDataShape): NotebookContent {
  const { [FILE_METADATA_KEY]: file, ...others } = data.metadata ?? {};
  const own = isRecord(file) ? file : {};
  // Keys another extension put on the notebook are kept as top-level keys too, after the file's own.
  const extra = orUndefined({ ...(isRecord(own.extra) ? own.extra : {}), ...others });
  const raw = isRawTexts(own.raw) ? own.raw : undefined;
  return {
    cells: data.cells.map((cell) => {
      const c = fromMetadata(cell.metadata);
      return {
        kind: cell.kind,
        language: cell.language,
        source: cell.source,
        outputs: cell.outputs.map((o) => {
          const m = fromMetadata(o.metadata);
          const sides = Array.isArray(m.side.items) ? m.side.items : [];
          const items = o.items.map((item, k) => {
            // An item's keys stay with it while it is the item they were read with (same place, same type).
            const side: unknown = sides[k];
            if (!isRecord(side) || side.mime !== item.mime || !isRecord(side.extra)) return { mime: item.mime, data: item.data };
            return { mime: item.mime, data: item.data, extra: side.extra, ...(isRawTexts(side.raw) ? { raw: side.raw } : {}) };
          });
          return { items, ...(m.extra ? { extra: m.extra } : {}), ...(m.raw ? { raw: m.raw } : {}) };
        }),
        ...(c.extra ? { extra: c.extra } : {}),
        ...(c.raw ? { raw: c.raw } : {}),
      };
    }),
    ...(extra ? { extra } : {}),
    ...(raw ? { raw } : {}),
    ...(own.bom === true ? { bom: true } : {}),
  };
}
