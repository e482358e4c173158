/**
 * The .ilnb file: stable, readable JSON so that a notebook diffs well in review. Keys come in a fixed
 * order, each cell is one block, source and text outputs are arrays of lines, JSON payloads are stored
 * as JSON (arrays of numbers on one line), and nothing volatile is written (no execution counts,
 * durations or timestamps; streamed output is merged however it was chunked). Re-running an unchanged
 * notebook with the same seeds therefore writes the same bytes. vscode-free.
 */
import { isRecord } from '../core/guards';

export const ILNB_FORMAT = 'il-notebook';
export const ILNB_VERSION = 1;

export interface NotebookOutputItem {
  readonly mime: string;
  /** The item's bytes as text (UTF-8). */
  readonly data: string;
}

export interface NotebookOutput {
  readonly items: readonly NotebookOutputItem[];
}

export interface NotebookCell {
  readonly kind: 'markdown' | 'code';
  readonly language: string;
  readonly source: string;
  readonly outputs: readonly NotebookOutput[];
}

export interface NotebookContent {
  readonly cells: readonly NotebookCell[];
  readonly metadata: Readonly<Record<string, unknown>>;
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

export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

function toLines(text: string): string[] {
  // Each line keeps its newline so that joining gives the text back exactly.
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Streamed chunks arrive however the timing falls; merge them so the file does not depend on it. */
export function normalizeOutputs(outputs: readonly NotebookOutput[]): NotebookOutput[] {
  const merged: NotebookOutput[] = [];
  for (const output of outputs) {
    const stream = output.items.length > 0 && output.items.every((i) => i.mime === output.items[0].mime && STREAMS.has(i.mime)) ? output.items[0].mime : undefined;
    const previous = merged[merged.length - 1];
    if (stream && previous && previous.items.length === 1 && previous.items[0].mime === stream) {
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

export interface SerializeOptions {
  /** Write outputs (default true); a setting turns this off. */
  readonly outputs?: boolean;
}

export function serializeNotebook(content: NotebookContent, options: SerializeOptions = {}): string {
  const withOutputs = options.outputs ?? true;
  const doc = {
    format: ILNB_FORMAT,
    version: ILNB_VERSION,
    ...(Object.keys(content.metadata).length > 0 ? { metadata: content.metadata } : {}),
    cells: content.cells.map((cell) => ({
      kind: cell.kind,
      language: cell.language,
      source: toLines(cell.source),
      ...(cell.kind === 'code' && withOutputs && cell.outputs.length > 0
        ? { outputs: normalizeOutputs(cell.outputs).map((o) => ({ items: o.items.map(itemToJson) })) }
        : {}),
    })),
  };
  return `${stableStringify(doc)}\n`;
}

function locate(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

function fail(message: string): never {
  throw new NotebookFormatError(message, 1, 1);
}

function linesOrText(value: unknown, where: string): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((l) => typeof l === 'string')) return value.join('');
  return fail(`${where} must be a string or an array of lines`);
}

export function parseNotebook(text: string): NotebookContent {
  if (text.trim() === '') return { cells: [], metadata: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /position (\d+)/.exec(message);
    const { line, column } = at ? locate(text, Number(at[1])) : { line: 1, column: 1 };
    throw new NotebookFormatError(`the notebook is not valid JSON (${message.replace(/ in JSON at position \d+.*$/, '')}); fix it in a text editor (Reopen Editor With… Text Editor)`, line, column);
  }
  if (!isRecord(raw)) fail('the notebook must be a JSON object with "cells"');
  const doc = raw;
  if (doc.format !== undefined && doc.format !== ILNB_FORMAT) fail(`"format" must be "${ILNB_FORMAT}"`);
  if (typeof doc.version === 'number' && doc.version > ILNB_VERSION) fail(`this notebook is version ${doc.version}; this extension reads up to version ${ILNB_VERSION} (update IL Notebooks)`);
  if (!Array.isArray(doc.cells)) fail('"cells" must be an array');
  const cells = doc.cells.map((c: unknown, i): NotebookCell => {
    if (!isRecord(c)) fail(`cell ${i + 1} must be an object`);
    const cell = c;
    const kind = cell.kind === 'markdown' ? 'markdown' : cell.kind === 'code' ? 'code' : fail(`cell ${i + 1}: "kind" must be "markdown" or "code"`);
    const outputs = Array.isArray(cell.outputs)
      ? cell.outputs.map((o: unknown, j): NotebookOutput => {
          const items = (o as { items?: unknown })?.items;
          if (!Array.isArray(items)) fail(`cell ${i + 1}, output ${j + 1}: "items" must be an array`);
          return {
            items: items.map((it: Record<string, unknown>) => {
              if (typeof it?.mime !== 'string') fail(`cell ${i + 1}, output ${j + 1}: every item needs a "mime"`);
              return { mime: it.mime, data: 'json' in it ? JSON.stringify(it.json) : linesOrText(it.text, `cell ${i + 1}, output ${j + 1}`) };
            }),
          };
        })
      : [];
    return {
      kind,
      language: typeof cell.language === 'string' ? cell.language : kind === 'markdown' ? 'markdown' : 'javascript',
      source: linesOrText(cell.source ?? '', `cell ${i + 1} "source"`),
      outputs,
    };
  });
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  return { cells, metadata };
}
