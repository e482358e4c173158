/**
 * The parse service's handlers (see parseService.ts for why it is a process of its own on Node), shared
 * by its Node entry and its web one.
 */
import type { Port } from '../workers/port';
import { serve } from '../workers/serve';
import type { Diagnostic } from '../ilmdp/diagnostics';
import { addEntry, setScalar, setTransitionProbability } from '../ilmdp/edits';
import { paintMap, resizeMap } from '../ilmdp/mapEdits';
import { addAction, addState, deleteAction, deleteState, renameName } from '../ilmdp/nameEdits';
import { datasetFileValueRange } from '../ilmdp/datasetAccess';
import { parseIlmdp, type ParseResult } from '../ilmdp/parse';
import { buildMdpEditorViewModel } from './mdpViewModel';
import { MAX_DIAGNOSTICS, parseProtocol, type ParseAnswer, type ReferencedFile } from './parseProtocol';

/**
 * The last text and its parse: the Problems panel and an open custom editor ask about the same text
 * one after the other, and a pathological text should cost one parse, not two.
 */
let last: { text: string; parsed: ParseResult } | undefined;

function parsed(text: string): ParseResult {
  if (last?.text !== text) last = { text, parsed: parseIlmdp(text) };
  return last.parsed;
}

function capped<T>(items: readonly T[], more: (left: number, first: T) => T): T[] {
  if (items.length <= MAX_DIAGNOSTICS) return [...items];
  return [...items.slice(0, MAX_DIAGNOSTICS - 1), more(items.length - MAX_DIAGNOSTICS + 1, items[MAX_DIAGNOSTICS - 1])];
}

/** Serves the parse protocol on `port`: a child process's IPC channel on Node (parseService.ts), a Web Worker's scope on the web (parseServiceWeb.ts). */
export function serveParseService(port: Port): void {
  serve(
    port,
    parseProtocol,
    {
      parse: ({ text, view }): ParseAnswer => {
        const result = parsed(text);
        const files: ReferencedFile[] = [];
        for (const [name, source] of result.model?.datasets ?? []) if (source.kind === 'file') {
          // Positions here, not on the host: finding the value means walking the document again.
          const { start, end } = datasetFileValueRange(text, name);
          files.push({ name, path: source.path, line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
        }
        const diagnostics = capped<Diagnostic>(result.diagnostics, (left, d) => ({ ...d, severity: 'warning', code: 'too-many-problems', message: `… and ${left} more problems in this file` }));
        if (!view) return { diagnostics, hasModel: result.model !== undefined, files };
        const built = buildMdpEditorViewModel(text, result);
        const views = capped(built.diagnostics, (left, d) => ({ ...d, severity: 'warning' as const, message: `… and ${left} more problems in this file` }));
        const model = built.model && built.model.diagnostics.length > MAX_DIAGNOSTICS ? { ...built.model, diagnostics: views } : built.model;
        return { diagnostics, hasModel: result.model !== undefined, files, view: { model, diagnostics: views, ...(built.draft ? { draft: built.draft } : {}) } };
      },
      edit: ({ text, edit }) => {
        switch (edit.kind) {
          case 'set-scalar': {
            const [root, section, state, action, next] = edit.path;
            // A probability of an explicit MDP: its row may be written as a shorthand name.
            if (edit.path.length === 5 && root === 'mdp' && section === 'transitions' && typeof edit.value === 'number') return setTransitionProbability(text, state, action, next, edit.value);
            return setScalar(text, edit.path, edit.value);
          }
          case 'add-entry':
            return addEntry(text, edit.section, edit.name, edit.fields);
          case 'paint-map':
            return paintMap(text, edit.cells);
          case 'resize-map':
            return resizeMap(text, edit.rows, edit.cols);
          case 'name-edit':
            if (edit.op === 'rename') return renameName(text, edit.what, edit.name, edit.to ?? '');
            if (edit.op === 'add') return edit.what === 'state' ? addState(text, edit.name) : addAction(text, edit.name);
            return edit.what === 'state' ? deleteState(text, edit.name) : deleteAction(text, edit.name);
        }
      },
    },
    { name: 'parse service' },
  );
}
