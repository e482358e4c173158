/**
 * The .ilnb file: stable, readable JSON so that a notebook diffs well in review. Keys come in a fixed
 * order, each cell is one block, source and text outputs are arrays of lines, JSON payloads are stored
 * as JSON (arrays of numbers on one line), and nothing volatile is written (no execution counts,
 * durations or timestamps; streamed output is merged however it was chunked). Re-running an unchanged
 * notebook with the same seeds therefore writes the same bytes.
 *
 * Nothing a user (or another tool) wrote is dropped: keys this module does not know — at the top, in a
 * cell (its `id`, its `metadata`, …) and in an output — are kept as they were, in their order, after the
 * known keys, and a byte-order mark at the start is written back. What cannot be kept faithfully is
 * refused with its line and column instead: a key given twice (JSON.parse would silently keep the
 * last), and a file of a newer version (saving it would downgrade it). vscode-free.
 */
import { isRecord } from '../core/guards';

export const ILNB_FORMAT = 'il-notebook';
export const ILNB_VERSION = 1;

/** Keys of another tool's, kept verbatim; in file order. */
export type ExtraKeys = Readonly<Record<string, unknown>>;

export interface NotebookOutputItem {
  readonly mime: string;
  /** The item's bytes as text (UTF-8). */
  readonly data: string;
}

export interface NotebookOutput {
  readonly items: readonly NotebookOutputItem[];
  /** The output's keys other than "items" (its "metadata" among them). */
  readonly extra?: ExtraKeys;
}

export interface NotebookCell {
  readonly kind: 'markdown' | 'code';
  readonly language: string;
  readonly source: string;
  readonly outputs: readonly NotebookOutput[];
  /** The cell's keys other than kind, language, source and outputs: its "id", its "metadata", … */
  readonly extra?: ExtraKeys;
}

export interface NotebookContent {
  readonly cells: readonly NotebookCell[];
  /** The file's top-level keys other than format, version and cells ("metadata" among them, whatever its type). */
  readonly extra?: ExtraKeys;
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

/** Streamed chunks arrive however the timing falls; merge them so the file does not depend on it. */
export function normalizeOutputs(outputs: readonly NotebookOutput[]): NotebookOutput[] {
  const merged: NotebookOutput[] = [];
  for (const output of outputs) {
    // An output with metadata of its own is someone's on purpose: never merged into another, or it would lose it.
    const stream =
      !hasExtra(output.extra) && output.items.length > 0 && output.items.every((i) => i.mime === output.items[0].mime && STREAMS.has(i.mime)) ? output.items[0].mime : undefined;
    const previous = merged[merged.length - 1];
    if (stream && previous && !hasExtra(previous.extra) && previous.items.length === 1 && previous.items[0].mime === stream) {
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

const isPrimitive = (v: unknown) => v === null || typeof v !== 'object';

/**
 * JSON laid out for diffs: lines of text one per line, arrays of numbers on one line, small flat
 * objects (a plot point) on one line, everything else indented.
 */
export function stableStringify(value: unknown, indent = '  ', depth = 0): string {
  const pad = indent.repeat(depth + 1);
  const close = indent.repeat(depth);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const strings = value.length > 1 && value.every((v) => typeof v === 'string');
    if (!strings && value.every(isPrimitive)) return `[${value.map((v) => JSON.stringify(v ?? null)).join(', ')}]`;
    return `[\n${value.map((v) => pad + stableStringify(v, indent, depth + 1)).join(',\n')}\n${close}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    if (entries.every(([, v]) => isPrimitive(v))) {
      const inline = `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
      if (inline.length <= INLINE_OBJECT_CHARS) return inline;
    }
    return `{\n${entries.map(([k, v]) => `${pad}${JSON.stringify(k)}: ${stableStringify(v, indent, depth + 1)}`).join(',\n')}\n${close}}`;
  }
  return JSON.stringify(value ?? null);
}

function itemToJson(item: NotebookOutputItem): Record<string, unknown> {
  if (isJsonMime(item.mime)) {
    try {
      return { mime: item.mime, json: JSON.parse(item.data) as unknown };
    } catch {
      // Not valid JSON after all: keep the text as it is rather than lose it.
    }
  }
  return { mime: item.mime, text: toLines(item.data) };
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

export function serializeNotebook(content: NotebookContent, options: SerializeOptions = {}): string {
  const withOutputs = options.outputs ?? true;
  const extra = content.extra ?? {};
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
              ? { outputs: normalizeOutputs(cell.outputs).map((o) => withExtra({ items: o.items.map(itemToJson) }, o.extra)) }
              : {}),
          },
          cell.extra,
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
 * Where each value of a (valid) JSON text starts, and the keys of each object with where they start:
 * enough to point an error at its line and column, and to find a key given twice, which JSON.parse
 * cannot report. Iterative, so deep nesting cannot overflow the stack.
 */
interface JsonNode {
  readonly offset: number;
  keys?: Map<string, { readonly keyOffset: number; readonly node: JsonNode }>;
  items?: JsonNode[];
}

const isJsonSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const endsScalar = (c: number) => isJsonSpace(c) || c === 0x2c || c === 0x5d || c === 0x7d || Number.isNaN(c);

function indexJson(text: string, start: number): JsonNode {
  let i = start;
  const stack: JsonNode[] = [];
  let root: JsonNode | undefined;
  let key = { name: '', offset: 0 };
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
    key = { name: readString(), offset };
    skip();
    i++; // the colon
    skip();
  };
  skip();
  for (;;) {
    const node: JsonNode = { offset: i };
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
      parent.keys.set(key.name, { keyOffset: key.offset, node });
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
      } else {
        if (c === '{') readKey();
        continue;
      }
    } else if (c === '"') readString();
    else while (!endsScalar(text.charCodeAt(i))) i++;
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

function extraKeys(record: Record<string, unknown>, known: readonly string[]): ExtraKeys | undefined {
  const entries = Object.entries(record).filter(([k]) => !known.includes(k));
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
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
          if ('json' in it) return { mime: it.mime, data: JSON.stringify(it.json) };
          return { mime: it.mime, data: linesOrText(it.text) ?? fail(`${where}: "text" must be a string or an array of lines`, [...iat, 'text']) };
        });
        const extra = extraKeys(o, ['items']);
        return extra ? { items, extra } : { items };
      });
    }
    const extra = extraKeys(cell, known);
    return {
      kind,
      language: typeof cell.language === 'string' ? cell.language : kind === 'markdown' ? 'markdown' : 'javascript',
      source,
      outputs,
      ...(extra ? { extra } : {}),
    };
  });
  const extra = extraKeys(doc, TOP_KEYS);
  return { cells, ...(extra ? { extra } : {}), ...(bom ? { bom } : {}) };
}

/**
 * VS Code's NotebookData as plain data, so that the mapping to it is tested without VS Code. Each
 * object's unknown keys ride in its VS Code `metadata`: a cell's (its "id", its "metadata", …) as the
 * cell's metadata, an output's as the output's; the file's own go under `ilnb` in the notebook's
 * metadata, beside whether it had a byte-order mark.
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

export const FILE_METADATA_KEY = 'ilnb';

export function toNotebookData(content: NotebookContent): NotebookDataShape {
  return {
    metadata: { [FILE_METADATA_KEY]: { ...(content.extra ? { extra: content.extra } : {}), ...(content.bom ? { bom: true } : {}) } },
    cells: content.cells.map((cell) => ({
      kind: cell.kind,
      language: cell.language,
      source: cell.source,
      outputs: cell.outputs.map((o) => ({ items: o.items, ...(o.extra ? { metadata: o.extra } : {}) })),
      ...(cell.extra ? { metadata: cell.extra } : {}),
    })),
  };
}

const orUndefined = (extra: ExtraKeys | undefined) => (hasExtra(extra) ? extra : undefined);

export function fromNotebookData(data: NotebookDataShape): NotebookContent {
  const { [FILE_METADATA_KEY]: file, ...others } = data.metadata ?? {};
  const own = isRecord(file) ? file : {};
  // Keys another extension put on the notebook are kept as top-level keys too, after the file's own.
  const extra = orUndefined({ ...(isRecord(own.extra) ? own.extra : {}), ...others });
  return {
    cells: data.cells.map((cell) => {
      const cellExtra = orUndefined(cell.metadata);
      return {
        kind: cell.kind,
        language: cell.language,
        source: cell.source,
        outputs: cell.outputs.map((o) => {
          const outputExtra = orUndefined(o.metadata);
          return outputExtra ? { items: o.items, extra: outputExtra } : { items: o.items };
        }),
        ...(cellExtra ? { extra: cellExtra } : {}),
      };
    }),
    ...(extra ? { extra } : {}),
    ...(own.bom === true ? { bom: true } : {}),
  };
}
