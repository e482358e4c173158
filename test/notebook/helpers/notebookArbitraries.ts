/** fast-check arbitraries of .ilnb notebooks with random extra keys, for the property tests and the fuzz suite. */
import fc from 'fast-check';
import type { NotebookContent } from '../../../src/notebook/notebookFormat';

const STDOUT = 'application/vnd.code.notebook.stdout';

const key = fc.oneof(fc.constantFrom('id', 'metadata', 'tags', 'x', '__proto__', 'kind', 'items', 'format', 'cells'), fc.string({ maxLength: 6 }));
const extraOf = (known: readonly string[]) =>
  fc.option(
    fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }).filter((d) => Object.keys(d).length > 0 && Object.keys(d).every((k) => !known.includes(k))),
    { nil: undefined },
  );
const item = fc.oneof(
  fc.record({ mime: fc.constantFrom('text/plain', STDOUT, 'text/markdown'), data: fc.string() }),
  fc.record({ mime: fc.constant('application/vnd.il-notebooks.plot+json'), data: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) }),
);
const output = fc.record({ items: fc.array(item, { minLength: 1, maxLength: 2 }), extra: extraOf(['items']) }, { requiredKeys: ['items'] });
const cell = fc.oneof(
  fc.record({ kind: fc.constant('code' as const), language: fc.constantFrom('javascript', 'typescript', 'python'), source: fc.string(), outputs: fc.array(output, { maxLength: 3 }), extra: extraOf(['kind', 'language', 'source', 'outputs']) }, { requiredKeys: ['kind', 'language', 'source', 'outputs'] }),
  fc.record({ kind: fc.constant('markdown' as const), language: fc.constant('markdown'), source: fc.string(), outputs: fc.constant([]), extra: extraOf(['kind', 'language', 'source']) }, { requiredKeys: ['kind', 'language', 'source', 'outputs'] }),
);
export const notebook: fc.Arbitrary<NotebookContent> = fc.record(
  { cells: fc.array(cell, { maxLength: 4 }), extra: extraOf(['format', 'version', 'cells']), bom: fc.option(fc.constant(true), { nil: undefined }) },
  { requiredKeys: ['cells'] },
);

