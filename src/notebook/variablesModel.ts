/**
 * The Variables view's tree, apart from VS Code: one node per notebook whose kernel runs, under it one
 * node per name its cells defined, with the words, icon and actions each shows. variablesView.ts turns
 * these nodes into TreeItems; this module is tested in plain Node.
 */
import type { VariableKind, VariableSummary, VariablesResult } from '../shared/kernelProtocol';

/** A notebook with a running kernel and what that kernel listed. */
export interface NotebookVariables {
  /** The notebook's URI as a string (the key of its kernel). */
  readonly key: string;
  /** The notebook's file name. */
  readonly label: string;
  readonly result: VariablesResult;
}

export interface VariableNode {
  readonly type: 'variable';
  readonly notebookKey: string;
  readonly name: string;
  readonly label: string;
  readonly description: string;
  readonly tooltip: string;
  /** What a screen reader says for the row. */
  readonly ariaLabel: string;
  /** `ilVariable` or `ilVariable.hasView`: which actions the row's menus offer. */
  readonly contextValue: string;
  /** A codicon id. */
  readonly icon: string;
}

export interface NoteNode {
  readonly type: 'note';
  readonly notebookKey: string;
  readonly label: string;
}

export interface NotebookNode {
  readonly type: 'notebook';
  readonly key: string;
  readonly label: string;
  readonly description: string;
  readonly children: readonly (VariableNode | NoteNode)[];
}

export type VariablesTreeNode = NotebookNode | VariableNode | NoteNode;

export const VARIABLE_CONTEXT = 'ilVariable';
export const VARIABLE_WITH_VIEW_CONTEXT = 'ilVariable.hasView';

const ICONS: Readonly<Record<VariableKind, string>> = {
  mdp: 'type-hierarchy',
  policy: 'table',
  dataset: 'database',
  environment: 'globe',
  experiment: 'file-code',
  sweep: 'graph-line',
  view: 'graph',
  number: 'symbol-number',
  string: 'symbol-string',
  boolean: 'symbol-boolean',
  bigint: 'symbol-number',
  symbol: 'symbol-key',
  null: 'circle-slash',
  undefined: 'circle-slash',
  array: 'symbol-array',
  'typed-array': 'symbol-array',
  map: 'symbol-namespace',
  set: 'symbol-namespace',
  promise: 'watch',
  function: 'symbol-method',
  class: 'symbol-class',
  object: 'symbol-object',
};

/** Kinds whose detail says all (a number's value); the others are named by their type first. */
const SELF_DESCRIBED: ReadonlySet<VariableKind> = new Set(['number', 'string', 'boolean', 'bigint', 'symbol', 'null', 'undefined']);

export function variableDescription(v: VariableSummary): string {
  return SELF_DESCRIBED.has(v.kind) ? v.detail : `${v.type} · ${v.detail}`;
}

export function variableNode(notebookKey: string, v: VariableSummary): VariableNode {
  const description = variableDescription(v);
  return {
    type: 'variable',
    notebookKey,
    name: v.name,
    label: v.name,
    description,
    tooltip: `${v.name}: ${v.type}\n${v.detail}${v.hasView ? '\nDisplay it in the notebook, or open its view in a panel' : '\nDisplay it in the notebook'}`,
    ariaLabel: `${v.name}, ${v.type}, ${v.detail}`,
    contextValue: v.hasView ? VARIABLE_WITH_VIEW_CONTEXT : VARIABLE_CONTEXT,
    icon: ICONS[v.kind],
  };
}

/** The tree: notebooks by file name (a name shared by two gets its kernel's key to tell them apart). */
export function variablesTree(notebooks: readonly NotebookVariables[]): NotebookNode[] {
  return [...notebooks]
    .sort((a, b) => a.label.localeCompare(b.label) || a.key.localeCompare(b.key))
    .map((nb) => {
      const count = nb.result.variables.length + nb.result.omitted;
      const children: (VariableNode | NoteNode)[] = nb.result.variables.map((v) => variableNode(nb.key, v));
      if (nb.result.omitted > 0) children.push({ type: 'note', notebookKey: nb.key, label: `… ${nb.result.omitted} more names (not listed)` });
      if (count === 0) children.push({ type: 'note', notebookKey: nb.key, label: 'no names defined yet' });
      return { type: 'notebook', key: nb.key, label: nb.label, description: count === 1 ? '1 name' : `${count} names`, children };
    });
}

const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;
const RESERVED = new Set(
  'await break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public'.split(' '),
);

/** The cell that displays a name: `display(sweep)`, or through globalThis for a name no identifier can spell. */
export function displaySource(name: string): string {
  return IDENTIFIER.test(name) && !RESERVED.has(name) ? `display(${name})` : `display(globalThis[${JSON.stringify(name)}])`;
}
