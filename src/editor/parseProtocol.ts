/**
 * What the host asks of the parse service (dist/parseService.js): the Problems panel's check of an
 * .ilmdp text, the custom editor's view model of it, and the minimal text edits of the visual editor.
 * Everything that needs the parsed text happens there, so no keystroke makes the host parse.
 */
import { isRecord } from '../core/guards';
import type { Diagnostic } from '../ilmdp/diagnostics';
import type { EditResult } from '../ilmdp/edits';
import type { NameEditResult } from '../ilmdp/nameEdits';
import { isEditorToHostMessage, type DiagnosticView, type MdpEditorViewModel, type NameEditMessage, type PaintedCellMessage, type TransitionDraftView } from '../shared/mdpEditorProtocol';
import { method } from '../workers/protocol';

/**
 * Diagnostics sent per text at most: a 10 MB file with an error per line would otherwise cost the
 * host one vscode.Diagnostic per line at every check. The last one says how many were left out.
 */
export const MAX_DIAGNOSTICS = 500;

/** A dataset file the text references, with where its `file:` value is (1-based), for the Problems panel. */
export interface ReferencedFile {
  readonly name: string;
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface ParseRequest {
  readonly text: string;
  /** Also build the custom editor's view model. */
  readonly view: boolean;
}

export interface EditorView {
  readonly model: MdpEditorViewModel | null;
  readonly diagnostics: readonly DiagnosticView[];
  readonly draft?: TransitionDraftView;
}

export interface ParseAnswer {
  readonly diagnostics: readonly Diagnostic[];
  /** Whether the text describes a valid MDP (only then are its datasets worth realising). */
  readonly hasModel: boolean;
  readonly files: readonly ReferencedFile[];
  readonly view?: EditorView;
}

export type EditRequest =
  | { readonly kind: 'set-scalar'; readonly path: readonly string[]; readonly value: number | string | boolean }
  | { readonly kind: 'add-entry'; readonly section: string; readonly name: string; readonly fields: Readonly<Record<string, number | string>> }
  | { readonly kind: 'paint-map'; readonly cells: readonly PaintedCellMessage[] }
  | { readonly kind: 'resize-map'; readonly rows: number; readonly cols: number }
  | ({ readonly kind: 'name-edit' } & Omit<NameEditMessage, 'type'>);

function isParseRequest(x: unknown): x is ParseRequest {
  return isRecord(x) && typeof x.text === 'string' && typeof x.view === 'boolean';
}

function isScalarValue(x: unknown): x is number | string | boolean {
  return typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));
}

function isEditRequest(x: unknown): x is { text: string; edit: EditRequest } {
  if (!isRecord(x) || typeof x.text !== 'string' || !isRecord(x.edit)) return false;
  const e = x.edit;
  if (e.kind === 'set-scalar') return Array.isArray(e.path) && e.path.every((p) => typeof p === 'string') && isScalarValue(e.value);
  if (e.kind === 'paint-map' || e.kind === 'resize-map' || e.kind === 'name-edit') return isEditorToHostMessage({ ...e, type: e.kind });
  if (e.kind === 'add-entry') return typeof e.section === 'string' && typeof e.name === 'string' && isRecord(e.fields) && Object.values(e.fields).every((v) => typeof v === 'number' || typeof v === 'string');
  return false;
}

function isParseAnswer(x: unknown): x is ParseAnswer {
  return (
    isRecord(x) &&
    Array.isArray(x.diagnostics) &&
    typeof x.hasModel === 'boolean' &&
    Array.isArray(x.files) &&
    x.files.every((f) => isRecord(f) && typeof f.name === 'string' && typeof f.path === 'string' && [f.line, f.column, f.endLine, f.endColumn].every((n) => typeof n === 'number')) &&
    (x.view === undefined || (isRecord(x.view) && (x.view.model === null || isRecord(x.view.model)) && Array.isArray(x.view.diagnostics)))
  );
}

const isTextEdit = (e: unknown) => isRecord(e) && typeof e.offset === 'number' && typeof e.length === 'number' && typeof e.newText === 'string';

/** One edit, or (a name edit) a list of them applied as one workspace edit, with a note for the user. */
function isEditResult(x: unknown): x is EditResult | NameEditResult {
  if (!isRecord(x)) return false;
  if (x.ok === false) return typeof x.message === 'string';
  if (x.ok !== true) return false;
  if ('edits' in x) return Array.isArray(x.edits) && x.edits.every(isTextEdit) && (x.note === undefined || typeof x.note === 'string');
  return isTextEdit(x.edit);
}

export const parseProtocol = {
  parse: method({ params: isParseRequest, result: isParseAnswer }),
  edit: method({ params: isEditRequest, result: isEditResult }),
};
