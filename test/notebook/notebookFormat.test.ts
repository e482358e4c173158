import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { NotebookFormatError, parseNotebook, serializeNotebook, stableStringify, type NotebookContent } from '../../src/notebook/notebookFormat';

const STDOUT = 'application/vnd.code.notebook.stdout';
const sample: NotebookContent = {
  cells: [
    { kind: 'markdown', language: 'markdown', source: '# Title\n\nSome *text*.', outputs: [] },
    {
      kind: 'code',
      language: 'javascript',
      source: 'const x = 1\nconsole.log(x)\nx',
      outputs: [
        { items: [{ mime: STDOUT, data: '1\n' }] },
        { items: [{ mime: 'application/vnd.il-notebooks.plot+json', data: JSON.stringify({ version: 1, kind: 'plot', xs: [1, 2, 4], y: 0.1 }) }, { mime: 'text/plain', data: 'a table\nrow 2' }] },
      ],
    },
  ],
};

test('serialize → parse → serialize is byte-stable, and the content survives', () => {
  const text = serializeNotebook(sample);
  const back = parseNotebook(text);
  assert.equal(serializeNotebook(back), text);
  assert.equal(back.cells[1].source, sample.cells[1].source);
  assert.deepEqual(JSON.parse(back.cells[1].outputs[1].items[0].data), JSON.parse(sample.cells[1].outputs[1].items[0].data));
});

test('round trip holds for arbitrary sources and outputs', () => {
  const item = fc.record({ mime: fc.constantFrom('text/plain', STDOUT, 'text/markdown'), data: fc.string() });
  const cell = fc.record({
    kind: fc.constant('code' as const),
    language: fc.constantFrom('javascript', 'typescript'),
    source: fc.string(),
    outputs: fc.array(fc.record({ items: fc.array(item, { minLength: 1, maxLength: 3 }) }), { maxLength: 3 }),
  });
  fc.assert(
    fc.property(fc.array(cell, { maxLength: 4 }), (cells) => {
      const once = serializeNotebook({ cells });
      const parsed = parseNotebook(once);
      assert.equal(serializeNotebook(parsed), once);
      parsed.cells.forEach((c, i) => assert.equal(c.source, cells[i].source));
    }),
  );
});

test('streamed output chunked differently (timing) writes the same bytes', () => {
  const chunked = (parts: string[]): NotebookContent => ({
    cells: [{ kind: 'code', language: 'javascript', source: 'log()', outputs: parts.map((p) => ({ items: [{ mime: STDOUT, data: p }] })) }],
  });
  assert.equal(serializeNotebook(chunked(['a\n', 'b\n', 'c\n'])), serializeNotebook(chunked(['a\nb\n', 'c\n'])));
  assert.equal(serializeNotebook(chunked(['a\n', 'b\n', 'c\n'])), serializeNotebook(chunked(['a\nb\nc\n'])));
});

test('the file holds no volatile data and keys in a fixed order; outputs can be left out', () => {
  const text = serializeNotebook(sample);
  assert.doesNotMatch(text, /executionOrder|duration|timing|startTime|endTime/);
  assert.deepEqual(Object.keys(JSON.parse(text)), ['format', 'version', 'cells']);
  assert.deepEqual(Object.keys(JSON.parse(text).cells[1]), ['kind', 'language', 'source', 'outputs']);
  assert.ok(text.includes('"xs": [1, 2, 4]'), 'arrays of numbers stay on one line');
  const bare = serializeNotebook(sample, { outputs: false });
  assert.equal(JSON.parse(bare).cells[1].outputs, undefined);
});

test('stableStringify is valid JSON for nested values', () => {
  fc.assert(fc.property(fc.jsonValue(), (v) => assert.deepEqual(JSON.parse(stableStringify(v)), JSON.parse(JSON.stringify(v)))));
});

test('a broken file is refused with its line and column, not silently emptied', () => {
  assert.throws(() => parseNotebook('{\n  "cells": [\n    { "kind": "code", }\n  ]\n}'), (e: unknown) => e instanceof NotebookFormatError && e.line === 3);
  assert.throws(() => parseNotebook('{"cells": [{"kind": "python"}]}'), /cell 1: "kind" must be/);
  assert.throws(() => parseNotebook('{"format": "il-notebook", "version": 9, "cells": []}'), /version 9/);
  assert.deepEqual(parseNotebook('').cells, []);
});
