// Issue 16, "nothing a user writes is lost", for the .ilnb format: what another tool or a hand edit put
// in a file survives reading and writing it back (in `run` and through VS Code's NotebookData), and what
// cannot survive is refused with its line and column rather than rewritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { notebook, rawEntries } from './helpers/notebookArbitraries';
import {
  decodeNotebook,
  fromNotebookData,
  NotebookFormatError,
  parseNotebook,
  serializeNotebook,
  SOURCE_TEXT_KEY,
  toNotebookData,
  type NotebookContent,
} from '../../src/notebook/notebookFormat';


/** Line and column (from 1) of the n-th occurrence of `needle`, counted here independently of the parser. */
function where(text: string, needle: string, n = 1): { line: number; column: number } {
  let index = -1;
  for (let k = 0; k < n; k++) index = text.indexOf(needle, index + 1);
  assert.ok(index >= 0, `${needle} is in the text`);
  const lines = text.slice(0, index).split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** A NotebookFormatError at that place whose message matches. */
const formatErrorAt = (at: { line: number; column: number }, message?: RegExp) => (e: unknown) =>
  e instanceof NotebookFormatError && e.line === at.line && e.column === at.column && (message === undefined || message.test(e.message));

/** A notebook as another tool (or this one, with a plugin's keys) would write it, in the canonical layout. */
const annotated = `{
  "format": "il-notebook",
  "version": 1,
  "metadata": "reviewed by A. on the 3rd",
  "cells": [
    {
      "kind": "markdown",
      "language": "markdown",
      "source": ["# Title"],
      "id": "intro",
      "metadata": {
        "tags": ["header"]
      }
    },
    {
      "kind": "code",
      "language": "javascript",
      "source": ["6 * 7"],
      "outputs": [
        {
          "items": [
            {
              "mime": "text/plain",
              "text": ["42"]
            }
          ],
          "metadata": {"producer": "ci", "attempt": 2}
        }
      ],
      "id": "answer",
      "metadata": {"collapsed": true, "executionOrder": 7},
      "x-reviewer": null
    }
  ],
  "jupytext": {"formats": "ilnb,md"},
  "x-ci": [1, 2, 3]
}
`;

/** The same notebook with unknown values JSON.parse would rewrite: beyond 2^53, 1.0, 1e3, an escape, in every unknown place. */
const rawValues = String.raw`{
  "format": "il-notebook",
  "version": 1,
  "metadata": {"big": 12345678901234567890, "one": 1.0},
  "cells": [
    {
      "kind": "code",
      "language": "javascript",
      "source": ["6 * 7"],
      "outputs": [
        {
          "items": [
            {
              "mime": "text/plain",
              "text": ["42"],
              "x-seen": 1e3
            }
          ],
          "metadata": {"attempt": 2.50, "by": "\u00e9"}
        }
      ],
      "id": "\u00e9t\u00e9",
      "metadata": {
        "n": 12345678901234567890,
        "list": [1.0, 1e3, -0, "\u00e9"]
      },
      "\u0078-key": 1E+2
    }
  ],
  "x-ci": 12345678901234567890
}
`;

test('unknown values that JSON.parse would rewrite (> 2^53, 1.0, 1e3, \\u00e9, escaped keys) survive parse and write byte for byte, in VS Code too', () => {
  const content = parseNotebook(rawValues);
  assert.equal(serializeNotebook(content), rawValues);
  const viaVsCode = fromNotebookData(JSON.parse(JSON.stringify(toNotebookData(content))) as ReturnType<typeof toNotebookData>);
  assert.equal(serializeNotebook(viaVsCode), rawValues);
  // What the values are is still read (other extensions see them in VS Code's metadata).
  assert.equal(content.cells[0].extra?.id, 'été');
  assert.equal(content.cells[0].outputs[0].items[0].extra?.['x-seen'], 1000);
  // A value changed in VS Code is written anew, the others keep their text.
  const data = toNotebookData(content);
  const cell = { ...data.cells[0], metadata: { ...data.cells[0].metadata, id: 'changed' } };
  const changed = serializeNotebook(fromNotebookData({ ...data, cells: [cell] }));
  assert.equal(changed, rawValues.replace('"id": "\\u00e9t\\u00e9"', '"id": "changed"'));
  // An output item VS Code replaced (another type) does not get the old item's keys.
  const replaced = { ...data.cells[0], outputs: [{ ...data.cells[0].outputs[0], items: [{ mime: 'text/markdown', data: '42' }] }] };
  assert.doesNotMatch(serializeNotebook(fromNotebookData({ ...data, cells: [replaced] })), /x-seen/);
});

test('unknown top-level keys, non-object notebook metadata, cell ids and metadata and output metadata survive a read and write byte for byte', () => {
  const content = parseNotebook(annotated);
  assert.equal(serializeNotebook(content), annotated);
  assert.deepEqual(content.extra, { metadata: 'reviewed by A. on the 3rd', jupytext: { formats: 'ilnb,md' }, 'x-ci': [1, 2, 3] });
  assert.deepEqual(content.cells[1].extra, { id: 'answer', metadata: { collapsed: true, executionOrder: 7 }, 'x-reviewer': null });
  assert.deepEqual(content.cells[1].outputs[0].extra, { metadata: { producer: 'ci', attempt: 2 } });
});

test("the same keys survive VS Code's NotebookData (cell, output and notebook metadata) byte for byte", () => {
  const data = toNotebookData(parseNotebook(annotated));
  // The values, for other extensions to read, and beside them their source texts.
  const { [SOURCE_TEXT_KEY]: cellSource, ...cellMetadata } = data.cells[0].metadata!;
  assert.deepEqual(cellMetadata, { id: 'intro', metadata: { tags: ['header'] } });
  assert.deepEqual(cellSource, { keys: { id: { key: '"id"', value: '"intro"' }, metadata: { key: '"metadata"', value: '{\n        "tags": ["header"]\n      }' } } });
  const { [SOURCE_TEXT_KEY]: _outputSource, ...outputMetadata } = data.cells[1].outputs[0].metadata!;
  assert.deepEqual(outputMetadata, { metadata: { producer: 'ci', attempt: 2 } });
  // What VS Code hands back is a copy (it crosses to the renderer process and back as JSON).
  const back = fromNotebookData(JSON.parse(JSON.stringify(data)) as typeof data);
  assert.equal(serializeNotebook(back), annotated);
});

test('a cell added in VS Code (no metadata) gets no extra keys; metadata another extension sets on the notebook is saved', () => {
  const data = toNotebookData(parseNotebook(annotated));
  const withNew = { ...data, metadata: { ...data.metadata, other: { on: true } }, cells: [...data.cells, { kind: 'code' as const, language: 'javascript', source: '1', outputs: [] }] };
  const saved = JSON.parse(serializeNotebook(fromNotebookData(withNew))) as { cells: Record<string, unknown>[]; other: unknown };
  assert.deepEqual(Object.keys(saved.cells[2]), ['kind', 'language', 'source']);
  assert.deepEqual(saved.other, { on: true });
});

test('a UTF-8 byte-order mark is accepted and written back, so the bytes of the file survive', () => {
  const file = `\uFEFF${annotated}`;
  const content = parseNotebook(file);
  assert.equal(content.cells.length, 2);
  assert.equal(serializeNotebook(content), file);
  // Through VS Code: bytes → text keeps the mark (the default TextDecoder would strip it) → NotebookData → bytes.
  const bytes = new TextEncoder().encode(file);
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = decodeNotebook(bytes);
  const back = serializeNotebook(fromNotebookData(JSON.parse(JSON.stringify(toNotebookData(parseNotebook(text)))) as ReturnType<typeof toNotebookData>));
  assert.deepEqual(new TextEncoder().encode(back), bytes);
  // Errors count lines and columns after the mark, as an editor shows them.
  assert.throws(() => parseNotebook('\uFEFF{"cells": 3}'), formatErrorAt({ line: 1, column: '{"cells": '.length + 1 }));
});

test('bytes that are not UTF-8 are refused with where, not replaced by U+FFFD for good', () => {
  const before = '{\n  "cells": ["';
  const bytes = new Uint8Array([...new TextEncoder().encode(before), 0xff, ...new TextEncoder().encode('"]\n}')]);
  assert.throws(() => decodeNotebook(bytes), formatErrorAt({ line: 2, column: '  "cells": ["'.length + 1 }, /not valid UTF-8/));
});

test('two "cells" keys are an error at the second one, naming the first (JSON.parse would keep only the last)', () => {
  const text = '{\n  "format": "il-notebook",\n  "cells": [{"kind": "code", "source": "keep me"}],\n  "cells": []\n}\n';
  const first = where(text, '"cells"');
  assert.throws(() => parseNotebook(text), formatErrorAt(where(text, '"cells"', 2), new RegExp(`"cells" is given twice \\(first at line ${first.line}, column ${first.column}\\)`)));
  // Anywhere in the file, and keys that differ only by escapes are the same key.
  const nested = '{"cells": [{"kind": "code", "metadata": {"a": 1, "\\u0061": 2}}]}';
  assert.throws(() => parseNotebook(nested), formatErrorAt(where(nested, '"\\u0061"'), /"a" is given twice/));
  // The same key in two different objects is fine.
  assert.equal(parseNotebook('{"cells": [{"kind": "code", "id": "a"}, {"kind": "code", "id": "a"}]}').cells.length, 2);
});

test('format errors point at the offending value, not at 1:1', () => {
  const text = '{\n  "cells": [\n    {"kind": "code"},\n    {"kind": "python"}\n  ]\n}';
  assert.throws(() => parseNotebook(text), formatErrorAt(where(text, '"python"'), /cell 2: "kind"/));
  const item = '{"cells": [\n {"kind": "code", "outputs": [{"items": [{"text": "x"}]}]}]}';
  assert.throws(() => parseNotebook(item), formatErrorAt(where(item, '{"text"'), /cell 1, output 1: every item needs a "mime"/));
  const notArray = '{\n"cells": {}}';
  assert.throws(() => parseNotebook(notArray), formatErrorAt(where(notArray, '{}'), /"cells" must be an array/));
  assert.throws(() => parseNotebook('[]'), formatErrorAt({ line: 1, column: 1 }, /must be a JSON object/));
});

test('a newer version is refused with a message that says it would not be overwritten; a malformed version too', () => {
  const newer = '{\n  "format": "il-notebook",\n  "version": 2,\n  "cells": []\n}';
  assert.throws(() => parseNotebook(newer), formatErrorAt(where(newer, '2,'), /version 2, written by a newer IL Notebooks.*neither opens nor overwrites it/));
  assert.throws(() => parseNotebook('{"version": "2", "cells": []}'), /"version" must be a whole number/);
  assert.throws(() => parseNotebook('{"version": 1.5, "cells": []}'), /"version" must be a whole number/);
  assert.throws(() => parseNotebook('{"version": 1e999, "cells": []}'), /"version" must be a whole number/);
});

// ---- properties ----

/** What must survive: every cell's text, kind and language, every extra key and value, the mark. */
function essence(content: NotebookContent): unknown {
  return JSON.parse(
    JSON.stringify({
      bom: content.bom ?? false,
      extra: content.extra ?? {},
      cells: content.cells.map((c) => ({ kind: c.kind, language: c.language, source: c.source, extra: c.extra ?? {} })),
    }),
  ) as unknown;
}

test('random notebooks with random extra keys: parse(serialize(x)) keeps the content and the extras, and a second write is byte-identical', () => {
  fc.assert(
    fc.property(notebook, (content) => {
      const once = serializeNotebook(content);
      // Each extra value given with a source text is written as that text, key and value.
      for (const entry of rawEntries(content)) assert.ok(once.includes(entry), `${entry} is in the file`);
      const parsed = parseNotebook(once);
      assert.deepEqual(essence(parsed), essence(content));
      assert.equal(serializeNotebook(parsed), once);
      // Through VS Code's shapes (as JSON, the way they cross processes) the bytes are the same too.
      assert.equal(serializeNotebook(fromNotebookData(JSON.parse(JSON.stringify(toNotebookData(parsed))) as ReturnType<typeof toNotebookData>)), once);
      // Outputs: the output's extra keys and the text of each item survive (streams may be merged, so compare the text).
      parsed.cells.forEach((c, i) => {
        const text = (outs: NotebookContent['cells'][number]['outputs']) => outs.flatMap((o) => o.items.map((it) => (it.mime.endsWith('+json') ? JSON.stringify(JSON.parse(it.data)) : it.data))).join('');
        if (c.kind === 'code') assert.equal(text(c.outputs), text(content.cells[i].outputs));
        const extras = (outs: NotebookContent['cells'][number]['outputs']) => JSON.stringify(outs.map((o) => o.extra).filter(Boolean));
        assert.equal(extras(c.outputs), content.cells[i].kind === 'code' ? extras(content.cells[i].outputs) : '[]');
      });
    }),
    { numRuns: 300 },
  );
});

test('on arbitrary text, and on valid notebooks with a character changed, parseNotebook throws nothing but NotebookFormatError', () => {
  const onlyFormatErrors = (text: string) => {
    try {
      parseNotebook(text);
    } catch (error) {
      if (!(error instanceof NotebookFormatError)) throw error;
      assert.ok(error.line >= 1 && error.column >= 1);
    }
  };
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 60 }), onlyFormatErrors), { numRuns: 200 });
  fc.assert(fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => onlyFormatErrors(JSON.stringify(v))), { numRuns: 200 });
  fc.assert(
    fc.property(notebook, fc.nat(), fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '1', ' ', '\\', 'x'), (content, at, char) => {
      const text = serializeNotebook(content);
      const i = at % text.length;
      onlyFormatErrors(text.slice(0, i) + char + text.slice(i + 1));
    }),
    { numRuns: 200 },
  );
  // Nesting far deeper than any notebook: still an answer, not a stack overflow.
  onlyFormatErrors(`{"cells": [], "x": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
});
