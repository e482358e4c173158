/**
 * fast-check arbitraries of .ilnb notebooks with random extra keys, for the property tests and the fuzz
 * suite. Some extra values come with a source text that JSON.stringify would not write (numbers beyond
 * 2^53, 1.0, 1e3, -0, escaped strings, compact arrays, escaped keys): the format must write those texts
 * back byte for byte.
 */
import fc from 'fast-check';
import type { ExtraKeys, NotebookContent, RawText, RawTexts } from '../../../src/notebook/notebookFormat';

const STDOUT = 'application/vnd.code.notebook.stdout';

const key = fc.oneof(fc.constantFrom('id', 'metadata', 'tags', 'x', '__proto__', 'kind', 'items', 'format', 'cells', 'mime', 'text', 'ilnb:source'), fc.string({ maxLength: 6 }));

/** Every UTF-16 unit as a \uXXXX escape: a string's text that JSON.stringify never writes. */
const escaped = (s: string) => `"${[...Array(s.length).keys()].map((i) => `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"`;

const rawNumber = fc.oneof(
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.nat(999)).map(([i, f]) => `${i}.${String(f).padStart(3, '0')}`),
  fc.tuple(fc.integer({ min: -99, max: 99 }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m}e${e}`),
  fc.constantFrom('1.0', '1e3', '-0', '1E+2', '0.10', '12345678901234567890', '-0.0e-0'),
);
const rawString = fc.oneof(fc.string({ maxLength: 4 }).map(escaped), fc.constantFrom('"\\u00e9"', '"\\/"', '"a\\tb"', '"\\uD83D\\uDE00"'));
const rawScalar = fc.oneof(rawNumber, rawString, fc.constantFrom('true', 'null'));
/** A value's source text: a scalar, or a compact array or object of them (kept in its own layout). */
const rawValue = fc.oneof(
  { weight: 3, arbitrary: rawScalar },
  { weight: 1, arbitrary: fc.array(rawScalar, { maxLength: 3 }).map((xs) => `[${xs.join(',')}]`) },
  { weight: 1, arbitrary: fc.array(fc.tuple(fc.string({ maxLength: 3 }), rawScalar), { maxLength: 2 }).map((es) => `{${[...new Map(es)].map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`) },
);

type Value = { readonly value: unknown; readonly raw?: string };
const value: fc.Arbitrary<Value> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }).map((v) => ({ value: v })),
  rawValue.map((raw) => ({ value: JSON.parse(raw) as unknown, raw })),
);

/** Extra keys (none of `known`), some with source texts and escaped key texts. */
const extraOf = (known: readonly string[]) =>
  fc.option(
    fc
      .array(fc.tuple(key, value, fc.boolean()), { minLength: 1, maxLength: 3 })
      .map((entries) => [...new Map(entries.filter(([k]) => !known.includes(k)).map(([k, v, escapeKey]) => [k, { v, escapeKey }]))])
      .filter((entries) => entries.length > 0)
      .map((entries) => {
        const extra: ExtraKeys = Object.fromEntries(entries.map(([k, { v }]) => [k, v.value]));
        const raw: RawTexts = Object.fromEntries(
          entries.flatMap(([k, { v, escapeKey }]): [string, RawText][] => (v.raw === undefined ? [] : [[k, { key: escapeKey ? escaped(k) : JSON.stringify(k), value: v.raw }]])),
        );
        return Object.keys(raw).length > 0 ? { extra, raw } : { extra };
      }),
    { nil: undefined },
  );

/** A record with its extra keys (and their texts) spread in. */
const withExtras = <T extends object>(base: fc.Arbitrary<T>, known: readonly string[]) =>
  fc.tuple(base, extraOf(known)).map(([b, e]) => ({ ...b, ...(e ?? {}) }));

const item = fc.oneof(
  withExtras(fc.record({ mime: fc.constantFrom('text/plain', STDOUT, 'text/markdown'), data: fc.string() }), ['mime', 'text', 'json']),
  withExtras(fc.record({ mime: fc.constant('application/vnd.il-notebooks.plot+json'), data: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) }), ['mime', 'json']),
);
const output = withExtras(fc.record({ items: fc.array(item, { minLength: 1, maxLength: 2 }) }), ['items']);
const cell = fc.oneof(
  withExtras(fc.record({ kind: fc.constant('code' as const), language: fc.constantFrom('javascript', 'typescript', 'python'), source: fc.string(), outputs: fc.array(output, { maxLength: 3 }) }), ['kind', 'language', 'source', 'outputs']),
  withExtras(fc.record({ kind: fc.constant('markdown' as const), language: fc.constant('markdown'), source: fc.string(), outputs: fc.constant([]) }), ['kind', 'language', 'source']),
);
export const notebook: fc.Arbitrary<NotebookContent> = fc
  .tuple(fc.array(cell, { maxLength: 4 }), extraOf(['format', 'version', 'cells']), fc.option(fc.constant(true), { nil: undefined }))
  .map(([cells, extra, bom]) => ({ cells, ...(extra ?? {}), ...(bom ? { bom } : {}) }));

/** Every source text a notebook's extras carry, as `key: value` the way the writer puts them. */
export function rawEntries(content: NotebookContent): string[] {
  const of = (raw: RawTexts | undefined) => Object.values(raw ?? {}).map((r) => `${r.key}: ${r.value}`);
  return [
    ...of(content.raw),
    ...content.cells.flatMap((c) => [...of(c.raw), ...(c.kind === 'code' ? c.outputs.flatMap((o) => [...of(o.raw), ...o.items.flatMap((i) => of(i.raw))]) : [])]),
  ];
}
