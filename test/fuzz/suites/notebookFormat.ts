/**
 * The .ilnb reader on broken notebooks: a valid notebook (random cells and extra keys) with a few
 * characters changed, or arbitrary JSON. Invariants: parseNotebook answers with a notebook or a
 * NotebookFormatError whose line and column are inside the text, never another exception; a notebook
 * it accepts writes back and reads again to the same content.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NotebookFormatError, parseNotebook, serializeNotebook } from '../../../src/notebook/notebookFormat';
import { notebook } from '../../notebook/helpers/notebookArbitraries';
import type { FuzzSuite } from '../runner';

const edit = fc.tuple(fc.nat(), fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '1', ' ', '\\', 'x', '\n', '\ufeff', ''));

interface NotebookCase {
  readonly text: string;
}

const mutated = fc.tuple(notebook, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([content, edits]) => ({
  text: edits.reduce((text, [at, char]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    return text.slice(0, i) + char + text.slice(i + 1);
  }, serializeNotebook(content)),
}));
const json = fc.jsonValue({ maxDepth: 4 }).map((v) => ({ text: JSON.stringify(v) }));

export const notebookFormatSuite: FuzzSuite<NotebookCase> = {
  name: 'ilnb notebook format',
  arbitrary: fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: json }),
  size: (c) => c.text.length,
  check({ text }) {
    try {
      const parsed = parseNotebook(text);
      const written = serializeNotebook(parsed);
      assert.equal(serializeNotebook(parseNotebook(written)), written);
      return [];
    } catch (error) {
      if (!(error instanceof NotebookFormatError)) throw error;
      const lines = text.split('\n');
      assert.ok(error.line >= 1 && error.line <= lines.length, `line ${error.line} of ${lines.length}`);
      assert.ok(error.column >= 1 && error.column <= lines[error.line - 1].length + 1, `column ${error.column} in a line of ${lines[error.line - 1].length}`);
      return ['format-error'];
    }
  },
};
